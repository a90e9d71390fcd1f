/* SPDX-License-Identifier: MIT */
/* core/overlap: can two rules match one call.  The solver is checked
 * against brute force over a domain where brute force is complete, and the
 * policy check against hand-made policies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/overlap.h"
#include "core/util.h"
#include "tests/unit/unit.h"

static bool holds(const struct sp_cond *c, uint64_t x, uint64_t width)
{
	uint64_t v = c->value & width, v2 = c->value2 & width;
	x &= width;
	switch (c->op) {
	case SP_CMP_NE: return x != v;
	case SP_CMP_LT: return x < v;
	case SP_CMP_LE: return x <= v;
	case SP_CMP_EQ: return x == v;
	case SP_CMP_GE: return x >= v;
	case SP_CMP_GT: return x > v;
	case SP_CMP_MASKED_EQ: return (x & v) == (v2 & v);
	}
	return false;
}

static bool all_hold(const struct sp_cond *c, unsigned n, const uint64_t *args, uint64_t width)
{
	for (unsigned i = 0; i < n; i++)
		if (!holds(&c[i], args[c[i].arg], width))
			return false;
	return true;
}

/* Conditions on two arguments with values and masks below 256: if any
 * x >= 256 satisfies an argument's conditions, none of them bounds it from
 * above, so x' = 256 | (x & 0xff) does too; searching [0, 512) per argument
 * is therefore complete. */
static void random_conds(struct sp_cond *c, unsigned n, unsigned *seed)
{
	for (unsigned i = 0; i < n; i++) {
		c[i].arg = (uint8_t)(rand_r(seed) % 2);
		c[i].op = (enum sp_cmp_op)(1 + rand_r(seed) % 7);
		c[i].value = (uint64_t)(rand_r(seed) % 256);
		c[i].value2 = (uint64_t)(rand_r(seed) % 256);
		if (c[i].op == SP_CMP_MASKED_EQ && rand_r(seed) % 2)
			c[i].value = 0xf0; /* a mask with a hole in it */
	}
}

START_TEST(solver_matches_brute_force)
{
	unsigned seed = 12345;
	unsigned yes = 0, no = 0;
	for (int round = 0; round < 20000; round++) {
		struct sp_cond a[3], b[3];
		unsigned na = (unsigned)(rand_r(&seed) % 4), nb = (unsigned)(rand_r(&seed) % 4);
		random_conds(a, na, &seed);
		random_conds(b, nb, &seed);
		unsigned bits = round % 2 ? 32 : 64;
		uint64_t width = bits == 32 ? UINT32_MAX : UINT64_MAX;
		uint64_t w[6];
		bool got = sp_cond_overlap(a, na, b, nb, bits, w);
		/* brute force, argument by argument (they are independent) */
		bool want = true;
		uint64_t first[2] = {0, 0};
		for (int arg = 0; arg < 2 && want; arg++) {
			bool found = false;
			for (uint64_t x = 0; x < 512 && !found; x++) {
				bool ok = true;
				for (unsigned i = 0; i < na; i++)
					ok = ok && (a[i].arg != arg || holds(&a[i], x, width));
				for (unsigned i = 0; i < nb; i++)
					ok = ok && (b[i].arg != arg || holds(&b[i], x, width));
				if (ok) {
					found = true;
					first[arg] = x;
				}
			}
			want = found;
		}
		ck_assert_msg(got == want, "round %d: solver says %d, brute force %d", round, got, want);
		if (got) {
			yes++;
			ck_assert(all_hold(a, na, w, width) && all_hold(b, nb, w, width));
			ck_assert_uint_eq(w[0], first[0]); /* the smallest value, as documented */
			ck_assert_uint_eq(w[1], first[1]);
		} else {
			no++;
		}
	}
	/* the generator must exercise both answers */
	ck_assert_uint_gt(yes, 2000);
	ck_assert_uint_gt(no, 2000);
}
END_TEST

