/* SPDX-License-Identifier: MIT */
/*
 * args_victim: exercises the flag arguments that argument rules restrict
 * (HELPER-M32: also built as build/helpers/args_victim-m32, where i386
 * glibc uses socketcall()).
 *
 *     args_victim base           socket families AF_UNIX, AF_INET,
 *                                AF_NETLINK, socketpair, setsockopt,
 *                                ioctl FIONREAD (pipe) and TCGETS (pty),
 *                                fork, a thread, unshare(CLONE_NEWUTS)
 *     args_victim extra-family   base + socket(AF_INET6)
 *     args_victim extra-ioctl    base + ioctl(FIONBIO)
 *     args_victim extra-clone    base + clone(CLONE_NEWUTS)
 *     args_victim extra-unshare  base + unshare(CLONE_NEWNET)
 *     args_victim extra-ipc      base + a SysV semaphore set created and
 *                                removed (i386: through the ipc()
 *                                multiplexer, raw, whatever libc does)
 *
 * Prints one line per operation, "name: ok" or "name: ENAME", and exits 0:
 * the tests compare the lines of a run under a generated profile with an
 * unconfined run (privileged operations may fail with EPERM unconfined;
 * the output then says so in both runs).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/netlink.h>

static void report(const char *what, int r)
{
	if (r >= 0) {
		printf("%s: ok\n", what);
	} else {
		const char *n = r == -EPERM ? "EPERM" : r == -EAFNOSUPPORT ? "EAFNOSUPPORT"
			      : r == -EINVAL ? "EINVAL" : r == -ENOSYS ? "ENOSYS" : NULL;
		if (n)
			printf("%s: %s\n", what, n);
		else
			printf("%s: errno %d\n", what, -r);
	}
	fflush(stdout);
}

static int sock(int domain, int type, int proto)
{
	int fd = socket(domain, type, proto);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* Runs fn in a forked child; returns 0 or -errno reported by the child. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn() < 0 ? errno : 0);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? -WEXITSTATUS(st) : -EINTR;
}

static int do_unshare_uts(void)
{
	return unshare(CLONE_NEWUTS);
}

static int do_unshare_net(void)
{
	return unshare(CLONE_NEWNET);
}

/* semget + semctl(IPC_RMID); i386 has them behind ipc(2) (call numbers
 * SEMGET 2, SEMCTL 3), used raw so that the multiplexer is exercised
 * whichever way libc goes. */
static void sysv_ipc(void)
{
#ifdef SYS_ipc
	long id = syscall(SYS_ipc, 2, IPC_PRIVATE, 1, IPC_CREAT | 0600);
	report("semget", id < 0 ? -errno : 0);
	unsigned long semun = 0; /* ipc(SEMCTL) reads the union semun through ptr */
	if (id >= 0)
		report("semctl IPC_RMID", syscall(SYS_ipc, 3, id, 0, IPC_RMID, &semun) < 0 ? -errno : 0);
#else
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	report("semget", id < 0 ? -errno : 0);
	if (id >= 0)
		report("semctl IPC_RMID", semctl(id, 0, IPC_RMID) < 0 ? -errno : 0);
#endif
}

static int clone_newuts(void)
{
	/* a fork-like raw clone with a namespace flag */
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUTS | SIGCHLD), NULL, NULL, NULL, NULL);
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	int st;
	waitpid((pid_t)pid, &st, 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "base";

	report("socket AF_UNIX", sock(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	report("socket AF_INET", sock(AF_INET, SOCK_DGRAM, 0));
	report("socket AF_NETLINK", sock(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
	int sv[2];
	int r = socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	report("socketpair AF_UNIX", r < 0 ? -errno : 0);
	if (r == 0) {
		close(sv[0]);
		close(sv[1]);
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	r = fd < 0 ? -1 : setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	report("setsockopt SO_REUSEADDR", r < 0 ? -errno : 0);
	if (fd >= 0)
		close(fd);

	int p[2];
	if (pipe(p) < 0)
		return 2;
	int avail = 0;
	report("ioctl FIONREAD", ioctl(p[0], FIONREAD, &avail) < 0 ? -errno : 0);
	int pty = posix_openpt(O_RDWR | O_NOCTTY);
	struct termios t;
	report("ioctl TCGETS", pty < 0 ? -errno : tcgetattr(pty, &t) < 0 ? -errno : 0);

	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	report("fork", pid < 0 ? -errno : waitpid(pid, NULL, 0) < 0 ? -errno : 0);
	pthread_t th;
	r = pthread_create(&th, NULL, thread_fn, NULL);
	report("thread", r ? -r : pthread_join(th, NULL) ? -EINVAL : 0);
	report("unshare CLONE_NEWUTS", in_child(do_unshare_uts));

	if (!strcmp(mode, "extra-family"))
		report("socket AF_INET6", sock(AF_INET6, SOCK_DGRAM, 0));
	else if (!strcmp(mode, "extra-ioctl"))
		report("ioctl FIONBIO", ioctl(p[0], FIONBIO, &one) < 0 ? -errno : 0);
	else if (!strcmp(mode, "extra-clone"))
		report("clone CLONE_NEWUTS", clone_newuts());
	else if (!strcmp(mode, "extra-unshare"))
		report("unshare CLONE_NEWNET", in_child(do_unshare_net));
	else if (!strcmp(mode, "extra-ipc"))
		sysv_ipc();
	else if (strcmp(mode, "base"))
		return 2;
	return 0;
}
