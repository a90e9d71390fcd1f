/* SPDX-License-Identifier: MIT */
/*
 * cli/run_common.h: what `run` and `check` share.
 *
 *     struct sp_cli_caps caps = {0};
 *     if (sp_cli_caps_add(&caps, "sys_admin") < 0) ...   // -> "CAP_SYS_ADMIN"
 *     struct sp_read_opts ro = {.caps = caps.names};
 *     ...
 *     sp_cli_caps_release(&caps);
 */
#ifndef SP_CLI_RUN_COMMON_H
#define SP_CLI_RUN_COMMON_H

#include <stddef.h>

#include "core/err.h"
#include "core/policy.h"

/* --cap values, normalised to "CAP_NAME", NULL-terminated. */
struct sp_cli_caps {
	char **names;
	size_t n;
};
/* Accepts "CAP_SYS_ADMIN", "cap_sys_admin" or "sys_admin"; -EINVAL for an
 * unknown capability. */
int sp_cli_caps_add(struct sp_cli_caps *c, const char *name);
void sp_cli_caps_release(struct sp_cli_caps *c);

/* Refuses what cannot be enforced by a process on its own: a rule that
 * needs a SCMP_ACT_NOTIFY listener. */
int sp_cli_policy_runnable(const struct sp_policy *p, const char *file, struct sp_err *err);

/* run: the execve that starts cmd passes the filter with default action
 * def on the native ABI; otherwise an error that says so before anything
 * runs. */
int sp_cli_check_execve(const struct sp_policy *p, struct sp_action def, const char *file, const char *cmd,
			struct sp_err *err);

/* The action p gives name on abi when it has no conditions to look at:
 * the unconditional rule's, else def.  *conditional is set when only
 * conditional rules exist for name (then the answer depends on arguments). */
struct sp_action sp_cli_policy_action(const struct sp_policy *p, struct sp_action def, const char *name,
				      int abi, bool *conditional);

#endif
