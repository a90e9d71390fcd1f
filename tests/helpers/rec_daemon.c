/* Victim for record: a daemon.  The first process forks a child that calls
 * setsid and forks a grandchild, then both exit at once; the grandchild
 * outlives them, waits until its parent is gone (reparented), calls
 * getpgrp + sync (the marker calls), writes "done" to argv[1], exits 0. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	pid_t p = fork();
	if (p < 0)
		return 3;
	if (p > 0) {
		int st;
		waitpid(p, &st, 0);
		return 0;
	}
	setsid();
	pid_t me = getpid();
	pid_t g = fork();
	if (g != 0)
		_exit(0);
	while (getppid() == me)
		usleep(2000);
	usleep(100000);
	getpgrp();
	sync();
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(4);
	if (write(fd, "done\n", 5) != 5)
		_exit(5);
	close(fd);
	_exit(0);
}
