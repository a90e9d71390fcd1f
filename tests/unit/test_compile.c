/* SPDX-License-Identifier: MIT */
/* generator/compile: policies compiled by libseccomp, exported, and run in
 * our own BPF interpreter (generator/bpf_sim.c) against allow/deny tables. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "generator/compile.h"
#include "generator/bpf_sim.h"
#include "tests/unit/unit.h"

#define RET_ALLOW   0x7fff0000u
#define RET_KILLP   0x80000000u
#define RET_ERRNO(e) (0x00050000u | (e))
#define RET_TRACE   0x7ff00000u
#define AA_X86_64   0xc000003eu
#define AA_I386     0x40000003u
#define AA_AARCH64  0xc00000b7u

static struct sp_policy *mkpolicy(uint32_t abis, const char *const *names)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = abis;
	for (size_t i = 0; names[i]; i++)
		sp_policy_add_rule(p, names[i], sp_action_allow());
	sp_policy_sort(p);
	return p;
}

static bool listed(const char *const *names, const char *n)
{
	for (size_t i = 0; n && names[i]; i++)
		if (!strcmp(names[i], n))
			return true;
	return false;
}

/* Every number 0..1100 of abi: listed names allow, everything else gets
 * the default.  Names come from libseccomp, the verdict from our
 * interpreter. */
static void check_table(const struct sock_fprog *f, enum sp_abi abi, const char *const *names, uint32_t def)
{
	const struct sp_abi_info *ai = sp_abi_get(abi);
	uint32_t base = abi == SP_ABI_X32 ? 0x40000000u : 0;
	int nallowed = 0;
	for (int nr = 0; nr <= 1100; nr++) {
		char *n = sp_abi_syscall_name(abi, (int64_t)(base + (uint32_t)nr));
		uint32_t want = listed(names, n) ? RET_ALLOW : def;
		uint32_t got = sp_bpf_eval(f->filter, f->len, ai->audit_arch, (int)(base + (uint32_t)nr), NULL);
		ck_assert_msg(got == want, "%s nr %d (%s): got %#x want %#x", ai->name, nr, n ? n : "?", got,
			      want);
		nallowed += want == RET_ALLOW;
		free(n);
	}
	ck_assert_int_gt(nallowed, 0);
}

static const char *const basic[] = {"read", "write", "exit_group", "rt_sigreturn", "openat", "mmap2", NULL};

START_TEST(x86_64_table)
{
	struct sp_err err = {0};
	struct sp_policy *p = mkpolicy(sp_abi_bit(SP_ABI_X86_64), basic);
	struct sock_fprog f;
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	check_table(&f, SP_ABI_X86_64, basic, RET_ERRNO(EPERM));
	/* other ABIs and x32 numbers are refused with KILL_PROCESS */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_I386, 3, NULL), RET_KILLP);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_AARCH64, 63, NULL), RET_KILLP);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0x40000000 | 0, NULL), RET_KILLP);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0x40000000 | 1, NULL), RET_KILLP);
	/* nr -1 (a tracer's "skip") goes to the rules, not the x32 guard */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, -1, NULL), RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 5000, NULL), RET_ERRNO(EPERM));
	free(f.filter);
	sp_policy_free(p);
}
END_TEST

START_TEST(multi_abi_table)
{
	struct sp_err err = {0};
	struct sp_policy *p = mkpolicy(sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386), basic);
	struct sock_fprog f;
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	check_table(&f, SP_ABI_X86_64, basic, RET_ERRNO(EPERM));
	check_table(&f, SP_ABI_I386, basic, RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_I386, 192, NULL), RET_ALLOW); /* mmap2 */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_AARCH64, 63, NULL), RET_KILLP);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0x40000000, NULL), RET_KILLP);
	free(f.filter);
	sp_policy_free(p);

	/* x32 in the policy: its numbers are allowed, x86_64 is not */
	p = mkpolicy(sp_abi_bit(SP_ABI_X32), basic);
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	check_table(&f, SP_ABI_X32, basic, RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0, NULL), RET_KILLP);
	free(f.filter);
	sp_policy_free(p);

	/* extra_abis adds an ABI the policy does not list */
	p = mkpolicy(sp_abi_bit(SP_ABI_X86_64), basic);
	struct sp_compile_opts o = {.extra_abis = sp_abi_bit(SP_ABI_X32)};
	ck_assert_msg(sp_compile_bpf(p, &o, &f, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0x40000000, NULL), RET_ALLOW);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 0, NULL), RET_ALLOW);
	free(f.filter);
	sp_policy_free(p);
}
END_TEST

