/* SPDX-License-Identifier: MIT */
#include "formats/policy_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"

static bool has_uncond(const struct sp_name_index *ix, const char *name)
{
	size_t n;
	const size_t *idx = sp_name_index_find(ix, name, &n);
	for (size_t k = 0; k < n; k++) {
		const struct sp_rule *r = &ix->p->rules[idx[k]];
		if (r->ncond == 0 && !sp_action_equal(r->action, ix->p->def))
			return true;
	}
	return false;
}

static void entry_add_name(struct sp_out_entry *e, const struct sp_rule *r)
{
	bool analysis = r->origin == SP_ORIGIN_ANALYSIS;
	for (size_t i = 0; i < e->nnames; i++)
		if (!strcmp(e->names[i], r->name)) {
			if (!e->comments[i])
				e->comments[i] = r->comment;
			e->analysis[i] = e->analysis[i] && analysis;
			return;
		}
	e->names = xrealloc(e->names, (e->nnames + 1) * sizeof(*e->names));
	e->comments = xrealloc(e->comments, (e->nnames + 1) * sizeof(*e->comments));
	e->analysis = xrealloc(e->analysis, (e->nnames + 1) * sizeof(*e->analysis));
	e->names[e->nnames] = r->name;
	e->comments[e->nnames] = r->comment;
	e->analysis[e->nnames] = analysis;
	e->nnames++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int rank(struct sp_action a)
{
	/* ALLOW first, then the kernel's order of actions. */
	return a.kind == SP_ACT_ALLOW ? -1 : (int)a.kind;
}

void sp_out_group(const struct sp_policy *p, struct sp_out_entry **out, size_t *n)
{
	struct sp_out_entry *v = NULL;
	size_t nv = 0, cap = 0;
	/* 1: unconditional ALLOW; 3: other unconditional actions (collected
	 * into groups by action); 2: conditional rules in between. */
	struct sp_out_entry allow = {.action = sp_action_allow()};
	struct sp_out_entry *others = NULL;
	size_t nothers = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (sp_action_equal(r->action, p->def) || r->ncond)
			continue;
		struct sp_out_entry *e = NULL;
		if (r->action.kind == SP_ACT_ALLOW) {
			e = &allow;
		} else {
			for (size_t j = 0; j < nothers; j++)
				if (sp_action_equal(others[j].action, r->action))
					e = &others[j];
			if (!e) {
				others = xrealloc(others, (nothers + 1) * sizeof(*others));
				e = &others[nothers++];
				memset(e, 0, sizeof(*e));
				e->action = r->action;
			}
		}
		entry_add_name(e, r);
	}
	if (allow.nnames) {
		xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
		v[nv++] = allow;
	}
	_cleanup_name_index_ struct sp_name_index ix;
	sp_name_index_build(&ix, p);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (!r->ncond || sp_action_equal(r->action, p->def) || has_uncond(&ix, r->name))
			continue;
		xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
		struct sp_out_entry *e = &v[nv++];
		memset(e, 0, sizeof(*e));
		e->action = r->action;
		e->rule = r;
		entry_add_name(e, r);
	}
	/* others: sort by (rank, data) with a simple insertion sort */
	for (size_t i = 1; i < nothers; i++)
		for (size_t j = i; j > 0; j--) {
			struct sp_out_entry *a = &others[j - 1], *b = &others[j];
			if (rank(a->action) < rank(b->action) ||
			    (rank(a->action) == rank(b->action) && a->action.data <= b->action.data))
				break;
			struct sp_out_entry t = *a;
			*a = *b;
			*b = t;
		}
	for (size_t i = 0; i < nothers; i++) {
		xgrow((void **)&v, &cap, nv + 1, sizeof(*v));
		v[nv++] = others[i];
	}
	free(others);
	/* Names within each group: bytewise order (the policy is sorted, but
	 * merging rules of several ABIs must not depend on that).  Comments
	 * follow their names. */
	for (size_t i = 0; i < nv; i++) {
		struct sp_out_entry *e = &v[i];
		for (size_t a = 1; a < e->nnames; a++)
			for (size_t b = a; b > 0 && cmp_str(&e->names[b - 1], &e->names[b]) > 0; b--) {
				const char *t = e->names[b - 1];
				e->names[b - 1] = e->names[b];
				e->names[b] = t;
				t = e->comments[b - 1];
				e->comments[b - 1] = e->comments[b];
				e->comments[b] = t;
				bool ta = e->analysis[b - 1];
				e->analysis[b - 1] = e->analysis[b];
				e->analysis[b] = ta;
			}
	}
	*out = v;
	*n = nv;
}

void sp_out_free(struct sp_out_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].names);
		free(e[i].comments);
		free(e[i].analysis);
	}
	free(e);
}

static void indent_to(FILE *out, int n)
{
	fprintf(out, "%*s", n, "");
}

/* pass 0: the names not added by analysis (all of them when split is
 * false); pass 1: the analysis names. */
static bool in_pass(const struct sp_out_entry *e, size_t j, bool split, int pass)
{
	return !split ? pass == 0 : e->analysis[j] == (pass == 1);
}

