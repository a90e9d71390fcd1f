/* Victim for record: process creation and execve in every shape.
 *   rec_exec vfork        vfork() + execve of ourselves ("leaf")
 *   rec_exec thread-exec  a non-leader thread calls execve ("leaf"): the
 *                         kernel gives it the leader's tid
 *   rec_exec spawn        posix_spawn of ourselves ("leaf")
 *   rec_exec clone3       raw clone3 (fork-like, then CLONE_VM|CLONE_VFORK
 *                         with exit_signal 0) children that exit at once
 *   rec_exec chain N      execs itself N times, then "leaf"
 *   rec_exec leaf         getcwd + sched_yield, exit 0 (the marker calls)
 *   rec_exec exec CMD...  getcwd, then execve CMD (tests/abis/: an i386
 *                         program that becomes a 64-bit one and back) */
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char *self;

static void exec_leaf(void)
{
	char *args[] = {self, (char *)"leaf", NULL};
	execve(self, args, environ);
	_exit(20);
}

#ifdef SYS_pause /* thread-exec: not on aarch64, which has no pause syscall */
static pid_t main_tid;

/* The leader's current system call number, -1 if none/unknown, and
 * whether it sleeps (state S: not running, not in a ptrace stop). */
static long leader_syscall(bool *sleeping)
{
	char p[96], buf[512];
	long nr = -1;
	snprintf(p, sizeof(p), "/proc/self/task/%d/syscall", (int)main_tid);
	FILE *f = fopen(p, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			nr = strtol(buf, NULL, 10);
		fclose(f);
	}
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", (int)main_tid);
	*sleeping = false;
	f = fopen(p, "r");
	if (f) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		char *s = strrchr(buf, ')');
		*sleeping = s && s[1] && s[2] == 'S';
		fclose(f);
	}
	return nr;
}

static void *thread_exec(void *arg)
{
	(void)arg;
	/* Exec only once the leader sleeps in pause(): its pause is then
	 * always part of the run, whatever the scheduling. */
	bool sleeping = false;
	while (leader_syscall(&sleeping) != SYS_pause || !sleeping)
		sched_yield();
	exec_leaf();
	return NULL;
}
#endif

static int reap(void)
{
	int st, bad = 0;
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	return bad;
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "exec") && argc > 2) {
		char buf[256];
		if (!getcwd(buf, sizeof(buf)))
			return 3;
		execve(argv[2], argv + 2, environ);
		return 127;
	}
	if (!strcmp(argv[1], "leaf")) {
		char buf[256];
		if (!getcwd(buf, sizeof(buf)))
			return 3;
		sched_yield();
		return 0;
	}
	if (!strcmp(argv[1], "vfork")) {
		pid_t p = vfork();
		if (p == 0)
			exec_leaf();
		return p < 0 ? 4 : reap();
	}
	if (!strcmp(argv[1], "thread-exec")) {
#ifndef SYS_pause
		return 77;
#else
		pthread_t t;
		main_tid = getpid();
		pthread_create(&t, NULL, thread_exec, NULL);
		syscall(SYS_pause); /* the exec replaces us */
		return 5;
#endif
	}
	if (!strcmp(argv[1], "spawn")) {
		char *args[] = {self, (char *)"leaf", NULL};
		pid_t p;
		if (posix_spawn(&p, self, NULL, NULL, args, environ))
			return 6;
		return reap();
	}
	if (!strcmp(argv[1], "clone3")) {
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		long p = syscall(SYS_clone3, &ca, sizeof(ca));
		if (p == 0) {
			syscall(SYS_getppid);
			_exit(0);
		}
		if (p < 0)
			return 7;
		return reap();
	}
	if (!strcmp(argv[1], "chain")) {
		int n = argc > 2 ? atoi(argv[2]) : 0;
		if (n <= 0)
			exec_leaf();
		char num[16];
		snprintf(num, sizeof(num), "%d", n - 1);
		char *args[] = {self, (char *)"chain", num, NULL};
		execve(self, args, environ);
		return 8;
	}
	return 2;
}
