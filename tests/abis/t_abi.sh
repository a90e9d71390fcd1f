# Recorder and enforcer on every ABI of this machine: for each "ABI:SUFFIX"
# in SP_ABIS (/tests/machine.conf; suffix "" for the native build, -m32,
# -x32, -arm32), the static victims /v/NAME$SUFFIX are recorded, and the
# policies generated from their recording are enforced on them.

# Counted exactly, in both tracing modes: every thread and process is
# followed and every call is attributed to the ABI it was made on.
count_one() {
	for mode in "" --no-seccomp; do
		"$SP" record $mode -o r.json -- "$V/rec_count$2" 2 3 5 >out 2>err || fail "$1 $mode: exit $?: $(cat err)"
		assert_calls r.json "$1" chdir 30
		assert_calls r.json "$1" exit_group +
		[ "$(meta r.json processes)" = 2 ] || fail "$1 $mode: processes $(meta r.json processes)"
		[ "$(meta r.json threads)" = 6 ] || fail "$1 $mode: threads $(meta r.json threads)"
		if [ "$1" != "$SP_NATIVE" ]; then
			# only the launcher's execve is native: the kernel reports it at
			# the exec event, after which the task runs the foreign ABI
			names=$(abi_names r.json "$SP_NATIVE")
			[ "$names" = execve ] || fail "$1 $mode: $SP_NATIVE calls in a foreign run: $names"
		fi
	done
}
t_count() { per_abi count_one; }
tcase "record: threads and processes counted exactly, on the right ABI" t_count

