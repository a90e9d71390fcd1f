/* SPDX-License-Identifier: MIT */
/*
 * Victim: a tiny debugger.  It forks a child that asks to be traced by its
 * parent (PTRACE_TRACEME) and then tries to attach to the child itself
 * (PTRACE_ATTACH).  Under a recorder both fail (a task has one tracer,
 * ptrace(2): EPERM), and a debugger that then waited for ptrace stops
 * would hang; this one reports each result and exits:
 *     traceme: <errno name or 0>
 *     attach: <errno name or 0>
 * and exits 0 if both worked (not recorded), 3 if either failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *res(long r, int e)
{
	return r == 0 ? "0" : strerrorname_np(e);
}

int main(void)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return 2;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		int e = errno;
		char c = r == 0 ? 'y' : 'n';
		printf("traceme: %s\n", res(r, e));
		fflush(stdout);
		if (write(pipefd[1], &c, 1) != 1)
			_exit(2);
		pause(); /* until the parent kills us */
		_exit(0);
	}
	char c = 0;
	if (read(pipefd[0], &c, 1) != 1)
		return 2;
	long r = -1;
	int e = 0;
	if (c == 'n') { /* TRACEME failed: try to attach from this side */
		r = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
		e = errno;
	}
	printf("attach: %s\n", c == 'y' ? "not needed" : res(r, e));
	fflush(stdout);
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	return c == 'y' || r == 0 ? 0 : 3;
}
