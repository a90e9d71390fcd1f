/* SPDX-License-Identifier: MIT */
/*
 * `k8s`: a security-profiles-operator SeccompProfile resource
 * (security-profiles-operator.x-k8s.io/v1beta1, understood by every SPO
 * release; cluster-scoped from v0.9, so no namespace is written).  Apply it
 * with kubectl; pods reference status.localhostProfile (operator/NAME.json).
 *
 * The CRD has no defaultErrnoRet: runtimes then return EPERM, so a default
 * errno other than EPERM is an error here (write the `oci` format as a plain
 * Localhost profile instead).  Names are the resource name: the workload's
 * command (basename, lower-cased, DNS-1123), or "seccomp-profile".
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

static char *resource_name(const struct sp_write_opts *o)
{
	const struct sp_recording *rec = o ? o->rec : NULL;
	struct sp_buf b = SP_BUF_INIT;
	if (rec && rec->meta.command && rec->meta.command[0]) {
		const char *s = strrchr(rec->meta.command[0], '/');
		s = s ? s + 1 : rec->meta.command[0];
		for (; *s && b.len < 63; s++) {
			char c = (char)tolower((unsigned char)*s);
			if (isalnum((unsigned char)c))
				sp_buf_add(&b, &c, 1);
			else if (b.len && b.s[b.len - 1] != '-')
				sp_buf_add(&b, "-", 1);
		}
		while (b.len && b.s[b.len - 1] == '-')
			b.s[--b.len] = '\0';
	}
	if (!b.len)
		sp_buf_puts(&b, "seccomp-profile");
	return sp_buf_steal(&b);
}

int sp_fmt_k8s_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	if (p->def.kind == SP_ACT_ERRNO && p->def.data != EPERM) {
		char buf[32];
		return sp_err_set(err, -EINVAL,
				  "k8s: a SeccompProfile cannot set the default errno (%s); runtimes use EPERM. Use "
				  "--default-action errno, or the oci format as a Localhost profile",
				  sp_action_str(p->def, buf, sizeof(buf)));
	}
	_cleanup_free_ char *banner = sp_out_banner(o);
	_cleanup_free_ char *name = resource_name(o);
	fprintf(out, "# %s\n", banner);
	fprintf(out, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n"
		     "metadata:\n  name: %s\nspec:\n  defaultAction: %s\n",
		name, sp_action_scmp_name(p->def));
	const char *arches[SP_ABI_COUNT];
	size_t na = sp_out_arches(p, arches, SP_ABI_COUNT);
	if (na) {
		fputs("  architectures:\n", out);
		for (size_t i = 0; i < na; i++)
			fprintf(out, "  - %s\n", arches[i]);
	}
	struct sp_out_entry *e;
	size_t n;
	sp_out_group(p, &e, &n);
	if (n)
		fputs("  syscalls:\n", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  - action: %s\n", sp_action_scmp_name(e[i].action));
		if (e[i].action.kind == SP_ACT_ERRNO || e[i].action.kind == SP_ACT_TRACE)
			fprintf(out, "    errnoRet: %u\n", e[i].action.data);
		fputs("    names:\n", out);
		for (size_t j = 0; j < e[i].nnames; j++)
			fprintf(out, "    - %s\n", e[i].names[j]);
		if (e[i].rule) {
			fputs("    args:\n", out);
			for (unsigned c = 0; c < e[i].rule->ncond; c++) {
				const struct sp_cond *k = &e[i].rule->cond[c];
				fprintf(out, "    - index: %u\n      value: %llu\n      valueTwo: %llu\n      op: %s\n", k->arg,
					(unsigned long long)k->value,
					(unsigned long long)(k->op == SP_CMP_MASKED_EQ ? k->value2 : 0),
					sp_cmp_scmp_name(k->op));
			}
		}
	}
	sp_out_free(e, n);
	return sp_out_finish(out, "k8s", err);
}
