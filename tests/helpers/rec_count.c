/* Victim for record: a deterministic number of chdir calls across forked
 * processes and threads (like strace's count-f test).
 *   rec_count PROCS THREADS CALLS
 * PROCS processes (the first one included) each run THREADS threads (the
 * main thread included) that each call chdir(".") CALLS times: exactly
 * PROCS*THREADS*CALLS chdir calls, all successful.
 * Builds for -m32 too (HELPER-M32): then every call is i386. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int calls;

static void *work(void *arg)
{
	(void)arg;
	for (int i = 0; i < calls; i++)
		if (chdir(".") != 0)
			_exit(10);
	return NULL;
}

static void process(int threads)
{
	pthread_t t[64];
	for (int i = 1; i < threads; i++)
		if (pthread_create(&t[i], NULL, work, NULL) != 0)
			_exit(11);
	work(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int procs = atoi(argv[1]), threads = atoi(argv[2]);
	calls = atoi(argv[3]);
	if (threads < 1 || threads > 64)
		return 2;
	for (int p = 1; p < procs; p++) {
		pid_t pid = fork();
		if (pid < 0)
			return 12;
		if (pid == 0) {
			process(threads);
			_exit(0);
		}
	}
	process(threads);
	int st, bad = 0;
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	return bad;
}
