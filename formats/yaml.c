/* SPDX-License-Identifier: MIT */
/*
 * `yaml`: an Elastic go-seccomp-bpf policy as the `seccomp:` section of a
 * Beat's configuration (filebeat.yml, auditbeat.yml...).
 *
 * go-seccomp-bpf builds a filter for the Beat's own architecture only and
 * rejects the whole policy when one name is not in its table for that
 * architecture, so the policy is written for ONE ABI: the first of the
 * policy (x86_64 before i386...); names that do not exist there are listed
 * in a comment, not written.  All allow rules go into the first group
 * (go-seccomp-bpf 1.4.0-1.5.x evaluated only the first group).  Its
 * `errno` action always returns EPERM: another errno is an error here,
 * except the clone3 ENOSYS rule, which is left out with a comment (Go
 * programs do not call clone3 through glibc).
 */
#include <errno.h>
#include <string.h>

#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

static int action_name(struct sp_action a, const char **out)
{
	switch (a.kind) {
	case SP_ACT_KILL_PROCESS: *out = "kill_process"; return 0;
	case SP_ACT_KILL_THREAD: *out = "kill_thread"; return 0;
	case SP_ACT_TRAP: *out = "trap"; return 0;
	case SP_ACT_ERRNO: *out = "errno"; return a.data == EPERM ? 0 : -1;
	case SP_ACT_TRACE: *out = "trace"; return a.data == 0 ? 0 : -1;
	case SP_ACT_LOG: *out = "log"; return 0;
	case SP_ACT_ALLOW: *out = "allow"; return 0;
	case SP_ACT_NOTIFY: break;
	}
	return -1;
}

static bool single_bit(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int cond_op(const struct sp_cond *c, const char **op, uint64_t *value)
{
	*value = c->value;
	switch (c->op) {
	case SP_CMP_EQ: *op = "Equal"; return 0;
	case SP_CMP_NE: *op = "NotEqual"; return 0;
	case SP_CMP_GT: *op = "GreaterThan"; return 0;
	case SP_CMP_LT: *op = "LessThan"; return 0;
	case SP_CMP_GE: *op = "GreaterOrEqual"; return 0;
	case SP_CMP_LE: *op = "LessOrEqual"; return 0;
	case SP_CMP_MASKED_EQ:
		/* (arg & mask) == 0 is BitsNotSet; a one-bit mask with the
		 * bit expected is BitsSet ("any of the bits"); nothing else
		 * has a go-seccomp-bpf spelling. */
		if (c->value2 == 0) {
			*op = "BitsNotSet";
			return 0;
		}
		if (single_bit(c->value) && c->value2 == c->value) {
			*op = "BitsSet";
			return 0;
		}
		break;
	}
	return -1;
}

/* A conditional ALLOW name whose conditions go-seccomp-bpf cannot spell
 * (MASKED_EQ other than BitsSet/BitsNotSet, e.g. the 32-bit equality masks
 * of `generate --args`): the name is allowed unconditionally instead (wider,
 * never narrower), for all its rules, since go-seccomp-bpf refuses a name
 * that is both in names and in names_with_args of one group. */
static bool widened(const struct sp_out_entry *e, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const struct sp_rule *r = e[i].rule;
		if (!r || e[i].action.kind != SP_ACT_ALLOW || strcmp(r->name, name))
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			const char *op;
			uint64_t v;
			if (cond_op(&r->cond[c], &op, &v) < 0)
				return true;
		}
	}
	return false;
}

static void write_names(FILE *out, const struct sp_out_entry *e, enum sp_abi abi, bool explain)
{
	for (size_t i = 0; i < e->nnames; i++) {
		if (sp_abi_syscall_nr(abi, e->names[i]) < 0)
			continue;
		fprintf(out, "    - %s", e->names[i]);
		if ((explain || e->analysis[i]) && e->comments[i])
			fprintf(out, "  # %s", e->comments[i]);
		fputs("\n", out);
	}
}

static int write_args(FILE *out, const struct sp_out_entry *e, bool explain, struct sp_err *err)
{
	const struct sp_rule *r = e->rule;
	fprintf(out, "    - name: %s", r->name);
	if (explain && r->comment)
		fprintf(out, "  # %s", r->comment);
	fputs("\n      arguments:\n", out);
	for (unsigned c = 0; c < r->ncond; c++) {
		const char *op;
		uint64_t v;
		if (cond_op(&r->cond[c], &op, &v) < 0)
			return sp_err_set(err, -EINVAL,
					  "yaml: go-seccomp-bpf cannot express the condition on argument %u of '%s' "
					  "(SCMP_CMP_MASKED_EQ with mask %#llx, value %#llx)",
					  r->cond[c].arg, r->name, (unsigned long long)r->cond[c].value,
					  (unsigned long long)r->cond[c].value2);
		fprintf(out, "      - argument: %u\n        operation: %s\n        value: %llu\n", r->cond[c].arg, op,
			(unsigned long long)v);
	}
	return 0;
}

