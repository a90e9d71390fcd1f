#!/usr/bin/env bash
# Container runtimes as users run them: a busybox workload is recorded on
# the host, profiles are generated with the defaults (no --runtime), and
# the workload runs under them with the real runtimes: podman with its
# default runtime (crun on Debian 12) and with --runtime runc, crun `run`
# and `create`+`start`, runc `run`, each with noNewPrivileges false (the
# default of Docker, Podman and Kubernetes) and true; bwrap --unshare-pid
# with the bpf format.  Each configuration runs the workload $SP_RT_RUNS
# times in a row (default 10: a profile must start the container every
# time, not most times) and must refuse one call the workload never made
# (mkdir: EPERM).
#
# What this machine needs is done here: crun 1.8 cannot handle the cgroup2
# "unified" mount of hybrid hosts, so crun (and podman running it) runs in
# a private mount namespace with that mount detached; podman gets its own
# storage, run and tmp directories under $T, no network, no events log,
# cgroupfs, and the ulimits it cannot take from this machine.  A case skips
# only when the runtime cannot start a container without any profile here,
# and says why.  Every container is deleted on every exit path.
. "$(dirname "$0")/lib.sh"

# rt_need CMD...: skip unless every CMD is installed.
rt_need() {
	local c
	for c; do command -v "$c" >/dev/null || skip "'$c' is not installed (make deps installs it)"; done
}

# rt_env: root, a static busybox rootfs in $T/rootfs, the workload
# recorded on the host (rec.json), and the default profiles.
rt_env() {
	# The workload: only busybox applets, run through `busybox NAME`, so
	# the host (where it is recorded) and the container run the same code.
	W='busybox echo start; busybox ls / >/dev/null; busybox cat /etc/passwd >/dev/null; busybox echo done'
	# The call it never makes: mkdir, refused with EPERM under the profile.
	NEG='busybox mkdir /refused && echo created'
	[ "$(id -u)" = 0 ] || skip "the runtimes' root mode needs root"
	rt_need busybox
	local bb
	bb=$(command -v busybox)
	rt_need readelf
	! readelf -l "$bb" | grep -q INTERP || skip "busybox is not static (make deps installs busybox-static)"
	mkdir -p rootfs/bin rootfs/proc rootfs/dev rootfs/sys rootfs/tmp rootfs/etc
	cp "$bb" rootfs/bin/busybox
	ln -s busybox rootfs/bin/sh
	printf 'root:x:0:0:root:/:/bin/sh\n' >rootfs/etc/passwd
	printf 'root:x:0:\n' >rootfs/etc/group
	"$SP" -q record -o rec.json -- "$T/rootfs/bin/busybox" sh -c "$W" >rec.out ||
		fail "recording the workload failed"
	assert_contains rec.out done
	assert_no_syscall rec.json x86_64 mkdir
	assert_no_syscall rec.json x86_64 mkdirat
	# the defaults: no --runtime
	"$SP" -q generate -f docker -o prof.docker.json rec.json
	"$SP" -q generate -f oci -o prof.oci.json rec.json
	"$SP" -q generate -f bpf -o prof.bpf rec.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >allow.json
}
rt_runs() { echo "${SP_RT_RUNS:-10}"; }

# bundle PROFILE NNP ARGS...: bundle/config.json running ARGS under PROFILE
# (an OCI linux.seccomp object) with noNewPrivileges NNP (true|false).
bundle() {
	local prof=$1 nnp=$2
	shift 2
	mkdir -p bundle
	[ -s bundle/spec.json ] || { (cd bundle && runc spec >/dev/null 2>&1 && mv config.json spec.json) ||
		python3 - bundle/spec.json <<'PY'
import json, sys
# runc spec's defaults, for a machine with crun only
json.dump({"ociVersion": "1.0.2", "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": ["sh"],
    "env": ["PATH=/bin"], "capabilities": {k: ["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"]
    for k in ("bounding", "effective", "permitted", "ambient")}}, "root": {"path": "rootfs"},
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
               {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]}],
    "linux": {"namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]}}, open(sys.argv[1], "w"))
PY
	}
	python3 - bundle/spec.json bundle/config.json "$prof" "$nnp" "$T/rootfs" "$@" <<'PY'
import json, sys
spec, out, prof, nnp, rootfs, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
c = json.load(open(spec))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["process"]["noNewPrivileges"] = nnp == "true"
c["root"] = {"path": rootfs, "readonly": False}
c["linux"]["seccomp"] = json.load(open(prof))
json.dump(c, open(out, "w"))
PY
}

