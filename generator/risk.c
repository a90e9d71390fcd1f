/* SPDX-License-Identifier: MIT */
/*
 * The risk table.  High: the call reaches kernel surface that sandboxes
 * exist to keep away (other processes' memory, eBPF, namespaces, mounts,
 * keyrings, modules, io_uring), or changes system-wide state.  Medium:
 * ordinary for some programs but a change in what a program can do (run
 * other programs, network access, credentials, signals to others, device
 * ioctls).  Everything else is low.  Keep docs/risk.md in sync (a unit test
 * compares them).
 */
#include "generator/risk.h"

#include <errno.h>
#include <string.h>

#include "core/util.h"

static const struct sp_risk_row table[] = {
	/* high */
	{"ptrace", SP_RISK_HIGH, "inspect and modify other processes; bypasses seccomp before Linux 4.8"},
	{"process_vm_readv", SP_RISK_HIGH, "read another process's memory"},
	{"process_vm_writev", SP_RISK_HIGH, "write another process's memory"},
	{"pidfd_getfd", SP_RISK_HIGH, "take file descriptors from another process"},
	{"bpf", SP_RISK_HIGH, "load eBPF programs and maps into the kernel"},
	{"perf_event_open", SP_RISK_HIGH, "performance counters: kernel attack surface and side channels"},
	{"userfaultfd", SP_RISK_HIGH, "user-space page faults: a common tool to win kernel races"},
	{"io_uring_*", SP_RISK_HIGH, "io_uring: large kernel surface whose operations seccomp cannot filter"},
	{"keyctl", SP_RISK_HIGH, "kernel keyrings (not namespaced)"},
	{"add_key", SP_RISK_HIGH, "kernel keyrings (not namespaced)"},
	{"request_key", SP_RISK_HIGH, "kernel keyrings (not namespaced)"},
	{"unshare", SP_RISK_HIGH, "new namespaces: user namespaces expose root-only kernel surface"},
	{"setns", SP_RISK_HIGH, "enter other namespaces"},
	{"mount", SP_RISK_HIGH, "change the mount table"},
	{"umount", SP_RISK_HIGH, "change the mount table"},
	{"umount2", SP_RISK_HIGH, "change the mount table"},
	{"mount_setattr", SP_RISK_HIGH, "change the mount table"},
	{"move_mount", SP_RISK_HIGH, "change the mount table"},
	{"open_tree", SP_RISK_HIGH, "change the mount table"},
	{"fsopen", SP_RISK_HIGH, "new mount API: create filesystems"},
	{"fsconfig", SP_RISK_HIGH, "new mount API: configure filesystems"},
	{"fsmount", SP_RISK_HIGH, "new mount API: mount filesystems"},
	{"fspick", SP_RISK_HIGH, "new mount API: reconfigure filesystems"},
	{"pivot_root", SP_RISK_HIGH, "change the root filesystem"},
	{"chroot", SP_RISK_HIGH, "change the root directory (escapable with open directories)"},
	{"open_by_handle_at", SP_RISK_HIGH, "open files by handle, bypassing paths (container escape)"},
	{"name_to_handle_at", SP_RISK_HIGH, "file handles for open_by_handle_at"},
	{"kexec_*", SP_RISK_HIGH, "replace the running kernel"},
	{"init_module", SP_RISK_HIGH, "load kernel modules"},
	{"finit_module", SP_RISK_HIGH, "load kernel modules"},
	{"create_module", SP_RISK_HIGH, "load kernel modules (obsolete)"},
	{"delete_module", SP_RISK_HIGH, "unload kernel modules"},
	{"personality", SP_RISK_HIGH, "execution domain: can disable ASLR, changes syscall behaviour"},
	{"swapon", SP_RISK_HIGH, "system swap configuration"},
	{"swapoff", SP_RISK_HIGH, "system swap configuration"},
	{"reboot", SP_RISK_HIGH, "reboot or halt the machine"},
	{"iopl", SP_RISK_HIGH, "direct I/O port access"},
	{"ioperm", SP_RISK_HIGH, "direct I/O port access"},
	{"modify_ldt", SP_RISK_HIGH, "per-process descriptor table: a classic exploit vector"},
	{"vm86", SP_RISK_HIGH, "virtual 8086 mode"},
	{"vm86old", SP_RISK_HIGH, "virtual 8086 mode"},
	{"acct", SP_RISK_HIGH, "system-wide process accounting"},
	{"quotactl", SP_RISK_HIGH, "filesystem quotas"},
	{"quotactl_fd", SP_RISK_HIGH, "filesystem quotas"},
	{"settimeofday", SP_RISK_HIGH, "set the system clock (not namespaced)"},
	{"stime", SP_RISK_HIGH, "set the system clock (not namespaced)"},
	{"clock_settime*", SP_RISK_HIGH, "set the system clock (not namespaced)"},
	{"clock_adjtime*", SP_RISK_HIGH, "adjust the system clock (not namespaced)"},
	{"adjtimex", SP_RISK_HIGH, "adjust the system clock (not namespaced)"},
	{"syslog", SP_RISK_HIGH, "read or clear the kernel log (leaks kernel addresses)"},
	{"fanotify_init", SP_RISK_HIGH, "filesystem-wide access monitoring"},
	{"lookup_dcookie", SP_RISK_HIGH, "kernel profiling support (obsolete)"},
	{"nfsservctl", SP_RISK_HIGH, "kernel NFS server control (obsolete)"},
	{"uselib", SP_RISK_HIGH, "load a shared library the pre-ELF way (obsolete)"},
	{"_sysctl", SP_RISK_HIGH, "kernel parameters (obsolete)"},
	{"vhangup", SP_RISK_HIGH, "hang up the controlling terminal"},
	/* medium */
	{"execve", SP_RISK_MEDIUM, "runs another program"},
	{"execveat", SP_RISK_MEDIUM, "runs another program"},
	{"clone", SP_RISK_MEDIUM, "new processes or threads; flags can create namespaces"},
	{"clone3", SP_RISK_MEDIUM, "new processes or threads; flags can create namespaces"},
	{"fork", SP_RISK_MEDIUM, "new processes"},
	{"vfork", SP_RISK_MEDIUM, "new processes"},
	{"setuid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setgid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setreuid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setregid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setresuid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setresgid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setfsuid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setfsgid*", SP_RISK_MEDIUM, "changes credentials"},
	{"setgroups*", SP_RISK_MEDIUM, "changes credentials"},
	{"capset", SP_RISK_MEDIUM, "changes capabilities"},
	{"prctl", SP_RISK_MEDIUM, "process attributes (dumpable, no_new_privs, seccomp, ...)"},
	{"seccomp", SP_RISK_MEDIUM, "installs filters or user notification"},
	{"kill", SP_RISK_MEDIUM, "signals other processes"},
	{"tkill", SP_RISK_MEDIUM, "signals other threads"},
	{"tgkill", SP_RISK_MEDIUM, "signals other threads"},
	{"pidfd_send_signal", SP_RISK_MEDIUM, "signals other processes"},
	{"rt_sigqueueinfo", SP_RISK_MEDIUM, "signals other processes with data"},
	{"rt_tgsigqueueinfo", SP_RISK_MEDIUM, "signals other threads with data"},
	{"kcmp", SP_RISK_MEDIUM, "compares kernel objects of other processes"},
	{"socket", SP_RISK_MEDIUM, "network access"},
	{"socketcall", SP_RISK_MEDIUM, "network access (i386 multiplexer, arguments not filterable)"},
	{"connect", SP_RISK_MEDIUM, "network access"},
	{"bind", SP_RISK_MEDIUM, "listens on the network"},
	{"listen", SP_RISK_MEDIUM, "listens on the network"},
	{"accept", SP_RISK_MEDIUM, "accepts network connections"},
	{"accept4", SP_RISK_MEDIUM, "accepts network connections"},
	{"ioctl", SP_RISK_MEDIUM, "device-specific operations: the widest driver surface"},
	{"mknod", SP_RISK_MEDIUM, "creates device nodes"},
	{"mknodat", SP_RISK_MEDIUM, "creates device nodes"},
	{"memfd_create", SP_RISK_MEDIUM, "anonymous files: fileless code execution"},
	{"memfd_secret", SP_RISK_MEDIUM, "secret memory areas hidden from the kernel"},
	{"mprotect", SP_RISK_MEDIUM, "changes memory protection (can make memory executable)"},
	{"pkey_mprotect", SP_RISK_MEDIUM, "changes memory protection (can make memory executable)"},
	{"chown*", SP_RISK_MEDIUM, "changes file ownership"},
	{"fchown*", SP_RISK_MEDIUM, "changes file ownership"},
	{"lchown*", SP_RISK_MEDIUM, "changes file ownership"},
	{"setrlimit", SP_RISK_MEDIUM, "resource limits"},
	{"prlimit64", SP_RISK_MEDIUM, "resource limits, also of other processes"},
	{"setpriority", SP_RISK_MEDIUM, "scheduling priority, also of other processes"},
	{"sched_setscheduler", SP_RISK_MEDIUM, "scheduling policy, also of other processes"},
	{"sched_setparam", SP_RISK_MEDIUM, "scheduling policy, also of other processes"},
	{"sched_setattr", SP_RISK_MEDIUM, "scheduling policy, also of other processes"},
	{"ioprio_set", SP_RISK_MEDIUM, "I/O priority, also of other processes"},
	{"mbind", SP_RISK_MEDIUM, "NUMA memory policy"},
	{"set_mempolicy", SP_RISK_MEDIUM, "NUMA memory policy"},
	{"migrate_pages", SP_RISK_MEDIUM, "moves memory of other processes"},
	{"move_pages", SP_RISK_MEDIUM, "moves memory of other processes"},
	{"process_madvise", SP_RISK_MEDIUM, "advice on other processes' memory"},
	{"process_mrelease", SP_RISK_MEDIUM, "releases memory of a dying process"},
};

