#!/usr/bin/env bash
# Bash completion (scripts/seccomp-profile.bash): sourced into a shell and
# asked for completions the way bash's `complete -F` would ask.
. "$(dirname "$0")/lib.sh"

# comp WORD... : complete the last word; prints the candidates one a line.
comp() {
	(
		. "$TESTS_DIR/../scripts/seccomp-profile.bash"
		COMP_WORDS=("$SP" "$@")
		COMP_CWORD=$#
		COMPREPLY=()
		_seccomp_profile
		printf '%s\n' "${COMPREPLY[@]}"
	)
}
# expect_comp "WANTED..." WORD... : every wanted word is offered.
expect_comp() {
	local want=$1 got w
	shift
	got=$(comp "$@")
	for w in $want; do
		printf '%s\n' "$got" | grep -qxF -- "$w" ||
			fail "completing '$*' did not offer '$w' (offered: $(echo $got))"
	done
}
# refuse_comp WORD WORDS... : WORD is not offered.
refuse_comp() {
	local no=$1 got
	shift
	got=$(comp "$@")
	! printf '%s\n' "$got" | grep -qxF -- "$no" || fail "completing '$*' offered '$no'"
}

t_subcommands() {
	bash -n "$TESTS_DIR/../scripts/seccomp-profile.bash"
	local want
	want=$("$SP" --help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1; next } c { exit }')
	[ -n "$want" ] || fail "no commands in --help"
	[ "$(comp '' | sort)" = "$(printf '%s\n' $want | sort)" ] ||
		fail "subcommands offered: $(comp '' | tr '\n' ' '); --help lists: $(echo $want)"
	expect_comp "record" re
	expect_comp "--help --version --verbose --quiet -V" -
	expect_comp "record generate" help ''
}
tcase "completion: subcommands and global options" t_subcommands

t_options() {
	expect_comp "-o -f -c -p --stacks --baseline" record -
	expect_comp "--baseline" record --ba
	expect_comp "--default-action --arch -f -o" generate -
	expect_comp "--format --fail-on" diff --f
	expect_comp "--profile --mode" run --
	expect_comp "--profile --stacks --json --deny" check -
	expect_comp "--json" summary -
	expect_comp "--abi" explain -
	# every option each command's --help prints is offered
	local c o
	for c in record generate merge diff run check summary explain; do
		for o in $("$SP" "$c" --help | sed -n 's/^Usage: //p; s/^ *\(seccomp-profile .*\)/\1/p; s/^ *\(-[^ ].*\)/\1/p' |
			sed 's/  .*//' | grep -oE -- '(^|[ [|,])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ [|,]//' | sort -u); do
			expect_comp "$o" "$c" -
		done
	done
}
tcase "completion: options of every subcommand, from its --help" t_options

t_values() {
	local writable
	writable=$("$SP" formats | awk '$3 ~ /write/ { print $1 }')
	expect_comp "$writable" record -f ''
	expect_comp "text json markdown" diff --format ''
	expect_comp "json" diff --format=j
	expect_comp "added removed any none" diff --fail-on ''
	expect_comp "enforce log kill" run --mode ''
	expect_comp "enforce log kill" run -m ''
	expect_comp "CAP_SYS_ADMIN" run --cap CAP_SYS_A
	expect_comp "x86_64 x32" generate --arch x
	expect_comp "$$" record -p "$$"
	refuse_comp "--stacks" record -o ''
}
tcase "completion: option values (formats, choices, ABIs, PIDs)" t_values

t_positional() {
	touch "$T/alpha.json" "$T/beta.json"
	expect_comp "$T/alpha.json $T/beta.json" summary "$T/"
	expect_comp "$T/alpha.json" diff "$T/alpha.json" "$T/al"
	# the workload of record/run/check completes as a command
	expect_comp "ls" record -o x.json -- l
	expect_comp "ls" check --profile p.json l
	refuse_comp "ls" record -o l
	cat >"$T/rec.json" <<-'EOF'
	{"schema": "seccomp-profile/recording", "version": 1, "meta": {},
	 "abis": {"x86_64": [{"name": "openat", "nr": 257, "calls": 1},
	                     {"name": "write", "nr": 1, "calls": 2}]}}
	EOF
	expect_comp "openat" explain "$T/rec.json" o
	expect_comp "openat write" explain --abi x86_64 "$T/rec.json" ''
}
tcase "completion: files, workload commands, syscalls of a recording" t_positional