# oci_rt RUNTIME HOW ID: runs the bundle with runc or crun, HOW = run or
# create (create + start, then waits for the container to stop and prints
# what it wrote).  The container is deleted afterwards, whatever happened.
# crun runs in a private mount namespace without the cgroup2 "unified"
# mount and without a cgroup manager (crun 1.8 and hybrid hosts).
oci_rt() {
	local rt=$1 how=$2 id=$3 rc=0 hide=''
	local cmd=(runc --root "$T/state")
	if [ "$rt" = crun ]; then
		hide='umount -l /sys/fs/cgroup/unified 2>/dev/null;'
		cmd=(crun --root "$T/state" --cgroup-manager=disabled)
	fi
	if [ "$how" = run ]; then
		timeout 60 unshare -m sh -c "$hide"' exec "$@"' rt "${cmd[@]}" run --bundle "$T/bundle" "$id" || rc=$?
	else
		# create + start in one namespace: the container's output goes
		# to a file, start returns at once, state says when it stopped.
		ID=$id timeout 60 unshare -m sh -c "$hide"'
			"$@" create --bundle "$B" "$ID" >"$OUT" 2>&1 && "$@" start "$ID" || exit 1
			i=0; until "$@" state "$ID" | grep -q "\"status\": \"stopped\""; do
				i=$((i + 1)); [ $i -lt 400 ] || { echo "container did not stop" >&2; exit 1; }; sleep 0.05; done
			cat "$OUT"' rt "${cmd[@]}" || rc=$?
	fi
	unshare -m sh -c "$hide"' exec "$@"' rt "${cmd[@]}" delete --force "$id" >/dev/null 2>&1 || true
	return $rc
}

# oci_check RUNTIME HOW NNP: the workload passes $(rt_runs) times in a row
# under the default oci profile, and mkdir is refused.
oci_check() {
	local rt=$1 how=$2 nnp=$3 i
	export B="$T/bundle" OUT="$T/create.out"
	bundle prof.oci.json "$nnp" /bin/sh -c "$W"
	for i in $(seq "$(rt_runs)"); do
		oci_rt "$rt" "$how" "sp-rt-$$-$rt-$how-$nnp-$i" >out 2>err ||
			{ cat err >&2; fail "$rt $how, noNewPrivileges $nnp: run $i of $(rt_runs) failed"; }
		assert_contains out done
	done
	bundle prof.oci.json "$nnp" /bin/sh -c "$NEG"
	# (create+start cannot report the container's exit status: the
	# output says what happened)
	oci_rt "$rt" "$how" "sp-rt-$$-$rt-$how-$nnp-neg" >out 2>err || true
	cat out err >both
	assert_contains both "Operation not permitted"
	assert_not_contains both created
	[ ! -e rootfs/refused ] || fail "$rt $how: /refused was created"
	echo "$rt $how noNewPrivileges=$nnp: $(rt_runs)/$(rt_runs), mkdir refused"
}

# oci_cleanup RUNTIME: deletes every container left in $T/state.
oci_cleanup() {
	local hide='' id
	[ "$1" != crun ] || hide='umount -l /sys/fs/cgroup/unified 2>/dev/null;'
	for id in $("$1" --root "$T/state" list -q 2>/dev/null); do
		unshare -m sh -c "$hide"' exec "$@"' rt "$1" --root "$T/state" delete --force "$id" >/dev/null 2>&1 || true
	done
}

