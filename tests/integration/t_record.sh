#!/usr/bin/env bash
# record: launch mode on victims (tests/helpers/rec_*.c), both tracing
# modes, exact ABIs, exit codes.  Attach and interruption: t_record_attach.sh.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/rec_lib.sh"

t_ls() {
	"$SP" record -o ls.json -- ls -l / >/dev/null
	assert_syscall ls.json x86_64 execve
	assert_syscall ls.json x86_64 openat
	assert_syscall ls.json x86_64 exit_group
	[ "$(meta ls.json 'm["complete"]')" = True ] || fail "not complete"
	[ "$(meta ls.json 'm["exit_status"]')" = 0 ] || fail "exit status"
	[ "$(meta ls.json 'm["command"]')" = "['ls', '-l', '/']" ] || fail "command: $(meta ls.json 'm["command"]')"
	meta ls.json 'm["executables"]' | grep -q "/ls'" || fail "executables: $(meta ls.json 'm["executables"]')"
	for k in kernel machine libc start_time tool_version; do
		[ "$(meta ls.json "bool(m['$k'])")" = True ] || fail "meta.$k empty"
	done
	meta ls.json 'm["libc"]' | grep -q '^glibc ' || fail "libc"
	# the default output name is CMD's name
	"$SP" record -- true
	[ -s true.recording.json ] || fail "default output name"
	# -o - writes the recording to stdout
	"$SP" record -o - -- true >out.json
	assert_syscall out.json x86_64 exit_group
}
tcase "record ls: calls, metadata, default name, stdout" t_ls

t_count_exact() {
	# 3 processes x 4 threads x 25 calls, like strace's count-f test
	rec_both rec_count 3 4 25
	for f in fast slow; do
		[ "$(calls $T/$f.json x86_64 chdir)" = 300 ] || fail "$f: chdir $(calls $T/$f.json x86_64 chdir) != 300"
		[ "$(meta $T/$f.json 'm["processes"]')" = 3 ] || fail "$f: processes $(meta $T/$f.json 'm["processes"]')"
		[ "$(meta $T/$f.json 'm["threads"]')" = 12 ] || fail "$f: threads $(meta $T/$f.json 'm["threads"]')"
	done
	assert_syscall fast.json x86_64 clone3   # glibc >= 2.34 threads
	if command -v strace >/dev/null; then
		strace -f -c -o st.txt "$HELPERS/rec_count" 3 4 25
		n=$(awk '$NF == "chdir" { print $4 }' st.txt)
		[ "$n" = "$(calls $T/fast.json x86_64 chdir)" ] || fail "strace -f -c says $n chdir"
	fi
}
tcase "exact counts across forks and threads (= strace -f -c)" t_count_exact

t_exec_shapes() {
	for mode in vfork thread-exec spawn "chain 3"; do
		rec_both rec_exec $mode
		assert_syscall fast.json x86_64 getcwd
		assert_syscall fast.json x86_64 sched_yield
	done
	[ "$(calls $T/fast.json x86_64 execve)" = 5 ] || fail "chain: execve $(calls $T/fast.json x86_64 execve) != 5"
	rec_both rec_exec vfork
	assert_syscall fast.json x86_64 vfork
	[ "$(meta fast.json 'm["processes"]')" = 2 ] || fail "vfork: processes"
	rec_both rec_exec thread-exec
	# the thread's execve never returns to it: counted at entry (2 = ours + the thread's)
	[ "$(calls $T/fast.json x86_64 execve)" = 2 ] || fail "thread-exec: execve $(calls $T/fast.json x86_64 execve)"
	[ "$(meta fast.json 'm["processes"]')" = 1 ] || fail "thread-exec: processes"
	[ "$(meta fast.json 'm["threads"]')" = 2 ] || fail "thread-exec: threads"
	rec_both rec_exec clone3
	assert_syscall fast.json x86_64 clone3
	assert_syscall fast.json x86_64 getppid
}
tcase "vfork, posix_spawn, exec chains, execve from a non-leader thread, clone3 (both paths)" t_exec_shapes

t_clone3_thread() {
	"$HELPERS/rec_clone3" || { [ $? = 77 ] && skip "no raw clone3 thread here"; fail "victim fails natively"; }
	rec_both rec_clone3
	assert_syscall fast.json x86_64 clone3
	assert_syscall fast.json x86_64 sched_yield
	assert_syscall fast.json x86_64 exit
	[ "$(meta fast.json 'm["threads"]')" = 2 ] || fail "threads"
	[ "$(meta fast.json 'm["processes"]')" = 1 ] || fail "processes"
}
tcase "raw clone3 thread" t_clone3_thread

t_signals() {
	rec_both rec_misc handler
	assert_syscall fast.json x86_64 rt_sigreturn
	assert_syscall fast.json x86_64 wait4
	# job control: the stop is kept (PTRACE_LISTEN), SIGCONT ends it
	rec_both rec_misc jobctl
	assert_syscall fast.json x86_64 kill
}
tcase "signal handlers (rt_sigreturn) and group-stop/SIGCONT" t_signals

