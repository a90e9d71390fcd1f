#!/usr/bin/env bash
# `check`: calls outside a profile are reported once per (ABI, syscall,
# executable), nothing is reported for a program inside its profile, --deny
# makes them fail, --stacks says where they came from, and the command's own
# failure is reported apart from the verdict.
. "$(dirname "$0")/lib.sh"

# violations REPORT: "abi:syscall:count:exe-basename" lines, sorted.
violations() {
	python3 - "$1" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
for v in r["violations"]:
    assert v["first_pid"] > 0
    print("%s:%s:%d:%s" % (v["abi"], v["syscall"], v["count"], os.path.basename(v["executable"] or "?")))
PY
}

t_check_inside() {
	strace_allow_list nothing full.json "$HELPERS/rc_victim" threads
	"$SP" check --profile full.json --json -o r.json -- "$HELPERS/rc_victim" threads >out
	assert_contains out "getppid ok"
	[ -z "$(violations r.json)" ] || fail "violations inside the profile: $(violations r.json)"
	python3 -c 'import json,sys; r=json.load(open("r.json")); sys.exit(0 if r["inside"] and r["exit_status"]==0 else 1)' ||
		fail "bad report: $(cat r.json)"
	"$SP" check --profile full.json -- "$HELPERS/rc_victim" >out
	assert_contains out "stayed inside full.json"
}
tcase "check: a program inside its profile: exit 0, nothing reported" t_check_inside

t_check_outside() {
	strace_allow_list getppid p.json "$HELPERS/rc_victim" threads
	assert_status 1 "$SP" check --profile p.json --json -o r.json -- "$HELPERS/rc_victim" threads
	[ "$(violations r.json)" = "x86_64:getppid:2:rc_victim" ] || fail "report: $(violations r.json)"
	# the call was let through
	"$SP" check --profile p.json -- "$HELPERS/rc_victim" >out 2>err || true
	assert_contains out "getppid ok"
	assert_contains out "1 violation (1 call)"
	assert_contains out "getppid"
	assert_contains out "profile: errno:EPERM"
	assert_not_contains err "command exited"
}
tcase "check: a call outside the profile is reported once with its count, and proceeds" t_check_outside

t_check_deny() {
	strace_allow_list getppid p.json "$HELPERS/rc_victim"
	"$SP" check --deny --profile p.json -- "$HELPERS/rc_victim" >out 2>err && fail "exit 0 with a violation"
	assert_contains out "getppid: Operation not permitted" # the profile's errno (defaultErrnoRet 1)
	assert_contains out "each denied"
	assert_contains err "command exited 3"
}
tcase "check --deny: violations fail with the profile's errno; the command's failure is reported apart" t_check_deny

t_check_stacks() {
	"$SP" check --help | grep -q -- --stacks || skip "no --stacks"
	strace_allow_list getppid p.json "$HELPERS/rc_victim"
	"$SP" check --stacks --profile p.json -- "$HELPERS/rc_victim" >out 2>err || true
	grep -q "no call-site capture" err && skip "this build has no call-site capture"
	assert_contains out "call+0x"
	assert_contains out "rc_victim+0x"
	"$SP" check --stacks --json -o r.json --profile p.json -- "$HELPERS/rc_victim" >/dev/null || true
	python3 - <<'PY' || fail "no stack in JSON: $(cat r.json)"
import json
v = json.load(open("r.json"))["violations"][0]
assert any(f["symbol"] == "call" for f in v["stack"]), v
PY
}
tcase "check --stacks shows where the violating call was made" t_check_stacks

t_check_exe_attribution() {
	# the violation is the victim's, not the shell's that started it
	strace_allow_list getppid p.json sh -c "\"$HELPERS/rc_victim\"; \"$HELPERS/rc_victim\""
	assert_status 1 "$SP" check --profile p.json --json -o r.json -- sh -c "\"$HELPERS/rc_victim\"; \"$HELPERS/rc_victim\""
	# (the shell may call getppid itself: that one is the shell's)
	violations r.json >v
	grep -qx "x86_64:getppid:2:rc_victim" v || fail "report: $(cat v)"
	shell=$(basename "$(readlink -f "$(command -v sh)")")
	! grep -v -e "^x86_64:getppid:2:rc_victim$" -e "^x86_64:getppid:[0-9]*:$shell$" v || fail "report: $(cat v)"
}
tcase "check: violations are attributed to the executable that made them" t_check_exe_attribution

