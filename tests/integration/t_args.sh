#!/usr/bin/env bash
# Argument rules end to end: record a victim that uses several socket
# families, clone/unshare flags and ioctls, generate with --args, enforce the
# profile: the recorded behaviour runs exactly as unconfined, one more
# family / clone flag / unshare flag / ioctl request fails with EPERM.
. "$(dirname "$0")/lib.sh"


# The recording, the docker profile generated from it and the unconfined
# output of the base run.
prepare() {
	"$SP" record -o rec.json -- "$HELPERS/args_victim" base >rec.out
	"$SP" generate --args -f docker -o prof.json rec.json 2>gen.err
	"$HELPERS/args_victim" base >free.out
	cmp rec.out free.out || fail "the victim behaves differently under record"
}

t_args_recorded() {
	"$SP" record -o rec.json -- "$HELPERS/args_victim" base >/dev/null
	python3 - rec.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {e["name"]: e for e in d["abis"]["x86_64"] if e.get("name")}
vals = lambda n, i: {int(v, 16) for v in s[n]["args"][str(i)]["values"]}
assert {1, 2, 16} <= vals("socket", 0), vals("socket", 0)       # AF_UNIX, AF_INET, AF_NETLINK
assert 10 not in vals("socket", 0)                               # no AF_INET6 in the base run
assert {1, 2, 3} <= vals("socket", 1), vals("socket", 1)         # types without NONBLOCK/CLOEXEC
assert 0x541b in vals("ioctl", 1) and 0x5401 in vals("ioctl", 1), vals("ioctl", 1)
assert 0x04000000 in vals("unshare", 0), vals("unshare", 0)      # CLONE_NEWUTS
assert (1, 2) == (min(vals("setsockopt", 1)), min(vals("setsockopt", 2)))  # SOL_SOCKET, SO_REUSEADDR
flags = vals("clone", 0) | vals("clone3", 0) if "clone3" in s else vals("clone", 0)
assert all(f & 0xff == 0 for f in vals("clone", 0))              # exit signal dropped
assert all(f & 0x7e020000 == 0 for f in flags), flags            # no namespaces from clone
PY
}
tcase "record keeps socket, ioctl, clone, unshare, setsockopt argument values" t_args_recorded

t_args_docker_profile() {
	prepare
	python3 - prof.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
rules = p["syscalls"]
def entries(n): return [r for r in rules if n in r["names"]]
for n in ("socket", "ioctl", "clone", "unshare"):
    es = entries(n)
    assert es and all(r.get("args") for r in es if r["action"] == "SCMP_ACT_ALLOW"), (n, es)
for r in rules:
    idx = [a["index"] for a in r.get("args", [])]
    assert len(idx) == len(set(idx)), r                           # never one index twice
    for a in r.get("args", []):
        assert a["op"] == "SCMP_CMP_MASKED_EQ", a
socket_domains = {a["valueTwo"] for r in entries("socket") for a in r["args"] if a["index"] == 0}
assert socket_domains == {1, 2, 16}, socket_domains
c3 = entries("clone3")
assert c3 and all(r["action"] == "SCMP_ACT_ERRNO" and r.get("errnoRet") == 38 for r in c3), c3
PY
}
tcase "generate --args: docker args with MASKED_EQ, one index per entry, clone3 ENOSYS" t_args_docker_profile

# run_under PROFILE MODE: the victim's output under the profile.
run_under() { "$SP" run --profile "$1" -- "$HELPERS/args_victim" "$2"; }

t_args_enforced_base() {
	prepare
	run_under prof.json base >conf.out || fail "victim failed under its own profile"
	diff free.out conf.out || fail "recorded behaviour changed under the profile"
}
tcase "enforced: the recorded behaviour runs as unconfined" t_args_enforced_base

# One variant: unconfined it must succeed (else the machine cannot tell a
# seccomp EPERM from its own refusal), confined it must get EPERM.
variant() {
	local mode=$1 line=$2
	prepare
	"$HELPERS/args_victim" "$mode" >free2.out
	grep -qxF "$line: ok" free2.out || skip "'$line' fails here even unconfined: $(grep -F "$line" free2.out)"
	run_under prof.json "$mode" >conf2.out || true
	assert_contains conf2.out "$line: EPERM"
	head -n "$(wc -l <free.out)" conf2.out | diff free.out - || fail "base part changed"
}
t_args_extra_family() { variant extra-family "socket AF_INET6"; }
tcase "enforced: one more socket family fails with EPERM" t_args_extra_family
t_args_extra_ioctl() { variant extra-ioctl "ioctl FIONBIO"; }
tcase "enforced: one more ioctl request fails with EPERM" t_args_extra_ioctl
t_args_extra_clone() { variant extra-clone "clone CLONE_NEWUTS"; }
tcase "enforced: clone with a namespace flag fails with EPERM" t_args_extra_clone
t_args_extra_unshare() { variant extra-unshare "unshare CLONE_NEWNET"; }
tcase "enforced: one more unshare flag fails with EPERM" t_args_extra_unshare

