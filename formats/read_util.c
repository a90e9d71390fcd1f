/* SPDX-License-Identifier: MIT */
#include "formats/read_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/abi.h"
#include "core/log.h"
#include "core/overlap.h"
#include "core/util.h"

void sp_rd_release(struct sp_rd *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		free(c->rule_where[i]);
	free(c->rule_where);
	free(c->rule_soft);
	free(c->rule_drop);
	free(c->rule_next);
	free(c->names);
	c->rule_where = NULL;
	c->rule_soft = c->rule_drop = NULL;
	c->rule_next = NULL;
	c->names = NULL;
	c->nrules = c->cap = c->nlive = c->names_cap = c->nnames = 0;
}

static size_t hash_name(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of name in c->names (empty if absent). */
static struct sp_rd_name *name_slot(const struct sp_rd *c, const char *name)
{
	size_t i = hash_name(name) & (c->names_cap - 1);
	while (c->names[i].name && strcmp(c->names[i].name, name))
		i = (i + 1) & (c->names_cap - 1);
	return &c->names[i];
}

/* Remembers rule i (named name) as the last of its name. */
static void name_add(struct sp_rd *c, const char *name, size_t i)
{
	if ((c->nnames + 1) * 2 > c->names_cap) {
		struct sp_rd_name *old = c->names;
		size_t ocap = c->names_cap;
		c->names_cap = ocap ? ocap * 2 : 64;
		c->names = xcalloc(c->names_cap, sizeof(*c->names));
		for (size_t k = 0; k < ocap; k++)
			if (old[k].name)
				*name_slot(c, old[k].name) = old[k];
		free(old);
	}
	struct sp_rd_name *e = name_slot(c, name);
	c->rule_next[i] = SIZE_MAX;
	if (e->name) {
		c->rule_next[e->last] = i;
		e->last = i;
	} else {
		*e = (struct sp_rd_name){name, i, i};
		c->nnames++;
	}
}

int sp_rd_error(const struct sp_rd *c, const json_t *node, const char *where, struct sp_err *err,
		const char *fmt, ...)
{
	char msg[SP_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	unsigned line, col;
	if (sp_ymarks_get(c->marks, node, &line, &col))
		return sp_err_set(err, -EINVAL, "%s:%u:%u: %s: %s", c->file, line, col, where, msg);
	return sp_err_set(err, -EINVAL, "%s: %s: %s", c->file, where, msg);
}

static json_t *member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

#define MISSING(c, obj, where, key, err, required)                                                    \
	((required) ? sp_rd_error(c, obj, where, err, "missing required key \"%s\"", key) : 0)

int sp_rd_str(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	      const char **out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, obj, where, key, err, required);
	if (!json_is_string(v))
		return sp_rd_error(c, v, where, err, "\"%s\": expected a string", key);
	*out = json_string_value(v);
	return 0;
}

bool sp_rd_node_u64(const json_t *v, uint64_t *out)
{
	/* Negative json integers only come from literals >= 2^63 (the loaders
	 * refuse negative literals); reals are never integers. */
	if (!json_is_integer(v))
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

int sp_rd_u64(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	      uint64_t max, uint64_t *out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, obj, where, key, err, required);
	uint64_t n;
	if (!sp_rd_node_u64(v, &n))
		return sp_rd_error(c, v, where, err, "\"%s\": expected a non-negative integer", key);
	if (n > max)
		return sp_rd_error(c, v, where, err, "\"%s\": %llu is out of range (at most %llu)", key,
				   (unsigned long long)n, (unsigned long long)max);
	*out = n;
	return 0;
}

int sp_rd_bool(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	       bool *out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, obj, where, key, err, required);
	if (!json_is_boolean(v))
		return sp_rd_error(c, v, where, err, "\"%s\": expected true or false", key);
	*out = json_is_true(v);
	return 0;
}

static int get_container(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
			 json_type type, json_t **out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, obj, where, key, err, required);
	if (json_typeof(v) != type)
		return sp_rd_error(c, v, where, err, "\"%s\": expected %s", key,
				   type == JSON_OBJECT ? "an object" : "a list");
	*out = v;
	return 0;
}

int sp_rd_array(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
		json_t **out, struct sp_err *err)
{
	return get_container(c, obj, where, key, required, JSON_ARRAY, out, err);
}

