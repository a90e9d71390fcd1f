#!/usr/bin/env bash
# -o onto every kind of name, for every command that writes (issue 20):
# devices, FIFOs and /dev/stdout are written in place and stay what they
# were; regular files are replaced atomically; symlinks are written
# through unless planted in a sticky world-writable directory; directories,
# "" and unwritable places are errors that leave nothing behind; record
# saves its recording elsewhere when the output fails.
#
# Device nodes are only made inside a private mount namespace whose /dev
# and scratch directory are fresh tmpfs mounts (in_ns), so the machine's
# own /dev is never at risk.
. "$(dirname "$0")/lib.sh"

# prepare: a recording and a profile for the commands to write from.
prepare() {
	"$SP" record -o "$T/r.json" -- /bin/true
	"$SP" generate -f oci -o "$T/p.json" "$T/r.json"
}

# in_ns FN: runs FN as root in a new private mount namespace, with a
# tmpfs on $T/ns and another over /dev (null, stdout, stderr, fd made by
# hand there).
in_ns() {
	command -v unshare >/dev/null || skip "no unshare"
	[ "$(id -u)" = 0 ] || skip "needs root (mknod, mounts)"
	unshare -m --propagation private true 2>/dev/null || skip "cannot create a mount namespace"
	mkdir -p "$T/ns"
	local outer
	outer=$(readlink /proc/self/ns/mnt)
	unshare -m --propagation private bash -c "set -e; $(declare -f); $(declare -p SP HELPERS T); OUTER='$outer'; setup_ns; $1"
}

setup_ns() {
	# never mount anything unless this is really another namespace
	[ "$(readlink /proc/self/ns/mnt)" != "$OUTER" ] || fail "not in a private mount namespace"
	mount -t tmpfs -o mode=755 tmpfs "$T/ns"
	mount -t tmpfs -o mode=755 tmpfs /dev
	mknod -m 666 /dev/null c 1 3
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
	ln -s /proc/self/fd /dev/fd
}

# writers: every command that writes a file; write_with CMD OUT runs CMD
# with -o OUT (JSON everywhere: diff, summary and check with --json).
writers() { echo record generate merge diff summary check; }
write_with() {
	local cmd=$1 out=$2 rc=0
	case $cmd in
	record) "$SP" record -o "$out" -- /bin/true || rc=$? ;;
	generate) "$SP" generate -f docker -o "$out" "$T/r.json" || rc=$? ;;
	merge) "$SP" merge -o "$out" "$T/r.json" "$T/r.json" || rc=$? ;;
	diff) "$SP" diff --json -o "$out" "$T/r.json" "$T/r.json" || rc=$? ;;
	summary) "$SP" summary --json -o "$out" "$T/r.json" || rc=$? ;;
	check) "$SP" check --json --profile "$T/p.json" -o "$out" -- /bin/true || rc=$? ;;
	esac
	return $rc
}

sig() { stat -c '%F %t:%T %a %u' "$1"; }
is_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; }

ns_chardev() {
	mknod -m 620 "$T/ns/cdev" c 1 3
	for dev in "$T/ns/cdev" /dev/null; do
		local before
		before=$(sig "$dev")
		for cmd in $(writers); do
			write_with $cmd "$dev" 2>"$T/err" || fail "$cmd -o $dev: exit $?: $(cat "$T/err")"
			[ "$(sig "$dev")" = "$before" ] || fail "$cmd -o $dev: now $(sig "$dev"), was $before"
		done
	done
	[ "$(ls -A "$T/ns")" = cdev ] || fail "files left: $(ls -A "$T/ns")"
}
t_chardev() { prepare; in_ns ns_chardev; }
tcase "output: a character device (c 1 3, and /dev/null) is written in place and stays a device" t_chardev

ns_fifo() {
	mkfifo -m 600 "$T/ns/fifo"
	local before
	before=$(sig "$T/ns/fifo")
	for cmd in $(writers); do
		cat "$T/ns/fifo" >"$T/got" &
		local reader=$!
		local rc=0
		write_with $cmd "$T/ns/fifo" 2>"$T/err" || rc=$?
		# (a FIFO renamed over would leave the reader waiting forever)
		[ "$(sig "$T/ns/fifo")" = "$before" ] || { kill $reader; fail "$cmd: the FIFO is now $(sig "$T/ns/fifo")"; }
		[ $rc = 0 ] || { kill $reader; fail "$cmd -o fifo: exit $rc: $(cat "$T/err")"; }
		wait $reader
		is_json "$T/got" || fail "$cmd: the reader got no JSON: $(head -c 300 "$T/got")"
	done
	# byte for byte what a file gets
	cat "$T/ns/fifo" >"$T/got" &
	"$SP" generate -f docker -o "$T/ns/fifo" "$T/r.json"
	wait $!
	"$SP" generate -f docker -o "$T/file.json" "$T/r.json"
	cmp "$T/got" "$T/file.json" || fail "the FIFO's reader got other bytes than the file"
}
t_fifo() { prepare; in_ns ns_fifo; }
tcase "output: a FIFO is written in place, its reader gets the bytes, it stays a FIFO" t_fifo

