/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/outfile.h"
#include "core/util.h"
#include "tests/unit/unit.h"

static int write_hello(FILE *out, void *ctx, struct sp_err *err)
{
	(void)err;
	fputs((const char *)ctx, out);
	return 0;
}

START_TEST(read_all_limits)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/big.txt", sp_unit_tmpdir());
	ck_assert_int_eq(sp_outfile_write(path, write_hello, (void *)"0123456789", NULL), 0);
	char *data = NULL;
	size_t len = 0;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_file_read_all(path, 10, &data, &len, &err), 0);
	ck_assert_uint_eq(len, 10);
	free(data);
	ck_assert_int_eq(sp_file_read_all(path, 9, &data, &len, &err), -EFBIG);
	ck_assert(strstr(err.msg, "limit"));
	ck_assert_int_eq(sp_file_read_all("/no/such/file", 9, &data, &len, &err), -ENOENT);
	ck_assert(strstr(err.msg, "/no/such/file"));
}
END_TEST

START_TEST(parse_and_errno_names)
{
	uint64_t v;
	ck_assert(sp_parse_u64("42", 100, &v) && v == 42);
	ck_assert(sp_parse_u64("0x10", 100, &v) && v == 16);
	ck_assert(!sp_parse_u64("101", 100, &v));
	ck_assert(!sp_parse_u64("-1", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("12abc", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("99999999999999999999999", UINT64_MAX, &v));
	/* strtoull's extras are refused (found by fuzzing): octal, white
	 * space and signs after it, hex without digits. */
	ck_assert(!sp_parse_u64("010", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("\t-1", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("\n5", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("0x", UINT64_MAX, &v));
	ck_assert(!sp_parse_u64("0x-1", UINT64_MAX, &v));
	ck_assert(sp_parse_u64("0", 0, &v) && v == 0);
	ck_assert(sp_parse_u64("0XfF", 255, &v) && v == 255);
	ck_assert_str_eq(sp_errno_name(EPERM), "EPERM");
	ck_assert_str_eq(sp_errno_name(ENOSYS), "ENOSYS");
	ck_assert_int_eq(sp_errno_from_name("ENOENT"), ENOENT);
	ck_assert_int_eq(sp_errno_from_name("ENOPE"), -1);
	ck_assert_ptr_null(sp_errno_name(0));
}
END_TEST

START_TEST(err_helpers)
{
	struct sp_err err = {0};
	ck_assert_int_eq(sp_err_set(&err, EINVAL, "bad %s", "thing"), -EINVAL);
	ck_assert_str_eq(err.msg, "bad thing");
	sp_err_prefix(&err, "record");
	ck_assert_str_eq(err.msg, "record: bad thing");
	errno = ENOENT;
	ck_assert_int_eq(sp_err_sys(&err, "open '%s'", "x"), -ENOENT);
	ck_assert_str_eq(err.msg, "open 'x': No such file or directory");
	ck_assert_int_eq(sp_err_set(NULL, -EIO, "ignored"), -EIO);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, read_all_limits);
	tcase_add_test(tc, parse_and_errno_names);
	tcase_add_test(tc, err_helpers);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(util_suite)
