/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/recording.h"
#include "core/util.h"
#include "formats/format.h"
#include "tests/unit/unit.h"

static struct sp_recording *sample(void)
{
	struct sp_recording *rec = sp_recording_new();
	char *argv[] = {(char[]){"ls"}, (char[]){"-l"}, NULL};
	rec->meta.command = sp_strv_dup(argv);
	rec->meta.tool_version = xstrdup("test");
	rec->meta.exit_status = 3;
	rec->meta.processes = 2;
	rec->meta.threads = 3;
	rec->meta.backend = xstrdup("ebpf");
	rec->meta.lost_events = 7;
	sp_recording_add_exe(rec, "/usr/bin/ls");
	sp_recording_add_exe(rec, "/bin/sh");
	sp_recording_add_exe(rec, "/usr/bin/ls");

	struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, 257, true);
	s->calls = 10;
	s->first_pid = 42;
	s->first_exe = xstrdup("/usr/bin/ls");
	sp_sysc_add_error(s, ENOENT, 3);
	sp_sysc_add_error(s, EACCES, 1);
	sp_sysc_add_error(s, ENOENT, 1);
	sp_argset_add(&s->args[2], 0x80000);
	sp_argset_add(&s->args[2], 0xffffffffffffffffull);
	struct sp_callsite cs = {.exe = xstrdup("/usr/bin/ls"), .nframes = 1};
	cs.frames = xcalloc(1, sizeof(*cs.frames));
	cs.frames[0].module = xstrdup("/usr/lib/libc.so.6");
	cs.frames[0].offset = 0x1234;
	cs.frames[0].symbol = xstrdup("open64");
	sp_sysc_add_site(s, &cs);

	sp_recording_sysc(rec, SP_ABI_I386, 3, true)->calls = 1;
	sp_recording_sysc(rec, SP_ABI_X32, 0x40000000, true)->calls = 1;
	sp_recording_sysc(rec, SP_ABI_X86_64, 999, true)->calls = 7; /* unknown to libseccomp */
	return rec;
}

static char *to_json(const struct sp_recording *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(sp_recording_write(f, rec, NULL), 0);
	fclose(f);
	return buf;
}

START_TEST(hash_and_names)
{
	struct sp_recording *rec = sample();
	ck_assert_uint_eq(rec->count, 4);
	ck_assert_str_eq(sp_recording_sysc(rec, SP_ABI_X86_64, 257, false)->name, "openat");
	ck_assert_str_eq(sp_recording_sysc(rec, SP_ABI_X32, 0x40000000, false)->name, "read");
	ck_assert_ptr_null(sp_recording_sysc(rec, SP_ABI_X86_64, 999, false)->name);
	ck_assert_ptr_null(sp_recording_sysc(rec, SP_ABI_X86_64, 0, false));
	ck_assert_uint_eq(sp_recording_abis(rec),
			  sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386) | sp_abi_bit(SP_ABI_X32));
	struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, 257, false);
	ck_assert_uint_eq(s->errors, 5);
	ck_assert_uint_eq(s->nerrs, 2);
	ck_assert_int_eq(s->errs[0].err, ENOENT); /* sorted by errno: 2 before 13 */
	ck_assert_uint_eq(s->errs[0].count, 4);
	ck_assert_int_eq(s->errs[1].err, EACCES);
	ck_assert_uint_eq(rec->meta.nexecutables, 2);
	/* Many entries force rehashing; all stay reachable. */
	for (int i = 0; i < 2000; i++)
		sp_recording_sysc(rec, SP_ABI_AARCH64, i, true)->calls = (uint64_t)i + 1;
	for (int i = 0; i < 2000; i++)
		ck_assert_uint_eq(sp_recording_sysc(rec, SP_ABI_AARCH64, i, false)->calls, (uint64_t)i + 1);
	sp_recording_free(rec);
}
END_TEST

