#!/usr/bin/env bash
# generate: golden files for every writer, determinism, errors, and the
# real consumers of the outputs: the C header compiled and loaded, the
# oci/docker profile under runc, the raw BPF under bwrap --seccomp, the
# YAML parsed back and checked against go-seccomp-bpf's schema.
. "$(dirname "$0")/lib.sh"

# mkrec FILE NAME...: a hand-written x86_64 recording that called each NAME.
mkrec() {
	python3 - "$@" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
rec = {"schema": "seccomp-profile/recording", "version": 1,
       "meta": {"command": ["victim"], "runs": 1},
       "abis": {"x86_64": [{"name": n, "calls": 1} for n in sorted(set(names))]}}
json.dump(rec, open(out, "w"))
PY
}
# strace_rec FILE CMD...: a recording of CMD's syscalls made with strace
# (until `record` exists; the names are strace's, which are libseccomp's
# for x86_64, and generate validates every one).
strace_rec() {
	local out=$1; shift
	command -v strace >/dev/null || skip "strace not installed"
	strace -f -qq -o "$T/strace.out" -- "$@" >/dev/null
	python3 - "$out" "$T/strace.out" <<'PY'
import json, re, sys
names = set()
for line in open(sys.argv[2]):
    m = re.match(r"^(?:\d+\s+)?([a-z_0-9]+)\(", line)
    if m:
        names.add(m.group(1))
rec = {"schema": "seccomp-profile/recording", "version": 1, "meta": {"command": ["workload"], "runs": 1},
       "abis": {"x86_64": [{"name": n, "calls": 1} for n in sorted(names)]}}
json.dump(rec, open(sys.argv[1], "w"))
PY
}

t_golden() {
	"$TESTS_DIR/golden/run" "$SP"
}
tcase "generate: every writer matches its golden file byte for byte" t_golden

t_golden_catches() {
	# the checker must notice a changed byte
	cp -r "$TESTS_DIR/golden" "$T/g"
	sed -i 's/"read"/"reed"/' "$T/g/ls.oci.json"
	! "$T/g/run" "$SP" 2>err || fail "a changed golden file was not noticed"
	assert_contains err "ls.oci.json differs"
}
tcase "generate: the golden check notices a difference" t_golden_catches

t_deterministic() {
	local g=$TESTS_DIR/golden
	for f in docker oci yaml c bpf systemd k8s; do
		"$SP" -q generate -f $f -o a.$f "$g/legacy.recording.json" "$g/ls.recording.json"
		"$SP" -q generate -f $f -o b.$f "$g/ls.recording.json" "$g/legacy.recording.json"
		cmp a.$f b.$f || fail "$f: input order changed the output"
		# with provenance comments (which name the first input's
		# executable), the same inputs give the same bytes
		"$SP" -q generate -f $f --explain -o c.$f "$g/legacy.recording.json" "$g/ls.recording.json"
		"$SP" -q generate -f $f --explain -o d.$f "$g/legacy.recording.json" "$g/ls.recording.json"
		cmp c.$f d.$f || fail "$f --explain: not deterministic"
	done
}
tcase "generate: output does not depend on input order" t_deterministic

t_errors() {
	local g=$TESTS_DIR/golden
	echo '{"schema": "seccomp-profile/recording", "version": 1, "abis": {"x86_64": [{"name": "bogus_call"}]}}' >bad.json
	echo keep >out.json
	assert_status 2 "$SP" generate -o out.json bad.json 2>err
	assert_contains err "bogus_call"
	assert_contains err "x86_64"
	[ "$(cat out.json)" = keep ] || fail "output damaged by a failed generate"
	assert_status 2 "$SP" generate -f nope "$g/ls.recording.json" 2>err
	assert_contains err "nope"
	assert_status 2 "$SP" generate --arch vax "$g/ls.recording.json" 2>err
	assert_status 2 "$SP" generate --runtime podman "$g/ls.recording.json" 2>err
	assert_contains err "'podman'"
	assert_contains err "any, runc, crun, bwrap, none"
	# --runtime is never ignored: a recording output cannot carry it
	assert_status 2 "$SP" generate -f recording --runtime crun "$g/ls.recording.json" 2>err
	assert_contains err "--runtime"
	assert_status 2 "$SP" generate --default-action explode "$g/ls.recording.json" 2>err
	# go-seccomp-bpf and SPO cannot express another default errno
	assert_status 2 "$SP" generate -f yaml --default-action errno:EACCES "$g/ls.recording.json" 2>err
	assert_contains err "EPERM"
	assert_status 2 "$SP" generate -f k8s --default-action errno:EACCES "$g/ls.recording.json" 2>err
	assert_status 2 "$SP" generate missing.json 2>err
	assert_contains err missing.json
	# a syscall number libseccomp cannot name: a warning naming it
	echo '{"schema": "seccomp-profile/recording", "version": 1, "abis": {"x86_64": [{"name": null, "nr": 999}, {"name": "read"}]}}' >unk.json
	"$SP" generate -o unk.out unk.json 2>err
	assert_contains err "999"
	assert_contains unk.out '"read"'
}
tcase "generate: bad input, unknown names and inexpressible policies fail cleanly" t_errors