START_TEST(solver_large_values)
{
	uint64_t w[6];
	/* (x & 0xff00) == 0x1200 and x >= 0x1300: the next fit is 0x11200 */
	struct sp_cond a[] = {{0, SP_CMP_MASKED_EQ, 0xff00, 0x1200}};
	struct sp_cond b[] = {{0, SP_CMP_GE, 0x1300, 0}};
	ck_assert(sp_cond_overlap(a, 1, b, 1, 64, w));
	ck_assert_uint_eq(w[0], 0x11200);
	/* on 32 bits the same needs bit 16, still there */
	ck_assert(sp_cond_overlap(a, 1, b, 1, 32, w));
	/* with every high bit in the mask there is no room left */
	struct sp_cond c[] = {{0, SP_CMP_MASKED_EQ, 0xffffffffffffff00ull, 0x1200}};
	ck_assert(!sp_cond_overlap(c, 1, b, 1, 64, w));
	/* the values of 32-bit ABIs are truncated, as libseccomp does */
	struct sp_cond e5[] = {{0, SP_CMP_EQ, 5, 0}}, e5hi[] = {{0, SP_CMP_EQ, 0x100000005ull, 0}};
	ck_assert(!sp_cond_overlap(e5, 1, e5hi, 1, 64, w));
	ck_assert(sp_cond_overlap(e5, 1, e5hi, 1, 32, w));
	/* bits of the expected value outside the mask do not count */
	struct sp_cond m[] = {{1, SP_CMP_MASKED_EQ, 0xff, 0x1ff}}, eq[] = {{1, SP_CMP_EQ, 0xff, 0}};
	ck_assert(sp_cond_overlap(m, 1, eq, 1, 64, w));
	ck_assert_uint_eq(w[1], 0xff);
	/* edges: x > max and x < 0 hold for nothing */
	struct sp_cond gt[] = {{2, SP_CMP_GT, UINT64_MAX, 0}}, lt[] = {{2, SP_CMP_LT, 0, 0}};
	ck_assert(!sp_cond_overlap(gt, 1, NULL, 0, 64, w));
	ck_assert(!sp_cond_overlap(lt, 1, NULL, 0, 64, w));
	struct sp_cond gt32[] = {{2, SP_CMP_GT, 0xffffffffull, 0}};
	ck_assert(sp_cond_overlap(gt32, 1, NULL, 0, 64, w));
	ck_assert(!sp_cond_overlap(gt32, 1, NULL, 0, 32, w));
	/* NE at the top of the range */
	struct sp_cond ge[] = {{3, SP_CMP_GE, UINT64_MAX, 0}}, ne[] = {{3, SP_CMP_NE, UINT64_MAX, 0}};
	ck_assert(!sp_cond_overlap(ge, 1, ne, 1, 64, w));
	/* invalid conditions hold for nothing */
	struct sp_cond bad[] = {{6, SP_CMP_EQ, 0, 0}};
	ck_assert(!sp_cond_overlap(bad, 1, NULL, 0, 64, w));
}
END_TEST

static struct sp_rule *rule(struct sp_policy *p, const char *name, struct sp_action act, struct sp_cond c)
{
	struct sp_rule *r = sp_policy_add_rule(p, name, act);
	if (c.op) {
		r->cond[0] = c;
		r->ncond = 1;
	}
	return r;
}

