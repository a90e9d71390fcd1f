#!/usr/bin/env bash
# record --backend ebpf|auto: the eBPF back-end on the recorder's victims
# (those of t_record.sh), each compared with the ptrace back-end's
# recording, and what it refuses.  Skipped, with the
# reason the binary gives, where BPF programs cannot be loaded (not root,
# no BTF, built without libbpf).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/rec_lib.sh"

# ebpf_usable: whether `record --backend ebpf` works here (built, root, BTF),
# probed once, when this file is read, by loading the programs for real;
# ebpf_why says why not.  Functions, because tcase hands only functions to
# each case.
# The back-end caches kernel types in $XDG_CACHE_HOME: every run here uses a
# directory of its own, never the user's.
_probe=$(mktemp -d "${TMPDIR:-/tmp}/sp-ebpf-probe.XXXXXX")
if _why=$(XDG_CACHE_HOME=$_probe "$SP" record --backend ebpf -q -o "$_probe/p.json" -- true 2>&1); then
	ebpf_usable() { return 0; }
else
	ebpf_usable() { return 1; }
fi
rm -rf "$_probe"
unset _probe
eval "ebpf_why() { echo $(printf '%q' "${_why#seccomp-profile: record: }"); }"
unset _why

need_ebpf() {
	ebpf_usable || skip "eBPF back-end unusable here: $(ebpf_why)"
	export XDG_CACHE_HOME=$T/cache
}

# ptrace and ebpf recordings of one victim: same exit status, same
# (ABI, syscall) set.
rec_pe() {
	local v=$1; shift
	"$SP" record -q -o "$T/p.json" -- "$HELPERS/$v" "$@" || fail "ptrace: $v $* exited $?"
	"$SP" record -q --backend ebpf -o "$T/e.json" -- "$HELPERS/$v" "$@" || fail "ebpf: $v $* exited $?"
	syscall_set "$T/p.json" >p.set
	syscall_set "$T/e.json" >e.set
	diff -u p.set e.set || fail "ptrace and ebpf recorded different syscall sets for $v $*"
}

t_counts() {
	need_ebpf
	rec_pe rec_count 3 4 25
	[ "$(calls e.json x86_64 chdir)" = 300 ] || fail "chdir $(calls e.json x86_64 chdir) != 300"
	[ "$(meta e.json 'm["processes"], m["threads"]')" = "(3, 12)" ] ||
		fail "processes, threads: $(meta e.json 'm["processes"], m["threads"]')"
	[ "$(meta e.json 'm["backend"], m["tracing"], m["lost_events"], m["complete"]')" = "('ebpf', 'tracepoint', 0, True)" ] ||
		fail "meta: $(meta e.json 'm["backend"], m["tracing"], m["lost_events"], m["complete"]')"
	[ "$(meta p.json 'm["backend"]')" = ptrace ] || fail "ptrace recording's backend: $(meta p.json 'm["backend"]')"
	# the launcher's own calls (read on the pipe, execve's entry) are not the
	# workload's: one execve, as with ptrace
	[ "$(calls e.json x86_64 execve)" = 1 ] || fail "execve $(calls e.json x86_64 execve)"
	[ "$(calls e.json x86_64 exit_group)" = 3 ] || fail "exit_group $(calls e.json x86_64 exit_group)"
	# the recording works everywhere a ptrace one does
	"$SP" summary e.json | grep -Eq '^ +300 chdir$' || fail "summary"
	"$SP" generate -f docker -o d.json e.json
	"$SP" diff p.json e.json >/dev/null || fail "diff: the two back-ends' recordings differ"
	"$SP" merge -o m.json p.json e.json
	[ "$(meta m.json 'sorted(m["backend"].split(", "))')" = "['ebpf', 'ptrace']" ] ||
		fail "merged backend: $(meta m.json 'm["backend"]')"
	"$SP" explain e.json chdir 2>err && fail "explain found call sites in a recording without them"
	assert_contains err "'chdir' was recorded (300 calls) but without call sites"
}
tcase "ebpf: exact counts across forks and threads, same set as ptrace, other commands read it" t_counts

# The sys_enter program caches, per CPU, the last task it looked up
# (recorder.bpf.c, "The task cache").  Tasks that come and go reuse
# task_struct addresses, and the machine's other processes leave "not ours"
# entries behind them: 480 short-lived workload tasks while two loops start
# processes next to them, three times; every call must still be counted,
# once, and nothing of the loops.  A stress test, not a proof: the windows
# the cache's invalidation closes are too narrow to hit on purpose (six
# runs with the fork and exit invalidation removed still counted exactly;
# the exec one is covered by every recording that compares with ptrace
# only as long as the loader's wake-up at an exec happens to overwrite the
# entry).
t_task_cache() {
	need_ebpf
	local churn=() i
	for i in 1 2; do
		(while :; do /bin/true; done) &
		churn+=($!)
	done
	spawned "${churn[@]}"
	for i in 1 2 3; do
		"$SP" record -q --backend ebpf -o "c$i.json" -- "$HELPERS/rec_count" 60 8 50 ||
			fail "ebpf record $i exited $?"
		[ "$(calls "c$i.json" x86_64 chdir)" = 24000 ] || fail "run $i: chdir $(calls "c$i.json" x86_64 chdir) != 24000"
		[ "$(calls "c$i.json" x86_64 exit_group)" = 60 ] ||
			fail "run $i: exit_group $(calls "c$i.json" x86_64 exit_group) != 60"
		[ "$(meta "c$i.json" 'm["processes"], m["threads"], m["lost_events"]')" = "(60, 480, 0)" ] ||
			fail "run $i: processes, threads, lost: $(meta "c$i.json" 'm["processes"], m["threads"], m["lost_events"]')"
		[ "$(meta "c$i.json" 'm["executables"]')" = "['$HELPERS/rec_count']" ] ||
			fail "run $i: executables $(meta "c$i.json" 'm["executables"]')"
	done
	sp_kill_spawned
}
tcase "ebpf: the per-CPU task cache loses no call while tasks come and go next to other processes" t_task_cache

# The kernel types for CO-RE come from a minimal BTF cached per kernel
# (tracer/ebpf/minbtf.c): built on the first run, reused, rebuilt when
# damaged or not ours, and when libbpf cannot use it the full kernel BTF
# is used instead, saying so.  Each way must record what ptrace records,
# executables included (their inode and device are read through the
# relocated offsets).
rec_btf() {
	local what=$1 q='sorted(m["executables"]), m["processes"], m["threads"]'
	"$SP" record -q -o "$T/p.json" -- "$HELPERS/rec_exec" chain 2 || fail "$what: ptrace exited $?"
	"$SP" -vv record --backend ebpf -o "$T/e.json" -- "$HELPERS/rec_exec" chain 2 2>err ||
		fail "$what: ebpf exited $?: $(cat err)"
	syscall_set "$T/p.json" >p.set
	syscall_set "$T/e.json" >e.set
	diff -u p.set e.set || fail "$what: ptrace and ebpf recorded different syscall sets"
	[ "$(meta e.json "$q")" = "$(meta p.json "$q")" ] ||
		fail "$what: executables, processes, threads: $(meta e.json "$q") vs $(meta p.json "$q")"
}
t_btf_cache() {
	need_ebpf
	[ -r /sys/kernel/notes ] || skip "the kernel exports no build-id notes: nothing is cached"
	rec_btf "first run"
	assert_contains err "eBPF: wrote the kernel types the BPF programs need"
	local f
	f=$(echo "$XDG_CACHE_HOME"/seccomp-profile/ebpf-btf-*.btf)
	[ -f "$f" ] || fail "no cache file: $(ls -la "$XDG_CACHE_HOME"/seccomp-profile)"
	[ "$(stat -c %a "$f")" = 600 ] || fail "cache file mode $(stat -c %a "$f")"
	# its types: the structs the programs read, with the kernel's offsets
	if command -v bpftool >/dev/null; then
		bpftool btf dump file "$f" >dump || fail "bpftool cannot read the cache file"
		for t in task_struct thread_info pt_regs linux_binprm inode super_block; do
			grep -q "STRUCT '$t' " dump || fail "no struct $t in the cached BTF: $(cat dump)"
		done
		off() { bpftool btf dump file "$1" | awk -v s="STRUCT '$2' " -v m="'$3'" '
			index($0, s) == 1 { on = 1; next } /^\[/ { on = 0 } on && $1 == m { print $3 }'; }
		[ "$(off "$f" task_struct tgid)" = "$(off /sys/kernel/btf/vmlinux task_struct tgid)" ] ||
			fail "task_struct.tgid: $(off "$f" task_struct tgid) vs the kernel's $(off /sys/kernel/btf/vmlinux task_struct tgid)"
	fi
	rec_btf "cached"
	assert_contains err "eBPF: kernel types from '$f'"
	grep -q "wrote the kernel types" err && fail "the cached file was rebuilt: $(cat err)"
	# damaged: rebuilt
	printf 'garbage' >"$f"
	rec_btf "damaged cache"
	assert_contains err "is not the BTF written for this kernel and object; rebuilding it"
	assert_contains err "eBPF: wrote the kernel types"
	# writable by others: not trusted, rebuilt
	chmod 0666 "$f"
	rec_btf "group/world-writable cache"
	assert_contains err "not a regular file of ours that only we may write"
	[ "$(stat -c %a "$f")" = 600 ] || fail "rebuilt cache file mode $(stat -c %a "$f")"
	# a well-formed BTF with the right marker but none of the types
	# (what a wrong or truncated cut would be): libbpf fails on it, the
	# full BTF is used, the file is removed and built again next time
	local marker=${f##*/ebpf-btf-}
	marker=sp_minbtf_${marker%.btf}
	marker=${marker//-/_}
	python3 - "$f" "$marker" <<-'PY' || fail "cannot write a BTF"
		import struct, sys
		strs = b"\0" + sys.argv[2].encode() + b"\0"
		types = struct.pack("<III", 1, 4 << 24, 0)  # STRUCT marker, size 0, no members
		hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
		open(sys.argv[1], "wb").write(hdr + types + strs)
	PY
	chmod 0600 "$f"
	rec_btf "cache without the types"
	assert_contains err "kernel types from '$f'"
	assert_contains err "failed"
	assert_contains err "using the kernel's full BTF"
	[ -e "$f" ] && fail "the unusable cache file was kept"
	rec_btf "after the unusable file"
	assert_contains err "eBPF: wrote the kernel types"
	# no cache directory at all: the full BTF, every time
	XDG_CACHE_HOME= HOME= rec_btf "no cache directory"
	assert_contains err "no cache directory"
}
tcase "ebpf: kernel types cached per kernel, reused, rebuilt when damaged, full BTF when unusable" t_btf_cache

t_exec_shapes() {
	need_ebpf
	local mode q='sorted(m["executables"]), m["processes"], m["threads"]'
	for mode in vfork thread-exec spawn "chain 3" clone3; do
		rec_pe rec_exec $mode
		# the same executables, named the way ptrace names them
		# (/proc/PID/exe), and the same numbers of processes and threads
		[ "$(meta e.json "$q")" = "$(meta p.json "$q")" ] ||
			fail "$mode: executables, processes, threads: $(meta e.json "$q") vs $(meta p.json "$q")"
	done
	assert_syscall e.json x86_64 clone3
}
tcase "ebpf: vfork, posix_spawn, exec chains, exec from a thread, clone3: same sets, executables, tasks" t_exec_shapes

t_tree() {
	need_ebpf
	rec_pe rec_exec chain 3
	[ "$(calls e.json x86_64 execve)" = 5 ] || fail "chain: execve $(calls e.json x86_64 execve) != 5"
	# first sightings name the task and executable
	meta e.json '[s["first"] for s in d["abis"]["x86_64"] if s["name"] == "getcwd"][0]' | grep -q "rec_exec'" ||
		fail "first.exe: $(meta e.json '[s["first"] for s in d["abis"]["x86_64"] if s["name"] == "getcwd"]')"
	rec_pe rec_exec thread-exec
	[ "$(calls e.json x86_64 execve)" = 2 ] || fail "thread-exec: execve $(calls e.json x86_64 execve)"
	rec_pe rec_clone3
	[ "$(meta e.json 'm["threads"]')" = 2 ] || fail "raw clone3 thread not counted"
	# a daemon that outlives its parents is followed to its end
	rec_pe rec_daemon "$T/marker"
	assert_contains "$T/marker" done
	[ "$(meta e.json 'm["processes"]')" = 3 ] || fail "daemon: processes"
	# untraced clones are no escape: the tree is followed in the kernel
	rec_pe fault_untraced >/dev/null
	[ "$(meta e.json 'm["escaped"], m["processes"]')" = "([], 2)" ] ||
		fail "escaped, processes: $(meta e.json 'm["escaped"], m["processes"]')"
}
tcase "ebpf: process tree (exec counts, first sightings, raw clone3 thread, daemons, CLONE_UNTRACED)" t_tree

t_signals_exit() {
	need_ebpf
	rec_pe rec_misc handler
	assert_syscall e.json x86_64 rt_sigreturn
	rec_pe rec_misc jobctl
	assert_status 3 "$SP" record -q --backend ebpf -o r.json -- "$HELPERS/rec_misc" exit 3
	[ "$(meta r.json 'm["exit_status"]')" = 3 ] || fail "exit_status"
	assert_status 137 "$SP" record -q --backend ebpf -o r.json -- "$HELPERS/rec_misc" kill 9
	[ "$(meta r.json 'm["exit_signal"]')" = 9 ] || fail "exit_signal"
	assert_status 127 "$SP" record -q --backend ebpf -o nf.json -- no-such-command-xyz
	printf '\177ELFjunkjunkjunk' >badelf; chmod 755 badelf
	"$SP" record -q --backend ebpf -o nf.json -- ./badelf 2>e && fail "a bad ELF was recorded"
	assert_contains e "cannot execute"
	[ ! -e nf.json ] || fail "output written for a command that could not run"
}
tcase "ebpf: signals, job control, exit status, exec failures" t_signals_exit

t_abis() {
	need_ebpf
	rec_pe rec_misc x32
	assert_syscall e.json x32 getpid
	assert_no_syscall e.json x86_64 getpid
	rec_pe rec_misc unknown
	assert_syscall e.json x86_64 1023
}
tcase "ebpf: x32 by its number bit, unknown numbers kept" t_abis

t_i386() {
	need_ebpf
	need_i386 rec_count
	rec_pe rec_misc int80
	assert_syscall e.json i386 getpid
	[ "$(calls e.json i386 getpid)" = 1 ] || fail "i386 getpid count"
	rec_pe rec_count-m32 2 2 10
	[ "$(calls e.json i386 chdir)" = 40 ] || fail "i386 chdir $(calls e.json i386 chdir)"
}
tcase "ebpf: i386 calls by the task's compat state" t_i386

t_summary_args() {
	need_ebpf
	# -c: errors per errno and time, the strace -c table
	"$SP" record -c --backend ebpf -o c.json -- "$HELPERS/rec_count" 2 2 10 2>err
	grep -Eq '^ *[0-9.]+ +[0-9.]+ +[0-9]+ +40 +chdir$' err || { cat err; fail "no chdir row with 40 calls"; }
	"$SP" summary --json c.json | python3 -c 'import json, sys; assert json.load(sys.stdin)["timed"] is True'
	[ "$(meta c.json 'sum(s["time_ns"] for s in d["abis"]["x86_64"]) > 0')" = True ] || fail "no time measured"
	"$SP" record -c --backend ebpf -o e.json -- ls /nonexistent-sp-test 2>/dev/null || true
	"$SP" record -c -o ep.json -- ls /nonexistent-sp-test 2>/dev/null || true
	python3 - e.json ep.json <<'PY'
import json, sys
e, p = (json.load(open(f)) for f in sys.argv[1:3])
def errs(d):
    return {(s["name"], k) for s in d["abis"]["x86_64"] for k in s["errnos"]}
assert ("statx", "ENOENT") in errs(e) or ("newfstatat", "ENOENT") in errs(e) or ("lstat", "ENOENT") in errs(e), errs(e)
assert errs(e) == errs(p), (errs(e) ^ errs(p))
PY
	# without -c: no errors, no time, as with ptrace
	[ "$(meta e.json 'sum(s["errors"] for s in d["abis"]["x86_64"]) > 0')" = True ] || fail "-c counted no errors"
	"$SP" record --backend ebpf -o u.json -- ls /nonexistent-sp-test 2>/dev/null || true
	[ "$(meta u.json 'sum(s["errors"] + s["time_ns"] for s in d["abis"]["x86_64"])')" = 0 ] || fail "errors or time without -c"
	# argument values: the same sets as the ptrace back-end records
	rec_pe args_victim base >/dev/null
	python3 - p.json e.json <<'PY'
import json, sys
p, e = (json.load(open(f)) for f in sys.argv[1:3])
def args(d):
    return {(a, s["name"], i, v) for a, l in d["abis"].items() for s in l
            for i, x in s.get("args", {}).items() for v in x["values"]}
A, B = args(p), args(e)
assert A, "the ptrace recording has no argument values"
assert A == B, ("ptrace only", sorted(A - B), "ebpf only", sorted(B - A))
names = {n for _, n, _, _ in B}
for n in ("socket", "clone3", "mmap", "ioctl", "unshare"):
    assert n in names, (n, names)
PY
}
tcase "ebpf: -c errors and time, argument values (clone3's from user memory) as ptrace records them" t_summary_args

t_lost() {
	need_ebpf
	# More distinct calls than the program's tables hold (16384): the
	# calls that do not fit are lost, counted and reported; exit 1.
	local rc=0
	"$SP" record -q --backend ebpf -o l.json -- "$HELPERS/rec_misc" unknowns 17000 2>err || rc=$?
	[ $rc = 1 ] || fail "a lossy recording exited $rc, expected 1"
	assert_contains err "events lost"
	assert_contains err "--allow-lost"
	[ "$(meta l.json 'm["lost_events"] > 0')" = True ] || fail "lost_events: $(meta l.json 'm["lost_events"]')"
	assert_status 0 "$SP" record -q --backend ebpf --allow-lost -o l.json -- "$HELPERS/rec_misc" unknowns 17000
	# nothing lost: exit 0 and lost_events 0
	"$SP" record -q --backend ebpf -o ok.json -- "$HELPERS/rec_misc" unknowns 100
	[ "$(meta ok.json 'm["lost_events"]')" = 0 ] || fail "lost events in a small run"
}
tcase "ebpf: lost events are counted, reported, and fail the run unless --allow-lost" t_lost

t_interrupt() {
	need_ebpf
	"$SP" record -q --backend ebpf -o i.json -- "$HELPERS/rec_misc" sleep 60000 &
	local rp=$! i
	for i in $(seq 100); do
		# the workload's command line, not the recorder's
		pgrep -f "^$HELPERS/rec_misc sleep 60000" >/dev/null && break
		sleep 0.1
	done
	sleep 0.5
	kill -INT $rp
	local rc=0
	wait $rp || rc=$?
	[ $rc = 130 ] || fail "interrupted recorder exited $rc, expected 130"
	[ "$(meta i.json 'm["complete"]')" = False ] || fail "not marked incomplete"
	meta i.json 'm["incomplete_reason"]' | grep -q SIGINT || fail "reason: $(meta i.json 'm["incomplete_reason"]')"
	assert_syscall i.json x86_64 clock_nanosleep
	sleep 0.2
	! pgrep -f "^$HELPERS/rec_misc sleep 60000" >/dev/null || fail "the workload survived the interrupted recording"
}
tcase "ebpf: SIGINT writes an incomplete recording and kills the workload" t_interrupt

t_refusals() {
	# refused before anything runs, whether or not eBPF works here
	"$SP" record --backend ebpf -p 1 -o r.json 2>e && fail "ebpf attach accepted"
	assert_contains e "--backend ebpf cannot do -p"
	assert_status 2 "$SP" record --backend ebpf --stacks -o r.json -- true
	"$SP" record --backend ebpf --stacks -o r.json -- true 2>e || true
	assert_contains e "--stacks"
	assert_status 2 "$SP" record --backend ebpf --baseline r.json -o r.json -- true
	assert_status 2 "$SP" record --backend ebpf --no-seccomp -o r.json -- true
	assert_status 2 "$SP" record --backend bpf -o r.json -- true
	"$SP" record --backend bpf -o r.json -- true 2>e || true
	assert_contains e "unknown --backend 'bpf'"
	[ ! -e r.json ] || fail "a refused recording wrote output"
	# auto: ptrace when an option needs it, saying why
	"$SP" record --backend auto --stacks=4 -o a.json -- "$HELPERS/rec_misc" exit 0 2>e
	assert_contains e "--backend auto: ptrace, because of --stacks"
	[ "$(meta a.json 'm["backend"]')" = ptrace ] || fail "auto with --stacks: $(meta a.json 'm["backend"]')"
	meta a.json 'm["tracing_note"]' | grep -q "backend auto: ptrace" || fail "note: $(meta a.json 'm["tracing_note"]')"
	"$SP" record --backend auto -o a.json -- "$HELPERS/rec_misc" exit 0 2>e
	if ebpf_usable; then
		assert_contains e "--backend auto: ebpf"
		[ "$(meta a.json 'm["backend"]')" = ebpf ] || fail "auto: $(meta a.json 'm["backend"]')"
		"$SP" version | grep -q "record back-ends: ptrace, ebpf" || fail "version: $("$SP" version)"
	else
		assert_contains e "--backend auto: ptrace, because"
		[ "$(meta a.json 'm["backend"]')" = ptrace ] || fail "auto: $(meta a.json 'm["backend"]')"
		assert_status 2 "$SP" record --backend ebpf -o r.json -- true
	fi
}
tcase "ebpf: what it cannot do is refused; auto says which back-end and why" t_refusals

t_unprivileged() {
	[ "$(id -u)" = 0 ] || skip "needs root to drop to an unprivileged user"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 777 "$T"
	local nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"
	$nobody "$SP" -q version >/dev/null 2>&1 || skip "the binary is not reachable by uid 65534"
	# no CAP_BPF: ebpf is refused before anything runs, auto falls back
	local rc=0
	$nobody "$SP" record --backend ebpf -o "$T/r.json" -- /bin/true 2>e || rc=$?
	[ $rc = 2 ] || fail "unprivileged --backend ebpf exited $rc"
	assert_contains e "--backend ebpf:"
	grep -q "cannot load BPF programs\|not built" e || fail "no reason given: $(cat e)"
	[ ! -e "$T/r.json" ] || fail "output written"
	$nobody "$SP" record --backend auto -o "$T/r.json" -- /bin/true 2>e
	assert_contains e "--backend auto: ptrace, because"
	[ "$(meta "$T/r.json" 'm["backend"]')" = ptrace ] || fail "auto fell back to $(meta "$T/r.json" 'm["backend"]')"
}
tcase "ebpf: without the privilege to load BPF, ebpf exits 2 saying why and auto falls back to ptrace" t_unprivileged