# oci_can RUNTIME: skips unless RUNTIME starts a container here at all
# (no seccomp profile), naming the runtime's error.  Whatever happens
# later, no container of the case outlives it.
oci_can() {
	rt_need "$1" unshare
	trap "oci_cleanup $1" EXIT
	export B="$T/bundle" OUT="$T/create.out"
	bundle allow.json false /bin/sh -c 'busybox mkdir /tmp/probe && busybox echo up'
	oci_rt "$1" run "sp-rt-$$-$1-probe" >out 2>err || skip "$1 cannot run a container on this machine: $(tail -1 err)"
	assert_contains out up
	rm -rf rootfs/tmp/probe
}

t_runc() {
	rt_env
	oci_can runc
	oci_check runc run false
	oci_check runc run true
}
tcase "runc run: the default oci profile starts the workload (noNewPrivileges false and true), refuses mkdir" t_runc

t_crun() {
	rt_env
	oci_can crun
	oci_check crun run false
	oci_check crun run true
	oci_check crun create false
	oci_check crun create true
}
SP_TCASE_TIMEOUT=${SP_TCASE_TIMEOUT:-300} tcase "crun run and create+start: the default oci profile starts the workload (noNewPrivileges false and true)" t_crun

# podman ARGS...: podman with everything it keeps under $T (storage, run
# and tmp directories), in a private mount namespace without the cgroup2
# "unified" mount (for crun; harmless for runc), so that what it mounts
# goes away with it.
podman_() {
	timeout 90 unshare -m sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' podman \
		podman --root "$T/pod/root" --runroot "$T/pod/run" --tmpdir "$T/pod/tmp" --storage-driver vfs \
		--events-backend none --cgroup-manager cgroupfs "$@"
}
pod_cleanup() {
	podman_ rm --all --force >/dev/null 2>&1 || true
}
# pod_run NAME PODMAN-RUN-OPTIONS... -- ARGS...: podman run --rootfs.
pod_run() {
	local name=$1
	shift
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	podman_ run --rm --name "$name" --network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
		"${opts[@]}" --rootfs "$T/rootfs" "$@"
}

# pod_check LABEL PODMAN-RUN-OPTIONS...: $(rt_runs) runs of the workload
# under the default docker profile, then mkdir refused.
pod_check() {
	local label=$1 i
	shift
	for i in $(seq "$(rt_runs)"); do
		pod_run "sp-rt-$$-$i" --security-opt seccomp="$T/prof.docker.json" "$@" -- /bin/sh -c "$W" >out 2>err ||
			{ cat err >&2; fail "podman $label: run $i of $(rt_runs) failed"; }
		assert_contains out done
	done
	! pod_run "sp-rt-$$-neg" --security-opt seccomp="$T/prof.docker.json" "$@" -- /bin/sh -c "$NEG" >out 2>err ||
		fail "podman $label: mkdir was not refused"
	cat out err >both
	assert_contains both "Operation not permitted"
	assert_not_contains both created
	echo "podman $label: $(rt_runs)/$(rt_runs), mkdir refused"
}

# pod_can [OPTIONS...]: skips unless podman starts a container here at
# all (no seccomp profile), naming podman's error.
pod_can() {
	rt_need podman unshare
	mkdir -p pod
	trap pod_cleanup EXIT
	pod_run "sp-rt-$$-probe" --security-opt seccomp=unconfined "$@" -- /bin/sh -c 'busybox echo up' >out 2>err ||
		skip "podman cannot run a container on this machine: $(grep -v '^time=' err | tail -1)"
	assert_contains out up
}

t_podman_default() {
	rt_env
	pod_can
	# which runtime podman picks by default (crun on Debian 12)
	podman_ info --format '{{.Host.OCIRuntime.Name}}' >rt.name 2>/dev/null || true
	echo "podman's default runtime: $(cat rt.name)"
	pod_check "(default runtime $(cat rt.name)), noNewPrivileges false"
	pod_check "(default runtime $(cat rt.name)), noNewPrivileges true" --security-opt no-new-privileges
}
SP_TCASE_TIMEOUT=${SP_TCASE_TIMEOUT:-300} tcase "podman run --rootfs, its default runtime: the default docker profile starts the workload, refuses mkdir" t_podman_default

