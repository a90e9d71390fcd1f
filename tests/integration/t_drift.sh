#!/usr/bin/env bash
# merge, diff and explain on real recordings of the deterministic
# drift_victim (tests/helpers/drift_victim.c): mode a calls chdir (from
# victim_do_chdir), umask, getpid; mode b calls chdir, getppid, personality.
. "$(dirname "$0")/lib.sh"


# names REC: "abi:name" per line, sorted.
names() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for abi, ents in sorted(d["abis"].items()):
    for s in ents:
        print("%s:%s" % (abi, s.get("name") or s["nr"]))
PY
}

t_deterministic() {
	for i in 1 2 3 4 5; do
		"$SP" -q record -o r$i.json -- "$HELPERS/drift_victim" a
		names r$i.json | sort >n$i
	done
	for i in 2 3 4 5; do
		cmp -s n1 n$i || fail "run $i differs from run 1: $(diff n1 n$i | tr '\n' ' ')"
	done
	grep -qx 'x86_64:chdir' n1 || fail "chdir not recorded"
	grep -qx 'x86_64:umask' n1 || fail "umask not recorded"
	# Call sites do not change the recorded set.
	"$SP" -q record --stacks -o s.json -- "$HELPERS/drift_victim" a
	names s.json | sort >ns
	cmp -s n1 ns || fail "--stacks changed the syscall set: $(diff n1 ns | tr '\n' ' ')"
}
tcase "drift_victim: identical syscall sets over 5 runs, with and without --stacks" t_deterministic

t_merge_real() {
	"$SP" -q record -o a.json -- "$HELPERS/drift_victim" a
	"$SP" -q record -o b.json -- "$HELPERS/drift_victim" b
	"$SP" merge -o m.json a.json b.json
	names a.json >na
	names b.json >nb
	names m.json | sort >nm
	sort -u na nb >union
	cmp -s union nm || fail "merge is not the union: $(diff union nm | tr '\n' ' ')"
	python3 - <<'PY' || fail "runs_seen"
import json
d = json.load(open("m.json"))
by = {s["name"]: s["runs_seen"] for s in d["abis"]["x86_64"]}
assert d["meta"]["runs"] == 2, d["meta"]["runs"]
assert by["chdir"] == 2 and by["umask"] == 1 and by["personality"] == 1 and by["getppid"] == 1, by
assert d["meta"]["sources"] == ["a.json", "b.json"]
PY
}
tcase "merge of two recorded victims is their union with runs_seen" t_merge_real

t_diff_real() {
	"$SP" -q record --stacks -o a.json -- "$HELPERS/drift_victim" a
	"$SP" -q record --stacks -o b.json -- "$HELPERS/drift_victim" b
	names a.json | sort >na
	names b.json | sort >nb
	comm -13 na nb >want_added
	comm -23 na nb >want_removed
	grep -qx 'x86_64:personality' want_added || fail "personality not added: $(cat want_added)"
	grep -qx 'x86_64:umask' want_removed || fail "umask not removed"

	assert_status 1 "$SP" diff --format json a.json b.json
	"$SP" diff --format json a.json b.json >d.json || true
	python3 - <<'PY' >got
import json
d = json.load(open("d.json"))
for k in ("added", "removed"):
    for x in d[k]:
        print(k, "%s:%s" % (x["abi"], x["name"]))
p = [x for x in d["added"] if x["name"] == "personality"][0]
assert p["risk"] == "high", p
assert any(f["symbol"] == "main" for s in p["sites"] for f in s["frames"]), p["sites"]
PY
	{ sed 's/^/added /' want_added; sed 's/^/removed /' want_removed; } | sort >want
	sort got -o got
	cmp -s want got || fail "json is not exactly the difference: $(diff want got | tr '\n' ' ')"

	"$SP" diff a.json b.json >d.txt || true
	[ "$(grep -c '^  [+]' d.txt)" = "$(wc -l <want_added)" ] || fail "text: added lines: $(cat d.txt)"
	[ "$(grep -c '^  -' d.txt)" = "$(wc -l <want_removed)" ] || fail "text: removed lines: $(cat d.txt)"
	grep -Eq '^  \+ personality +high' d.txt || fail "text: personality"
	grep -Eq '^      at .*main\+0x' d.txt || fail "text: no call site for the added syscalls"
	"$SP" diff --format markdown a.json b.json >d.md || true
	[ "$(grep -c '^| [a-z0-9_]* | added |' d.md)" = "$(wc -l <want_added)" ] || fail "markdown added rows"
	[ "$(grep -c '^| [a-z0-9_]* | removed |' d.md)" = "$(wc -l <want_removed)" ] || fail "markdown removed rows"

	assert_status 1 "$SP" diff --fail-on removed a.json b.json
	assert_status 1 "$SP" diff --fail-on any a.json b.json
	assert_status 0 "$SP" diff --fail-on none a.json b.json
	"$SP" merge -o ab.json a.json b.json
	assert_status 0 "$SP" diff --fail-on added ab.json a.json   # a only removes from the union
	assert_status 1 "$SP" diff --fail-on removed ab.json a.json
	assert_status 0 "$SP" diff --fail-on removed a.json ab.json
	assert_status 0 "$SP" diff --fail-on any a.json a.json
}
tcase "diff of two recorded victims: exactly the difference, every form, exit codes" t_diff_real

t_explain_real() {
	"$SP" -q record --stacks -o s.json -- "$HELPERS/drift_victim" a
	"$SP" explain s.json chdir >out
	grep -Eq '^    #[0-9]+ +victim_do_chdir\+0x[0-9a-f]+ \(.*/drift_victim\+0x[0-9a-f]+\)$' out ||
		fail "explain does not name victim_do_chdir: $(cat out)"
	grep -Eq '^    #[0-9]+ +main\+0x' out || fail "no main frame: $(cat out)"
	# The second chdir comes from another function: a second call site.
	assert_contains out "call site 2 of 2"
	grep -Eq '^    #[0-9]+ +victim_chdir_elsewhere\+0x' out || fail "second call site missing: $(cat out)"
	assert_contains out "first by $HELPERS/drift_victim"
	# The module offset is where nm puts the function, plus its offset.
	if command -v nm >/dev/null; then
		line=$(grep -E 'victim_do_chdir\+' out | head -1)
		off=$(sed -E 's/.*victim_do_chdir\+(0x[0-9a-f]+).*/\1/' <<<"$line")
		moff=$(sed -E 's/.*drift_victim\+(0x[0-9a-f]+)\)$/\1/' <<<"$line")
		sym=$(nm "$HELPERS/drift_victim" | awk '$3 == "victim_do_chdir" { print $1 }')
		[ $((16#$sym + off)) -eq $((moff)) ] || fail "offset $moff is not victim_do_chdir ($sym) + $off"
	fi
	# Without --stacks: a clear hint.
	"$SP" -q record -o n.json -- "$HELPERS/drift_victim" a
	assert_status 1 "$SP" explain n.json chdir
	"$SP" explain n.json chdir 2>e || true
	assert_contains e "record with --stacks"
}
tcase "explain names the victim's function for its chdir" t_explain_real
