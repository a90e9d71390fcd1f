# x86_64 machine only: generated filters attacked live on a kernel where
# int 0x80 and x32 really run (tests/integration/t_bypass.sh can only
# simulate x32): from tests/integration/data/attack.recording.json
# (x86_64 only), narrow filters kill both, filters widened with
# --arch i386 --arch x32 let both through and the calls succeed.

expect() { # LAUNCH... MODE WANT ("killed": SIGSYS before printing)
	want=$(eval echo \${$#})
	mode=$(eval echo \${$(($# - 1))})
	n=$(($# - 2))
	launch=""
	i=1
	for a in "$@"; do [ $i -le $n ] && launch="$launch $a"; i=$((i + 1)); done
	rc=0
	timeout -s KILL 60 $launch "$V/attack" "$mode" >out 2>err || rc=$?
	if [ "$want" = killed ]; then
		[ "$rc" = 159 ] || fail "$launch $mode: exit $rc, expected death by SIGSYS (159): $(cat out err)"
		[ ! -s out ] || fail "$launch $mode: the call returned: $(cat out)"
	else
		[ "$rc" = 0 ] || fail "$launch $mode: exit $rc: $(cat out err)"
		grep -qxF "$want" out || fail "$launch $mode: got '$(cat out)', expected '$want'"
	fi
}

attack_all() { # narrow|wide LAUNCH...
	wide=$1
	shift
	expect "$@" ok 'ok ret=0 errno=0'
	expect "$@" nr-1 'nr-1 ret=-1 errno=EPERM'
	expect "$@" nr-high 'nr-high ret=-1 errno=EPERM'
	if [ "$wide" = narrow ]; then
		for m in int80 x32 thread-int80; do expect "$@" $m killed; done
	else
		expect "$@" int80 'int80 ret=0 errno=0'
		expect "$@" thread-int80 'thread-int80 ret=0 errno=0'
		expect "$@" x32 'x32 ret=0 errno=0'
	fi
}

t_bypass() {
	# both foreign ABIs really work on this kernel (syscall.x32=y)
	"$V/attack" int80 x32 >pre
	grep -qx 'int80 ret=0 errno=0' pre || fail "int 0x80 does not work: $(cat pre)"
	grep -qx 'x32 ret=0 errno=0' pre || fail "x32 does not work (syscall.x32=y?): $(cat pre)"
	REC=/tests/data/attack.recording.json
	for f in bpf docker; do
		"$SP" generate -f $f -o narrow.$f $REC
		"$SP" generate -f $f --arch i386 --arch x32 -o wide.$f $REC
	done
	attack_all narrow "$V/bpf_load" narrow.bpf
	attack_all wide "$V/bpf_load" wide.bpf
	attack_all narrow "$SP" run -p narrow.docker --
	attack_all wide "$SP" run -p wide.docker --
}
tcase "bypass: int 0x80 and x32 against generated filters (bpf, run), x32 enabled" t_bypass
