#!/usr/bin/env bash
# `run`: profiles of every readable format are enforced, modes change the
# default action, profile errors stop everything before the command runs,
# and the command's own status comes back.
. "$(dirname "$0")/lib.sh"

# deny_getppid FORMAT ACTION FILE: a deny-list profile (default allow) whose
# only rule gives getppid ACTION, in FORMAT.
deny_getppid() {
	case $1 in
	oci) printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "%s"%s}]}\n' \
		"$2" "$( [ "$2" = SCMP_ACT_ERRNO ] && echo ', "errnoRet": 13')" >"$3" ;;
	docker) printf '{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],\n "syscalls": [{"name": "getppid", "action": "%s", "comment": "test"}]}\n' "$2" >"$3" ;;
	yaml) printf 'seccomp:\n  default_action: allow\n  syscalls:\n    - action: %s\n      names: [getppid]\n' "$2" >"$3" ;;
	k8s) printf 'apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nmetadata: {name: t}\nspec:\n  defaultAction: SCMP_ACT_ALLOW\n  syscalls:\n  - action: %s\n    names: [getppid]\n' "$2" >"$3" ;;
	esac
}

t_run_formats() {
	for f in oci docker k8s; do
		deny_getppid $f SCMP_ACT_ERRNO "$T/p.$f"
		"$SP" run --profile "$T/p.$f" -- "$HELPERS/rc_victim" >out 2>err && fail "$f: victim was not denied"
		assert_contains out "getppid:"
	done
	deny_getppid oci SCMP_ACT_ERRNO "$T/p.oci"
	assert_status 3 "$SP" run --profile "$T/p.oci" -- "$HELPERS/rc_victim"
	"$SP" run --profile "$T/p.oci" -- "$HELPERS/rc_victim" >out || true
	assert_contains out "getppid: Permission denied" # errnoRet 13
	deny_getppid yaml errno "$T/p.yml"
	assert_status 3 "$SP" run --profile "$T/p.yml" -- "$HELPERS/rc_victim"
	"$SP" run --profile "$T/p.yml" -- "$HELPERS/rc_victim" >out || true
	assert_contains out "getppid: Operation not permitted" # go-seccomp-bpf errno is EPERM
	# the filter holds in every thread
	"$SP" run --profile "$T/p.yml" -- "$HELPERS/rc_victim" threads >out || true
	[ "$(grep -c 'getppid: Operation not permitted' out)" -eq 2 ] || fail "thread not filtered: $(cat out)"
}
tcase "run enforces oci, docker, k8s and yaml profiles (errno, all threads)" t_run_formats

t_run_kill_rule() {
	deny_getppid oci SCMP_ACT_KILL_PROCESS "$T/p.json"
	assert_status 159 bash -c '"$0" run --profile "$1" -- "$2"; exit $?' "$SP" "$T/p.json" "$HELPERS/rc_victim"
}
tcase "run: a KILL_PROCESS rule kills with SIGSYS" t_run_kill_rule

t_run_modes() {
	strace_allow_list getppid "$T/p.json" "$HELPERS/rc_victim"
	"$SP" run --profile "$T/p.json" -- "$HELPERS/rc_victim" >out || true
	assert_contains out "getppid: Operation not permitted"
	assert_status 3 "$SP" run --profile "$T/p.json" -- "$HELPERS/rc_victim"
	# log: calls outside the profile succeed
	assert_status 0 "$SP" run --mode log --profile "$T/p.json" -- "$HELPERS/rc_victim"
	# kill: they kill the process (SIGSYS: 128+31 as a shell reports it)
	assert_status 159 bash -c '"$0" run --mode kill --profile "$1" -- "$2"; exit $?' "$SP" "$T/p.json" "$HELPERS/rc_victim"
	# the full allow-list (getppid included) runs clean in kill mode
	strace_allow_list nothing "$T/full.json" "$HELPERS/rc_victim"
	assert_status 0 "$SP" run --mode kill --profile "$T/full.json" -- "$HELPERS/rc_victim"
}
tcase "run --mode enforce|log|kill on an allow-list" t_run_modes

