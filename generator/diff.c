/* SPDX-License-Identifier: MIT */
#include "generator/diff.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static struct sp_diff_item *add_item(struct sp_diff *d, enum sp_diff_kind kind, enum sp_abi abi,
				     const char *name)
{
	xgrow((void **)&d->items, &d->cap, d->n + 1, sizeof(*d->items));
	struct sp_diff_item *it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->abi = abi;
	it->name = xstrdup(name);
	it->risk_row = sp_risk_lookup(name);
	it->risk = it->risk_row ? it->risk_row->level : SP_RISK_LOW;
	switch (kind) {
	case SP_DIFF_ADDED:
		d->added++;
		d->added_by_risk[it->risk]++;
		break;
	case SP_DIFF_REMOVED:
		d->removed++;
		break;
	case SP_DIFF_CHANGED:
		d->changed++;
		break;
	}
	return it;
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct sp_diff_item *a = pa, *b = pb;
	if (a->abi != b->abi)
		return (int)a->abi - (int)b->abi;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->risk != b->risk)
		return (int)b->risk - (int)a->risk; /* high risk first */
	return strcmp(a->name, b->name);
}

static void finish(struct sp_diff *d)
{
	if (d->n)
		qsort(d->items, d->n, sizeof(*d->items), cmp_item);
}

void sp_diff_free(struct sp_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].name);
		free(d->items[i].before);
		free(d->items[i].after);
	}
	free(d->items);
	free(d);
}

/* ---- recordings ------------------------------------------------------- */

static bool argset_has(const struct sp_argset *s, uint64_t v)
{
	for (size_t i = 0; i < s->nvalues; i++)
		if (s->values[i] == v)
			return true;
	return false;
}

static bool argset_equal(const struct sp_argset *a, const struct sp_argset *b)
{
	if (a->nvalues != b->nvalues || a->overflow != b->overflow)
		return false;
	return !memcmp(a->values, b->values, a->nvalues * sizeof(a->values[0]));
}

static void describe_argset(struct sp_buf *b, int arg, const struct sp_argset *s)
{
	sp_buf_printf(b, "%sarg%d: ", b->len ? "; " : "", arg);
	for (size_t i = 0; i < s->nvalues; i++)
		sp_buf_printf(b, "%s0x%" PRIx64, i ? ", " : "", s->values[i]);
	if (s->overflow)
		sp_buf_puts(b, s->nvalues ? ", ... (more than recorded)" : "... (more than recorded)");
}

/* Compares the argument values recorded for one syscall on both sides;
 * only arguments recorded on both sides can be compared. */
static void diff_args(struct sp_diff *d, const struct sp_sysc *o, const struct sp_sysc *n, uint32_t runs,
		      const char *name)
{
	struct sp_buf before = SP_BUF_INIT, after = SP_BUF_INIT;
	bool widens = false;
	for (int a = 0; a < 6; a++) {
		const struct sp_argset *x = &o->args[a], *y = &n->args[a];
		if (!x->used || !y->used || argset_equal(x, y))
			continue;
		describe_argset(&before, a, x);
		describe_argset(&after, a, y);
		if (y->overflow && !x->overflow)
			widens = true;
		for (size_t i = 0; i < y->nvalues; i++)
			if (!argset_has(x, y->values[i]) && !x->overflow)
				widens = true;
	}
	if (!after.len) {
		sp_buf_release(&before);
		return;
	}
	struct sp_diff_item *it = add_item(d, SP_DIFF_CHANGED, n->abi, name);
	it->before = sp_buf_steal(&before);
	it->after = sp_buf_steal(&after);
	it->widens = widens;
	it->sysc = n;
	it->runs = runs;
}

struct sp_diff *sp_diff_recordings(const struct sp_recording *old, const struct sp_recording *new_)
{
	struct sp_diff *d = xcalloc(1, sizeof(*d));
	d->recordings = true;
	uint32_t oa = sp_recording_abis(old), na = sp_recording_abis(new_);
	d->abis_added = na & ~oa;
	d->abis_removed = oa & ~na;

	char buf[32];
	size_t n;
	_cleanup_free_ struct sp_sysc **nv = sp_recording_sorted(new_, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sp_sysc *s = nv[i];
		const struct sp_sysc *o = sp_recording_find(old, s->abi, s->nr);
		const char *name = sp_sysc_display_name(s, buf, sizeof(buf));
		if (!o) {
			struct sp_diff_item *it = add_item(d, SP_DIFF_ADDED, s->abi, name);
			it->widens = true;
			it->sysc = s;
			it->runs = new_->meta.runs;
		} else {
			diff_args(d, o, s, new_->meta.runs, name);
		}
	}
	_cleanup_free_ struct sp_sysc **ov = sp_recording_sorted(old, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sp_sysc *s = ov[i];
		if (sp_recording_find(new_, s->abi, s->nr))
			continue;
		struct sp_diff_item *it = add_item(d, SP_DIFF_REMOVED, s->abi, sp_sysc_display_name(s, buf, sizeof(buf)));
		it->sysc = s;
		it->runs = old->meta.runs;
	}
	finish(d);
	return d;
}

/* ---- policies --------------------------------------------------------- */

/* How much an action lets through, for "does this widen": the kills, then
 * the errors, then the ones that hand the call to someone, then log/allow. */
static int permissiveness(struct sp_action a)
{
	switch (a.kind) {
	case SP_ACT_KILL_PROCESS:
	case SP_ACT_KILL_THREAD: return 0;
	case SP_ACT_TRAP:
	case SP_ACT_ERRNO: return 1;
	case SP_ACT_TRACE:
	case SP_ACT_NOTIFY: return 2;
	case SP_ACT_LOG:
	case SP_ACT_ALLOW: return 3;
	}
	return 0;
}

