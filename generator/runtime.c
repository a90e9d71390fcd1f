/* SPDX-License-Identifier: MIT */
/*
 * The syscalls container runtimes make after loading the container's
 * seccomp filter and before exec'ing the workload (or, for bwrap, in its
 * PID-1 reaper, which runs under the filter too).  A profile without them
 * stops the container before the workload starts (runc: "operation not
 * permitted" from its init process; crun: "cannot setresgid to 0").
 *
 * MEASURED, not guessed, with scripts/measure-runtime (a busybox container
 * under a profile whose default action is SCMP_ACT_LOG; the kernel's audit
 * records of the runtime's own process are the list).  Re-measure when the
 * runtime changes; tests/integration/t_generate.sh starts real containers
 * with generated profiles, so a missing name fails `make check`.
 */
#include <string.h>

#include "generator/generate.h"

/* runc 1.1.5 (Debian 12, libseccomp 2.5.4, go1.19), x86_64. */
static const struct sp_gen_rtcall runc_calls[] = {
	{"capget", "after loading the filter"},
	{"capset", "after loading the filter"},
	{"chdir", "after loading the filter"},
	{"close", "after loading the filter"},
	{"epoll_ctl", "after loading the filter"},
	{"execve", "after loading the filter"},
	{"faccessat2", "after loading the filter"},
	{"fchown", "after loading the filter"},
	{"fcntl", "after loading the filter"},
	{"fstat", "after loading the filter"},
	{"fstatfs", "after loading the filter"},
	{"futex", "after loading the filter"},
	{"getcwd", "after loading the filter"},
	{"getdents64", "after loading the filter"},
	{"getpid", "after loading the filter"},
	{"getppid", "after loading the filter"},
	{"newfstatat", "after loading the filter"},
	{"openat", "after loading the filter"},
	{"prctl", "after loading the filter"},
	{"read", "after loading the filter"},
	{"rt_sigreturn", "after loading the filter"},
	{"setgid", "after loading the filter"},
	{"setgroups", "after loading the filter"},
	{"setuid", "after loading the filter"},
	{"write", "after loading the filter"},
	{NULL, NULL},
};

/* crun 1.8.1 (Debian 12), x86_64. */
static const struct sp_gen_rtcall crun_calls[] = {
	{"capset", "after loading the filter"},
	{"close", "after loading the filter"},
	{"execve", "after loading the filter"},
	{"prctl", "after loading the filter"},
	{"rt_sigaction", "after loading the filter"},
	{"rt_sigprocmask", "after loading the filter"},
	{"setresgid", "after loading the filter"},
	{"setresuid", "after loading the filter"},
	{"write", "after loading the filter"},
	{NULL, NULL},
};

/* bubblewrap 0.8.0 (Debian 12), x86_64. */
static const struct sp_gen_rtcall bwrap_calls[] = {
	{"execve", "execs the workload after loading the filter"},
	{"exit_group", "--unshare-pid: its PID-1 reaper exits under the filter"},
	{"wait4", "--unshare-pid: its PID-1 reaper waits for the workload under the filter"},
	{"write", "--unshare-pid: its PID-1 reaper writes under the filter"},
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
