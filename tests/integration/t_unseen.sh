#!/usr/bin/env bash
# unseen and generate --add-unseen (issue 21): the static cross-check of a
# recording's executables.
#   - a shell script (dash, Debian's /bin/sh) that starts redis-server,
#     waits for it with a sleep loop, drives it with redis-cli and
#     redis-benchmark and waits for it: the three calls a differently-timed
#     run needs (rt_sigsuspend from the shell's wait, getsockopt from the
#     client's refused connections, clock_nanosleep from sleep) are found
#     reachable; the profile with the low-risk additions passes 10 of 10
#     enforced runs, half of them slow (a late start and a late shutdown);
#     without the additions the slow run fails;
#   - the report's shape, its options and its errors, the libc map cache;
#   - the added rules are marked in the outputs.
. "$(dirname "$0")/lib.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# unseen_names JSON: every "unseen" name of every executable, one per line,
# as "name<TAB>via".
unseen_names() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["executables"]:
    for u in e.get("unseen", []):
        print(u["name"] + "\t" + u["via"] + "\t" + e["path"])
PY
}

# drive.sh PORT DIR [slow]: the workload (see the header).  Writes the
# server's pid to DIR/redis.pid so that the test's trap can end it.
write_driver() {
	cat >"$T/drive.sh" <<'EOF'
#!/usr/bin/env dash
set -u
port=$1 dir=$2 slow=${3:-}
[ -z "$slow" ] || sleep 0.3
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
	--dir "$dir" --logfile "" >"$dir/server.out" 2>&1 &
pid=$!
echo $pid >"$dir/redis.pid"
n=0
until redis-cli -p "$port" ping >/dev/null 2>&1; do
	n=$((n + 1))
	[ $n -lt 200 ] || { kill $pid; exit 3; }
	sleep 0.05
done
[ "$(redis-cli -p "$port" set k hello)" = OK ] || exit 4
[ "$(redis-cli -p "$port" get k)" = hello ] || exit 5
redis-benchmark -p "$port" -q -n 200 -c 2 -t set,get >/dev/null || exit 6
if [ -n "$slow" ]; then
	(sleep 0.3; redis-cli -p "$port" shutdown nosave >/dev/null 2>&1) &
else
	redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
fi
wait $pid
rc=$?
wait
exit $rc
EOF
	chmod +x "$T/drive.sh"
}

need_redis() {
	for c in redis-server redis-cli redis-benchmark dash; do
		command -v $c >/dev/null || skip "$c is not installed"
	done
	command -v python3 >/dev/null || skip "python3 is not installed"
}

# stop_redis PORT: the trap: the server of a run that was killed.
stop_redis() {
	redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true
	[ ! -s "$T/redis.pid" ] || kill -9 "$(cat "$T/redis.pid")" 2>/dev/null || true
}

