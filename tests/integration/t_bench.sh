#!/usr/bin/env bash
# The benchmark harness (bench/run) in quick mode: it runs every workload and
# variant once at reduced size and prints a well-formed table.  Only the
# table's shape and honesty are checked, never a timing.
. "$(dirname "$0")/lib.sh"

t_bench_quick() {
	BENCH_QUICK=1 BENCH_RESULTS_DIR="$T/results" SP_BIN="$SP" XDG_CACHE_HOME="$T/cache" \
		"$TESTS_DIR/../bench/run" >table 2>progress || { tail -20 progress; fail "bench/run --quick failed"; }
	# What the binary can do, found the same way the harness must find it:
	# by running it.
	local rec=works
	"$SP" record -o probe.json -- /bin/true 2>probe.err || fail "record /bin/true failed: $(cat probe.err)"
	ls "$T"/results/*.txt >/dev/null 2>&1 || fail "no results file in $T/results"
	cmp table "$T"/results/*.txt || fail "results file differs from stdout"
	python3 - table "$rec" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
rec = sys.argv[2]
cols = ["workload", "variant", "runs", "median s", "x native", "x strace",
        "min s", "max s", "peak RSS MiB", "output KiB"]
def cells(ln):
    return [c.strip() for c in ln.strip().strip("|").split("|")]
head = [i for i, ln in enumerate(lines) if ln.startswith("| workload |")]
assert len(head) == 1, "want exactly one table header, got %d" % len(head)
assert cells(lines[head[0]]) == cols, cells(lines[head[0]])
rows = {}
for ln in lines[head[0] + 2:]:
    if not ln.startswith("|"):
        break
    c = cells(ln)
    assert len(c) == len(cols), "row has %d cells: %s" % (len(c), ln)
    assert (c[0], c[1]) not in rows, "duplicate row " + ln
    rows[(c[0], c[1])] = c
wls = ["getppid-1t", "getppid-2t", "forkexec", "sqlite", "python", "redis", "procs1000"]
vs = ["native", "strace", "record", "record-c", "baseline", "record-ebpf"]
want = {(w, v) for w in wls for v in vs}
assert set(rows) == want, "rows differ: missing %s extra %s" % (
    sorted(want - set(rows)), sorted(set(rows) - want))
num = re.compile(r"^\d+(\.\d+)?$")
for (w, v), c in rows.items():
    if c[2] == "0":
        # not measured: only an honest reason, never an error
        assert c[3].startswith("n/a ("), "%s/%s not measured: %s" % (w, v, c[3])
        assert all(x == "-" for x in c[4:]), c
        if v.startswith("record") or v == "baseline":
            assert rec == "works" or c[3] in ("n/a (not built)",) or "not installed" in c[3], c
        if v == "record" and rec == "works" and "not installed" not in c[3]:
            raise AssertionError("record works but the row says " + c[3])
        continue
    assert c[2] == "1", "quick mode runs once, row says %s: %s" % (c[2], c)
    for x in c[3:9]:
        assert num.match(x), "%s/%s: bad number %r" % (w, v, x)
    assert c[3] == c[6] == c[7], "one run: median, min and max must agree: %s" % c
    if v == "native":
        assert c[4] == "1.00", c
    if v == "strace":
        assert c[5] == "1.00", c
    if v in ("native", "strace"):
        assert c[9] == "-", "%s/%s has an output size: %s" % (w, v, c)
    else:
        assert num.match(c[9]) and float(c[9]) > 0, "%s/%s: no recording size: %s" % (w, v, c)
    if v == "record":
        assert rec == "works", "record is not built but the row has numbers: %s" % c
for w in wls:
    assert rows[(w, "native")][2] == "1" or "not installed" in rows[(w, "native")][3], \
        "native %s not measured" % w
print("table ok: %d rows, record %s" % (len(rows), rec))
PY
	grep -q "QUICK" table || fail "quick mode not announced in the header"
	grep -q "^Issue 8 and 19 targets" table || fail "no targets section"
}
tcase "bench/run --quick prints one well-formed table" t_bench_quick

t_bench_usage() {
	assert_status 2 "$TESTS_DIR/../bench/run" --workloads no-such-workload
	"$TESTS_DIR/../bench/run" --pin sideways 2>e && fail "bad --pin accepted"
	assert_contains e "unknown placement 'sideways'"
	SP_BIN=/nonexistent/sp assert_status 2 "$TESTS_DIR/../bench/run" --quick
}
tcase "bench/run rejects bad options" t_bench_usage
