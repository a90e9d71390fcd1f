# tests/abis/lib.sh: sourced by the guest's tests (busybox sh, no bash,
# no python): the same contract as tests/integration/lib.sh.
#
#     t_x() { "$SP" record -o r.json -- "$V/rec_count-m32" 1 1 1; }
#     tcase "i386: something" t_x
#
# Each case runs in its own `sh` with `set -e` in a fresh directory $T,
# killed after SP_TCASE_TIMEOUT seconds (default 240: TCG is slow).
# It prints "PASS name", "SKIP name (reason)" or "FAIL name" followed by
# its output, which the host's tests/abis/run counts.

SP=/bin/seccomp-profile
V=/v

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

assert_status() {
	want=$1; shift
	got=0
	"$@" || got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}
assert_contains() { grep -qF -- "$2" "$1" || { sed 's/^/  | /' "$1" | head -40 >&2; fail "'$1' lacks '$2'"; }; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || fail "'$1' contains '$2'"; }

# calls REC ABI NAME: the calls a recording counts for NAME under ABI (0 if
# absent).  Our writer prints one key per line, ABIs at four spaces.
calls() {
	awk -v abi="$2" -v name="$3" '
		/^  "abis": \{/ { in_abis = 1; next }
		in_abis && /^    "[a-z0-9_]+": \[/ { cur = $1; gsub(/[":]/, "", cur); next }
		in_abis && /^      \{/ { n = "" }
		in_abis && /^        "name": / { n = $2; gsub(/[",]/, "", n) }
		in_abis && /^        "calls": / && cur == abi && n == name { c = $2; gsub(/,/, "", c); s += c }
		END { print s + 0 }' "$1"
}
assert_calls() { # REC ABI NAME WANT ("+" for at least one)
	got=$(calls "$1" "$2" "$3")
	if [ "$4" = + ]; then
		[ "$got" -gt 0 ] || fail "recording $1 has no $3 under $2"
	else
		[ "$got" = "$4" ] || fail "recording $1: $2 $3 called $got times, expected $4"
	fi
}
# meta REC KEY: a scalar of the recording's meta ("processes", "threads").
meta() { sed -n "s/^    \"$2\": \\([^,]*\\),\$/\\1/p" "$1" | head -1; }
escaped() { # REC: the number of entries in meta.escaped
	awk '/^    "escaped": \[\]/ { print 0; exit } /^    "escaped": \[/ { e = 1; n = 0; next }
		e && /^    \]/ { print n; exit } e { n++ }' "$1"
}

# per_abi FN: runs FN ABI SUFFIX for each ABI; the suffix's victims must exist.
per_abi() {
	fn=$1
	for pair in $SP_ABIS; do
		abi=${pair%%:*} sfx=${pair#*:}
		[ -x "$V/rc_victim$sfx" ] || fail "$abi: no victim $V/rc_victim$sfx in the initramfs"
		echo "-- $abi"
		$fn "$abi" "$sfx"
	done
}

# emit_file NAME FILE: hands FILE to the host (init prints it on the
# console after the tests, tests/abis/run keeps it as build/abis/MACHINE-out/NAME).
emit_file() { mkdir -p /tmp/abis-out && cp "$2" "/tmp/abis-out/$1"; }

tcase() {
	name=$1 fn=$2
	T=$(mktemp -d /tmp/t.XXXXXX)
	rc=0
	(cd "$T" && T=$T timeout -s KILL "${SP_TCASE_TIMEOUT:-240}" sh -c \
		". /tests/lib.sh; tcase() { :; }; . $SP_TFILE; set -e; $fn") >"$T.log" 2>&1 || rc=$?
	case $rc in
	0) echo "PASS $name" ;;
	77) echo "SKIP $name ($(grep '^SKIP:' "$T.log" | tail -1 | cut -c7-))" ;;
	*) echo "FAIL $name (exit $rc)"; sed 's/^/  | /' "$T.log" | tail -40 ;;
	esac
	rm -rf "$T" "$T.log"
}
# abi_names REC ABI: the names recorded under ABI, space-separated.
abi_names() {
	awk -v abi="$2" '
		/^  "abis": \{/ { in_abis = 1; next }
		in_abis && /^    "[a-z0-9_]+": \[/ { cur = $1; gsub(/[":]/, "", cur); next }
		in_abis && cur == abi && /^        "name": / { n = $2; gsub(/[",]/, "", n); printf "%s%s", sep, n; sep = " " }
		END { print "" }' "$1"
}