START_TEST(policy_check)
{
	struct sp_err err = {0};
	struct sp_action kill = {SP_ACT_KILL_PROCESS, 0};
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	rule(p, "read", sp_action_allow(), (struct sp_cond){0, SP_CMP_GT, 3, 0});
	rule(p, "read", kill, (struct sp_cond){0, SP_CMP_LE, 3, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0); /* exclusive */
	rule(p, "read", kill, (struct sp_cond){1, SP_CMP_LT, 10, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "\"read\" on x86_64") && strstr(err.msg, "allow if arg0 > 0x3") &&
			      strstr(err.msg, "kill-process if arg1 < 0xa") && strstr(err.msg, "read(0x4, 0x0"),
		      "%s", err.msg);
	/* a rule that does what the default does is dropped, so not ambiguous */
	p->rules[2].action = sp_action_errno(EPERM);
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0);
	/* same action: a plain OR */
	p->rules[2].action = kill;
	p->rules[0].action = kill;
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0);
	/* rules on different ABIs never meet */
	p->rules[0].action = sp_action_allow();
	p->abis |= sp_abi_bit(SP_ABI_I386);
	p->rules[0].abis = sp_abi_bit(SP_ABI_I386);
	p->rules[2].abis = sp_abi_bit(SP_ABI_X86_64);
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0);
	/* an unconditional rule meets every conditional one */
	rule(p, "read", sp_action_errno(ENOSYS), (struct sp_cond){0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), -EINVAL);
	sp_policy_free(p);

	/* values above 32 bits: distinct on x86_64, the same on i386 */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	rule(p, "ioctl", sp_action_allow(), (struct sp_cond){1, SP_CMP_EQ, 5, 0});
	rule(p, "ioctl", kill, (struct sp_cond){1, SP_CMP_EQ, 0x100000005ull, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0);
	p->abis |= sp_abi_bit(SP_ABI_I386);
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "on i386"), "%s", err.msg);
	sp_policy_free(p);
}
END_TEST

/* Rules are compared by syscall number after sorting: the pair reported is
 * still the first in policy order, and rules of other names, numbers or
 * equal actions are never paired. */
START_TEST(policy_check_grouped)
{
	struct sp_err err = {0};
	struct sp_action kill = {SP_ACT_KILL_PROCESS, 0};
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	rule(p, "write", sp_action_allow(), (struct sp_cond){0, SP_CMP_EQ, 1, 0});
	rule(p, "read", sp_action_allow(), (struct sp_cond){0, SP_CMP_EQ, 1, 0});
	rule(p, "read", kill, (struct sp_cond){0, SP_CMP_GE, 1, 0});
	rule(p, "write", kill, (struct sp_cond){0, SP_CMP_GE, 0, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), -EINVAL);
	/* write (rules 0 and 3) comes first in the policy, read (1, 2) by number */
	ck_assert_msg(strstr(err.msg, "\"write\" on x86_64") && strstr(err.msg, "write(0x1,"), "%s", err.msg);
	sp_policy_free(p);

	/* SP_MAX_RULES rules of one number, one action: no pair to check; one
	 * more rule with another action meets the one it overlaps */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	for (uint64_t v = 0; v < SP_MAX_RULES - 1; v++)
		rule(p, "read", sp_action_allow(), (struct sp_cond){0, SP_CMP_EQ, v * 3, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), 0);
	rule(p, "read", kill, (struct sp_cond){0, SP_CMP_EQ, 3 * 4000, 0});
	ck_assert_int_eq(sp_policy_check_ambiguous(p, p->abis, p->def, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "allow if arg0 == 0x2ee0") && strstr(err.msg, "read(0x2ee0,"), "%s", err.msg);
	sp_policy_free(p);
}
END_TEST

START_TEST(name_index)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	const char *names[] = {"write", "read", "close", "read", "write", "read"};
	for (size_t i = 0; i < SP_ARRAY_SIZE(names); i++)
		sp_policy_add_rule(p, names[i], sp_action_allow());
	struct sp_name_index ix;
	sp_name_index_build(&ix, p);
	size_t n = 99;
	const size_t *idx = sp_name_index_find(&ix, "read", &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(idx[0], 1);
	ck_assert_uint_eq(idx[1], 3);
	ck_assert_uint_eq(idx[2], 5);
	idx = sp_name_index_find(&ix, "close", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(idx[0], 2);
	ck_assert_ptr_null(sp_name_index_find(&ix, "open", &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(sp_name_index_find(&ix, "zzz", &n));
	sp_name_index_release(&ix);
	sp_policy_free(p);
}
END_TEST

static Suite *overlap_suite(void)
{
	Suite *s = suite_create("overlap");
	TCase *tc = tcase_create("overlap");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, solver_matches_brute_force);
	tcase_add_test(tc, solver_large_values);
	tcase_add_test(tc, policy_check);
	tcase_add_test(tc, policy_check_grouped);
	tcase_add_test(tc, name_index);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(overlap_suite)
