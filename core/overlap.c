/* SPDX-License-Identifier: MIT */
#include "core/overlap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>

#include "core/abi.h"
#include "core/util.h"

/* What the conditions on one argument leave possible: lo <= x <= hi,
 * (x & mask) == bits, and x not among ne[]. */
struct arg_set {
	uint64_t lo, hi, mask, bits;
	uint64_t ne[12];
	unsigned nne;
	bool empty;
};

static void set_add(struct arg_set *s, const struct sp_cond *c, uint64_t width)
{
	uint64_t v = c->value & width, v2 = c->value2 & width;
	switch (c->op) {
	case SP_CMP_EQ:
		s->lo = MAX(s->lo, v);
		s->hi = MIN(s->hi, v);
		break;
	case SP_CMP_NE:
		if (s->nne < SP_ARRAY_SIZE(s->ne))
			s->ne[s->nne++] = v;
		/* more than 12 exclusions of one argument in two rules
		 * cannot happen (6 conditions each) */
		break;
	case SP_CMP_LT:
		if (v == 0)
			s->empty = true;
		else
			s->hi = MIN(s->hi, v - 1);
		break;
	case SP_CMP_LE: s->hi = MIN(s->hi, v); break;
	case SP_CMP_GT:
		if (v == width)
			s->empty = true;
		else
			s->lo = MAX(s->lo, v + 1);
		break;
	case SP_CMP_GE: s->lo = MAX(s->lo, v); break;
	case SP_CMP_MASKED_EQ:
		/* libseccomp masks the expected value too */
		v2 &= v;
		if ((s->bits ^ v2) & s->mask & v)
			s->empty = true;
		s->mask |= v;
		s->bits |= v2;
		break;
	default: s->empty = true; break;
	}
}

/* The smallest x >= lo with (x & mask) == bits, x <= width; false if none.
 * Such x are bits + f for f a subset of free = ~mask, ordered as f is, so
 * this wants the smallest subset f of free with f >= t = lo - bits. */
static bool next_fit(uint64_t lo, uint64_t mask, uint64_t bits, uint64_t width, uint64_t *out)
{
	uint64_t free_ = ~mask & width;
	if (lo <= bits) {
		*out = bits;
		return true;
	}
	uint64_t t = lo - bits, bad = t & ~free_;
	if (!bad) {
		*out = bits | t;
		return true;
	}
	/* t has a bit f cannot have (the highest is h): f must exceed t at
	 * the lowest position j above h where t has 0 and free has 1, keep
	 * t's bits above j (all in free, since h is the highest bad bit) and
	 * clear everything below. */
	int h = 63 - __builtin_clzll(bad);
	for (int j = h + 1; j < 64; j++) {
		uint64_t bit = (uint64_t)1 << j;
		if ((t & bit) || !(free_ & bit))
			continue;
		*out = bits | (t & ~(bit | (bit - 1))) | bit;
		return true;
	}
	return false;
}

static bool set_min(const struct arg_set *s, uint64_t width, uint64_t *x)
{
	if (s->empty || s->lo > s->hi)
		return false;
	uint64_t lo = s->lo;
	/* Each excluded value can push the candidate once. */
	for (unsigned round = 0; round <= s->nne; round++) {
		if (!next_fit(lo, s->mask, s->bits, width, x) || *x > s->hi)
			return false;
		bool excluded = false;
		for (unsigned i = 0; i < s->nne; i++)
			excluded = excluded || s->ne[i] == *x;
		if (!excluded)
			return true;
		if (*x == width)
			return false;
		lo = *x + 1;
	}
	return false;
}

bool sp_cond_overlap(const struct sp_cond *a, unsigned na, const struct sp_cond *b, unsigned nb,
		     unsigned bits, uint64_t witness[6])
{
	if (na > 6 || nb > 6) /* a rule has at most one condition per argument */
		return false;
	uint64_t width = bits == 32 ? UINT32_MAX : UINT64_MAX;
	struct arg_set s[6];
	for (int i = 0; i < 6; i++)
		s[i] = (struct arg_set){.hi = width};
	const struct sp_cond *lists[2] = {a, b};
	unsigned counts[2] = {na, nb};
	for (int l = 0; l < 2; l++)
		for (unsigned i = 0; i < counts[l]; i++) {
			const struct sp_cond *c = &lists[l][i];
			if (c->arg > 5)
				return false;
			set_add(&s[c->arg], c, width);
		}
	uint64_t w[6];
	for (int i = 0; i < 6; i++)
		if (!set_min(&s[i], width, &w[i]))
			return false;
	if (witness)
		memcpy(witness, w, sizeof(w));
	return true;
}

