#!/usr/bin/env bash
# Generated filters are not bypassable, on the live kernel: the C header
# compiled into a program, the raw BPF loaded like bubblewrap does
# (tests/helpers/bpf_load), and a Docker profile enforced by `run`, all
# generated from tests/integration/data/attack.recording.json, attacked by
# tests/helpers/attack: int 0x80 from a 64-bit process, x32 numbers,
# nr -1 and numbers above the table, from the main thread and from a
# second one (a KILL_THREAD would leave the process hanging in
# pthread_join).  The int 0x80 attacks are cases of their own, which
# skip where the kernel has no IA32 emulation (need_int80); the others run
# everywhere.  tests/unit/test_bypass.c checks the same programs
# against libseccomp for every syscall number in the BPF interpreter.
. "$(dirname "$0")/lib.sh"

# expect LAUNCH... -- MODE WANT: WANT is "killed" (SIGSYS, no line printed)
# or the line attack prints.  LAUNCH is the command before attack's path.
expect() {
	local want=${!#} mode=${*: -2:1} n=$(($# - 2))
	local -a launch=("${@:1:$n}")
	local rc=0
	timeout --kill-after=5 30 "${launch[@]}" "$HELPERS/attack" "$mode" >"$T/out" 2>"$T/err" || rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "${launch[*]} $mode: hung (a thread-only kill?)"
	if [ "$want" = killed ]; then
		[ "$rc" -eq 159 ] || fail "${launch[*]} $mode: exit $rc, expected death by SIGSYS (159): $(cat "$T/out" "$T/err")"
		[ ! -s "$T/out" ] || fail "${launch[*]} $mode: the call returned: $(cat "$T/out")"
	else
		[ "$rc" -eq 0 ] || fail "${launch[*]} $mode: exit $rc: $(cat "$T/err")"
		grep -qxF "$want" "$T/out" || fail "${launch[*]} $mode: got '$(cat "$T/out")', expected '$want'"
	fi
}

# attack_all SET WIDTH LAUNCH...: one launcher against every attack of SET
# (x86_64: x32 numbers, -1, high numbers, a second thread; int80: int 0x80
# from the main thread and a second one); WIDTH says whether i386/x32 were
# added to the profile (wide) or not (narrow).
attack_all() {
	local set=$1 wide=$2; shift 2
	if [ "$set" = int80 ]; then
		if [ "$wide" = narrow ]; then
			expect "$@" int80 killed
			expect "$@" thread-int80 killed
		else
			expect "$@" int80 'int80 ret=0 errno=0'
			expect "$@" thread-int80 'thread-int80 ret=0 errno=0'
		fi
		return
	fi
	expect "$@" ok 'ok ret=0 errno=0'
	expect "$@" nr-1 'nr-1 ret=-1 errno=EPERM'
	expect "$@" nr-high 'nr-high ret=-1 errno=EPERM'
	if [ "$wide" = narrow ]; then
		expect "$@" x32 killed
		expect "$@" thread-x32 killed
	else
		# allowed through the filter; the kernel may lack x32 itself
		local m
		for m in x32 thread-x32; do
			"$@" "$HELPERS/attack" $m >"$T/x32" || fail "$m listed: exit $?"
			grep -Eqx "$m ret=(0 errno=0|-1 errno=ENOSYS)" "$T/x32" || fail "$m listed: $(cat "$T/x32")"
		done
	fi
}

# The int 0x80 attacks need a kernel that has int 0x80 (else there is
# nothing to refuse); the others run everywhere.
t_bpf() {
	local set=$1 REC=$TESTS_DIR/integration/data/attack.recording.json
	[ "$set" = x86_64 ] || need_int80
	"$SP" generate -f bpf -o "$T/narrow.bpf" "$REC"
	"$SP" generate -f bpf --arch i386 --arch x32 -o "$T/wide.bpf" "$REC"
	attack_all "$set" narrow "$HELPERS/bpf_load" "$T/narrow.bpf"
	attack_all "$set" wide "$HELPERS/bpf_load" "$T/wide.bpf"
}
tcase "bypass: raw BPF (bubblewrap-style load): x32, -1, high numbers, threads" "t_bpf x86_64"
tcase "bypass: raw BPF (bubblewrap-style load): int 0x80, from two threads" "t_bpf int80"

t_header() {
	local set=$1 REC=$TESTS_DIR/integration/data/attack.recording.json
	[ "$set" = x86_64 ] || need_int80
	command -v cc >/dev/null || skip "no C compiler"
	"$SP" generate -f c -o "$T/narrow.h" "$REC"
	"$SP" generate -f c --arch i386 --arch x32 -o "$T/wide.h" "$REC"
	for w in narrow wide; do
		cc -std=gnu11 -O1 -Wall -D_GNU_SOURCE -DSP_FILTER_HEADER="\"$T/$w.h\"" \
			"$TESTS_DIR/helpers/attack.c" -o "$T/attack-$w" -lpthread
	done
	# the header installs its filter in main: run the compiled programs
	HELPERS_SAVED=$HELPERS
	HELPERS=$T
	cp "$T/attack-narrow" "$T/attack"
	attack_all "$set" narrow env
	cp "$T/attack-wide" "$T/attack"
	attack_all "$set" wide env
	HELPERS=$HELPERS_SAVED
}
tcase "bypass: C header compiled in: x32, -1, high numbers, threads" "t_header x86_64"
tcase "bypass: C header compiled in: int 0x80, from two threads" "t_header int80"

t_run() {
	local set=$1 REC=$TESTS_DIR/integration/data/attack.recording.json
	[ "$set" = x86_64 ] || need_int80
	"$SP" generate -f docker -o "$T/narrow.json" "$REC"
	"$SP" generate -f docker --arch i386 --arch x32 -o "$T/wide.json" "$REC"
	attack_all "$set" narrow "$SP" run -p "$T/narrow.json" --
	attack_all "$set" wide "$SP" run -p "$T/wide.json" --
}
tcase "bypass: run with a generated Docker profile: x32, -1, high numbers, threads" "t_run x86_64"
tcase "bypass: run with a generated Docker profile: int 0x80, from two threads" "t_run int80"

t_default_kill() {
	local REC=$TESTS_DIR/integration/data/attack.recording.json
	"$SP" generate -f bpf --default-action kill -o "$T/kill.bpf" "$REC"
	"$SP" generate -f docker --default-action kill -o "$T/kill.json" "$REC"
	"$SP" generate -f c --default-action kill -o "$T/kill.h" "$REC"
	expect "$HELPERS/bpf_load" "$T/kill.bpf" thread-nr-1 killed
	expect "$SP" run -p "$T/kill.json" -- thread-nr-1 killed
	grep -q 'SECCOMP_RET_KILL_THREAD\|0x00000000' "$T/kill.h" && ! grep -q 'KILL_PROCESS\|0x80000000' "$T/kill.h" &&
		fail "the header kills threads only"
	# the one case where the thread kill is asked for: only that thread dies
	"$SP" generate -f bpf --default-action kill-thread -o "$T/kt.bpf" "$REC"
	rc=0
	timeout --kill-after=5 30 "$HELPERS/bpf_load" "$T/kt.bpf" "$HELPERS/attack" thread-nr-1 ok >"$T/out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || fail "kill-thread: exit $rc"
	grep -qx 'ok ret=0 errno=0' "$T/out" || fail "kill-thread: the process did not go on: $(cat "$T/out")"
	! grep -q 'thread-nr-1' "$T/out" || fail "kill-thread: the call returned"
}
tcase "bypass: default kill ends the whole process from any thread; kill-thread only when asked" t_default_kill
