/* SPDX-License-Identifier: MIT */
/* formats/bpf_emit: our own BPF code generator, checked exhaustively
 * against libseccomp's filter for the same policy (generator/compile.c),
 * both run in generator/bpf_sim.c: every syscall number 0..1100 of each
 * ABI, x32 numbers, -1 and out-of-range numbers, on every arch value. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "generator/compile.h"
#include "generator/bpf_sim.h"
#include "tests/unit/unit.h"

static const char *const names[] = {
	"read", "write", "openat", "close", "fstat", "mmap", "mmap2", "mprotect", "munmap", "brk",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "pread64", "access", "pipe2",
	"sched_yield", "getpid", "socket", "connect", "clone", "execve", "exit", "exit_group", "wait4",
	"kill", "uname", "fcntl", "fcntl64", "getdents64", "getcwd", "arch_prctl", "futex", "set_tid_address",
	"clock_gettime", "clock_gettime64", "restart_syscall", "openat2", "getrandom", "statx", "rseq",
	"_llseek", "socketcall", "getuid32", "sigreturn", "epoll_pwait", "newfstatat", "fstatat64",
	"prlimit64", "semget", "shmat", "bind", "set_robust_list", "close_range", "faccessat2", "pidfd_open", "io_uring_setup",
	NULL,
};

static struct sp_policy *policy(uint32_t abis, struct sp_action def)
{
	struct sp_policy *p = sp_policy_new(def);
	p->abis = abis;
	for (size_t i = 0; names[i]; i++)
		sp_policy_add_rule(p, names[i], sp_action_allow());
	sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
	sp_policy_add_rule(p, "ptrace", (struct sp_action){SP_ACT_KILL_PROCESS, 0});
	/* argument rules: OR of two rules on one name, and AND within one */
	struct sp_rule *r = sp_policy_add_rule(p, "personality", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 0xffffffffu, 0};
	r = sp_policy_add_rule(p, "personality", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 8, 0};
	r = sp_policy_add_rule(p, "setsockopt", sp_action_allow());
	r->ncond = 2;
	r->cond[0] = (struct sp_cond){1, SP_CMP_LE, 6, 0};
	r->cond[1] = (struct sp_cond){2, SP_CMP_NE, 0x100000005ull, 0};
	r = sp_policy_add_rule(p, "mremap", sp_action_allow());
	r->ncond = 3;
	r->cond[0] = (struct sp_cond){3, SP_CMP_MASKED_EQ, 0xffffffff00000003ull, 0x2};
	r->cond[1] = (struct sp_cond){4, SP_CMP_GT, 0x7fffffff0ull, 0};
	r->cond[2] = (struct sp_cond){0, SP_CMP_GE, 0x1000, 0};
	r = sp_policy_add_rule(p, "madvise", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){2, SP_CMP_LT, 0x100000000ull, 0};
	/* MASKED_EQ with expected bits outside the mask: masked (libseccomp) */
	r = sp_policy_add_rule(p, "ftruncate", sp_action_allow()); /* x86_64 77: 7 | nr, all vectors */
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){2, SP_CMP_MASKED_EQ, 0xff, 0x1ff};
	/* a rule for one ABI only */
	r = sp_policy_add_rule(p, "modify_ldt", sp_action_allow());
	r->abis = sp_abi_bit(SP_ABI_I386);
	sp_policy_sort(p);
	return p;
}

/* A few argument vectors around the boundaries of the conditions above. */
static const uint64_t argv_[][6] = {
	{0},
	{0xffffffffu},
	{8, 6, 0x100000005ull, 2, 0x7fffffff1ull},
	{0x1000, 7, 5, 0x2, 0x7fffffff0ull},
	{0x2000, 6, 0x5, 0xffffffff00000002ull, 0x800000000ull},
	{0xfff, 0, 0x100000004ull, 0x6, 0x7ffffffffull},
	{0x1000, 6, 0xffffffffull, 0x100000002ull, 0x7fffffff1ull},
	{0, 0, 0xff},
	{0, 0, 0x1ff},
	{0, 0, 0x7f},
};