/* A rule and its syscall number on the ABI being checked. */
struct numbered {
	int64_t nr;
	size_t i;
};

static int cmp_numbered(const void *pa, const void *pb)
{
	const struct numbered *a = pa, *b = pb;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* Rules are compared only with rules of the same number (found by sorting
 * by number: n log n) and only when their actions differ; names are
 * resolved once each.  What is left is pairwise among the rules of one
 * number with different actions, which readers bound (SP_MAX_RULES) and
 * generate keeps to SP_ARGRULES_MAX per name. */
int sp_policy_check_ambiguous(const struct sp_policy *p, uint32_t abis, struct sp_action def,
			      struct sp_err *err)
{
	if (!abis && sp_abi_native() != SP_ABI_UNKNOWN)
		abis = sp_abi_bit(sp_abi_native());
	struct sp_name_index ix;
	sp_name_index_build(&ix, p);
	struct numbered *v = xcalloc(p->nrules + 1, sizeof(*v));
	int r = 0;
	for (int a = 0; a < SP_ABI_COUNT && r == 0; a++) {
		enum sp_abi abi = (enum sp_abi)a;
		if (!(abis & sp_abi_bit(abi)))
			continue;
		unsigned bits = sp_abi_get(abi)->bits;
		size_t n = 0;
		for (size_t k = 0; k < p->nrules;) {
			const char *name = p->rules[ix.order[k]].name;
			int64_t nr = sp_abi_syscall_nr(abi, name);
			for (; k < p->nrules && !strcmp(p->rules[ix.order[k]].name, name); k++) {
				const struct sp_rule *x = &p->rules[ix.order[k]];
				if (nr >= 0 && (!x->abis || (x->abis & sp_abi_bit(abi))) && !sp_action_equal(x->action, def))
					v[n++] = (struct numbered){nr, ix.order[k]};
			}
		}
		if (n)
			qsort(v, n, sizeof(*v), cmp_numbered);
		/* The pair reported is the first in policy order (i, then j),
		 * whatever number it is for. */
		size_t bi = SIZE_MAX, bj = SIZE_MAX;
		uint64_t bw[6];
		for (size_t g = 0; g < n;) {
			size_t end = g;
			while (end < n && v[end].nr == v[g].nr)
				end++;
			bool found = false;
			for (size_t x = g; x < end && !found && v[x].i < bi; x++)
				for (size_t y = x + 1; y < end && !found; y++) {
					const struct sp_rule *rx = &p->rules[v[x].i], *ry = &p->rules[v[y].i];
					uint64_t w[6];
					if (sp_action_equal(rx->action, ry->action) ||
					    !sp_cond_overlap(rx->cond, rx->ncond, ry->cond, ry->ncond, bits, w))
						continue;
					found = true;
					if (v[x].i < bi || (v[x].i == bi && v[y].i < bj)) {
						bi = v[x].i, bj = v[y].i;
						memcpy(bw, w, sizeof(bw));
					}
				}
			g = end;
		}
		if (bi == SIZE_MAX)
			continue;
		const struct sp_rule *x = &p->rules[bi], *y = &p->rules[bj];
		_cleanup_free_ char *rx = sp_rule_str(x), *ry = sp_rule_str(y);
		struct sp_buf b = SP_BUF_INIT;
		for (unsigned k = 0; k < 6; k++)
			sp_buf_printf(&b, "%s0x%" PRIx64, k ? ", " : "", bw[k]);
		_cleanup_free_ char *ws = sp_buf_steal(&b);
		r = sp_err_set(err, -EINVAL,
			       "ambiguous rules for \"%s\" on %s: \"%s\" and \"%s\" both match "
			       "%s(%s) with different actions; make their conditions exclusive",
			       x->name, sp_abi_name(abi), rx, ry, y->name, ws);
	}
	free(v);
	sp_name_index_release(&ix);
	return r;
}
