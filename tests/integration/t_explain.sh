#!/usr/bin/env bash
# explain: call sites of one syscall from a recording; clear errors when
# the syscall or its call sites are missing.
. "$(dirname "$0")/lib.sh"

mkrec() {
	python3 - <<'PY'
import json
site = lambda fn, off: {"exe": "/opt/app", "frames": [
    {"module": "/lib/libc.so.6", "offset": 0xe5f2b, "symbol": "chdir", "sym_off": 0xb},
    {"module": "/opt/app", "offset": off, "symbol": fn, "sym_off": 0x9},
    {"module": "/opt/app", "offset": 0x1080, "symbol": None, "sym_off": 0}]}
rec = {"schema": "seccomp-profile/recording", "version": 1, "meta": {"runs": 2},
       "abis": {"x86_64": [
           {"name": "chdir", "calls": 3, "errors": 1, "errnos": {"ENOENT": 1}, "runs_seen": 2,
            "first": {"pid": 42, "exe": "/opt/app"},
            "sites": [site("victim_do_chdir", 0x1169), site("other_caller", 0x1200)], "sites_dropped": 2},
           {"name": "read", "calls": 1}],
           "i386": [{"name": "chdir", "calls": 1}]}}
json.dump(rec, open("r.json", "w"))
PY
}

t_explain_sites() {
	mkrec
	"$SP" explain r.json chdir >out
	assert_contains out "chdir on x86_64: 3 calls, 1 error, seen in 2 of 2 runs, first by /opt/app (pid 42)"
	assert_contains out "call site 1 of 2 (/opt/app):"
	assert_contains out "#0  chdir+0xb (/lib/libc.so.6+0xe5f2b)"
	assert_contains out "#1  victim_do_chdir+0x9 (/opt/app+0x1169)"
	assert_contains out "#2  /opt/app+0x1080"
	assert_contains out "#1  other_caller+0x9 (/opt/app+0x1200)"
	assert_contains out "(2 more distinct call sites were not kept"
	# the i386 entry has no sites: not shown when x86_64 has some
	assert_not_contains out "on i386"
	"$SP" explain --abi x86_64 r.json 80 >num
	cmp out num || fail "by number differs from by name"
}
tcase "explain: every call site with executable and backtrace" t_explain_sites

t_explain_errors() {
	mkrec
	assert_status 1 "$SP" explain r.json umask
	"$SP" explain r.json umask 2>e || true
	assert_contains e "seccomp-profile: r.json: 'umask' is not in this recording"
	assert_status 1 "$SP" explain r.json read
	"$SP" explain r.json read 2>e || true
	assert_contains e "'read' was recorded (1 call) but without call sites; record with --stacks"
	assert_status 1 "$SP" explain --abi i386 r.json chdir
	"$SP" explain --abi i386 r.json chdir 2>e || true
	assert_contains e "without call sites"
	assert_status 2 "$SP" explain r.json nosuchcall
	assert_status 2 "$SP" explain r.json 80          # a number needs --abi
	assert_status 2 "$SP" explain --abi sparc r.json chdir
	assert_status 2 "$SP" explain r.json
	assert_status 2 "$SP" explain missing.json chdir
}
tcase "explain: clear errors for missing syscalls and call sites" t_explain_errors
