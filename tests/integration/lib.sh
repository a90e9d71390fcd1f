# tests/integration/lib.sh: sourced by every tests/integration/t_*.sh.
#
# A test file defines shell functions and registers each with `tcase`:
#
#     t_record_true() { "$SP" record -o "$T/r.json" -- /bin/true; }
#     tcase "record /bin/true" t_record_true
#
# Each case runs in its own subshell with `set -e`, a fresh scratch
# directory $T, and a time limit (SP_TCASE_TIMEOUT, default 120 s).  It
# passes when the function returns 0, is skipped when it calls
# `skip "reason"` (exit 77), and fails otherwise; its output is shown only
# on failure.  Helpers below fail with a message naming what differed.
#
# No process may outlive its case: each case runs under build/helpers/
# subreaper (see tests/helpers/subreaper.c), to which everything the case
# orphans is re-parented, daemons included; what is still alive when the
# case has ended turns it into a FAIL naming those processes, which are then
# killed.  A case that starts something in the background stops it on every
# path itself: `spawned PID...` does that from an EXIT trap.

SP=${SP_BIN:?SP_BIN must point at the seccomp-profile binary}
HELPERS=${SP_BUILD:?SP_BUILD must point at the build directory}/helpers
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${SP_RESULTS:=/dev/null}"

REAPER=$HELPERS/subreaper
[ -x "$REAPER" ] || { echo "lib.sh: $REAPER is missing: run 'make helpers'" >&2; exit 1; }

skip() { echo "SKIP: $*" >&2; exit 77; }
# need_cmd CMD...: skip unless every CMD is installed (`make deps` installs them).
need_cmd() {
	local c
	for c; do command -v "$c" >/dev/null || skip "'$c' is not installed (make deps installs it)"; done
}
# spawned PID...: these background jobs of the case's shell are killed
# (SIGKILL) and waited for when the case exits, whichever way it exits.
# Only jobs still running are signalled (`jobs -p`): the PID of one already
# waited for may belong to another process by then.  What they started
# themselves dies with them (EXITKILL, a parent-death signal) or is caught
# by the subreaper.  A case with its own EXIT trap calls sp_kill_spawned.
spawned() {
	SP_SPAWNED="${SP_SPAWNED-} $*"
	trap sp_kill_spawned EXIT
}
sp_kill_spawned() {
	local p j
	for j in $(jobs -p); do
		for p in ${SP_SPAWNED-}; do
			[ "$j" != "$p" ] || { kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
		done
	done
}
fail() { echo "FAIL: $*" >&2; exit 1; }

# in_private_mounts FN: runs the case function FN (again) in a private mount
# namespace, where its mounts neither reach the machine's mount table nor
# outlive the case; FN tells the second run by SP_PRIVATE_MOUNTS=1.
# Skips where no mount namespace can be made (not root, say).
in_private_mounts() {
	local err
	err=$(unshare -m --propagation private true 2>&1) ||
		skip "cannot make a private mount namespace (needs root): ${err:-unshare failed}"
	SP_PRIVATE_MOUNTS=1 unshare -m --propagation private \
		bash -c "set -e; $(declare -f); $(declare -p SP HELPERS TESTS_DIR T); $1"
}

# assert_status WANT CMD...: run CMD, require exit status WANT.
assert_status() {
	local want=$1; shift
	local got=0
	"$@" || got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}
# assert_contains FILE TEXT / assert_not_contains FILE TEXT
assert_contains() { grep -qF -- "$2" "$1" || { sed 's/^/  | /' "$1" | head -40 >&2; fail "'$1' lacks '$2'"; }; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || fail "'$1' contains '$2'"; }
# has_syscall REC ABI NAME: the recording lists NAME under ABI with calls > 0.
has_syscall() {
	python3 - "$@" <<'PY'
import json, sys
rec, abi, name = sys.argv[1:4]
d = json.load(open(rec))
ok = any((s.get("name") == name or str(s.get("nr")) == name) and s.get("calls", 0) > 0
         for s in d["abis"].get(abi, []))
sys.exit(0 if ok else 1)
PY
}
assert_syscall() { has_syscall "$@" || fail "recording $1 has no $3 under $2"; }
assert_no_syscall() { ! has_syscall "$@" || fail "recording $1 has $3 under $2"; }

# strace_allow_list DROP FILE CMD...: an allow-list OCI profile (default errno
# EPERM) of every syscall strace sees CMD make, minus DROP ("nothing" drops
# nothing).  Built with strace, independently of our own recorder, so that
# run and check are tested against a profile our code did not produce.
# futex is always allowed: whether a thread blocks in it (a pthread_join
# that finds its thread still running) depends on interleaving, not on the
# program, so a verdict must not hinge on whether this strace run saw one.
strace_allow_list() {
	local drop=$1 out=$2; shift 2
	command -v strace >/dev/null || skip "strace is not installed"
	strace -f -qq -o "$T/strace.log" "$@" >/dev/null 2>&1 || true
	python3 - "$T/strace.log" "$drop" "$out" <<'PY'
import json, re, sys
names = set()
for line in open(sys.argv[1]):
    m = re.match(r'^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)[( ]', line)
    if m and m.group(1) not in ("exited", "killed"):
        names.add(m.group(1))
assert "execve" in names, names
names.add("futex")
names.discard(sys.argv[2])
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
           "syscalls": [{"names": sorted(names), "action": "SCMP_ACT_ALLOW"}]}, open(sys.argv[3], "w"))