ns_stdout() {
	for cmd in $(writers); do
		write_with $cmd /dev/stdout >"$T/got" 2>"$T/err" || fail "$cmd -o /dev/stdout: exit $?: $(cat "$T/err")"
		is_json "$T/got" || fail "$cmd -o /dev/stdout: standard output got no JSON: $(head -c 300 "$T/got")"
	done
	# the other names, once (one code path for every command)
	for name in /proc/self/fd/1 /dev/fd/1 -; do
		write_with generate "$name" >"$T/got" 2>"$T/err" || fail "-o $name: exit $?: $(cat "$T/err")"
		is_json "$T/got" || fail "-o $name: standard output got no JSON: $(head -c 300 "$T/got")"
	done
	write_with merge /dev/stderr 2>"$T/got" >/dev/null
	grep -q '{' "$T/got" || fail "-o /dev/stderr: nothing on standard error"
	# appended where the descriptor stands, not rewritten from 0
	echo first >"$T/app"
	write_with summary /dev/stdout >>"$T/app"
	[ "$(head -1 "$T/app")" = first ] || fail "-o /dev/stdout >>: the start was overwritten"
	[ "$(readlink /dev/stdout)" = /proc/self/fd/1 ] || fail "/dev/stdout is no longer the link: $(sig /dev/stdout)"
	[ "$(readlink /dev/stderr)" = /proc/self/fd/2 ] || fail "/dev/stderr is no longer the link"
	# /dev/stdout means the descriptor even where the link is missing
	rm /dev/stdout
	"$SP" generate -f docker -o /dev/stdout "$T/r.json" >"$T/got"
	is_json "$T/got" || fail "without the /dev/stdout link: nothing on standard output"
	[ ! -e /dev/stdout ] || fail "a file /dev/stdout was created"
}
t_stdout() { prepare; in_ns ns_stdout; }
tcase "output: /dev/stdout, /dev/stderr, /proc/self/fd/1, - write to the descriptors, links stay" t_stdout

ns_symlinks() {
	mkdir "$T/ns/d" "$T/ns/tmp"
	chmod 1777 "$T/ns/tmp"
	ln -s real.json "$T/ns/d/link.json"
	ln -s "$T/ns/cdev" "$T/ns/d/todev"
	mknod -m 666 "$T/ns/cdev" c 1 3
	echo precious >"$T/ns/victim"
	ln -s "$T/ns/victim" "$T/ns/tmp/planted.json"
	chown -h 4321:4321 "$T/ns/tmp/planted.json"
	local before
	before=$(sig "$T/ns/cdev")
	for cmd in $(writers); do
		rm -f "$T/ns/d/real.json"
		write_with $cmd "$T/ns/d/link.json" 2>"$T/err" || fail "$cmd -o link: exit $?: $(cat "$T/err")"
		[ -L "$T/ns/d/link.json" ] || fail "$cmd: the link was replaced"
		is_json "$T/ns/d/real.json" || fail "$cmd: the link's target was not written"
		write_with $cmd "$T/ns/d/todev" 2>"$T/err" || fail "$cmd -o link-to-device: exit $?: $(cat "$T/err")"
		[ -L "$T/ns/d/todev" ] && [ "$(sig "$T/ns/cdev")" = "$before" ] || fail "$cmd: link to a device: changed"
		local rc=0
		write_with $cmd "$T/ns/tmp/planted.json" 2>"$T/err" || rc=$?
		[ $rc = 1 ] || [ $rc = 2 ] || fail "$cmd -o planted link: exit $rc"
		assert_contains "$T/err" "sticky world-writable"
		[ "$(cat "$T/ns/victim")" = precious ] || fail "$cmd: the planted link's target was written"
		[ -L "$T/ns/tmp/planted.json" ] || fail "$cmd: the planted link was replaced"
	done
	ls -A "$T/ns/d" >"$T/left"; echo "link.json real.json todev" | tr " " "\n" | cmp - "$T/left" || fail "files left: $(ls -A "$T/ns/d")"
	[ "$(ls -A "$T/ns/tmp")" = planted.json ] || fail "files left: $(ls -A "$T/ns/tmp")"
}
t_symlinks() { prepare; in_ns ns_symlinks; }
tcase "output: symlinks are written through (target replaced, link kept); planted ones in /tmp-like dirs refused" t_symlinks