t_formats_listed() {
	"$SP" formats >list
	for f in recording docker oci yaml c bpf systemd k8s; do
		grep -q "^$f " list || fail "formats does not list $f"
	done
}
tcase "formats lists every writer" t_formats_listed

t_yaml_schema() {
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
	local g=$TESTS_DIR/golden
	"$SP" -q generate -f yaml --explain -o out.yml "$g/legacy.recording.json" "$g/ls.recording.json"
	python3 - out.yml <<'PY'
import sys, yaml
# go-seccomp-bpf (filter.go, constants.go): Policy{default_action, syscalls[]},
# group{action, names, names_with_args[{name, arguments[{argument, operation, value}]}]}
ACTIONS = {"kill_thread", "kill_process", "trap", "errno", "trace", "log", "allow"}
OPS = {"equal", "notequal", "greaterthan", "lessthan", "greaterorequal", "lessorequal", "bitsset", "bitsnotset"}
d = yaml.safe_load(open(sys.argv[1]))
assert set(d) == {"seccomp"}, d.keys()
p = d["seccomp"]
assert set(p) <= {"enabled", "default_action", "syscalls"}, p.keys()
assert p["default_action"] in ACTIONS
assert p["syscalls"], "syscalls must not be empty"
assert p["syscalls"][0]["action"] == "allow", "allow group first (go-seccomp-bpf 1.4-1.5 bug)"
seen = set()
for g in p["syscalls"]:
    assert set(g) <= {"action", "names", "names_with_args"}, g.keys()
    assert g["action"] in ACTIONS, g["action"]
    names = g.get("names") or []
    assert len(names) == len(set(names)), "duplicate name in a group"
    assert all(isinstance(n, str) and n.replace("_", "").isalnum() for n in names)
    for c in g.get("names_with_args") or []:
        assert set(c) == {"name", "arguments"} and c["name"] not in names
        for a in c["arguments"]:
            assert set(a) == {"argument", "operation", "value"} and 0 <= a["argument"] <= 5
            assert a["operation"].lower() in OPS and isinstance(a["value"], int)
    seen |= set(names)
# one ABI (x86_64): no i386-only names
for n in ("read", "openat", "exit_group", "rt_sigreturn"):
    assert n in seen, n
for n in ("mmap2", "_llseek", "socketcall", "sigreturn"):
    assert n not in seen, n
PY
}
tcase "yaml: parses back and follows go-seccomp-bpf's schema" t_yaml_schema

t_c_header() {
	command -v cc >/dev/null || skip "no C compiler"
	local g=$TESTS_DIR/golden
	mkrec victim.json write getppid
	"$SP" generate -f c -o filter.h victim.json
	for std in -std=c99 -std=c11; do
		cc $std -Wall -Wextra -Werror -pedantic -include filter.h "$TESTS_DIR/integration/data/c_victim.c" -o victim
	done
	if command -v clang >/dev/null; then
		clang -std=c99 -Wall -Wextra -Werror -pedantic -include filter.h \
			"$TESTS_DIR/integration/data/c_victim.c" -o victim-clang
	fi
	./victim "$T/dir" >out
	assert_contains out "installed"
	assert_contains out "getppid ok"
	assert_contains out "mkdir r=-1 errno=1" # EPERM: not in the policy
	[ ! -d "$T/dir" ] || fail "mkdir was not blocked"
	# with mkdir (and its *at form) listed, it works
	mkrec victim2.json write getppid mkdir mkdirat
	"$SP" generate -f c -o filter.h victim2.json
	cc -std=c99 -Wall -Wextra -Werror -pedantic -include filter.h "$TESTS_DIR/integration/data/c_victim.c" -o victim
	./victim "$T/dir" >out
	assert_contains out "mkdir r=0 errno=0"
	# a build for an ABI the header does not cover stops at #error
	"$SP" generate -f c --arch aarch64 -o arm.h victim.json
	grep -q '#elif defined(__aarch64__)$' arm.h || fail "no aarch64 block in a multi-ABI header"
	sed 's/__x86_64__/__no_such_arch__/g' filter.h >noarch.h
	! cc -std=c99 -include noarch.h -x c /dev/null -c -o /dev/null 2>err || fail "#error missing"
	assert_contains err "no filter for the architecture"
}
tcase "c: the header compiles (-std=c99 -pedantic -Werror), loads, allows listed and denies others" t_c_header

