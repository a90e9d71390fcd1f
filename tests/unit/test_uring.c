/* SPDX-License-Identifier: MIT */
/* io_uring: the tracer's fdinfo reader (tracer/uring.c), the policy checks
 * (generator/uring.c) and meta.io_uring in the recording file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "formats/format.h"
#include "generator/uring.h"
#include "tests/unit/unit.h"
#include "tracer/uring.h"

/* As Linux 6.18 prints it (io_uring/fdinfo.c), two SQEs pending. */
static const char fdinfo[] = "pos:\t0\nflags:\t02000002\nSqMask:\t0x3\nSqHead:\t0\nSqTail:\t2\n"
			     "CachedSqHead:\t0\nCqMask:\t0x7\nSQEs:\t2\n"
			     "    0: opcode:NOP, fd:0, flags:0, off:0, addr:0x0, rw_flags:0x0, buf_index:0 user_data:0\n"
			     "    1: opcode:MKDIRAT, fd:-100, flags:0, off:0, addr:0x7ffd7, rw_flags:0x0, buf_index:0 "
			     "user_data:37\nCQEs:\t0\nSqThread:\t-1\n";

static void uring_release(struct sp_recording_uring *u)
{
	for (size_t i = 0; i < u->nops; i++)
		free(u->ops[i]);
	free(u->ops);
	memset(u, 0, sizeof(*u));
}

START_TEST(fdinfo_opcodes)
{
	struct sp_recording_uring u = {0};
	ck_assert(sp_uring_parse_fdinfo(&u, fdinfo));
	ck_assert_uint_eq(u.nops, 2);
	ck_assert_str_eq(u.ops[0], "MKDIRAT");
	ck_assert_str_eq(u.ops[1], "NOP");
	/* the same again adds nothing */
	ck_assert(sp_uring_parse_fdinfo(&u, fdinfo));
	ck_assert_uint_eq(u.nops, 2);
	uring_release(&u);
	/* fewer listed than counted, or no listing at all: incomplete */
	ck_assert(!sp_uring_parse_fdinfo(&u, "x\nSQEs:\t3\n    0: opcode:READ, fd:3\nCQEs:\t0\n"));
	ck_assert_uint_eq(u.nops, 1);
	ck_assert_str_eq(u.ops[0], "READ");
	uring_release(&u);
	ck_assert(!sp_uring_parse_fdinfo(&u, "pos:\t0\nSqHead:\t0\nSqTail:\t1\n"));
	ck_assert_uint_eq(u.nops, 0);
	/* nothing pending is complete */
	ck_assert(sp_uring_parse_fdinfo(&u, "x\nSQEs:\t0\nCQEs:\t0\n"));
	ck_assert_uint_eq(u.nops, 0);
}
END_TEST

static struct sp_policy *pol(struct sp_action def)
{
	struct sp_policy *p = sp_policy_new(def);
	p->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386);
	sp_policy_add_rule(p, "read", sp_action_allow());
	return p;
}

START_TEST(policy_allows)
{
	char buf[96];
	/* allow-list without io_uring */
	struct sp_policy *p = pol(sp_action_errno(EPERM));
	ck_assert_uint_eq(sp_gen_uring_allowed(p), 0);
	/* a conditional allow still lets some calls through */
	struct sp_rule *r = sp_policy_add_rule(p, "io_uring_enter", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){.arg = 0, .op = SP_CMP_EQ, .value = 3};
	sp_policy_add_rule(p, "io_uring_register", (struct sp_action){SP_ACT_LOG, 0});
	ck_assert_str_eq(sp_gen_uring_list(sp_gen_uring_allowed(p), buf, sizeof(buf)),
			 "io_uring_enter, io_uring_register");
	sp_gen_uring_deny(p);
	ck_assert_uint_eq(sp_gen_uring_allowed(p), 0);
	const struct sp_rule *d = sp_policy_find(p, "io_uring_enter");
	ck_assert(d && !d->ncond && d->action.kind == SP_ACT_ERRNO && d->action.data == ENOSYS && !d->abis);
	ck_assert(sp_policy_find(p, "read"));
	size_t n = 0;
	for (size_t i = 0; i < p->nrules; i++)
		n += !strncmp(p->rules[i].name, "io_uring_", 9);
	ck_assert_uint_eq(n, 3);
	sp_policy_free(p);

	/* default allow: allowed unless an unconditional rule covers every ABI */
	p = pol(sp_action_allow());
	ck_assert_str_eq(sp_gen_uring_list(sp_gen_uring_allowed(p), buf, sizeof(buf)),
			 "io_uring_setup, io_uring_enter, io_uring_register");
	sp_policy_add_rule(p, "io_uring_setup", sp_action_errno(EPERM));
	r = sp_policy_add_rule(p, "io_uring_enter", sp_action_errno(EPERM));
	r->abis = sp_abi_bit(SP_ABI_I386); /* x86_64 still allows it */
	r = sp_policy_add_rule(p, "io_uring_register", sp_action_errno(EPERM));
	r->ncond = 1; /* only some arguments denied */
	r->cond[0] = (struct sp_cond){.arg = 1, .op = SP_CMP_EQ, .value = 0};
	ck_assert_str_eq(sp_gen_uring_list(sp_gen_uring_allowed(p), buf, sizeof(buf)),
			 "io_uring_enter, io_uring_register");
	r = sp_policy_add_rule(p, "io_uring_enter", sp_action_errno(EPERM));
	r->abis = sp_abi_bit(SP_ABI_X86_64);
	ck_assert_str_eq(sp_gen_uring_list(sp_gen_uring_allowed(p), buf, sizeof(buf)), "io_uring_register");
	sp_policy_free(p);
}
END_TEST

