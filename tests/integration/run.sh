#!/usr/bin/env bash
# Runs every tests/integration/t_*.sh (or those named as arguments) and
# ends with one line "N passed, N failed, N skipped".  Exit 1 on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export SP_RESULTS
SP_RESULTS=$(mktemp /tmp/sp-results.XXXXXX)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/t_*.sh)
for f in "${files[@]}"; do
	echo "== $(basename "$f")"
	bash "$f"
done
pass=$(grep -c '^PASS' "$SP_RESULTS")
fail=$(grep -c '^FAIL' "$SP_RESULTS")
skip=$(grep -c '^SKIP' "$SP_RESULTS")
if [ "$fail" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL' "$SP_RESULTS" | sed 's/^/  /'
fi
rm -f "$SP_RESULTS"
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
