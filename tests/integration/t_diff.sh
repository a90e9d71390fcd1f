#!/usr/bin/env bash
# diff: added/removed/changed syscalls and ABIs between recordings, risk
# classes, call sites, the three output forms and the --fail-on exit codes.
. "$(dirname "$0")/lib.sh"

# mkrecs: a.json and b.json, hand-written recordings of two runs.
# a -> b: x86_64 adds personality (high, with a call site) and getppid
# (low), removes umask, clone gets a new flags value; ABI i386 added.
mkrecs() {
	python3 - <<'PY'
import json
def rec(ents):
    return {"schema": "seccomp-profile/recording", "version": 1, "meta": {"runs": 1}, "abis": ents}
def e(name, **kw):
    d = {"name": name, "calls": 1, "first": {"pid": 7, "exe": "/opt/app/bin/app"}}
    d.update(kw)
    return d
site = [{"exe": "/opt/app/bin/app", "frames": [
    {"module": "/lib/libc.so.6", "offset": 0x2b0a0, "symbol": "syscall", "sym_off": 0x1d},
    {"module": "/opt/app/bin/app", "offset": 0x11ac, "symbol": "set_exec_domain", "sym_off": 0x5c}]}]
json.dump(rec({"x86_64": [e("read"), e("chdir"), e("umask"),
                          e("clone", args={"0": {"values": ["0x11"]}})]}), open("a.json", "w"))
json.dump(rec({"x86_64": [e("read"), e("chdir"), e("getppid"), e("personality", sites=site),
                          e("clone", args={"0": {"values": ["0x11", "0x3d0f00"]}})],
               "i386": [e("getpid")]}), open("b.json", "w"))
PY
}

t_diff_text() {
	mkrecs
	assert_status 1 "$SP" diff a.json b.json
	"$SP" diff a.json b.json >out || true
	assert_contains out "a.json -> b.json (recordings)"
	assert_contains out "ABIs added: i386"
	grep -Eq '^  \+ personality +high +execution domain' out || fail "personality not high: $(cat out)"
	grep -Eq '^  \+ getppid +low$' out || fail "getppid line: $(cat out)"
	grep -Eq '^  - umask +low$' out || fail "umask line: $(cat out)"
	grep -Eq '^  ~ clone +medium' out || fail "clone line: $(cat out)"
	assert_contains out "after:  arg0: 0x11, 0x3d0f00"
	assert_contains out "at syscall+0x1d (libc.so.6+0x2b0a0) <- set_exec_domain+0x5c (app+0x11ac)"
	assert_contains out "first by /opt/app/bin/app"
	assert_contains out "3 added (1 high, 0 medium, 2 low), 1 removed, 1 changed"
	# exactly the difference: nothing about the common syscalls
	assert_not_contains out " read"
	assert_not_contains out " chdir"
	# no colour when not a terminal, and never with NO_COLOR
	! grep -q $'\033' out || fail "colour in a pipe"
	if command -v script >/dev/null; then
		# (a terminal that can show colour, whatever the caller's is)
		env -u NO_COLOR TERM=xterm script -qec "$SP diff a.json b.json" /dev/null >tty.out || true
		grep -q $'\033\[' tty.out || fail "no colour on a terminal"
		NO_COLOR=1 TERM=xterm script -qec "$SP diff a.json b.json" /dev/null >tty.out || true
		! grep -q $'\033\[' tty.out || fail "colour despite NO_COLOR"
	fi
	"$SP" diff a.json a.json >same
	assert_contains same "no differences"
}
tcase "diff: text lists exactly the difference with risk and call sites" t_diff_text