static void compare(uint32_t abis, struct sp_action def)
{
	struct sp_err err = {0};
	struct sp_policy *p = policy(abis, def);
	struct sock_fprog lib;
	ck_assert_msg(sp_compile_bpf(p, NULL, &lib, &err) == 0, "%s", err.msg);
	struct sp_bpf_prog ours;
	ck_assert_msg(sp_bpf_emit(p, 0, &ours, &err) == 0, "%s", err.msg);
	static const uint32_t arches[] = {0xc000003eu, 0x40000003u, 0xc00000b7u, 0x40000028u, 0xc00000f3u,
					  0x80000016u, 0x12345678u};
	static const int64_t extra[] = {-1, -2, 0x3fffffff, 0x7fffffff, (int64_t)0x80000000u, 5000, 0x40000000 - 1};
	size_t checks = 0, allowed = 0;
	for (size_t a = 0; a < SP_ARRAY_SIZE(arches); a++) {
		for (int64_t i = -(int64_t)SP_ARRAY_SIZE(extra); i < 2 * 1101; i++) {
			int64_t nr = i < 0 ? extra[-i - 1] : i <= 1100 ? i : 0x40000000 + (i - 1101);
			for (size_t v = 0; v < SP_ARRAY_SIZE(argv_); v++) {
				uint64_t args[6];
				memcpy(args, argv_[v], sizeof(args));
				if (arches[a] == 0x40000003u || arches[a] == 0x40000028u)
					for (int k = 0; k < 6; k++) /* 32-bit ABIs: zero-extended */
						args[k] &= 0xffffffffu;
				uint32_t want = sp_bpf_eval(lib.filter, lib.len, arches[a], (int)nr, args);
				uint32_t got = sp_bpf_eval(ours.insns, ours.len, arches[a], (int)nr, args);
				ck_assert_msg(want != SP_BPF_INVALID, "libseccomp's program did not run");
				ck_assert_msg(got == want, "arch %#x nr %lld args#%zu: ours %#x, libseccomp %#x", arches[a],
					      (long long)nr, v, got, want);
				checks++;
				allowed += got == 0x7fff0000u;
				/* every vector for one number in 7, the first for all */
				if (v == 0 && (nr % 7) != 0)
					break;
			}
		}
	}
	ck_assert_uint_gt(allowed, 40);
	ck_assert_uint_gt(checks, 15000);
	free(lib.filter);
	sp_bpf_prog_release(&ours);
	sp_policy_free(p);
}

START_TEST(same_as_libseccomp_x86_64)
{
	compare(sp_abi_bit(SP_ABI_X86_64), sp_action_errno(EPERM));
}
END_TEST

START_TEST(same_as_libseccomp_x86_64_i386)
{
	compare(sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386), sp_action_errno(EPERM));
}
END_TEST

START_TEST(same_as_libseccomp_x32)
{
	compare(sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_X32), (struct sp_action){SP_ACT_KILL_PROCESS, 0});
	compare(sp_abi_bit(SP_ABI_X32), sp_action_errno(EACCES));
}
END_TEST

START_TEST(same_as_libseccomp_arm)
{
	compare(sp_abi_bit(SP_ABI_AARCH64) | sp_abi_bit(SP_ABI_ARM), sp_action_errno(EPERM));
	compare(sp_abi_bit(SP_ABI_RISCV64), (struct sp_action){SP_ACT_TRAP, 0});
}
END_TEST