t_redis_script() {
	need_redis
	export XDG_CACHE_HOME=$T/cache
	local port; port=$(free_port)
	trap "stop_redis $port" EXIT
	write_driver
	"$SP" record -q -o "$T/rec.json" -- "$T/drive.sh" "$port" "$T" >"$T/rec.out" 2>&1 ||
		fail "recording the script failed: $(tail -5 "$T/rec.out"; tail -5 "$T/server.out")"
	# The recorded run may or may not have seen the three calls (timing):
	# each must be reachable, listed as unseen exactly when not observed.
	"$SP" unseen --json "$T/rec.json" >"$T/u.json" || fail "unseen failed"
	python3 - "$T/rec.json" "$T/u.json" <<'PY' || fail "a timing-dependent call is not reachable"
import json, sys
rec = json.load(open(sys.argv[1])); u = json.load(open(sys.argv[2]))
observed = {s["name"] for s in rec["abis"]["x86_64"] if s.get("calls")}
unseen = {x["name"] for e in u["executables"] for x in e.get("unseen", [])}
seen = {n for e in u["executables"] for n in e.get("reachable_observed", [])}
for n in ("rt_sigsuspend", "getsockopt", "clock_nanosleep"):
    where = "observed" if n in observed else "unseen"
    ok = n in seen if n in observed else n in unseen
    print(n, where, "ok" if ok else "MISSING")
    assert ok, n
PY
	# A recording of a lucky run that saw none of them: all three are
	# reported unseen, each through the import that makes it reachable.
	python3 - "$T/rec.json" "$T/lucky.json" <<'PY'
import json, sys
rec = json.load(open(sys.argv[1]))
rec["abis"]["x86_64"] = [s for s in rec["abis"]["x86_64"]
                         if s["name"] not in ("rt_sigsuspend", "getsockopt", "clock_nanosleep")]
json.dump(rec, open(sys.argv[2], "w"))
PY
	"$SP" unseen "$T/lucky.json" >"$T/u.txt" || fail "unseen (text) failed"
	"$SP" unseen --json "$T/lucky.json" >"$T/u2.json" || fail "unseen --json failed"
	unseen_names "$T/u2.json" >"$T/names"
	grep -qP '^rt_sigsuspend\tsigsuspend@libc\.so\.6\t/usr/bin/dash$' "$T/names" ||
		fail "rt_sigsuspend not reported via sigsuspend for dash: $(grep rt_sigsuspend "$T/names")"
	grep -qP '^getsockopt\tgetsockopt@libc\.so\.6\t/usr/bin/redis-cli$' "$T/names" ||
		fail "getsockopt not reported via getsockopt for redis-cli: $(grep getsockopt "$T/names")"
	# sleep runs only when the server was not up at the first look: then
	# it is the one to name; else another program that sleeps through libc.
	if grep -q '"/usr/bin/sleep"' "$T/lucky.json"; then
		grep -qP '^clock_nanosleep\t[a-z_]+@libc\.so\.6\t/usr/bin/sleep$' "$T/names" ||
			fail "clock_nanosleep not reported for sleep: $(grep clock_nanosleep "$T/names")"
	else
		grep -qP '^clock_nanosleep\t[a-z_]*sleep@libc\.so\.6\t' "$T/names" ||
			fail "clock_nanosleep not reported via a libc sleep: $(grep clock_nanosleep "$T/names")"
	fi
	grep -qE '^  rt_sigsuspend +low +via sigsuspend@libc.so.6$' "$T/u.txt" || fail "text report lacks rt_sigsuspend"
	grep -qE '^  observed [0-9]+, reachable [0-9]+, coverage [0-9]+/[0-9]+ ' "$T/u.txt" || fail "no summary line"

	"$SP" generate -f oci --add-unseen=low -o "$T/added.json" "$T/lucky.json" 2>"$T/gen.err" ||
		fail "generate --add-unseen: $(cat "$T/gen.err")"
	"$SP" generate -f oci -o "$T/plain.json" "$T/lucky.json"
	for n in rt_sigsuspend getsockopt clock_nanosleep; do
		grep -q "\"$n\"" "$T/added.json" || fail "$n not added"
		! grep -q "\"$n\"" "$T/plain.json" || fail "$n in the plain profile of the lucky recording"
	done
	# 10 enforced runs, every other one slow: each must do its work and
	# end on its own (a shell denied rt_sigsuspend spins: the time limit
	# kills it).
	local pass=0 i mode
	for i in 1 2 3 4 5 6 7 8 9 10; do
		mode=; [ $((i % 2)) = 1 ] || mode=slow
		rm -f "$T/redis.pid"
		if timeout -k 2 60 "$SP" run --profile "$T/added.json" -- "$T/drive.sh" "$port" "$T" $mode \
			>"$T/run.$i.out" 2>&1; then
			pass=$((pass + 1))
		else
			echo "run $i ($mode) failed: $(tail -3 "$T/run.$i.out"; tail -3 "$T/server.out")" >&2
			stop_redis "$port"
		fi
	done
	[ $pass = 10 ] || fail "the profile with the low-risk additions passed $pass of 10 runs"
	# The control: without them, a slow run fails (here: denied
	# clock_nanosleep, getsockopt or rt_sigsuspend; the shell may spin).
	rm -f "$T/redis.pid"
	! timeout -k 2 10 "$SP" run --profile "$T/plain.json" -- "$T/drive.sh" "$port" "$T" slow >"$T/ctl.out" 2>&1 ||
		fail "the plain profile passed a slow run: the additions were not needed"
	stop_redis "$port"
}
SP_TCASE_TIMEOUT=400 tcase "unseen: redis driven by a dash script; low-risk additions pass 10 of 10 runs" t_redis_script