t_c_header_i386() {
	need_i386
	# a 32-bit build gets the i386 program of a header that has one (the
	# kernel's <asm/...> for -m32 from where the Makefile links them for
	# the -m32 victims: Debian's /usr/include/asm may be missing)
	python3 - <<'PY'
import json
json.dump({"schema": "seccomp-profile/recording", "version": 1,
           "abis": {"x86_64": [{"name": "write"}, {"name": "getppid"}],
                    "i386": [{"name": "write"}, {"name": "getppid"}]}}, open("both.json", "w"))
PY
	"$SP" generate -f c -o both.h both.json
	cc -m32 -idirafter "$HELPERS/m32-include" -std=c99 -Wall -Wextra -Werror -pedantic -include both.h \
		"$TESTS_DIR/integration/data/c_victim.c" -o victim32
	./victim32 "$T/dir32" >out
	assert_contains out "installed"
	assert_contains out "getppid ok"
	assert_contains out "mkdir r=-1 errno=1"
	[ ! -d "$T/dir32" ] || fail "mkdir was not blocked for the 32-bit build"
}
tcase "c: a 32-bit build of a two-ABI header loads the i386 program" t_c_header_i386

t_bwrap() {
	command -v bwrap >/dev/null || skip "bubblewrap not installed"
	local bb
	bb=$(command -v busybox) || skip "busybox not installed"
	bwrap --ro-bind / / true 2>/dev/null || skip "bwrap cannot run here"
	strace_rec rec.json "$bb" sh -c 'cat /etc/hostname; echo hi'
	"$SP" generate -f bpf -o sh.bpf rec.json
	[ $(($(stat -c %s sh.bpf) % 8)) -eq 0 ] || fail "bpf size is not a multiple of 8"
	bwrap --ro-bind / / --seccomp 9 -- "$bb" sh -c 'cat /etc/hostname; echo hi' 9<sh.bpf >out
	assert_contains out hi
	# mkdir is not in that profile: EPERM under bwrap
	bwrap --ro-bind / / --tmpfs /tmp --seccomp 9 -- "$bb" sh -c 'mkdir /tmp/x; echo rc=$?' 9<sh.bpf >out 2>err
	assert_contains out "rc=1"
	assert_contains err "Operation not permitted"
}
tcase "bpf: the raw program is enforced by bwrap --seccomp" t_bwrap

