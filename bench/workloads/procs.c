/* SPDX-License-Identifier: MIT */
/*
 * Benchmark workload: many short-lived processes, some of them alive at the
 * same time, so a tracer has to keep per-task state for a crowd and throw it
 * away again.  Used for the tracer's peak memory and recording size.
 *
 *     procs [TOTAL [CONCURRENT [PROGRAM]]]    defaults: 1000, 50, /bin/true
 *
 * Forks TOTAL children, never more than CONCURRENT alive at once; each child
 * execs PROGRAM (no arguments).  Exit status 0 when every child exited 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long total = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	long conc = argc > 2 ? strtol(argv[2], NULL, 10) : 50;
	const char *prog = argc > 3 ? argv[3] : "/bin/true";
	if (total < 0 || conc < 1) {
		fprintf(stderr, "usage: procs [TOTAL [CONCURRENT [PROGRAM]]]\n");
		return 2;
	}
	long started = 0, alive = 0, failed = 0;
	while (started < total || alive > 0) {
		if (started < total && alive < conc) {
			pid_t pid = fork();
			if (pid < 0) {
				perror("fork");
				return 2;
			}
			if (pid == 0) {
				execl(prog, prog, (char *)NULL);
				_exit(127);
			}
			started++;
			alive++;
			continue;
		}
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("wait");
			return 2;
		}
		alive--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	return failed ? 1 : 0;
}
