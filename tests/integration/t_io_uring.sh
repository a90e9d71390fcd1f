#!/usr/bin/env bash
# io_uring (issue 20): operations submitted through a ring are not system
# calls, so seccomp cannot filter them.  record names the submitted
# opcodes, generate/run/check warn when a profile lets io_uring through,
# and generate --deny-io-uring takes it out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.sh"

# need_io_uring: skip when this kernel has io_uring off (ENOSYS/EPERM).
need_io_uring() {
	local rc=0
	"$HELPERS/uring_victim" nop >probe.out 2>&1 || rc=$?
	[ $rc != 3 ] || skip "io_uring is not available here: $(cat probe.out)"
	[ $rc = 0 ] || fail "uring_victim nop exited $rc: $(cat probe.out)"
}
uring() { meta "$1" "m[\"io_uring\"]$2"; }

t_record_opcodes() {
	need_io_uring
	local mode
	for mode in "" --no-seccomp; do
		"$SP" record $mode -o nop.json -- "$HELPERS/uring_victim" nop >/dev/null
		[ "$(uring nop.json '["opcodes"]')" = "['NOP']" ] || fail "$mode nop: $(uring nop.json '')"
		[ "$(uring nop.json '["opcodes_complete"]')" = True ] || fail "$mode nop: incomplete"
		[ "$(uring nop.json '["sqpoll"]')" = False ] || fail "$mode nop: sqpoll"
		"$SP" record $mode -o two.json -- "$HELPERS/uring_victim" two "$T/d$mode" >/dev/null
		[ "$(uring two.json '["opcodes"]')" = "['MKDIRAT', 'NOP']" ] || fail "$mode two: $(uring two.json '')"
	done
	# SQPOLL: a kernel thread submits, unseen: the list says it is incomplete
	if "$HELPERS/uring_victim" sqpoll >sq.out 2>&1; then
		"$SP" record -o sq.json -- "$HELPERS/uring_victim" sqpoll >/dev/null
		[ "$(uring sq.json '["sqpoll"]')" = True ] || fail "sqpoll: $(uring sq.json '')"
		[ "$(uring sq.json '["opcodes_complete"]')" = False ] || fail "sqpoll: complete"
		"$SP" generate -o sq.prof sq.json 2>sq.err
		assert_contains sq.err "an SQPOLL ring submits without io_uring_enter"
	else
		echo "SQPOLL rings are refused here: $(cat sq.out)" >&2
	fi
	# a run without io_uring says so with null
	"$SP" record -o true.json -- /bin/true
	[ "$(meta true.json 'm.get("io_uring")')" = None ] || fail "io_uring without io_uring: $(meta true.json 'm.get("io_uring")')"
	# merge: the union of the opcodes
	"$SP" record -o sock.json -- "$HELPERS/uring_victim" socket >/dev/null
	"$SP" merge -o m.json nop.json sock.json true.json
	[ "$(uring m.json '["opcodes"]')" = "['NOP', 'SOCKET']" ] || fail "merge: $(uring m.json '')"
	"$SP" summary m.json >/dev/null
}
tcase "io_uring: record names the submitted opcodes (both paths), merge unions them" t_record_opcodes

