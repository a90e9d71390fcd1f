/* SPDX-License-Identifier: MIT */
/*
 * bench/runner.c: runs one command for the benchmark driver and reports its
 * wall time, exit status and peak RSS.
 *
 *     bench-runner [-c CPU[,CPU...]] -o RESULT -- CMD [ARGS...]
 *
 * Writes "WALL_SECONDS STATUS MAXRSS_KIB\n" to RESULT, where STATUS is the
 * exit code or minus the terminating signal.  With -c the command (and so
 * everything it starts) is confined to those CPUs.
 *
 * Why C and not the Python driver: on exec the kernel folds the old address
 * space's RSS high-water mark into the new program's ru_maxrss
 * (exec_mmap -> setmax_mm_hiwater_rss), and a posix_spawn or fork from a
 * 17 MiB Python process would report 17 MiB for every command.  Forking from
 * this small program keeps that floor near 1 MiB, as with /usr/bin/time.
 * wait4's ru_maxrss is the maximum of the command itself and every
 * descendant it reaped, so a tracer's figure includes its workload's top
 * process; the native row shows that part.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *result = NULL, *cpus = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "+c:o:")) != -1) {
		if (opt == 'c')
			cpus = optarg;
		else if (opt == 'o')
			result = optarg;
		else
			return 125;
	}
	if (!result || optind >= argc) {
		fprintf(stderr, "usage: bench-runner [-c CPUS] -o RESULT -- CMD [ARGS...]\n");
		return 125;
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	if (cpus) {
		char *dup = strdup(cpus), *save = NULL;
		for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
			CPU_SET(atoi(t), &set);
		free(dup);
	}
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-runner: fork");
		return 125;
	}
	if (pid == 0) {
		if (cpus && sched_setaffinity(0, sizeof(set), &set) < 0) {
			perror("bench-runner: sched_setaffinity");
			_exit(126);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "bench-runner: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench-runner: wait4");
			return 125;
		}
	}
	double wall = now() - t0;
	FILE *f = fopen(result, "w");
	if (!f) {
		perror(result);
		return 125;
	}
	fprintf(f, "%.6f %d %ld\n", wall, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st), ru.ru_maxrss);
	return fclose(f) == 0 ? 0 : 125;
}