# A multi-threaded, forking workload recorded, then every format that run
# or the kernel can take enforced on it: the workload passes, the call it
# never made (getsid, from two threads: no container runtime's
# post-filter list holds it) is refused with EPERM.
enforce_one() {
	"$SP" record -o rec.json -- "$V/rc_victim$2" workload >out 2>err || fail "$1: record: $(cat err)"
	assert_contains out "workload ok"
	assert_calls rec.json "$1" chdir 4
	assert_calls rec.json "$1" getsid 0
	# go-seccomp-bpf's YAML is for the consumer's own architecture only
	# (formats/yaml.c): enforced for the native ABI
	formats="docker oci bpf"
	[ "$1" != "$SP_NATIVE" ] || formats="$formats yaml"
	for f in $formats; do
		"$SP" generate -f $f -o "prof.$f" rec.json || fail "$1: generate -f $f"
		if [ $f = bpf ]; then
			launch="$V/bpf_load prof.$f"
		else
			launch="$SP run -p prof.$f --"
		fi
		if ! $launch "$V/rc_victim$2" workload >ok.out 2>ok.err; then
			# what the filter refused: the same policy logging instead
			"$SP" generate -f $f --default-action log -o "log.$f" rec.json
			dmesg -c >/dev/null
			${launch%prof.*}log.$f${launch#*prof.$f} "$V/rc_victim$2" workload >/dev/null 2>&1 || true
			fail "$1 $f: the recorded workload failed: $(cat ok.out ok.err); calls outside it: $(dmesg | grep -o 'syscall=[0-9]*' | sort | uniq -c | tr '\n' ' ')"
		fi
		assert_contains ok.out "workload ok"
		rc=0
		$launch "$V/rc_victim$2" getsid >no.out 2>no.err || rc=$?
		[ "$rc" = 3 ] || fail "$1 $f: getsid run exited $rc: $(cat no.out no.err)"
		[ "$(grep -c 'getsid: Operation not permitted' no.out)" = 2 ] || fail "$1 $f: getsid not refused in both threads: $(cat no.out)"
	done
	# the C header needs a compiler: the host builds rc_victim with it
	# and a second boot enforces it (phase2/t_c.sh)
	"$SP" generate -f c -o prof.h rec.json || fail "$1: generate -f c"
	emit_file "c-$1.h" prof.h
	# check: reported (and let through), and with --deny refused
	rc=0
	"$SP" check -p prof.docker -- "$V/rc_victim$2" getsid >c.out 2>c.err || rc=$?
	[ "$rc" = 1 ] || fail "$1 check: exit $rc: $(cat c.out c.err)"
	[ "$(grep -c 'getsid ok' c.out)" = 2 ] || fail "$1 check: getsid did not proceed: $(cat c.out)"
	assert_contains c.out "getsid"
	rc=0
	"$SP" check --deny -p prof.docker -- "$V/rc_victim$2" getsid >d.out 2>d.err || rc=$?
	[ "$rc" = 1 ] || fail "$1 check --deny: exit $rc: $(cat d.out d.err)"
	[ "$(grep -c 'getsid: Operation not permitted' d.out)" = 2 ] ||
		fail "$1 check --deny: getsid not denied in both threads: $(cat d.out d.err)"
}
t_enforce() { per_abi enforce_one; }
tcase "enforce: docker, oci, yaml, bpf from a recording (c: phase 2); check and check --deny" t_enforce

# CLONE_UNTRACED: the tracer clears the flag in the tracee's registers
# (clone) or memory (clone3), so the child is recorded.
untraced_one() {
	for how in clone clone3; do
		for mode in "" --no-seccomp; do
			"$SP" record $mode -o u.json -- "$V/fault_untraced$2" $how >out 2>err ||
				fail "$1 $how $mode: exit $?: $(cat err)"
			assert_contains out "untraced child: status 0"
			[ "$(meta u.json processes)" = 2 ] || fail "$1 $how $mode: processes $(meta u.json processes)"
			assert_calls u.json "$1" getppid 1
			[ "$(escaped u.json)" = 0 ] || fail "$1 $how $mode: a task escaped: $(cat err)"
		done
	done
}
t_untraced() { per_abi untraced_one; }
tcase "CLONE_UNTRACED children (clone, clone3) are recorded" t_untraced

# attach to a running process: its calls from then on, then detach on exit.
attach_one() {
	rm -f pid
	"$V/fault_wait$2" pid --catch &
	w=$!
	i=0
	while [ ! -s pid ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s pid ] || fail "$1: the workload did not start"
	"$SP" record -p "$w" -o a.json 2>a.err &
	r=$!
	# the recorder has seized every thread once its status shows it
	i=0
	while ! grep -q "^TracerPid:[[:space:]]*$r\$" /proc/$w/status && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q "^TracerPid:[[:space:]]*$r\$" /proc/$w/status || fail "$1: not attached: $(cat a.err)"
	kill -TERM "$w"
	wait "$r" || fail "$1: recorder exit $?: $(cat a.err)"
	wait "$w" || true
	assert_calls a.json "$1" exit_group 1
	assert_calls a.json "$1" uname 0 # made before the attach
}
t_attach() { per_abi attach_one; }
tcase "record -p: attach to a running process, record until it exits" t_attach

# record --stacks: call sites.  The native ABI unwinds through libc back to
# the victim's callers (libunwind-ptrace: two call sites, each with a
# caller frame); foreign ABIs keep the frame of the call only (libunwind
# unwinds the tracer's own architecture).
stacks_one() {
	"$SP" record --stacks -o s.json -- "$V/drift_victim$2" a >/dev/null 2>err || fail "$1: record: $(cat err)"
	"$SP" explain --abi "$1" s.json chdir >ex.out || fail "$1: no call site for chdir: $(cat ex.out)"
	# Foreign ABIs: a call site is recorded, its frame is not checked:
	# i386's frame 0 is in the vDSO (__kernel_vsyscall) and AArch32's pc
	# is misread today (a 64-bit value; libunwind-ptrace reads the
	# tracer's register layout), see docs/testing-abis.md.
	if [ "$1" = "$SP_NATIVE" ]; then
		grep -q "#0  .*/v/drift_victim$2+0x" ex.out || fail "$1: no frame in the victim: $(cat ex.out)"
		[ "$(grep -c '#1  .*/v/drift_victim' ex.out)" = 2 ] || fail "$1: not unwound past the call: $(cat ex.out)"
	fi
}
t_stacks() { per_abi stacks_one; }
tcase "record --stacks: call sites (native: unwound to the callers)" t_stacks
