/* SPDX-License-Identifier: MIT */
#include "core/policy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"

/* Kernel SECCOMP_RET_* values (linux/seccomp.h). */
#define RET_KILL_PROCESS 0x80000000u
#define RET_KILL_THREAD  0x00000000u
#define RET_TRAP         0x00030000u
#define RET_ERRNO        0x00050000u
#define RET_USER_NOTIF   0x7fc00000u
#define RET_TRACE        0x7ff00000u
#define RET_LOG          0x7ffc0000u
#define RET_ALLOW        0x7fff0000u
#define RET_DATA         0x0000ffffu

static const struct {
	enum sp_act_kind kind;
	const char *scmp;
	const char *cli;
} actions[] = {
	{SP_ACT_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS", "kill-process"},
	{SP_ACT_KILL_THREAD, "SCMP_ACT_KILL_THREAD", "kill-thread"},
	{SP_ACT_TRAP, "SCMP_ACT_TRAP", "trap"},
	{SP_ACT_ERRNO, "SCMP_ACT_ERRNO", "errno"},
	{SP_ACT_TRACE, "SCMP_ACT_TRACE", "trace"},
	{SP_ACT_LOG, "SCMP_ACT_LOG", "log"},
	{SP_ACT_ALLOW, "SCMP_ACT_ALLOW", "allow"},
	{SP_ACT_NOTIFY, "SCMP_ACT_NOTIFY", "notify"},
};

bool sp_action_equal(struct sp_action a, struct sp_action b)
{
	if (a.kind != b.kind)
		return false;
	if (a.kind == SP_ACT_ERRNO || a.kind == SP_ACT_TRACE)
		return a.data == b.data;
	return true;
}

static int parse_errno_value(const char *v, uint32_t *out, struct sp_err *err)
{
	uint64_t n;
	if (sp_parse_u64(v, 4095, &n)) {
		*out = (uint32_t)n;
		return 0;
	}
	int e = sp_errno_from_name(v);
	if (e < 0)
		return sp_err_set(err, -EINVAL, "unknown errno '%s' (use a name like EPERM or a number 0-4095)",
				  v);
	*out = (uint32_t)e;
	return 0;
}

int sp_action_parse(const char *s, struct sp_action *out, struct sp_err *err)
{
	if (!s || !*s)
		return sp_err_set(err, -EINVAL, "empty action");
	const char *colon = strchr(s, ':');
	size_t klen = colon ? (size_t)(colon - s) : strlen(s);
	_cleanup_free_ char *k = xstrndup(s, klen);
	for (char *p = k; *p; p++)
		if (*p == '_')
			*p = '-';
	const char *arg = colon ? colon + 1 : NULL;

	struct sp_action a = {0};
	if (!strcmp(k, "kill") || !strcmp(k, "kill-process")) {
		a.kind = SP_ACT_KILL_PROCESS;
	} else if (!strcmp(k, "kill-thread")) {
		a.kind = SP_ACT_KILL_THREAD;
	} else if (!strcmp(k, "trap")) {
		a.kind = SP_ACT_TRAP;
	} else if (!strcmp(k, "log")) {
		a.kind = SP_ACT_LOG;
	} else if (!strcmp(k, "allow")) {
		a.kind = SP_ACT_ALLOW;
	} else if (!strcmp(k, "errno")) {
		a.kind = SP_ACT_ERRNO;
		a.data = EPERM;
		if (arg && parse_errno_value(arg, &a.data, err) < 0)
			return err ? err->code : -EINVAL;
		arg = NULL;
	} else if (!strcmp(k, "trace")) {
		a.kind = SP_ACT_TRACE;
		uint64_t n = 0;
		if (arg && !sp_parse_u64(arg, 0xffff, &n))
			return sp_err_set(err, -EINVAL, "bad trace value '%s' (0-65535)", arg);
		a.data = (uint32_t)n;
		arg = NULL;
	} else {
		return sp_err_set(err, -EINVAL,
				  "unknown action '%s' (kill, kill-thread, trap, errno[:NAME|N], log, allow)", s);
	}
	if (arg)
		return sp_err_set(err, -EINVAL, "action '%s' takes no value", k);
	*out = a;
	return 0;
}

const char *sp_action_scmp_name(struct sp_action a)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(actions); i++)
		if (actions[i].kind == a.kind)
			return actions[i].scmp;
	return "SCMP_ACT_KILL_PROCESS";
}

