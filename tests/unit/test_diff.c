/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "generator/diff.h"
#include "generator/risk.h"
#include "tests/unit/unit.h"

START_TEST(risk_lookup)
{
	ck_assert_int_eq(sp_risk_of("ptrace"), SP_RISK_HIGH);
	ck_assert_int_eq(sp_risk_of("io_uring_enter"), SP_RISK_HIGH);
	ck_assert_int_eq(sp_risk_of("kexec_file_load"), SP_RISK_HIGH);
	ck_assert_int_eq(sp_risk_of("setuid32"), SP_RISK_MEDIUM);
	ck_assert_int_eq(sp_risk_of("execve"), SP_RISK_MEDIUM);
	ck_assert_int_eq(sp_risk_of("read"), SP_RISK_LOW);
	ck_assert_int_eq(sp_risk_of("io_uring"), SP_RISK_LOW); /* the prefix needs the '_' */
	ck_assert_int_eq(sp_risk_of(NULL), SP_RISK_LOW);
	ck_assert_ptr_null(sp_risk_lookup("getpid"));
	ck_assert_str_eq(sp_risk_lookup("io_uring_setup")->pattern, "io_uring_*");
	ck_assert_str_eq(sp_risk_name(SP_RISK_MEDIUM), "medium");
}
END_TEST

/* docs/risk.md documents exactly the table (unit tests run from the
 * source tree's top). */
START_TEST(risk_doc_matches_table)
{
	_cleanup_free_ char *doc = NULL;
	size_t len;
	ck_assert_msg(sp_file_read_all("docs/risk.md", 1 << 20, &doc, &len, NULL) == 0, "cannot read docs/risk.md");
	size_t n;
	const struct sp_risk_row *t = sp_risk_table(&n);
	size_t rows = 0;
	for (char *line = strstr(doc, "\n| `"); line; line = strstr(line + 1, "\n| `"))
		rows++;
	ck_assert_uint_eq(rows, n);
	for (size_t i = 0; i < n; i++) {
		char want[512];
		snprintf(want, sizeof(want), "\n| `%s` | %s | %s |\n", t[i].pattern, sp_risk_name(t[i].level),
			 t[i].reason);
		ck_assert_msg(strstr(doc, want), "docs/risk.md lacks the row%s", want);
	}
}
END_TEST

static struct sp_recording *rec(const char *const *names, size_t n)
{
	struct sp_recording *r = sp_recording_new();
	for (size_t i = 0; i < n; i++)
		sp_recording_sysc(r, SP_ABI_X86_64, sp_abi_syscall_nr(SP_ABI_X86_64, names[i]), true)->calls = 1;
	return r;
}

static const struct sp_diff_item *find(const struct sp_diff *d, enum sp_diff_kind k, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].kind == k && !strcmp(d->items[i].name, name))
			return &d->items[i];
	return NULL;
}

START_TEST(recordings)
{
	const char *a[] = {"read", "chdir", "umask", "clone"};
	const char *b[] = {"read", "chdir", "getppid", "personality", "clone"};
	struct sp_recording *ra = rec(a, 4), *rb = rec(b, 5);
	sp_argset_add(&sp_recording_sysc(ra, SP_ABI_X86_64, 56, false)->args[0], 0x11);
	sp_argset_add(&sp_recording_sysc(rb, SP_ABI_X86_64, 56, false)->args[0], 0x11);
	sp_recording_sysc(rb, SP_ABI_I386, 20, true)->calls = 1; /* getpid on i386 */

	struct sp_diff *d = sp_diff_recordings(ra, rb);
	ck_assert(d->recordings);
	ck_assert_uint_eq(d->added, 3);
	ck_assert_uint_eq(d->removed, 1);
	ck_assert_uint_eq(d->changed, 0); /* same clone flags */
	ck_assert_uint_eq(d->added_by_risk[SP_RISK_HIGH], 1);
	ck_assert_uint_eq(d->abis_added, sp_abi_bit(SP_ABI_I386));
	ck_assert_uint_eq(d->abis_removed, 0);
	/* Sorted: x86_64 added (high first), removed, then i386. */
	ck_assert_str_eq(d->items[0].name, "personality");
	ck_assert_int_eq(d->items[0].risk, SP_RISK_HIGH);
	ck_assert_str_eq(d->items[1].name, "getppid");
	ck_assert_str_eq(d->items[2].name, "umask");
	ck_assert_int_eq(d->items[2].kind, SP_DIFF_REMOVED);
	ck_assert_int_eq(d->items[3].abi, SP_ABI_I386);
	ck_assert_ptr_eq(find(d, SP_DIFF_ADDED, "getppid")->sysc, sp_recording_find(rb, SP_ABI_X86_64, 110));
	ck_assert(sp_diff_fails(d, SP_FAIL_ADDED));
	ck_assert(sp_diff_fails(d, SP_FAIL_REMOVED));
	ck_assert(sp_diff_fails(d, SP_FAIL_ANY));
	ck_assert(!sp_diff_fails(d, SP_FAIL_NONE));
	sp_diff_free(d);

	/* Reverse: only removals (and an ABI removed). */
	d = sp_diff_recordings(rb, ra);
	ck_assert_uint_eq(d->added, 1);
	ck_assert_uint_eq(d->removed, 3);
	ck_assert_uint_eq(d->abis_removed, sp_abi_bit(SP_ABI_I386));
	sp_diff_free(d);

	/* A new argument value widens; a dropped one only changes. */
	sp_argset_add(&sp_recording_sysc(rb, SP_ABI_X86_64, 56, false)->args[0], 0x3d0f00);
	d = sp_diff_recordings(ra, rb);
	const struct sp_diff_item *it = find(d, SP_DIFF_CHANGED, "clone");
	ck_assert_ptr_nonnull(it);
	ck_assert(it->widens);
	ck_assert_str_eq(it->before, "arg0: 0x11");
	ck_assert_str_eq(it->after, "arg0: 0x11, 0x3d0f00");
	sp_diff_free(d);
	d = sp_diff_recordings(rb, rb);
	ck_assert(sp_diff_empty(d));
	ck_assert(!sp_diff_fails(d, SP_FAIL_ANY));
	sp_diff_free(d);

	/* Only removals: --fail-on added passes. */
	const char *c[] = {"read"};
	struct sp_recording *rc = rec(c, 1);
	d = sp_diff_recordings(ra, rc);
	ck_assert(!sp_diff_fails(d, SP_FAIL_ADDED));
	ck_assert(sp_diff_fails(d, SP_FAIL_REMOVED));
	sp_diff_free(d);
	d = sp_diff_recordings(rc, ra);
	ck_assert(sp_diff_fails(d, SP_FAIL_ADDED));
	ck_assert(!sp_diff_fails(d, SP_FAIL_REMOVED));
	sp_diff_free(d);
	sp_recording_free(rc);
	sp_recording_free(ra);
	sp_recording_free(rb);
}
END_TEST