t_run_status_and_nnp() {
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >p.json
	assert_status 7 "$SP" run --profile p.json -- sh -c 'exit 7'
	"$SP" run --profile p.json -- grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status >st
	assert_contains st "NoNewPrivs:	1"
	assert_contains st "Seccomp:	2"
	assert_status 127 "$SP" run --profile p.json -- no-such-command-xyz
	"$SP" run --profile p.json -- no-such-command-xyz 2>err || true
	assert_contains err "no-such-command-xyz: command not found"
	printf 'x' >notexec
	assert_status 126 "$SP" run --profile p.json -- ./notexec
	assert_status 126 "$SP" run --profile p.json -- /
}
tcase "run: exit status, no_new_privs, 126/127 like a shell" t_run_status_and_nnp

t_run_profile_errors() {
	# every failure: exit 2, a message naming file and location, command never runs
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "raed"], "action": "SCMP_ACT_ALLOW"}]}\n' >bad.json
	assert_status 2 "$SP" run --profile bad.json -- touch ran
	"$SP" run --profile bad.json -- touch ran 2>err || true
	assert_contains err 'seccomp-profile: bad.json: $.syscalls[0].names: [1]: unknown syscall "raed"'
	printf 'seccomp:\n  default_action: errno\n  syscalls:\n  - action: allow\n    names: [read]\n  - action: alow\n    names: [write]\n' >bad.yml
	"$SP" run --profile bad.yml -- touch ran 2>err && fail "bad yaml accepted"
	assert_contains err 'bad.yml:6:13: $.seccomp.syscalls[1]: "action": unknown action "alow"'
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}\n' >noexec.json
	assert_status 2 "$SP" run --profile noexec.json -- touch ran
	"$SP" run --profile noexec.json -- touch ran 2>err || true
	assert_contains err "does not allow execve"
	printf 'hello: [\n' >junk
	"$SP" run --profile junk -- touch ran 2>err && fail "junk accepted"
	assert_contains err "junk:"
	assert_status 2 "$SP" run --profile missing.json -- touch ran
	[ ! -e ran ] || fail "the command ran despite a bad profile"
}
tcase "run: profile errors name file and location, nothing runs" t_run_profile_errors

# A recording cut short (Ctrl-C) lacks what came after: whoever turns it
# into a policy or enforces it hears so, once, with the file and the reason;
# the exit status is what it would be.
t_run_incomplete_recording() {
	"$SP" record -q -o full.json -- /bin/true
	python3 -c '
import json
d = json.load(open("full.json"))
d["meta"]["complete"] = False
d["meta"]["incomplete_reason"] = "interrupted by SIGINT; workload killed"
json.dump(d, open("cut.json", "w"))'
	local want="'cut.json' is an incomplete recording (meta.incomplete_reason: interrupted by SIGINT; workload killed)"
	assert_status 0 "$SP" generate -o p.json cut.json
	"$SP" generate -o p.json cut.json 2>err
	[ "$(grep -cF "$want" err)" = 1 ] || fail "generate: $(cat err)"
	assert_status 0 "$SP" run -p cut.json -- /bin/true
	"$SP" run -p cut.json -- /bin/true 2>err
	[ "$(grep -cF "$want" err)" = 1 ] || fail "run: $(cat err)"
	assert_status 0 "$SP" check -p cut.json -- /bin/true
	"$SP" check -p cut.json -- /bin/true 2>err >/dev/null
	[ "$(grep -cF "$want" err)" = 1 ] || fail "check: $(cat err)"
	# A complete recording, and -f recording (no policy), say nothing of it.
	local cmd
	for cmd in "generate -o p.json full.json" "generate -f recording -o r.json cut.json" \
		"run -p full.json -- /bin/true" "check -p full.json -- /bin/true"; do
		# shellcheck disable=SC2086
		"$SP" $cmd >/dev/null 2>err
		assert_not_contains err "incomplete"
	done
}
tcase "generate, run and check warn about a recording marked incomplete" t_run_incomplete_recording

