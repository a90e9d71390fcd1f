/* SPDX-License-Identifier: MIT */
/*
 * Victim: starts a child with clone(CLONE_UNTRACED) (`fault_untraced
 * clone3`: with clone3 and CLONE_UNTRACED in clone_args.flags), which a ptrace tracer
 * does not follow even with PTRACE_O_TRACECLONE/TRACEFORK (clone(2)).  The
 * child makes one getppid and exits 0; the parent reaps it and prints
 * "untraced child: status N".  A recorder must either trace the child
 * anyway or report that a task escaped; it must never silently miss it.
 *
 * (Under a seccomp "trace everything" filter an untraced task has no
 * tracer, so its filtered calls fail with ENOSYS, exit_group included;
 * the child then dies on a trap instruction, as glibc's _exit would, and
 * the parent prints its status: the test does not depend on it.)
 * HELPER-M32: also built as an i386 program (the flag sits in ebx there).
 */
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

int main(int argc, char **argv)
{
	/* Raw clone: a fork-like child on the same stack (no CLONE_VM). */
	long pid;
	if (argc > 1 && !strcmp(argv[1], "clone3")) {
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_UNTRACED;
		ca.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
	} else {
		pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), 0UL, NULL, NULL, 0UL);
	}
	if (pid < 0) {
		perror("clone");
		return 2;
	}
	if (pid == 0) {
		long r = syscall(SYS_getppid);
		syscall(SYS_exit_group, r > 0 ? 0 : 1);
		__builtin_trap();
	}
	int st = 0;
	if (waitpid((pid_t)pid, &st, __WALL) < 0) {
		perror("waitpid");
		return 2;
	}
	printf("untraced child: status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
