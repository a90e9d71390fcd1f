/* SPDX-License-Identifier: MIT */
#include "generator/args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/argspec.h"
#include "core/log.h"
#include "core/util.h"

/* Origins a rule may have and still be narrowed: it exists only because the
 * syscall was observed.  REQUIRED/RUNTIME/INPUT/BASELINE rules come from
 * calls whose arguments we never saw, so they stay unconditional. */
#define NARROWABLE (SP_ORIGIN_OBSERVED | SP_ORIGIN_TRANSLATED)

/* Alternatives for one argument: any one of c[] may hold (separate rules). */
struct alts {
	bool any; /* unconstrained */
	size_t n;
	struct sp_cond c[SP_MAX_ARG_VALUES + 2];
};

/* Values recorded for argument argno of the table row of name, over the
 * entries of rec on the ABIs in mask (0 = all). */
struct gathered {
	bool found;     /* some entry had the name */
	bool unusable;  /* a set was missing or overflowed, or positions differ */
	uint8_t idx;
	enum sp_abi abi; /* of the first entry found */
	struct sp_argset vals;
};

static bool rule_narrowable(const struct sp_rule *r)
{
	return r->ncond == 0 && r->action.kind == SP_ACT_ALLOW && r->origin && !(r->origin & ~NARROWABLE);
}

static void gather(const struct sp_recording *rec, const char *name, uint32_t mask, unsigned argno,
		   struct gathered *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < rec->cap; i++) {
		const struct sp_sysc *s = rec->slots[i];
		if (!s || !s->name || strcmp(s->name, name) || (mask && !(mask & sp_abi_bit(s->abi))))
			continue;
		const struct sp_argspec *sp = sp_argspec_by_name(s->abi, name);
		if (!sp || argno >= sp->nargs) {
			g->unusable = true; /* e.g. i386 old_mmap: prot is in memory */
			continue;
		}
		uint8_t idx = sp->arg[argno].idx;
		if (!g->found) {
			g->found = true;
			g->idx = idx;
			g->abi = s->abi;
		} else if (g->idx != idx) {
			g->unusable = true; /* clone on s390 and elsewhere in one policy */
		}
		const struct sp_argset *as = &s->args[idx];
		if (!as->used || as->overflow) {
			g->unusable = true;
			continue;
		}
		for (size_t k = 0; k < as->nvalues; k++)
			sp_argset_add(&g->vals, as->values[k]);
	}
	if (g->vals.overflow)
		g->unusable = true;
}

static void alt_add(struct alts *a, uint8_t idx, uint64_t mask, uint64_t val)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->c[i].value == mask && a->c[i].value2 == val)
			return;
	if (a->n >= SP_ARRAY_SIZE(a->c)) {
		a->any = true;
		return;
	}
	a->c[a->n++] = (struct sp_cond){.arg = idx, .op = SP_CMP_MASKED_EQ, .value = mask, .value2 = val};
}

/* State of clone3 after the pass, which decides what clone() must accept. */
struct clone3_plan {
	bool observed;
	bool enosys;       /* clone3 answered with ENOSYS */
	bool combos_known; /* ns combinations of clone3's flags are known */
	struct sp_argset combos;
};

