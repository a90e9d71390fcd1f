/* SPDX-License-Identifier: MIT */
/*
 * analysis/unseen.h: a recording against what its executables can reach.
 *
 *     struct sp_unseen *u;
 *     if (sp_unseen_compute(ctx, rec, &u, &err) < 0) ...
 *     u->exes[i].items     // reachable on the executable's ABI, never observed
 *     u->missed            // observed, but reachable from none of them
 *     sp_unseen_free(u);
 *
 * Every executable of rec->meta.executables is analysed (analysis/reach.h);
 * one that cannot be read (deleted since, another machine) keeps its error
 * in .error and counts for nothing.  A recording holds calls per ABI, not
 * per executable, so "observed" for an executable means observed on its ABI
 * anywhere in the run.
 */
#ifndef SP_ANALYSIS_UNSEEN_H
#define SP_ANALYSIS_UNSEEN_H

#include "analysis/reach.h"
#include "core/recording.h"

struct sp_unseen_item {
	enum sp_abi abi;
	int64_t nr;
	const char *name; /* libseccomp's name (never NULL: unnamed numbers are left out) */
	const char *via;  /* points into the executable's reach result */
};

struct sp_unseen_exe {
	const char *path;
	char *error;                /* NULL when analysed */
	struct sp_reach_exe *reach; /* NULL when not */
	size_t nreachable, nobserved; /* reachable; of those, observed */
	struct sp_unseen_item *items; /* sorted by name */
	size_t nitems;
};

struct sp_unseen_missed {
	enum sp_abi abi;
	int64_t nr;
	const char *name; /* may be NULL */
};

struct sp_unseen {
	struct sp_unseen_exe *exes;
	size_t nexes;
	struct sp_unseen_missed *missed; /* observed, reachable from no analysed executable */
	size_t nmissed;
	size_t nobserved_abis; /* distinct observed (ABI, nr) on the analysed ABIs */
};

int sp_unseen_compute(struct sp_reach_ctx *ctx, const struct sp_recording *rec, struct sp_unseen **out,
		      struct sp_err *err);
void sp_unseen_free(struct sp_unseen *u);

#endif