ns_errors() {
	mkdir "$T/ns/dir" "$T/ns/ro"
	echo old >"$T/ns/ro/out.json"
	mount -t tmpfs -o mode=755 tmpfs "$T/ns/ro"
	echo old >"$T/ns/ro/out.json"
	mount -o remount,ro "$T/ns/ro"
	for cmd in $(writers); do
		local want=1 rc=0
		# record and check look before the workload runs; diff's 1 means drift
		case $cmd in record|check|diff) want=2 ;; esac
		write_with $cmd "$T/ns/dir" 2>"$T/err" || rc=$?
		[ $rc = $want ] || fail "$cmd -o DIR: exit $rc, expected $want"
		assert_contains "$T/err" "is a directory"
		[ -z "$(ls -A "$T/ns/dir")" ] || fail "$cmd: files left in the directory"
		rc=0
		write_with $cmd "" 2>"$T/err" || rc=$?
		[ $rc = 2 ] || fail "$cmd -o '': exit $rc, expected 2 (usage)"
		assert_contains "$T/err" "empty"
		assert_not_contains "$T/err" "rename"
		rc=0
		write_with $cmd "$T/ns/ro/out.json" 2>"$T/err" || rc=$?
		[ $rc = $want ] || fail "$cmd -o on a read-only file system: exit $rc, expected $want"
		assert_contains "$T/err" "Read-only file system"
		[ "$(cat "$T/ns/ro/out.json")" = old ] || fail "$cmd: the old file changed"
		[ "$(ls -A "$T/ns/ro")" = out.json ] || fail "$cmd: files left: $(ls -A "$T/ns/ro")"
	done
}
t_errors() { prepare; in_ns ns_errors; }
tcase "output: a directory, -o '' and a read-only place are errors that leave nothing behind" t_errors

ns_rescue() {
	mkdir "$T/ns/full" "$T/ns/rescue"
	mount -t tmpfs -o size=64k tmpfs "$T/ns/full"
	echo previous >"$T/ns/full/r.json"
	yes filling >"$T/ns/full/fill" 2>/dev/null || true # (no /dev/zero in this /dev)
	local rc=0
	TMPDIR="$T/ns/rescue" "$SP" record -o "$T/ns/full/r.json" -- /bin/true 2>"$T/err" || rc=$?
	[ $rc = 1 ] || fail "exit $rc, expected 1: $(cat "$T/err")"
	assert_contains "$T/err" "No space left on device"
	assert_contains "$T/err" "the recording was saved to '$T/ns/rescue/seccomp-profile-"
	local saved
	saved=$(ls "$T/ns/rescue"/seccomp-profile-*.recording.json)
	[ "$(stat -c %a "$saved")" = 600 ] || fail "the saved recording is not private: $(stat -c %a "$saved")"
	"$SP" summary "$saved" | grep -q execve || fail "the saved recording lacks execve"
	[ "$(cat "$T/ns/full/r.json")" = previous ] || fail "the previous file changed"
	[ "$(ls -A "$T/ns/full" | tr '\n' ' ')" = "fill r.json " ] || fail "files left: $(ls -A "$T/ns/full")"
	# standard output a pipe whose reader is gone: EPIPE, not death by
	# SIGPIPE (python closes the read end before starting the recorder)
	rc=0
	TMPDIR="$T/ns/rescue" python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w))' "$SP" record -o - -- /bin/true 2>"$T/err" || rc=$?
	[ $rc = 1 ] || fail "closed pipe: exit $rc, expected 1: $(cat "$T/err")"
	assert_contains "$T/err" "Broken pipe"
	assert_contains "$T/err" "the recording was saved to"
	[ "$(ls "$T/ns/rescue" | wc -l)" = 2 ] || fail "second rescue missing: $(ls "$T/ns/rescue")"
}
t_rescue() { prepare; in_ns ns_rescue; }
tcase "output: record saves the recording elsewhere (0600, \$TMPDIR) when the output fails" t_rescue
