/* SPDX-License-Identifier: MIT */
/*
 * Machine probe (no tracer): what a wakeup costs between two tasks on the
 * same CPU and on different CPUs.  A ptrace stop is two such wakeups (the
 * tracee wakes the tracer, the tracer resumes the tracee), so this is the
 * floor under every tracer's per-stop cost.  See docs/performance.md.
 *
 *     pingpong [ROUNDS [CPU_A CPU_B]]     default 100000 rounds, no pinning
 *
 * A parent and a child bounce one byte over two pipes ROUNDS times; with
 * CPU_A/CPU_B the parent is pinned to CPU_A and the child to CPU_B (equal
 * numbers = same CPU).  Prints the mean round trip in microseconds.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu)
{
	if (cpu < 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		perror("sched_setaffinity");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	int a = argc > 3 ? atoi(argv[2]) : -1, b = argc > 3 ? atoi(argv[3]) : -1;
	int ping[2], pong[2];
	char c = 0;
	if (rounds < 1 || pipe(ping) < 0 || pipe(pong) < 0)
		return 2;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		pin(b);
		for (long i = 0; i < rounds; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	pin(a);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int st;
	waitpid(pid, &st, 0);
	double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / rounds;
	printf("%.2f us per round trip (%ld rounds, cpus %d/%d)\n", us, rounds, a, b);
	return 0;
}
