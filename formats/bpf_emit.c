/* SPDX-License-Identifier: MIT */
#include "formats/bpf_emit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/overlap.h"
#include "core/util.h"

#define MAXINSNS    4096
#define RET_KILLP   0x80000000u
#define OFF_NR      0u
#define OFF_ARCH    4u
#define OFF_ARG(i)  (16u + 8u * (i))
#define LBL_NEXT    (-1)
#define LEAF_SIZE   4

/* ---- a tiny assembler: instructions with symbolic jump targets --------- */

enum ins_type { I_STMT, I_JCOND, I_JA, I_LABEL };

struct ins {
	enum ins_type type;
	uint16_t code;
	uint32_t k;
	int jt, jf;      /* I_JCOND: label ids or LBL_NEXT */
	int target;      /* I_JA: label id; I_LABEL: its id */
	bool long_form;  /* I_JCOND too far for 8-bit offsets: jcond 0,1; ja jt; ja jf */
	char *note;
};

struct as {
	size_t n, cap;
	struct ins *v;
	int nlabels;
};

static struct ins *as_add(struct as *a, enum ins_type t, const char *note)
{
	xgrow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v));
	struct ins *i = &a->v[a->n++];
	memset(i, 0, sizeof(*i));
	i->type = t;
	i->note = note ? xstrdup(note) : NULL;
	return i;
}

static int as_label(struct as *a)
{
	return a->nlabels++;
}

static void as_place(struct as *a, int label)
{
	as_add(a, I_LABEL, NULL)->target = label;
}

static void as_stmt(struct as *a, uint16_t code, uint32_t k, const char *note)
{
	struct ins *i = as_add(a, I_STMT, note);
	i->code = code;
	i->k = k;
}

static void as_ld(struct as *a, uint32_t off, const char *note)
{
	as_stmt(a, BPF_LD | BPF_W | BPF_ABS, off, note);
}

static void as_ret(struct as *a, uint32_t v, const char *note)
{
	as_stmt(a, BPF_RET | BPF_K, v, note);
}

static void as_jcond(struct as *a, uint16_t op, uint32_t k, int jt, int jf, const char *note)
{
	struct ins *i = as_add(a, I_JCOND, note);
	i->code = BPF_JMP | op | BPF_K;
	i->k = k;
	i->jt = jt;
	i->jf = jf;
}

static size_t ins_size(const struct ins *i)
{
	switch (i->type) {
	case I_LABEL: return 0;
	case I_JCOND: return i->long_form ? 3 : 1;
	default: return 1;
	}
}

/* Resolves labels, widening conditional jumps whose targets are more than
 * 255 instructions away (classic BPF's jt/jf are 8 bits; ja has 32). */
