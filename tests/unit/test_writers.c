/* SPDX-License-Identifier: MIT */
/* formats/ writers: shapes and the policies each format cannot express. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "formats/format.h"
#include "formats/writers.h"
#include "tests/unit/unit.h"

typedef int (*writer_fn)(FILE *, const struct sp_policy *, const struct sp_write_opts *, struct sp_err *);

/* Runs w on p; returns its output (malloc'ed) or NULL when it failed. */
static char *render(writer_fn w, const struct sp_policy *p, struct sp_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r = w(f, p, NULL, err);
	fclose(f);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static struct sp_policy *sample(void)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	sp_policy_add_rule(p, "write", sp_action_allow());
	sp_policy_add_rule(p, "read", sp_action_allow());
	sp_policy_add_rule(p, "write", sp_action_allow()); /* duplicate: listed once */
	sp_policy_add_rule(p, "getpid", sp_action_errno(EPERM)); /* = default: left out */
	struct sp_rule *r = sp_policy_add_rule(p, "openat", sp_action_allow());
	r->ncond = 1; /* AT_FDCWD as a 64-bit value */
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 18446744073709551516ull, 0};
	r = sp_policy_add_rule(p, "clone", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_MASKED_EQ, 0x7E020000u, 0};
	sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
	sp_policy_sort(p);
	return p;
}

START_TEST(json_values_and_grouping)
{
	struct sp_err err = {0};
	struct sp_policy *p = sample();
	char *oci = render(sp_fmt_oci_write, p, &err);
	ck_assert_msg(oci, "%s", err.msg);
	ck_assert_msg(strstr(oci, "\"value\": 18446744073709551516,"), "%s", oci); /* exact, unsigned */
	ck_assert(strstr(oci, "\"value\": 2114060288,\n") && strstr(oci, "\"op\": \"SCMP_CMP_MASKED_EQ\""));
	ck_assert(strstr(oci, "\"defaultErrnoRet\": 1,"));
	ck_assert(strstr(oci, "\"errnoRet\": 38"));
	ck_assert_ptr_null(strstr(oci, "getpid"));
	char *w1 = strstr(oci, "\"write\"");
	ck_assert(w1 && !strstr(w1 + 1, "\"write\""));
	/* allow group first, names sorted; then conditional; then ENOSYS */
	char *rd = strstr(oci, "\"read\""), *cl = strstr(oci, "\"clone\""), *c3 = strstr(oci, "\"clone3\"");
	ck_assert(rd && cl && c3 && rd < w1 && w1 < cl && cl < c3);
	ck_assert_ptr_null(strstr(oci, "flags"));
	free(oci);
	char *docker = render(sp_fmt_docker_write, p, &err);
	ck_assert(strstr(docker, "\"architecture\": \"SCMP_ARCH_X86_64\"") && strstr(docker, "\"subArchitectures\": []"));
	free(docker);
	sp_policy_free(p);
}
END_TEST

START_TEST(inexpressible)
{
	struct sp_err err = {0};
	struct sp_policy *p = sample();
	/* yaml: MASKED_EQ with expected 0 is BitsNotSet */
	char *y = render(sp_fmt_yaml_write, p, &err);
	ck_assert_msg(y, "%s", err.msg);
	ck_assert(strstr(y, "operation: BitsNotSet\n        value: 2114060288"));
	ck_assert(strstr(y, "# clone3:"));
	free(y);
	/* a mask go-seccomp-bpf cannot say */
	p->rules[0].ncond = 1;
	struct sp_rule *r = NULL;
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, "clone"))
			r = &p->rules[i];
	r->cond[0].value2 = 0x10000;
	y = render(sp_fmt_yaml_write, p, &err); /* widened to the name, said so */
	ck_assert_msg(y && strstr(y, "    - clone  # argument conditions not expressible"), "%s", y ? y : err.msg);
	free(y);
	sp_policy_free(p);

	p = sample();
	p->def = sp_action_errno(EACCES);
	ck_assert_ptr_null(render(sp_fmt_yaml_write, p, &err));
	ck_assert_ptr_null(render(sp_fmt_k8s_write, p, &err));
	char *s = render(sp_fmt_systemd_write, p, &err);
	ck_assert(s && strstr(s, "SystemCallErrorNumber=EACCES\n"));
	ck_assert(strstr(s, "# openat: argument conditions cannot be expressed"));
	free(s);
	p->def = (struct sp_action){SP_ACT_TRAP, 0};
	ck_assert_ptr_null(render(sp_fmt_systemd_write, p, &err));
	p->def = (struct sp_action){SP_ACT_KILL_PROCESS, 0};
	s = render(sp_fmt_systemd_write, p, &err);
	ck_assert(s && !strstr(s, "SystemCallErrorNumber"));
	free(s);
	sp_policy_free(p);
}
END_TEST

START_TEST(c_header_comments_are_safe)
{
	/* a command line with a comment terminator cannot break the header */
	struct sp_recording *rec = sp_recording_new();
	char *argv[] = {"evil*/", "x", NULL};
	rec->meta.command = sp_strv_dup(argv);
	struct sp_write_opts o = {.rec = rec};
	struct sp_policy *p = sample();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sp_err err = {0};
	ck_assert_int_eq(sp_fmt_c_write(f, p, &o, &err), 0);
	fclose(f);
	char *end = strstr(buf, "*/");
	ck_assert(end && strstr(buf, "evil* /"));
	ck_assert(strncmp(end, "*/\n#ifndef SECCOMP_PROFILE_FILTER_H", 34) == 0);
	free(buf);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

static Suite *writers_suite(void)
{
	Suite *s = suite_create("writers");
	TCase *tc = tcase_create("writers");
	tcase_add_test(tc, json_values_and_grouping);
	tcase_add_test(tc, inexpressible);
	tcase_add_test(tc, c_header_comments_are_safe);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(writers_suite)