int sp_rd_object(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
		 json_t **out, struct sp_err *err)
{
	return get_container(c, obj, where, key, required, JSON_OBJECT, out, err);
}

int sp_rd_item_str(const struct sp_rd *c, json_t *arr, const char *where, size_t i, const char **out,
		   struct sp_err *err)
{
	json_t *v = json_array_get(arr, i);
	if (!json_is_string(v))
		return sp_rd_error(c, v ? v : arr, where, err, "[%zu]: expected a string", i);
	*out = json_string_value(v);
	return 0;
}

int sp_rd_keys(const struct sp_rd *c, json_t *obj, const char *where, const char *const *allowed,
	       struct sp_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *near = NULL;
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++) {
			ok = !strcmp(*a, key);
			if (!strcasecmp(*a, key))
				near = *a;
		}
		if (ok)
			continue;
		if (near)
			return sp_rd_error(c, v, where, err,
					   "unknown key \"%s\" (did you mean \"%s\"? Go runtimes match keys "
					   "case-insensitively, other readers do not)",
					   key, near);
		return sp_rd_error(c, v, where, err, "unknown key \"%s\"", key);
	}
	return 0;
}

static bool same_conds(const struct sp_cond *a, uint8_t na, const struct sp_cond *b, uint8_t nb)
{
	if (na != nb)
		return false;
	/* Each index appears at most once per rule (readers enforce it), so
	 * matching by index is matching the sets. */
	for (uint8_t i = 0; i < na; i++) {
		bool found = false;
		for (uint8_t j = 0; j < nb && !found; j++)
			found = a[i].arg == b[j].arg && a[i].op == b[j].op && a[i].value == b[j].value &&
				a[i].value2 == b[j].value2;
		if (!found)
			return false;
	}
	return true;
}

