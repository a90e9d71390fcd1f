/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the policy readers (docker, oci, k8s, yaml) and detection.
 *
 * The first byte picks the reader (modulo 4), the rest is the file.  It
 * checks that every rejection names the file, that no two detectors claim
 * the same input, and reader against writer: whatever a reader accepts and
 * its writer can express must read back as the same policy.
 */
#include "core/policy.h"
#include "formats/format.h"
#include "formats/read.h"
#include "tests/fuzz/fuzz.h"

static const char *const names[] = {"docker", "oci", "k8s", "yaml"};

static bool same(const struct sp_policy *a, const struct sp_policy *b)
{
	if (!sp_action_equal(a->def, b->def) || a->abis != b->abis || a->nrules != b->nrules)
		return false;
	for (size_t i = 0; i < a->nrules; i++) {
		const struct sp_rule *x = &a->rules[i], *y = &b->rules[i];
		if (strcmp(x->name, y->name) || !sp_action_equal(x->action, y->action) || x->ncond != y->ncond)
			return false;
		for (uint8_t k = 0; k < x->ncond; k++) /* field by field: structs have padding */
			if (x->cond[k].arg != y->cond[k].arg || x->cond[k].op != y->cond[k].op ||
			    x->cond[k].value != y->cond[k].value || x->cond[k].value2 != y->cond[k].value2)
				return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct sp_format *f = sp_format_find(names[data[0] % 4]);
	_cleanup_free_ char *text = sp_fuzz_cstr(data + 1, size - 1);
	size_t len = size - 1;
	if (strlen(text) != len)
		return 0; /* cli/input.c refuses NUL bytes before any reader */

	size_t n, hits = 0;
	const struct sp_format *all = sp_formats(&n);
	for (size_t i = 0; i < n; i++)
		hits += all[i].detect && all[i].detect(text, len);
	SP_FUZZ_CHECK(hits <= 1, "%zu detectors claim the input", hits);

	static const struct sp_read_opts ro = {.kernel = "6.1", .arch = "x86_64"};
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	if (f->read_policy("fuzz.in", text, len, &ro, &p, &err) < 0) {
		SP_FUZZ_CHECK(!strncmp(err.msg, "fuzz.in", 7) && err.code < 0 && !p, "bad error: %d %s", err.code,
			      err.msg);
		return 0;
	}
	SP_FUZZ_CHECK(p != NULL, "success without a policy");

	char *buf = NULL;
	size_t blen = 0;
	FILE *out = open_memstream(&buf, &blen);
	struct sp_write_opts wo = {0};
	int r = f->write_policy(out, p, &wo, &err);
	fclose(out);
	if (r == 0) {
		struct sp_policy *q = NULL;
		r = f->read_policy("written", buf, blen, &ro, &q, &err);
		SP_FUZZ_CHECK(r == 0, "%s output does not read back: %s\n--- text:\n%s", f->name, err.msg, buf);
		SP_FUZZ_CHECK(same(p, q), "%s round trip changed the policy:\n%s", f->name, buf);
		sp_policy_free(q);
	}
	free(buf);
	sp_policy_free(p);
	return 0;
}