START_TEST(conditions_and_actions)
{
	struct sp_err err = {0};
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	struct sp_rule *r = sp_policy_add_rule(p, "personality", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 0xffffffffu, 0};
	r = sp_policy_add_rule(p, "clone", sp_action_allow());
	r->ncond = 1; /* no namespace flags: (flags & 0x7E020000) == 0 */
	r->cond[0] = (struct sp_cond){0, SP_CMP_MASKED_EQ, 0x7E020000u, 0};
	r = sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
	r = sp_policy_add_rule(p, "write", sp_action_errno(EPERM)); /* = default: skipped */
	r = sp_policy_add_rule(p, "kill", (struct sp_action){SP_ACT_KILL_PROCESS, 0});
	r = sp_policy_add_rule(p, "arch_prctl", sp_action_allow());
	r->abis = sp_abi_bit(SP_ABI_I386); /* not on x86_64 */
	sp_policy_sort(p);
	struct sock_fprog f;
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	uint64_t a[6] = {0xffffffffu};
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 135, a), RET_ALLOW);
	a[0] = 0;
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 135, a), RET_ERRNO(EPERM));
	a[0] = 0x11 | 0x00100000; /* SIGCHLD|CLONE_CHILD_SETTID-ish */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 56, a), RET_ALLOW);
	a[0] = 0x10000000; /* CLONE_NEWUSER */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 56, a), RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 435, NULL), RET_ERRNO(ENOSYS));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 62, NULL), RET_KILLP);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 1, NULL), RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 158, NULL), RET_ERRNO(EPERM));
	free(f.filter);

	/* override of the default: what check/--baseline use */
	struct sp_compile_opts o = {.override_default = true, .def = {SP_ACT_TRACE, 0}};
	ck_assert_msg(sp_compile_bpf(p, &o, &f, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 2, NULL), RET_TRACE);
	/* the rule that equalled the old default is now a real rule */
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 1, NULL), RET_ERRNO(EPERM));
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, AA_X86_64, 435, NULL), RET_ERRNO(ENOSYS));
	free(f.filter);
	sp_policy_free(p);
}
END_TEST

START_TEST(errors_name_syscall_and_abi)
{
	struct sp_err err = {0};
	struct sock_fprog f;
	const char *const bad[] = {"read", "no_such_call", NULL};
	struct sp_policy *p = mkpolicy(sp_abi_bit(SP_ABI_X86_64), bad);
	ck_assert_int_lt(sp_compile_bpf(p, NULL, &f, &err), 0);
	ck_assert_msg(strstr(err.msg, "'no_such_call'") && strstr(err.msg, "'x86_64'"), "%s", err.msg);
	sp_policy_free(p);

	/* one argument compared twice: libseccomp refuses, we say why */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	struct sp_rule *r = sp_policy_add_rule(p, "socket", sp_action_allow());
	r->ncond = 2;
	r->cond[0] = (struct sp_cond){0, SP_CMP_NE, 38, 0};
	r->cond[1] = (struct sp_cond){0, SP_CMP_NE, 40, 0};
	ck_assert_int_lt(sp_compile_bpf(p, NULL, &f, &err), 0);
	ck_assert_msg(strstr(err.msg, "'socket'") && strstr(err.msg, "compared twice"), "%s", err.msg);
	sp_policy_free(p);

	/* big- and little-endian ABIs cannot share a filter */
	p = mkpolicy(sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_S390X), basic);
	ck_assert_int_lt(sp_compile_bpf(p, NULL, &f, &err), 0);
	ck_assert_msg(strstr(err.msg, "s390x"), "%s", err.msg);
	sp_policy_free(p);
}
END_TEST

START_TEST(ctx_is_loadable_shape)
{
	/* The ctx variant gives a filter whose attributes are ours. */
	struct sp_err err = {0};
	struct sp_policy *p = mkpolicy(sp_abi_bit(SP_ABI_X86_64), basic);
	scmp_filter_ctx ctx = NULL;
	ck_assert_msg(sp_compile_ctx(p, NULL, &ctx, &err) == 0, "%s", err.msg);
	uint32_t v = 0;
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_BADARCH, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_KILL_PROCESS);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_ERRNO(EPERM));
	ck_assert_int_eq(seccomp_arch_exist(ctx, SCMP_ARCH_X86_64), 0);
	ck_assert_int_ne(seccomp_arch_exist(ctx, SCMP_ARCH_X86), 0);
	seccomp_release(ctx);
	sp_policy_free(p);
}
END_TEST

