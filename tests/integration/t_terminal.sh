#!/usr/bin/env bash
# Terminal behaviour shared by every command: colour (SGR escape sequences)
# only on a terminal, never with NO_COLOR or TERM=dumb, never in pipes or
# files; and every usage error ends with a hint naming --help.
. "$(dirname "$0")/lib.sh"

# A recording with a high-risk call, so coloured output has something to
# colour (diff, summary, explain).
term_fixtures() {
	cat >old.json <<-'EOF'
	{"schema": "seccomp-profile/recording", "version": 1, "meta": {"runs": 1},
	 "abis": {"x86_64": [{"name": "read", "calls": 3}, {"name": "write", "calls": 1, "errors": 1, "errnos": {"EBADF": 1}}]}}
	EOF
	cat >new.json <<-'EOF'
	{"schema": "seccomp-profile/recording", "version": 1, "meta": {"runs": 1},
	 "abis": {"x86_64": [{"name": "read", "calls": 3}, {"name": "ptrace", "calls": 1,
	   "sites": [{"exe": "/bin/x", "frames": [{"module": "/bin/x", "offset": 16, "symbol": "main", "sym_off": 4}]}]}]}}
	EOF
	# The invocations to look at.
	: >cmds
	local c
	for c in "diff old.json new.json" "diff --format markdown old.json new.json" "summary new.json" \
		"explain new.json ptrace" "formats" "--help" "record --help" "merge old.json new.json" \
		"record -c -o r.json -- /bin/true" "check --profile old.json -- /bin/true"; do
		echo "$c" >>cmds
	done
}
# on_tty ENV... -- CMD...: runs CMD with a pseudo-terminal as stdout and
# stderr (script(1)); the output goes to file "tty.out".
on_tty() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" script -qec "$(printf '%q ' "$@")" /dev/null >tty.out 2>&1 </dev/null || true
}
has_sgr() { grep -qP '\x1b\[[0-9;]*m' "$1"; }

t_no_colour_when_piped() {
	term_fixtures
	local c
	while read -r c; do
		# shellcheck disable=SC2086
		"$SP" $c >out 2>err </dev/null || true
		! has_sgr out || fail "'seccomp-profile $c' writes colour to a pipe (stdout)"
		! has_sgr err || fail "'seccomp-profile $c' writes colour to a pipe (stderr)"
	done <cmds
}
tcase "terminal: no colour in pipes and files" t_no_colour_when_piped

t_no_colour_with_no_color() {
	command -v script >/dev/null || skip "script(1) not installed (util-linux)"
	term_fixtures
	on_tty TERM=xterm -- "$SP" diff old.json new.json
	has_sgr tty.out || fail "diff is not coloured on a terminal: $(head -3 tty.out)"
	local c
	while read -r c; do
		# shellcheck disable=SC2086
		on_tty NO_COLOR=1 TERM=xterm -- "$SP" $c
		! has_sgr tty.out || fail "'NO_COLOR=1 seccomp-profile $c' is coloured on a terminal"
		# shellcheck disable=SC2086
		on_tty TERM=dumb -- "$SP" $c
		! has_sgr tty.out || fail "'TERM=dumb seccomp-profile $c' is coloured"
	done <cmds
}
tcase "terminal: colour only on a terminal, never with NO_COLOR or TERM=dumb" t_no_colour_with_no_color

# Every command answers a bad option and a missing argument with exit 2 and
# a line that tells what to do next.
t_usage_hints() {
	local c
	for c in $("$SP" --help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1; next } c { exit }'); do
		case $c in help | version) continue ;; esac
		"$SP" "$c" --no-such-option >out 2>err </dev/null && fail "$c accepted --no-such-option"
		[ -s err ] || fail "'$c --no-such-option' printed nothing on stderr"
		assert_status 2 "$SP" "$c" --no-such-option
		grep -q "Try 'seccomp-profile $c --help'" err ||
			fail "'$c --no-such-option' does not point to '$c --help': $(cat err)"
	done
}
tcase "terminal: usage errors exit 2 and point to CMD --help" t_usage_hints

# Machines get --json from diff, summary and check: valid JSON on stdout,
# nothing else there.
t_json() {
	term_fixtures
	"$SP" diff --json old.json new.json >a.json || [ $? -eq 1 ]
	"$SP" diff --format json old.json new.json >b.json || [ $? -eq 1 ]
	cmp a.json b.json || fail "diff --json differs from diff --format json"
	python3 -m json.tool a.json >/dev/null || fail "diff --json is not JSON"
	"$SP" summary --json new.json >s.json || fail "summary --json failed"
	python3 -m json.tool s.json >/dev/null || fail "summary --json is not JSON: $(head -3 s.json)"
	"$SP" check --json --profile old.json -- /bin/true >c.json 2>/dev/null || true
	python3 -m json.tool c.json >/dev/null || fail "check --json is not JSON: $(head -3 c.json)"
}
tcase "terminal: --json on diff, summary and check is JSON" t_json
