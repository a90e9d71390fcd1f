/* SPDX-License-Identifier: MIT */
/*
 * Benchmark workload: the cheapest possible syscall in a tight loop, so the
 * cost measured is almost entirely the per-syscall cost a tracer adds.
 *
 *     getppid_loop [TOTAL [THREADS]]      defaults: 1000000 calls, 1 thread
 *
 * TOTAL calls are split evenly over THREADS threads (so the 1- and 2-thread
 * rows do the same work).  getppid is issued with syscall(2): glibc has never
 * cached it, but going through syscall() makes that independent of the libc.
 * Exit status 0 when every call returned the same parent, 1 otherwise.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long per_thread;
static long expected_ppid;

static void *loop(void *arg)
{
	long bad = 0;
	for (long i = 0; i < per_thread; i++)
		if (syscall(SYS_getppid) != expected_ppid)
			bad++;
	*(long *)arg = bad;
	return NULL;
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	long threads = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
	if (total < 0 || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: getppid_loop [TOTAL [THREADS]]\n");
		return 2;
	}
	per_thread = total / threads;
	expected_ppid = syscall(SYS_getppid);

	pthread_t tid[64];
	long bad[64] = {0};
	/* Thread 0 is the main thread itself: the 1-thread row creates none. */
	for (long t = 1; t < threads; t++)
		if (pthread_create(&tid[t], NULL, loop, &bad[t]) != 0) {
			perror("pthread_create");
			return 2;
		}
	loop(&bad[0]);
	long sum = bad[0];
	for (long t = 1; t < threads; t++) {
		pthread_join(tid[t], NULL);
		sum += bad[t];
	}
	return sum ? 1 : 0;
}
