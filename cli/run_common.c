/* SPDX-License-Identifier: MIT */
#include "cli/run_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/log.h"
#include "cli/cli.h"
#include "cli/input.h"
#include "core/util.h"
#include "formats/read.h"

int sp_cli_caps_add(struct sp_cli_caps *c, const char *name)
{
	const char *bare = !strncasecmp(name, "CAP_", 4) ? name + 4 : name;
	char *norm = xasprintf("CAP_%s", bare);
	for (char *q = norm; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	if (!sp_fmt_cap_known(norm)) {
		free(norm);
		return -EINVAL;
	}
	c->names = xrealloc(c->names, (c->n + 2) * sizeof(*c->names));
	c->names[c->n++] = norm;
	c->names[c->n] = NULL;
	return 0;
}

void sp_cli_caps_release(struct sp_cli_caps *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	c->names = NULL;
	c->n = 0;
}

int sp_cli_policy_runnable(const struct sp_policy *p, const char *file, struct sp_err *err)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action.kind == SP_ACT_NOTIFY)
			return sp_err_set(err, -EINVAL,
					  "%s: rule for \"%s\" uses SCMP_ACT_NOTIFY, which needs a container runtime's "
					  "listener; seccomp-profile cannot enforce it",
					  file, p->rules[i].name);
	return 0;
}

struct sp_action sp_cli_policy_action(const struct sp_policy *p, struct sp_action def, const char *name,
				      int abi, bool *conditional)
{
	*conditional = false;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (strcmp(r->name, name) || (r->abis && !(r->abis & sp_abi_bit((enum sp_abi)abi))))
			continue;
		if (!r->ncond)
			return r->action;
		*conditional = true;
	}
	return def;
}

int sp_cli_check_execve(const struct sp_policy *p, struct sp_action def, const char *file, const char *cmd,
			struct sp_err *err)
{
	bool cond;
	struct sp_action a = sp_cli_policy_action(p, def, "execve", sp_abi_native(), &cond);
	if (cond) {
		sp_warn("run: %s allows execve only under argument conditions; if '%s' does not start, look "
			"there first",
			file, cmd);
		return 0;
	}
	if (a.kind == SP_ACT_ALLOW || a.kind == SP_ACT_LOG)
		return 0;
	char buf[32];
	return sp_err_set(err, -EPERM,
			  "%s: the profile does not allow execve (it gets %s), so '%s' cannot even be started under "
			  "it; add execve to the profile (it is the first call a recording sees)",
			  file, sp_action_str(a, buf, sizeof(buf)), cmd);
}

int sp_cli_profile_opt(struct sp_cli_profile_opts *po, int c, const char *arg, const char *cmd)
{
	switch (c) {
	case 'p':
		po->profile = arg;
		return 1;
	case SP_CLI_OPT_SKIP_UNKNOWN:
		po->skip_unknown = true;
		return 1;
	case SP_CLI_OPT_CAP:
		if (sp_cli_caps_add(&po->caps, arg) < 0) {
			sp_cli_usage(cmd, "unknown capability '%s' (e.g. CAP_SYS_ADMIN)", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int sp_cli_profile_load(const struct sp_cli_profile_opts *po, struct sp_policy **out, struct sp_err *err)
{
	struct sp_read_opts ro = {.caps = (const char *const *)po->caps.names, .skip_unknown = po->skip_unknown};
	struct sp_cli_load_opts lo = {.read = &ro};
	return sp_cli_load_policy_ex(po->profile, &lo, out, NULL, err);
}

void sp_cli_profile_release(struct sp_cli_profile_opts *po)
{
	sp_cli_caps_release(&po->caps);
}