t_diff_json() {
	mkrecs
	assert_status 1 "$SP" diff --format json a.json b.json
	"$SP" diff --format json a.json b.json >out.json || true
	python3 - <<'PY' || fail "json: $(cat out.json)"
import json
d = json.load(open("out.json"))
names = lambda k: sorted((x["abi"], x["name"]) for x in d[k])
assert names("added") == [("i386", "getpid"), ("x86_64", "getppid"), ("x86_64", "personality")], names("added")
assert names("removed") == [("x86_64", "umask")], names("removed")
assert names("changed") == [("x86_64", "clone")], names("changed")
assert d["abis_added"] == ["i386"] and d["abis_removed"] == []
p = [x for x in d["added"] if x["name"] == "personality"][0]
assert p["risk"] == "high" and p["sites"][0]["frames"][1]["symbol"] == "set_exec_domain"
c = d["changed"][0]
assert c["before"] == "arg0: 0x11" and c["after"] == "arg0: 0x11, 0x3d0f00" and c["widens"]
assert d["summary"] == {"added": 3, "high": 1, "medium": 0, "low": 2, "removed": 1, "changed": 1}
assert d["drift"] is True and d["fail_on"] == "added"
PY
}
tcase "diff: json lists exactly the difference" t_diff_json

t_diff_markdown() {
	mkrecs
	"$SP" diff --format markdown a.json b.json >out.md || true
	assert_contains out.md "### seccomp-profile diff"
	assert_contains out.md "**3 added** (1 high risk, 0 medium, 2 low), **1 removed**, 1 changed"
	assert_contains out.md "- ABIs added: \`i386\`"
	assert_contains out.md "| x86_64 | added | \`personality\` | **high**: execution domain"
	assert_contains out.md "at \`syscall+0x1d ← set_exec_domain+0x5c\`"
	assert_contains out.md "| x86_64 | removed | \`umask\` | low |"
	assert_contains out.md "| x86_64 | changed | \`clone\` |"
	assert_contains out.md "| i386 | added | \`getpid\` | low |"
	[ "$(grep -c '^| ' out.md)" = 6 ] || fail "expected a header and 4 rows: $(cat out.md)"
	"$SP" diff --format markdown a.json a.json >same.md
	assert_contains same.md "No differences."
}
tcase "diff: markdown table for a pull-request comment" t_diff_markdown

t_diff_fail_on() {
	mkrecs
	# a -> b adds and removes
	assert_status 1 "$SP" diff --fail-on added a.json b.json
	assert_status 1 "$SP" diff --fail-on removed a.json b.json
	assert_status 1 "$SP" diff --fail-on any a.json b.json
	assert_status 0 "$SP" diff --fail-on none a.json b.json
	# a subset: only removals
	python3 -c 'import json; d=json.load(open("a.json")); d["abis"]["x86_64"]=d["abis"]["x86_64"][:2]; json.dump(d,open("small.json","w"))'
	# options may follow the operands
	assert_status 0 "$SP" diff small.json a.json --fail-on removed
	assert_status 1 "$SP" diff --fail-on added small.json a.json
	assert_status 0 "$SP" diff --fail-on added a.json small.json
	assert_status 1 "$SP" diff --fail-on removed a.json small.json
	# identical: 0 for every mode
	for f in added removed any none; do assert_status 0 "$SP" diff --fail-on $f a.json a.json; done
	# errors: 2
	assert_status 2 "$SP" diff a.json
	assert_status 2 "$SP" diff a.json b.json c.json
	assert_status 2 "$SP" diff --fail-on sometimes a.json b.json
	assert_status 2 "$SP" diff --format html a.json b.json
	assert_status 2 "$SP" diff a.json missing.json
	echo '{"schema":"seccomp-profile/recording","version":1,"abis":{"x86_64":[{"name":"nosuch"}]}}' >bad.json
	"$SP" diff a.json bad.json 2>e && fail "bad input accepted" || true
	assert_contains e "seccomp-profile: bad.json: \$.abis.x86_64[0]"
	echo 'hello' >junk.txt
	assert_status 2 "$SP" diff a.json junk.txt
}
tcase "diff: exit codes for each --fail-on, 2 on errors" t_diff_fail_on