t_check_kill_rule_and_status() {
	# a deny-list: only the KILL rule is outside; under check nothing dies
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]}\n' >k.json
	"$SP" check --profile k.json --json -o r.json -- "$HELPERS/rc_victim" exit 5 >out 2>err && fail "exit 0"
	assert_contains out "getppid ok"
	assert_contains err "command exited 5"
	[ "$(violations r.json)" = "x86_64:getppid:1:rc_victim" ] || fail "report: $(violations r.json)"
	assert_contains r.json '"profile_action": "kill-process"'
	# inside the profile but failing: verdict 0, failure reported
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >a.json
	"$SP" check --profile a.json -- "$HELPERS/rc_victim" exit 5 >out 2>err || fail "exit non-zero inside the profile"
	assert_contains err "command exited 5"
}
tcase "check: KILL rules are reported, not enforced; command status apart from the verdict" t_check_kill_rule_and_status

t_check_errors() {
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["raed"], "action": "SCMP_ACT_ALLOW"}]}\n' >bad.json
	assert_status 2 "$SP" check --profile bad.json -- touch ran
	"$SP" check --profile bad.json -- touch ran 2>err || true
	assert_contains err 'bad.json: $.syscalls[0].names: [0]: unknown syscall "raed"'
	[ ! -e ran ] || fail "command ran despite a bad profile"
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >a.json
	assert_status 2 "$SP" check --profile a.json -- no-such-command-xyz
	assert_status 2 "$SP" check -- true
	assert_status 2 "$SP" check --profile a.json
	assert_status 2 "$SP" check --profile a.json --cap NOPE -- true
}
tcase "check: bad profile, missing command and usage errors exit 2" t_check_errors