void sp_out_json_syscalls(FILE *out, const struct sp_out_entry *e, size_t n, int ind, bool comments)
{
	fputs("[", out);
	bool first = true;
	for (size_t i = 0; i < n; i++)
		for (int pass = 0; pass < 2; pass++) {
			bool split = false;
			size_t cnt = 0;
			for (size_t j = 0; j < e[i].nnames; j++)
				split |= comments && !e[i].rule && e[i].analysis[j];
			for (size_t j = 0; j < e[i].nnames; j++)
				cnt += in_pass(&e[i], j, split, pass);
			if (!cnt)
				continue;
		fputs(!first ? ",\n" : "\n", out);
		first = false;
		indent_to(out, ind + 2);
		fputs("{\n", out);
		indent_to(out, ind + 4);
		fputs("\"names\": [", out);
		size_t written = 0;
		for (size_t j = 0; j < e[i].nnames; j++) {
			if (!in_pass(&e[i], j, split, pass))
				continue;
			fputs(written++ ? ",\n" : "\n", out);
			indent_to(out, ind + 6);
			fprintf(out, "\"%s\"", e[i].names[j]);
		}
		fputs("\n", out);
		indent_to(out, ind + 4);
		fputs("],\n", out);
		if (split && pass == 1) {
			indent_to(out, ind + 4);
			fputs("\"comment\": \"" SP_OUT_ANALYSIS_NOTE "\",\n", out);
		}
		indent_to(out, ind + 4);
		fprintf(out, "\"action\": \"%s\"", sp_action_scmp_name(e[i].action));
		if (e[i].action.kind == SP_ACT_ERRNO || e[i].action.kind == SP_ACT_TRACE)
			fprintf(out, ",\n%*s\"errnoRet\": %u", ind + 4, "", e[i].action.data);
		if (e[i].rule) {
			fprintf(out, ",\n%*s\"args\": [", ind + 4, "");
			for (unsigned c = 0; c < e[i].rule->ncond; c++) {
				const struct sp_cond *k = &e[i].rule->cond[c];
				fputs(c ? ",\n" : "\n", out);
				indent_to(out, ind + 6);
				fputs("{\n", out);
				fprintf(out, "%*s\"index\": %u,\n", ind + 8, "", k->arg);
				fprintf(out, "%*s\"value\": %llu,\n", ind + 8, "", (unsigned long long)k->value);
				fprintf(out, "%*s\"valueTwo\": %llu,\n", ind + 8, "",
					(unsigned long long)(k->op == SP_CMP_MASKED_EQ ? k->value2 : 0));
				fprintf(out, "%*s\"op\": \"%s\"\n", ind + 8, "", sp_cmp_scmp_name(k->op));
				indent_to(out, ind + 6);
				fputs("}", out);
			}
			fputs("\n", out);
			indent_to(out, ind + 4);
			fputs("]", out);
		}
		fputs("\n", out);
		indent_to(out, ind + 2);
		fputs("}", out);
		}
	fputs(n ? "\n" : "", out);
	if (n)
		indent_to(out, ind);
	fputs("]", out);
}

void sp_out_json_default(FILE *out, const struct sp_policy *p)
{
	fprintf(out, "  \"defaultAction\": \"%s\",\n", sp_action_scmp_name(p->def));
	if (p->def.kind == SP_ACT_ERRNO)
		fprintf(out, "  \"defaultErrnoRet\": %u,\n", p->def.data);
}

size_t sp_out_arches(const struct sp_policy *p, const char **names, size_t max)
{
	size_t n = 0;
	for (int a = 0; a < SP_ABI_COUNT && n < max; a++)
		if (p->abis & sp_abi_bit((enum sp_abi)a))
			names[n++] = sp_abi_get((enum sp_abi)a)->docker;
	return n;
}

char *sp_out_banner(const struct sp_write_opts *o)
{
	struct sp_buf b = SP_BUF_INIT;
	sp_buf_puts(&b, "Generated by seccomp-profile");
	const struct sp_recording *rec = o ? o->rec : NULL;
	if (rec && rec->meta.command && rec->meta.command[0]) {
		sp_buf_puts(&b, " from a recording of:");
		for (char **c = rec->meta.command; *c; c++) {
			/* keep comments on one line whatever the argv holds */
			sp_buf_puts(&b, " ");
			for (const char *s = *c; *s; s++)
				sp_buf_add(&b, (unsigned char)*s < 0x20 || *s == 0x7f ? "?" : s, 1);
		}
	}
	return sp_buf_steal(&b);
}

int sp_out_finish(FILE *out, const char *format, struct sp_err *err)
{
	if (ferror(out))
		return sp_err_set(err, -EIO, "%s: write error", format);
	return 0;
}

bool sp_out_observed_clone3(const struct sp_rule *r)
{
	return r && !strcmp(r->name, "clone3") && !r->ncond && r->action.kind == SP_ACT_ERRNO &&
	       r->action.data == ENOSYS && (r->origin & SP_ORIGIN_OBSERVED);
}

int sp_out_json_syscalls_and_finish(FILE *out, const struct sp_policy *p, const char *format, bool comments,
				    struct sp_err *err)
{
	struct sp_out_entry *e;
	size_t n;
	sp_out_group(p, &e, &n);
	fputs("  \"syscalls\": ", out);
	sp_out_json_syscalls(out, e, n, 2, comments);
	fputs("\n}\n", out);
	sp_out_free(e, n);
	return sp_out_finish(out, format, err);
}
