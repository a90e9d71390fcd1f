/* SPDX-License-Identifier: MIT */
/* generator/compile: policies compiled by libseccomp, exported, and run in
 * our own BPF interpreter (generator/bpf_sim.c) against allow/deny tables. */
#include <dlfcn.h>
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "generator/bpf_sim.h"
#include "generator/compile.h"
#include "generator/verify.h"
#include "tests/unit/unit.h"

#define RET_ALLOW   0x7fff0000u
#define RET_KILLP   0x80000000u
#define RET_ERRNO(e) (0x00050000u | (e))
#define RET_TRACE   0x7ff00000u
#define AA_X86_64   0xc000003eu
#define AA_I386     0x40000003u
#define AA_AARCH64  0xc00000b7u

/* A libseccomp whose seccomp_rule_add_array() never returns, for testing
 * the worker's time limit: no policy makes the real one loop any more
 * (rule_order_avoids_loop).  This definition in the test program takes the
 * place of libseccomp's everywhere in it, and passes calls on to the real
 * one unless stall_rule_add is set. */
static bool stall_rule_add;
int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
			   const struct scmp_arg_cmp *arg_array)
{
	static int (*real)(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *);
	while (stall_rule_add)
		pause();
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "seccomp_rule_add_array");
	return real(ctx, action, syscall, arg_cnt, arg_array);
}

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

	/* a libseccomp that never returns: the worker is killed after 300 ms */
	p = mkpolicy(sp_abi_bit(SP_ABI_X86_64), names);
	stall_rule_add = true;
	uint64_t t0 = sp_now_ns();
	int r = sp_compile_bpf_isolated(p, NULL, 300, &b, &err);
	uint64_t ms = (sp_now_ns() - t0) / 1000000;
	stall_rule_add = false;
	ck_assert_int_eq(r, -ETIMEDOUT);
	ck_assert_msg(strstr(err.msg, "did not finish within 300 ms"), "%s", err.msg);
	ck_assert_uint_lt(ms, 5000);
	sp_policy_free(p);
}
END_TEST

/* p compiles in a worker (so that a libseccomp that loops fails the test
 * instead of hanging it), and libseccomp's program means what our own
 * emitter's does (generator/verify.h), as run and check require; with
 * miscompiled, libseccomp may also get it wrong (finding 3 of
 * tests/fuzz/libseccomp-hang.txt) as long as the cross-check says so. */
static void compiles_as_emitted(const struct sp_policy *p, bool miscompiled)
{
	struct sp_err err = {0};
	struct sock_fprog lib;
	ck_assert_msg(sp_compile_bpf_isolated(p, NULL, 5000, &lib, &err) == 0, "%s", err.msg);
	struct sp_bpf_prog ours = {0};
	ck_assert_msg(sp_bpf_emit(p, p->abis, &ours, &err) == 0, "%s", err.msg);
	int r = sp_verify_filters(p, p->abis, &lib, ours.insns, ours.len, &err);
	ck_assert_msg(r == 0 || (miscompiled && strstr(err.msg, "libseccomp compiled this profile wrongly")), "%s",
		      err.msg);
	sp_bpf_prog_release(&ours);
	free(lib.filter);
}

static struct sp_rule *cond_rule(struct sp_policy *p, const char *name, unsigned n, const struct sp_cond *c)
{
	struct sp_rule *r = sp_policy_add_rule(p, name, sp_action_allow());
	r->ncond = (uint8_t)n;
	memcpy(r->cond, c, n * sizeof(*c));
	return r;
}

/* libseccomp 2.5.4 loops forever on these rule sets in the order the
 * readers give them (finding 1 of tests/fuzz/libseccomp-hang.txt);
 * sp_compile_ctx() adds each syscall's rules in an order it handles. */
