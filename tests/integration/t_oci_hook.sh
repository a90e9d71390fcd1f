#!/usr/bin/env bash
# `oci-hook`: a container recorded from the inside by real Podman with its
# default runtime (crun on Debian 12) and with runc, through the hooks.d
# file `make install` installs; the generated profile then starts the same
# container under both runtimes, and refuses what the recording never saw.
#
# Podman runs with its storage under $T (--root/--runroot), our hooks.d
# directory, no network and no events, on a busybox-static root file system
# (--rootfs), so nothing of the machine's own containers is touched.  Each
# podman runs in a private mount namespace where the cgroup2 "unified"
# mount of this machine's hybrid cgroup layout is unmounted: crun takes
# that mount for a cgroup2-only system and fails to create its cgroup.
. "$(dirname "$0")/lib.sh"

# The recorded script: files, a pipe, a child, the working directory.  (A
# function: test cases see the file's functions, not its variables.)
hook_script() { printf '%s' 'echo hello >/tmp/f; cat /tmp/f | wc -c; ls / >/dev/null; pwd; sleep 0'; }

hook_setup() {
	[ "$(id -u)" -eq 0 ] || skip "the hook needs root: it ptraces the runtime's init process"
	command -v podman >/dev/null || skip "podman is not installed (make deps)"
	local bb; bb=$(command -v busybox) || skip "busybox-static is not installed (make deps)"
	! ldd "$bb" >/dev/null 2>&1 || skip "$bb is not statically linked (install busybox-static)"
	mkdir -p "$T/root/bin" "$T/root/tmp" "$T/hooks"
	cp "$bb" "$T/root/bin/busybox"
	for a in sh cat wc ls pwd sleep mkdir echo; do ln -sf busybox "$T/root/bin/$a"; done
	sed "s|@BINDIR@/seccomp-profile|$SP|" "$TESTS_DIR/../scripts/oci-hook.json.in" >"$T/hooks/seccomp-profile.json"
	# Whether this machine can run a container at all (not our business
	# if it cannot: say why).
	if ! pm run --rm --rootfs "$T/root" /bin/busybox true >"$T/probe.log" 2>&1; then
		skip "podman cannot run a container here: $(tail -1 "$T/probe.log")"
	fi
}

# pm ARGS...: podman with this test's storage and hooks (see above).
pm() {
	local sub=$1; shift
	local extra=()
	[ "$sub" = run ] && extra=(--network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
	unshare -m sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' pm \
		podman --root "$T/st" --runroot "$T/rr" --hooks-dir "$T/hooks" --events-backend none \
		"$sub" "${extra[@]}" "$@"
}

# wait_file FILE: the recorder writes after the container is gone, a moment
# after podman returns.
wait_file() {
	local i
	for i in $(seq 300); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "the recorder wrote no '$1' (log: $(cat "$T/hook.log" 2>/dev/null))"
}

# record_in RUNTIME OUT.json REC.json: records SCRIPT inside a container
# (RUNTIME "" = podman's default).
record_in() {
	local rt=()
	[ -z "$1" ] || rt=(--runtime "$1")
	pm run "${rt[@]}" --rm --annotation "io.seccomp-profile.record=of:$2;rec:$3;log:$T/hook.log" \
		--rootfs "$T/root" /bin/busybox sh -c "$(hook_script)" >"$T/rec.out"
	grep -qx 6 "$T/rec.out" || fail "the recorded container printed: $(cat "$T/rec.out")"
	wait_file "$2"
	wait_file "$3"
}

# enforce RUNTIME PROFILE N: N runs in a row must succeed.
enforce() {
	local i
	for i in $(seq "$3"); do
		pm run --runtime "$1" --rm --security-opt "seccomp=$2" --rootfs "$T/root" \
			/bin/busybox sh -c "$(hook_script)" >"$T/run.out" 2>&1 ||
			fail "run $i under $1 with $2 failed: $(tail -3 "$T/run.out")"
		grep -qx 6 "$T/run.out" || fail "run $i under $1: wrong output: $(cat "$T/run.out")"
	done
}

t_hook_default_runtime() {
	hook_setup
	record_in "" "$T/p.json" "$T/r.json"
	local rt
	rt=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["container"]["runtime"])' "$T/r.json")
	[ -n "$rt" ] || fail "meta.container.runtime is empty"
	echo "podman's default runtime: $rt"
	python3 - "$T/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["meta"]
c = m["container"]
assert len(c["id"]) == 64, c
assert c["rootfs"] and c["rootfs"].endswith("/root"), c
assert "init process" in c["observed_from"], c
assert m["command"][:2] == ["/bin/busybox", "sh"], m["command"]
assert "/bin/busybox" in m["executables"], m["executables"]
assert "/" not in m["executables"], m["executables"]  # the runtime's memfd init
names = {s["name"] for s in d["abis"]["x86_64"]}
# the runtime's late set-up and the workload are both there
for n in ("execve", "pipe2", "wait4", "getcwd"):
    assert n in names or (n == "pipe2" and "pipe" in names), (n, sorted(names))
PY
	# The profile starts the container under the default runtime and
	# runc, 10 times each.
	enforce "$rt" "$T/p.json" 10
	enforce runc "$T/p.json" 10
	# What the recording never saw is refused: mkdir.
	if pm run --runtime "$rt" --rm --security-opt "seccomp=$T/p.json" --rootfs "$T/root" \
		/bin/busybox sh -c "$(hook_script); mkdir /tmp/d" >"$T/deny.out" 2>&1; then
		fail "mkdir was not refused: $(cat "$T/deny.out")"
	fi
	assert_contains "$T/deny.out" "Operation not permitted"
}
tcase "oci-hook: podman (default runtime) records a container; its profile passes 10/10 under it and runc, refuses mkdir" t_hook_default_runtime