static int as_finish(struct as *a, struct sp_bpf_prog *out, struct sp_err *err)
{
	size_t *pos = xcalloc(a->n + 1, sizeof(size_t));
	size_t *lpos = xcalloc((size_t)a->nlabels + 1, sizeof(size_t));
	size_t total;
	bool changed;
	do {
		size_t p = 0;
		for (size_t i = 0; i < a->n; i++) {
			pos[i] = p;
			if (a->v[i].type == I_LABEL)
				lpos[a->v[i].target] = p;
			p += ins_size(&a->v[i]);
		}
		total = p;
		changed = false;
		for (size_t i = 0; i < a->n; i++) {
			struct ins *in = &a->v[i];
			if (in->type != I_JCOND || in->long_form)
				continue;
			size_t dt = in->jt == LBL_NEXT ? 0 : lpos[in->jt] - pos[i] - 1;
			size_t df = in->jf == LBL_NEXT ? 0 : lpos[in->jf] - pos[i] - 1;
			if (dt > 255 || df > 255) {
				in->long_form = true;
				changed = true;
			}
		}
	} while (changed);

	if (total > MAXINSNS) {
		free(pos);
		free(lpos);
		return sp_err_set(err, -E2BIG, "the BPF program would have %zu instructions; the kernel accepts at most %d",
				  total, MAXINSNS);
	}
	out->len = total;
	out->insns = xcalloc(total ? total : 1, sizeof(struct sock_filter));
	out->notes = xcalloc(total ? total : 1, sizeof(char *));
	for (size_t i = 0; i < a->n; i++) {
		struct ins *in = &a->v[i];
		size_t p = pos[i];
		if (in->type == I_LABEL)
			continue;
		out->notes[p] = steal_ptr(in->note);
		if (in->type == I_STMT) {
			out->insns[p] = (struct sock_filter)BPF_STMT(in->code, in->k);
		} else if (in->type == I_JA) {
			out->insns[p] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(lpos[in->target] - p - 1));
		} else if (!in->long_form) {
			size_t dt = in->jt == LBL_NEXT ? 0 : lpos[in->jt] - p - 1;
			size_t df = in->jf == LBL_NEXT ? 0 : lpos[in->jf] - p - 1;
			out->insns[p] = (struct sock_filter)BPF_JUMP(in->code, in->k, (uint8_t)dt, (uint8_t)df);
		} else {
			size_t after = p + 3;
			size_t tt = in->jt == LBL_NEXT ? after : lpos[in->jt];
			size_t tf = in->jf == LBL_NEXT ? after : lpos[in->jf];
			out->insns[p] = (struct sock_filter)BPF_JUMP(in->code, in->k, 0, 1);
			out->insns[p + 1] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(tt - (p + 1) - 1));
			out->insns[p + 2] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(tf - (p + 2) - 1));
		}
	}
	free(pos);
	free(lpos);
	return 0;
}

static void as_release(struct as *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].note);
	free(a->v);
}

/* ---- the seccomp program -------------------------------------------- */

struct handler {
	int64_t nr;
	const char *name;
	const struct sp_rule *uncond;
	size_t ncond;
	/* generate --args writes up to 64 rules for one name (one per
	 * recorded value, SP_ARGRULES_MAX in generator/args.h), e.g. ioctl
	 * requests; more is refused below. */
	const struct sp_rule *cond[64];
};

struct emitter {
	struct as as;
	const struct sp_policy *p;
	uint32_t def;
	bool big_endian;
	bool bits32; /* 32-bit ABI: libseccomp compares the low words only */
};