t_podman_runc() {
	rt_env
	rt_need runc
	pod_can --runtime runc
	pod_check "--runtime runc, noNewPrivileges false" --runtime runc
	pod_check "--runtime runc, noNewPrivileges true" --runtime runc --security-opt no-new-privileges
}
SP_TCASE_TIMEOUT=${SP_TCASE_TIMEOUT:-300} tcase "podman run --runtime runc: the default docker profile starts the workload, refuses mkdir" t_podman_runc

t_bwrap_unshare() {
	rt_env
	rt_need bwrap
	local b=(bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --unshare-pid)
	"${b[@]}" -- busybox sh -c 'busybox mkdir /tmp/probe && busybox echo up' >out 2>err ||
		skip "bwrap --unshare-pid cannot run here: $(tail -1 err)"
	local i
	for i in $(seq "$(rt_runs)"); do
		"${b[@]}" --seccomp 9 -- busybox sh -c "$W" 9<prof.bpf >out 2>err ||
			{ cat err >&2; fail "bwrap --unshare-pid: run $i of $(rt_runs) failed"; }
		assert_contains out done
	done
	! "${b[@]}" --seccomp 9 -- busybox sh -c 'busybox mkdir /tmp/refused && echo created' 9<prof.bpf >out 2>err ||
		fail "bwrap: mkdir was not refused"
	cat out err >both
	assert_contains both "Operation not permitted"
	# --unshare-all as well (every namespace bwrap knows)
	"${b[@]}" --unshare-all --seccomp 9 -- busybox sh -c "$W" 9<prof.bpf >out 2>err ||
		{ cat err >&2; fail "bwrap --unshare-all failed"; }
	assert_contains out done
	# bwrap's own calls are needed: a workload that starts no process
	# (no wait4 of its own) runs with the default program, and without
	# bwrap's calls (--runtime none) its PID-1 reaper cannot wait for it
	"$SP" -q record -o true.json -- busybox true
	"$SP" -q generate -f bpf -o true.bpf true.json
	"$SP" -q generate -f bpf --runtime none -o true-none.bpf true.json
	"${b[@]}" --seccomp 9 -- busybox true 9<true.bpf 2>err || { cat err >&2; fail "bwrap: busybox true failed"; }
	# (its "init wait(): Operation not permitted" is not even printed:
	# write is denied too)
	! "${b[@]}" --seccomp 9 -- busybox true 9<true-none.bpf 2>err || fail "bwrap ran without its own calls"
}
tcase "bwrap --unshare-pid: the default bpf program runs the workload, refuses mkdir" t_bwrap_unshare

t_measure_check() {
	# The runtimes installed here make no call under the filter that
	# generator/runtime.measured (and so generator/runtime.c) lacks: one
	# run of every configuration (scripts/measure-runtime; 10 runs each
	# made the committed file).
	[ "$(id -u)" = 0 ] || skip "measuring needs root (audit records, runtimes as root)"
	rt_need busybox scmp_sys_resolver
	local rc=0
	"$TESTS_DIR/../scripts/measure-runtime" --runs 1 --sp "$SP" \
		--check "$TESTS_DIR/../generator/runtime.measured" >out 2>err || rc=$?
	cat out
	[ "$rc" -ne 77 ] || skip "$(tail -1 err)"
	[ "$rc" -eq 0 ] || { cat err >&2; fail "scripts/measure-runtime --check failed (exit $rc)"; }
	grep -q ': [0-9]* calls$' err || fail "nothing was measured"
}
SP_TCASE_TIMEOUT=${SP_TCASE_TIMEOUT:-300} tcase "measure-runtime --check: the installed runtimes make no call generator/runtime.measured lacks" t_measure_check
