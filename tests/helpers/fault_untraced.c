/* SPDX-License-Identifier: MIT */
/*
 * Victim: starts a child with clone(CLONE_UNTRACED), which a ptrace tracer
 * does not follow even with PTRACE_O_TRACECLONE/TRACEFORK (clone(2)).  The
 * child makes one getppid and exits 0; the parent reaps it and prints
 * "untraced child: status N".  A recorder must either trace the child
 * anyway or report that a task escaped; it must never silently miss it.
 *
 * (Under a seccomp "trace everything" filter an untraced task has no
 * tracer, so its filtered calls fail with ENOSYS; the child then reports
 * 1 through its exit status, which the test does not depend on.)
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

int main(void)
{
	/* Raw clone: a fork-like child on the same stack (no CLONE_VM). */
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), 0UL, NULL, NULL, 0UL);
	if (pid < 0) {
		perror("clone");
		return 2;
	}
	if (pid == 0) {
		long r = syscall(SYS_getppid);
		syscall(SYS_exit_group, r > 0 ? 0 : 1);
		for (;;)
			;
	}
	int st = 0;
	if (waitpid((pid_t)pid, &st, __WALL) < 0) {
		perror("waitpid");
		return 2;
	}
	printf("untraced child: status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