static int cmp_handler(const void *pa, const void *pb)
{
	const struct handler *a = pa, *b = pb;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

/* The kernel's precedence of a SECCOMP_RET_* value: lower is stronger
 * (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW). */
static int32_t precedence(uint32_t ret)
{
	return (int32_t)(ret & 0xffff0000u);
}

/* Conditional rules are tried in order, the first whose conditions hold
 * wins.  Rules of one number with different actions that can match one
 * call are refused (core/overlap.h), except where a multiplexer
 * (socketcall/ipc) collects rules of several names: there the strongest
 * action is tried first, as the kernel does between stacked filters.
 * Insertion sort: stable, and there are few rules per number. */
static void order_by_precedence(struct handler *h)
{
	for (size_t i = 1; i < h->ncond; i++) {
		const struct sp_rule *r = h->cond[i];
		int32_t k = precedence(sp_action_seccomp_ret(r->action));
		size_t j = i;
		for (; j > 0 && precedence(sp_action_seccomp_ret(h->cond[j - 1]->action)) > k; j--)
			h->cond[j] = h->cond[j - 1];
		h->cond[j] = r;
	}
}

/* One argument condition: falls through when it holds, jumps to fail
 * otherwise.  64-bit values are compared high word first. */
static void emit_cond(struct emitter *e, const struct sp_cond *c, int fail)
{
	struct as *a = &e->as;
	uint32_t lo_off = OFF_ARG(c->arg) + (e->big_endian ? 4 : 0);
	uint32_t hi_off = OFF_ARG(c->arg) + (e->big_endian ? 0 : 4);
	uint32_t vh = (uint32_t)(c->value >> 32), vl = (uint32_t)c->value;
	int pass = as_label(a);
	char note[64];
	snprintf(note, sizeof(note), "arg%u %s %#llx", c->arg, sp_cmp_scmp_name(c->op) + 9,
		 (unsigned long long)c->value);
	if (e->bits32) {
		/* Arguments of 32-bit ABIs are 32-bit registers; like
		 * libseccomp, compare the low word with the value truncated. */
		uint32_t ml = vl, dl = (uint32_t)c->value2 & ml;
		as_ld(a, lo_off, note);
		switch (c->op) {
		case SP_CMP_EQ: as_jcond(a, BPF_JEQ, vl, LBL_NEXT, fail, NULL); break;
		case SP_CMP_NE: as_jcond(a, BPF_JEQ, vl, fail, LBL_NEXT, NULL); break;
		case SP_CMP_GT: as_jcond(a, BPF_JGT, vl, LBL_NEXT, fail, NULL); break;
		case SP_CMP_GE: as_jcond(a, BPF_JGE, vl, LBL_NEXT, fail, NULL); break;
		case SP_CMP_LT: as_jcond(a, BPF_JGE, vl, fail, LBL_NEXT, NULL); break;
		case SP_CMP_LE: as_jcond(a, BPF_JGT, vl, fail, LBL_NEXT, NULL); break;
		case SP_CMP_MASKED_EQ:
			as_stmt(a, BPF_ALU | BPF_AND | BPF_K, ml, NULL);
			as_jcond(a, BPF_JEQ, dl, LBL_NEXT, fail, NULL);
			break;
		}
		as_place(a, pass);
		return;
	}
	switch (c->op) {
	case SP_CMP_EQ:
		as_ld(a, hi_off, note);
		as_jcond(a, BPF_JEQ, vh, LBL_NEXT, fail, NULL);
		as_ld(a, lo_off, NULL);
		as_jcond(a, BPF_JEQ, vl, LBL_NEXT, fail, NULL);
		break;
	case SP_CMP_NE:
		as_ld(a, hi_off, note);
		as_jcond(a, BPF_JEQ, vh, LBL_NEXT, pass, NULL);
		as_ld(a, lo_off, NULL);
		as_jcond(a, BPF_JEQ, vl, fail, LBL_NEXT, NULL);
		break;
	case SP_CMP_GT:
	case SP_CMP_GE:
		as_ld(a, hi_off, note);
		as_jcond(a, BPF_JGT, vh, pass, LBL_NEXT, NULL);
		as_jcond(a, BPF_JEQ, vh, LBL_NEXT, fail, NULL);
		as_ld(a, lo_off, NULL);
		as_jcond(a, c->op == SP_CMP_GT ? BPF_JGT : BPF_JGE, vl, LBL_NEXT, fail, NULL);
		break;
	case SP_CMP_LT: /* !(>=) */
	case SP_CMP_LE: /* !(>) */
		as_ld(a, hi_off, note);
		as_jcond(a, BPF_JGT, vh, fail, LBL_NEXT, NULL);
		as_jcond(a, BPF_JEQ, vh, LBL_NEXT, pass, NULL);
		as_ld(a, lo_off, NULL);
		as_jcond(a, c->op == SP_CMP_LT ? BPF_JGE : BPF_JGT, vl, fail, LBL_NEXT, NULL);
		break;
	case SP_CMP_MASKED_EQ: {
		/* Bits of the expected value outside the mask are ignored,
		 * as libseccomp (so runc and crun) does: masked, not "never
		 * equal". */
		uint32_t dh = (uint32_t)(c->value2 >> 32) & vh, dl = (uint32_t)c->value2 & vl;
		as_ld(a, hi_off, note);
		as_stmt(a, BPF_ALU | BPF_AND | BPF_K, vh, NULL);
		as_jcond(a, BPF_JEQ, dh, LBL_NEXT, fail, NULL);
		as_ld(a, lo_off, NULL);
		as_stmt(a, BPF_ALU | BPF_AND | BPF_K, vl, NULL);
		as_jcond(a, BPF_JEQ, dl, LBL_NEXT, fail, NULL);
		break;
	}
	}
	as_place(a, pass);
}

static void emit_handler(struct emitter *e, const struct handler *h)
{
	struct as *a = &e->as;
	char note[96];
	if (h->uncond) {
		char buf[32];
		snprintf(note, sizeof(note), "%s: %s", h->name, sp_action_str(h->uncond->action, buf, sizeof(buf)));
		as_ret(a, sp_action_seccomp_ret(h->uncond->action), note);
		return;
	}
	for (size_t i = 0; i < h->ncond; i++) {
		const struct sp_rule *r = h->cond[i];
		int fail = as_label(a);
		for (unsigned c = 0; c < r->ncond; c++)
			emit_cond(e, &r->cond[c], fail);
		char buf[32];
		snprintf(note, sizeof(note), "%s: %s if the conditions hold", h->name,
			 sp_action_str(r->action, buf, sizeof(buf)));
		as_ret(a, sp_action_seccomp_ret(r->action), note);
		as_place(a, fail);
	}
	snprintf(note, sizeof(note), "%s: no condition held, default action", h->name);
	as_ret(a, e->def, note);
}

/* Binary search over h[0..n) (sorted by number); leaves compare up to
 * LEAF_SIZE numbers and then return the default. */
static void emit_tree(struct emitter *e, const struct handler *h, size_t n)
{
	struct as *a = &e->as;
	char note[96];
	if (n <= LEAF_SIZE) {
		int lbl[LEAF_SIZE];
		for (size_t i = 0; i < n; i++) {
			lbl[i] = -1;
			/* Unconditional handlers with the same action share one ret. */
			for (size_t j = 0; j < i; j++)
				if (h[i].uncond && h[j].uncond && sp_action_equal(h[i].uncond->action, h[j].uncond->action))
					lbl[i] = lbl[j];
			if (lbl[i] < 0)
				lbl[i] = as_label(a);
			snprintf(note, sizeof(note), "%s (%lld)", h[i].name, (long long)h[i].nr);
			as_jcond(a, BPF_JEQ, (uint32_t)h[i].nr, lbl[i], LBL_NEXT, note);
		}
		as_ret(a, e->def, "not listed: default action");
		for (size_t i = 0; i < n; i++) {
			bool placed = false;
			for (size_t j = 0; j < i; j++)
				placed |= lbl[j] == lbl[i];
			if (placed)
				continue;
			as_place(a, lbl[i]);
			if (h[i].uncond) {
				/* name every syscall sharing this return */
				struct sp_buf b = SP_BUF_INIT;
				char buf[32];
				for (size_t j = i; j < n; j++)
					if (lbl[j] == lbl[i])
						sp_buf_printf(&b, "%s%s", b.len ? ", " : "", h[j].name);
				sp_buf_printf(&b, ": %s", sp_action_str(h[i].uncond->action, buf, sizeof(buf)));
				as_ret(a, sp_action_seccomp_ret(h[i].uncond->action), b.s);
				sp_buf_release(&b);
			} else {
				emit_handler(e, &h[i]);
			}
		}
		return;
	}
	size_t mid = n / 2;
	int right = as_label(a);
	snprintf(note, sizeof(note), "nr >= %lld (%s)?", (long long)h[mid].nr, h[mid].name);
	as_jcond(a, BPF_JGE, (uint32_t)h[mid].nr, right, LBL_NEXT, note);
	emit_tree(e, h, mid);
	as_place(a, right);
	emit_tree(e, h + mid, n - mid);
}

static struct handler *handler_for(struct handler *h, size_t *n, int64_t nr, const char *name)
{
	for (size_t j = 0; j < *n; j++)
		if (h[j].nr == nr)
			return &h[j];
	struct handler *t = &h[(*n)++];
	t->nr = nr;
	t->name = name;
	return t;
}

static int handler_add(struct handler *t, const struct sp_rule *r, struct sp_err *err)
{
	if (r->ncond == 0) {
		if (!t->uncond)
			t->uncond = r;
	} else if (t->ncond < SP_ARRAY_SIZE(t->cond)) {
		t->cond[t->ncond++] = r;
	} else {
		return sp_err_set(err, -E2BIG, "syscall '%s': more than %zu conditional rules", r->name,
				  SP_ARRAY_SIZE(t->cond));
	}
	return 0;
}

static int emit_rules(struct emitter *e, enum sp_abi abi, struct sp_err *err)
{
	const struct sp_policy *p = e->p;
	e->bits32 = sp_abi_get(abi)->bits == 32;
	/* Each rule can need its direct number and a multiplexer companion. */
	size_t cap = 2 * p->nrules + 1;
	struct handler *h = xcalloc(cap, sizeof(*h));
	struct sp_rule *companions = xcalloc(p->nrules + 1, sizeof(*companions));
	size_t n = 0, nc = 0;
	int r = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *rule = &p->rules[i];
		if (rule->abis && !(rule->abis & sp_abi_bit(abi)))
			continue;
		if (sp_action_seccomp_ret(rule->action) == e->def)
			continue;
		/* Readers never produce these, but a bad index would load past
		 * seccomp_data (a program the kernel refuses) and a bad operator
		 * indexed past the name table (found by tests/fuzz/fuzz_bpf_emit). */
		for (unsigned k = 0; k < rule->ncond; k++) {
			const struct sp_cond *c = &rule->cond[k];
			if (rule->ncond > 6 || c->arg > 5 || c->op < SP_CMP_NE || c->op > SP_CMP_MASKED_EQ) {
				r = sp_err_set(err, -EINVAL,
					       "syscall '%s': invalid argument condition (index %u, operator %d)",
					       rule->name, c->arg, (int)c->op);
				goto out;
			}
		}
		/* The kernel's number; socket and SysV IPC calls of multiplexing
		 * ABIs also (or only) go through socketcall/ipc, which
		 * libseccomp names with pseudo numbers: both forms get the rule. */
		uint32_t call;
		const char *muxname = sp_abi_multiplexer(abi, rule->name, &call);
		int64_t nr = sp_abi_syscall_nr(abi, rule->name);
		if (nr < 0 && !muxname) {
			if (!sp_abi_syscall_known(rule->name)) {
				r = sp_err_set(err, -EINVAL, "unknown syscall '%s' on ABI '%s'", rule->name,
					       sp_abi_name(abi));
				goto out;
			}
			continue; /* does not exist on this ABI: inert, like libseccomp */
		}
		if (nr >= 0 && (r = handler_add(handler_for(h, &n, nr, rule->name), rule, err)) < 0)
			goto out;
		if (!muxname)
			continue;
		/* Like libseccomp: the multiplexed form goes through
		 * socketcall/ipc with argument 0 = the call number.  libseccomp
		 * keeps the rule's other conditions as they are, on the
		 * multiplexer's own arguments (meaningless there: the real
		 * arguments sit behind a pointer, or shifted for ipc), and a
		 * condition on argument 0 gives way to the call number.  We do
		 * the same so that the C header and `run` agree; dropping them
		 * all allowed more than libseccomp (tests/fuzz/fuzz_bpf_emit). */
		static char ipc[] = "ipc", socketcall[] = "socketcall";
		char *mux = !strcmp(muxname, "ipc") ? ipc : socketcall;
		int64_t mnr = sp_abi_syscall_nr(abi, mux);
		if (mnr < 0)
			continue;
		struct sp_rule *c = &companions[nc++];
		c->name = mux;
		c->action = rule->action;
		c->ncond = 0;
		c->cond[c->ncond++] = (struct sp_cond){0, SP_CMP_EQ, call, 0};
		for (unsigned k = 0; k < rule->ncond; k++)
			if (rule->cond[k].arg != 0)
				c->cond[c->ncond++] = rule->cond[k];
		if ((r = handler_add(handler_for(h, &n, mnr, mux), c, err)) < 0)
			goto out;
	}
	qsort(h, n, sizeof(*h), cmp_handler);
	for (size_t i = 0; i < n; i++)
		order_by_precedence(&h[i]);
	emit_tree(e, h, n);
out:
	free(h);
	free(companions);
	return r;
}