t_abis() {
	rec_both rec_misc x32
	assert_syscall fast.json x32 getpid
	assert_no_syscall fast.json x86_64 getpid
	rec_both rec_misc unknown
	assert_syscall fast.json x86_64 1023
	[ "$(meta fast.json '[s["name"] for s in d["abis"]["x86_64"] if s["nr"] == 1023]')" = "[None]" ] ||
		fail "syscall 1023 got a name"
}
tcase "x32 bit is x32, unknown numbers kept by number" t_abis

t_int80() {
	need_int80
	rec_both rec_misc int80
	assert_syscall fast.json i386 getpid
	[ "$(calls fast.json i386 getpid)" = 1 ] || fail "i386 getpid count"
	assert_syscall fast.json x86_64 getpid
}
tcase "int 0x80 from a 64-bit process is i386" t_int80

t_m32() {
	need_i386 rec_count
	rec_both rec_count-m32 2 2 10
	[ "$(calls fast.json i386 chdir)" = 40 ] || fail "i386 chdir $(calls fast.json i386 chdir)"
	# i386 throughout: only the launcher's own execve is 64-bit
	[ "$(meta fast.json '[s["name"] for s in d["abis"]["x86_64"]]')" = "['execve']" ] ||
		fail "x86_64 calls in a 32-bit run: $(meta fast.json '[s["name"] for s in d["abis"]["x86_64"]]')"
	assert_syscall fast.json i386 exit_group
}
tcase "-m32 binary is i386 throughout" t_m32

t_exit_codes() {
	assert_status 0 "$SP" record -o r.json -- "$HELPERS/rec_misc" exit 0
	assert_status 3 "$SP" record -o r.json -- "$HELPERS/rec_misc" exit 3
	[ "$(meta r.json 'm["exit_status"]')" = 3 ] || fail "meta exit_status"
	# killed by a signal: re-raised, so the shell sees 128+N
	assert_status 137 "$SP" record -o r.json -- "$HELPERS/rec_misc" kill 9
	[ "$(meta r.json 'm["exit_signal"]')" = 9 ] || fail "meta exit_signal"
	assert_syscall r.json x86_64 tgkill
	assert_status 143 "$SP" record --no-seccomp -o r.json -- "$HELPERS/rec_misc" kill 15
	# 127 not found, 126 not executable, clear messages, no output file
	assert_status 127 "$SP" record -o nf.json -- no-such-command-xyz
	"$SP" record -o nf.json -- no-such-command-xyz 2>e || true
	assert_contains e "no-such-command-xyz': command not found"
	[ ! -e nf.json ] || fail "output written for a command not found"
	printf 'data' >noexec; chmod 644 noexec
	assert_status 126 "$SP" record -o nf.json -- ./noexec
	"$SP" record -o nf.json -- ./noexec 2>e || true
	assert_contains e "not executable"
	# exec failure only visible at execve (bad ELF): reported by the child
	printf '\177ELFjunkjunkjunk' >badelf; chmod 755 badelf
	assert_status 126 "$SP" record -o nf.json -- ./badelf
	# output checked before the workload runs
	assert_status 2 "$SP" record -o /no/such/dir/r.json -- "$HELPERS/rec_daemon" "$T/never"
	[ ! -e "$T/never" ] || fail "workload ran although the output is unwritable"
	assert_status 2 "$SP" record
	assert_status 2 "$SP" record -f nosuchformat -- true
}
tcase "exit status: 0, 3, killed by signal, 127, 126, unwritable output" t_exit_codes

t_daemon() {
	rec_both rec_daemon "$T/marker"
	assert_contains "$T/marker" done
	assert_syscall fast.json x86_64 setsid
	assert_syscall fast.json x86_64 getpgrp
	assert_syscall fast.json x86_64 sync
	[ "$(meta fast.json 'm["processes"]')" = 3 ] || fail "processes"
}
tcase "daemon: the grandchild that outlives its parents is recorded to the end" t_daemon

