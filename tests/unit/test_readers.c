/* SPDX-License-Identifier: MIT */
/* Policy readers: docker, oci, k8s, go-seccomp-bpf yaml; detection; errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/policy.h"
#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "formats/read.h"
#include "formats/writers.h"
#include "formats/yaml_util.h"
#include "tests/unit/unit.h"

typedef int (*reader_fn)(const char *, const char *, size_t, const struct sp_read_opts *, struct sp_policy **,
			 struct sp_err *);

static const struct sp_read_opts host_x86 = {.kernel = "6.1.0", .arch = "x86_64"};

static struct sp_policy *rd_ok(reader_fn fn, const char *text, const struct sp_read_opts *o)
{
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	int r = fn("t.in", text, strlen(text), o ? o : &host_x86, &p, &err);
	ck_assert_msg(r == 0, "unexpected error: %s", err.msg);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* The reader fails and its message contains every one of the pieces. */
static void rd_fail(reader_fn fn, const char *text, const char *want1, const char *want2)
{
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	int r = fn("t.in", text, strlen(text), &host_x86, &p, &err);
	ck_assert_msg(r < 0, "accepted: %s", text);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err.msg, "t.in"), "no file name in: %s", err.msg);
	ck_assert_msg(strstr(err.msg, want1), "'%s' not in: %s", want1, err.msg);
	if (want2)
		ck_assert_msg(strstr(err.msg, want2), "'%s' not in: %s", want2, err.msg);
}

static size_t count_rules(const struct sp_policy *p, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nrules; i++)
		n += !strcmp(p->rules[i].name, name);
	return n;
}

START_TEST(docker_basic)
{
	const char *doc = "{\n"
			  "  \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,\n"
			  "  \"archMap\": [\n"
			  "    {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]},\n"
			  "    {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]},\n"
			  "    {\"architecture\": \"SCMP_ARCH_PPC64\", \"subArchitectures\": null}\n"
			  "  ],\n"
			  "  \"syscalls\": [\n"
			  "    {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"io\"},\n"
			  "    {\"name\": \"close\", \"action\": \"SCMP_ACT_ALLOW\"},\n"
			  "    {\"names\": [\"openat\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
			  "      {\"index\": 0, \"value\": 18446744073709551516, \"op\": \"SCMP_CMP_EQ\"},\n"
			  "      {\"index\": 2, \"value\": 3, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
			  "    {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},\n"
			  "    {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}\n"
			  "  ]\n"
			  "}\n";
	struct sp_policy *p = rd_ok(sp_fmt_docker_read, doc, NULL);
	ck_assert_int_eq(p->def.kind, SP_ACT_ERRNO);
	ck_assert_uint_eq(p->def.data, 38);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386));
	ck_assert(sp_policy_allows(p, "read") && sp_policy_allows(p, "write") && sp_policy_allows(p, "close"));
	const struct sp_rule *r = sp_policy_find(p, "openat");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->ncond, 2);
	ck_assert_uint_eq(r->cond[0].value, 18446744073709551516ull); /* AT_FDCWD as u64 */
	ck_assert_int_eq(r->cond[1].op, SP_CMP_MASKED_EQ);
	ck_assert_uint_eq(r->origin, SP_ORIGIN_INPUT);
	r = sp_policy_find(p, "clone3");
	ck_assert(r && r->action.kind == SP_ACT_ERRNO && r->action.data == 1);
	/* equal to the default: dropped like runc does */
	ck_assert_ptr_null(sp_policy_find(p, "getpid"));
	ck_assert_str_eq(sp_policy_find(p, "read")->comment, "io");
	sp_policy_free(p);

	/* the aarch64 entry wins on an aarch64 host */
	struct sp_read_opts arm = {.kernel = "6.1", .arch = "aarch64"};
	p = rd_ok(sp_fmt_docker_read, doc, &arm);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_AARCH64) | sp_abi_bit(SP_ABI_ARM));
	sp_policy_free(p);
}
END_TEST