/* The rules of p for name that do something (action != default), as
 * sorted strings; *max_perm receives the most permissive of their actions. */
static char **rules_for(const struct sp_policy *p, const char *name, int *max_perm)
{
	char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	*max_perm = -1;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (strcmp(r->name, name) || sp_action_equal(r->action, p->def))
			continue;
		char *s = sp_rule_str(r);
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup |= !strcmp(v[k], s);
		if (dup) {
			free(s);
			continue;
		}
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = s;
		v[n] = NULL;
		if (permissiveness(r->action) > *max_perm)
			*max_perm = permissiveness(r->action);
	}
	for (size_t i = 1; i < n; i++) /* insertion sort: a handful of rules */
		for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			char *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	return v;
}

static char *join(char **v)
{
	struct sp_buf b = SP_BUF_INIT;
	for (size_t i = 0; v[i]; i++)
		sp_buf_printf(&b, "%s%s", i ? "; " : "", v[i]);
	return sp_buf_steal(&b);
}

static bool strv_has(char **v, const char *s)
{
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* A NEW rule is covered by OLD when OLD has the same rule, or gives the same
 * action unconditionally on every ABI (rule strings start with the action,
 * followed by " if ..." or " [...]" when narrower). */
static bool covered(char **old_rules, const char *rule)
{
	if (strv_has(old_rules, rule))
		return true;
	size_t n = strcspn(rule, " ");
	for (size_t i = 0; old_rules[i]; i++)
		if (strlen(old_rules[i]) == n && !strncmp(old_rules[i], rule, n))
			return true;
	return false;
}

/* One name of either policy. */
static void diff_name(struct sp_diff *d, const struct sp_policy *old, const struct sp_policy *new_,
		      const char *name)
{
	int operm, nperm;
	char **ov = rules_for(old, name, &operm);
	char **nv = rules_for(new_, name, &nperm);
	bool in_old = ov[0] != NULL, in_new = nv[0] != NULL;
	struct sp_diff_item *it = NULL;
	if (in_new && !in_old) {
		it = add_item(d, SP_DIFF_ADDED, SP_ABI_UNKNOWN, name);
		/* OLD gave it its default action. */
		it->widens = nperm > permissiveness(old->def);
	} else if (in_old && !in_new) {
		it = add_item(d, SP_DIFF_REMOVED, SP_ABI_UNKNOWN, name);
		it->widens = permissiveness(new_->def) > operm;
	} else if (in_old && in_new) {
		bool same = sp_strv_len(ov) == sp_strv_len(nv);
		bool widens = false;
		for (size_t i = 0; nv[i]; i++) {
			if (!strv_has(ov, nv[i]))
				same = false;
			if (!covered(ov, nv[i]))
				widens = true;
		}
		if (!same) {
			it = add_item(d, SP_DIFF_CHANGED, SP_ABI_UNKNOWN, name);
			it->widens = widens;
		}
	}
	if (it) {
		it->before = in_old ? join(ov) : NULL;
		it->after = in_new ? join(nv) : NULL;
	}
	sp_strv_free(ov);
	sp_strv_free(nv);
}

struct sp_diff *sp_diff_policies(const struct sp_policy *old, const struct sp_policy *new_)
{
	struct sp_diff *d = xcalloc(1, sizeof(*d));
	d->abis_added = new_->abis & ~old->abis;
	d->abis_removed = old->abis & ~new_->abis;
	d->old_default = old->def;
	d->new_default = new_->def;
	d->default_changed = !sp_action_equal(old->def, new_->def);
	/* Each distinct name once, from either side. */
	const struct sp_policy *ps[2] = {old, new_};
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < ps[k]->nrules; i++) {
			const char *name = ps[k]->rules[i].name;
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = !strcmp(ps[k]->rules[j].name, name);
			for (size_t j = 0; k == 1 && j < old->nrules && !seen; j++)
				seen = !strcmp(old->rules[j].name, name);
			if (!seen)
				diff_name(d, old, new_, name);
		}
	}
	finish(d);
	return d;
}

/* ---- verdict ---------------------------------------------------------- */

static const char *const fail_names[] = {
	[SP_FAIL_ADDED] = "added", [SP_FAIL_REMOVED] = "removed", [SP_FAIL_ANY] = "any", [SP_FAIL_NONE] = "none"};

int sp_fail_on_parse(const char *s)
{
	for (size_t i = 0; s && i < SP_ARRAY_SIZE(fail_names); i++)
		if (!strcmp(s, fail_names[i]))
			return (int)i;
	return -1;
}

const char *sp_fail_on_name(enum sp_fail_on f)
{
	return (size_t)f < SP_ARRAY_SIZE(fail_names) ? fail_names[f] : "?";
}

bool sp_diff_empty(const struct sp_diff *d)
{
	return !d->n && !d->abis_added && !d->abis_removed && !d->default_changed;
}

bool sp_diff_fails(const struct sp_diff *d, enum sp_fail_on f)
{
	switch (f) {
	case SP_FAIL_NONE:
		return false;
	case SP_FAIL_ANY:
		return !sp_diff_empty(d);
	case SP_FAIL_REMOVED:
		return d->removed || d->abis_removed;
	case SP_FAIL_ADDED:
		if (d->abis_added)
			return true;
		if (d->default_changed && permissiveness(d->new_default) > permissiveness(d->old_default))
			return true;
		for (size_t i = 0; i < d->n; i++)
			if (d->items[i].widens)
				return true;
		return false;
	}
	return false;
}
