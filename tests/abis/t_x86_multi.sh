# x86_64 machine only: what only i386 and x32 programs do.

has_name() { # REC ABI NAME: NAME has an entry under ABI (calls may be 0)
	for n in $(abi_names "$1" "$2"); do [ "$n" = "$3" ] && return 0; done
	return 1
}

# i386's socketcall(2) and ipc(2) multiplexers: the recorder decodes the
# call inside (also recorded under its own name), the policy allows it by
# call number, and a call of the same multiplexer that was not recorded
# is refused.
t_socketcall() {
	"$SP" record -o rec.json -- "$V/args_victim-m32" base >rec.out || fail "record: exit $?"
	if has_name rec.json i386 socketcall; then
		for n in socket socketpair setsockopt; do
			has_name rec.json i386 $n || fail "socketcall not decoded: no i386 $n entry: $(abi_names rec.json i386)"
		done
	else
		assert_calls rec.json i386 socket + # this libc makes direct socket calls
	fi
	"$SP" generate --args -f docker -o prof.json rec.json 2>gen.err
	"$V/args_victim-m32" base >free.out
	"$SP" run --profile prof.json -- "$V/args_victim-m32" base >conf.out || fail "run: exit $?"
	diff free.out conf.out || fail "i386 behaviour changed under the profile"
	"$V/args_victim-m32" extra-ioctl | grep -qxF "ioctl FIONBIO: ok" || fail "FIONBIO fails unconfined"
	"$SP" run --profile prof.json -- "$V/args_victim-m32" extra-ioctl >conf2.out || true
	assert_contains conf2.out "ioctl FIONBIO: EPERM"
}
tcase "i386: socketcall decoded, enforced by call number" t_socketcall

t_ipc() {
	"$SP" record -o ipc.json -- "$V/args_victim-m32" extra-ipc >out || fail "record: exit $?"
	assert_contains out "semget: ok"
	assert_calls ipc.json i386 ipc 2
	has_name ipc.json i386 semget || fail "ipc not decoded: no i386 semget entry: $(abi_names ipc.json i386)"
	has_name ipc.json i386 semctl || fail "ipc not decoded: no i386 semctl entry"
	"$SP" generate -f docker -o ipc.docker ipc.json
	"$SP" run -p ipc.docker -- "$V/args_victim-m32" extra-ipc >run.out || fail "run: exit $?"
	assert_contains run.out "semget: ok"
	assert_contains run.out "semctl IPC_RMID: ok"
	# a profile recorded without SysV IPC refuses the multiplexed semget
	"$SP" record -o base.json -- "$V/args_victim-m32" base >/dev/null
	"$SP" generate -f docker -o base.docker base.json
	"$SP" run -p base.docker -- "$V/args_victim-m32" extra-ipc >no.out || true
	assert_contains no.out "semget: EPERM"
}
tcase "i386: ipc() decoded, enforced per multiplexed call" t_ipc

# execve across ABIs: an i386 (or x32) program that becomes an x86_64 one
# and the reverse; each call is counted under the ABI of the program that
# made it.
t_exec_cross() {
	"$SP" record -o a.json -- "$V/rec_exec-m32" exec "$V/rec_count" 1 1 3 || fail "32->64: exit $?"
	assert_calls a.json i386 getcwd 1
	assert_calls a.json x86_64 chdir 3
	assert_calls a.json i386 chdir 0
	"$SP" record -o b.json -- "$V/rec_exec" exec "$V/rec_count-m32" 1 1 3 || fail "64->32: exit $?"
	assert_calls b.json x86_64 getcwd 1
	assert_calls b.json i386 chdir 3
	assert_calls b.json x86_64 chdir 0
	"$SP" record -o c.json -- "$V/rec_exec-x32" exec "$V/rec_count-m32" 1 1 3 || fail "x32->i386: exit $?"
	assert_calls c.json x32 getcwd 1
	assert_calls c.json i386 chdir 3
}
tcase "execve across ABIs: i386 -> x86_64, x86_64 -> i386, x32 -> i386" t_exec_cross