START_TEST(docker_conditions)
{
	const char *doc =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\", \"x32\"]}},\n"
		" {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"4.8\"}},\n"
		" {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_PTRACE\"]}},\n"
		" {\"names\": [\"io_uring_setup\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"9.0\"}},\n"
		" {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
		" {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
		" {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 2114060288,"
		" \"op\": \"SCMP_CMP_MASKED_EQ\"}], \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390x\"]}},\n"
		" {\"names\": [\"s390_pci_mmio_read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390x\"]}}\n"
		"]}\n";
	struct sp_policy *p = rd_ok(sp_fmt_docker_read, doc, NULL);
	ck_assert(sp_policy_allows(p, "arch_prctl"));
	ck_assert(sp_policy_allows(p, "ptrace"));
	ck_assert_uint_eq(count_rules(p, "ptrace"), 1);
	ck_assert_ptr_null(sp_policy_find(p, "io_uring_setup")); /* kernel too old */
	ck_assert_ptr_null(sp_policy_find(p, "mount"));          /* no CAP_SYS_ADMIN */
	ck_assert_ptr_null(sp_policy_find(p, "s390_pci_mmio_read"));
	const struct sp_rule *r = sp_policy_find(p, "clone");
	ck_assert(r && r->ncond == 1 && r->cond[0].value == 2114060288u);
	sp_policy_free(p);

	/* with CAP_SYS_ADMIN: clone is unconditional, the masked rule excluded */
	const char *caps[] = {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", NULL};
	struct sp_read_opts o = {.caps = caps, .kernel = "3.10.0-1160.el7", .arch = "x86_64"};
	p = rd_ok(sp_fmt_docker_read, doc, &o);
	ck_assert(sp_policy_allows(p, "mount"));
	ck_assert_uint_eq(count_rules(p, "clone"), 1);
	ck_assert(sp_policy_allows(p, "clone"));
	ck_assert(sp_policy_allows(p, "ptrace")); /* kernel 3.10 < 4.8 but the cap includes it */
	sp_policy_free(p);
}
END_TEST

/* n conditional read rules, one in 64 trapped and the others allowed, plus a
 * rule equal to the default (dropped, so not counted). */
static char *many_rules(size_t n)
{
	struct sp_buf b = SP_BUF_INIT;
	sp_buf_puts(&b, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"write\"], "
			"\"action\": \"SCMP_ACT_ERRNO\"}");
	for (size_t i = 0; i < n; i++)
		sp_buf_printf(&b,
			      ", {\"names\": [\"read\"], \"action\": \"%s\", \"args\": [{\"index\": 0, "
			      "\"value\": %zu, \"op\": \"SCMP_CMP_EQ\"}]}",
			      i % 64 ? "SCMP_ACT_ALLOW" : "SCMP_ACT_TRAP", i);
	sp_buf_puts(&b, "]}");
	return sp_buf_steal(&b);
}

START_TEST(rule_limit)
{
	char *at = many_rules(SP_MAX_RULES), *over = many_rules(SP_MAX_RULES + 1);
	struct sp_policy *p = rd_ok(sp_fmt_oci_read, at, NULL);
	ck_assert_uint_eq(p->nrules, SP_MAX_RULES);
	sp_policy_free(p);
	rd_fail(sp_fmt_oci_read, over, "$.syscalls[4097].names[0]: more than 4096 rules",
		"the kernel loads at most 4096 BPF instructions per filter");
	free(at);
	free(over);
}
END_TEST

START_TEST(docker_errors)
{
	reader_fn d = sp_fmt_docker_read;
#define ENTRY(x) "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [], \"syscalls\": [" x "]}"
	rd_fail(d, ENTRY("{\"name\": \"reed\", \"action\": \"SCMP_ACT_ALLOW\"}"), "$.syscalls[0].name: unknown",
		"unknown syscall \"reed\"");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALOW\"}"), "$.syscalls[0]",
		"unknown action \"SCMP_ACT_ALOW\"");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"name\": \"write\", \"action\": \"SCMP_ACT_ALLOW\"}"),
		"$.syscalls[0]", "both \"name\" and \"names\"");
	rd_fail(d, ENTRY("{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}"), "$.syscalls[0]", "at least one");
	rd_fail(d, ENTRY("{\"names\": [\"read\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"}"), "$.syscalls[0].names",
		"listed twice");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"read\"], \"action\": "
			 "\"SCMP_ACT_ALLOW\"}"),
		"duplicate rule for \"read\"", "$.syscalls[0].names[0]");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"read\"], \"action\": "
			 "\"SCMP_ACT_KILL_PROCESS\"}"),
		"$.syscalls[1].names[0]", "conflicting rules for \"read\"");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"read\"], \"action\": "
			 "\"SCMP_ACT_LOG\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}"),
		"conflicting rules", "would always win");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}"), "$.syscalls[0]",
		"only valid with SCMP_ACT_ERRNO");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 4095}"),
		"\"errnoRet\": 4095 is out of range", NULL);
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"value\": 1,"
			 " \"op\": \"SCMP_CMP_EQ\"}]}"),
		"$.syscalls[0].args[0]", "\"index\": 6 is out of range");
	/* one argument compared twice: runc and crun make every condition a
	 * rule of its own (OR), and so do we */
	struct sp_policy *sp = rd_ok(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
					    "{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 0, "
					    "\"value\": 2, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 3, "
					    "\"op\": \"SCMP_CMP_EQ\"}]}"),
				     NULL);
	ck_assert_uint_eq(sp->nrules, 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(sp->rules[i].ncond, 1);
		ck_assert_uint_eq(sp->rules[i].action.kind, SP_ACT_ALLOW);
	}
	ck_assert_uint_eq(sp->rules[0].cond[0].value + sp->rules[1].cond[0].value + sp->rules[2].cond[0].value, 6);
	sp_policy_free(sp);
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1,"
			 " \"op\": \"SCMP_CMP_EQUAL\"}]}"),
		"unknown operator \"SCMP_CMP_EQUAL\"", NULL);
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1,"
			 " \"valueTwo\": 4, \"op\": \"SCMP_CMP_EQ\"}]}"),
		"\"valueTwo\" is only used by SCMP_CMP_MASKED_EQ", NULL);
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": "
			 "18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}"),
		"t.in:1:", "$.syscalls[0].args[0]: \"value\": 18446744073709551616 is out of range (at most "
		"18446744073709551615)");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoret\": 1}"),
		"unknown key \"errnoret\"", "did you mean \"errnoRet\"");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"x86_64\"]}}"),
		"$.syscalls[0].includes.arches", "unknown architecture \"x86_64\"");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.8.1\"}}"),
		"$.syscalls[0].includes", "\"5.8.1\" is not MAJOR.MINOR");
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"0.0\"}}"),
		"is not MAJOR.MINOR", NULL);
	rd_fail(d, ENTRY("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMN\"]}}"),
		"$.syscalls[0].excludes.caps", "unknown capability \"CAP_SYS_ADMN\"");
	/* a typo in a rule that does not apply here is still reported */
	rd_fail(d, ENTRY("{\"names\": [\"reed\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"s390x\"]}}"),
		"unknown syscall \"reed\"", NULL);