t_args_other_formats() {
	prepare
	"$HELPERS/args_victim" extra-ioctl >free2.out
	for f in oci k8s yaml; do
		"$SP" generate --args -f "$f" -o "prof.$f" rec.json 2>"gen.$f"
		"$SP" run --profile "prof.$f" -- "$HELPERS/args_victim" base >"conf.$f" ||
			fail "$f: victim failed under its own profile"
		diff free.out "conf.$f" || fail "$f: recorded behaviour changed"
		"$SP" run --profile "prof.$f" -- "$HELPERS/args_victim" extra-ioctl >"conf2.$f" || true
		case $f in
		yaml) # ioctl's 32-bit equalities are widened to the name (with a note)
			assert_contains "gen.$f" "allowed by name only"
			assert_contains "prof.$f" "ioctl  # argument conditions not expressible"
			diff free2.out "conf2.$f" || fail "yaml: widened ioctl still denied" ;;
		*)	assert_contains "conf2.$f" "ioctl FIONBIO: EPERM" ;;
		esac
	done
}
tcase "enforced through oci and k8s profiles too; yaml widens with a note" t_args_other_formats

t_args_check() {
	prepare
	"$SP" check --profile prof.json -- "$HELPERS/args_victim" base >c1.out 2>&1 ||
		{ cat c1.out >&2; fail "check: the recorded behaviour left its own profile"; }
	local rc=0
	"$SP" check --profile prof.json -- "$HELPERS/args_victim" extra-ioctl >c2.out 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || { cat c2.out >&2; fail "check exited $rc, expected 1 (violation)"; }
	grep -E '^ +x86_64 +ioctl ' c2.out >/dev/null || { cat c2.out >&2; fail "check does not name ioctl"; }
}
tcase "check: a call outside the argument rules is a violation" t_args_check

t_args_names_only_default() {
	"$SP" record -o rec.json -- "$HELPERS/args_victim" base >/dev/null
	"$SP" generate -f docker -o plain.json rec.json
	python3 - plain.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert not any(r.get("args") for r in p["syscalls"]), "argument rules without --args"
PY
}
tcase "without --args: names only" t_args_names_only_default

t_args_m32_socketcall() {
	need_i386 args_victim
	"$SP" record -o rec.json -- "$HELPERS/args_victim-m32" base >rec.out
	python3 - rec.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {e["name"]: e for e in d["abis"]["i386"] if e.get("name")}
vals = lambda n, i: {int(v, 16) for v in s[n]["args"][str(i)]["values"]}
if "socketcall" not in s:
    sys.exit(0)  # this libc makes direct socket calls
assert {1, 8, 14} <= vals("socketcall", 0), vals("socketcall", 0)   # SOCKET, SOCKETPAIR, SETSOCKOPT
assert {1, 2, 16} <= vals("socket", 0), vals("socket", 0)           # decoded from memory
assert vals("setsockopt", 1) == {1} and vals("setsockopt", 2) == {2}
PY
	"$SP" generate --args -f docker -o prof.json rec.json 2>gen.err
	if grep -q '"socketcall"' prof.json; then
		assert_contains gen.err "socketcall"
	fi
	"$HELPERS/args_victim-m32" base >free.out
	"$SP" run --profile prof.json -- "$HELPERS/args_victim-m32" base >conf.out
	diff free.out conf.out || fail "i386 behaviour changed under the profile"
	"$HELPERS/args_victim-m32" extra-ioctl | grep -qxF "ioctl FIONBIO: ok" || skip "FIONBIO fails unconfined"
	"$SP" run --profile prof.json -- "$HELPERS/args_victim-m32" extra-ioctl >conf2.out || true
	assert_contains conf2.out "ioctl FIONBIO: EPERM"
}
tcase "i386: socketcall decoded, enforced by call number" t_args_m32_socketcall
