/* Not a victim: the integration runner's guard against processes that
 * outlive their test.  subreaper REPORT CMD [ARGS...] runs CMD as a child
 * subreaper (prctl PR_SET_CHILD_SUBREAPER, Linux 3.4, no privilege needed):
 * every process CMD starts that is orphaned, however it detached itself
 * (`&`, setsid, a daemon's double fork, a new process group), is re-parented
 * to us instead of to init, so when CMD has exited our remaining children
 * are exactly what it left behind.  They are given 2 s to finish exiting
 * (a process sent SIGKILL just before CMD returned is not a leftover), then
 * each one still alive is written to REPORT ("PID COMMAND-LINE", one a
 * line) and killed, with whatever it re-parents to us in turn, until none
 * is left.  Exits with CMD's status (128 + signal when killed); REPORT is
 * empty when nothing was left.  SIGINT/SIGTERM/SIGHUP are passed to CMD.
 * Only processes in our PID namespace can be re-parented to us: one that
 * enters a new PID namespace is reaped by that namespace's init, which dies
 * with its namespace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t cmd_pid;

static void forward(int sig)
{
	if (cmd_pid > 0)
		kill(cmd_pid, sig);
}

/* Our children that have not exited yet (zombies are reaped, not counted),
 * at most MAX of them in PIDS; returns how many there are. */
static int live_children(pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();
	int n = 0;
	char path[64], buf[512];

	if (!d) {
		perror("subreaper: /proc");
		exit(125);
	}
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = 0;
		/* "pid (comm) S ppid ...": comm may hold spaces and ')' */
		char *p = strrchr(buf, ')');
		char state;
		long ppid;
		if (!p || sscanf(p + 1, " %c %ld", &state, &ppid) != 2)
			continue;
		if (ppid != self || state == 'Z' || state == 'X')
			continue;
		if (n < max)
			pids[n] = (pid_t)pid;
		n++;
	}
	closedir(d);
	return n;
}

static void report(FILE *out, pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (len <= 0) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (len <= 0)
			len = 0;
	}
	buf[len] = 0;
	for (ssize_t i = 0; i < len; i++)
		if (buf[i] == 0 || buf[i] == '\n')
			buf[i] = ' ';
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = 0;
	fprintf(out, "%d %s\n", (int)pid, buf);
	fflush(out);
}

static void reap_exited(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: subreaper REPORT CMD [ARGS...]\n");
		return 125;
	}
	FILE *out = fopen(argv[1], "we");
	if (!out) {
		perror(argv[1]);
		return 125;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		perror("subreaper: PR_SET_CHILD_SUBREAPER");
		return 125;
	}
	struct sigaction sa = {.sa_handler = forward};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	pid_t pid = fork();
	if (pid < 0) {
		perror("subreaper: fork");
		return 125;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "subreaper: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	cmd_pid = pid;

	/* reap orphans that exit on their own while CMD runs, until CMD ends */
	int status = 0, rc;
	for (;;) {
		pid_t w = waitpid(-1, &status, __WALL);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("subreaper: waitpid");
			return 125;
		}
	}
	cmd_pid = 0;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	/* grace: 2 s for what is already on its way out */
	pid_t pids[256];
	struct timespec tick = {0, 50 * 1000 * 1000};
	for (int i = 0; i < 40; i++) {
		reap_exited();
		if (live_children(pids, 256) == 0)
			break;
		nanosleep(&tick, NULL);
	}
	/* what is left: name it, kill it; killing re-parents its own children
	 * to us, so repeat until waitpid says we have none */
	pid_t seen[1024];
	int nseen = 0;
	for (;;) {
		int n = live_children(pids, 256);
		for (int i = 0; i < n && i < 256; i++) {
			int known = 0;
			for (int j = 0; j < nseen; j++)
				known |= seen[j] == pids[i];
			if (!known) {
				report(out, pids[i]);
				if (nseen < 1024)
					seen[nseen++] = pids[i];
			}
			kill(pids[i], SIGKILL);
		}
		pid_t w = waitpid(-1, NULL, __WALL);
		if (w < 0 && errno == ECHILD)
			break;
	}
	fclose(out);
	return rc;
}
