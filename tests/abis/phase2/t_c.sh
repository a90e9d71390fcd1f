# Phase 2 (a second boot): the `c` headers generated in phase 1 from the
# recorded workload (t_abi.sh) were compiled into rc_victim on the host
# (/v/rc_victim-c-ABI, the filter installed first thing in main): the
# workload passes, the call it never made is refused, on every ABI.
c_one() {
	v=$V/rc_victim-c-$1
	[ -x "$v" ] || fail "$1: no $v: phase 1 gave no header, or the host could not compile it"
	"$v" workload >ok.out 2>ok.err || fail "$1: the recorded workload failed under its header: $(cat ok.out ok.err)"
	assert_contains ok.out "workload ok"
	rc=0
	"$v" getsid >no.out 2>no.err || rc=$?
	[ "$rc" = 3 ] || fail "$1: getsid run exited $rc: $(cat no.out no.err)"
	[ "$(grep -c 'getsid: Operation not permitted' no.out)" = 2 ] || fail "$1: getsid not refused in both threads: $(cat no.out)"
}
t_c() { per_abi c_one; }
tcase "enforce: the c header generated in phase 1, compiled in, on every ABI" t_c