static void build_alts(const struct gathered *g, const struct sp_argspec_arg *sa,
		       const struct clone3_plan *c3, struct alts *a)
{
	memset(a, 0, sizeof(*a));
	if (!g->found || g->unusable) {
		a->any = true;
		return;
	}
	switch ((enum sp_argkind)sa->kind) {
	case SP_ARGK_INT:
	case SP_ARGK_MUXCALL:
		for (size_t k = 0; k < g->vals.nvalues; k++)
			alt_add(a, g->idx, 0xffffffffu, g->vals.values[k] & 0xffffffffu);
		break;
	case SP_ARGK_SOCKTYPE: {
		uint32_t m = sp_argspec_socktype_mask(g->abi);
		for (size_t k = 0; k < g->vals.nvalues; k++)
			alt_add(a, g->idx, m, g->vals.values[k] & m);
		break;
	}
	case SP_ARGK_CLONEFLAGS:
		/* Only the namespace bits are constrained: thread/fork flag
		 * words differ between libc versions, namespaces are what
		 * a container profile must not hand out unseen. */
		if (c3->enosys && !c3->combos_known) {
			a->any = true; /* clone3 falls back here with unknown flags */
			return;
		}
		for (size_t k = 0; k < g->vals.nvalues; k++)
			alt_add(a, g->idx, SP_CLONE_NS_MASK, g->vals.values[k] & SP_CLONE_NS_MASK);
		if (c3->enosys)
			for (size_t k = 0; k < c3->combos.nvalues; k++)
				alt_add(a, g->idx, SP_CLONE_NS_MASK, c3->combos.values[k]);
		break;
	case SP_ARGK_PROT:
		for (size_t k = 0; k < g->vals.nvalues; k++)
			if ((g->vals.values[k] & (SP_PROT_WRITE | SP_PROT_EXEC)) == (SP_PROT_WRITE | SP_PROT_EXEC)) {
				a->any = true; /* W+X was observed: W^X would break it */
				return;
			}
		/* (prot & EXEC) == 0 OR (prot & WRITE) == 0: never both. */
		alt_add(a, g->idx, SP_PROT_EXEC, 0);
		alt_add(a, g->idx, SP_PROT_WRITE, 0);
		break;
	case SP_ARGK_CLONE3FLAGS:
		a->any = true; /* in memory: handled by the clone3 plan */
		break;
	}
	if (!a->n)
		a->any = true;
}

static char *note(const char *old, const char *add)
{
	if (!add)
		return old ? xstrdup(old) : NULL;
	return old ? xasprintf("%s; %s", old, add) : xstrdup(add);
}

static bool is_socket_family(const char *name)
{
	return !strcmp(name, "socket") || !strcmp(name, "socketpair") || !strcmp(name, "setsockopt") ||
	       !strcmp(name, "getsockopt");
}

struct pass {
	struct sp_policy *p;
	const struct sp_recording *rec;
	struct clone3_plan c3;
	struct sp_argrules_stats st;
	bool warned_mux;
};

/* Appends to p the rules replacing old (one of the old rules, not in p);
 * returns false when old must stay as it is. */
static bool narrow(struct pass *ps, const struct sp_rule *old)
{
	const struct sp_argspec *sp = NULL;
	/* Any ABI gives the row's shape; positions come from gather(). */
	for (int abi = 0; abi < SP_ABI_COUNT && !sp; abi++)
		sp = sp_argspec_by_name((enum sp_abi)abi, old->name);
	if (!sp || sp->arg[0].kind == SP_ARGK_CLONE3FLAGS)
		return false;

	uint32_t ruleabis = old->abis ? old->abis : ps->p->abis;
	struct alts *a = xcalloc(sp->nargs, sizeof(*a));
	bool found = false;
	for (unsigned i = 0; i < sp->nargs; i++) {
		struct gathered g;
		gather(ps->rec, old->name, old->abis, i, &g);
		found |= g.found;
		/* The conditions apply on every ABI of the rule, also those
		 * it was only translated to: the argument must sit at the
		 * same position there (not so for i386's old_mmap, or clone
		 * on s390 next to another ABI). */
		for (int abi = 0; abi < SP_ABI_COUNT; abi++) {
			if (!(ruleabis & sp_abi_bit((enum sp_abi)abi)))
				continue;
			const struct sp_argspec *o = sp_argspec_by_name((enum sp_abi)abi, old->name);
			if (!o || o->nargs <= i || o->arg[i].idx != g.idx)
				g.unusable = true;
		}
		build_alts(&g, &sp->arg[i], &ps->c3, &a[i]);
	}
	/* Cross product, bounded: leave trailing arguments unconstrained
	 * until it fits. */
	size_t total = 1;
	for (unsigned i = 0; i < sp->nargs; i++)
		total *= a[i].any ? 1 : a[i].n;
	for (unsigned i = sp->nargs; i-- > 1 && total > SP_ARGRULES_MAX;) {
		if (!a[i].any) {
			total /= a[i].n;
			a[i].any = true;
		}
	}
	bool constrained = false;
	for (unsigned i = 0; i < sp->nargs; i++)
		constrained |= !a[i].any;
	if (!found || !constrained || total > SP_ARGRULES_MAX) {
		free(a);
		return false;
	}

	const char *why = NULL;
	uint32_t muxabis = 0;
	for (int abi = 0; abi < SP_ABI_COUNT; abi++)
		if (sp_argspec_abi_multiplexes((enum sp_abi)abi))
			muxabis |= sp_abi_bit((enum sp_abi)abi);
	if (is_socket_family(old->name) && (ruleabis & muxabis)) {
		why = "argument conditions not enforced for callers of socketcall() on ABIs that multiplex it";
		if (!ps->warned_mux) {
			enum sp_abi mabi = SP_ABI_I386;
			for (int abi = SP_ABI_COUNT; abi-- > 0;)
				if (ruleabis & muxabis & sp_abi_bit((enum sp_abi)abi))
					mabi = (enum sp_abi)abi;
			sp_warn("argument rules for %s (and the other socket calls) are not enforced on %s for "
				"programs that use socketcall(): libseccomp allows the socketcall() form by call "
				"number only, the real arguments are behind a pointer",
				old->name, sp_abi_name(mabi));
			ps->warned_mux = true;
		}
	}

	/* Odometer over the alternatives of each argument. */
	size_t pos[2] = {0, 0};
	for (size_t k = 0; k < total; k++) {
		struct sp_rule *r = sp_policy_add_rule(ps->p, old->name, old->action);
		r->abis = old->abis;
		r->origin = old->origin;
		r->comment = note(old->comment, why);
		for (unsigned i = 0; i < sp->nargs; i++)
			if (!a[i].any)
				r->cond[r->ncond++] = a[i].c[pos[i]];
		for (unsigned i = sp->nargs; i-- > 0;) {
			if (a[i].any)
				continue;
			if (++pos[i] < a[i].n)
				break;
			pos[i] = 0;
		}
		ps->st.rules++;
	}
	ps->st.narrowed++;
	free(a);
	return true;
}

