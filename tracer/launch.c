/* SPDX-License-Identifier: MIT */
/*
 * tracer/launch.c: start the workload under ptrace.
 *
 * The child stops itself with SIGSTOP; the tracer waits for that stop,
 * seizes it (PTRACE_SEIZE with all our options, see below) and sends
 * SIGCONT.  Only then does the child install the seccomp filter and call
 * execve.  The order matters:
 *  - a SECCOMP_RET_TRACE filter with no tracer attached makes every traced
 *    call fail with ENOSYS (seccomp(2)), so the filter goes on after the
 *    seize;
 *  - PTRACE_O_EXITKILL is in place before the workload runs, so no tracee
 *    ever runs untraced, even if the recorder is SIGKILLed;
 *  - seizing a task that is in group-stop makes the kernel re-report that
 *    stop as PTRACE_EVENT_STOP (SIGSTOP): the loop answers it with
 *    PTRACE_LISTEN like any group-stop, and the SIGCONT sent here ends it
 *    (it then arrives as an ordinary signal-delivery-stop and is
 *    re-injected, which is harmless).
 * Between the SIGCONT and the execve the child is marked T_PREEXEC: its
 * stops there (the kill() returning, prctl, seccomp) are the launcher's,
 * not the workload's, and are not recorded; the execve itself is counted
 * at its PTRACE_EVENT_EXEC.
 *
 * The child reports failures through a close-on-exec pipe as two ints
 * {what, errno}: what = 1 the filter could not be installed (the child
 * goes on and execs without it; the tracer falls back to PTRACE_SYSCALL),
 * what = 2 execve failed (the child exits 127).  A successful execve
 * closes the pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "tracer/internal.h"

extern char **environ;

enum { REPORT_FILTER = 1, REPORT_EXEC = 2 };

/* Syscall numbers are only ever 0..~1000 on every ABI, and x32 ones carry
 * bit 30, so this one-instruction program traces everything on every ABI
 * (i386 via int 0x80 included). */
static struct sock_filter trace_all_insn[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
};
static const struct sock_fprog trace_all = {
	.len = 1,
	.filter = trace_all_insn,
};

static bool is_exec_file(const char *p, int *why)
{
	struct stat sb;
	if (stat(p, &sb) < 0) {
		*why = errno;
		return false;
	}
	if (S_ISDIR(sb.st_mode)) {
		*why = EACCES;
		return false;
	}
	if (access(p, X_OK) < 0) {
		*why = errno;
		return false;
	}
	return true;
}

int sp_tracer_resolve(const char *cmd, char **out, struct sp_err *err)
{
	int why = ENOENT;
	if (!*cmd)
		return sp_err_set(err, -ENOENT, "'': command not found");
	if (strchr(cmd, '/')) {
		if (is_exec_file(cmd, &why)) {
			*out = xstrdup(cmd);
			return 0;
		}
		if (why == ENOENT || why == ENOTDIR)
			return sp_err_set(err, -ENOENT, "'%s': no such file", cmd);
		return sp_err_set(err, -EACCES, "'%s': not executable (%s)", cmd, strerror(why));
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	/* Like execvp: the first executable match wins; a match that exists
	 * but cannot be executed is remembered for the error. */
	_cleanup_free_ char *denied = NULL;
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		_cleanup_free_ char *cand = end == p ? xasprintf("./%s", cmd)
						     : xasprintf("%.*s/%s", (int)(end - p), p, cmd);
		int w = 0;
		if (is_exec_file(cand, &w)) {
			*out = steal_ptr(cand);
			return 0;
		}
		if (w != ENOENT && w != ENOTDIR && !denied)
			denied = steal_ptr(cand);
		if (!*end)
			break;
		p = end;
	}
	if (denied)
		return sp_err_set(err, -EACCES, "'%s': not executable", denied);
	return sp_err_set(err, -ENOENT, "'%s': command not found", cmd);
}

static void report(int fd, int what, int e)
{
	int msg[2] = {what, e};
	ssize_t n = write(fd, msg, sizeof(msg));
	(void)n;
}

static void __attribute__((noreturn)) child(struct sp_tracer *t, int wfd)
{
	const struct sp_tracer_opts *o = t->o;
	/* Wait here for the tracer to seize us. */
	kill(getpid(), SIGSTOP);
	if (t->seccomp) {
		const struct sock_fprog *f = o->filter ? o->filter : &trace_all;
		/* Unprivileged filters need no_new_privs; it also means
		 * setuid executables run without their privileges. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			report(wfd, REPORT_FILTER, errno);
		else if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, f) < 0 &&
			 prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, f) < 0)
			report(wfd, REPORT_FILTER, errno);
	}
	execve(o->path, o->argv, environ);
	report(wfd, REPORT_EXEC, errno);
	_exit(127);
}

void sp_launch_read_report(struct sp_tracer *t)
{
	int msg[2];
	if (t->report_fd < 0)
		return;
	while (read(t->report_fd, msg, sizeof(msg)) == (ssize_t)sizeof(msg)) {
		if (msg[0] == REPORT_FILTER && !t->filter_failed) {
			t->filter_failed = true;
			free(t->rec->meta.tracing_note);
			t->rec->meta.tracing_note =
				xasprintf("seccomp filter could not be installed (%s): plain ptrace used",
					  strerror(msg[1]));
		} else if (msg[0] == REPORT_EXEC)
			t->report_err = msg[1];
	}
}

int sp_launch(struct sp_tracer *t, struct sp_err *err)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return sp_err_sys(err, "pipe");

	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return sp_err_sys(err, "fork");
	}
	if (pid == 0) {
		close(fds[0]);
		child(t, fds[1]);
	}
	close(fds[1]);
	t->report_fd = fds[0];
	fcntl(t->report_fd, F_SETFL, O_NONBLOCK);

	int status;
	while (waitpid(pid, &status, WSTOPPED) < 0) {
		if (errno != EINTR) {
			kill(pid, SIGKILL);
			return sp_err_sys(err, "waitpid %d", (int)pid);
		}
	}
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return sp_err_set(err, -ECHILD, "launcher child did not stop (status %#x)", status);
	}

	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (t->seccomp)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, pid, 0L, opts) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = e;
		if (e == EPERM)
			return sp_err_set(err, -EPERM, "ptrace(PTRACE_SEIZE) of the workload: %s; %s",
					  strerror(e), sp_ptrace_eperm_hint());
		return sp_err_sys(err, "ptrace(PTRACE_SEIZE) of the workload");
	}
	t->leader = pid;
	struct sp_task *tk = sp_task_add(t, pid);
	tk->flags |= T_PREEXEC;
	sp_task_count(t, tk, false);
	kill(pid, SIGCONT);
	return 0;
}