#undef ENTRY
	rd_fail(d, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"archMap\": "
		   "[{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
		"both \"architectures\" and \"archMap\"", NULL);
	rd_fail(d, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_65\"}]}",
		"$.archMap[0].architecture", "unknown architecture \"SCMP_ARCH_X86_65\"");
	rd_fail(d, "{\"archMap\": []}", "Docker reads this as \"no seccomp at all\"", NULL);
	rd_fail(d, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [], \"syscalls\": [{\"names\": [\"read\"], "
		   "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"t.in:1:", "negative number");
	rd_fail(d, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [], \"defaultErrnoRet\": 1.5}",
		"\"defaultErrnoRet\": expected a non-negative integer", NULL);
	rd_fail(d, "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"archMap\": [],\n \"bogus\": 1\n", "t.in:4:", "invalid JSON");
}
END_TEST

START_TEST(oci_bare_and_config)
{
	const char *bare = "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\","
			   " \"SCMP_ARCH_X32\"], \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": [\n"
			   "{\"names\": [\"read\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
			   "{\"names\": [\"write\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7}]}";
	struct sp_policy *p = rd_ok(sp_fmt_oci_read, bare, NULL);
	ck_assert_int_eq(p->def.kind, SP_ACT_KILL_PROCESS);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_X32));
	const struct sp_rule *r = sp_policy_find(p, "write");
	ck_assert(r && r->action.kind == SP_ACT_TRACE && r->action.data == 7);
	sp_policy_free(p);

	const char *config = "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"]},\n"
			     " \"linux\": {\"namespaces\": [], \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\","
			     " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}";
	p = rd_ok(sp_fmt_oci_read, config, NULL);
	ck_assert(sp_policy_allows(p, "read"));
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64)); /* none listed: native */
	sp_policy_free(p);

	rd_fail(sp_fmt_oci_read, "{\"ociVersion\": \"1.0.2\", \"linux\": {}}", "$.linux", "runs unconfined");
	rd_fail(sp_fmt_oci_read,
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": "
		"\"SCMP_ACT_ALLOW\", \"comment\": \"x\"}]}",
		"$.syscalls[0]", "unknown key \"comment\"");
	rd_fail(sp_fmt_oci_read, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_NATIVE\"]}",
		"$.architectures", "SCMP_ARCH_NATIVE");
	rd_fail(sp_fmt_oci_read, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_PPC\"]}",
		"$.architectures", "not supported by seccomp-profile");
	rd_fail(sp_fmt_oci_read,
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X86\"]}",
		"$.architectures", "listed twice");
	rd_fail(sp_fmt_oci_read, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_FAST\"]}",
		"$.flags", "unknown flag");
	rd_fail(sp_fmt_oci_read, "{\"defaultAction\": \"SCMP_ACT_LOG\", \"defaultErrnoRet\": 1}",
		"\"defaultErrnoRet\" is only valid with SCMP_ACT_ERRNO", NULL);
	rd_fail(sp_fmt_oci_read, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerMetadata\": \"x\"}",
		"without \"listenerPath\"", NULL);
	rd_fail(sp_fmt_oci_read, "{\"syscalls\": []}", "missing required key \"defaultAction\"", NULL);
}
END_TEST