PY
}

# Whether this machine runs i386 code is found out by running it: `cc -m32`
# building a program says nothing about the kernel.  That takes IA32
# emulation (CONFIG_IA32_EMULATION, not turned off by ia32_emulation=0 on
# the kernel's command line), which some kernels and hypervisors lack;
# `make check-abis` tests i386 on a kernel in QEMU that has it.  Each probe
# skips only on the documented symptom of its absence and fails the case on
# any other outcome (a broken victim is not a missing feature).
#
# need_int80: `int $0x80` (the i386 system call entry) works in a 64-bit
# process.  Without IA32 emulation the kernel has no handler for vector
# 0x80 and the process dies of SIGSEGV (139) before any system call is
# made, so there is nothing to record or filter.
need_int80() {
	local rc=0
	"$HELPERS/rec_misc" int80 >/dev/null 2>&1 || rc=$?
	case $rc in
	0) ;;
	139) skip "this kernel does not run i386 code (int 0x80 dies of SIGSEGV: no IA32 emulation); make check-abis tests it" ;;
	*) fail "int 0x80 probe: '$HELPERS/rec_misc int80' exited $rc" ;;
	esac
}
# need_i386 [VICTIM...]: 32-bit x86 programs run here, and VICTIM-m32 (by
# default rec_misc-m32) were built (`make` builds them where `cc -m32`
# links: gcc-multilib).  Without IA32 emulation execve of an ELF32 fails
# with ENOEXEC, which the shell reports as 126.
need_i386() {
	local v rc=0
	need_int80
	for v in "${@:-rec_misc}" rec_misc; do
		[ -x "$HELPERS/$v-m32" ] || skip "no $v-m32: 'cc -m32' could not build the 32-bit victims (gcc-multilib)"
	done
	"$HELPERS/rec_misc-m32" exit 0 >/dev/null 2>&1 || rc=$?
	case $rc in
	0) ;;
	126) skip "this kernel does not run 32-bit programs (execve of an ELF32 fails with ENOEXEC: no IA32 emulation); make check-abis tests it" ;;
	*) fail "32-bit probe: '$HELPERS/rec_misc-m32 exit 0' exited $rc" ;;
	esac
}

tcase() {
	local name=$1 fn=$2 rc=0 out left
	T=$(mktemp -d /tmp/sp-it.XXXXXX)
	out=$T.log
	left=$T.left
	( cd "$T" && set -e && export T && "$REAPER" "$left" timeout --kill-after=5 "${SP_TCASE_TIMEOUT:-120}" \
		bash -c "set -e; $(declare -f); $(declare -p SP HELPERS TESTS_DIR T 2>/dev/null); $fn" ) >"$out" 2>&1 || rc=$?
	if [ -s "$left" ]; then
		echo "FAIL $name (left processes behind, killed: $(paste -sd';' "$left"))" | tee -a "$SP_RESULTS"
		sed 's/^/  | /' "$out" | tail -40
		rm -rf "$T" "$out" "$left"
		return
	fi
	case $rc in
	0)  echo "PASS $name" | tee -a "$SP_RESULTS" ;;
	77) echo "SKIP $name ($(grep '^SKIP:' "$out" | tail -1 | cut -c7-))" | tee -a "$SP_RESULTS" ;;
	124|137) echo "FAIL $name (timed out)" | tee -a "$SP_RESULTS"; sed 's/^/  | /' "$out" | tail -40 ;;
	*)  echo "FAIL $name (exit $rc)" | tee -a "$SP_RESULTS"; sed 's/^/  | /' "$out" | tail -40 ;;
	esac
	rm -rf "$T" "$out" "$left"
}
