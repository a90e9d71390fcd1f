#!/usr/bin/env bash
# docs/recording.schema.json describes the recordings the tool writes and
# reads: real recordings validate, the tool's reader and the schema agree on
# a table of good and bad inputs, and docs/recording-format.md documents
# every key of the schema.
. "$(dirname "$0")/lib.sh"

schema_env() {
	ROOT=$(cd "$TESTS_DIR/.." && pwd)
	SCHEMA=$ROOT/docs/recording.schema.json
	CHECK="${SP_SCHEMA_PY:-python3} $TESTS_DIR/integration/schema_check.py $SCHEMA"
}

# A hand-written recording that uses every kind of field.
rich_recording() {
	cat >"$1" <<-'EOF'
	{"schema": "seccomp-profile/recording", "version": 1,
	 "meta": {"tool_version": "0.1.0", "command": ["/bin/app", "-x"], "attached": [],
	          "executables": ["/bin/app", "/bin/sh"], "kernel": "6.1.0", "machine": "x86_64",
	          "libc": "glibc 2.36", "start_time": "2026-11-28T12:00:00Z", "duration_ns": 1500000,
	          "exit_status": 0, "exit_signal": null, "processes": 2, "threads": 3,
	          "complete": true, "incomplete_reason": null, "tracing": "ptrace",
	          "tracing_note": null, "baseline": null, "runs": 1, "sources": [], "escaped": []},
	 "abis": {
	  "x86_64": [
	   {"name": "openat", "nr": 257, "calls": 10, "errors": 3, "errnos": {"ENOENT": 2, "EACCES": 1},
	    "time_ns": 5000, "runs_seen": 1, "first": {"pid": 100, "exe": "/bin/app"},
	    "sites": [{"exe": "/bin/app", "frames": [
	       {"module": "/usr/lib/x86_64-linux-gnu/libc.so.6", "offset": 1234, "symbol": "open64", "sym_off": 20},
	       {"module": "/bin/app", "offset": 4660, "symbol": null, "sym_off": 0}]}]},
	   {"name": "socket", "nr": 41, "calls": 1, "errors": 0, "errnos": {}, "time_ns": 0, "runs_seen": 1,
	    "first": {"pid": 100, "exe": "/bin/app"},
	    "args": {"0": {"values": ["0x2", "0xa"], "overflow": false}, "1": {"values": ["0x1"], "overflow": false}}},
	   {"name": "exit_group", "nr": 231, "calls": 1}
	  ],
	  "i386": [{"name": "getpid", "nr": 20, "calls": 1}]
	 }}
	EOF
}

t_schema_written() {
	schema_env
	rich_recording in.json
	$CHECK in.json || fail "the hand-written recording does not validate"
	# merge writes a recording with the tool's own writer: every field.
	"$SP" merge -o out.json in.json in.json
	$CHECK out.json || fail "a recording written by 'merge' does not validate"
}
tcase "recording schema: recordings written by the tool validate" t_schema_written

t_schema_record() {
	schema_env
	"$SP" record -o r.json -- /bin/sh -c 'ls / >/dev/null; exit 3' || [ $? -eq 3 ]
	$CHECK r.json || fail "a recording made by 'record' does not validate"
	"$SP" record -c -o r2.json -- /bin/true 2>/dev/null
	$CHECK r2.json || fail "a recording made by 'record -c' does not validate"
	if "$SP" record --help | grep -q -- --stacks; then
		"$SP" record --stacks -o r3.json -- /bin/true 2>/dev/null
		$CHECK r3.json || fail "a recording made by 'record --stacks' does not validate"
	fi
	if XDG_CACHE_HOME=$T/cache "$SP" record --backend ebpf -q -o r4.json -- /bin/sh -c 'ls / >/dev/null' 2>/dev/null; then
		$CHECK r4.json || fail "a recording made by 'record --backend ebpf' does not validate"
	fi
}
tcase "recording schema: recordings made by record validate" t_schema_record

