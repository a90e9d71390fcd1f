#!/usr/bin/env bash
# docs/ci/github-actions.yml: the workflow parses, has the steps docs/ci.md
# describes, and its record/generate/diff steps, run here as GitHub would
# run them, catch a test suite that starts making new system calls.
. "$(dirname "$0")/lib.sh"

t_ci_parses() {
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
	python3 - "$TESTS_DIR/../docs/ci/github-actions.yml" <<-'PY'
	import sys, yaml
	wf = yaml.safe_load(open(sys.argv[1]))
	on = wf.get("on", wf.get(True))          # YAML 1.1 reads a bare `on` as true
	assert on and "pull_request" in on, "not triggered on pull requests"
	assert wf["permissions"]["pull-requests"] == "write", "cannot comment without pull-requests: write"
	for k in ("SECCOMP_TEST_CMD", "SECCOMP_PROFILE", "SECCOMP_FORMAT"):
	    assert k in wf["env"], "env lacks " + k
	steps = wf["jobs"]["seccomp"]["steps"]
	ids = [s.get("id") for s in steps]
	for need in ("record", "generate", "diff"):
	    assert need in ids, "no step with id " + need
	for s in steps:
	    assert ("run" in s) != ("uses" in s), "step %r needs exactly one of run/uses" % s.get("name")
	comment = [s for s in steps if "gh pr comment" in s.get("run", "")]
	assert comment and comment[0]["if"] == "steps.diff.outputs.status == '1'", "no conditional comment step"
	assert "--format markdown" in steps[ids.index("diff")]["run"], "diff is not markdown"
	PY
}
tcase "CI recipe: the GitHub Actions workflow parses and has its steps" t_ci_parses

t_ci_runs_locally() {
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
	"$SP" formats | awk '$1 == "docker" && $3 ~ /write/ { ok = 1 } END { exit !ok }' ||
		skip "the docker format cannot be written yet"
	# the steps' scripts, as files
	python3 - "$TESTS_DIR/../docs/ci/github-actions.yml" <<-'PY'
	import sys, yaml
	wf = yaml.safe_load(open(sys.argv[1]))
	for s in wf["jobs"]["seccomp"]["steps"]:
	    if s.get("id") in ("record", "generate", "diff"):
	        open("step-%s.sh" % s["id"], "w").write("set -e\n" + s["run"])
	PY
	mkdir bin seccomp
	ln -s "$SP" bin/seccomp-profile
	export PATH=$T/bin:$PATH SECCOMP_FORMAT=docker SECCOMP_PROFILE=seccomp/profile.json
	export SECCOMP_TEST_CMD=./tests.sh GITHUB_OUTPUT=$T/out GITHUB_STEP_SUMMARY=$T/summary
	# The committed profile comes from a test suite that only echoes.
	printf '#!/bin/sh\necho ok >/dev/null\n' >tests.sh
	chmod +x tests.sh
	bash step-record.sh && bash step-generate.sh
	cp seccomp-new.profile seccomp/profile.json
	: >out
	bash step-diff.sh || fail "diff step failed on an unchanged test suite"
	grep -qx 'status=0' out || fail "unchanged test suite: $(cat out), expected status=0"
	# The next version of the tests also lists a directory: new system calls.
	printf '#!/bin/sh\necho ok >/dev/null\nls -l / >/dev/null\n' >tests.sh
	bash step-record.sh && bash step-generate.sh
	: >out
	bash step-diff.sh || fail "the diff step itself must succeed on drift (the last step fails the job)"
	grep -qx 'status=1' out || fail "drift not detected: $(cat out), expected status=1"
	# (statx, not getdents64: runc's own calls, which a docker profile
	# always has, include getdents64)
	assert_contains seccomp-diff.md "statx"
	assert_contains summary "statx"
	# A failing test suite fails the record step.
	printf '#!/bin/sh\nexit 3\n' >tests.sh
	! bash step-record.sh || fail "the record step passed although the tests failed"
}
tcase "CI recipe: record, generate and diff steps catch new system calls" t_ci_runs_locally