# runc_env: a busybox rootfs and a config.json whose process runs ARGS.
runc_env() {
	command -v runc >/dev/null || skip "runc not installed"
	local bb
	bb=$(command -v busybox) || skip "busybox-static not installed"
	file -L "$bb" 2>/dev/null | grep -q 'statically linked' || ldd "$bb" 2>&1 | grep -q 'not a dynamic' ||
		skip "busybox is not static"
	[ "$(id -u)" = 0 ] || skip "runc needs root here"
	mkdir -p bundle/rootfs/bin bundle/rootfs/proc bundle/rootfs/dev bundle/rootfs/sys bundle/rootfs/tmp
	cp "$bb" bundle/rootfs/bin/busybox
	for a in sh mkdir ls cat; do ln -sf busybox bundle/rootfs/bin/$a; done
	(cd bundle && runc spec) || skip "runc spec failed"
}
# runc_run PROFILE ARGS...: runs ARGS in the container under PROFILE (an OCI
# linux.seccomp object); prints the workload's output.  RUNTIME=crun runs
# it with crun instead (in a private mount namespace without the cgroup2
# "unified" mount of hybrid hosts, which crun 1.8 cannot handle).
runc_run() {
	local prof=$1; shift
	local id="sp-gen-$$-$RANDOM"
	python3 - bundle/config.json "$prof" "$@" <<'PY'
import json, sys
cfg, prof, args = sys.argv[1], sys.argv[2], sys.argv[3:]
c = json.load(open(cfg))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
c["linux"]["seccomp"] = json.load(open(prof))
json.dump(c, open(cfg, "w"))
PY
	if [ "${RUNTIME:-runc}" = crun ]; then
		(cd bundle && timeout 60 unshare -m sh -c "umount -l /sys/fs/cgroup/unified 2>/dev/null;
			exec crun --root '$T/cstate' --cgroup-manager=disabled run $id")
	else
		(cd bundle && timeout 60 runc --root "$T/state" run "$id")
	fi
}

t_runc() {
	runc_env
	# Can runc run a container here at all (no seccomp)?
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >allow.json
	runc_run allow.json /bin/sh -c 'echo up' >out 2>err || skip "runc cannot run containers here: $(tail -1 err)"
	assert_contains out up
	# The workload's syscalls, recorded with strace outside the container
	# (the same static busybox), then the profile: default runtime runc.
	local w='mkdir /tmp/d && ls /tmp && echo done'
	strace_rec rec.json bundle/rootfs/bin/busybox sh -c "mkdir $T/d && ls $T && echo done"
	"$SP" generate -f oci -o prof.oci.json rec.json
	runc_run prof.oci.json /bin/sh -c "$w" >out 2>err || { cat err >&2; fail "container did not run under the oci profile"; }
	rm -rf bundle/rootfs/tmp/d
	assert_contains out done
	# docker format: dockerd's conversion (archMap entry of the native arch)
	"$SP" generate -f docker -o prof.docker.json rec.json
	python3 - prof.docker.json conv.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = [e for e in d.pop("archMap") if e["architecture"] == "SCMP_ARCH_X86_64"][0]
d["architectures"] = [m["architecture"]] + (m["subArchitectures"] or [])
json.dump(d, open(sys.argv[2], "w"))
PY
	runc_run conv.json /bin/sh -c "$w" >out 2>err || { cat err >&2; fail "container did not run under the docker profile"; }
	rm -rf bundle/rootfs/tmp/d
	assert_contains out done
	# Enforced: without mkdir in the profile the workload's mkdir fails
	python3 - prof.oci.json nomkdir.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["syscalls"]:
    s["names"] = [n for n in s["names"] if n not in ("mkdir", "mkdirat")]
json.dump(d, open(sys.argv[2], "w"))
PY
	! runc_run nomkdir.json /bin/sh -c "$w" >out 2>err || fail "mkdir worked without being allowed"
	assert_contains err "Operation not permitted"
	# Without runc's own syscalls the container cannot even start: the
	# runtime list is needed (and measured, generator/runtime.c).
	"$SP" generate -f oci --runtime none -o bare.json rec.json
	! runc_run bare.json /bin/sh -c "$w" >out 2>err || fail "container started without runc's syscalls"
	assert_not_contains out done
}
tcase "oci/docker: a generated profile runs a busybox workload under runc, and is enforced" t_runc

t_crun() {
	command -v crun >/dev/null || skip "crun not installed"
	runc_env
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >allow.json
	RUNTIME=crun runc_run allow.json /bin/sh -c 'echo up' >out 2>err ||
		skip "crun cannot run containers here: $(tail -1 err)"
	local w='mkdir /tmp/d && ls /tmp && echo done'
	strace_rec rec.json bundle/rootfs/bin/busybox sh -c "mkdir $T/d && ls $T && echo done"
	"$SP" generate -f oci --runtime crun -o crun.json rec.json
	RUNTIME=crun runc_run crun.json /bin/sh -c "$w" >out 2>err || { cat err >&2; fail "crun did not run the workload"; }
	assert_contains out done
	grep -q '"capset"' crun.json || fail "crun's own syscalls are not in the profile"
	# (crun loads the filter just before execve, and this workload's own
	# calls cover most of what crun makes after that; crun does not fail
	# when capset is denied as root, so there is no negative case here.)
}
tcase "oci: a profile generated with --runtime crun runs the workload under crun" t_crun

t_roundtrip() {
	# Our readers (run/diff/check) read what our writers write: through
	# docker, k8s and oci the policy comes back byte-identical as OCI.
	local g=$TESTS_DIR/golden
	"$SP" -q generate -f oci -o direct.json "$g/ls.recording.json" "$g/legacy.recording.json"
	for f in docker k8s oci; do
		"$SP" -q generate -f $f -o rt.$f "$g/ls.recording.json" "$g/legacy.recording.json"
		"$SP" -q generate -f oci -o back.$f.json rt.$f
		cmp direct.json back.$f.json || fail "$f: the policy changed on the way through the file"
	done
	# yaml holds one ABI and no ENOSYS rule: the names of x86_64 survive
	"$SP" -q generate -f yaml -o rt.yaml "$g/ls.recording.json"
	"$SP" -q generate -f oci -o back.yaml.json rt.yaml
	python3 - rt.yaml back.yaml.json <<'PY'
import json, re, sys
names = set(re.findall(r"^    - ([a-z_0-9]+)", open(sys.argv[1]).read(), re.M))
back = set(n for s in json.load(open(sys.argv[2]))["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"])
assert names == back, (names ^ back)
PY
	# a policy input converts to another format (docker -> c header)
	"$SP" -q generate -f c -o conv.h rt.docker
	grep -q 'openat (257)' conv.h || fail "docker -> c lost openat"
	# and merges with recordings: clone3 allowed by one input wins over ENOSYS
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ALLOW"}]}' >c3.json
	"$SP" -q generate -f oci -o u.json c3.json "$g/ls.recording.json"
	python3 - u.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
acts = {n: s["action"] for s in d["syscalls"] for n in s["names"]}
assert acts["clone3"] == "SCMP_ACT_ALLOW" and acts["read"] == "SCMP_ACT_ALLOW", acts
assert sum(1 for s in d["syscalls"] for n in s["names"] if n == "clone3") == 1
PY
}
tcase "generate: docker/k8s/oci/yaml read back the same; policy inputs convert and merge" t_roundtrip

t_runtime_policy_input() {
	# a policy input is converted as it is, unless --runtime asks for a
	# runtime's calls: then they are added (a denied one with a warning)
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["setresgid"], "action": "SCMP_ACT_KILL"}]}' >in.json
	"$SP" generate -f docker -o plain.json in.json 2>err
	[ ! -s err ] || fail "a plain conversion warned: $(cat err)"
	"$SP" generate -f docker --runtime crun -o crun.json in.json 2>err
	assert_contains err 'denies "setresgid"'
	python3 - plain.json crun.json <<'PY'