/* Decides what happens to clone3 (see generator/args.h). */
static void plan_clone3(struct pass *ps)
{
	struct clone3_plan *c3 = &ps->c3;
	struct gathered g;
	gather(ps->rec, "clone3", 0, 0, &g);
	c3->observed = g.found;
	if (!g.found)
		return;
	bool expressible = !g.unusable;
	for (size_t k = 0; expressible && k < g.vals.nvalues; k++) {
		uint64_t v = g.vals.values[k];
		/* Flags clone() cannot take: anything above 32 bits
		 * (CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP) and the low byte
		 * (CLONE_NEWTIME; clone() reads it as the exit signal). */
		if (v > 0xffffffffu || (v & SP_CSIGNAL))
			expressible = false;
		else
			sp_argset_add(&c3->combos, v & SP_CLONE_NS_MASK);
	}
	bool narrowable = false;
	for (size_t i = 0; i < ps->p->nrules; i++) {
		const struct sp_rule *r = &ps->p->rules[i];
		if (!strcmp(r->name, "clone3") && r->ncond == 0 && r->action.kind == SP_ACT_ALLOW)
			narrowable = rule_narrowable(r);
	}
	bool allowed = sp_policy_allows(ps->p, "clone3");
	if (allowed && narrowable && expressible) {
		c3->enosys = true;
		c3->combos_known = true;
	} else if (!allowed) {
		/* Already answered otherwise (e.g. ENOSYS by the generator):
		 * clone() must take its fallback calls. */
		c3->enosys = true;
		c3->combos_known = expressible;
	} else if (!expressible) {
		sp_warn("clone3 stays allowed without restriction: it was called with flags clone() cannot "
			"express, and its flags live in memory where no seccomp filter can check them");
	}
}

static void push_rule(struct sp_policy *p, const struct sp_rule *r)
{
	xgrow((void **)&p->rules, &p->cap, p->nrules + 1, sizeof(*p->rules));
	p->rules[p->nrules++] = *r;
}

/* Drops conditional rules for names that also have an unconditional rule:
 * in libseccomp the unconditional one wins, so they are dead weight and
 * make the profile look narrower than it is. */