static bool matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);
	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, name, n - 1);
	return !strcmp(pattern, name);
}

const struct sp_risk_row *sp_risk_lookup(const char *name)
{
	for (size_t i = 0; name && i < SP_ARRAY_SIZE(table); i++)
		if (matches(table[i].pattern, name))
			return &table[i];
	return NULL;
}

enum sp_risk sp_risk_of(const char *name)
{
	const struct sp_risk_row *r = sp_risk_lookup(name);
	return r ? r->level : SP_RISK_LOW;
}

const char *sp_risk_name(enum sp_risk r)
{
	switch (r) {
	case SP_RISK_HIGH: return "high";
	case SP_RISK_MEDIUM: return "medium";
	case SP_RISK_LOW: break;
	}
	return "low";
}

const struct sp_risk_row *sp_risk_table(size_t *n)
{
	*n = SP_ARRAY_SIZE(table);
	return table;
}

int sp_risk_parse_set(const char *s, unsigned *mask, struct sp_err *err)
{
	*mask = 0;
	const char *p = s;
	for (;;) {
		size_t n = strcspn(p, ",");
		bool ok = false;
		if (n == 3 && !strncmp(p, "all", 3)) {
			*mask |= 1u << SP_RISK_LOW | 1u << SP_RISK_MEDIUM | 1u << SP_RISK_HIGH;
			ok = true;
		}
		for (int r = SP_RISK_LOW; r <= SP_RISK_HIGH && !ok; r++)
			if (n == strlen(sp_risk_name((enum sp_risk)r)) && !strncmp(p, sp_risk_name((enum sp_risk)r), n)) {
				*mask |= 1u << r;
				ok = true;
			}
		if (!ok)
			return sp_err_set(err, -EINVAL, "unknown risk class '%.*s' (low, medium, high, all)", (int)n, p);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}
