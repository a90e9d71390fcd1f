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

	local got=0
	"$SP" "${argv[@]}" >"$T/stdout" 2>"$T/stderr" || got=$?
	sed 's/^/  stderr| /' "$T/stderr"
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
