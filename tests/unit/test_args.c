/* SPDX-License-Identifier: MIT */
/* core/argspec + tracer/args: the table per ABI and the recorder, fed with
 * synthetic syscall stops (memory reads go to our own process, or to a
 * stopped child for the PTRACE_PEEKDATA path). */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/argspec.h"
#include "core/recording.h"
#include "tracer/args.h"
#include "tests/unit/unit.h"

static int64_t nr_of(enum sp_abi abi, const char *name)
{
	int64_t nr = sp_argspec_kernel_nr(abi, name);
	if (nr < 0)
		nr = sp_abi_syscall_nr(abi, name); /* names outside the table */
	ck_assert_msg(nr >= 0, "%s has no number on %s", name, sp_abi_name(abi));
	return nr;
}

START_TEST(table_per_abi)
{
	const struct sp_argspec *sp = sp_argspec_find(SP_ABI_X86_64, 41);
	ck_assert_ptr_nonnull(sp);
	ck_assert_str_eq(sp->name, "socket");
	ck_assert_uint_eq(sp->nargs, 2);
	ck_assert_ptr_null(sp_argspec_find(SP_ABI_X86_64, 0)); /* read */
	ck_assert_ptr_null(sp_argspec_find(SP_ABI_X86_64, -1));
	ck_assert_ptr_null(sp_argspec_find(SP_ABI_X86_64, 100000));
	/* x32 numbers carry the x32 bit */
	sp = sp_argspec_find(SP_ABI_X32, 0x40000000 + 41);
	ck_assert(sp && !strcmp(sp->name, "socket"));
	/* i386: direct socket (359) although libseccomp resolves the name
	 * to a pseudo number; socketcall 102; old_mmap 90 is not in the
	 * table (pointer), mmap2 192 is. */
	ck_assert_int_eq(nr_of(SP_ABI_I386, "socket"), 359);
	char *n = sp_abi_syscall_name(SP_ABI_I386, 359); /* core/abi.c: the multiplexed exception */
	ck_assert_str_eq(n, "socket");
	free(n);
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_I386, -101));
	sp = sp_argspec_find(SP_ABI_I386, 359);
	ck_assert(sp && !strcmp(sp->name, "socket"));
	sp = sp_argspec_find(SP_ABI_I386, 102);
	ck_assert(sp && sp->arg[0].kind == SP_ARGK_MUXCALL);
	ck_assert_ptr_null(sp_argspec_find(SP_ABI_I386, 90));
	ck_assert_ptr_null(sp_argspec_by_name(SP_ABI_I386, "mmap"));
	sp = sp_argspec_find(SP_ABI_I386, 192);
	ck_assert(sp && !strcmp(sp->name, "mmap2") && sp->arg[0].idx == 2);
	ck_assert_int_eq(nr_of(SP_ABI_I386, "semget"), 393);
	/* clone's flags: arg 0, but arg 1 on s390x */
	ck_assert_uint_eq(sp_argspec_by_name(SP_ABI_X86_64, "clone")->arg[0].idx, 0);
	ck_assert_uint_eq(sp_argspec_by_name(SP_ABI_AARCH64, "clone")->arg[0].idx, 0);
	ck_assert_uint_eq(sp_argspec_by_name(SP_ABI_S390X, "clone")->arg[0].idx, 1);
	sp = sp_argspec_find(SP_ABI_S390X, nr_of(SP_ABI_S390X, "clone"));
	ck_assert(sp && sp->arg[0].idx == 1);
	/* tgkill's signal is arg 2, kill's arg 1 */
	ck_assert_uint_eq(sp_argspec_by_name(SP_ABI_X86_64, "tgkill")->arg[0].idx, 2);
	ck_assert_uint_eq(sp_argspec_by_name(SP_ABI_X86_64, "kill")->arg[0].idx, 1);
	/* multiplexers exist only where they should */
	ck_assert_ptr_null(sp_argspec_find(SP_ABI_X86_64, -10060));
	ck_assert_int_eq(sp_argspec_kernel_nr(SP_ABI_X86_64, "socketcall"), -1);
	ck_assert(sp_argspec_abi_multiplexes(SP_ABI_I386));
	ck_assert(!sp_argspec_abi_multiplexes(SP_ABI_X86_64));
	ck_assert_str_eq(sp_argspec_socketcall_name(1), "socket");
	ck_assert_str_eq(sp_argspec_socketcall_name(20), "sendmmsg");
	ck_assert_ptr_null(sp_argspec_socketcall_name(21));
	ck_assert_ptr_null(sp_argspec_socketcall_name(0));
	ck_assert_str_eq(sp_argspec_ipc_name(2), "semget");
	ck_assert_str_eq(sp_argspec_ipc_name(0x10000 | 12), "msgrcv");
	ck_assert_str_eq(sp_argspec_ipc_name(24), "shmctl");
	ck_assert_ptr_null(sp_argspec_ipc_name(5));
	ck_assert_uint_eq(sp_argspec_socktype_mask(SP_ABI_X86_64), 0xfff7f7ffu);
	ck_assert_uint_eq(sp_argspec_socktype_mask(SP_ABI_MIPSEL), 0xfff7ff7fu);
	/* the reductions both recorders apply (the eBPF one in the kernel) */
	ck_assert_uint_eq(sp_argspec_value_mask(SP_ABI_X86_64, SP_ARGK_INT), 0xffffffffu);
	ck_assert_uint_eq(sp_argspec_value_mask(SP_ABI_X86_64, SP_ARGK_SOCKTYPE), 0xfff7f7ffu);
	ck_assert_uint_eq(sp_argspec_value_mask(SP_ABI_X86_64, SP_ARGK_CLONEFLAGS), 0xffffff00u);
	ck_assert_uint_eq(sp_argspec_value_mask(SP_ABI_I386, SP_ARGK_CLONE3FLAGS), UINT64_MAX);
}
END_TEST