int sp_fmt_yaml_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	bool explain = o && o->explain;
	enum sp_abi abi = SP_ABI_UNKNOWN;
	for (int a = SP_ABI_COUNT - 1; a >= 0; a--)
		if (p->abis & sp_abi_bit((enum sp_abi)a))
			abi = (enum sp_abi)a;
	if (abi == SP_ABI_UNKNOWN)
		return sp_err_set(err, -EINVAL, "yaml: the policy names no ABI");
	const char *def;
	if (action_name(p->def, &def) < 0) {
		char buf[32];
		return sp_err_set(err, -EINVAL,
				  "yaml: go-seccomp-bpf cannot express the default action %s (its errno is always "
				  "EPERM; use --default-action errno, kill or log)",
				  sp_action_str(p->def, buf, sizeof(buf)));
	}
	struct sp_out_entry *e;
	size_t n;
	sp_out_group(p, &e, &n);
	int r = 0;
	if (n == 0) {
		sp_out_free(e, n);
		return sp_err_set(err, -EINVAL, "yaml: go-seccomp-bpf needs at least one syscall rule");
	}
	_cleanup_free_ char *banner = sp_out_banner(o);
	fprintf(out, "# %s\n", banner);
	fprintf(out, "# go-seccomp-bpf / Beats policy for %s: put this section into the Beat's configuration\n",
		sp_abi_name(abi));
	/* What cannot be written, said up front. */
	struct sp_buf left = SP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < e[i].nnames; j++)
			if (sp_abi_syscall_nr(abi, e[i].names[j]) < 0)
				sp_buf_printf(&left, " %s", e[i].names[j]);
	if (left.len)
		fprintf(out, "# not on %s, left out:%s\n", sp_abi_name(abi), left.s);
	sp_buf_release(&left);
	fprintf(out, "seccomp:\n  default_action: %s\n  syscalls:\n", def);

	/* group 1: every allow (names, then names_with_args) */
	bool any_allow = false, any_cond = false, any_names = false;
	for (size_t i = 0; i < n; i++) {
		if (e[i].action.kind != SP_ACT_ALLOW)
			continue;
		if (!any_allow)
			fputs("  - action: allow\n", out);
		any_allow = true;
		if (!e[i].rule) {
			fputs("    names:\n", out);
			any_names = true;
			write_names(out, &e[i], abi, explain);
		}
	}
	/* Widened conditional names (see widened()), once each, said in the
	 * file and on stderr. */
	struct sp_buf wide = SP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct sp_rule *ru = e[i].rule;
		if (e[i].action.kind != SP_ACT_ALLOW || !ru || sp_abi_syscall_nr(abi, ru->name) < 0 ||
		    !widened(e, n, ru->name) || (i > 0 && e[i - 1].rule && !strcmp(e[i - 1].rule->name, ru->name)))
			continue;
		if (!any_names)
			fputs("    names:\n", out);
		any_names = true;
		fprintf(out, "    - %s  # argument conditions not expressible in go-seccomp-bpf: allowed unconditionally\n",
			ru->name);
		sp_buf_printf(&wide, " %s", ru->name);
	}
	const struct sp_rule *c3 = sp_policy_find(p, "clone3");
	if (sp_out_observed_clone3(c3) && sp_abi_syscall_nr(abi, "clone3") >= 0) {
		if (!any_allow)
			fputs("  - action: allow\n", out);
		if (!any_names)
			fputs("    names:\n", out);
		any_allow = any_names = true;
		fputs("    - clone3  # observed; ENOSYS (for the clone fallback) cannot be expressed: allowed\n", out);
	}
	if (wide.len)
		sp_warn("yaml: go-seccomp-bpf cannot express the argument conditions of%s; allowed by name only",
			wide.s);
	sp_buf_release(&wide);
	for (size_t i = 0; i < n; i++) {
		if (e[i].action.kind != SP_ACT_ALLOW || !e[i].rule || sp_abi_syscall_nr(abi, e[i].rule->name) < 0 ||
		    widened(e, n, e[i].rule->name))
			continue;
		if (!any_cond)
			fputs("    names_with_args:\n", out);
		any_cond = true;
		if ((r = write_args(out, &e[i], explain, err)) < 0)
			goto out;
	}
	/* other actions, one group each */
	for (size_t i = 0; i < n; i++) {
		const char *act;
		if (e[i].action.kind == SP_ACT_ALLOW)
			continue;
		if (action_name(e[i].action, &act) < 0) {
			char buf[32];
			if (e[i].action.kind == SP_ACT_ERRNO && e[i].nnames == 1 && !strcmp(e[i].names[0], "clone3")) {
				if (sp_out_observed_clone3(c3))
					continue; /* allowed above */
				fprintf(out, "  # clone3: %s cannot be expressed (errno is always EPERM); left to the default\n",
					sp_action_str(e[i].action, buf, sizeof(buf)));
				continue;
			}
			r = sp_err_set(err, -EINVAL, "yaml: go-seccomp-bpf cannot express the action %s of '%s'",
				       sp_action_str(e[i].action, buf, sizeof(buf)), e[i].names[0]);
			goto out;
		}
		if (e[i].rule) {
			fprintf(out, "  - action: %s\n    names_with_args:\n", act);
			if ((r = write_args(out, &e[i], explain, err)) < 0)
				goto out;
		} else {
			fprintf(out, "  - action: %s\n    names:\n", act);
			write_names(out, &e[i], abi, explain);
		}
	}
	r = sp_out_finish(out, "yaml", err);
out:
	sp_out_free(e, n);
	return r;
}