t_summary() {
	"$SP" record -c -o r.json -- "$HELPERS/rec_count" 2 2 10 2>err
	assert_contains err "% time     seconds  usecs/call     calls    errors syscall"
	grep -Eq '^ *[0-9.]+ +[0-9.]+ +[0-9]+ +40 +chdir$' err || { cat err; fail "no chdir row with 40 calls"; }
	grep -q ' total$' err || fail "no total row"
	"$SP" summary r.json >s.txt
	grep -Eq ' 40 +chdir$' s.txt || fail "summary lacks the chdir row"
	"$SP" summary --json r.json >s.json
	python3 - s.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
row = [r for r in d["abis"]["x86_64"]["syscalls"] if r["syscall"] == "chdir"][0]
assert row["calls"] == 40 and row["errors"] == 0, row
assert d["timed"] is True
PY
	# without -c nothing measured times or errors: only calls are shown
	"$SP" record -o u.json -- "$HELPERS/rec_count" 2 2 10 2>/dev/null
	"$SP" summary u.json >u.txt
	head -1 u.txt | grep -Eq '^ +calls syscall$' || fail "untimed summary header: $(head -2 u.txt)"
	grep -Eq '^ +40 chdir$' u.txt || fail "untimed summary lacks the chdir row"
	assert_contains u.txt "(times and errors are measured only by 'record -c')"
	assert_not_contains u.txt "% time"
	"$SP" summary --json u.json | python3 -c 'import json, sys; assert json.load(sys.stdin)["timed"] is False'
	# -c measures errors: 1 ENOENT per the failing stat in "ls /nonexistent"
	"$SP" record -c -o e.json -- ls /nonexistent-sp-test 2>/dev/null || true
	[ "$(meta e.json 'sum(s["errors"] for s in d["abis"]["x86_64"])')" -ge 1 ] || fail "no errors counted"
	meta e.json '[s["errnos"] for s in d["abis"]["x86_64"] if s["errors"]]' | grep -q ENOENT || fail "no ENOENT"
	# several ABIs: a section each (an x32 number is recorded as x32 also
	# where the kernel lacks x32 and fails it with ENOSYS; int 0x80 is
	# t_summary_i386's)
	"$SP" record -c -o m.json -- "$HELPERS/rec_misc" x32 2>err
	assert_contains err "System call usage on ABI x32:"
	assert_contains err "System call usage on ABI x86_64:"
	assert_status 2 "$SP" summary
	echo '{' >bad.json
	assert_status 2 "$SP" summary bad.json
}
tcase "record -c table, summary and summary --json" t_summary

t_summary_i386() {
	need_int80
	"$SP" record -c -o m.json -- "$HELPERS/rec_misc" int80 2>err
	assert_contains err "System call usage on ABI i386:"
	assert_contains err "System call usage on ABI x86_64:"
	assert_syscall m.json i386 getpid
}
tcase "record -c: int 0x80 calls in a table of their own (i386)" t_summary_i386

# baseline_on MODE ABI: a baseline recording of one program, then another
# (tests/helpers/attack ok MODE) recorded against it, whose getpid on
# x86_64 and on ABI (MODE's getpid) are new: the baseline's filter must
# stop both and let the baseline's own calls through.
baseline_on() {
	local mode=$1 abi=$2
	"$SP" record -o base.json -- "$HELPERS/rec_exec" chain 1
	"$SP" record --baseline base.json -o new.json -- "$HELPERS/attack" ok "$mode" >/dev/null
	[ "$(meta new.json 'm["baseline"]')" = base.json ] || fail "meta.baseline"
	[ "$(meta new.json 'm["tracing"]')" = seccomp ] || fail "tracing"
	# new calls are caught, on every ABI
	assert_syscall new.json x86_64 getpid
	assert_syscall new.json "$abi" getpid
	# calls of the baseline pass unseen and are marked
	[ "$(meta new.json '[(s["calls"], s.get("baseline")) for s in d["abis"]["x86_64"] if s["name"] == "openat"]')" = "[(0, True)]" ] ||
		fail "openat not a baseline entry: $(meta new.json '[s for s in d["abis"]["x86_64"] if s["name"] == "openat"]')"
	# nothing is lost: baseline + observed covers a full recording
	"$SP" record -o full.json -- "$HELPERS/attack" ok "$mode" >/dev/null
	python3 - full.json new.json <<'PY'
import json, sys
full, new = (json.load(open(f)) for f in sys.argv[1:3])
have = {(a, s["name"] or s["nr"]) for a, v in new["abis"].items() for s in v}
want = {(a, s["name"] or s["nr"]) for a, v in full["abis"].items() for s in v}
assert want <= have, want - have
PY
}
t_baseline() {
	baseline_on x32 x32
	assert_status 2 "$SP" record --baseline base.json --no-seccomp -- true
	assert_status 2 "$SP" record --baseline nosuch.json -- true
}
tcase "--baseline: known calls pass unseen, new ones recorded on x86_64 and x32" t_baseline

t_baseline_i386() {
	need_int80
	baseline_on int80 i386
}
tcase "--baseline: new int 0x80 calls are recorded as i386" t_baseline_i386

t_record_format() {
	"$SP" record -f docker -o p.json -- "$HELPERS/rec_misc" exit 0
	python3 - p.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["defaultAction"] == "SCMP_ACT_ERRNO", d["defaultAction"]
names = {n for r in d["syscalls"] for n in r["names"]}
assert "exit_group" in names and "execve" in names, names
PY
	"$SP" formats | awk '$1 == "yaml"' | grep -q . && "$SP" record -f yaml -o - -- true | grep -q exit_group
	assert_status 2 "$SP" record -f no-such-format -o p.json -- true
}
tcase "record -f FORMAT writes a policy directly" t_record_format