START_TEST(k8s_yaml_and_json)
{
	const char *y = "---\n"
			"apiVersion: v1\n"
			"kind: ConfigMap\n"
			"---\n"
			"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
			"kind: SeccompProfile\n"
			"metadata:\n"
			"  name: myapp\n"
			"  namespace: default\n"
			"spec:\n"
			"  defaultAction: SCMP_ACT_ERRNO\n"
			"  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86]\n"
			"  syscalls:\n"
			"    - action: SCMP_ACT_ALLOW\n"
			"      names: [brk, close, exit_group, read, write]\n"
			"    - action: SCMP_ACT_ALLOW\n"
			"      names: [personality]\n"
			"      args:\n"
			"        - {index: 0, value: 4294967295, op: SCMP_CMP_EQ}\n"
			"    - action: SCMP_ACT_ERRNO\n"
			"      errnoRet: 38\n"
			"      names: [clone3]\n";
	struct sp_policy *p = rd_ok(sp_fmt_k8s_read, y, NULL);
	ck_assert(sp_fmt_k8s_detect(y, strlen(y)));
	ck_assert(!sp_fmt_yaml_detect(y, strlen(y)));
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386));
	ck_assert(sp_policy_allows(p, "brk"));
	ck_assert_uint_eq(sp_policy_find(p, "personality")->cond[0].value, 4294967295u);
	ck_assert_uint_eq(sp_policy_find(p, "clone3")->action.data, 38);
	sp_policy_free(p);

	const char *j = "{\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1\", \"kind\": \"SeccompProfile\","
			" \"metadata\": {\"name\": \"x\"}, \"spec\": {\"defaultAction\": \"SCMP_ACT_LOG\"}}";
	p = rd_ok(sp_fmt_k8s_read, j, NULL);
	ck_assert_int_eq(p->def.kind, SP_ACT_LOG);
	ck_assert(sp_fmt_k8s_detect(j, strlen(j)));
	ck_assert(!sp_fmt_oci_detect(j, strlen(j)) && !sp_fmt_docker_detect(j, strlen(j)));
	sp_policy_free(p);

	/* errors carry line:column */
	rd_fail(sp_fmt_k8s_read,
		"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nspec:\n"
		"  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - action: SCMP_ACT_ALLOW\n      names: [read, wirte]\n",
		"t.in:7:21: $.spec.syscalls[0].names", "unknown syscall \"wirte\"");
	rd_fail(sp_fmt_k8s_read,
		"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nspec:\n"
		"  defaultAction: SCMP_ACT_ERRNO\n  defaultErrnoRet: 38\n",
		"t.in:5:20: $.spec", "unknown key \"defaultErrnoRet\"");
	rd_fail(sp_fmt_k8s_read,
		"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nspec:\n"
		"  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: runc-v1.1.5\n",
		"baseProfileName", "incomplete");
	rd_fail(sp_fmt_k8s_read, "apiVersion: v9\nkind: SeccompProfile\nspec: {defaultAction: SCMP_ACT_ERRNO}\n",
		"t.in:1:13: $", "not a Security Profiles Operator version");
	rd_fail(sp_fmt_k8s_read, "kind: SeccompProfile\nspec: {}\n---\nkind: SeccompProfile\n", "holds 2", NULL);
	rd_fail(sp_fmt_k8s_read, "kind: SeccompProfile\nspec: [\n", "t.in:", "invalid YAML");
}
END_TEST