START_TEST(sorted_order)
{
	struct sp_recording *rec = sample();
	size_t n;
	struct sp_sysc **v = sp_recording_sorted(rec, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(v[0]->abi, SP_ABI_X86_64);
	ck_assert_str_eq(v[0]->name, "openat");
	ck_assert_ptr_null(v[1]->name); /* unknown names last within the ABI */
	ck_assert_int_eq(v[2]->abi, SP_ABI_I386);
	ck_assert_int_eq(v[3]->abi, SP_ABI_X32);
	char buf[32];
	ck_assert_str_eq(sp_sysc_display_name(v[1], buf, sizeof(buf)), "syscall_999");
	free(v);
	sp_recording_free(rec);
}
END_TEST

START_TEST(json_round_trip_is_lossless)
{
	struct sp_recording *rec = sample();
	char *a = to_json(rec);
	struct sp_recording *back = NULL;
	struct sp_err err = {0};
	int r = sp_recording_parse("mem", a, strlen(a), &back, &err);
	ck_assert_msg(r == 0, "%s", err.msg);
	char *b = to_json(back);
	ck_assert_str_eq(a, b);
	struct sp_sysc *s = sp_recording_sysc(back, SP_ABI_X86_64, 257, false);
	ck_assert_uint_eq(s->args[2].nvalues, 2);
	ck_assert_uint_eq(s->args[2].values[1], 0xffffffffffffffffull);
	ck_assert_str_eq(s->sites[0].frames[0].symbol, "open64");
	ck_assert_int_eq(back->meta.exit_status, 3);
	ck_assert_str_eq(back->meta.backend, "ebpf");
	ck_assert_uint_eq(back->meta.lost_events, 7);
	free(a);
	free(b);
	sp_recording_free(rec);
	sp_recording_free(back);
}
END_TEST

/* meta.container (oci-hook) survives writing and reading; a recording
 * without it writes no key at all (older readers keep working). */
START_TEST(container_meta_round_trip)
{
	struct sp_recording *rec = sample();
	char *plain = to_json(rec);
	ck_assert_ptr_null(strstr(plain, "\"container\""));
	struct sp_container_meta *k = rec->meta.container = xcalloc(1, sizeof(*k));
	k->id = xstrdup("0123abcd");
	k->runtime = xstrdup("crun");
	k->rootfs = xstrdup("/var/lib/c/rootfs");
	char *a = to_json(rec);
	struct sp_recording *back = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_recording_parse("mem", a, strlen(a), &back, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(back->meta.container);
	ck_assert_str_eq(back->meta.container->id, "0123abcd");
	ck_assert_str_eq(back->meta.container->runtime, "crun");
	ck_assert_ptr_null(back->meta.container->bundle);
	char *b = to_json(back);
	ck_assert_str_eq(a, b);
	free(plain);
	free(a);
	free(b);
	sp_recording_free(rec);
	sp_recording_free(back);
}
END_TEST

static void expect_error(const char *json, const char *needle)
{
	struct sp_recording *rec = NULL;
	struct sp_err err = {0};
	int r = sp_recording_parse("in.json", json, strlen(json), &rec, &err);
	ck_assert_msg(r < 0, "accepted: %s", json);
	ck_assert_ptr_null(rec);
	ck_assert_msg(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
	ck_assert_msg(strstr(err.msg, "in.json"), "message '%s' does not name the file", err.msg);
}

#define HDR "{\"schema\":\"seccomp-profile/recording\",\"version\":1,"

START_TEST(parse_errors_are_precise)
{
	expect_error("", "empty file");
	expect_error("{\"schema\":", "invalid JSON");
	expect_error("[]", "top level");
	expect_error("{\"schema\":\"other\",\"version\":1,\"abis\":{}}", "not a seccomp-profile recording");
	expect_error("{\"schema\":\"seccomp-profile/recording\",\"version\":9,\"abis\":{}}", "newer");
	expect_error(HDR "\"abis\":{},\"extra\":1}", "unknown key \"extra\"");
	expect_error(HDR "\"abis\":{\"sparc\":[]}}", "unknown ABI \"sparc\"");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"calls\":-1}]}}", "$.abis.x86_64[0]");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"calls\":\"1\"}]}}", "\"calls\"");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"name\":\"write\",\"nr\":0}]}}", "does not match");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"name\":\"nosuchcall\"}]}}", "does not exist");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0},{\"nr\":0}]}}", "duplicate");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"errors\":2,\"errnos\":{\"ENOENT\":1}}]}}",
		     "not the sum");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"errnos\":{\"EWHAT\":1}}]}}", "unknown errno");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"args\":{\"6\":{\"values\":[]}}}]}}", "not 0-5");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"args\":{\"0\":{\"values\":[12]}}}]}}", "0x");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0}]},\"abis\":{}}", "duplicate");
	expect_error(HDR "\"meta\":{\"runs\":0},\"abis\":{}}", "at least 1");
	/* integers jansson cannot hold: the field, its path and the limit */
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"calls\":18446744073709551615}]}}",
		     "in.json:1:85: $.abis.x86_64[0]: \"calls\": 18446744073709551615 is out of range (at most "
		     "9223372036854775807)");
	expect_error(HDR "\"meta\":{\"attached\":[1,\n 99999999999999999999999]},\"abis\":{}}",
		     "in.json:2:2: $.meta.attached: [1]: 99999999999999999999999 is out of range");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":-9223372036854775809}]}}",
		     "$.abis.x86_64[0]: \"nr\": -9223372036854775809 is out of range (at least "
		     "-9223372036854775808)");
	expect_error(HDR "\"abis\":{\"x86_64\":[{\"nr\":0,\"errnos\":{\"EAGAIN\":9223372036854775807,"
		     "\"EINTR\":1}}]}}",
		     "$.abis.x86_64[0]: \"errnos\" add up to more than 9223372036854775807");
	char deep[512] = HDR "\"abis\":";
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	expect_error(deep, "nesting");
}
END_TEST