t_hook_runc() {
	hook_setup
	record_in runc "$T/p.json" "$T/r.json"
	grep -q '"runtime": "runc"' "$T/r.json" || fail "meta.container.runtime is not runc"
	enforce runc "$T/p.json" 10
	if pm run --runtime runc --rm --security-opt "seccomp=$T/p.json" --rootfs "$T/root" \
		/bin/busybox sh -c "$(hook_script); mkdir /tmp/d" >"$T/deny.out" 2>&1; then
		fail "mkdir was not refused under runc"
	fi
	assert_contains "$T/deny.out" "Operation not permitted"
}
tcase "oci-hook: podman --runtime runc records a container; its profile passes 10/10, refuses mkdir" t_hook_runc

# The container recording against a host recording of the same script: the
# container's has the runtime's late set-up, which `generate` would
# otherwise have to take from its runtime list.
t_hook_vs_host() {
	hook_setup
	record_in "" "$T/p.json" "$T/c.json"
	# the same script on the host, its file under $T
	"$SP" record -o "$T/h.json" -- "$T/root/bin/busybox" sh -c "cd /; $(hook_script | sed "s|/tmp/f|$T/f|g")" >/dev/null
	"$SP" diff "$T/h.json" "$T/c.json" >"$T/diff.txt" || true
	cat "$T/diff.txt"
	# setresuid/setgroups or capset: the runtime dropping privileges in
	# the container's init, which no host run makes.
	grep -Eq '^\s+\+ (capset|setresuid|setgroups|pivot_root)' "$T/diff.txt" ||
		fail "the container recording lacks the runtime's late calls"
	# Two container runs merge into one container recording.
	record_in "" "$T/p2.json" "$T/c2.json"
	"$SP" merge -o "$T/m.json" "$T/c.json" "$T/c2.json"
	grep -q '"container"' "$T/m.json" || fail "merge dropped meta.container"
	"$SP" generate -f oci -o "$T/m.oci.json" "$T/m.json"
}
tcase "oci-hook: a container recording against a host one; merge of two container runs" t_hook_vs_host

