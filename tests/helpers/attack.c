/* SPDX-License-Identifier: MIT */
/*
 * Victim: tries to get around a seccomp filter.  `attack MODE...` runs each
 * mode in turn and prints one line per mode, "MODE ret=R errno=NAME":
 *   ok        getpid() the normal way (a control: the filter allows it)
 *   int80     getpid through `int $0x80` (the i386 ABI) from this 64-bit
 *             process: refused unless i386 is in the profile
 *   x32       getpid with the x32 bit (0x40000000 | 39): refused unless x32
 *             is in the profile (then ENOSYS where the kernel lacks x32)
 *   nr-1      syscall(-1): the default action
 *   nr-high   syscall(1000) and syscall(0x3fffffff): the default action
 *   thread-int80  int80 from a second thread while the first waits in
 *             pthread_join: a KILL_THREAD would leave the process hanging
 *   thread-nr-1   syscall(-1) from a second thread (the default action;
 *             with `--default-action kill` the whole process must die)
 *   thread-x32    x32 from a second thread: like thread-int80, for
 *             kernels that cannot run int $0x80 at all
 * A refused call that kills the process ends it with SIGSYS before its
 * line is printed.  Built with -DSP_FILTER_HEADER="file.h", it includes a
 * header written by `seccomp-profile generate -f c` and installs its filter
 * first thing in main.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SP_FILTER_HEADER
#include SP_FILTER_HEADER
#endif

static long int80(long nr)
{
#if defined(__x86_64__)
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
#else
	(void)nr;
	errno = ENOSYS;
	return -1;
#endif
}

static void report(const char *mode, long r)
{
	int e = errno;
	printf("%s ret=%ld errno=%s\n", mode, r < 0 ? -1 : 0L, r < 0 ? strerrorname_np(e) : "0");
	fflush(stdout);
}

static void *thread_main(void *arg)
{
	const char *m = arg;
	if (!strcmp(m, "thread-nr-1"))
		report(m, syscall(-1L));
	else if (!strcmp(m, "thread-x32"))
		report(m, syscall(0x40000000L | SYS_getpid));
	else
		report(m, int80(20)); /* i386 getpid */
	return NULL;
}

int main(int argc, char **argv)
{
#ifdef SP_FILTER_HEADER
	if (sp_seccomp_install() != 0) {
		perror("sp_seccomp_install");
		return 2;
	}
#endif
	for (int i = 1; i < argc; i++) {
		const char *m = argv[i];
		errno = 0;
		if (!strcmp(m, "ok")) {
			report(m, syscall(SYS_getpid));
		} else if (!strcmp(m, "int80")) {
			report(m, int80(20));
		} else if (!strcmp(m, "x32")) {
			report(m, syscall(0x40000000L | SYS_getpid));
		} else if (!strcmp(m, "nr-1")) {
			report(m, syscall(-1L));
		} else if (!strcmp(m, "nr-high")) {
			long r = syscall(1000L);
			if (r == -1 && errno != ENOSYS)
				report(m, syscall(0x3fffffffL));
			else
				report(m, r);
		} else if (!strcmp(m, "thread-int80") || !strcmp(m, "thread-nr-1") || !strcmp(m, "thread-x32")) {
			pthread_t t;
			if (pthread_create(&t, NULL, thread_main, (void *)m))
				return 2;
			pthread_join(t, NULL);
		} else {
			fprintf(stderr, "attack: unknown mode '%s'\n", m);
			return 2;
		}
	}
	return 0;
}
