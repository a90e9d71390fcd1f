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

# nearmax FILE: a recording whose counts and times are a little under 2^63.
nearmax() {
	python3 - "$1" <<'PY'
import json, sys
M = 2**63 - 1000
rec = {"schema": "seccomp-profile/recording", "version": 1,
       "meta": {"runs": 1, "duration_ns": M, "processes": 1},
       "abis": {"x86_64": [
           {"name": "read", "calls": M, "time_ns": M, "errnos": {"EAGAIN": M}},
           {"name": "write", "calls": 5, "time_ns": M},
           {"name": "close", "calls": 5, "time_ns": M}]}}
json.dump(rec, open(sys.argv[1], "w"))
PY
}

t_merge_saturates() {
	nearmax a.json
	"$SP" merge -o m.json a.json a.json a.json 2>err
	local max=9223372036854775807
	[ "$(field m.json 'by["read"]["calls"], by["read"]["time_ns"], by["read"]["errors"], by["read"]["errnos"]["EAGAIN"]')" = \
		"($max, $max, $max, $max)" ] || fail "read not held at 2^63-1: $(field m.json 'by["read"]')"
	[ "$(field m.json 'by["write"]["calls"], by["write"]["time_ns"], d["meta"]["duration_ns"], d["meta"]["runs"]')" = \
		"(15, $max, $max, 3)" ] || fail "write/meta: $(field m.json 'by["write"], d["meta"]')"
	# One warning per syscall and field, naming both, however many inputs pass the maximum.
	for f in 'read: "calls"' 'read: "time_ns"' 'read: "errnos.EAGAIN"' 'read: "errors"' 'write: "time_ns"' \
		'close: "time_ns"' '"meta.duration_ns"'; do
		[ "$(grep -cF -- "$f adds up to more than $max" err)" = 1 ] || fail "not one warning for $f"
	done
	[ "$(wc -l <err)" = 7 ] || fail "unexpected warnings: $(cat err)"
	# The result reads back, and its shares are of an exact total.
	"$SP" summary m.json >table
	[ "$(grep -c ' 33.33 ' table)" = 3 ] || fail "shares: $(cat table)"
	assert_contains table "27670116110.564327           0 9223372036854775837 $max total"
	! grep -qE ' -[0-9]' table || fail "negative numbers: $(cat table)"
	"$SP" summary --json m.json >sum.json 2>err
	python3 -c 'import json,sys; d=json.load(open("sum.json"))["abis"]["x86_64"]; assert [round(s["percent_time"], 2) for s in d["syscalls"]] == [33.33]*3, d; assert d["total_time_ns"] == 2**63-1, d' ||
		fail "summary --json: $(cat sum.json)"
	assert_contains err '"total_time_ns" is 27670116110564327421, more than a JSON integer holds'
}
tcase "merge: sums past 2^63-1 stay there with one warning per field; summary shares stay exact" t_merge_saturates

t_merge_incomplete() {
	mkrec a.json /bin/a read
	python3 - <<'PY'
import json
d = json.load(open("a.json"))
d["meta"]["complete"] = False
d["meta"]["incomplete_reason"] = "interrupted by SIGINT; workload killed"
json.dump(d, open("i.json", "w"))
PY
	"$SP" merge -o m.json a.json i.json 2>err
	[ "$(field m.json 'd["meta"]["complete"], d["meta"]["incomplete_reason"]')" = \
		"(False, 'interrupted by SIGINT; workload killed')" ] || fail "merge lost the incompleteness"
	[ ! -s err ] || fail "merge warned: $(cat err)"
}
tcase "merge: an incomplete input makes an incomplete result" t_merge_incomplete
