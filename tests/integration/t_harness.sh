#!/usr/bin/env bash
# The test harness itself: a case that leaves a process behind fails,
# naming it, and the process is killed (tests/helpers/subreaper.c).
. "$(dirname "$0")/lib.sh"

# inner_run FILE: runs the test file FILE with this lib.sh, results into
# results.txt, output into inner.out.
inner_run() {
	: >results.txt
	SP_RESULTS=$T/results.txt bash "$1" >inner.out 2>&1 || true
}

t_leftover_fails() {
	cat >inner.sh <<-EOF
	. "$TESTS_DIR/integration/lib.sh"
	t_daemon_left() { (setsid sleep 3001 </dev/null >/dev/null 2>&1 &); sleep 3002 </dev/null >/dev/null 2>&1 & }
	tcase "leaves a daemon and a job" t_daemon_left
	t_clean() { sleep 3003 & spawned \$!; fail "fails after starting a job"; }
	tcase "fails, its trap kills the job" t_clean
	t_quiet() { true; }
	tcase "starts nothing" t_quiet
	EOF
	inner_run inner.sh
	grep -q '^FAIL leaves a daemon and a job (left processes behind, killed: .*sleep 3001' results.txt ||
		{ cat inner.out; fail "a leftover daemon was not reported"; }
	grep -q '^FAIL leaves a daemon and a job (left processes behind, killed: .*sleep 3002' results.txt ||
		{ cat inner.out; fail "a leftover job was not reported"; }
	grep -q '^FAIL fails, its trap kills the job (exit 1)$' results.txt || { cat inner.out; fail "trap case: $(cat results.txt)"; }
	grep -q '^PASS starts nothing$' results.txt || fail "clean case: $(cat results.txt)"
	# all of them are gone
	local p
	for p in /proc/[0-9]*; do
		! grep -qa '^sleep.300[123]' "$p/cmdline" 2>/dev/null || fail "left running: $(tr '\0' ' ' <"$p/cmdline")"
	done
}
tcase "harness: a case that leaves a process fails naming it, and it is killed" t_leftover_fails
