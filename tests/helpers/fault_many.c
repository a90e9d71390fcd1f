/* SPDX-License-Identifier: MIT */
/*
 * Victim: many tasks at once.  `fault_many PROCS THREADS`:
 *   - starts THREADS threads that all wait on one barrier (so they exist
 *     at the same time), each makes exactly one getpgid(0), then ends;
 *   - forks PROCS children without waiting in between (many alive at
 *     once), each makes exactly one getppid and _exits;
 *   - reaps everything and prints "many: PROCS processes, THREADS threads".
 * getppid and getpgid are made nowhere else (raw syscalls; glibc does not
 * call them on its own), so a recording of this run must count exactly
 * PROCS getppid and THREADS getpgid: a missed task shows as a shortfall.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t barrier;

static void *thread_main(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	syscall(SYS_getpgid, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 1000;
	int nthreads = argc > 2 ? atoi(argv[2]) : 200;
	pthread_t *t = calloc((size_t)nthreads + 1, sizeof(*t));
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads + 1);
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], &attr, thread_main, NULL)) {
			fprintf(stderr, "pthread_create %d failed\n", i);
			return 2;
		}
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);

	int started = 0;
	for (int i = 0; i < procs; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0) {
			syscall(SYS_getppid);
			_exit(0);
		}
		started++;
	}
	int bad = 0;
	for (int i = 0; i < started; i++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	printf("many: %d processes, %d threads\n", started, nthreads);
	return started == procs && !bad ? 0 : 1;
}