START_TEST(yaml_beats_and_policy)
{
	const char *beats = "filebeat.inputs: []\n"
			    "max_retries: -1\n"
			    "seccomp:\n"
			    "  default_action: errno\n"
			    "  syscalls:\n"
			    "    - action: allow\n"
			    "      names: [read, write, exit_group]\n"
			    "      names_with_args:\n"
			    "        - name: socket\n"
			    "          arguments:\n"
			    "            - {argument: 0, operation: Equal, value: 1}\n"
			    "        - name: mmap\n"
			    "          arguments:\n"
			    "            - {argument: 2, operation: BitsSet, value: 0x5}\n"
			    "            - {argument: 3, operation: bitsnotset, value: 0x20}\n"
			    "    - action: KILL_PROCESS\n"
			    "      names: [ptrace]\n";
	ck_assert(sp_fmt_yaml_detect(beats, strlen(beats)));
	ck_assert(!sp_fmt_k8s_detect(beats, strlen(beats)));
	struct sp_policy *p = rd_ok(sp_fmt_yaml_read, beats, NULL);
	ck_assert(p->def.kind == SP_ACT_ERRNO && p->def.data == EPERM);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64));
	ck_assert(sp_policy_allows(p, "read"));
	ck_assert_uint_eq(sp_policy_find(p, "ptrace")->action.kind, SP_ACT_KILL_PROCESS);
	const struct sp_rule *r = sp_policy_find(p, "socket");
	ck_assert(r && r->ncond == 1 && r->cond[0].op == SP_CMP_EQ && r->cond[0].value == 1);
	/* BitsSet 0x5 = bit 0 or bit 2: two rules */
	ck_assert_uint_eq(count_rules(p, "mmap"), 2);
	r = sp_policy_find(p, "mmap");
	ck_assert_uint_eq(r->ncond, 2);
	ck_assert(r->cond[0].arg == 2 && r->cond[0].op == SP_CMP_MASKED_EQ && r->cond[0].value == r->cond[0].value2);
	ck_assert(r->cond[1].arg == 3 && r->cond[1].value == 0x20 && r->cond[1].value2 == 0);
	sp_policy_free(p);

	const char *filter = "no_new_privs: true\nflag: 1\npolicy:\n  default_action: kill_thread\n"
			     "  syscalls:\n  - action: allow\n    names: [read]\n";
	p = rd_ok(sp_fmt_yaml_read, filter, NULL);
	ck_assert_int_eq(p->def.kind, SP_ACT_KILL_THREAD);
	sp_policy_free(p);

	reader_fn y = sp_fmt_yaml_read;
	rd_fail(y, "default_action: allow\nsyscalls:\n- action: alow\n  names: [read]\n", "t.in:3:11: $.syscalls[0]",
		"unknown action \"alow\"");
	rd_fail(y, "default_action: errno\nsyscalls:\n- action: allow\n  names: [read, socketcall]\n",
		"t.in:4:17: $.syscalls[0].names[1]", "does not exist on x86_64");
	rd_fail(y, "default_action: errno\nsyscalls:\n- action: allow\n  names: [read, raed]\n", "unknown syscall \"raed\"",
		NULL);
	rd_fail(y, "default_action: errno\nsyscalls:\n- action: allow\n  names: [read]\n- action: trap\n  names: [read]\n",
		"$.syscalls[1].names[0]", "conflicting rules for \"read\"");
	rd_fail(y, "default_action: errno\nsyscalls:\n- action: allow\n  names: [read, read]\n", "listed twice", NULL);
	rd_fail(y, "default_action: errno\nsyscalls: []\n", "must not be empty", NULL);
	/* an integer past 64 bits is worded as the JSON readers word it */
	rd_fail(y, "default_action: errno\nsyscalls:\n- action: allow\n  names: [read]\n  x: [1, 18446744073709551616]\n",
		"t.in:5:10: $.syscalls[0].x: [1]: 18446744073709551616 is out of range (at most 18446744073709551615)",
		NULL);
	rd_fail(y,
		"default_action: errno\nsyscalls:\n- action: allow\n  names: [read]\n  names_with_args:\n"
		"  - name: read\n    arguments: [{argument: 0, operation: Equal, value: 1}]\n",
		"both in \"names\" and in \"names_with_args\"", NULL);
	rd_fail(y,
		"default_action: errno\nsyscalls:\n- action: allow\n  names_with_args:\n"
		"  - name: read\n    arguments: [{position: 0, operation: Equal, value: 1}]\n",
		"go-ucfg reads \"argument\"", NULL);
	rd_fail(y,
		"default_action: errno\nsyscalls:\n- action: allow\n  names_with_args:\n"
		"  - name: read\n    arguments: [{argument: 6, operation: Equal}]\n",
		"\"argument\": 6 is out of range", NULL);
	rd_fail(y,
		"default_action: errno\nsyscalls:\n- action: allow\n  names_with_args:\n"
		"  - name: read\n    arguments: [{argument: 0, operation: Like, value: 1}]\n",
		"unknown operation \"Like\"", NULL);
	rd_fail(y, "seccomp:\n  enabled: false\n  default_action: errno\n  syscalls: []\n", "installs no filter", NULL);
	rd_fail(y, "default_action: errno\ndefault_action: allow\nsyscalls: []\n", "t.in:2:1", "duplicate key");
	rd_fail(y, "a: &x [*x]\ndefault_action: errno\n", "t.in:", "alias");
}
END_TEST

