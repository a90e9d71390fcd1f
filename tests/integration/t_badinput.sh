#!/usr/bin/env bash
# Bad input gets one clear message and changes nothing: table-driven from
# tests/badinput/cases.tsv (its header describes the columns and the checks).
. "$(dirname "$0")/lib.sh"

TABLE=$TESTS_DIR/badinput/cases.tsv

# badinput_case ID INPUT ARGS STATUS MESSAGE: one row.
badinput_case() {
	local id=$1 input=$2 args=$3 want=$4 msg=$5 in= INPUTS=$TESTS_DIR/badinput/inputs
	mkdir "$T/work"
	case $input in
	-) ;;
	@huge) # one byte over the documented limit (formats/format.h: SP_MAX_INPUT_BYTES)
		in=$T/huge.json
		truncate -s $((64 * 1024 * 1024 + 1)) "$in" ;;
	@deep)
		in=$T/deep.json
		python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' >"$in" ;;
	@gen:*) # big or hostile inputs made here, never committed (see gen_input)
		in=$T/${input#@gen:}
		gen_input "${input#@gen:}" "$in" ;;
	@missing) in=$T/does-not-exist.json ;;
	@dir) in=$T/a-directory; mkdir "$in" ;;
	*) in=$T/$input; cp "$INPUTS/$input" "$in" ;;
	esac
	local out=$T/work/out.json
	printf 'previous content\n' >"$out"
	local before after
	before=$(sha256sum "$out" | cut -d' ' -f1)

	local -a argv=()
	local a
	for a in $args; do
		a=${a//\{in\}/$in}
		a=${a//\{out\}/$out}
		a=${a//\{inputs\}/$INPUTS}
		argv+=("$a")
	done
	msg=${msg//\{in\}/$in}

	# Every input is answered in well under a second (the issue's deep
	# JSON took 79 s of CPU).  A CPU-time limit of 10 s turns a regression
	# into a failure without making a slow or loaded machine fail: that is
	# 10x the goal, and an order of magnitude below the old cost.  The
	# limit is on CPU time, not on wall time, so waiting for the CPU
	# shared with other jobs does not count.
	local got=0
	(ulimit -t 10 && exec "$SP" "${argv[@]}") >"$T/stdout" 2>"$T/stderr" || got=$?
	sed 's/^/  stderr| /' "$T/stderr"
	[ "$got" -lt 128 ] || fail "$id: killed by signal $((got - 128)) (SIGXCPU 24/SIGKILL 9: more than 10 s of CPU)"
	[ "$got" -eq "$want" ] || fail "$id: exit status $got, expected $want"
	assert_contains "$T/stderr" "$msg"
	head -1 "$T/stderr" | grep -q '^seccomp-profile' || fail "$id: stderr does not start with 'seccomp-profile'"
	if [ -n "$in" ] && [ "$input" != @huge ]; then
		head -1 "$T/stderr" | grep -qF -- "$in" || fail "$id: the message does not name the input '$in'"
	fi
	[ ! -s "$T/stdout" ] || fail "$id: wrote to stdout on error: $(head -c 200 "$T/stdout")"
	after=$(sha256sum "$out" | cut -d' ' -f1)
	[ "$before" = "$after" ] || fail "$id: the existing output file was changed"
	[ "$(ls -A "$T/work")" = out.json ] || fail "$id: files left next to the output: $(ls -A "$T/work")"
}

# gen_input NAME FILE: the generated inputs of the table (@gen:NAME), in the
# shapes that used to cost minutes or gigabytes: nesting 200,000 deep (JSON,
# YAML flow, YAML block by indentation and by "- - -"), a 60 MiB scalar,
# 2,000,000 keys, files of exactly 64 MiB (the size limit), and profiles
# with 4,097 to 400,000 rules for one syscall.
gen_input() {
	python3 - "$1" "$2" <<'PY'
import sys
name, path = sys.argv[1], sys.argv[2]
N, MiB = 200000, 1 << 20
def w(*parts):
    with open(path, "w") as f:
        for p in parts:
            f.write(p)
def pad64(head, unit, tail):
    n = (64 * MiB - len(head) - len(tail)) // len(unit)
    body = unit * n
    fill = 64 * MiB - len(head) - len(body) - len(tail)
    w(head, body, " " * fill, tail)
if name == "deep200k.json":
    w("[" * N, "]" * N)
elif name == "deep200k.yaml":
    w("[" * N, "]" * N, "\n")
elif name == "deep-flow.yaml":
    w("default_action: errno\nsyscalls:\n- action: allow\n  names: ", "[" * N, "]" * N, "\n")
elif name == "deep-indent.yaml":
    w("default_action: errno\n", "".join("  " * i + "k%d:\n" % i for i in range(1000)), "  " * 1000 + "x\n")
elif name == "deep-dash.yaml":
    w("default_action: errno\nsyscalls:\n", "- " * N, "x\n")
elif name == "deep-strings.json":
    # brackets in strings do not nest, but the 65th real level is refused
    w('{"comment": "', "[" * 1000, '", "x": ', "[" * 65, "]" * 65, "}")
elif name == "deep-comments.yaml":
    w("# ", "[" * 1000, "\nk: '", "{" * 1000, "'\nx: ", "[" * 65, "]" * 65, "\n")
elif name == "long-scalar.json":
    w('{"defaultAction": "SCMP_ACT_', "A" * (60 * MiB), '", "syscalls": []}')
elif name == "long-scalar.yaml":
    w("default_action: ", "a" * (60 * MiB), "\nsyscalls: []\n")
elif name == "many-keys.json":
    w("{", ",".join('"k%d":0' % i for i in range(2000000)), "}")
elif name == "many-keys.yaml":
    w("".join("k%d: 0\n" % i for i in range(2000000)))
elif name == "some-keys.json":
    w("{", ",".join('"k%d":0' % i for i in range(300000)), "}")
elif name == "size64.json":
    pad64("[", "0,", "0]")
elif name == "size64.yaml":
    pad64("", "- 0\n", "\n")
elif name.startswith("rules") and name.endswith(".json"):
    # conditional read rules, one per value of argument 0
    n = {"rules4097.json": 4097, "rules40k.json": 40000, "rules400k.json": 400000}[name]
    w('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [', ",".join(
        '{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": %d, "op": "SCMP_CMP_EQ"}]}' % i
        for i in range(n)), "]}")
elif name == "size64-spaces.json":
    pad64('{"defaultAction": "SCMP_ACT_NOPE", "syscalls": [', " ", "]}")
else:
    sys.exit("gen_input: unknown input " + name)
PY
}

# Memory of big inputs (SP_MAX_INPUT_BYTES, 64 MiB).  A regular file's size
# is known: one over the limit is refused before anything is read, and one
# under it is read into one buffer of its size.  A stream is read to one
# byte past the limit at most.  Reading by doubling a buffer needed 128 MiB
# for a 64 MiB input (and 133 MB resident); the address-space limits below
# (40 MB, 120 MB) leave room for the program and one copy only.
t_big_inputs_memory() {
	local limit=$((64 * 1024 * 1024)) rc
	truncate -s 1T huge.json
	for cmd in "generate -o out.json" "merge -o out.json" "run -p"; do
		rc=0
		# shellcheck disable=SC2086
		(ulimit -v 40000 && exec "$SP" $cmd huge.json $( [ "$cmd" = "run -p" ] && echo -- true)) 2>err || rc=$?
		[ $rc = 2 ] || fail "$cmd 1 TiB: exit $rc: $(cat err)"
		assert_contains err "'huge.json' is larger than the limit of $limit bytes"
	done
	gen_input size64-spaces.json s64.json
	for cmd in "run -p s64.json -- true" "generate -o out.json s64.json" "diff s64.json s64.json"; do
		rc=0
		# shellcheck disable=SC2086
		(ulimit -v 120000 && exec "$SP" $cmd) 2>err || rc=$?
		[ $rc = 2 ] || fail "$cmd: exit $rc: $(cat err)"
		assert_contains err 's64.json: $: "defaultAction": unknown action "SCMP_ACT_NOPE"'
	done
	rc=0
	(ulimit -v 120000 && exec "$SP" generate -o out.json /dev/zero) 2>err || rc=$?
	[ $rc = 2 ] || fail "/dev/zero: exit $rc: $(cat err)"
	assert_contains err "'/dev/zero' is larger than the limit of $limit bytes"
	# From a pipe (256 MiB offered): refused once it is past the limit.
	rc=0
	python3 -c '
import sys, signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
chunk = b"\n" * 65536
for _ in range(4096):
    sys.stdout.buffer.write(chunk)' | (ulimit -v 120000 && exec "$SP" summary -) 2>err || rc=$?
	[ $rc = 2 ] || fail "pipe: exit $rc: $(cat err)"
	assert_contains err "'-' is larger than the limit of $limit bytes"
}
tcase "badinput: inputs over 64 MiB are refused before reading (files) or one byte past it (streams), in bounded memory" t_big_inputs_memory

t_table_wellformed() {
	local n=0 line TABLE=$TESTS_DIR/badinput/cases.tsv INPUTS=$TESTS_DIR/badinput/inputs
	while IFS= read -r line; do
		case $line in ''|'#'*) continue ;; esac
		n=$((n + 1))
		local fields
		fields=$(printf '%s\n' "$line" | awk -F'\t' '{print NF}')
		[ "$fields" -eq 5 ] || fail "row $n has $fields fields: $line"
	done <"$TABLE"
	[ "$n" -ge 40 ] || fail "only $n rows"
	# every committed input is used by a row (or is a valid control)
	for f in "$INPUTS"/*; do
		b=$(basename "$f")
		case $b in rec-valid*) continue ;; esac
		grep -qF "	$b	" "$TABLE" || fail "input $b is in no row"
	done
}
tcase "badinput: the table is well-formed and uses every input" t_table_wellformed

while IFS=$'\t' read -r id input args status msg; do
	case $id in ''|'#'*) continue ;; esac
	eval "t_bad_$((++_n))() { badinput_case $(printf '%q ' "$id" "$input" "$args" "$status" "$msg"); }"
	tcase "badinput: $id" "t_bad_$_n"
done <"$TABLE"
