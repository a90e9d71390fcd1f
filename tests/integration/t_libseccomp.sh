#!/usr/bin/env bash
# The libseccomp bugs seccomp-profile works around (tests/fuzz/libseccomp-hang.txt)
# are still there: each reproducer in tests/fuzz/libseccomp/ (built by
# `make helpers` into build/libseccomp-bugs/) must still misbehave as the
# file says on libseccomp 2.5.4.  A 2.5.4 that behaves (a patched build)
# fails here, so that what we do about the bug is reconsidered rather than
# kept on by habit; another version says what it fixed and skips.
. "$(dirname "$0")/lib.sh"

# repro_case NAME: runs build/libseccomp-bugs/NAME under a time limit.
repro_case() {
	local name=$1 bin=$HELPERS/../libseccomp-bugs/$1 st=0
	[ -x "$bin" ] || fail "$bin is missing: run 'make helpers'"
	timeout --kill-after=5 30 "$bin" >out 2>err || st=$?
	local line
	line=$(head -1 out)
	case $st in
	0)
		case $line in
		"reproduced (libseccomp 2.5.4): "*) ;;
		"reproduced ("*) ;; # another version with the same bug: still worked around
		*) fail "$name: unexpected output '$line'" ;;
		esac ;;
	1)
		case $line in
		"not reproduced (libseccomp 2.5.4): "*)
			fail "$name: this libseccomp 2.5.4 no longer has the bug ($line); update tests/fuzz/libseccomp-hang.txt and reconsider the work-around it describes" ;;
		*) skip "$name: fixed in this libseccomp: ${line#not reproduced }" ;;
		esac ;;
	124|137) fail "$name: did not finish in 30 s (its own limit is a few seconds)" ;;
	*) fail "$name: exited $st: $line $(cat err)" ;;
	esac
}

# Every reproducer is named in libseccomp-hang.txt, and every one named there exists.
t_repro_documented() {
	local doc=$TESTS_DIR/fuzz/libseccomp-hang.txt f n
	for f in "$TESTS_DIR"/fuzz/libseccomp/*.c; do
		n=tests/fuzz/libseccomp/$(basename "$f")
		grep -qF "$n" "$doc" || fail "$doc does not name $n"
	done
	for n in $(grep -o 'tests/fuzz/libseccomp/[a-z_]*\.c' "$doc" | sort -u); do
		[ -f "$TESTS_DIR/../$n" ] || fail "$doc names $n, which does not exist"
	done
}
tcase "libseccomp: every reproducer is documented" t_repro_documented

for src in "$TESTS_DIR"/fuzz/libseccomp/*.c; do
	name=$(basename "$src" .c)
	eval "t_repro_$name() { repro_case $name; }"
	tcase "libseccomp: $name still reproduces" "t_repro_$name"
done