START_TEST(yaml_scalar_typing)
{
	const char *y = "a: 0x10\nb: 0o17\nc: 017\nd: '17'\ne: yes\nf: ~\ng: 18446744073709551615\nh: -3\n"
			"i: 1.5\nj: read\nk: \"\"\n";
	json_t *docs = NULL;
	struct sp_ymarks *m = NULL;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_yaml_load("t.yml", y, strlen(y), &docs, &m, &err), 0);
	json_t *d = json_array_get(docs, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "a")), 16);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "b")), 15);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "c")), 15);
	ck_assert_str_eq(json_string_value(json_object_get(d, "d")), "17");
	ck_assert(json_is_true(json_object_get(d, "e")));
	ck_assert(json_is_null(json_object_get(d, "f")));
	ck_assert_uint_eq((uint64_t)json_integer_value(json_object_get(d, "g")), UINT64_MAX);
	ck_assert(json_is_real(json_object_get(d, "h"))); /* never an unsigned value */
	ck_assert(json_is_real(json_object_get(d, "i")));
	ck_assert_str_eq(json_string_value(json_object_get(d, "j")), "read");
	ck_assert_str_eq(json_string_value(json_object_get(d, "k")), "");
	unsigned line, col;
	ck_assert(sp_ymarks_get(m, json_object_get(d, "j"), &line, &col));
	ck_assert_uint_eq(line, 10);
	ck_assert_uint_eq(col, 4);
	json_decref(docs);
	sp_ymarks_free(m);
	ck_assert_int_lt(sp_yaml_load("t.yml", "a: 99999999999999999999\n", 24, &docs, &m, &err), 0);
	ck_assert(strstr(err.msg, "t.yml:1:4"));
}
END_TEST