START_TEST(bpf_sim_rejects_bad_programs)
{
	struct sock_filter no_ret[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)};
	struct sock_filter bad_off[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_filter bad_jump[] = {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
					 BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_filter ok[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
				   BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 10, 0, 1), BPF_STMT(BPF_RET | BPF_K, 1),
				   BPF_STMT(BPF_RET | BPF_A, 0)};
	ck_assert_uint_eq(sp_bpf_eval(no_ret, 1, 0, 0, NULL), SP_BPF_INVALID);
	ck_assert_uint_eq(sp_bpf_eval(bad_off, 2, 0, 0, NULL), SP_BPF_INVALID);
	ck_assert_uint_eq(sp_bpf_eval(bad_jump, 2, 0, 0, NULL), SP_BPF_INVALID);
	ck_assert_uint_eq(sp_bpf_eval(ok, 4, 0, 11, NULL), 1);
	ck_assert_uint_eq(sp_bpf_eval(ok, 4, 0, 9, NULL), 9);
}
END_TEST

/* The worker gives what the in-process compiler gives, errors included,
 * and is stopped when libseccomp loops (tests/fuzz/libseccomp-hang.txt). */
START_TEST(isolated_compile)
{
	static const char *const names[] = {"read", "write", "exit_group", "execve", NULL};
	struct sp_policy *p = mkpolicy(sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386), names);
	struct sp_err err = {0};
	struct sock_fprog a, b;
	ck_assert_msg(sp_compile_bpf(p, NULL, &a, &err) == 0, "%s", err.msg);
	ck_assert_msg(sp_compile_bpf_isolated(p, NULL, 5000, &b, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(!memcmp(a.filter, b.filter, a.len * sizeof(*a.filter)));
	free(a.filter);
	free(b.filter);
	/* an error travels back whole */
	sp_policy_add_rule(p, "no_such_call", sp_action_allow());
	struct sp_err e1 = {0}, e2 = {0};
	ck_assert_int_lt(sp_compile_bpf(p, NULL, &a, &e1), 0);
	ck_assert_int_eq(sp_compile_bpf_isolated(p, NULL, 5000, &b, &e2), e1.code);
	ck_assert_str_eq(e1.msg, e2.msg);
	sp_policy_free(p);

	/* two ALLOW rules for read with two NE conditions each: libseccomp
	 * 2.5.4 never returns; the worker is killed after 300 ms */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	uint64_t v[2] = {0x100000000ull, 5};
	uint8_t arg[2] = {3, 4};
	for (int i = 0; i < 2; i++) {
		struct sp_rule *r = sp_policy_add_rule(p, "read", sp_action_allow());
		r->ncond = 2;
		r->cond[0] = (struct sp_cond){0, SP_CMP_NE, 0xffffffffu, 0};
		r->cond[1] = (struct sp_cond){arg[i], SP_CMP_NE, v[i], 0};
	}
	uint64_t t0 = sp_now_ns();
	int r = sp_compile_bpf_isolated(p, NULL, 300, &b, &err);
	uint64_t ms = (sp_now_ns() - t0) / 1000000;
	const struct scmp_version *ver = seccomp_version();
	bool buggy = ver->major == 2 && ver->minor == 5 && ver->micro == 4; /* Debian 12's */
	if (r == 0 && !buggy) /* a libseccomp without the bug: nothing to stop */
		free(b.filter);
	else {
		ck_assert_int_eq(r, -ETIMEDOUT);
		ck_assert_msg(strstr(err.msg, "did not finish within 300 ms"), "%s", err.msg);
		ck_assert_uint_lt(ms, 5000);
	}
	sp_policy_free(p);
}
END_TEST

static Suite *compile_suite(void)
{
	Suite *s = suite_create("compile");
	TCase *tc = tcase_create("compile");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, x86_64_table);
	tcase_add_test(tc, multi_abi_table);
	tcase_add_test(tc, conditions_and_actions);
	tcase_add_test(tc, errors_name_syscall_and_abi);
	tcase_add_test(tc, ctx_is_loadable_shape);
	tcase_add_test(tc, bpf_sim_rejects_bad_programs);
	tcase_add_test(tc, isolated_compile);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(compile_suite)
