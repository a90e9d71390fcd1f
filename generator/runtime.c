/* SPDX-License-Identifier: MIT */
/*
 * The syscalls container runtimes make after loading the container's
 * seccomp filter and before exec'ing the workload.  A profile without them
 * kills the container before the workload starts (runc: "operation not
 * permitted" from its init process).
 *
 * MEASURED, not guessed, with scripts/measure-runtime (a busybox container
 * under a profile whose default action is SCMP_ACT_LOG; the kernel's audit
 * records of the runtime's init process are the list; both
 * noNewPrivileges settings).  Re-measure when the runtime changes;
 * tests/integration/t_generate.sh starts a real container with a generated
 * profile, so a missing name fails `make check`.
 */
#include <string.h>

#include "generator/generate.h"

/* runc 1.1.5 (Debian 12, libseccomp 2.5.4, go1.19), x86_64. */
static const char *const runc_names[] = {
	"capget", "capset", "chdir", "close", "epoll_ctl", "execve", "faccessat2", "fchown", "fcntl", "fstat",
	"fstatfs", "futex", "getcwd", "getdents64", "getpid", "getppid", "newfstatat", "openat", "prctl",
	"read", "rt_sigreturn", "setgid", "setgroups", "setuid", "write",
	NULL,
};

/* crun 1.8.1 (Debian 12), x86_64: crun loads the filter as late as it can,
 * so only the last steps of its init remain (capabilities, ids, closing
 * descriptors, execve). */
static const char *const crun_names[] = {
	"capset", "close", "execve", "prctl", "rt_sigaction", "rt_sigprocmask", "setresgid", "setresuid",
	"write", NULL,
};

const char *const *sp_gen_runtime_names(const char *runtime)
{
	if (!runtime)
		return NULL;
	if (!strcmp(runtime, "runc"))
		return runc_names;
	if (!strcmp(runtime, "crun"))
		return crun_names;
	return NULL;
}