static struct sp_sysc *stop(struct sp_recording *rec, enum sp_abi abi, const char *name, uint64_t a0,
			    uint64_t a1, uint64_t a2)
{
	struct sp_sysc *s = sp_recording_sysc(rec, abi, nr_of(abi, name), true);
	s->calls++;
	uint64_t args[6] = {a0, a1, a2, 0x1111, 0x2222, 0x3333};
	sp_args_record(rec, s, abi, args, getpid());
	return s;
}

static void assert_set(const struct sp_argset *as, size_t n, const uint64_t *want)
{
	ck_assert(as->used);
	ck_assert(!as->overflow);
	ck_assert_uint_eq(as->nvalues, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(as->values[i] == want[i], "value %zu: %#llx want %#llx", i,
			      (unsigned long long)as->values[i], (unsigned long long)want[i]);
}

START_TEST(record_direct)
{
	struct sp_recording *rec = sp_recording_new();
	/* socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC), domain
	 * with a dirty upper half; socket(AF_UNIX, SOCK_DGRAM) */
	stop(rec, SP_ABI_X86_64, "socket", 0xdeadbeef0000000aull, 1 | 0x800 | 0x80000, 0);
	struct sp_sysc *s = stop(rec, SP_ABI_X86_64, "socket", 1, 2, 0);
	assert_set(&s->args[0], 2, (uint64_t[]){1, 10});
	assert_set(&s->args[1], 2, (uint64_t[]){1, 2});
	ck_assert(!s->args[2].used); /* protocol is not recorded */
	ck_assert(!s->args[3].used);

	/* clone: exit signal dropped, upper 32 bits ignored like the kernel */
	s = stop(rec, SP_ABI_X86_64, "clone", 0xffffffff00000000ull | 0x01200000 | 17, 0, 0);
	stop(rec, SP_ABI_X86_64, "clone", 0x3d0f00, 0x7f00, 0);
	stop(rec, SP_ABI_X86_64, "clone", 0x10000000 | 17, 0, 0); /* CLONE_NEWUSER */
	assert_set(&s->args[0], 3, (uint64_t[]){0x3d0f00, 0x01200000, 0x10000000});
	ck_assert(!s->args[1].used);

	/* ioctl: low 32 bits of the request (TCGETS, FIONREAD sign-extended) */
	s = stop(rec, SP_ABI_X86_64, "ioctl", 0, 0x5401, 0);
	stop(rec, SP_ABI_X86_64, "ioctl", 1, 0xffffffff0000541bull, 0);
	assert_set(&s->args[1], 2, (uint64_t[]){0x5401, 0x541b});
	ck_assert(!s->args[0].used); /* the fd is not a flag */

	s = stop(rec, SP_ABI_X86_64, "mprotect", 0x1000, 0x1000, 7);
	assert_set(&s->args[2], 1, (uint64_t[]){7});
	s = stop(rec, SP_ABI_X86_64, "tgkill", 1, 2, 9);
	assert_set(&s->args[2], 1, (uint64_t[]){9});
	ck_assert(!s->args[0].used);
	s = stop(rec, SP_ABI_X86_64, "setsockopt", 3, 1, 2);
	assert_set(&s->args[1], 1, (uint64_t[]){1});
	assert_set(&s->args[2], 1, (uint64_t[]){2});
	/* s390x: clone's flags are arg 1 */
	s = stop(rec, SP_ABI_S390X, "clone", 0x7f00, 0x20000 | 17, 0);
	assert_set(&s->args[1], 1, (uint64_t[]){0x20000});
	ck_assert(!s->args[0].used);
	/* a syscall outside the table records nothing */
	s = stop(rec, SP_ABI_X86_64, "read", 1, 2, 3);
	for (int i = 0; i < 6; i++)
		ck_assert(!s->args[i].used);
	sp_recording_free(rec);
}
END_TEST

START_TEST(record_bounded)
{
	struct sp_recording *rec = sp_recording_new();
	struct sp_sysc *s = NULL;
	for (uint64_t i = 0; i < SP_MAX_ARG_VALUES + 5; i++)
		s = stop(rec, SP_ABI_X86_64, "ioctl", 0, 0x1000 + i, 0);
	ck_assert(s->args[1].overflow);
	ck_assert_uint_eq(s->args[1].nvalues, SP_MAX_ARG_VALUES);
	sp_recording_free(rec);
}
END_TEST

START_TEST(record_clone3_memory)
{
	struct sp_recording *rec = sp_recording_new();
	/* struct clone_args: flags first (u64) */
	uint64_t cargs[11] = {0x10000000 | 0x100 /* NEWUSER|VM */, 0, 0, 0, 17};
	struct sp_sysc *s = stop(rec, SP_ABI_X86_64, "clone3", (uintptr_t)cargs, sizeof(cargs), 0);
	cargs[0] = 0x200000000ull; /* CLONE_INTO_CGROUP: above 32 bits, kept */
	stop(rec, SP_ABI_X86_64, "clone3", (uintptr_t)cargs, sizeof(cargs), 0);
	/* bad pointer and too small size: nothing recorded, no crash */
	stop(rec, SP_ABI_X86_64, "clone3", 8, sizeof(cargs), 0);
	stop(rec, SP_ABI_X86_64, "clone3", (uintptr_t)cargs, 4, 0);
	assert_set(&s->args[0], 2, (uint64_t[]){0x10000100, 0x200000000ull});
	sp_recording_free(rec);
}
END_TEST

START_TEST(record_socketcall_demux)
{
	struct sp_recording *rec = sp_recording_new();
	/* i386 socketcall(SYS_SOCKET, {AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, 0})
	 * and (SYS_SETSOCKOPT, {fd, SOL_SOCKET, SO_RCVBUF, ...}), with the
	 * argument array as 32-bit words in "tracee" memory */
	uint32_t sock[3] = {16, 3 | 0x80000, 0};
	uint32_t sso[5] = {3, 1, 8, 0x1234, 4};
	struct sp_sysc *mux = stop(rec, SP_ABI_I386, "socketcall", 1, (uintptr_t)sock, 0);
	stop(rec, SP_ABI_I386, "socketcall", 14, (uintptr_t)sso, 0);
	stop(rec, SP_ABI_I386, "socketcall", 3, (uintptr_t)sock, 0); /* connect */
	stop(rec, SP_ABI_I386, "socketcall", 99, 0, 0);              /* unknown call */
	assert_set(&mux->args[0], 4, (uint64_t[]){1, 3, 14, 99});
	ck_assert(!mux->args[1].used); /* the pointer is not a flag */

	struct sp_sysc *d = sp_recording_sysc(rec, SP_ABI_I386, 359, false);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->name, "socket");
	ck_assert_uint_eq(d->calls, 0); /* only direct calls are counted */
	assert_set(&d->args[0], 1, (uint64_t[]){16});
	assert_set(&d->args[1], 1, (uint64_t[]){3});
	d = sp_recording_sysc(rec, SP_ABI_I386, nr_of(SP_ABI_I386, "setsockopt"), false);
	ck_assert_ptr_nonnull(d);
	assert_set(&d->args[1], 1, (uint64_t[]){1});
	assert_set(&d->args[2], 1, (uint64_t[]){8});
	d = sp_recording_sysc(rec, SP_ABI_I386, nr_of(SP_ABI_I386, "connect"), false);
	ck_assert_ptr_nonnull(d);
	for (int i = 0; i < 6; i++)
		ck_assert(!d->args[i].used);

	/* unreadable argument array: the call number is still recorded */
	struct sp_recording *rec2 = sp_recording_new();
	mux = stop(rec2, SP_ABI_I386, "socketcall", 1, 8, 0);
	assert_set(&mux->args[0], 1, (uint64_t[]){1});
	d = sp_recording_sysc(rec2, SP_ABI_I386, 359, false);
	ck_assert(d && !d->args[0].used);
	sp_recording_free(rec2);

	/* ipc(SEMGET | version) -> semget entry; ipc(SEMOP) has no direct
	 * i386 number -> no entry */
	mux = stop(rec, SP_ABI_I386, "ipc", 0x10002, 0, 0);
	stop(rec, SP_ABI_I386, "ipc", 1, 0, 0);
	assert_set(&mux->args[0], 2, (uint64_t[]){1, 0x10002});
	ck_assert_ptr_nonnull(sp_recording_sysc(rec, SP_ABI_I386, 393, false));
	sp_recording_free(rec);
}
END_TEST

