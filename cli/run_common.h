/* SPDX-License-Identifier: MIT */
/*
 * cli/run_common.h: what `run` and `check` share (and `record --baseline`,
 * which compiles a profile too).
 *
 *     struct sp_cli_caps caps = {0};
 *     if (sp_cli_caps_add(&caps, "sys_admin") < 0) ...   // -> "CAP_SYS_ADMIN"
 *     struct sp_read_opts ro = {.caps = caps.names};
 *     ...
 *     sp_cli_caps_release(&caps);
 */
#ifndef SP_CLI_RUN_COMMON_H
#define SP_CLI_RUN_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/policy.h"
#include "core/recording.h"
#include "generator/compile.h"

/* --cap values, normalised to "CAP_NAME", NULL-terminated. */
struct sp_cli_caps {
	char **names;
	size_t n;
};
/* Accepts "CAP_SYS_ADMIN", "cap_sys_admin" or "sys_admin"; -EINVAL for an
 * unknown capability. */
int sp_cli_caps_add(struct sp_cli_caps *c, const char *name);
void sp_cli_caps_release(struct sp_cli_caps *c);

/* The profile options run and check share: -p/--profile FILE, --cap CAP
 * (repeatable) and --skip-unknown.  Put SP_CLI_PROFILE_LONGOPTS in the
 * command's option table and "p:" in its short options, read the options
 * with sp_cli_profile_getopt(), load with sp_cli_profile_load(); the
 * options are released with the variable (_cleanup_profile_opts_). */
struct sp_cli_profile_opts {
	const char *profile;
	struct sp_cli_caps caps;
	bool skip_unknown;
	struct sp_recording *rec; /* set by sp_cli_profile_load() when the profile was a recording */
};
enum { SP_CLI_OPT_CAP = 0x200, SP_CLI_OPT_SKIP_UNKNOWN };
#define SP_CLI_PROFILE_LONGOPTS                                                                      \
	{"profile", required_argument, NULL, 'p'}, {"cap", required_argument, NULL, SP_CLI_OPT_CAP},     \
	{"skip-unknown", no_argument, NULL, SP_CLI_OPT_SKIP_UNKNOWN}
/* sp_cli_getopt() that also takes the profile options into po: returns
 * the next option of the command's own, -1 after the last, or
 * SP_CLI_OPT_FAILED after printing a usage error for a bad value (the
 * command returns SP_EXIT_USAGE). */
enum { SP_CLI_OPT_FAILED = -2 };
int sp_cli_profile_getopt(struct sp_cli_profile_opts *po, const char *cmd, int argc, char **argv,
			  const char *shortopts, const struct option *longopts);
/* Reads po->profile (any format we read) with its caps and skip_unknown;
 * keeps the recording in po->rec when it was one. */
int sp_cli_profile_load(struct sp_cli_profile_opts *po, struct sp_policy **out, struct sp_err *err);
void sp_cli_profile_release(struct sp_cli_profile_opts *po);
#define _cleanup_profile_opts_ __attribute__((cleanup(sp_cli_profile_release)))

/* When p lets io_uring through (generator/uring.h), warns that seccomp
 * cannot filter what is submitted through it: "warning: SUBJECT allows
 * io_uring_setup, ...: seccomp cannot filter ...; CONSEQUENCE", then the
 * opcodes rec (may be NULL) saw.  Returns true when it warned. */
bool sp_cli_warn_io_uring(const struct sp_policy *p, const struct sp_recording *rec, const char *subject,
			  const char *consequence);

/* When rec (read from path; may be NULL) is marked incomplete (meta.complete
 * false: the recorder was interrupted, or failed), warns that a policy
 * made of it lacks what came after; generate, run and check call it.  The
 * exit status stays what it is: the user may know what was cut. */
void sp_cli_warn_incomplete(const char *path, const struct sp_recording *rec);

/* "MKDIRAT, NOP": the opcodes of u, malloc'ed. */
char *sp_cli_uring_ops(const struct sp_recording_uring *u);

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

/* How long run, check and record --baseline let libseccomp compile a
 * profile (sp_compile_bpf_isolated()): SECCOMP_PROFILE_COMPILE_TIMEOUT
 * seconds (1..3600) when set, else SP_CLI_COMPILE_TIMEOUT_S.  Returns -1
 * after printing an error that names the variable. */
#define SP_CLI_COMPILE_TIMEOUT_S 10
int sp_cli_compile_timeout(unsigned *ms);

/* The filter run, check and record --baseline load: p compiled by
 * libseccomp in a worker process (time limit from sp_cli_compile_timeout()),
 * then compared with our own compiler's program for the same policy
 * (generator/verify.h), so that a filter libseccomp got wrong is refused
 * instead of enforced.  0, or a negative code with err set (callers add
 * the file name); -1 with nothing in err after a bad environment value
 * was reported. */
int sp_cli_compile(const struct sp_policy *p, const struct sp_compile_opts *co, struct sock_fprog *out,
		   struct sp_err *err);

#endif