START_TEST(long_programs)
{
	/* every name libseccomp knows on x86_64: jumps beyond 255 need
	 * trampolines, and the result still matches libseccomp */
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386);
	for (int nr = 0; nr < 460; nr++) {
		char *n = sp_abi_syscall_name(SP_ABI_X86_64, nr);
		if (n && nr % 3)
			sp_policy_add_rule(p, n, sp_action_allow());
		free(n);
	}
	sp_policy_sort(p);
	struct sp_err err = {0};
	struct sock_fprog lib;
	struct sp_bpf_prog ours;
	ck_assert_msg(sp_compile_bpf(p, NULL, &lib, &err) == 0, "%s", err.msg);
	ck_assert_msg(sp_bpf_emit(p, 0, &ours, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(ours.len, 300);
	for (uint32_t arch = 0; arch < 2; arch++) {
		uint32_t aa = arch ? 0x40000003u : 0xc000003eu;
		for (int nr = -1; nr < 1100; nr++)
			ck_assert_uint_eq(sp_bpf_eval(ours.insns, ours.len, aa, nr, NULL),
					  sp_bpf_eval(lib.filter, lib.len, aa, nr, NULL));
	}
	free(lib.filter);
	sp_bpf_prog_release(&ours);
	sp_policy_free(p);
}
END_TEST

START_TEST(notes_name_syscalls)
{
	struct sp_policy *p = policy(sp_abi_bit(SP_ABI_X86_64), sp_action_errno(EPERM));
	struct sp_bpf_prog ours;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_bpf_emit(p, 0, &ours, &err), 0);
	bool read = false, clone3 = false;
	for (size_t i = 0; i < ours.len; i++) {
		read |= ours.notes[i] && strstr(ours.notes[i], "read (0)");
		clone3 |= ours.notes[i] && strstr(ours.notes[i], "clone3");
	}
	ck_assert(read && clone3);
	sp_bpf_prog_release(&ours);
	/* an ABI the policy does not cover */
	ck_assert_int_lt(sp_bpf_emit(p, sp_abi_bit(SP_ABI_AARCH64), &ours, &err), 0);
	sp_policy_free(p);
}
END_TEST

/* Where rules of several names meet at a multiplexer (i386 socketcall:
 * its own rule and socket's companion), the strongest action is tried
 * first whatever the rule order; elsewhere rules that can both match with
 * different actions are refused. */
START_TEST(multiplexer_precedence_and_ambiguity)
{
	struct sp_err err = {0};
	for (int order = 0; order < 2; order++) {
		struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
		p->abis = sp_abi_bit(SP_ABI_I386);
		struct sp_action trap = {SP_ACT_TRAP, 0}, trace = {SP_ACT_TRACE, 7};
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (order == 0)) {
				struct sp_rule *r = sp_policy_add_rule(p, "socketcall", trap);
				r->ncond = 1;
				r->cond[0] = (struct sp_cond){4, SP_CMP_GT, 0, 0};
			} else {
				sp_policy_add_rule(p, "socket", trace);
			}
		}
		struct sp_bpf_prog ours;
		ck_assert_msg(sp_bpf_emit(p, 0, &ours, &err) == 0, "%s", err.msg);
		uint64_t both[6] = {1, 0, 0, 0, 5, 0}, sock[6] = {1, 0, 0, 0, 0, 0}, other[6] = {3, 0, 0, 0, 5, 0};
		ck_assert_uint_eq(sp_bpf_eval(ours.insns, ours.len, 0x40000003u, 102, both), 0x00030000u);
		ck_assert_uint_eq(sp_bpf_eval(ours.insns, ours.len, 0x40000003u, 102, sock), 0x7ff00007u);
		ck_assert_uint_eq(sp_bpf_eval(ours.insns, ours.len, 0x40000003u, 102, other), 0x00030000u);
		sp_bpf_prog_release(&ours);
		sp_policy_free(p);
	}
	/* the same two actions on one direct number: refused, naming both */
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	struct sp_rule *r = sp_policy_add_rule(p, "ioctl", (struct sp_action){SP_ACT_TRAP, 0});
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){1, SP_CMP_EQ, 0x5401, 0};
	sp_policy_add_rule(p, "ioctl", sp_action_allow());
	struct sp_bpf_prog ours;
	ck_assert_int_eq(sp_bpf_emit(p, 0, &ours, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "ambiguous rules for \"ioctl\" on x86_64"), "%s", err.msg);
	struct sock_fprog lib;
	ck_assert_int_eq(sp_compile_bpf(p, NULL, &lib, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "compile: ambiguous rules"), "%s", err.msg);
	sp_policy_free(p);
}
END_TEST

static Suite *bpf_emit_suite(void)
{
	Suite *s = suite_create("bpf_emit");
	TCase *tc = tcase_create("bpf_emit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, same_as_libseccomp_x86_64);
	tcase_add_test(tc, same_as_libseccomp_x86_64_i386);
	tcase_add_test(tc, same_as_libseccomp_x32);
	tcase_add_test(tc, same_as_libseccomp_arm);
	tcase_add_test(tc, long_programs);
	tcase_add_test(tc, notes_name_syscalls);
	tcase_add_test(tc, multiplexer_precedence_and_ambiguity);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(bpf_emit_suite)