int sp_bpf_emit(const struct sp_policy *p, uint32_t abis, struct sp_bpf_prog *out, struct sp_err *err)
{
	if (!abis)
		abis = p->abis;
	abis &= p->abis;
	if (!abis)
		return sp_err_set(err, -EINVAL, "the policy covers none of the requested ABIs");
	int r = sp_policy_check_ambiguous(p, abis, p->def, err);
	if (r < 0)
		return r;
	struct emitter e = {.p = p, .def = sp_action_seccomp_ret(p->def)};
	struct as *a = &e.as;
	char note[96];

	/* Distinct AUDIT_ARCH values, in ABI order (x86_64 and x32 share one). */
	uint32_t arches[SP_ABI_COUNT];
	enum sp_abi first[SP_ABI_COUNT];
	int labels[SP_ABI_COUNT];
	size_t narch = 0;
	for (int i = 0; i < SP_ABI_COUNT; i++) {
		if (!(abis & sp_abi_bit((enum sp_abi)i)))
			continue;
		uint32_t aa = sp_abi_get((enum sp_abi)i)->audit_arch;
		bool seen = false;
		for (size_t j = 0; j < narch; j++)
			seen |= arches[j] == aa;
		if (seen)
			continue;
		arches[narch] = aa;
		first[narch] = (enum sp_abi)i;
		labels[narch] = as_label(a);
		narch++;
	}

	as_ld(a, OFF_ARCH, "load seccomp_data.arch");
	for (size_t j = 0; j < narch; j++) {
		enum sp_abi ab = first[j] == SP_ABI_X32 ? SP_ABI_X86_64 : first[j];
		snprintf(note, sizeof(note), "arch %s (%#x)?", ab == SP_ABI_X86_64 ? "x86_64/x32" : sp_abi_name(ab),
			 arches[j]);
		as_jcond(a, BPF_JEQ, arches[j], labels[j], LBL_NEXT, note);
	}
	as_ret(a, RET_KILLP, "any other ABI: kill the process");

	for (size_t j = 0; j < narch; j++) {
		as_place(a, labels[j]);
		as_ld(a, OFF_NR, "load seccomp_data.nr");
		enum sp_abi ab = first[j];
		e.big_endian = ab == SP_ABI_S390X || ab == SP_ABI_S390;
		if (sp_abi_get(ab)->audit_arch != sp_abi_get(SP_ABI_X86_64)->audit_arch) {
			if ((r = emit_rules(&e, ab, err)) < 0)
				goto out;
			continue;
		}
		/* x86_64 and x32 share AUDIT_ARCH_X86_64; x32 calls carry
		 * __X32_SYSCALL_BIT.  -1 (all bits set) is a tracer's "skip
		 * this call", not x32: it falls to the default below. */
		int lo = as_label(a);
		as_jcond(a, BPF_JGE, SP_X32_SYSCALL_BIT, LBL_NEXT, lo, "x32 syscall (bit 30 set)?");
		if (abis & sp_abi_bit(SP_ABI_X32)) {
			if ((r = emit_rules(&e, SP_ABI_X32, err)) < 0)
				goto out;
		} else {
			int kill = as_label(a);
			as_jcond(a, BPF_JEQ, 0xffffffffu, LBL_NEXT, kill, "nr -1 (skipped by a tracer)?");
			as_ret(a, e.def, "nr -1: default action");
			as_place(a, kill);
			as_ret(a, RET_KILLP, "x32 syscall, x32 not in the policy: kill the process");
		}
		as_place(a, lo);
		if (abis & sp_abi_bit(SP_ABI_X86_64)) {
			if ((r = emit_rules(&e, SP_ABI_X86_64, err)) < 0)
				goto out;
		} else {
			as_ret(a, RET_KILLP, "x86_64 syscall, only x32 in the policy: kill the process");
		}
	}
	r = as_finish(a, out, err);
out:
	as_release(a);
	return r;
}

void sp_bpf_prog_release(struct sp_bpf_prog *prog)
{
	for (size_t i = 0; prog->notes && i < prog->len; i++)
		free(prog->notes[i]);
	free(prog->notes);
	free(prog->insns);
	memset(prog, 0, sizeof(*prog));
}