START_TEST(policies)
{
	struct sp_policy *a = sp_policy_new(sp_action_errno(EPERM));
	struct sp_policy *b = sp_policy_new(sp_action_errno(EPERM));
	a->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_X32);
	b->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386);
	sp_policy_add_rule(a, "read", sp_action_allow());
	sp_policy_add_rule(b, "read", sp_action_allow());
	sp_policy_add_rule(a, "umask", sp_action_allow());
	sp_policy_add_rule(a, "getpid", sp_action_errno(EPERM)); /* = default: not "in" a */
	sp_policy_add_rule(b, "getpid", sp_action_allow());
	struct sp_rule *r = sp_policy_add_rule(a, "clone", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){.arg = 0, .op = SP_CMP_MASKED_EQ, .value = 0x7e020000, .value2 = 0};
	sp_policy_add_rule(b, "clone", sp_action_allow()); /* unconditional now: wider */
	sp_policy_add_rule(a, "ptrace", sp_action_errno(ENOSYS));
	sp_policy_add_rule(b, "ptrace", sp_action_errno(ENOSYS));

	struct sp_diff *d = sp_diff_policies(a, b);
	ck_assert(!d->recordings);
	ck_assert_uint_eq(d->abis_added, sp_abi_bit(SP_ABI_I386));
	ck_assert_uint_eq(d->abis_removed, sp_abi_bit(SP_ABI_X32));
	ck_assert(!d->default_changed);
	ck_assert_uint_eq(d->added, 1);
	ck_assert_uint_eq(d->removed, 1);
	ck_assert_uint_eq(d->changed, 1);
	const struct sp_diff_item *it = find(d, SP_DIFF_CHANGED, "clone");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->abi, SP_ABI_UNKNOWN);
	ck_assert(it->widens);
	ck_assert_str_eq(it->before, "allow if arg0 & 0x7e020000 == 0x0");
	ck_assert_str_eq(it->after, "allow");
	ck_assert(find(d, SP_DIFF_ADDED, "getpid")->widens);
	ck_assert(!find(d, SP_DIFF_REMOVED, "umask")->widens);
	ck_assert_ptr_null(find(d, SP_DIFF_ADDED, "ptrace")); /* same rule on both sides */
	ck_assert(sp_diff_fails(d, SP_FAIL_ADDED));
	sp_diff_free(d);

	/* Narrowing clone and a stricter default: changes, not drift under
	 * --fail-on added. */
	d = sp_diff_policies(b, b);
	ck_assert(sp_diff_empty(d));
	sp_diff_free(d);
	b->abis = a->abis;
	sp_policy_add_rule(b, "umask", sp_action_allow());
	for (size_t i = 0; i < b->nrules; i++)
		if (!strcmp(b->rules[i].name, "getpid"))
			b->rules[i].action = sp_action_errno(EPERM);
	struct sp_diff *back = sp_diff_policies(b, a); /* a: conditional clone */
	ck_assert_uint_eq(back->changed, 1);
	ck_assert(!find(back, SP_DIFF_CHANGED, "clone")->widens);
	ck_assert(!sp_diff_fails(back, SP_FAIL_ADDED));
	ck_assert(sp_diff_fails(back, SP_FAIL_ANY));
	sp_diff_free(back);
	a->def = (struct sp_action){SP_ACT_KILL_PROCESS, 0};
	back = sp_diff_policies(b, a);
	ck_assert(back->default_changed);
	ck_assert(!sp_diff_fails(back, SP_FAIL_ADDED));
	sp_diff_free(back);
	back = sp_diff_policies(a, b); /* kill -> errno: more permissive */
	ck_assert(sp_diff_fails(back, SP_FAIL_ADDED));
	sp_diff_free(back);
	sp_policy_free(a);
	sp_policy_free(b);
}
END_TEST

START_TEST(fail_on_names)
{
	ck_assert_int_eq(sp_fail_on_parse("added"), SP_FAIL_ADDED);
	ck_assert_int_eq(sp_fail_on_parse("none"), SP_FAIL_NONE);
	ck_assert_int_eq(sp_fail_on_parse("all"), -1);
	ck_assert_str_eq(sp_fail_on_name(SP_FAIL_ANY), "any");
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");
	tcase_add_test(tc, risk_lookup);
	tcase_add_test(tc, risk_doc_matches_table);
	tcase_add_test(tc, recordings);
	tcase_add_test(tc, policies);
	tcase_add_test(tc, fail_on_names);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(diff_suite)