START_TEST(json_u64_loading)
{
	json_t *root = NULL;
	struct sp_err err = {0};
	const char *j = "{\"a\": 9223372036854775808, \"b\": \"-5 is text\", \"c\": 1e3}";
	ck_assert_int_eq(sp_json_load_u64("t.json", j, strlen(j), &root, &err), 0);
	ck_assert_uint_eq((uint64_t)json_integer_value(json_object_get(root, "a")), 9223372036854775808ull);
	ck_assert_str_eq(json_string_value(json_object_get(root, "b")), "-5 is text");
	json_decref(root);
	/* a parse error after a widened literal keeps its column */
	const char *bad = "{\"a\": 9999999999999999999, x}";
	ck_assert_int_lt(sp_json_load_u64("t.json", bad, strlen(bad), &root, &err), 0);
	ck_assert_msg(strstr(err.msg, "t.json:1:28"), "%s", err.msg);
	const char *neg = "{\n  \"a\": -1}";
	ck_assert_int_lt(sp_json_load_u64("t.json", neg, strlen(neg), &root, &err), 0);
	ck_assert_msg(strstr(err.msg, "t.json:2:8: negative number"), "%s", err.msg);
}
END_TEST

START_TEST(detection_is_exclusive)
{
	static const char *const samples[] = {
		/* docker */ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": []}",
		/* oci */ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}",
		/* yaml */ "default_action: errno\nsyscalls: []\n",
		/* k8s */ "kind: SeccompProfile\nspec: {}\n",
		/* recording */ "{\"schema\": \"seccomp-profile/recording\", \"version\": 1}",
	};
	static const char *const want[] = {"docker", "oci", "yaml", "k8s", "recording"};
	size_t n;
	const struct sp_format *f = sp_formats(&n);
	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		const char *hit = NULL;
		for (size_t i = 0; i < n; i++) {
			if (!f[i].detect || !f[i].detect(samples[s], strlen(samples[s])))
				continue;
			ck_assert_msg(!hit, "sample %zu detected as %s and %s", s, hit, f[i].name);
			hit = f[i].name;
		}
		ck_assert_msg(hit && !strcmp(hit, want[s]), "sample %zu: %s", s, hit ? hit : "nothing");
	}
	const char *cfg = "{\"ociVersion\": \"1.0.0\", \"linux\": {}}";
	ck_assert(sp_fmt_oci_detect(cfg, strlen(cfg)));
	ck_assert(!sp_fmt_yaml_detect("just: text\n", 11));
}
END_TEST

