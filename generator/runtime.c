/* SPDX-License-Identifier: MIT */
/*
 * The syscalls container runtimes make under the container's own seccomp
 * filter before the workload runs.  A profile without them stops the
 * container before the workload starts (runc: "operation not permitted"
 * from its init; crun: "cannot setresgid to 0"; bwrap: its PID-1 reaper's
 * "init wait()").
 *
 * MEASURED, not guessed: scripts/measure-runtime runs each runtime in every
 * configuration users run it in (run, create + start, podman; noNewPrivileges
 * false and true; root and rootless; container user 0 and 1000) under a
 * profile whose default action is SCMP_ACT_LOG and reads the kernel's audit
 * records of the runtime's own process.  Its output is
 * generator/runtime.measured, which also says which configurations make
 * each call; tests/unit/test_generate.c holds these tables equal to it, and
 * tests/integration/t_runtimes.sh starts real containers under generated
 * profiles.  Each `why` names the runtime step that makes the call; it
 * becomes the rule's comment ("runtime: crun sets ...", shown by --explain).
 *
 * Where the filter is loaded decides what is on this side of it:
 * - runc 1.1 with noNewPrivileges false loads it early in its Go init,
 *   before finalizing the namespace (capabilities, user, cwd), because
 *   without no_new_privs only a privileged process may load it; with
 *   noNewPrivileges true it loads it as late as it can, so only the last
 *   steps remain (the exec fifo, closing descriptors, execve);
 * - crun 1.8 likewise loads it before dropping capabilities and ids when
 *   noNewPrivileges is false, and just before execve when it is true;
 * - bwrap 0.8 loads it just before execve, and with --unshare-pid (also
 *   --unshare-all) also in its PID-1 reaper.
 */
#include <string.h>

#include "generator/generate.h"

/* runc 1.1.5 (Debian 12: 1.1.5+ds1-1+deb12u1, go1.19, libseccomp 2.5.4). */
static const struct sp_gen_rtcall runc_calls[] = {
	{"capget", "reads its capabilities to drop them (noNewPrivileges false)"},
	{"capset", "sets the container's capabilities (noNewPrivileges false)"},
	{"chdir", "changes to the process's cwd (noNewPrivileges false)"},
	{"close", "closes its own descriptors before execve"},
	{"epoll_ctl", "(Go runtime) adds the descriptors it opens (/proc/self/fd) to its poller"},
	{"execve", "execs the workload"},
	{"faccessat2", "looks the workload's executable up in PATH (noNewPrivileges false)"},
	{"fchown", "gives stdio to a non-root container user (noNewPrivileges false)"},
	{"fcntl", "checks stdio and sets close-on-exec flags (noNewPrivileges false)"},
	{"fstat", "checks stdio before handing it to the user (noNewPrivileges false)"},
	{"fstatfs", "checks that /proc/self/fd is procfs before closing descriptors"},
	{"futex", "(Go runtime) wakes and parks its threads"},
	{"getcwd", "checks the cwd it changed to (noNewPrivileges false)"},
	{"getdents64", "lists /proc/self/fd to close its descriptors"},
	{"getpid", "reports the container's pid to the start hooks"},
	{"getppid", "checks its parent is still alive (noNewPrivileges false)"},
	{"newfstatat", "looks the workload's executable up in PATH (noNewPrivileges false)"},
	{"openat", "opens the exec fifo (through /proc/self/fd) and lists /proc/self/fd"},
	{"prctl", "drops capabilities from the bounding set, keeps them over setuid (noNewPrivileges false)"},
	{"read", "waits for its parent's go-ahead on the init pipe (noNewPrivileges false)"},
	{"rt_sigreturn", "(Go runtime) returns from its preemption signal handler"},
	{"setgid", "sets the container user's gid (noNewPrivileges false)"},
	{"setgroups", "sets the container user's groups (noNewPrivileges false, not rootless)"},
	{"setuid", "sets the container user's uid (noNewPrivileges false)"},
	{"write", "writes to the exec fifo to say it is ready to exec"},
	{NULL, NULL},
};

/* crun 1.8.1 (Debian 12). */
static const struct sp_gen_rtcall crun_calls[] = {
	{"capset", "sets the container's capabilities (noNewPrivileges false)"},
	{"close", "closes its own descriptors before execve"},
	{"execve", "execs the workload"},
	{"prctl", "drops the bounding set, keeps capabilities over setresuid (noNewPrivileges false)"},
	{"pselect6", "waits for `crun start` after `crun create` (Podman, CRI-O; noNewPrivileges false)"},
	{"read", "reads the start signal after `crun create` (Podman, CRI-O; noNewPrivileges false)"},
	{"rt_sigaction", "resets every signal handler to the default (noNewPrivileges false)"},
	{"rt_sigprocmask", "unblocks signals for the workload (noNewPrivileges false)"},
	{"setresgid", "sets the container user's gid (noNewPrivileges false)"},
	{"setresuid", "sets the container user's uid (noNewPrivileges false)"},
	{"write", "tells its parent over the sync socket that it is ready (noNewPrivileges false)"},
	{NULL, NULL},
};

/* bubblewrap 0.8.0 (Debian 12). */
static const struct sp_gen_rtcall bwrap_calls[] = {
	{"execve", "execs the workload"},
	{"exit_group", "(--unshare-pid) exits its PID-1 reaper with the workload's status"},
	{"wait4", "(--unshare-pid) waits for the workload in its PID-1 reaper"},
	{"write", "(--unshare-pid) reports the exit status from its PID-1 reaper over an eventfd"},
	{NULL, NULL},
};

static const struct sp_gen_runtime runtimes[] = {
	{"runc", true, runc_calls},
	{"crun", true, crun_calls},
	{"bwrap", false, bwrap_calls},
};

const struct sp_gen_runtime *sp_gen_runtimes(size_t *n)
{
	*n = sizeof(runtimes) / sizeof(runtimes[0]);
	return runtimes;
}

bool sp_gen_runtime_selects(const char *sel, const struct sp_gen_runtime *rt)
{
	if (!sel)
		return false;
	if (!strcmp(sel, "any"))
		return rt->oci;
	return !strcmp(sel, rt->name);
}

bool sp_gen_runtime_ok(const char *sel)
{
	if (!sel || !strcmp(sel, "none") || !strcmp(sel, "any"))
		return true;
	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++)
		if (!strcmp(sel, runtimes[i].name))
			return true;
	return false;
}