# if: extends a profile: the second container's profile also allows what
# the first one did.
t_hook_extend() {
	hook_setup
	pm run --rm --annotation "io.seccomp-profile.record=of:$T/a.json;log:$T/hook.log" \
		--rootfs "$T/root" /bin/busybox sh -c 'mkdir /tmp/d' >/dev/null
	wait_file "$T/a.json"
	pm run --rm --annotation "io.seccomp-profile.record=of:$T/b.json;if:$T/a.json;f:oci;log:$T/hook.log" \
		--rootfs "$T/root" /bin/busybox true >/dev/null
	wait_file "$T/b.json"
	grep -q '"linux"\|"defaultAction"' "$T/b.json" || fail "f:oci did not write an OCI profile"
	python3 - "$T/b.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d.get("linux", {}).get("seccomp", d)
names = {n for r in s["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" for n in r["names"]}
assert "mkdir" in names or "mkdirat" in names, sorted(names)
PY
}
tcase "oci-hook: if: extends an earlier container profile (f:oci)" t_hook_extend

# A mistake in the annotation fails the container's start, saying what is
# wrong; the container never runs.
t_hook_bad_annotation() {
	hook_setup
	local bad rt
	# runc shows a failing hook's stderr; crun only its exit code, so the
	# line is also in the log: file.
	for rt in runc crun; do
		for bad in "of:relative.json" "of:$T/x.json;bogus" "of:$T/x.json;f:nope" "rec:$T/nodir/r.json" \
			"of:$T/x.json;if:$T/missing.json" "args"; do
			rm -f "$T/hook.log"
			if pm run --runtime $rt --rm --annotation "io.seccomp-profile.record=$bad;log:$T/hook.log" \
				--rootfs "$T/root" /bin/busybox sh -c 'echo RAN' >"$T/bad.out" 2>&1; then
				fail "$rt: annotation '$bad' did not stop the container"
			fi
			assert_not_contains "$T/bad.out" RAN
			assert_contains "$T/hook.log" "oci-hook: annotation io.seccomp-profile.record="
			[ $rt = crun ] || assert_contains "$T/bad.out" "oci-hook: annotation io.seccomp-profile.record="
		done
	done
	[ ! -e "$T/x.json" ] || fail "a refused annotation wrote a file"
}
tcase "oci-hook: a bad annotation fails the container start with one clear line" t_hook_bad_annotation

# The recorder's own failure never breaks the container: its output
# directory vanishes while the container runs; the container still exits 0,
# the log says why, and no file is left half written.
t_hook_recorder_failure() {
	hook_setup
	mkdir "$T/out" "$T/sync"
	# The container says it runs (the recorder holds it then), waits until
	# the output directory is gone, and ends.
	pm run --rm -v "$T/sync:/sync" --annotation "io.seccomp-profile.record=of:$T/out/p.json;log:$T/hook.log" \
		--rootfs "$T/root" /bin/busybox sh -c \
		'touch /sync/running; while [ ! -e /sync/go ]; do sleep 0.1; done; echo DONE' >"$T/run.out" 2>&1 &
	local pid=$! i
	for i in $(seq 600); do [ -e "$T/sync/running" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	[ -e "$T/sync/running" ] || { kill $pid 2>/dev/null; fail "the container did not start: $(cat "$T/run.out")"; }
	rm -rf "$T/out"
	touch "$T/sync/go"
	wait "$pid" || fail "the container failed: $(cat "$T/run.out")"
	assert_contains "$T/run.out" DONE
	for i in $(seq 300); do grep -q 'oci-hook: container' "$T/hook.log" 2>/dev/null && break; sleep 0.1; done
	assert_contains "$T/hook.log" "oci-hook: container"
	[ ! -e "$T/out" ] || fail "the recorder recreated the output directory"
	# the recording itself was saved elsewhere (the hook's $TMPDIR or /tmp):
	# check it and remove it
	for i in $(seq 100); do grep -q 'the recording was saved to' "$T/hook.log" && break; sleep 0.1; done
	local saved
	saved=$(sed -n "s/.*the recording was saved to '\(.*\)' instead.*/\1/p" "$T/hook.log" | head -1)
	[ -n "$saved" ] && [ -s "$saved" ] || fail "no saved recording: $(cat "$T/hook.log")"
	rm -f "$saved"
}
tcase "oci-hook: a recorder that cannot write does not break the container, and says why" t_hook_recorder_failure

# The state alone (no runtime): unit-level behaviour of the command.
t_hook_state_errors() {
	echo '{"ociVersion":"1.0.2","id":"x","status":"created","bundle":"/nonexistent"}' >"$T/s.json"
	assert_status 2 "$SP" oci-hook <"$T/s.json" 2>"$T/err"
	assert_contains "$T/err" 'no "pid"'
	echo 'not json' | { assert_status 2 "$SP" oci-hook 2>"$T/err"; }
	# Not asked (no annotation): nothing to do, the container starts.
	echo '{"ociVersion":"1.0.2","id":"x","pid":1,"status":"created","bundle":"/nonexistent"}' |
		{ assert_status 0 "$SP" oci-hook; }
	# A stage after the start is refused.
	printf '{"ociVersion":"1.0.2","id":"x","pid":1,"status":"running","bundle":"/x","annotations":{"io.seccomp-profile.record":"of:%s/p.json"}}' "$T" |
		{ assert_status 2 "$SP" oci-hook 2>"$T/err"; }
	assert_contains "$T/err" "must run at prestart or createRuntime"
	# --annotation picks another key.
	printf '{"ociVersion":"1.0.2","id":"x","pid":1,"status":"created","bundle":"/x","annotations":{"k":"of:rel"}}' |
		{ assert_status 2 "$SP" oci-hook --annotation k 2>"$T/err"; }
	assert_contains "$T/err" "must be absolute"
	# --allow-dir confines what annotations may name.
	mkdir -p "$T/ok"
	printf '{"ociVersion":"1.0.2","id":"x","pid":1,"status":"created","bundle":"/x","annotations":{"io.seccomp-profile.record":"of:/etc/passwd"}}' |
		{ assert_status 2 "$SP" oci-hook --allow-dir "$T/ok" 2>"$T/err"; }
	assert_contains "$T/err" "not under an --allow-dir"
	printf '{"ociVersion":"1.0.2","id":"x","pid":1,"status":"created","bundle":"/x","annotations":{"io.seccomp-profile.record":"of:%s/ok/../../p.json"}}' "$T" |
		{ assert_status 2 "$SP" oci-hook --allow-dir "$T/ok" 2>"$T/err"; }
	assert_contains "$T/err" "not under an --allow-dir"
}
tcase "oci-hook: state errors, no annotation, late stage, --annotation" t_hook_state_errors
