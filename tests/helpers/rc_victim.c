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
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int call(void)
{
	long r = syscall(SYS_getppid);
	if (r < 0) {
		printf("getppid: %s\n", strerror(errno));
		return 3;
	}
	printf("getppid ok\n");
	return 0;
}

static void *thread_main(void *arg)
{
	*(int *)arg = call();
	return NULL;
}

int main(int argc, char **argv)
{
	int rc = call();
	if (argc > 1 && !strcmp(argv[1], "threads")) {
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