int sp_rd_add_rule(struct sp_rd *c, struct sp_policy *p, const json_t *node, const char *where, bool soft,
		   const char *name, struct sp_action action, const struct sp_cond *cond, uint8_t ncond,
		   const char *comment, struct sp_err *err)
{
	char a1[32], a2[32];
	if (!sp_abi_syscall_known(name))
		return sp_rd_error(c, node, where, err,
				   "unknown syscall \"%s\" (this libseccomp does not know it; runc and crun "
				   "would skip it silently)",
				   name);
	if (sp_action_equal(action, p->def))
		return 0;
	size_t first = SIZE_MAX;
	if (c->names_cap && name_slot(c, name)->name)
		first = name_slot(c, name)->first;
	for (size_t i = first; i != SIZE_MAX; i = c->rule_next[i]) {
		const struct sp_rule *o = &p->rules[i];
		if (c->rule_drop[i])
			continue;
		bool same_act = sp_action_equal(o->action, action);
		bool either_soft = soft || c->rule_soft[i];
		if (same_conds(o->cond, o->ncond, cond, ncond)) {
			/* Between entries with includes/excludes this is how
			 * shipped profiles read (containers-common: setns ALLOW,
			 * and ERRNO unless CAP_SYS_ADMIN): libseccomp keeps the
			 * first rule and silently ignores the second, so runc,
			 * crun and Podman enforce the first.  We do the same and
			 * say so; without includes/excludes it is a mistake. */
			if (!same_act && either_soft) {
				sp_warn("%s: %s: rule for \"%s\" (%s) has no effect: %s at %s comes first, and runc, crun "
					"and Podman keep the first of two such rules",
					c->file, where, name, sp_action_str(action, a1, sizeof(a1)),
					sp_action_str(o->action, a2, sizeof(a2)), c->rule_where[i]);
				return 0;
			}
			if (!same_act)
				return sp_rd_error(c, node, where, err,
						   "conflicting rules for \"%s\": %s here, %s at %s", name,
						   sp_action_str(action, a1, sizeof(a1)),
						   sp_action_str(o->action, a2, sizeof(a2)), c->rule_where[i]);
			if (soft || c->rule_soft[i])
				return 0; /* the same rule under another condition: merged */
			return sp_rd_error(c, node, where, err, "duplicate rule for \"%s\" (also at %s)", name,
					   c->rule_where[i]);
		}
		if (o->ncond && ncond) {
			/* OR of different conditions: fine unless one call can
			 * match both with different actions (core/overlap.h).
			 * Compared as 64-bit values here; rules that meet only in
			 * their low words are refused by the compilers, which
			 * know whether a 32-bit ABI is in the policy. */
			uint64_t w[6];
			if (!same_act && sp_cond_overlap(o->cond, o->ncond, cond, ncond, 64, w))
				return sp_rd_error(c, node, where, err,
						   "ambiguous rules for \"%s\": %s here and %s at %s can both "
						   "match (e.g. arguments 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
						   ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
						   ") and which one wins is up to libseccomp's internals; make "
						   "their conditions exclusive",
						   name, sp_action_str(action, a1, sizeof(a1)),
						   sp_action_str(o->action, a2, sizeof(a2)), c->rule_where[i], w[0], w[1],
						   w[2], w[3], w[4], w[5]);
			continue;
		}
		/* One unconditional, one conditional: libseccomp lets the
		 * unconditional rule win, so the conditional one is dead. */
		if (!same_act && either_soft) {
			sp_warn("%s: %s: rule for \"%s\" (%s with conditions) has no effect: the unconditional "
				"rule (%s) at %s wins in libseccomp, so in runc, crun and Podman",
				c->file, ncond ? where : c->rule_where[i], name,
				sp_action_str(ncond ? action : o->action, a1, sizeof(a1)),
				sp_action_str(ncond ? o->action : action, a2, sizeof(a2)), ncond ? c->rule_where[i] : where);
			if (ncond)
				return 0;
			c->rule_drop[i] = true;
			c->nlive--;
			continue;
		}
		if (!same_act)
			return sp_rd_error(c, node, where, err,
					   "conflicting rules for \"%s\": %s %s here, %s %s at %s (the unconditional "
					   "one would always win)",
					   name, sp_action_str(action, a1, sizeof(a1)),
					   ncond ? "with conditions" : "unconditionally",
					   sp_action_str(o->action, a2, sizeof(a2)),
					   o->ncond ? "with conditions" : "unconditionally", c->rule_where[i]);
		if (!soft && !c->rule_soft[i])
			return sp_rd_error(c, node, where, err,
					   "redundant rules for \"%s\": the unconditional rule %s makes the "
					   "conditional one %s pointless",
					   name, ncond ? c->rule_where[i] : "here",
					   ncond ? "here" : c->rule_where[i]);
		if (ncond)
			return 0; /* already allowed unconditionally */
		c->rule_drop[i] = true;
		c->nlive--;
	}
	if (c->nlive >= SP_MAX_RULES)
		return sp_rd_error(c, node, where, err,
				   "more than %d rules: no seccomp filter can hold them (the kernel loads at most "
				   "4096 BPF instructions per filter and every rule needs one at least)",
				   SP_MAX_RULES);
	xgrow((void **)&c->rule_where, &c->cap, c->nrules + 1, sizeof(*c->rule_where));
	c->rule_soft = xrealloc(c->rule_soft, c->cap * sizeof(*c->rule_soft));
	c->rule_drop = xrealloc(c->rule_drop, c->cap * sizeof(*c->rule_drop));
	c->rule_next = xrealloc(c->rule_next, c->cap * sizeof(*c->rule_next));
	c->rule_where[c->nrules] = xstrdup(where);
	c->rule_soft[c->nrules] = soft;
	c->rule_drop[c->nrules] = false;
	c->nrules++;
	c->nlive++;
	struct sp_rule *r = sp_policy_add_rule(p, name, action);
	name_add(c, r->name, c->nrules - 1);
	r->ncond = ncond;
	if (ncond) /* cond may be NULL then, and memcpy(x, NULL, 0) is undefined */
		memcpy(r->cond, cond, ncond * sizeof(*cond));
	r->origin = SP_ORIGIN_INPUT;
	r->comment = comment && *comment ? xstrdup(comment) : NULL;
	return 0;
}

void sp_rd_finish(struct sp_rd *c, struct sp_policy *p)
{
	size_t w = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		if (i < c->nrules && c->rule_drop[i]) {
			free(p->rules[i].name);
			free(p->rules[i].comment);
			continue;
		}
		p->rules[w++] = p->rules[i];
	}
	p->nrules = w;
	sp_policy_sort(p);
	sp_rd_release(c);
}
