#!/usr/bin/env bash
# Real programs we did not write, end to end: record (twice, merged, so
# that what varies between runs is in), generate an OCI profile, then
#   - `run` under the profile passes the program's own functional check,
#   - `check` reports nothing,
#   - with one needed syscall removed, `check` names exactly that syscall
#     and `run` fails the workload.
# sqlite3 (a scripted batch), python3 (files, threads, subprocess) and
# redis-server with redis-cli/redis-benchmark on a loopback port.
. "$(dirname "$0")/lib.sh"

need_pipeline() {
	"$SP" record --help 2>&1 | grep -q "not available" && skip "record is not in this build"
	"$SP" generate --help 2>&1 | grep -q "not available" && skip "generate is not in this build"
	"$SP" check --help 2>&1 | grep -q "not available" && skip "check is not in this build"
	command -v python3 >/dev/null || skip "python3 is not installed"
	true
}

# profile_from NAME RESET CMD...: records CMD twice (stdin from $T/stdin if
# it exists; the shell command RESET before each run), merges, generates
# $T/NAME.json (OCI).
profile_from() {
	local name=$1 reset=$2; shift 2
	local in=/dev/null
	[ -f "$T/stdin" ] && in=$T/stdin
	for i in 1 2; do
		eval "$reset"
		"$SP" record -q -o "$T/$name.$i.rec.json" -- "$@" <"$in" >"$T/$name.rec-out" 2>&1 ||
			fail "record of $* failed: $(tail -5 "$T/$name.rec-out")"
	done
	"$SP" merge -o "$T/$name.rec.json" "$T/$name.1.rec.json" "$T/$name.2.rec.json"
	"$SP" generate -f oci -o "$T/$name.json" "$T/$name.rec.json"
}

# without PROFILE OUT NAME: PROFILE minus every rule for NAME (must exist).
without() {
	python3 - "$@" <<'PY'
import json, sys
src, dst, name = sys.argv[1:4]
p = json.load(open(src))
n = 0
for r in p["syscalls"]:
    if name in r["names"]:
        r["names"].remove(name); n += 1
p["syscalls"] = [r for r in p["syscalls"] if r["names"]]
assert n, "%s is not in %s" % (name, src)
json.dump(p, open(dst, "w"), indent=1)
PY
}

# first_present PROFILE NAME...: the first NAME the profile allows.
first_present() {
	python3 - "$@" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
allowed = {n for r in p["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" for n in r["names"]}
for n in sys.argv[2:]:
    if n in allowed:
        print(n); sys.exit(0)
sys.exit("none of %s in %s" % (sys.argv[2:], sys.argv[1]))
PY
}

# check_names REPORT: the distinct syscall names of a check --json report.
check_names() {
	python3 -c 'import json,sys; print(" ".join(sorted({v["syscall"] for v in json.load(open(sys.argv[1]))["violations"]})))' "$1"
}

# ---- sqlite3 -------------------------------------------------------------

sqlite_batch() {
	cat <<'SQL'
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);
BEGIN;
INSERT INTO t(name, n) VALUES ('a', 1), ('b', 2), ('c', 3);
INSERT INTO t(name, n) SELECT name || '2', n * 10 FROM t;
COMMIT;
CREATE INDEX t_n ON t(n);
UPDATE t SET n = n + 1 WHERE name LIKE '%2';
DELETE FROM t WHERE name = 'b';
SELECT count(*), sum(n) FROM t;
SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY n);
SQL
}
# The functional check: the right answer, exit 0.
sqlite_ok() { rm -f "$T/db"; "$@" "$T/db" <"$T/stdin" >"$T/sq.out" 2>&1 && [ "$(cat "$T/sq.out")" = "$(printf '5|67\na,c,a2,b2,c2')" ]; }

t_sqlite() {
	need_pipeline
	command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
	local sq; sq=$(command -v sqlite3)
	sqlite_batch >"$T/stdin"
	sqlite_ok "$sq" || fail "sqlite3 itself fails the batch: $(cat "$T/sq.out")"
	profile_from sqlite 'rm -f "$T/db"' "$sq" "$T/db"
	sqlite_ok "$SP" run --profile "$T/sqlite.json" -- "$sq" || fail "run: $(cat "$T/sq.out")"
	rm -f "$T/db"
	"$SP" check --json -o "$T/r.json" --profile "$T/sqlite.json" -- "$sq" "$T/db" <"$T/stdin" >/dev/null ||
		fail "check reported: $(check_names "$T/r.json")"
	# fdatasync (or fsync) makes the COMMIT durable: without it the batch fails
	local victim; victim=$(first_present "$T/sqlite.json" fdatasync fsync pwrite64)
	without "$T/sqlite.json" "$T/minus.json" "$victim"
	rm -f "$T/db"
	"$SP" check --json -o "$T/r.json" --profile "$T/minus.json" -- "$sq" "$T/db" <"$T/stdin" >/dev/null && fail "check passed without $victim"
	[ "$(check_names "$T/r.json")" = "$victim" ] || fail "check named '$(check_names "$T/r.json")', not $victim"
	! sqlite_ok "$SP" run --profile "$T/minus.json" -- "$sq" || fail "sqlite3 passed its batch without $victim"
}
tcase "real program: sqlite3 batch under its generated profile (run, check, one syscall removed)" t_sqlite

# ---- python3 -------------------------------------------------------------

