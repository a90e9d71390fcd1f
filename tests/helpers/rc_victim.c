/* SPDX-License-Identifier: MIT */
/*
 * Victim for run/check tests.  Makes ordinary start-up calls, then one
 * deliberate getppid() (a call nothing else in a small program makes), and
 * says how it went:
 *   "getppid ok"            exit 0
 *   "getppid: <strerror>"   exit 3
 * HELPER-M32: also built as rc_victim-m32 (foreign-ABI checks).
 * With "threads" it does the getppid() from a second thread as well, with
 * "exit N" it exits N after the call.
 * "getsid" calls getsid(0) instead of getppid, in two threads.
 * "workload" makes neither getppid nor getsid: three threads and a child process
 * each change to "." and yield, then it prints "workload ok" and exits 0
 * (tests/abis/: a multi-threaded run to record, whose profile must then
 * refuse the getsid of `rc_victim getsid`).
 * Built with -DSP_FILTER_HEADER="file.h" it includes a header written by
 * `seccomp-profile generate -f c` and installs its filter first thing in
 * main (tests/abis/: the `c` format enforced in the emulated machines).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef SP_FILTER_HEADER
#include SP_FILTER_HEADER
#endif

/* The deliberate call: getppid, or getsid(0) with "getsid" (a call that no
 * container runtime's post-filter list holds, tests/abis/). */
static long call_nr = SYS_getppid;
static const char *call_name = "getppid";

static int call(void)
{
	long r = syscall(call_nr, 0L);
	if (r < 0) {
		printf("%s: %s\n", call_name, strerror(errno));
		return 3;
	}
	printf("%s ok\n", call_name);
	return 0;
}

static void *thread_main(void *arg)
{
	*(int *)arg = call();
	return NULL;
}

/* The threads and main meet once: the first to arrive always sleeps in
 * futex, so every run (the recorded one and the enforced ones) calls it;
 * without the barrier only an unlucky interleaving of pthread_join would,
 * and a profile recorded from a lucky run would refuse it. */
static pthread_barrier_t meet;

static void *work(void *arg)
{
	if (arg)
		pthread_barrier_wait(&meet);
	if (chdir(".") != 0)
		return (void *)1;
	sched_yield();
	return NULL;
}

static int workload(void)
{
	pthread_t t[3];
	int bad = 0;
	pthread_barrier_init(&meet, NULL, 4);
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, work, &meet))
			return 4;
	pthread_barrier_wait(&meet);
	pid_t p = fork();
	if (p == 0)
		_exit(work(NULL) ? 1 : 0);
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad |= r != NULL;
	}
	int st;
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		bad = 1;
	printf(bad ? "workload failed\n" : "workload ok\n");
	return bad ? 5 : 0;
}

int main(int argc, char **argv)
{
#ifdef SP_FILTER_HEADER
	if (sp_seccomp_install() != 0) {
		perror("sp_seccomp_install");
		return 2;
	}
#endif
	if (argc > 1 && !strcmp(argv[1], "workload"))
		return workload();
	if (argc > 1 && !strcmp(argv[1], "getsid")) {
		call_nr = SYS_getsid;
		call_name = "getsid";
	}
	int rc = call();
	if (argc > 1 && (!strcmp(argv[1], "threads") || !strcmp(argv[1], "getsid"))) {
		pthread_t t;
		int trc = 0;
		pthread_create(&t, NULL, thread_main, &trc);
		pthread_join(t, NULL);
		rc |= trc;
	}
	fflush(stdout);
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	return rc;
}
