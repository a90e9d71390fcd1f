#!/usr/bin/env bash
# Faults while recording (issue 9): signals to the recorder and to the
# workload, a workload that is itself a debugger, CLONE_UNTRACED children,
# many tasks at once, unwritable outputs and a full disk.  (SIGINT/SIGTERM
# and SIGKILL to the recorder are in t_record_attach.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.sh"

# start_wait [RECORD-ARGS...]: records fault_wait in the background into
# $T/w.json; sets $rec (recorder PID) and $w (workload PID) once the
# workload runs under the recorder.
start_wait() {
	"$SP" record "$@" -o "$T/w.json" -- "$HELPERS/fault_wait" "$T/ready" 2>"$T/rec.err" &
	rec=$!
	spawned $rec
	for i in $(seq 1 400); do [ -s "$T/ready" ] && break; sleep 0.05; done
	[ -s "$T/ready" ] || fail "the workload did not start: $(cat "$T/rec.err")"
	w=$(cat "$T/ready")
}

t_sighup() {
	for mode in "" --no-seccomp; do
		rm -f "$T/ready" "$T/w.json"
		start_wait $mode
		kill -HUP $rec
		local rc=0
		wait $rec || rc=$?
		[ $rc = 129 ] || fail "$mode: exit $rc, expected 129 (128 + SIGHUP)"
		[ "$(meta "$T/w.json" 'm["complete"]')" = False ] || fail "$mode: marked complete"
		meta "$T/w.json" 'm["incomplete_reason"]' | grep -q SIGHUP || fail "$mode: reason does not name SIGHUP"
		assert_syscall "$T/w.json" x86_64 uname
		for i in $(seq 1 100); do kill -0 "$w" 2>/dev/null || break; sleep 0.05; done
		! kill -0 "$w" 2>/dev/null || fail "$mode: workload still running"
	done
}
tcase "faults: SIGHUP to the recorder: valid recording marked incomplete, workload ended" t_sighup

t_workload_sigkill() {
	for mode in "" --no-seccomp; do
		rm -f "$T/ready" "$T/w.json"
		start_wait $mode
		kill -KILL "$w"
		local rc=0
		wait $rec || rc=$?
		# record exits like its workload: killed by SIGKILL
		[ $rc = 137 ] || fail "$mode: exit $rc, expected 137"
		[ "$(meta "$T/w.json" 'm["complete"]')" = True ] || fail "$mode: not complete"
		[ "$(meta "$T/w.json" 'm["exit_signal"]')" = 9 ] || fail "$mode: exit_signal $(meta "$T/w.json" 'm["exit_signal"]')"
		assert_syscall "$T/w.json" x86_64 uname
	done
}
tcase "faults: workload killed by SIGKILL: complete recording with its signal" t_workload_sigkill

t_debugger() {
	for mode in "" --no-seccomp; do
		local rc=0
		"$SP" record $mode -o "$T/d.json" -- "$HELPERS/fault_debugger" >"$T/out" 2>"$T/err" || rc=$?
		[ $rc = 3 ] || fail "$mode: exit $rc (the victim exits 3 when its ptrace fails): $(cat "$T/err")"
		assert_contains "$T/out" "traceme: EPERM"
		assert_contains "$T/out" "attach: EPERM"
		[ "$(calls "$T/d.json" x86_64 ptrace)" = 2 ] || fail "$mode: ptrace calls: $(calls "$T/d.json" x86_64 ptrace)"
		assert_contains "$T/err" "the workload called ptrace 2 times"
		assert_contains "$T/err" "failed with EPERM"
	done
}
tcase "faults: a workload that is a debugger: its ptrace fails, reported, no hang" t_debugger

# untraced VICTIM ABI: the CLONE_UNTRACED child of VICTIM (clone and
# clone3, both tracing paths) is followed and its getppid recorded on ABI.
untraced() {
	local v=$1 abi=$2 how mode
	for how in clone clone3; do
		for mode in "" --no-seccomp; do
			"$SP" record $mode -o "$T/u.json" -- "$HELPERS/$v" $how >"$T/out" 2>"$T/err" ||
				fail "$v $how $mode: exit $?: $(cat "$T/err")"
			assert_contains "$T/out" "untraced child: status 0"
			# the child was followed: two processes, its getppid recorded
			[ "$(meta "$T/u.json" 'm["processes"]')" = 2 ] || fail "$v $how $mode: processes $(meta "$T/u.json" 'm["processes"]')"
			[ "$(calls "$T/u.json" $abi getppid)" = 1 ] || fail "$v $how $mode: the child's getppid is missing"
			[ "$(meta "$T/u.json" 'len(m["escaped"])')" = 0 ] || fail "$v $how $mode: escaped"
		done
	done
}
t_untraced() { untraced fault_untraced x86_64; }
tcase "faults: CLONE_UNTRACED children (clone, clone3) are recorded, not lost" t_untraced
t_untraced_i386() {
	need_i386 fault_untraced
	untraced fault_untraced-m32 i386
}
tcase "faults: CLONE_UNTRACED children of an i386 program are recorded, not lost" t_untraced_i386

