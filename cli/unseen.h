/* SPDX-License-Identifier: MIT */
/*
 * cli/unseen.h: what `unseen` and `generate --add-unseen` share.
 *
 *     struct sp_cli_unseen_add a;
 *     if (sp_cli_unseen_additions(rec, 1u << SP_RISK_LOW, &a, &err) < 0) ...
 *     gen.extra = a.v; gen.nextra = a.n;    // valid until the release
 *     sp_cli_unseen_release(&a);
 */
#ifndef SP_CLI_UNSEEN_H
#define SP_CLI_UNSEEN_H

#include "analysis/unseen.h"
#include "generator/generate.h"

struct sp_cli_unseen_add {
	struct sp_reach_ctx *ctx;
	struct sp_unseen *u;
	struct sp_gen_extra *v; /* one per (ABI, name), risk class in the mask */
	size_t n;
	char **whys;
};

/* Analyses rec's executables; fills out (release it even on failure).
 * Fails when none of them could be analysed. */
int sp_cli_unseen_additions(const struct sp_recording *rec, unsigned risk_mask, struct sp_cli_unseen_add *out,
			    struct sp_err *err);
void sp_cli_unseen_release(struct sp_cli_unseen_add *a);

#endif