py_script() {
	cat >"$T/work.py" <<'PY'
import os, subprocess, sys, threading, hashlib
d = sys.argv[1]
path = os.path.join(d, "data.txt")
with open(path, "w") as f:
    for i in range(1000):
        f.write("line %d\n" % i)
results = [None] * 4
def work(k):
    with open(path, "rb") as f:
        results[k] = hashlib.sha256(f.read() + bytes([k])).hexdigest()[:8]
threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in threads: t.start()
for t in threads: t.join()
out = subprocess.run(["/bin/echo", "child", str(len(set(results)))], capture_output=True, text=True, check=True).stdout
os.rename(path, path + ".done")
os.unlink(path + ".done")
print(out.strip(), os.path.exists(path))
PY
}
py_ok() { rm -rf "$T/pd"; mkdir "$T/pd"; "$@" "$T/work.py" "$T/pd" >"$T/py.out" 2>&1 && [ "$(cat "$T/py.out")" = "child 4 False" ]; }

t_python() {
	need_pipeline
	local py; py=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
	py_script
	py_ok "$py" || fail "python itself fails the script: $(cat "$T/py.out")"
	profile_from py 'rm -rf "$T/pd"; mkdir "$T/pd"' "$py" "$T/work.py" "$T/pd"
	py_ok "$SP" run --profile "$T/py.json" -- "$py" || fail "run: $(cat "$T/py.out")"
	rm -rf "$T/pd"; mkdir "$T/pd"
	"$SP" check --json -o "$T/r.json" --profile "$T/py.json" -- "$py" "$T/work.py" "$T/pd" >/dev/null ||
		fail "check reported: $(check_names "$T/r.json")"
	local victim; victim=$(first_present "$T/py.json" rename renameat renameat2)
	without "$T/py.json" "$T/minus.json" "$victim"
	rm -rf "$T/pd"; mkdir "$T/pd"
	"$SP" check --json -o "$T/r.json" --profile "$T/minus.json" -- "$py" "$T/work.py" "$T/pd" >/dev/null && fail "check passed without $victim"
	[ "$(check_names "$T/r.json")" = "$victim" ] || fail "check named '$(check_names "$T/r.json")', not $victim"
	! py_ok "$SP" run --profile "$T/minus.json" -- "$py" || fail "python passed its script without $victim"
}
tcase "real program: python3 files/threads/subprocess under its generated profile" t_python

# ---- redis ---------------------------------------------------------------

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port_open() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null; }

# redis_session PORT CMD...: starts CMD (a redis-server under something) in
# the background, waits until its port accepts connections (the kernel
# completes them even if the server cannot accept), runs the client
# workload (the functional check: every client call has a deadline, so a
# crippled server fails it instead of hanging it), shuts the server down and
# waits for it.  Status: the workload's.
redis_session() {
	local port=$1; shift
	"$@" >"$T/server.out" 2>&1 &
	local pid=$! up=0 rc=0
	spawned $pid
	for _ in $(seq 1 150); do
		if port_open "$port"; then up=1; break; fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if [ $up = 1 ]; then
		{ [ "$(timeout 10 redis-cli -p "$port" set k hello)" = OK ] &&
		  [ "$(timeout 10 redis-cli -p "$port" get k)" = hello ] &&
		  timeout 60 redis-benchmark -p "$port" -q -n 2000 -c 4 -t set,get,incr,lpush >"$T/bench.out" 2>&1 &&
		  [ "$(timeout 10 redis-cli -p "$port" dbsize)" -ge 3 ]; } || rc=1
		timeout 10 redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
	else
		rc=1
	fi
	if ! timeout 20 tail --pid=$pid -f /dev/null; then
		kill -TERM $pid 2>/dev/null || true
		timeout 10 tail --pid=$pid -f /dev/null || kill -9 $pid 2>/dev/null || true
		rc=1
	fi
	wait $pid || true
	return $rc
}

t_redis() {
	need_pipeline
	command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null ||
		skip "redis-server/redis-tools are not installed"
	local rs; rs=$(command -v redis-server)
	local port; port=$(free_port)
	local args=(--port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$T" --logfile "")
	redis_session "$port" "$rs" "${args[@]}" || fail "redis itself fails the workload: $(tail -5 "$T/server.out")"
	for i in 1 2; do
		redis_session "$port" "$SP" record -q -o "$T/redis.$i.rec.json" -- "$rs" "${args[@]}" ||
			fail "workload failed while recording: $(tail -5 "$T/server.out")"
	done
	"$SP" merge -o "$T/redis.rec.json" "$T/redis.1.rec.json" "$T/redis.2.rec.json"
	"$SP" generate -f oci -o "$T/redis.json" "$T/redis.rec.json"
	redis_session "$port" "$SP" run --profile "$T/redis.json" -- "$rs" "${args[@]}" ||
		fail "run: $(tail -5 "$T/server.out")"
	redis_session "$port" "$SP" check --json -o "$T/r.json" --profile "$T/redis.json" -- "$rs" "${args[@]}" ||
		fail "workload failed under check"
	[ -z "$(check_names "$T/r.json")" ] || fail "check reported: $(check_names "$T/r.json")"
	# accept4 (or accept) is how clients get in
	local victim; victim=$(first_present "$T/redis.json" accept4 accept)
	without "$T/redis.json" "$T/minus.json" "$victim"
	redis_session "$port" "$SP" check --json -o "$T/r.json" --profile "$T/minus.json" -- "$rs" "${args[@]}" ||
		fail "workload failed under check (calls should proceed)"
	[ "$(check_names "$T/r.json")" = "$victim" ] || fail "check named '$(check_names "$T/r.json")', not $victim"
	! redis_session "$port" "$SP" run --profile "$T/minus.json" -- "$rs" "${args[@]}" ||
		fail "redis served its clients without $victim"
}
SP_TCASE_TIMEOUT=300 tcase "real program: redis-server + redis-cli/redis-benchmark on loopback under its generated profile" t_redis