t_many() {
	for mode in "" --no-seccomp; do
		"$SP" record $mode -o "$T/m.json" -- "$HELPERS/fault_many" 1000 200 >"$T/out" 2>"$T/err" ||
			fail "$mode: exit $?: $(tail -3 "$T/err")"
		assert_contains "$T/out" "many: 1000 processes, 200 threads"
		# one getppid per process and one getpgid per thread: none missed
		[ "$(calls "$T/m.json" x86_64 getppid)" = 1000 ] || fail "$mode: getppid $(calls "$T/m.json" x86_64 getppid)"
		[ "$(calls "$T/m.json" x86_64 getpgid)" = 200 ] || fail "$mode: getpgid $(calls "$T/m.json" x86_64 getpgid)"
		[ "$(meta "$T/m.json" 'm["processes"]')" = 1001 ] || fail "$mode: processes $(meta "$T/m.json" 'm["processes"]')"
		[ "$(meta "$T/m.json" 'm["threads"]')" -ge 201 ] || fail "$mode: threads $(meta "$T/m.json" 'm["threads"]')"
		[ "$(meta "$T/m.json" 'm["complete"]')" = True ] || fail "$mode: incomplete"
	done
}
tcase "faults: 1000 short-lived processes and 200 threads at once, every call counted" t_many

t_unwritable() {
	mkdir "$T/adir"
	printf x >"$T/afile"
	for out in "$T/adir" "$T/afile/r.json" /proc/version; do
		rm -f "$T/marker"
		local rc=0
		"$SP" record -o "$out" -- "$HELPERS/fault_wait" "$T/marker" 2>"$T/err" || rc=$?
		[ $rc = 2 ] || fail "-o $out: exit $rc, expected 2"
		head -1 "$T/err" | grep -q "^seccomp-profile" || fail "-o $out: message: $(cat "$T/err")"
		[ ! -e "$T/marker" ] || fail "-o $out: the workload ran although the output cannot be written"
	done
}
tcase "faults: unwritable output (directory, under a file, /proc): fail before the workload starts" t_unwritable

t_disk_full() {
	[ "${SP_PRIVATE_MOUNTS:-}" = 1 ] || { in_private_mounts t_disk_full; return; }
	mkdir "$T/small"
	mount -t tmpfs -o size=256k tmpfs "$T/small" 2>/dev/null || skip "cannot mount a small tmpfs"
	printf 'previous recording\n' >"$T/small/r.json"
	local before
	before=$(sha256sum "$T/small/r.json")
	# fill the file system to the last block
	dd if=/dev/zero of="$T/small/fill" bs=4k 2>/dev/null || true
	local rc=0
	mkdir "$T/rescue"
	TMPDIR="$T/rescue" "$SP" record -o "$T/small/r.json" -- "$HELPERS/fault_many" 3 2 >/dev/null 2>"$T/err" || rc=$?
	[ $rc -ne 0 ] || fail "record succeeded on a full disk"
	assert_contains "$T/err" "No space left on device"
	# the recording itself is saved elsewhere (t_output.sh tests more)
	assert_contains "$T/err" "the recording was saved to '$T/rescue/"
	[ "$(sha256sum "$T/small/r.json")" = "$before" ] || fail "the previous file was changed"
	[ "$(ls -A "$T/small" | sort | tr '\n' ' ')" = "fill r.json " ] || fail "files left behind: $(ls -A "$T/small")"
	# with room again the same command works and replaces the file
	rm "$T/small/fill"
	"$SP" record -o "$T/small/r.json" -- "$HELPERS/fault_many" 3 2 >/dev/null
	assert_syscall "$T/small/r.json" x86_64 getppid
}
tcase "faults: disk full while writing: fails, the previous file is kept" t_disk_full