START_TEST(recording_round_trip)
{
	struct sp_recording *rec = sp_recording_new();
	sp_recording_sysc(rec, SP_ABI_X86_64, 0, true)->calls = 1;
	rec->meta.runs = 1;
	rec->meta.complete = true;
	struct sp_recording_uring *u = &rec->meta.io_uring;
	u->used = true;
	u->sqpoll = true;
	sp_strset_add(&u->ops, &u->nops, "SOCKET");
	sp_strset_add(&u->ops, &u->nops, "NOP");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct sp_err err = {0};
	ck_assert_msg(sp_recording_write(f, rec, &err) == 0, "%s", err.msg);
	fclose(f);
	ck_assert(strstr(text, "\"io_uring\""));
	struct sp_recording *back = NULL;
	ck_assert_msg(sp_recording_parse("t.json", text, len, &back, &err) == 0, "%s", err.msg);
	ck_assert(back->meta.io_uring.used && back->meta.io_uring.sqpoll && !back->meta.io_uring.ops_complete);
	ck_assert_uint_eq(back->meta.io_uring.nops, 2);
	ck_assert_str_eq(back->meta.io_uring.ops[0], "NOP");
	/* merging a run without io_uring keeps it; one with more opcodes unions */
	struct sp_recording *other = sp_recording_new();
	other->meta.io_uring.used = true;
	other->meta.io_uring.ops_complete = true;
	sp_strset_add(&other->meta.io_uring.ops, &other->meta.io_uring.nops, "MKDIRAT");
	struct sp_recording *none = sp_recording_new();
	sp_recording_merge(back, none, NULL, NULL);
	sp_recording_merge(back, other, NULL, NULL);
	ck_assert_uint_eq(back->meta.io_uring.nops, 3);
	ck_assert(!back->meta.io_uring.ops_complete && back->meta.io_uring.sqpoll);
	/* a file without the key (older writers) and with null: not used */
	const char *old = "{\"schema\": \"seccomp-profile/recording\", \"version\": 1, \"meta\": {\"io_uring\": null},"
			  " \"abis\": {\"x86_64\": [{\"name\": \"read\"}]}}";
	struct sp_recording *o = NULL;
	ck_assert_msg(sp_recording_parse("o.json", old, strlen(old), &o, &err) == 0, "%s", err.msg);
	ck_assert(!o->meta.io_uring.used);
	sp_recording_free(o);
	const char *bad = "{\"schema\": \"seccomp-profile/recording\", \"version\": 1, \"meta\": {\"io_uring\": "
			  "{\"opcode\": []}}, \"abis\": {}}";
	ck_assert(sp_recording_parse("b.json", bad, strlen(bad), &o, &err) < 0);
	ck_assert_msg(strstr(err.msg, "opcode"), "%s", err.msg);
	sp_recording_free(none);
	sp_recording_free(other);
	sp_recording_free(back);
	sp_recording_free(rec);
	free(text);
}
END_TEST

static Suite *uring_suite(void)
{
	Suite *s = suite_create("uring");
	TCase *tc = tcase_create("uring");
	tcase_add_test(tc, fdinfo_opcodes);
	tcase_add_test(tc, policy_allows);
	tcase_add_test(tc, recording_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(uring_suite)
