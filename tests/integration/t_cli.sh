#!/usr/bin/env bash
# The command-line contract: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"

t_help() {
	"$SP" --help >out
	assert_contains out "Usage: seccomp-profile"
	for c in record generate merge diff run check summary explain formats; do
		assert_contains out "  $c "
		"$SP" "$c" --help >h 2>e || fail "$c --help exited non-zero"
		assert_contains h "Usage: seccomp-profile $c"
		[ ! -s e ] || fail "$c --help wrote to stderr"
	done
	"$SP" help record >h
	assert_contains h "Usage: seccomp-profile record"
}
tcase "--help for every command, on stdout, exit 0" t_help

t_version() {
	"$SP" --version >v
	grep -Eq '^seccomp-profile [0-9]+\.[0-9]+' v || fail "bad version line: $(cat v)"
	"$SP" version | cmp - v
}
tcase "--version" t_version

t_usage_errors() {
	assert_status 2 "$SP"
	assert_status 2 "$SP" no-such-command
	"$SP" no-such-command 2>e || true
	assert_contains e "unknown command 'no-such-command'"
	assert_contains e "Try 'seccomp-profile --help'"
	assert_status 2 "$SP" --bogus
	assert_status 2 "$SP" formats --bogus
	assert_status 2 "$SP" formats extra-arg
	"$SP" formats extra-arg 2>e || true
	assert_contains e "formats --help"
}
tcase "usage errors exit 2 with a hint" t_usage_errors

t_formats() {
	"$SP" formats >f
	assert_contains f "recording"
}
tcase "formats lists the registry" t_formats