t_run_usage() {
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >p.json
	assert_status 2 "$SP" run -- true
	assert_status 2 "$SP" run --profile p.json
	assert_status 2 "$SP" run --profile p.json --mode loud -- true
	assert_status 2 "$SP" run --profile p.json --cap CAP_NOPE -- true
	assert_status 0 "$SP" run --profile p.json --cap sys_admin --cap CAP_NET_RAW -- true
}
tcase "run: usage errors exit 2" t_run_usage

t_run_caps() {
	cat >p.json <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [],
 "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_ADMIN"]}}]}
EOF
	assert_status 3 "$SP" run --profile p.json -- "$HELPERS/rc_victim"
	assert_status 0 "$SP" run --cap CAP_SYS_ADMIN --profile p.json -- "$HELPERS/rc_victim"
}
tcase "run --cap decides Docker includes/excludes" t_run_caps

t_run_skip_unknown() {
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid", "no_such_call_xyz"], "action": "SCMP_ACT_ERRNO"}]}\n' >p.json
	assert_status 2 "$SP" run --profile p.json -- "$HELPERS/rc_victim"
	"$SP" run --skip-unknown --profile p.json -- "$HELPERS/rc_victim" >out 2>err && fail "getppid was not denied"
	assert_contains out "getppid: Operation not permitted"
	assert_contains err 'skipping unknown syscall "no_such_call_xyz"'
	# an explicit errno rule is part of the profile: check passes it
	"$SP" check --skip-unknown --profile p.json -o r.txt -- "$HELPERS/rc_victim" >/dev/null 2>err
	assert_contains r.txt "stayed inside"
	assert_contains err 'skipping unknown syscall "no_such_call_xyz"'
	assert_status 2 "$SP" check --profile p.json -- "$HELPERS/rc_victim"
}
tcase "run/check --skip-unknown: unknown names are skipped with a warning, the rest enforced" t_run_skip_unknown

