/* SPDX-License-Identifier: MIT */
/* generator/verify: the checks run and check put libseccomp's program
 * through.  Hand-made programs for the structural check; for the whole
 * cross-check, policies libseccomp 2.5.4 is known to miscompile (the
 * assertions that need the bug are skipped with another libseccomp). */
#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "generator/compile.h"
#include "generator/verify.h"
#include "tests/unit/unit.h"

#define LD(k)        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (k))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
#define RET(k)       BPF_STMT(BPF_RET | BPF_K, (k))

static int check(struct sock_filter *f, size_t n, struct sp_err *err)
{
	struct sock_fprog p = {(unsigned short)n, f};
	return sp_verify_accumulator(&p, err);
}

START_TEST(accumulator_sources)
{
	struct sp_err err = {0};
	/* one source per use: fine, also after a merge of equal loads */
	struct sock_filter good[] = {
		LD(0), JEQ(1, 0, 2), LD(16), JEQ(5, 1, 0), LD(16), JEQ(6, 0, 1), RET(0x7fff0000), RET(0),
	};
	ck_assert_int_eq(check(good, SP_ARRAY_SIZE(good), &err), 0);
	/* argument 0 on one path, argument 1 on the other, then compared */
	struct sock_filter bad[] = {
		LD(16), JEQ(8, 2, 0), LD(24), JEQ(8, 0, 2), JEQ(0, 0, 1), RET(0x7fc00000), RET(0x80000000),
	};
	ck_assert_int_eq(check(bad, SP_ARRAY_SIZE(bad), &err), -EPROTO);
	ck_assert_msg(strstr(err.msg, "instruction 4 (jeq 0)"), "%s", err.msg);
	/* the same merge with a jump whose outcome A cannot change */
	bad[4] = (struct sock_filter)JGE(0, 0, 1);
	ck_assert_int_eq(check(bad, SP_ARRAY_SIZE(bad), &err), 0);
	/* masks count: the same word masked differently is another value */
	struct sock_filter masked[] = {
		LD(16), JEQ(1, 0, 2), BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff), BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0),
		JEQ(7, 0, 0), RET(0),
	};
	/* instruction 4 is reached from 3 (masked) and from 1 (unmasked) */
	ck_assert_int_eq(check(masked, SP_ARRAY_SIZE(masked), &err), -EPROTO);
}
END_TEST

static struct sp_policy *two_rules(const char *name, struct sp_action act, struct sp_cond a0, struct sp_cond a1,
				   struct sp_cond b0, struct sp_cond b1)
{
	struct sp_policy *p = sp_policy_new((struct sp_action){SP_ACT_KILL_PROCESS, 0});
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	struct sp_rule *r = sp_policy_add_rule(p, name, act);
	r->cond[r->ncond++] = a0;
	if (a1.op)
		r->cond[r->ncond++] = a1;
	r = sp_policy_add_rule(p, name, act);
	r->cond[r->ncond++] = b0;
	if (b1.op)
		r->cond[r->ncond++] = b1;
	return p;
}

/* Compiles p both ways and cross-checks; returns sp_verify_filters(). */
static int cross_check(struct sp_policy *p, struct sp_err *err)
{
	struct sock_fprog lib;
	ck_assert_msg(sp_compile_bpf(p, NULL, &lib, err) == 0, "%s", err->msg);
	struct sp_bpf_prog ours;
	ck_assert_msg(sp_bpf_emit(p, 0, &ours, err) == 0, "%s", err->msg);
	int r = sp_verify_filters(p, p->abis, &lib, ours.insns, ours.len, err);
	free(lib.filter);
	sp_bpf_prog_release(&ours);
	return r;
}

START_TEST(libseccomp_miscompilations_refused)
{
	const struct scmp_version *v = seccomp_version();
	bool buggy = v->major == 2 && v->minor == 5 && v->micro <= 4;
	struct sp_err err = {0};
	struct sp_action log = {SP_ACT_LOG, 0};
	/* two LT rules whose bounds differ in the high word (fuzz_compile):
	 * libseccomp compares the low word of a0 with the second bound's
	 * high word */
	struct sp_policy *p = two_rules("personality", log, (struct sp_cond){0, SP_CMP_LT, 0x4d4d4d4d4d4d4d4dull, 0},
					 (struct sp_cond){0}, (struct sp_cond){0, SP_CMP_LT, 0x4d4d944d4d4d4d4dull, 0},
					 (struct sp_cond){0});
	int r = cross_check(p, &err);
	if (buggy) {
		ck_assert_int_eq(r, -EPROTO);
		ck_assert_msg(strstr(err.msg, "libseccomp compiled this profile wrongly"), "%s", err.msg);
	}
	sp_policy_free(p);
	/* NE and a masked compare in both rules (semop, found by fuzz_compile) */
	p = two_rules("semop", sp_action_allow(), (struct sp_cond){0, SP_CMP_NE, 0xfffffffd, 0},
		      (struct sp_cond){2, SP_CMP_MASKED_EQ, 0xd, 0xd}, (struct sp_cond){0, SP_CMP_NE, 0, 0},
		      (struct sp_cond){2, SP_CMP_MASKED_EQ, 0xd, 0});
	r = cross_check(p, &err);
	if (buggy)
		ck_assert_int_eq(r, -EPROTO);
	sp_policy_free(p);
	/* and what libseccomp gets right passes: one rule per call */
	p = two_rules("personality", log, (struct sp_cond){0, SP_CMP_EQ, 8, 0}, (struct sp_cond){0},
		      (struct sp_cond){0, SP_CMP_EQ, 0xffffffff, 0}, (struct sp_cond){0});
	ck_assert_msg(cross_check(p, &err) == 0, "%s", err.msg);
	sp_policy_free(p);
}
END_TEST

static Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, accumulator_sources);
	tcase_add_test(tc, libseccomp_miscompilations_refused);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(verify_suite)