/* Recordings are recognised by their top-level keys in the text, so that
 * one jansson cannot load still goes to the recording reader (and gets the
 * same message from every command), while a document that only mentions
 * the schema deeper down is not one. */
START_TEST(detect_by_top_level_keys)
{
	static const struct {
		const char *text;
		bool rec;
	} cases[] = {
		{HDR "\"abis\":{}}", true},
		{HDR "\"abis\":{\"x86_64\":[{\"calls\":18446744073709551615}]}}", true},
		{"{\"schema\":\"seccomp-profile/recording\",", true}, /* truncated */
		{" {\"version\":1,\"schema\" : \"seccomp-profile/recording\"}", true},
		{"{\"abis\":{}}", true}, /* no schema: the reader says it is missing */
		{"{\"version\":1,\"meta\":{},\"abis\":{\"x\":1}}", true},
		{"{\"schema\":\"docker\",\"abis\":{}}", true},
		{"{\"abis\":{},\"defaultAction\":\"SCMP_ACT_ERRNO\"}", false},
		{"{\"x\":{\"schema\":\"seccomp-profile/recording\",\"abis\":{}}}", false},
		{"{\"x\":\"\\\"schema\\\":\\\"seccomp-profile/recording\\\"\"}", false},
		{"{\"meta\":{}}", false},
		{"schema: seccomp-profile/recording\nabis: {}\n", false},
		{"[{\"schema\":\"seccomp-profile/recording\"}]", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(sp_recording_detect(cases[i].text, strlen(cases[i].text)) == cases[i].rec, "%s: %s",
			      cases[i].text, cases[i].rec ? "not detected" : "detected");
}
END_TEST

START_TEST(name_only_entries_resolve)
{
	const char *j = HDR "\"abis\":{\"i386\":[{\"name\":\"socketcall\",\"calls\":2}]}}";
	struct sp_recording *rec = NULL;
	ck_assert_int_eq(sp_recording_parse("x", j, strlen(j), &rec, NULL), 0);
	ck_assert_uint_eq(sp_recording_sysc(rec, SP_ABI_I386, 102, false)->calls, 2);
	sp_recording_free(rec);
}
END_TEST

START_TEST(merge_sums_and_counts_runs)
{
	struct sp_recording *a = sample();
	struct sp_recording *b = sample();
	sp_recording_sysc(b, SP_ABI_X86_64, 0, true)->calls = 1;
	sp_recording_merge(a, b, NULL, NULL);
	ck_assert_uint_eq(a->meta.runs, 2);
	struct sp_sysc *s = sp_recording_sysc(a, SP_ABI_X86_64, 257, false);
	ck_assert_uint_eq(s->calls, 20);
	ck_assert_uint_eq(s->errors, 10);
	ck_assert_uint_eq(s->runs_seen, 2);
	ck_assert_uint_eq(s->nsites, 1); /* identical site kept once */
	ck_assert_uint_eq(sp_recording_sysc(a, SP_ABI_X86_64, 0, false)->runs_seen, 1);
	sp_recording_free(a);
	sp_recording_free(b);
}
END_TEST

START_TEST(argset_bounds)
{
	struct sp_argset set = {0};
	for (uint64_t v = 0; v < SP_MAX_ARG_VALUES; v++)
		ck_assert(sp_argset_add(&set, SP_MAX_ARG_VALUES - v));
	ck_assert(!sp_argset_add(&set, 1)); /* duplicate */
	ck_assert(!set.overflow);
	ck_assert(!sp_argset_add(&set, 1000));
	ck_assert(set.overflow);
	for (size_t i = 1; i < set.nvalues; i++)
		ck_assert(set.values[i - 1] < set.values[i]);
}
END_TEST

static Suite *recording_suite(void)
{
	Suite *s = suite_create("recording");
	TCase *tc = tcase_create("model");
	tcase_add_test(tc, hash_and_names);
	tcase_add_test(tc, sorted_order);
	tcase_add_test(tc, merge_sums_and_counts_runs);
	tcase_add_test(tc, argset_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_test(tc, json_round_trip_is_lossless);
	tcase_add_test(tc, container_meta_round_trip);
	tcase_add_test(tc, parse_errors_are_precise);
	tcase_add_test(tc, name_only_entries_resolve);
	tcase_add_test(tc, detect_by_top_level_keys);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(recording_suite)
