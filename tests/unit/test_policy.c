/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "core/policy.h"
#include "tests/unit/unit.h"

START_TEST(action_parse)
{
	struct sp_action a;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_action_parse("kill", &a, &err), 0);
	ck_assert_int_eq(a.kind, SP_ACT_KILL_PROCESS); /* kill means the process */
	ck_assert_int_eq(sp_action_parse("kill-thread", &a, &err), 0);
	ck_assert_int_eq(a.kind, SP_ACT_KILL_THREAD);
	ck_assert_int_eq(sp_action_parse("errno", &a, &err), 0);
	ck_assert(a.kind == SP_ACT_ERRNO && a.data == EPERM);
	ck_assert_int_eq(sp_action_parse("errno:ENOSYS", &a, &err), 0);
	ck_assert_uint_eq(a.data, ENOSYS);
	ck_assert_int_eq(sp_action_parse("errno:13", &a, &err), 0);
	ck_assert_uint_eq(a.data, 13);
	ck_assert_int_eq(sp_action_parse("log", &a, &err), 0);
	ck_assert_int_eq(a.kind, SP_ACT_LOG);
	ck_assert_int_lt(sp_action_parse("errno:EBOGUS", &a, &err), 0);
	ck_assert(strstr(err.msg, "EBOGUS"));
	ck_assert_int_lt(sp_action_parse("errno:5000", &a, &err), 0);
	ck_assert_int_lt(sp_action_parse("explode", &a, &err), 0);
	ck_assert(strstr(err.msg, "explode"));
	ck_assert_int_lt(sp_action_parse("trap:3", &a, &err), 0);
	ck_assert_int_lt(sp_action_parse("", &a, &err), 0);
}
END_TEST

START_TEST(action_names)
{
	struct sp_action a;
	char buf[32];
	ck_assert_int_eq(sp_action_from_scmp("SCMP_ACT_KILL", &a, NULL), 0);
	ck_assert_int_eq(a.kind, SP_ACT_KILL_THREAD); /* as runc/crun read it */
	ck_assert_int_eq(sp_action_from_scmp("SCMP_ACT_ERRNO", &a, NULL), 0);
	ck_assert_uint_eq(a.data, EPERM);
	ck_assert_int_lt(sp_action_from_scmp("SCMP_ACT_NOPE", &a, NULL), 0);
	ck_assert_str_eq(sp_action_scmp_name((struct sp_action){SP_ACT_KILL_PROCESS, 0}), "SCMP_ACT_KILL_PROCESS");
	ck_assert_str_eq(sp_action_str(sp_action_errno(ENOSYS), buf, sizeof(buf)), "errno:ENOSYS");
	ck_assert_uint_eq(sp_action_seccomp_ret(sp_action_errno(1)), 0x00050001u);
	ck_assert_uint_eq(sp_action_seccomp_ret(sp_action_allow()), 0x7fff0000u);
	ck_assert_uint_eq(sp_action_seccomp_ret((struct sp_action){SP_ACT_KILL_PROCESS, 0}), 0x80000000u);
	ck_assert(sp_action_equal(sp_action_errno(1), sp_action_errno(1)));
	ck_assert(!sp_action_equal(sp_action_errno(1), sp_action_errno(38)));
	enum sp_cmp_op op;
	ck_assert_int_eq(sp_cmp_from_scmp("SCMP_CMP_MASKED_EQ", &op), 0);
	ck_assert_int_eq(op, SP_CMP_MASKED_EQ);
	ck_assert_str_eq(sp_cmp_scmp_name(SP_CMP_EQ), "SCMP_CMP_EQ");
}
END_TEST

START_TEST(policy_sort_is_canonical)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	sp_policy_add_rule(p, "write", sp_action_allow());
	sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
	struct sp_rule *r = sp_policy_add_rule(p, "socket", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 10, 0};
	r = sp_policy_add_rule(p, "socket", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 1, 0};
	sp_policy_add_rule(p, "read", sp_action_allow());
	sp_policy_sort(p);
	ck_assert_str_eq(p->rules[0].name, "clone3");
	ck_assert_str_eq(p->rules[1].name, "read");
	ck_assert_str_eq(p->rules[2].name, "socket");
	ck_assert_uint_eq(p->rules[2].cond[0].value, 1);
	ck_assert_uint_eq(p->rules[3].cond[0].value, 10);
	ck_assert(sp_policy_allows(p, "read"));
	ck_assert(!sp_policy_allows(p, "socket")); /* conditional only */
	ck_assert(!sp_policy_allows(p, "clone3"));
	ck_assert_ptr_nonnull(sp_policy_find(p, "write"));
	ck_assert_ptr_null(sp_policy_find(p, "open"));
	sp_policy_free(p);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, action_parse);
	tcase_add_test(tc, action_names);
	tcase_add_test(tc, policy_sort_is_canonical);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(policy_suite)
