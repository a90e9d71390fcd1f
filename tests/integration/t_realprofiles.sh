#!/usr/bin/env bash
# The seccomp profiles Docker (moby 20.10) and Podman (containers-common
# 0.50) ship, fetched by `make deps` from Debian's archive into .deps/profiles:
# they must be read, cross-checked against our own compiler and enforced
# the way runc would enforce them, for native and i386 programs.
. "$(dirname "$0")/lib.sh"

# (a function: the test cases run in a fresh shell that gets functions)
profiles() { echo "$TESTS_DIR/../.deps/profiles"; }
need_profiles() {
	[ -s "$(profiles)/docker-default.json" ] && [ -s "$(profiles)/podman-default.json" ] ||
		skip "Docker/Podman profiles not in .deps/profiles: 'make deps' could not download them"
}

t_docker_default() {
	need_profiles
	local P; P="$(profiles)/docker-default.json"
	# a shell runs
	"$SP" run --skip-unknown --profile "$P" -- /bin/sh -c 'echo hi' >out 2>err
	assert_contains out hi
	# unshare needs CAP_SYS_ADMIN in this profile (excludes/includes caps)
	assert_status 1 "$SP" run --skip-unknown --profile "$P" -- unshare -U true
	"$SP" run --skip-unknown --profile "$P" -- unshare -U true 2>err || true
	assert_contains err "unshare failed: Operation not permitted"
	assert_status 0 "$SP" run --skip-unknown --cap CAP_SYS_ADMIN --profile "$P" -- unshare -U true
	# check names exactly that call
	local st=0
	"$SP" check --skip-unknown --profile "$P" -- unshare -U true >out 2>err || st=$?
	[ "$st" -eq 1 ] || fail "check exited $st: $(cat err)"
	assert_contains out "1 violation"
	grep -Eq '^  x86_64 +unshare ' out || fail "unshare not reported: $(cat out)"
	assert_status 0 "$SP" check --skip-unknown --cap CAP_SYS_ADMIN --profile "$P" -- unshare -U true
}
tcase "real profiles: Docker's default is enforced, caps decide" t_docker_default

t_docker_default_i386() {
	need_profiles
	need_i386 rc_victim
	# the profile lists SCMP_ARCH_X86 beside x86_64: a 32-bit program runs
	"$SP" run --skip-unknown --profile "$(profiles)/docker-default.json" -- "$HELPERS/rc_victim-m32" >out 2>err
	assert_contains out "getppid ok"
}
tcase "real profiles: Docker's default lets an i386 program run" t_docker_default_i386

t_podman_default() {
	need_profiles
	local P; P="$(profiles)/podman-default.json"
	# "defaultErrno"/"errno" (containers/common extensions) are read; the
	# default is ENOSYS there, as Podman enforces it
	"$SP" run --skip-unknown --profile "$P" -- "$HELPERS/rc_victim" >out 2>err
	assert_contains out "getppid ok"
	# setns: ALLOW for everyone at $.syscalls[1], ERRNO without
	# CAP_SYS_ADMIN at $.syscalls[15]; libseccomp keeps the first of the two
	# (runc, crun, Podman), so the second has no effect, and we say so
	assert_contains err 'rule for "setns" (errno:EPERM) has no effect: allow at $.syscalls[1]'
	"$SP" run --skip-unknown --cap CAP_SYS_ADMIN --profile "$P" -- /bin/true 2>err
	assert_not_contains err "has no effect"
	# a call outside it gets ENOSYS (defaultErrnoRet 38)
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES", "errnoRet": 13}]}\n' >p.json
	"$SP" check --profile p.json -- /bin/true >/dev/null 2>err || true
	assert_contains err 'p.json: $: "defaultErrno": "ENOSYS" is read by Podman and CRI-O only; Docker ignores it and returns EPERM (add "defaultErrnoRet": 38)'
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES", "errnoRet": 13}]}\n' >p.json
	"$SP" run --profile p.json -- "$HELPERS/rc_victim" >out 2>err || true
	assert_contains out "getppid: Permission denied"
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES", "errnoRet": 1}]}\n' >p.json
	assert_status 2 "$SP" run --profile p.json -- "$HELPERS/rc_victim"
	"$SP" run --profile p.json -- "$HELPERS/rc_victim" 2>err || true
	assert_contains err '"errno": "EACCES" (13) and "errnoRet": 1 disagree (Podman and CRI-O use the first, Docker the second)'
}
tcase "real profiles: Podman's default, its errno names and its dead setns rule" t_podman_default