int sp_action_from_scmp(const char *name, struct sp_action *out, struct sp_err *err)
{
	if (name && !strcmp(name, "SCMP_ACT_KILL")) {
		*out = (struct sp_action){SP_ACT_KILL_THREAD, 0};
		return 0;
	}
	for (size_t i = 0; name && i < SP_ARRAY_SIZE(actions); i++) {
		if (!strcmp(actions[i].scmp, name)) {
			*out = (struct sp_action){actions[i].kind, actions[i].kind == SP_ACT_ERRNO ? EPERM : 0};
			return 0;
		}
	}
	return sp_err_set(err, -EINVAL, "unknown action '%s'", name ? name : "(null)");
}

const char *sp_action_str(struct sp_action a, char *buf, size_t len)
{
	const char *cli = "?";
	for (size_t i = 0; i < SP_ARRAY_SIZE(actions); i++)
		if (actions[i].kind == a.kind)
			cli = actions[i].cli;
	if (a.kind == SP_ACT_ERRNO) {
		const char *n = sp_errno_name((int)a.data);
		if (n)
			snprintf(buf, len, "errno:%s", n);
		else
			snprintf(buf, len, "errno:%u", a.data);
	} else if (a.kind == SP_ACT_TRACE) {
		snprintf(buf, len, "trace:%u", a.data);
	} else {
		snprintf(buf, len, "%s", cli);
	}
	return buf;
}

uint32_t sp_action_seccomp_ret(struct sp_action a)
{
	switch (a.kind) {
	case SP_ACT_KILL_PROCESS: return RET_KILL_PROCESS;
	case SP_ACT_KILL_THREAD: return RET_KILL_THREAD;
	case SP_ACT_TRAP: return RET_TRAP;
	case SP_ACT_ERRNO: return RET_ERRNO | (a.data & RET_DATA);
	case SP_ACT_TRACE: return RET_TRACE | (a.data & RET_DATA);
	case SP_ACT_LOG: return RET_LOG;
	case SP_ACT_ALLOW: return RET_ALLOW;
	case SP_ACT_NOTIFY: return RET_USER_NOTIF;
	}
	return RET_KILL_PROCESS;
}

static const char *const cmp_names[] = {
	[SP_CMP_NE] = "SCMP_CMP_NE", [SP_CMP_LT] = "SCMP_CMP_LT", [SP_CMP_LE] = "SCMP_CMP_LE",
	[SP_CMP_EQ] = "SCMP_CMP_EQ", [SP_CMP_GE] = "SCMP_CMP_GE", [SP_CMP_GT] = "SCMP_CMP_GT",
	[SP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *sp_cmp_scmp_name(enum sp_cmp_op op)
{
	if (op < SP_CMP_NE || op > SP_CMP_MASKED_EQ)
		return "?";
	return cmp_names[op];
}

int sp_cmp_from_scmp(const char *name, enum sp_cmp_op *out)
{
	for (int op = SP_CMP_NE; name && op <= SP_CMP_MASKED_EQ; op++) {
		if (!strcmp(cmp_names[op], name)) {
			*out = (enum sp_cmp_op)op;
			return 0;
		}
	}
	return -EINVAL;
}

struct sp_policy *sp_policy_new(struct sp_action def)
{
	struct sp_policy *p = xcalloc(1, sizeof(*p));
	p->def = def;
	return p;
}

void sp_policy_free(struct sp_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].name);
		free(p->rules[i].comment);
	}
	free(p->rules);
	free(p->source);
	free(p);
}

struct sp_rule *sp_policy_add_rule(struct sp_policy *p, const char *name, struct sp_action action)
{
	xgrow((void **)&p->rules, &p->cap, p->nrules + 1, sizeof(*p->rules));
	struct sp_rule *r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->action = action;
	return r;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_rule(const void *pa, const void *pb)
{
	const struct sp_rule *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->action.kind != b->action.kind)
		return b->action.kind - a->action.kind; /* ALLOW first */
	if ((c = cmp_u64(a->action.data, b->action.data)))
		return c;
	if (a->ncond != b->ncond)
		return a->ncond - b->ncond;
	for (int i = 0; i < a->ncond; i++) {
		const struct sp_cond *x = &a->cond[i], *y = &b->cond[i];
		if (x->arg != y->arg)
			return x->arg - y->arg;
		if (x->op != y->op)
			return (int)x->op - (int)y->op;
		if ((c = cmp_u64(x->value, y->value)) || (c = cmp_u64(x->value2, y->value2)))
			return c;
	}
	return cmp_u64(a->abis, b->abis);
}

