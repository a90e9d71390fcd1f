#!/usr/bin/env bash
# Runs every tests/integration/t_*.sh (or those named as arguments) and
# ends with the skipped cases (each with the reason), the failed ones, and
# one line "N passed, N failed, N skipped".  Exit 1 on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export SP_RESULTS
SP_RESULTS=$(mktemp /tmp/sp-results.XXXXXX)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/t_*.sh)
# No test may leave a process behind.  Each case runs under a child
# subreaper (lib.sh's tcase); each file does too, for what a file starts
# outside its cases.  A subreaper, unlike a process group or session,
# also gets what escaped with setsid or a daemon's double fork, and needs
# no privilege (a cgroup would need root or delegation).
reaper=${SP_BUILD:?SP_BUILD must point at the build directory}/helpers/subreaper
[ -x "$reaper" ] || { echo "run.sh: $reaper is missing: run 'make helpers'" >&2; exit 1; }
left=$(mktemp /tmp/sp-left.XXXXXX)
for f in "${files[@]}"; do
	echo "== $(basename "$f")"
	"$reaper" "$left" bash "$f"
	if [ -s "$left" ]; then
		echo "FAIL $(basename "$f"): left processes behind outside its cases, killed: $(paste -sd';' "$left")" |
			tee -a "$SP_RESULTS"
	fi
done
rm -f "$left"
pass=$(grep -c '^PASS' "$SP_RESULTS")
fail=$(grep -c '^FAIL' "$SP_RESULTS")
skip=$(grep -c '^SKIP' "$SP_RESULTS")
# what this machine could not run, and why (one line each), then what failed
if [ "$skip" -gt 0 ]; then
	echo "Skipped:"
	grep '^SKIP' "$SP_RESULTS" | sed 's/^SKIP /  /'
fi
if [ "$fail" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL' "$SP_RESULTS" | sed 's/^/  /'
fi
rm -f "$SP_RESULTS"
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
