/* SPDX-License-Identifier: MIT */
/* formats/prescan.c and formats/parse_cache.c: limits checked before any
 * parser runs, and one parse per input. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "formats/parse_cache.h"
#include "formats/prescan.h"
#include "formats/yaml_util.h"
#include "tests/unit/unit.h"

typedef int (*scan_fn)(const char *, const char *, size_t, struct sp_err *);

static void scan_ok(scan_fn fn, const char *text)
{
	struct sp_err err = {0};
	ck_assert_msg(fn("t.in", text, strlen(text), &err) == 0, "refused: %s", err.msg);
}

static void scan_fail(scan_fn fn, const char *text, const char *want)
{
	struct sp_err err = {0};
	ck_assert_msg(fn("t.in", text, strlen(text), &err) < 0, "accepted: %.200s", text);
	ck_assert_msg(strstr(err.msg, want), "'%s' not in: %s", want, err.msg);
}

/* s repeated n times (malloc'ed). */
static char *rep(const char *s, size_t n)
{
	size_t l = strlen(s);
	char *r = xmalloc(l * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(r + i * l, s, l);
	r[l * n] = 0;
	return r;
}

static char *cat3(const char *a, const char *b, const char *c)
{
	return xasprintf("%s%s%s", a, b, c);
}

/* open^n close^n, wrapped in pre and post. */
static char *nest(const char *pre, const char *open, const char *close, size_t n, const char *post)
{
	_cleanup_free_ char *o = rep(open, n), *c = rep(close, n), *oc = cat3(o, "", c);
	return cat3(pre, oc, post);
}

START_TEST(json_depth)
{
	_cleanup_free_ char *ok = nest("", "[", "]", SP_MAX_DEPTH, "");
	_cleanup_free_ char *deep = nest("", "[", "]", SP_MAX_DEPTH + 1, "");
	_cleanup_free_ char *objs = nest("{\"a\":", "{\"b\":", "}", SP_MAX_DEPTH, "}");
	scan_ok(sp_prescan_json, ok);
	scan_fail(sp_prescan_json, deep, "t.in:1:65: nesting deeper than 64 levels");
	scan_fail(sp_prescan_json, objs, "nesting deeper than 64 levels");
	/* brackets in strings, escaped quotes included, are text */
	_cleanup_free_ char *br = rep("[{", 500);
	_cleanup_free_ char *in_str = xasprintf("{\"a\": \"%s\\\"%s\", \"b\": [[\"]]]]]]\"]]}", br, br);
	scan_ok(sp_prescan_json, in_str);
	/* closing brackets in strings do not hide real levels */
	_cleanup_free_ char *hide = nest("", "[\"]]\",", "]", SP_MAX_DEPTH + 1, "");
	scan_fail(sp_prescan_json, hide, "nesting deeper than 64 levels");
	/* stray closers do not bank depth for later */
	_cleanup_free_ char *stray = nest("]]]]]]]]]]", "[", "]", SP_MAX_DEPTH + 1, "");
	scan_fail(sp_prescan_json, stray, "nesting deeper");
	/* the position is line:column of the level too many */
	scan_fail(sp_prescan_json, deep, "t.in:1:65:");
}
END_TEST

START_TEST(json_values_and_scalars)
{
	/* [0,0,...]: the array and SP_MAX_NODES - 1 zeros is the limit */
	_cleanup_free_ char *zeros = rep("0,", SP_MAX_NODES - 2);
	_cleanup_free_ char *at = cat3("[", zeros, "0]");
	_cleanup_free_ char *over = cat3("[", zeros, "0,0]");
	scan_ok(sp_prescan_json, at);
	scan_fail(sp_prescan_json, over, "more than 1000000 values in one input");
	/* keys count as values */
	_cleanup_free_ char *keys = rep("\"k\":1,", SP_MAX_NODES / 2);
	_cleanup_free_ char *obj = cat3("{", keys, "\"z\":1}");
	scan_fail(sp_prescan_json, obj, "more than 1000000 values");
	/* a scalar of SP_MAX_SCALAR_BYTES is fine, one byte more is not */
	_cleanup_free_ char *a = rep("a", SP_MAX_SCALAR_BYTES - 1);
	_cleanup_free_ char *s_ok = cat3("{\"k\": \"", a, "\"}");
	_cleanup_free_ char *s_long = cat3("{\"k\": \"", a, "aa\"}");
	scan_ok(sp_prescan_json, s_ok);
	scan_fail(sp_prescan_json, s_long, "t.in:1:7: a scalar longer than 1048576 bytes");
	_cleanup_free_ char *digits = rep("1", SP_MAX_SCALAR_BYTES + 2);
	_cleanup_free_ char *num = cat3("{\"k\": ", digits, "}");
	scan_fail(sp_prescan_json, num, "t.in:1:7: a scalar longer");
}
END_TEST

START_TEST(yaml_depth)
{
	_cleanup_free_ char *ok = nest("k: ", "[", "]", SP_MAX_DEPTH - 1, "\n");
	_cleanup_free_ char *deep = nest("k: ", "[", "]", SP_MAX_DEPTH, "\n");
	scan_ok(sp_prescan_yaml, ok);
	/* the block mapping is level 1 */
	scan_fail(sp_prescan_yaml, deep, "t.in:1:67: nesting deeper than 64 levels");
	/* brackets in quoted scalars, comments and block scalars are text */
	_cleanup_free_ char *br = rep("[{", 500);
	_cleanup_free_ char *text = xasprintf(
	    "# %s\na: \"%s\\\"%s\"\nb: '%s''%s'\nc: |\n  %s\n  ]]]\nd: [x]\n", br, br, br, br, br, br);
	scan_ok(sp_prescan_yaml, text);
	/* a quote inside a plain scalar is text: what follows is not a
	 * string, and its brackets count */
	_cleanup_free_ char *flow = nest("", "[", "]", SP_MAX_DEPTH, "\n");
	_cleanup_free_ char *plainq = cat3("a: x\"y\nb: ", flow, "");
	scan_fail(sp_prescan_yaml, plainq, "t.in:2:67: nesting deeper");
	/* block nesting: by indentation, and "- - -" on one line */
	struct sp_buf b = SP_BUF_INIT;
	for (int i = 0; i <= SP_MAX_DEPTH; i++)
		sp_buf_printf(&b, "%*sk%d:\n", 2 * i, "", i);
	sp_buf_printf(&b, "%*sx\n", 2 * (SP_MAX_DEPTH + 1), "");
	_cleanup_free_ char *indent = sp_buf_steal(&b);
	scan_fail(sp_prescan_yaml, indent, "t.in:65:129: nesting deeper than 64 levels");
	_cleanup_free_ char *dashes = rep("- ", SP_MAX_DEPTH + 1);
	_cleanup_free_ char *dash = cat3("", dashes, "x\n");
	scan_fail(sp_prescan_yaml, dash, "t.in:1:129: nesting deeper");
	/* syntax errors come with their position */
	scan_fail(sp_prescan_yaml, "a: b\nc: 'd\n", "t.in:3:1: invalid YAML: found unexpected end of stream");
}
END_TEST

START_TEST(yaml_values_and_scalars)
{
	_cleanup_free_ char *lines = rep("- 0\n", SP_MAX_NODES);
	scan_fail(sp_prescan_yaml, lines, "more than 1000000 values in one input");
	_cleanup_free_ char *a = rep("a", SP_MAX_SCALAR_BYTES + 1);
	_cleanup_free_ char *plain = cat3("k: ", a, "\n");
	_cleanup_free_ char *quoted = cat3("k: \"", a, "\"\n");
	scan_fail(sp_prescan_yaml, plain, "t.in:1:4: a scalar longer than 1048576 bytes");
	scan_fail(sp_prescan_yaml, quoted, "t.in:1:4: a scalar longer");
}
END_TEST

/* A sequence at its key's own indentation opens no block token, so the
 * pre-scan sees half of this nesting; the converter refuses the rest. */
START_TEST(yaml_indentless_sequences)
{
	struct sp_buf b = SP_BUF_INIT;
	sp_buf_printf(&b, "k0:\n");
	for (int i = 0; i < 40; i++) /* 40 mappings with 40 sequences */
		sp_buf_printf(&b, "%*s- k%d:\n", 2 * i, "", i + 1);
	_cleanup_free_ char *text = sp_buf_steal(&b);
	struct sp_err serr = {0};
	ck_assert_msg(sp_prescan_yaml("t.in", text, strlen(text), &serr) == 0, "%s", serr.msg);
	json_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	struct sp_err err = {0};
	ck_assert_int_lt(sp_yaml_load("t.in", text, strlen(text), &docs, &marks, &err), 0);
	ck_assert_msg(strstr(err.msg, "nesting deeper than 64 levels"), "%s", err.msg);
}
END_TEST

START_TEST(cache_parses_once)
{
	const char *text = "{\"a\": [1, 18446744073709551615]}";
	size_t len = strlen(text);
	struct sp_err err = {0};
	json_t *a = NULL, *b = NULL, *c = NULL;
	sp_parse_cache_begin(text, len);
	ck_assert_int_eq(sp_json_load_u64("x", text, len, &a, NULL), 0);
	ck_assert_int_eq(sp_json_load_u64("y", text, len, &b, &err), 0);
	ck_assert_ptr_eq(a, b);
	/* another buffer with the same bytes is parsed on its own */
	_cleanup_free_ char *copy = xstrdup(text);
	ck_assert_int_eq(sp_json_load_u64("z", copy, len, &c, &err), 0);
	ck_assert_ptr_ne(a, c);
	sp_parse_cache_end();
	json_decref(a);
	json_decref(b);
	json_decref(c);

	/* an error is remembered and worded for each caller's file name */
	const char *bad = "{\"a\": [1,}";
	sp_parse_cache_begin(bad, strlen(bad));
	ck_assert_int_lt(sp_json_load_u64("-", bad, strlen(bad), &a, NULL), 0);
	ck_assert_int_lt(sp_json_load_u64("p.json", bad, strlen(bad), &a, &err), 0);
	ck_assert_msg(!strncmp(err.msg, "p.json:1:", 9) && strstr(err.msg, "invalid JSON"), "%s", err.msg);
	sp_parse_cache_end();

	/* YAML: the same documents, and positions for each caller */
	const char *y = "a: 1\nb: [x]\n";
	json_t *d1 = NULL, *d2 = NULL;
	struct sp_ymarks *m1 = NULL, *m2 = NULL;
	unsigned line = 0, col = 0;
	sp_parse_cache_begin(y, strlen(y));
	ck_assert_int_eq(sp_yaml_load("-", y, strlen(y), &d1, &m1, NULL), 0);
	sp_ymarks_free(m1);
	ck_assert_int_eq(sp_yaml_load("q.yaml", y, strlen(y), &d2, &m2, &err), 0);
	sp_parse_cache_end();
	ck_assert_ptr_eq(d1, d2);
	ck_assert(sp_ymarks_get(m2, json_object_get(json_array_get(d2, 0), "b"), &line, &col));
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 4);
	sp_ymarks_free(m2);
	json_decref(d1);
	json_decref(d2);
}
END_TEST

static Suite *prescan_suite(void)
{
	Suite *s = suite_create("prescan");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, json_depth);
	tcase_add_test(tc, json_values_and_scalars);
	tcase_add_test(tc, yaml_depth);
	tcase_add_test(tc, yaml_values_and_scalars);
	tcase_add_test(tc, yaml_indentless_sequences);
	tcase_add_test(tc, cache_parses_once);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(prescan_suite)