t_report() {
	export XDG_CACHE_HOME=$T/cache
	local v=$HELPERS/unseen_victim
	"$SP" record -q -o "$T/v.json" -- "$v" >/dev/null || fail "record of the victim failed"
	"$SP" -v unseen "$T/v.json" >"$T/out" 2>"$T/err" || fail "unseen failed: $(cat "$T/err")"
	assert_contains "$T/err" "1 built, 0 from the cache"
	"$SP" -v unseen "$T/v.json" >"$T/out2" 2>"$T/err2"
	assert_contains "$T/err2" "0 built, 1 from the cache"
	cmp -s "$T/out" "$T/out2" || fail "the cached map gives another report"
	ls "$T/cache/seccomp-profile/"libc-*-x86_64.map >/dev/null || fail "no cache file"
	"$SP" unseen --no-cache "$T/v.json" >"$T/out3"
	cmp -s "$T/out" "$T/out3" || fail "--no-cache gives another report"
	assert_contains "$T/out" "$v (x86_64, dynamic, 3 objects)"
	# the victim's raw syscall with a run-time number and syscall(argv) call
	assert_contains "$T/out" "syscall insn with a run-time number at $v+0x"
	assert_contains "$T/out" "syscall() call with a run-time number at $v+0x"
	grep -qE '^  observed [0-9]+, reachable [0-9]+, coverage ' "$T/out" || fail "no summary"
	# --risk filters the list; --json is JSON with the same counts
	"$SP" unseen --risk high "$T/v.json" >"$T/high"
	! grep -qE '^  [a-z0-9_]+ +(low|medium) +via' "$T/high" || fail "--risk high shows other classes"
	"$SP" unseen --json "$T/v.json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = d["executables"][0]
assert e["abi"] == "x86_64" and e["linkage"] == "dynamic", e
assert e["observed"] + len(e["unseen"]) == e["reachable"], e
assert e["observed"] == len(e["reachable_observed"]), e
assert all(u["risk"] in ("low", "medium", "high") and u["via"] for u in e["unseen"])
' || fail "unseen --json is not what it should be"
	# a static program: direct instructions only, said in the report
	if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
		"$SP" record -q -o "$T/b.json" -- /bin/busybox true
		"$SP" unseen "$T/b.json" >"$T/b.out"
		assert_contains "$T/b.out" "statically linked: direct system-call instructions only"
	fi
	# errors: usage 2, unreadable recording 2, nothing analysable 1
	assert_status 2 "$SP" unseen
	assert_status 2 "$SP" unseen --risk bogus "$T/v.json"
	assert_status 2 "$SP" unseen "$T/missing.json"
	python3 - "$T/v.json" "$T/gone.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["meta"]["executables"] = ["/nonexistent/program"]
json.dump(d, open(sys.argv[2], "w"))
PY
	assert_status 1 "$SP" unseen "$T/gone.json"
	"$SP" unseen "$T/gone.json" 2>"$T/gone.err" >"$T/gone.out" || true
	assert_contains "$T/gone.out" "/nonexistent/program: not analysed"
	assert_contains "$T/gone.err" "none of the recording's 1 executable could be analysed"
}
tcase "unseen: report, --risk, --json, cache, static programs, errors" t_report