# syscall(-1) is no system call (ENOSYS without a filter), but seccomp sees
# it and the default action of any profile applies (EPERM here): check says
# so, as a violation of its own, and run shows the difference is real.
nosys_case() {
	local victim=$1 abi=$2
	"$SP" record -q -o rec.json -- "$victim" nosys >/dev/null
	"$SP" generate -o p.json rec.json
	"$victim" nosys >out
	[ "$(cat out)" = "nosys: ENOSYS
nosys: ENOSYS" ] || fail "without a filter: $(cat out)"
	"$SP" run -p p.json -- "$victim" nosys >out
	[ "$(sort -u out)" = "nosys: EPERM" ] || fail "run: $(cat out)"
	assert_status 1 "$SP" check -p p.json --json -o r.json -- "$victim" nosys
	[ "$(violations r.json)" = "$abi:None:2:$(basename "$victim")" ] || fail "report: $(violations r.json)"
	python3 -c 'import json,sys; v=json.load(open("r.json"))["violations"][0]; sys.exit(0 if v["nr"] == -1 and "no profile can name it" in v["note"] else 1)' ||
		fail "json: $(cat r.json)"
	"$SP" check -p p.json -- "$victim" nosys >out 2>err || true
	assert_contains out "(nr -1)"
	assert_contains out "number -1 is no system call: the kernel answers ENOSYS, but seccomp sees it first and the profile's default action (errno:EPERM) applies"
	# --deny gives it the profile's errno, as run does
	"$SP" check --deny -p p.json -- "$victim" nosys >out 2>err || true
	[ "$(grep -c 'nosys: EPERM' out)" = 2 ] || fail "--deny: $(cat out)"
	# A profile whose default is ENOSYS behaves as no filter: nothing to report.
	python3 -c 'import json; d=json.load(open("p.json")); d["defaultErrnoRet"]=38; json.dump(d, open("p38.json","w"))'
	"$SP" check -p p38.json -- "$victim" nosys >out
	assert_contains out "stayed inside p38.json"
}
t_check_no_syscall() { nosys_case "$HELPERS/rec_misc" x86_64; }
tcase "check: syscall(-1) is reported with what the profile makes of it" t_check_no_syscall
t_check_no_syscall_i386() {
	need_i386
	nosys_case "$HELPERS/rec_misc-m32" i386
}
tcase "check: syscall(-1) of an i386 program (0xffffffff) too" t_check_no_syscall_i386

# foreign_abi VICTIM ABI NAME ARGS...: VICTIM's calls are all allowed on
# x86_64 (strace's list; a profile without "architectures" names the
# native ABI only), its NAME call on ABI is not: `run` kills it by the
# bad-arch action, `check` reports it and lets it run to the end.
foreign_abi() {
	local v=$1 abi=$2 name=$3; shift 3
	strace_allow_list nothing p.json "$HELPERS/$v" "$@"
	assert_status 159 bash -c '"$0" run --profile "$1" -- "${@:2}"; exit $?' "$SP" p.json "$HELPERS/$v" "$@"
	assert_status 1 "$SP" check --profile p.json --json -o r.json -- "$HELPERS/$v" "$@"
	violations r.json >v
	grep -q "^$abi:$name:1:${v##*/}$" v || fail "report: $(cat v)"
	! grep -v "^$abi:" v || fail "violations not on $abi: $(cat v)"
	assert_contains r.json "ABI not in the profile"
}
t_check_foreign_abi() {
	# an x32 number from a 64-bit program: x32 is an ABI of its own to
	# seccomp (also where the kernel lacks x32 and fails it with ENOSYS)
	foreign_abi rec_misc x32 getpid x32
}
tcase "check: calls on an ABI the profile does not name are reported, not killed" t_check_foreign_abi
t_check_foreign_abi_i386() {
	need_i386 rc_victim
	# every call of a 32-bit program is i386: the first one is the violation
	# that kills it under run; check reports them all
	foreign_abi rc_victim-m32 i386 getppid
}
tcase "check: i386 calls under a profile that names only x86_64 are reported, not killed" t_check_foreign_abi_i386

t_check_interrupted() {
	need_cmd pgrep
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >a.json
	"$SP" check --profile a.json -- sleep 60 2>err &
	local c=$! rc=0
	spawned $c
	for _ in $(seq 1 200); do pgrep -P $c >/dev/null && break; sleep 0.05; done
	pgrep -P $c >/dev/null || fail "the workload never started"
	kill -TERM $c
	wait $c || rc=$?
	[ $rc -eq 2 ] || fail "interrupted check without violations exited $rc, expected 2"
	assert_contains err "interrupted by signal 15"
}
tcase "check: an interrupted run without violations gives no verdict (exit 2)" t_check_interrupted

t_check_shows_failed_args() {
	# a call the profile allows only for other argument values: the report
	# shows the values that did not match (recorded by the argument table)
	"$SP" record -o rec.json -- "$HELPERS/args_victim" base >/dev/null
	"$SP" generate --args -f docker -o p.json rec.json 2>/dev/null
	local st=0
	"$SP" check --profile p.json -o r.txt -- "$HELPERS/args_victim" extra-family >/dev/null 2>err || st=$?
	[ "$st" -eq 1 ] || fail "check exited $st: $(cat err)"
	grep -Eq '^  x86_64 +socket .*\(profile: errno:EPERM \(conditions did not match: arg0=0xa( |\))' r.txt ||
		fail "socket(AF_INET6) not shown with its family: $(cat r.txt)"
	"$SP" check --json --profile p.json -o r.json -- "$HELPERS/args_victim" extra-family >/dev/null 2>&1 || true
	python3 - r.json <<'PY'
import json, sys
v = [v for v in json.load(open(sys.argv[1]))["violations"] if v["syscall"] == "socket"][0]
assert "arg0=0xa" in v["profile_action"], v
PY
}
tcase "check: a conditional rule's violation shows the argument values" t_check_shows_failed_args
