/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_reader.h: the body shared by the policy-reader fuzz
 * targets (fuzz_docker.c, fuzz_oci.c, fuzz_yaml.c, fuzz_k8s.c), each one
 * line: `SP_FUZZ_READER("docker")`.
 *
 * For one input it checks:
 *   - the content detectors of the registry never both say yes
 *     (formats/read.h promises that);
 *   - the reader either fails with a message naming the file, or returns a
 *     policy whose rules are well-formed (names, actions in range, at most
 *     six conditions on arguments 0-5 with valid operators, ABI masks
 *     within the table);
 *   - an accepted policy compiles (sp_compile_bpf) or is refused with a
 *     "compile: " message: what a reader accepts is what run/check load;
 *   - when the format has a writer, the policy written and read back is
 *     the same policy (same default, ABIs and rules after sorting).
 */
#ifndef SP_TESTS_FUZZ_READER_H
#define SP_TESTS_FUZZ_READER_H

#include "core/abi.h"
#include "core/policy.h"
#include "formats/format.h"
#include "generator/compile.h"
#include "tests/fuzz/fuzz.h"

static void sp_fuzz_check_policy(const struct sp_policy *p)
{
	uint32_t all = (1u << SP_ABI_COUNT) - 1;
	SP_FUZZ_CHECK(!(p->abis & ~all), "abis %#x", p->abis);
	SP_FUZZ_CHECK(p->def.kind <= SP_ACT_NOTIFY, "default kind %d", p->def.kind);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		SP_FUZZ_CHECK(r->name && r->name[0], "rule %zu has no name", i);
		SP_FUZZ_CHECK(r->action.kind <= SP_ACT_NOTIFY, "rule %s: kind %d", r->name, r->action.kind);
		SP_FUZZ_CHECK(r->action.kind != SP_ACT_ERRNO || r->action.data <= 4095, "rule %s: errno %u", r->name,
			      r->action.data);
		SP_FUZZ_CHECK(r->action.kind != SP_ACT_TRACE || r->action.data <= 0xffff, "rule %s: trace %u",
			      r->name, r->action.data);
		SP_FUZZ_CHECK(r->ncond <= 6, "rule %s: %u conditions", r->name, r->ncond);
		SP_FUZZ_CHECK(!(r->abis & ~all), "rule %s: abis %#x", r->name, r->abis);
		for (unsigned c = 0; c < r->ncond; c++) {
			SP_FUZZ_CHECK(r->cond[c].arg <= 5, "rule %s: argument %u", r->name, r->cond[c].arg);
			SP_FUZZ_CHECK(r->cond[c].op >= SP_CMP_NE && r->cond[c].op <= SP_CMP_MASKED_EQ,
				      "rule %s: operator %d", r->name, r->cond[c].op);
		}
	}
}

static bool sp_fuzz_same_rule(const struct sp_rule *a, const struct sp_rule *b)
{
	if (strcmp(a->name, b->name) || !sp_action_equal(a->action, b->action) || a->ncond != b->ncond ||
	    a->abis != b->abis)
		return false;
	for (unsigned c = 0; c < a->ncond; c++)
		if (a->cond[c].arg != b->cond[c].arg || a->cond[c].op != b->cond[c].op ||
		    a->cond[c].value != b->cond[c].value ||
		    (a->cond[c].op == SP_CMP_MASKED_EQ && a->cond[c].value2 != b->cond[c].value2))
			return false;
	return true;
}

static void sp_fuzz_round_trip(const struct sp_format *f, struct sp_policy *p, const struct sp_read_opts *ro)
{
	char *buf = NULL;
	size_t len = 0;
	struct sp_err err = {0};
	struct sp_write_opts wo = {0};
	FILE *out = open_memstream(&buf, &len);
	int r = f->write_policy(out, p, &wo, &err);
	fclose(out);
	if (r < 0) { /* a writer may refuse what it cannot express, with a message */
		SP_FUZZ_CHECK(err.code < 0 && err.msg[0], "%s writer failed without a message", f->name);
		free(buf);
		return;
	}
	struct sp_policy *q = NULL;
	r = f->read_policy("written", buf, len, ro, &q, &err);
	SP_FUZZ_CHECK(r == 0, "%s: written policy does not read back: %s\n%s", f->name, err.msg, buf);
	sp_policy_sort(p);
	sp_policy_sort(q);
	SP_FUZZ_CHECK(sp_action_equal(p->def, q->def) && p->abis == q->abis && p->nrules == q->nrules,
		      "%s: round trip changed the policy\n%s", f->name, buf);
	for (size_t i = 0; i < p->nrules; i++)
		SP_FUZZ_CHECK(sp_fuzz_same_rule(&p->rules[i], &q->rules[i]), "%s: rule %zu (%s) changed\n%s",
			      f->name, i, p->rules[i].name, buf);
	sp_policy_free(q);
	free(buf);
}

static int sp_fuzz_reader(const char *format, const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = sp_fuzz_cstr(data, size);
	size_t n;
	const struct sp_format *all = sp_formats(&n);
	const char *hit = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!all[i].detect || !all[i].detect(text, size))
			continue;
		SP_FUZZ_CHECK(!hit, "detected as both %s and %s", hit, all[i].name);
		hit = all[i].name;
	}

	const struct sp_format *f = sp_format_find(format);
	SP_FUZZ_CHECK(f && f->read_policy, "no reader for %s", format);
	static const char *const caps[] = {"CAP_SYS_ADMIN", NULL};
	const struct sp_read_opts ro = {.caps = caps, .kernel = "5.10.0", .arch = "x86_64"};
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	if (f->read_policy("fuzz.in", text, size, &ro, &p, &err) < 0) {
		SP_FUZZ_CHECK(err.code < 0 && !strncmp(err.msg, "fuzz.in", 7), "bad error: %d '%s'", err.code,
			      err.msg);
		SP_FUZZ_CHECK(p == NULL, "policy returned with an error");
		return 0;
	}
	SP_FUZZ_CHECK(p != NULL, "success without a policy");
	sp_fuzz_check_policy(p);

	struct sock_fprog prog = {0};
	if (sp_compile_bpf(p, NULL, &prog, &err) < 0)
		SP_FUZZ_CHECK(err.code < 0 && !strncmp(err.msg, "compile: ", 9), "bad compile error: '%s'", err.msg);
	else
		SP_FUZZ_CHECK(prog.len > 0 && prog.len <= 4096, "program length %u", prog.len);
	free(prog.filter);

	if (f->write_policy)
		sp_fuzz_round_trip(f, p, &ro);
	sp_policy_free(p);
	return 0;
}

#define SP_FUZZ_READER(format)                                                                      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                \
	{                                                                                           \
		return sp_fuzz_reader(format, data, size);                                          \
	}

#endif