static void drop_shadowed(struct sp_policy *p)
{
	size_t w = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		struct sp_rule *r = &p->rules[i];
		uint32_t rabis = r->abis ? r->abis : p->abis;
		bool shadowed = false;
		for (size_t j = 0; r->ncond && j < p->nrules && !shadowed; j++) {
			const struct sp_rule *u = &p->rules[j];
			shadowed = !u->ncond && !strcmp(u->name, r->name) && (!u->abis || !(rabis & ~u->abis));
		}
		if (shadowed) {
			free(r->name);
			free(r->comment);
			continue;
		}
		p->rules[w++] = *r;
	}
	p->nrules = w;
}

void sp_argrules_apply(struct sp_policy *p, const struct sp_recording *rec, struct sp_argrules_stats *stats)
{
	struct pass ps = {.p = p, .rec = rec};
	plan_clone3(&ps);

	/* Take the rules out and put them (or their replacements) back. */
	struct sp_rule *old = p->rules;
	size_t nold = p->nrules;
	p->rules = NULL;
	p->nrules = p->cap = 0;
	bool clone_narrowed = false, have_clone3 = false;
	for (size_t i = 0; i < nold; i++) {
		struct sp_rule *r = &old[i];
		bool in_table = false;
		for (int abi = 0; abi < SP_ABI_COUNT && !in_table; abi++)
			in_table = sp_argspec_by_name((enum sp_abi)abi, r->name) != NULL;
		if (!strcmp(r->name, "clone3") && rule_narrowable(r) && ps.c3.enosys) {
			if (sp_action_equal(p->def, sp_action_errno(ENOSYS)))
				goto drop; /* the default already says ENOSYS */
			r->action = sp_action_errno(ENOSYS);
			r->origin |= SP_ORIGIN_ENOSYS;
			char *c = note(r->comment, "flags are in memory, out of a filter's reach: ENOSYS makes libc "
						   "fall back to clone(), whose flags are checked");
			free(r->comment);
			r->comment = c;
		} else if (in_table && rule_narrowable(r)) {
			if (narrow(&ps, r)) {
				clone_narrowed |= !strcmp(r->name, "clone");
				goto drop;
			}
			ps.st.unconstrained++;
		}
		have_clone3 |= !strcmp(r->name, "clone3");
		push_rule(p, r); /* moves name and comment */
		continue;
	drop:
		free(r->name);
		free(r->comment);
	}
	free(old);

	/* clone3 answered with ENOSYS but clone() never observed: clone()
	 * must accept the fallback calls, with clone3's namespace
	 * combinations. */
	if (ps.c3.enosys && ps.c3.combos_known && !sp_policy_find(p, "clone")) {
		for (size_t k = 0; k < ps.c3.combos.nvalues; k++) {
			struct sp_rule *r = sp_policy_add_rule(p, "clone", sp_action_allow());
			r->origin = SP_ORIGIN_OBSERVED;
			r->comment = xstrdup("fallback of clone3 (answered with ENOSYS)");
			bool s390 = p->abis & (sp_abi_bit(SP_ABI_S390) | sp_abi_bit(SP_ABI_S390X));
			r->cond[r->ncond++] = (struct sp_cond){.arg = s390 ? 1 : 0, .op = SP_CMP_MASKED_EQ,
							       .value = SP_CLONE_NS_MASK,
							       .value2 = ps.c3.combos.values[k]};
			ps.st.rules++;
		}
		clone_narrowed = true;
	}
	/* clone() filtered and clone3 never seen: answer clone3 with ENOSYS
	 * rather than the default errno, which glibc treats as fatal instead
	 * of falling back (formats-reference 8.4). */
	if (clone_narrowed && !have_clone3 && !ps.c3.observed &&
	    !sp_action_equal(p->def, sp_action_errno(ENOSYS))) {
		struct sp_rule *r = sp_policy_add_rule(p, "clone3", sp_action_errno(ENOSYS));
		r->origin = SP_ORIGIN_ENOSYS;
		r->comment = xstrdup("so that libc falls back to the filtered clone()");
	}
	drop_shadowed(p);
	if (stats)
		*stats = ps.st;
}