/* What the eBPF back-end hands over: values already reduced, and the
 * multiplexers' call numbers, which create the demultiplexed entries as
 * sp_args_record() does. */
START_TEST(add_reduced_values)
{
	struct sp_recording *rec = sp_recording_new();
	struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, nr_of(SP_ABI_X86_64, "socket"), true);
	sp_args_add_value(rec, s, SP_ABI_X86_64, 0, 2);
	sp_args_add_value(rec, s, SP_ABI_X86_64, 0, 2);
	sp_args_add_value(rec, s, SP_ABI_X86_64, 1, 1);
	sp_args_add_value(rec, s, SP_ABI_X86_64, 6, 1); /* no such argument: ignored */
	assert_set(&s->args[0], 1, (uint64_t[]){2});
	assert_set(&s->args[1], 1, (uint64_t[]){1});
	struct sp_sysc *mux = sp_recording_sysc(rec, SP_ABI_I386, nr_of(SP_ABI_I386, "socketcall"), true);
	sp_args_add_value(rec, mux, SP_ABI_I386, 0, 1);
	assert_set(&mux->args[0], 1, (uint64_t[]){1});
	struct sp_sysc *d = sp_recording_sysc(rec, SP_ABI_I386, 359, false);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->calls, 0);
	mux = sp_recording_sysc(rec, SP_ABI_I386, nr_of(SP_ABI_I386, "ipc"), true);
	sp_args_add_value(rec, mux, SP_ABI_I386, 0, 0x10002);
	ck_assert_ptr_nonnull(sp_recording_sysc(rec, SP_ABI_I386, 393, false));
	sp_recording_free(rec);
}
END_TEST

