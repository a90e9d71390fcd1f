/* SPDX-License-Identifier: MIT */
#include "analysis/unseen.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* qsort() without the undefined behaviour of a NULL, empty array. */
static void sort_(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int cmp_item(const void *x, const void *y)
{
	const struct sp_unseen_item *a = x, *b = y;
	return strcmp(a->name, b->name);
}

int sp_unseen_compute(struct sp_reach_ctx *ctx, const struct sp_recording *rec, struct sp_unseen **out,
		      struct sp_err *err)
{
	(void)err;
	struct sp_unseen *u = xcalloc(1, sizeof(*u));
	u->exes = xcalloc(rec->meta.nexecutables ? rec->meta.nexecutables : 1, sizeof(*u->exes));
	uint32_t abis = 0;
	for (size_t i = 0; i < rec->meta.nexecutables; i++) {
		struct sp_unseen_exe *x = &u->exes[u->nexes++];
		x->path = rec->meta.executables[i];
		struct sp_err e2 = {0};
		if (sp_reach_exe(ctx, x->path, &x->reach, &e2) < 0) {
			x->error = xstrdup(e2.msg);
			continue;
		}
		const struct sp_reach_exe *r = x->reach;
		abis |= sp_abi_bit(r->abi);
		for (size_t k = 0; k < r->ncalls; k++) {
			const struct sp_reach_call *c = &r->calls[k];
			if (!c->name)
				continue; /* libseccomp cannot name it: no policy could list it */
			x->nreachable++;
			const struct sp_sysc *s = sp_recording_find(rec, r->abi, c->nr);
			if (s && s->calls) {
				x->nobserved++;
				continue;
			}
			x->items = xrealloc(x->items, (x->nitems + 1) * sizeof(*x->items));
			x->items[x->nitems++] = (struct sp_unseen_item){r->abi, c->nr, c->name, c->via};
		}
		sort_(x->items, x->nitems, sizeof(*x->items), cmp_item);
	}
	size_t n;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	for (size_t i = 0; i < n; i++) {
		if (!(abis & sp_abi_bit(v[i]->abi)) || !v[i]->calls)
			continue;
		u->nobserved_abis++;
		bool found = false;
		for (size_t k = 0; k < u->nexes && !found; k++)
			found = u->exes[k].reach && u->exes[k].reach->abi == v[i]->abi &&
				sp_reach_find(u->exes[k].reach, v[i]->nr);
		if (found)
			continue;
		u->missed = xrealloc(u->missed, (u->nmissed + 1) * sizeof(*u->missed));
		u->missed[u->nmissed++] = (struct sp_unseen_missed){v[i]->abi, v[i]->nr, v[i]->name};
	}
	*out = u;
	return 0;
}

void sp_unseen_free(struct sp_unseen *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nexes; i++) {
		free(u->exes[i].error);
		sp_reach_exe_free(u->exes[i].reach);
		free(u->exes[i].items);
	}
	free(u->exes);
	free(u->missed);
	free(u);
}
