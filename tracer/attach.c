/* SPDX-License-Identifier: MIT */
/*
 * tracer/attach.c: seize every thread of running processes (-p PID).
 *
 * /proc/PID/task lists the threads at one instant; a thread created by a
 * thread we have not seized yet is not auto-attached (only children of
 * seized tasks are, via PTRACE_O_TRACECLONE).  So we list, seize what is
 * new, and list again until a pass finds nothing new.  Each seized thread
 * gets PTRACE_INTERRUPT: SEIZE itself does not stop the task, and it has
 * to be in a ptrace-stop once before PTRACE_SYSCALL can start syscall
 * tracing.  The interrupt arrives as PTRACE_EVENT_STOP (SIGTRAP), or as a
 * group-stop when the process was already stopped.
 *
 * No PTRACE_O_EXITKILL here: the processes are not ours and must outlive
 * the recorder.  Detaching (loop.c) interrupts every task and issues
 * PTRACE_DETACH at its next stop, re-injecting a pending signal.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/internal.h"

const char *sp_ptrace_eperm_hint(void)
{
	static char hint[512];
	char scope[16] = "";
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	if (f) {
		if (!fgets(scope, sizeof(scope), f))
			scope[0] = 0;
		fclose(f);
		scope[strcspn(scope, "\n")] = 0;
	}
	snprintf(hint, sizeof(hint),
		 "hint: the kernel refused ptrace: %s%s%s"
		 "the process may belong to another user or be setuid (needs CAP_SYS_PTRACE), "
		 "may already be traced (strace, gdb), or this container's seccomp profile "
		 "forbids ptrace (docker: --cap-add SYS_PTRACE --security-opt seccomp=unconfined)",
		 scope[0] ? "Yama ptrace_scope is " : "", scope,
		 scope[0] ? " (/proc/sys/kernel/yama/ptrace_scope; 0 allows tracing your own processes), " : "");
	return hint;
}

/* Seizes the threads of tgid not seized yet; *added counts them. */
static int seize_threads(struct sp_tracer *t, pid_t tgid, size_t *added, struct sp_err *err)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)tgid);
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return sp_err_set(err, -ESRCH, "no such process: %d", (int)tgid);
		return sp_err_sys(err, "%s", dir);
	}
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	struct dirent *de;
	int r = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		pid_t tid = (pid_t)atoi(de->d_name);
		if (sp_task_find(t, tid))
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0L, opts) < 0) {
			int e = errno;
			if (e == ESRCH)
				continue; /* exited since the listing */
			if (e == EPERM)
				r = sp_err_set(err, -EPERM, "ptrace(PTRACE_SEIZE) of pid %d: %s; %s",
					       (int)tid, strerror(e), sp_ptrace_eperm_hint());
			else
				r = sp_err_sys(err, "ptrace(PTRACE_SEIZE) of pid %d", (int)tid);
			break;
		}
		struct sp_task *tk = sp_task_add(t, tid);
		sp_task_count(t, tk, tid != tgid);
		if (ptrace(PTRACE_INTERRUPT, tid, 0L, 0L) < 0 && errno != ESRCH)
			sp_warn("pid %d: PTRACE_INTERRUPT: %s", (int)tid, strerror(errno));
		(*added)++;
	}
	closedir(d);
	return r;
}

int sp_attach(struct sp_tracer *t, struct sp_err *err)
{
	const struct sp_tracer_opts *o = t->o;
	for (size_t i = 0; i < o->npids; i++) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d", (int)o->pids[i]);
		if (o->pids[i] <= 0 || access(p, F_OK) < 0)
			return sp_err_set(err, -ESRCH, "no such process: %d", (int)o->pids[i]);
	}
	for (size_t i = 0; i < o->npids; i++) {
		pid_t tgid = o->pids[i];
		size_t added;
		int passes = 0;
		do {
			added = 0;
			int r = seize_threads(t, tgid, &added, err);
			if (r < 0)
				return r;
		} while (added && ++passes < 100);
		char *exe = sp_proc_exe(tgid);
		if (exe) {
			sp_recording_add_exe(t->rec, exe);
			free(exe);
		}
	}
	return 0;
}