t_run_rule_order() {
	# libseccomp 2.5.4 loops forever on this rule pair for x86_64 and
	# aarch64 when it is added in the order the reader sorts it
	# (tests/fuzz/libseccomp-hang.txt, finding 1); generator/compile.c adds
	# the rules of one call in an order it handles
	cat >hang.json <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
 "syscalls": [
  {"names": ["execve"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_NE"}, {"index": 4, "value": 5, "op": "SCMP_CMP_NE"}]},
  {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_NE"}, {"index": 3, "value": 4294967296, "op": "SCMP_CMP_NE"}]}]}
JSON
	local st=0
	SECCOMP_PROFILE_COMPILE_TIMEOUT=5 "$SP" check --profile hang.json -- /bin/true >out 2>err || st=$?
	# /bin/true needs more than execve and read: violations (1), not a refusal (2)
	[ $st -eq 1 ] || fail "check exited $st: $(cat err)"
	assert_contains out "violations"
	assert_not_contains err "compile:"
	assert_not_contains err "compiled this profile wrongly"
}
tcase "run/check: rule sets libseccomp 2.5.4 looped on are added in an order it handles" t_run_rule_order

t_run_rule_order_exists() {
	# Podman's default profile's socket rules: in the loop-safe order
	# libseccomp 2.5.4 refuses one of them on i386 as "File exists" and
	# would drop it; generator/compile.c compiles that ABI again in the
	# profile's own order, and the program is still verified
	cat >sock.json <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 "syscalls": [
  {"names": ["execve"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22, "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 9, "op": "SCMP_CMP_EQ"}]},
  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 9, "op": "SCMP_CMP_NE"}]},
  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_NE"}]}]}
JSON
	local st=0
	"$SP" -vv check --profile sock.json -- /bin/true >out 2>err || st=$?
	[ $st -eq 1 ] || fail "check exited $st: $(cat err)"
	assert_contains err "i386: libseccomp refused a rule for 'socket' as existing in the loop-safe order"
	assert_not_contains err "compiled this profile wrongly"
	assert_not_contains err "File exists"
}
tcase "run/check: a rule libseccomp refuses as existing in the loop-safe order is compiled in the profile's" t_run_rule_order_exists

t_run_compile_guard() {
	need_cmd pgrep
	# A libseccomp that never returns (build/helpers/stall_libseccomp.so
	# stands in for 2.5.4 on the rule sets it looped on): the compile runs
	# in a worker that is stopped after SECCOMP_PROFILE_COMPILE_TIMEOUT
	# seconds.  (A sanitized binary must not insist on its runtime first.)
	local stall=$HELPERS/stall_libseccomp.so
	[ -f "$stall" ] || fail "$stall is missing: run 'make helpers'"
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	cat >p.json <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{"names": ["execve", "read"], "action": "SCMP_ACT_ALLOW"}]}
JSON
	local sub t0 t1
	for sub in run check; do
		t0=$(date +%s)
		SECCOMP_PROFILE_COMPILE_TIMEOUT=1 LD_PRELOAD=$stall "$SP" $sub --profile p.json -- touch ran 2>err &&
			fail "$sub: hanging profile accepted"
		t1=$(date +%s)
		assert_contains err "seccomp-profile: p.json: compile: libseccomp did not finish within 1000 ms and was stopped"
		[ $((t1 - t0)) -le 5 ] || fail "$sub took $((t1 - t0)) s with a 1 s limit"
	done
	[ ! -e ran ] || fail "the command ran"
	# the worker was killed and reaped: no seccomp-profile process is left
	# whose parent is this test shell
	! pgrep -P $$ -x seccomp-profile >/dev/null || fail "a compiler process was left behind"
	# killing the caller takes the compiler with it (no orphan left looping)
	SECCOMP_PROFILE_COMPILE_TIMEOUT=60 LD_PRELOAD=$stall "$SP" run --profile p.json -- touch ran 2>/dev/null &
	local parent=$! child="" i
	spawned $parent
	for i in $(seq 1 50); do
		child=$(pgrep -P "$parent" || true)
		[ -z "$child" ] || break
		sleep 0.1
	done
	[ -n "$child" ] || fail "no compiler process under run"
	kill -9 "$parent"
	wait "$parent" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$child" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$child" 2>/dev/null || fail "the compiler $child outlived run"
	SECCOMP_PROFILE_COMPILE_TIMEOUT=soon "$SP" run --profile p.json -- touch ran 2>err && fail "bad timeout accepted"
	assert_contains err "SECCOMP_PROFILE_COMPILE_TIMEOUT: 'soon' is not a number of seconds from 1 to 3600"
	assert_status 2 env SECCOMP_PROFILE_COMPILE_TIMEOUT=0 "$SP" run --profile p.json -- touch ran
	# with the real libseccomp the same profile compiles at once
	local st=0
	SECCOMP_PROFILE_COMPILE_TIMEOUT=1 "$SP" check --profile p.json -- /bin/true >out 2>err || st=$?
	# /bin/true needs more than execve and read: violations (1), not a refusal (2)
	[ $st -eq 1 ] || fail "p.json: check exited $st: $(cat err)"
	assert_contains out "violations"
	assert_not_contains err "compile:"
}
tcase "run/check: libseccomp runs in a worker with a time limit" t_run_compile_guard

t_run_cross_check_fallback() {
	# more conditional rules for one call than our emitter takes (64): the
	# filter is still checked structurally, and a warning says so
	python3 - <<'PY'
import json
rules = [{"names": ["execve", "exit_group"], "action": "SCMP_ACT_ALLOW"}]
rules += [{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW",
           "args": [{"index": 1, "value": i, "op": "SCMP_CMP_EQ"}]} for i in range(70)]
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": rules},
          open("many.json", "w"))
PY
	"$SP" check --profile many.json -- /bin/true >/dev/null 2>err || true
	assert_contains err "cannot compile the profile a second time (syscall 'ioctl': more than 64 conditional rules); libseccomp's filter gets the structural check only"
	assert_not_contains err "compiled this profile wrongly"
}
tcase "run/check: a profile our emitter cannot take still gets the structural check" t_run_cross_check_fallback