import json, sys
def acts(f):
    return {n: s["action"] for s in json.load(open(f))["syscalls"] for n in s["names"]}
plain, crun = acts(sys.argv[1]), acts(sys.argv[2])
assert plain == {"read": "SCMP_ACT_ALLOW", "write": "SCMP_ACT_ALLOW", "setresgid": "SCMP_ACT_KILL_THREAD"}, plain
for n in ("setresuid", "setresgid", "capset", "execve", "read"):
    assert crun.get(n) == "SCMP_ACT_ALLOW", (n, crun)
PY
	# recordings and policies together: the format's default (any) for the
	# recording, nothing added to the policy's own names
	"$SP" generate -f oci -o mixed.json in.json "$TESTS_DIR/golden/ls.recording.json"
	grep -q '"setresuid"' mixed.json || fail "the recording did not get the default runtime's calls"
}
tcase "generate --runtime: applies to policy inputs, plain conversion adds nothing" t_runtime_policy_input

# record_built: record works at all (else the rest says nothing).
record_built() {
	"$SP" record -o "$T/probe.json" -- /bin/true 2>"$T/probe.err" ||
		fail "record -- /bin/true failed: $(cat "$T/probe.err")"
}

t_record_formats() {
	record_built
	# the README's quick start
	"$SP" record -f docker -o ls.json -- ls -l / >/dev/null
	python3 - ls.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["defaultAction"] == "SCMP_ACT_ERRNO" and d["defaultErrnoRet"] == 1
names = {n for s in d["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"]}
for n in ("execve", "openat", "getdents64", "write", "exit_group", "rt_sigreturn", "capset"):
    assert n in names, n
PY
	# every format through record -f
	for f in oci yaml c systemd k8s; do
		"$SP" record -f $f -o out.$f -- /bin/true
		[ -s out.$f ] || fail "record -f $f wrote nothing"
	done
	"$SP" record -f bpf -o out.bpf -- /bin/true
	[ $(($(stat -c %s out.bpf) % 8)) -eq 0 ] || fail "record -f bpf: size"
}
tcase "record -f FORMAT writes the generated policy (README quick start)" t_record_formats

t_record_runc() {
	record_built
	runc_env
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >allow.json
	runc_run allow.json /bin/sh -c 'echo up' >out 2>err || skip "runc cannot run containers here: $(tail -1 err)"
	# record the workload outside the container with the same static
	# busybox, then run it in the container under the recorded profile
	"$SP" record -f oci -o rec.oci.json -- bundle/rootfs/bin/busybox sh -c "mkdir $T/d && ls $T >/dev/null && echo done" >/dev/null
	runc_run rec.oci.json /bin/sh -c 'mkdir /tmp/d && ls /tmp >/dev/null && echo done' >out 2>err ||
		{ cat err >&2; fail "the container did not run under its recorded profile"; }
	assert_contains out done
}
tcase "record -f oci: the recorded profile runs the workload under runc" t_record_runc
