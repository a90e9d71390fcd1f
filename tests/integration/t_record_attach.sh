#!/usr/bin/env bash
# record: attach (-p) and detach, and interruption of the recorder.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.sh"

# wait_for FILE: until FILE exists (the victims create them), 20 s at most.
wait_for() {
	local i
	for i in $(seq 1 400); do [ -e "$1" ] && return 0; sleep 0.05; done
	fail "timed out waiting for $1"
}
state_of() { awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null; }

t_attach_detach() {
	"$HELPERS/rec_spin" "$T/stop" 3 >spin.out &
	local victim=$!
	spawned $victim
	wait_for spin.out
	until grep -q ready spin.out; do sleep 0.05; done
	"$SP" -v record -p "$victim" -o att.json 2>rec.err &
	local rec=$!
	spawned $rec
	# -v on a non-terminal: a status line per second; wait for calls
	until grep -Eq '[1-9][0-9]* syscalls' rec.err; do
		kill -0 $rec 2>/dev/null || { cat rec.err; fail "recorder died"; }
		sleep 0.1
	done
	kill -INT $rec
	wait $rec || fail "recorder exited $? after SIGINT in attach mode"
	# the process survived the detach, all threads running or sleeping (not T/t)
	kill -0 "$victim" || fail "victim died"
	for t in /proc/$victim/task/*; do
		s=$(state_of "${t#/proc/}")
		case $s in T|t) fail "thread ${t##*/} left in state $s" ;; esac
	done
	[ "$(ls /proc/$victim/task | wc -l)" = 3 ] || fail "threads lost"
	assert_syscall att.json x86_64 getppid
	assert_syscall att.json x86_64 clock_nanosleep
	[ "$(meta att.json 'm["attached"]')" = "[$victim]" ] || fail "meta.attached"
	[ "$(meta att.json 'm["threads"]')" = 3 ] || fail "threads: $(meta att.json 'm["threads"]')"
	[ "$(meta att.json 'm["processes"]')" = 1 ] || fail "processes"
	[ "$(meta att.json 'm["tracing"]')" = ptrace ] || fail "attach mode must be plain ptrace"
	[ "$(meta att.json 'm["complete"]')" = False ] || fail "complete"
	meta att.json 'm["incomplete_reason"]' | grep -q SIGINT || fail "reason"
	meta att.json 'm["executables"]' | grep -q rec_spin || fail "executables"
	# it still works and ends normally after we left
	touch "$T/stop"
	wait "$victim" || fail "victim exited $? after the detach"
	[ -e "$T/stop.done" ] || fail "victim did not finish"
}
tcase "attach to a multi-threaded process, SIGINT detaches, it keeps running" t_attach_detach

t_attach_until_exit() {
	"$HELPERS/rec_spin" "$T/stop" 2 >spin.out &
	local victim=$!
	spawned $victim
	until grep -q ready spin.out 2>/dev/null; do sleep 0.05; done
	"$SP" -v record -p "$victim" -o att.json 2>rec.err &
	local rec=$!
	spawned $rec
	until grep -Eq '[1-9][0-9]* syscalls' rec.err; do sleep 0.1; done
	touch "$T/stop"
	wait $rec || fail "recorder exited $?"
	[ "$(meta att.json 'm["complete"]')" = True ] || fail "not complete although all exited"
	assert_syscall att.json x86_64 exit_group
	assert_syscall att.json x86_64 openat   # the .done file
}
tcase "attach: the recording ends when the processes exit" t_attach_until_exit

t_attach_errors() {
	assert_status 2 "$SP" record -p 999999999 -o x.json
	"$SP" record -p 2147483646 -o x.json 2>e || true
	assert_contains e "no such process"
	assert_status 2 "$SP" record -p 12abc -o x.json
	assert_status 2 "$SP" record -p 1 -o x.json -- true
	[ ! -e x.json ] || fail "output written"
	# a process already traced: EPERM with the hint
	"$HELPERS/rec_spin" "$T/stop" 1 >spin.out &
	local victim=$!
	spawned $victim
	until grep -q ready spin.out 2>/dev/null; do sleep 0.05; done
	"$SP" -v record -p $victim -o a.json 2>first.err &
	local first=$!
	spawned $first
	# attached (and its SIGINT handler installed) once it reports calls
	until grep -Eq '[1-9][0-9]* syscalls' first.err; do sleep 0.1; done
	assert_status 2 "$SP" record -p $victim -o b.json
	"$SP" record -p $victim -o b.json 2>e || true
	assert_contains e "Operation not permitted"
	assert_contains e "CAP_SYS_PTRACE"
	assert_contains e "already be traced"
	kill -INT $first; wait $first || true
	touch "$T/stop"; wait $victim
}
tcase "attach errors: no such PID, bad PID, already traced (EPERM hint)" t_attach_errors

t_sigint_launch() {
	need_cmd pgrep
	for mode in "" --no-seccomp; do
		rm -f int.json
		"$SP" -v record $mode -o int.json -- "$HELPERS/rec_count" 1 2 100000000 2>rec.err &
		local rec=$!
		spawned $rec
		until grep -Eq '[1-9][0-9]* syscalls' rec.err; do sleep 0.1; done
		local w
		w=$(pgrep -P $rec) || fail "no workload"
		kill -INT $rec
		local rc=0
		wait $rec || rc=$?
		[ $rc = 130 ] || fail "$mode: exit $rc, expected 130"
		[ "$(meta int.json 'm["complete"]')" = False ] || fail "$mode: complete"
		meta int.json 'm["incomplete_reason"]' | grep -q "SIGINT" || fail "$mode: reason"
		assert_syscall int.json x86_64 chdir
		# the workload is gone
		! kill -0 "$w" 2>/dev/null || fail "$mode: workload still running"
	done
	# SIGTERM too, and with -c the table is still printed
	"$SP" -v record -c -o term.json -- "$HELPERS/rec_misc" sleep 20000 2>err &
	rec=$!
	spawned $rec
	until grep -Eq '[1-9][0-9]* syscalls' err; do sleep 0.1; done
	kill -TERM $rec
	rc=0; wait $rec || rc=$?
	[ $rc = 143 ] || fail "SIGTERM: exit $rc"
	assert_contains err "total"
	meta term.json 'm["incomplete_reason"]' | grep -q SIGTERM || fail "SIGTERM reason"
}
tcase "SIGINT/SIGTERM to the recorder: valid incomplete recording, workload ended" t_sigint_launch

t_sigkill_recorder() {
	need_cmd pgrep
	# EXITKILL: a SIGKILLed recorder takes the workload with it, and
	# leaves no partial output file
	"$SP" -v record -o k.json -- "$HELPERS/rec_misc" sleep 20000 2>rec.err &
	local rec=$!
	spawned $rec
	until grep -Eq '[1-9][0-9]* syscalls' rec.err; do sleep 0.1; done
	local w
	w=$(pgrep -P $rec) || fail "no workload"
	kill -KILL $rec
	wait $rec || true
	for i in $(seq 1 100); do kill -0 "$w" 2>/dev/null || break; sleep 0.05; done
	! kill -0 "$w" 2>/dev/null || fail "workload survived its recorder"
	[ ! -e k.json ] || fail "partial output"
	! ls .k.json* 2>/dev/null | grep -q . || fail "temporary file left"
}
tcase "SIGKILL to the recorder kills the workload (EXITKILL), no partial file" t_sigkill_recorder