t_warnings() {
	need_io_uring
	"$SP" record -o nop.json -- "$HELPERS/uring_victim" nop >/dev/null
	"$SP" generate -o p.json nop.json 2>gen.err
	assert_contains gen.err "warning: the profile allows io_uring_setup, io_uring_enter: seccomp cannot filter"
	assert_contains gen.err "io_uring opcodes seen while recording: NOP"
	assert_contains gen.err "generate --deny-io-uring"
	# the profile indeed lets the ring do what its syscall list does not
	# have: mkdirat and socket are not in it, yet both succeed
	python3 - p.json <<-'PY'
	import json, sys
	names = {n for s in json.load(open(sys.argv[1]))["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"]}
	assert "io_uring_enter" in names and "mkdirat" not in names and "mkdir" not in names and "socket" not in names, names
	PY
	"$SP" run --profile p.json -- "$HELPERS/uring_victim" mkdir "$T/made" >run.out 2>run.err
	assert_contains run.err "warning: 'p.json' allows io_uring_setup, io_uring_enter"
	assert_contains run.err "not restricted by it"
	[ -d "$T/made" ] || fail "the ring's mkdirat did not run: $(cat run.out)"
	"$SP" check --profile p.json -- "$HELPERS/uring_victim" socket >check.out 2>check.err
	assert_contains check.err "warning: 'p.json' allows io_uring_setup, io_uring_enter"
	assert_contains check.err "check can neither see nor report"
	# a recording as the profile: its opcodes are named too
	"$SP" check --profile nop.json -- "$HELPERS/uring_victim" nop >/dev/null 2>check2.err
	assert_contains check2.err "io_uring opcodes seen while recording: NOP"
	# a profile without io_uring: no warning
	"$SP" record -o true.json -- /bin/true
	"$SP" generate -o t.json true.json 2>t.err
	assert_not_contains t.err io_uring
	"$SP" run --profile t.json -- /bin/true 2>t.err
	assert_not_contains t.err io_uring
	# a policy file that allows io_uring by its default action
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["io_uring_setup"], "action": "SCMP_ACT_ERRNO"}]}\n' >allow.json
	"$SP" generate -f oci -o o.json allow.json 2>o.err
	assert_contains o.err "allows io_uring_enter, io_uring_register:"
	"$SP" check --profile allow.json -- /bin/true 2>c.err
	assert_contains c.err "'allow.json' allows io_uring_enter, io_uring_register:"
	# -q silences warnings
	"$SP" -q generate -o q.json nop.json 2>q.err
	[ ! -s q.err ] || fail "-q: $(cat q.err)"
}
tcase "io_uring: generate, run and check warn when a profile allows it" t_warnings

t_deny() {
	need_io_uring
	"$SP" record -o nop.json -- "$HELPERS/uring_victim" nop >/dev/null
	"$SP" generate --deny-io-uring -o d.json nop.json 2>gen.err
	assert_not_contains gen.err "allows io_uring"
	assert_contains gen.err "the recorded program used io_uring (opcodes NOP): with --deny-io-uring"
	python3 - d.json <<-'PY'
	import json, sys
	p = json.load(open(sys.argv[1]))
	rules = [s for s in p["syscalls"] if set(s["names"]) & {"io_uring_setup", "io_uring_enter", "io_uring_register"}]
	assert len(rules) == 1, rules
	assert {"io_uring_enter", "io_uring_register", "io_uring_setup"} <= set(rules[0]["names"]), rules
	assert rules[0]["action"] == "SCMP_ACT_ERRNO" and rules[0]["errnoRet"] == 38, rules
	PY
	# enforced: the ring cannot even be set up, nothing is created
	local rc=0
	"$SP" run --profile d.json -- "$HELPERS/uring_victim" mkdir "$T/made" >run.out 2>run.err || rc=$?
	[ $rc = 3 ] || fail "exit $rc under the deny profile: $(cat run.out run.err)"
	assert_contains run.out "io_uring_setup: Function not implemented"
	assert_not_contains run.err io_uring
	[ ! -e "$T/made" ] || fail "the directory was created"
	# check applies the ERRNO rule like run (an explicit rule, not a
	# violation) and has nothing to warn about
	"$SP" check --profile d.json -- "$HELPERS/uring_victim" nop >chk.out 2>chk.err
	assert_contains chk.out "io_uring_setup: Function not implemented"
	assert_not_contains chk.err "allows io_uring"
	# the same for policy inputs and every format
	printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >allow.json
	"$SP" generate --deny-io-uring -f oci -o a.json allow.json 2>a.err
	assert_not_contains a.err "allows io_uring"
	assert_contains a.json '"io_uring_setup"'
	"$SP" generate --deny-io-uring -f bpf -o a.bpf nop.json
	# go-seccomp-bpf has no ENOSYS: a clear refusal, nothing written
	assert_status 2 "$SP" generate --deny-io-uring -f yaml -o a.yaml nop.json
	[ ! -e a.yaml ] || fail "a.yaml written"
}
tcase "io_uring: generate --deny-io-uring answers it with ENOSYS, enforced by run" t_deny