# Each row: a change to the rich recording, and whether the result is
# valid.  The tool (reading with 'merge') and the schema must both agree.
t_schema_agrees_with_reader() {
	schema_env
	rich_recording base.json
	python3 - <<-'PY'
	import json, copy
	base = json.load(open("base.json"))
	def sc(d): return d["abis"]["x86_64"][0]
	rows = [
	  ("as is", lambda d: None, True),
	  ("no meta", lambda d: d.pop("meta"), True),
	  ("syscall by name only", lambda d: d["abis"]["x86_64"].append({"name": "read"}), True),
	  ("syscall by number only", lambda d: d["abis"]["x86_64"].append({"nr": 0, "calls": 1}), True),
	  ("nulls for optional keys", lambda d: sc(d).update(errnos=None, sites=None, first=None, baseline=None), True),
	  ("decimal argument value", lambda d: d["abis"]["x86_64"][1]["args"]["0"]["values"].append("17"), True),
	  ("numeric errno key", lambda d: sc(d)["errnos"].update({"4095": 0}), True),
	  ("eBPF back-end, events lost", lambda d: d["meta"].update(backend="ebpf", lost_events=3), True),
	  ("lost_events negative", lambda d: d["meta"].update(lost_events=-1), False),
	  ("unknown top-level key", lambda d: d.update(extra=1), False),
	  ("other schema", lambda d: d.update(schema="other/thing"), False),
	  ("newer version", lambda d: d.update(version=2), False),
	  ("version 0", lambda d: d.update(version=0), False),
	  ("no abis", lambda d: d.pop("abis"), False),
	  ("unknown ABI name", lambda d: d["abis"].update(amd64=[]), False),
	  ("ABI not a list", lambda d: d["abis"].update(i386={}), False),
	  ("container meta (oci-hook)", lambda d: d["meta"].update(container={"id": "x", "runtime": "crun", "bundle": None, "rootfs": "/r", "hostname": None, "observed_from": "hook"}), True),
	  ("unknown container key", lambda d: d["meta"].update(container={"image": "x"}), False),
	  ("container not an object", lambda d: d["meta"].update(container="x"), False),
	  ("container id a number", lambda d: d["meta"].update(container={"id": 3}), False),
	  ("unknown meta key", lambda d: d["meta"].update(host="x"), False),
	  ("runs 0", lambda d: d["meta"].update(runs=0), False),
	  ("exit_status 256", lambda d: d["meta"].update(exit_status=256), False),
	  ("attached PID 0", lambda d: d["meta"].update(attached=[0]), False),
	  ("command not strings", lambda d: d["meta"].update(command=[1]), False),
	  ("negative calls", lambda d: sc(d).update(calls=-1), False),
	  ("calls as a string", lambda d: sc(d).update(calls="3"), False),
	  ("nr out of range", lambda d: sc(d).update(nr=-2), False),
	  ("neither name nor nr", lambda d: d["abis"]["x86_64"].append({"calls": 1}), False),
	  ("unknown syscall key", lambda d: sc(d).update(count=1), False),
	  ("errno count negative", lambda d: sc(d)["errnos"].update(ENOENT=-1), False),
	  ("errno number 4096", lambda d: sc(d)["errnos"].update({"4096": 1}), False),
	  ("argument index 6", lambda d: d["abis"]["x86_64"][1]["args"].update({"6": {"values": []}}), False),
	  ("argument value a number", lambda d: d["abis"]["x86_64"][1]["args"]["0"]["values"].append(3), False),
	  ("argument value negative", lambda d: d["abis"]["x86_64"][1]["args"]["0"]["values"].append("-1"), False),
	  ("argument without values", lambda d: d["abis"]["x86_64"][1]["args"].update({"2": {"overflow": True}}), False),
	  ("65 argument values", lambda d: d["abis"]["x86_64"][1]["args"]["0"].update(values=[hex(i) for i in range(65)]), False),
	  ("9 call sites", lambda d: sc(d).update(sites=[{"exe": None, "frames": [{"offset": i}]} for i in range(9)]), False),
	  ("frame without offset", lambda d: sc(d)["sites"][0]["frames"].append({"module": "/x"}), False),
	  ("unknown frame key", lambda d: sc(d)["sites"][0]["frames"][0].update(line=3), False),
	  ("first.pid negative", lambda d: sc(d)["first"].update(pid=-5), False),
	]
	with open("rows.txt", "w") as out:
	    for i, (name, f, ok) in enumerate(rows):
	        d = copy.deepcopy(base)
	        f(d)
	        json.dump(d, open("row%d.json" % i, "w"))
	        out.write("%d\t%d\t%s\n" % (i, 1 if ok else 0, name))
	PY
	local i ok name s_ok t_ok bad=0
	while IFS=$'\t' read -r i ok name; do
		s_ok=0; t_ok=0
		$CHECK "row$i.json" >/dev/null && s_ok=1
		"$SP" merge -o m.json "row$i.json" 2>"err$i" && t_ok=1
		if [ "$s_ok" != "$ok" ] || [ "$t_ok" != "$ok" ]; then
			echo "row '$name': expected valid=$ok, schema says $s_ok, the tool says $t_ok ($(cat "err$i"))" >&2
			bad=1
		fi
	done <rows.txt
	[ "$bad" -eq 0 ] || fail "docs/recording.schema.json and the tool's reader disagree"
}
tcase "recording schema: agrees with the tool's reader on good and bad input" t_schema_agrees_with_reader

t_schema_documented() {
	schema_env
	python3 - "$SCHEMA" "$ROOT/docs/recording-format.md" <<-'PY'
	import json, sys
	s = json.load(open(sys.argv[1]))
	doc = open(sys.argv[2]).read()
	keys = set(s["properties"])
	def walk(n):
	    if isinstance(n, dict):
	        for k, v in n.get("properties", {}).items():
	            keys.add(k)
	        for v in n.values():
	            walk(v)
	    elif isinstance(n, list):
	        for v in n:
	            walk(v)
	walk(s)
	missing = sorted(k for k in keys if "`%s`" % k not in doc)
	if missing:
	    sys.exit("docs/recording-format.md does not document: " + ", ".join(missing))
	PY
}
tcase "recording schema: docs/recording-format.md documents every key" t_schema_documented
