/* SPDX-License-Identifier: MIT */
/*
 * `seccomp-profile run`: execute a command under a profile.
 *
 * Everything that can fail for a reason the user can fix happens before
 * the filter is loaded: reading and compiling the profile, finding the
 * command on PATH (so "not found" and "not executable" are decided without
 * any syscall the profile might forbid), and checking that the profile lets
 * execve through.  The profile is compiled by libseccomp in a worker
 * process with a time limit (a hostile profile can make libseccomp 2.5
 * loop forever).  After the load this process makes exactly one
 * more system call, execve() -- plus write() and exit_group() only when
 * that execve fails -- so a profile generated from the program's own
 * recording (which starts at its execve) is enough.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "cli/run_common.h"
#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/read.h"
#include "generator/compile.h"

extern char **environ;

static void usage(void)
{
	printf("Usage: " SP_PROG " run --profile FILE [--mode enforce|log|kill] [--cap CAP]... [--skip-unknown]\n"
	       "                    [--] CMD [ARGS...]\n"
	       "\n"
	       "Run CMD under the seccomp filter compiled from FILE (Docker/OCI JSON, a\n"
	       "SeccompProfile, go-seccomp-bpf YAML, or a recording).  The profile is read and\n"
	       "compiled for every ABI it names before anything runs; then no_new_privs is set,\n"
	       "the filter is loaded for all threads (TSYNC) and CMD replaces this process, so\n"
	       "the exit status is CMD's own.\n"
	       "\n"
	       "Options:\n"
	       "  -p, --profile FILE  the profile to enforce (required)\n"
	       "  -m, --mode MODE     enforce (default): the profile's own default action;\n"
	       "                      log: calls outside the profile succeed and are logged by\n"
	       "                      the kernel (SCMP_ACT_LOG); kill: they kill the process\n"
	       "      --cap CAP       CMD holds capability CAP (e.g. CAP_SYS_ADMIN), for Docker\n"
	       "                      includes/excludes conditions; repeatable\n"
	       "      --skip-unknown  skip syscall names this libseccomp does not know (with a\n"
	       "                      warning), as runc and crun do, instead of refusing FILE\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "Exit status: CMD's; 126 when CMD cannot be executed, 127 when it is not found;\n"
	       "2 for a bad profile or usage.\n");
}

/* Finds cmd like execvp() would, before the filter exists.  Returns 0 and
 * the path, or the shell's status: 127 not found, 126 not executable. */
static int resolve_command(const char *cmd, char **out)
{
	struct stat st;
	if (strchr(cmd, '/')) {
		if (stat(cmd, &st) < 0) {
			sp_cli_error("%s: %s", cmd, strerror(errno));
			return errno == ENOENT || errno == ENOTDIR ? 127 : 126;
		}
		if (S_ISDIR(st.st_mode) || access(cmd, X_OK) < 0) {
			sp_cli_error("%s: %s", cmd, S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
			return 126;
		}
		*out = xstrdup(cmd);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	_cleanup_free_ char *copy = xstrdup(path);
	char *save = NULL, *denied = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", *dir ? dir : ".", cmd);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				free(denied);
				*out = cand;
				return 0;
			}
			if (!denied) {
				denied = cand;
				continue;
			}
		}
		free(cand);
	}
	if (denied) {
		sp_cli_error("%s: %s", denied, strerror(EACCES));
		free(denied);
		return 126;
	}
	sp_cli_error("%s: command not found", cmd);
	return 127;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		SP_CLI_PROFILE_LONGOPTS,
		{"mode", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	const char *mode = "enforce";
	_cleanup_profile_opts_ struct sp_cli_profile_opts po = {0};
	int c, status = SP_EXIT_USAGE;
	while ((c = sp_cli_profile_getopt(&po, "run", argc, argv, "+p:m:", longopts)) != -1) {
		switch (c) {
		case 'h':
			usage();
			return SP_EXIT_OK;
		case 'm':
			mode = optarg;
			break;
		case SP_CLI_OPT_FAILED:
			return SP_EXIT_USAGE;
		default:
			return sp_cli_usage_hint("run");
		}
	}
	const char *profile = po.profile;
	struct sp_compile_opts co = {0};
	if (!strcmp(mode, "log"))
		co = (struct sp_compile_opts){.override_default = true, .def = {SP_ACT_LOG, 0}};
	else if (!strcmp(mode, "kill"))
		co = (struct sp_compile_opts){.override_default = true, .def = {SP_ACT_KILL_PROCESS, 0}};
	else if (strcmp(mode, "enforce"))
		return sp_cli_usage("run", "unknown mode '%s' (enforce, log or kill)", mode);
	if (!profile || optind >= argc)
		return sp_cli_usage("run", "%s", !profile ? "--profile FILE is required" : "no command to run");
	char **cmd = argv + optind;

	struct sp_err err = {0};
	struct sp_policy *p = NULL;
	_cleanup_free_ char *path = NULL;
	struct sock_fprog prog = {0};
	if (sp_cli_profile_load(&po, &p, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (sp_cli_policy_runnable(p, profile, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	/* Like runc and crun: the native ABI is always in the filter (a
	 * profile naming only i386 still has to let the x86_64 loader run). */
	co.extra_abis = sp_abi_bit(sp_abi_native());
	int cr = sp_cli_compile(p, &co, &prog, &err);
	if (cr < 0) {
		if (err.code) {
			sp_err_prefix(&err, "%s", profile);
			sp_cli_fail(&err, SP_EXIT_USAGE);
		}
		goto out;
	}
	struct sp_action def = co.override_default ? co.def : p->def;
	{
		struct sp_policy view = *p; /* as enforced: --mode replaces the default */
		view.def = def;
		_cleanup_free_ char *subject = xasprintf("'%s'", profile);
		sp_cli_warn_io_uring(&view, po.rec, subject,
				     "what the command submits through io_uring is not restricted by it");
	}
	if (sp_cli_check_execve(p, def, profile, cmd[0], &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if ((status = resolve_command(cmd[0], &path)) != 0)
		goto out;
	status = SP_EXIT_USAGE;
	/* Without no_new_privs an unprivileged process may not install a
	 * filter (and a setuid CMD could shed it otherwise). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		sp_cli_error("run: cannot set no_new_privs: %s", strerror(errno));
		goto out;
	}
	char defbuf[32];
	sp_info("run: %s: %zu rules, default %s; executing %s", profile, p->nrules,
		sp_action_str(def, defbuf, sizeof(defbuf)), path);
	fflush(NULL); /* after the load even write() may be forbidden */
	/* The program was compiled by libseccomp in a worker process; load
	 * it for every thread (TSYNC) the way seccomp_load() would.  TSYNC
	 * returns the id of a thread that could not be synchronised. */
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
	if (rc != 0) {
		int e = errno;
		if (rc > 0)
			sp_cli_error("run: cannot load the filter of %s: thread %ld cannot take it", profile, rc);
		else
			sp_cli_error("run: cannot load the filter of %s: %s%s", profile, strerror(e),
				     e == EINVAL ? " (does this kernel support every action it uses?)" : "");
		goto out;
	}
	execve(path, cmd, environ);
	/* Only reachable when the profile let execve through but the kernel
	 * refused it; writing may itself be forbidden now. */
	int e = errno;
	dprintf(STDERR_FILENO, SP_PROG ": run: cannot execute '%s' under %s: %s\n", path, profile, strerror(e));
	_exit(e == ENOENT ? 127 : 126);
out:
	free(prog.filter);
	sp_policy_free(p);
	return status;
}