START_TEST(peek_fallback)
{
	/* A forked child has our memory layout: read a buffer at its address
	 * through PTRACE_PEEKDATA while the child sits in a ptrace stop. */
	static char buf[64];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 1);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSTOPPED(st));
	char out[64];
	/* odd offsets and lengths: the tail word is read ending at the end */
	for (size_t off = 0; off < 9; off++) {
		for (size_t len = 1; len + off <= 40; len += 5) {
			memset(out, 0, sizeof(out));
			ck_assert_int_eq(sp_args_peek_mem(pid, (uintptr_t)buf + off, out, len), 0);
			ck_assert(!memcmp(out, buf + off, len));
		}
	}
	ck_assert_int_lt(sp_args_peek_mem(pid, 8, out, 8), 0);
	ck_assert_int_eq(sp_args_read_mem(pid, (uintptr_t)buf + 3, out, 20), 0);
	ck_assert(!memcmp(out, buf + 3, 20));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}
END_TEST

static Suite *args_suite(void)
{
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, table_per_abi);
	tcase_add_test(tc, record_direct);
	tcase_add_test(tc, record_bounded);
	tcase_add_test(tc, record_clone3_memory);
	tcase_add_test(tc, record_socketcall_demux);
	tcase_add_test(tc, add_reduced_values);
	tcase_add_test(tc, peek_fallback);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(args_suite)