t_generate_marks() {
	export XDG_CACHE_HOME=$T/cache
	"$SP" record -q -o "$T/v.json" -- "$HELPERS/unseen_victim" >/dev/null
	"$SP" generate -f docker --add-unseen=low,medium -o "$T/d.json" "$T/v.json"
	python3 - "$T/d.json" <<'PY' || fail "docker output does not mark the additions"
import json, sys
d = json.load(open(sys.argv[1]))
marked = [e for e in d["syscalls"] if "added by static analysis" in e.get("comment", "")]
assert len(marked) == 1 and marked[0]["action"] == "SCMP_ACT_ALLOW", d["syscalls"]
others = {n for e in d["syscalls"] if e is not marked[0] for n in e["names"]}
assert not others & set(marked[0]["names"]), "a name is both observed and added"
assert "membarrier" not in marked[0]["names"]  # observed: the victim calls it
PY
	"$SP" generate -f oci --add-unseen=low -o "$T/o.json" "$T/v.json"
	! grep -q '"comment"' "$T/o.json" || fail "OCI has no comment field, but one was written"
	"$SP" generate -f yaml --add-unseen=low "$T/v.json" >"$T/y.yaml"
	assert_contains "$T/y.yaml" "  # added by analysis, not observed: $HELPERS/unseen_victim reaches it via"
	"$SP" generate -f c --add-unseen=low "$T/v.json" >"$T/h.h"
	assert_contains "$T/h.h" ": added by analysis, not observed: "
	# low only: no medium or high addition
	python3 - "$T/o.json" "$T/d.json" <<'PY' || fail "--add-unseen=low added more than low"
import json, sys
low = {n for e in json.load(open(sys.argv[1]))["syscalls"] for n in e["names"]}
for bad in ("socket", "connect", "kill", "tgkill", "mount", "ptrace"):
    if bad in low:
        # only when observed (then both profiles have it unmarked)
        d = json.load(open(sys.argv[2]))
        assert not any(bad in e["names"] and "comment" in e for e in d["syscalls"]), bad
PY
	assert_status 2 "$SP" generate --add-unseen=lowest "$T/v.json"
	assert_status 2 "$SP" generate --add-unseen=low -f recording "$T/v.json"
	"$SP" generate -f oci -o "$T/pol.json" "$T/v.json"
	assert_status 2 "$SP" generate --add-unseen=low "$T/pol.json"
}
tcase "generate --add-unseen: classes, marks per format, errors" t_generate_marks

# capstone is loaded only by the analysis (analysis/capstone.h): without
# it, every other command works and the analysis says what is missing.
# The library is hidden behind /dev/null in a private mount namespace.
t_no_capstone() {
	[ "${SP_PRIVATE_MOUNTS:-}" = 1 ] || { in_private_mounts t_no_capstone; return; }
	export XDG_CACHE_HOME=$T/cache
	! ldd "$SP" | grep -q libcapstone || fail "the tool links libcapstone: every command pays its relocations"
	local lib
	lib=$(python3 -c 'import ctypes.util, sys; print(ctypes.util.find_library("capstone") or "")')
	[ -n "$lib" ] || skip "no libcapstone on this machine"
	lib=$(ldconfig -p | awk -v n="$lib" '$1 == n { print $NF; exit }')
	[ -n "$lib" ] && [ -e "$lib" ] || skip "cannot find the file of libcapstone"
	mount --bind /dev/null "$lib"
	"$SP" record -q -o "$T/v.json" -- "$HELPERS/unseen_victim" >/dev/null || fail "record needs capstone"
	"$SP" generate -f docker -o "$T/d.json" "$T/v.json" || fail "generate needs capstone"
	assert_status 1 "$SP" unseen "$T/v.json"
	"$SP" unseen "$T/v.json" >"$T/out" 2>&1 || true
	assert_contains "$T/out" "static analysis needs the capstone disassembler, which cannot be loaded ($lib"
	assert_contains "$T/out" "install the Debian package that holds it (make deps does)"
	# generate --add-unseen: the same reason, and no policy written
	assert_status 2 "$SP" generate --add-unseen=low -o "$T/u.json" "$T/v.json"
	"$SP" generate --add-unseen=low "$T/v.json" 2>"$T/gen.err" >/dev/null || true
	assert_contains "$T/gen.err" "not analysed: static analysis needs the capstone disassembler"
	[ ! -e "$T/u.json" ] || fail "generate wrote a policy it could not complete"
}
tcase "unseen: without libcapstone, only the analysis fails, saying what to install" t_no_capstone