# Two Docker profiles: p2 adds ptrace (high) and getppid, removes umask,
# drops clone's argument condition (wider), trades x32 for i386.
mkpolicies() {
	cat >p1.json <<'J'
{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
 "syscalls": [{"names": ["read", "write", "umask"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 0}]}]}
J
	cat >p2.json <<'J'
{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
 "syscalls": [{"names": ["read", "write", "ptrace", "getppid"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["clone"], "action": "SCMP_ACT_ALLOW"}]}
J
}

t_diff_policies() {
	mkpolicies
	assert_status 1 "$SP" diff p1.json p2.json
	"$SP" diff p1.json p2.json >out || true
	assert_contains out "p1.json -> p2.json (policies)"
	assert_contains out "ABIs added: i386"
	assert_contains out "ABIs removed: x32"
	grep -Eq '^  \+ ptrace +high' out || fail "ptrace: $(cat out)"
	grep -Eq '^  \+ getppid +low$' out || fail "getppid: $(cat out)"
	grep -Eq '^  - umask +low$' out || fail "umask: $(cat out)"
	assert_contains out "before: allow if arg0 & 0x7e020000 == 0x0"
	assert_contains out "2 added (1 high, 0 medium, 1 low), 1 removed, 1 changed"
	assert_not_contains out " read"
	"$SP" diff --format json p1.json p2.json >d.json || true
	python3 - <<'PY' || fail "json: $(cat d.json)"
import json
d = json.load(open("d.json"))
assert d["inputs"] == "policies"
assert sorted(x["name"] for x in d["added"]) == ["getppid", "ptrace"]
assert [x["name"] for x in d["removed"]] == ["umask"]
c = d["changed"][0]
assert c["name"] == "clone" and c["after"] == "allow" and c["widens"] is True
assert d["abis_added"] == ["i386"] and d["abis_removed"] == ["x32"]
assert d["default_action"] == {"old": "errno:EPERM", "new": "errno:EPERM", "changed": False}
PY
	# Back: umask and the x32 ABI come back (added); without them (p1b)
	# only removals and a narrowing change remain.
	assert_status 1 "$SP" diff --fail-on added p2.json p1.json
	python3 -c 'import json; d=json.load(open("p1.json")); d["architectures"]=["SCMP_ARCH_X86_64","SCMP_ARCH_X86"]; d["syscalls"][0]["names"]=["read","write"]; json.dump(d,open("p1b.json","w"))'
	assert_status 0 "$SP" diff --fail-on added p2.json p1b.json
	assert_status 1 "$SP" diff --fail-on removed p2.json p1b.json
	"$SP" diff --format json p2.json p1b.json >back.json || true
	python3 -c 'import json; d=json.load(open("back.json")); assert d["changed"][0]["widens"] is False, d'
	# The same policy in another format is no difference.
	cat >p1.yml <<'Y'
seccomp:
  default_action: errno
  syscalls:
    - action: allow
      names: [read, write, umask]
Y
	python3 -c 'import json; d=json.load(open("p1.json")); d["syscalls"]=d["syscalls"][:1]; d["architectures"]=[]; json.dump(d,open("p1n.json","w"))'
	"$SP" diff --fail-on any p1n.json p1.yml >same || fail "docker vs yaml of one policy: $(cat same)"
}
tcase "diff: policies in any format we read, rules and ABIs" t_diff_policies

t_diff_mixed() {
	mkpolicies
	printf '{"schema":"seccomp-profile/recording","version":1,"abis":{"x86_64":[{"name":"read","calls":1}]}}' >r.json
	# The recording becomes the policy generate writes from it.
	assert_status 1 "$SP" diff r.json p1.json
	"$SP" diff --format json r.json p1.json >d.json || true
	python3 - <<'PY' || fail "json: $(cat d.json)"
import json
d = json.load(open("d.json"))
assert d["inputs"] == "policies"
added = [x["name"] for x in d["added"]]
assert "umask" in added and "write" in added and "read" not in added, added
assert "read" not in [x["name"] for x in d["removed"]]
PY
}
tcase "diff: a recording against a policy" t_diff_mixed
