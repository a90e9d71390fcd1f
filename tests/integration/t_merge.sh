#!/usr/bin/env bash
# merge: union of recordings, runs_seen, sources, atomic output, errors.
. "$(dirname "$0")/lib.sh"

# mkrec FILE EXE NAME...: a hand-written x86_64 recording of one run that
# called each NAME twice, from EXE.
mkrec() {
	python3 - "$@" <<'PY'
import json, sys
out, exe, names = sys.argv[1], sys.argv[2], sys.argv[3:]
rec = {"schema": "seccomp-profile/recording", "version": 1,
       "meta": {"command": [exe], "executables": [exe], "runs": 1, "kernel": "6.1.0"},
       "abis": {"x86_64": [{"name": n, "calls": 2, "first": {"pid": 1, "exe": exe}} for n in names]}}
json.dump(rec, open(out, "w"))
PY
}
# field REC PYEXPR: evaluates PYEXPR with d = the parsed recording and
# by = {name: entry} for x86_64.
field() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {s["name"]: s for s in d["abis"].get("x86_64", [])}
print(eval(sys.argv[2]))
PY
}

t_merge_union() {
	mkrec a.json /bin/a read write chdir umask
	mkrec b.json /bin/b read write getppid
	"$SP" merge -o m.json a.json b.json a.json
	[ "$(field m.json 'sorted(by)')" = "['chdir', 'getppid', 'read', 'umask', 'write']" ] ||
		fail "not the union: $(field m.json 'sorted(by)')"
	[ "$(field m.json 'd["meta"]["runs"]')" = 3 ] || fail "runs"
	[ "$(field m.json 'by["read"]["runs_seen"], by["read"]["calls"]')" = "(3, 6)" ] || fail "read counts"
	[ "$(field m.json 'by["chdir"]["runs_seen"]')" = 2 ] || fail "chdir runs_seen"
	[ "$(field m.json 'by["getppid"]["runs_seen"]')" = 1 ] || fail "getppid runs_seen"
	[ "$(field m.json 'd["meta"]["sources"]')" = "['a.json', 'b.json', 'a.json']" ] || fail "sources"
	[ "$(field m.json 'd["meta"]["executables"]')" = "['/bin/a', '/bin/b']" ] || fail "executables"
	# To stdout without -o; a merge of merges lists the original runs.
	"$SP" merge m.json b.json >m2.json
	[ "$(field m2.json 'd["meta"]["runs"], len(d["meta"]["sources"])')" = "(4, 4)" ] || fail "merge of merges"
	[ "$(field m2.json 'by["getppid"]["runs_seen"]')" = 2 ] || fail "getppid runs_seen after remerge"
}
tcase "merge: union, runs_seen per syscall, sources" t_merge_union

t_merge_errors() {
	mkrec a.json /bin/a read
	echo '{"schema":"seccomp-profile/recording","version":1,"abis":{"x86_64":[{"nr":"x"}]}}' >bad.json
	echo keep >out.json
	assert_status 2 "$SP" merge -o out.json a.json bad.json
	"$SP" merge -o out.json a.json bad.json 2>e || true
	assert_contains e "seccomp-profile: bad.json: \$.abis.x86_64[0]"
	[ "$(cat out.json)" = keep ] || fail "output damaged on bad input"
	assert_status 2 "$SP" merge -o out.json a.json missing.json
	assert_status 2 "$SP" merge
	assert_status 2 "$SP" merge --bogus a.json
	assert_status 1 "$SP" merge -o no/such/dir/out.json a.json
	# The output may be one of the inputs: it is replaced only at the end.
	mkrec b.json /bin/b write
	"$SP" merge -o a.json a.json b.json
	[ "$(field a.json 'd["meta"]["runs"]')" = 2 ] || fail "in-place merge"
	ls | grep -q tmp && fail "temporary file left behind: $(ls)"
	true
}
tcase "merge: bad input exits 2 and leaves the output alone" t_merge_errors
