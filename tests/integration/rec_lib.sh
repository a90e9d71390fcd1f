# tests/integration/rec_lib.sh: helpers of the record tests (t_record*.sh),
# sourced after lib.sh.  tcase passes functions to each case, so these
# are functions only.

# meta REC EXPR: prints a Python expression over the recording d / meta m.
meta() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); m = d["meta"]
print(eval(sys.argv[2]))
PY
}
# calls REC ABI NAME: the call count (0 when absent).
calls() {
	python3 - "$@" <<'PY'
import json, sys
rec, abi, name = sys.argv[1:4]
d = json.load(open(rec))
print(sum(s["calls"] for s in d["abis"].get(abi, []) if s.get("name") == name or str(s.get("nr")) == name))
PY
}
# Every (abi, name) of a recording, one per line, sorted.  futex is left
# out: whether a thread blocks in futex (pthread_join, stdio locks) depends on
# how its threads happen to interleave in that run, not on the tracer, and on
# a loaded machine it differs from run to run.
syscall_set() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for abi, v in sorted(d["abis"].items()):
    for s in v:
        if s["calls"] > 0 and s["name"] != "futex":
            print(abi, s["name"] or s["nr"])
PY
}
# rec_both NAME ARGS...: records the victim in both modes into $T/fast.json
# and $T/slow.json; both must exit 0 and record the same syscall set.
rec_both() {
	local v=$1; shift
	"$SP" record -o "$T/fast.json" -- "$HELPERS/$v" "$@" || fail "fast: $v $* exited $?"
	"$SP" record --no-seccomp -o "$T/slow.json" -- "$HELPERS/$v" "$@" || fail "slow: $v $* exited $?"
	[ "$(meta "$T/fast.json" 'm["tracing"]')" = seccomp ] || fail "fast path not used: $(meta "$T/fast.json" 'm["tracing_note"]')"
	[ "$(meta "$T/slow.json" 'm["tracing"]')" = ptrace ] || fail "slow path not used"
	syscall_set "$T/fast.json" >fast.set
	syscall_set "$T/slow.json" >slow.set
	diff -u slow.set fast.set || fail "fast and slow paths recorded different syscall sets for $v $*"
}