START_TEST(rule_order_avoids_loop)
{
	/* the reproducer: arg0 != 0xffffffff and one more NE each, sorted */
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_AARCH64);
	cond_rule(p, "read", 2, (struct sp_cond[]){{0, SP_CMP_NE, 0xffffffffu, 0}, {4, SP_CMP_NE, 5, 0}});
	cond_rule(p, "read", 2, (struct sp_cond[]){{0, SP_CMP_NE, 0xffffffffu, 0}, {3, SP_CMP_NE, 0x100000000ull, 0}});
	sp_policy_add_rule(p, "execve", sp_action_allow());
	sp_policy_sort(p);
	compiles_as_emitted(p, false);
	sp_policy_free(p);

	/* the shared node is met behind two range conditions whose first
	 * differ in their low words only: ordering by the whole conditions
	 * is not enough, only the high-word nodes tell.  libseccomp then
	 * reuses an argument word across a branch in this one (finding 3),
	 * which run and check refuse. */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	cond_rule(p, "read", 2, (struct sp_cond[]){{0, SP_CMP_NE, 0x100000005ull, 0}, {1, SP_CMP_NE, 0x100000000ull, 0}});
	cond_rule(p, "read", 3,
		  (struct sp_cond[]){{0, SP_CMP_GE, 7, 0}, {1, SP_CMP_LT, 5, 0}, {2, SP_CMP_GE, 0x100000000ull, 0}});
	cond_rule(p, "read", 3,
		  (struct sp_cond[]){{0, SP_CMP_GE, 5, 0}, {1, SP_CMP_LT, 5, 0}, {2, SP_CMP_LT, 0xffffffffu, 0}});
	compiles_as_emitted(p, true);
	sp_policy_free(p);

	/* a masked test before the shared node, conditions not in argument order */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	cond_rule(p, "read", 2, (struct sp_cond[]){{1, SP_CMP_MASKED_EQ, 0x100000005ull, 5}, {0, SP_CMP_NE, 0, 0}});
	cond_rule(p, "read", 2, (struct sp_cond[]){{1, SP_CMP_EQ, 0x100000000ull, 0}, {0, SP_CMP_NE, 0, 0}});
	compiles_as_emitted(p, false);
	sp_policy_free(p);
}
END_TEST

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random sets of 2 to 5 conditional ALLOW rules for one call (1 to 3
 * conditions on 4 arguments, boundary values), sorted as the readers sort
 * them or not: about 1 in 170 loops libseccomp 2.5.4 when added as given.
 * All compile in one worker, so a loop fails the test within the time
 * limit rather than hanging it. */
START_TEST(rule_order_random_sets)
{
	static const uint64_t vals[] = {0, 5, 7, 0xffffffffull, 0x100000000ull, 0x100000005ull, 0x700000000ull, UINT64_MAX};
	enum { NSETS = 3000 };
	struct sp_policy *set[NSETS];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	for (int k = 0; k < NSETS; k++) {
		struct sp_policy *p = set[k] = sp_policy_new(sp_action_errno(EPERM));
		p->abis = sp_abi_bit(SP_ABI_X86_64);
		for (int n = 2 + (int)(xorshift(&s) % 4), i = 0; i < n; i++) {
			struct sp_rule *r = sp_policy_add_rule(p, "read", sp_action_allow());
			r->ncond = (uint8_t)(1 + xorshift(&s) % 3);
			unsigned used = 0;
			for (unsigned c = 0; c < r->ncond; c++) {
				unsigned a;
				do
					a = (unsigned)(xorshift(&s) % 4);
				while (used & 1u << a);
				used |= 1u << a;
				r->cond[c] = (struct sp_cond){(uint8_t)a, (enum sp_cmp_op)(1 + xorshift(&s) % 7),
							      vals[xorshift(&s) % 8], 0};
				if (r->cond[c].op == SP_CMP_MASKED_EQ)
					r->cond[c].value2 = vals[xorshift(&s) % 8];
			}
		}
		if (xorshift(&s) % 2)
			sp_policy_sort(p);
	}
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Check's own SIGALRM handler, inherited, would kill the test */
		signal(SIGALRM, SIG_DFL);
		alarm(10);
		for (int k = 0; k < NSETS; k++) {
			struct sp_err err = {0};
			struct sock_fprog f;
			if (sp_compile_bpf(set[k], NULL, &f, &err) < 0) {
				dprintf(fds[1], "set %d: %s", k, err.msg);
				_exit(1);
			}
			free(f.filter);
		}
		_exit(0);
	}
	close(fds[1]);
	char msg[SP_ERR_MSG_MAX] = "";
	ssize_t got = read(fds[0], msg, sizeof(msg) - 1);
	(void)got;
	close(fds[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(!WIFSIGNALED(st), "libseccomp did not finish the %d sets in 10 s (signal %d)", NSETS,
		      WTERMSIG(st));
	ck_assert_msg(WEXITSTATUS(st) == 0, "%s", msg);
	for (int k = 0; k < NSETS; k++)
		sp_policy_free(set[k]);
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
	tcase_add_test(tc, rule_order_avoids_loop);
	tcase_add_test(tc, rule_order_random_sets);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(compile_suite)