static Suite *readers_suite(void)
{
	Suite *s = suite_create("readers");
	TCase *tc = tcase_create("readers");
	tcase_add_test(tc, docker_basic);
	tcase_add_test(tc, docker_conditions);
	tcase_add_test(tc, docker_errors);
	tcase_add_test(tc, rule_limit);
	tcase_add_test(tc, oci_bare_and_config);
	tcase_add_test(tc, k8s_yaml_and_json);
	tcase_add_test(tc, yaml_beats_and_policy);
	tcase_add_test(tc, yaml_scalar_typing);
	tcase_add_test(tc, json_u64_loading);
	tcase_add_test(tc, detection_is_exclusive);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(readers_suite)

/* ---- round trip: every format with a writer and a reader ---------------- */

static struct sp_policy *sample_policy(bool multi_abi, bool rich)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64);
	if (multi_abi)
		p->abis |= sp_abi_bit(SP_ABI_I386) | sp_abi_bit(SP_ABI_X32);
	const char *allow[] = {"brk", "close", "execve", "exit_group", "mmap", "read", "write"};
	for (size_t i = 0; i < sizeof(allow) / sizeof(allow[0]); i++)
		sp_policy_add_rule(p, allow[i], sp_action_allow());
	struct sp_rule *r = sp_policy_add_rule(p, "openat", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 18446744073709551516ull, 0}; /* AT_FDCWD */
	r = sp_policy_add_rule(p, "socket", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 1, 0};
	r = sp_policy_add_rule(p, "socket", sp_action_allow());
	r->ncond = 1;
	r->cond[0] = (struct sp_cond){0, SP_CMP_EQ, 10, 0};
	sp_policy_add_rule(p, "ptrace", (struct sp_action){SP_ACT_KILL_PROCESS, 0});
	if (rich) {
		sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
		r = sp_policy_add_rule(p, "clone", sp_action_allow());
		r->ncond = 2;
		r->cond[0] = (struct sp_cond){0, SP_CMP_MASKED_EQ, 0x7E020000u, 0};
		r->cond[1] = (struct sp_cond){2, SP_CMP_LE, 5, 0};
	}
	sp_policy_sort(p);
	return p;
}

static void assert_same_policy(const struct sp_policy *a, const struct sp_policy *b, const char *fmt)
{
	ck_assert_msg(sp_action_equal(a->def, b->def), "%s: default differs", fmt);
	ck_assert_msg(a->abis == b->abis, "%s: abis %#x vs %#x", fmt, a->abis, b->abis);
	ck_assert_msg(a->nrules == b->nrules, "%s: %zu rules vs %zu", fmt, a->nrules, b->nrules);
	for (size_t i = 0; i < a->nrules; i++) {
		const struct sp_rule *x = &a->rules[i], *y = &b->rules[i];
		ck_assert_msg(!strcmp(x->name, y->name), "%s: rule %zu: %s vs %s", fmt, i, x->name, y->name);
		ck_assert_msg(sp_action_equal(x->action, y->action), "%s: %s: action differs", fmt, x->name);
		ck_assert_msg(x->ncond == y->ncond, "%s: %s: conditions differ", fmt, x->name);
		for (int k = 0; k < x->ncond; k++)
			ck_assert_msg(x->cond[k].arg == y->cond[k].arg && x->cond[k].op == y->cond[k].op &&
					      x->cond[k].value == y->cond[k].value &&
					      x->cond[k].value2 == y->cond[k].value2,
				      "%s: %s: condition %d differs", fmt, x->name, k);
	}
}

static void round_trip(const char *fmt, const struct sp_policy *p)
{
	const struct sp_format *f = sp_format_find(fmt);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->write_policy && f->read_policy && f->detect);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct sp_err err = {0};
	struct sp_write_opts wo = {0};
	ck_assert_msg(f->write_policy(out, p, &wo, &err) == 0, "%s: write: %s", fmt, err.msg);
	fclose(out);
	/* detection finds exactly this format */
	size_t n;
	const struct sp_format *all = sp_formats(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i].detect)
			ck_assert_msg(all[i].detect(buf, len) == (&all[i] == f), "%s output detected as %s: %d", fmt,
				      all[i].name, all[i].detect(buf, len));
	struct sp_policy *q = NULL;
	ck_assert_msg(f->read_policy("rt", buf, len, &host_x86, &q, &err) == 0, "%s: read back: %s\n%s", fmt,
		      err.msg, buf);
	assert_same_policy(p, q, fmt);
	sp_policy_free(q);
	free(buf);
}

START_TEST(round_trip_all)
{
	struct sp_policy *p = sample_policy(true, true);
	round_trip("docker", p);
	round_trip("oci", p);
	round_trip("k8s", p);
	sp_policy_free(p);
	p = sample_policy(false, false); /* go-seccomp-bpf: one ABI, errno is EPERM */
	round_trip("yaml", p);
	sp_policy_free(p);
}
END_TEST

static Suite *readers_rt_suite(void)
{
	Suite *s = suite_create("readers_roundtrip");
	TCase *tc = tcase_create("roundtrip");
	tcase_add_test(tc, round_trip_all);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(readers_rt_suite)