static int cmp_cond(const void *pa, const void *pb)
{
	const struct sp_cond *x = pa, *y = pb;
	return x->arg - y->arg;
}

void sp_policy_sort(struct sp_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		qsort(p->rules[i].cond, p->rules[i].ncond, sizeof(struct sp_cond), cmp_cond);
	/* qsort(NULL, 0, ...) is undefined (UBSan flags it): an empty policy
	 * has no array yet. */
	if (p->nrules)
		qsort(p->rules, p->nrules, sizeof(*p->rules), cmp_rule);
}

const struct sp_rule *sp_policy_find(const struct sp_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, name))
			return &p->rules[i];
	return NULL;
}

bool sp_policy_allows(const struct sp_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, name) && p->rules[i].ncond == 0 &&
		    p->rules[i].action.kind == SP_ACT_ALLOW)
			return true;
	return false;
}

static const char *op_str(enum sp_cmp_op op)
{
	switch (op) {
	case SP_CMP_NE: return "!=";
	case SP_CMP_LT: return "<";
	case SP_CMP_LE: return "<=";
	case SP_CMP_EQ: return "==";
	case SP_CMP_GE: return ">=";
	case SP_CMP_GT: return ">";
	case SP_CMP_MASKED_EQ: return "&";
	}
	return "?";
}

/* "errno:EPERM if arg0 == 0x1 && arg1 & 0xff == 0x2 [x86_64, i386]" */
char *sp_rule_str(const struct sp_rule *r)
{
	struct sp_buf b = SP_BUF_INIT;
	char abuf[48];
	sp_buf_puts(&b, sp_action_str(r->action, abuf, sizeof(abuf)));
	for (int i = 0; i < r->ncond; i++) {
		const struct sp_cond *c = &r->cond[i];
		sp_buf_printf(&b, "%sarg%u %s 0x%" PRIx64, i ? " && " : " if ", c->arg, op_str(c->op), c->value);
		if (c->op == SP_CMP_MASKED_EQ)
			sp_buf_printf(&b, " == 0x%" PRIx64, c->value2);
	}
	if (r->abis) {
		sp_buf_puts(&b, " [");
		bool first = true;
		for (int a = 0; a < SP_ABI_COUNT; a++) {
			if (!(r->abis & sp_abi_bit((enum sp_abi)a)))
				continue;
			sp_buf_printf(&b, "%s%s", first ? "" : ", ", sp_abi_name((enum sp_abi)a));
			first = false;
		}
		sp_buf_puts(&b, "]");
	}
	return sp_buf_steal(&b);
}

static int cmp_index(const void *pa, const void *pb, void *ctx)
{
	const struct sp_policy *p = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(p->rules[a].name, p->rules[b].name);
	return c ? c : (a > b) - (a < b);
}

void sp_name_index_build(struct sp_name_index *ix, const struct sp_policy *p)
{
	ix->p = p;
	ix->order = xcalloc(p->nrules + 1, sizeof(*ix->order));
	for (size_t i = 0; i < p->nrules; i++)
		ix->order[i] = i;
	if (p->nrules)
		qsort_r(ix->order, p->nrules, sizeof(*ix->order), cmp_index, (void *)(uintptr_t)p);
}

const size_t *sp_name_index_find(const struct sp_name_index *ix, const char *name, size_t *n)
{
	const struct sp_rule *r = ix->p->rules;
	size_t lo = 0, hi = ix->p->nrules;
	while (lo < hi) { /* the first whose name is >= name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(r[ix->order[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < ix->p->nrules && !strcmp(r[ix->order[end]].name, name))
		end++;
	*n = end - lo;
	return end > lo ? &ix->order[lo] : NULL;
}

void sp_name_index_release(struct sp_name_index *ix)
{
	free(ix->order);
	ix->order = NULL;
}
