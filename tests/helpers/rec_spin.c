/* Victim for attach: THREADS threads (main included) loop on getppid +
 * a 5 ms nanosleep until the file argv[1] exists, then the process writes
 * argv[1].done and exits 0.  Prints its pid and "ready" once all threads
 * run.  rec_spin STOPFILE THREADS */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *stopfile;

static void *spin(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 5000000};
	while (access(stopfile, F_OK) != 0) {
		syscall(SYS_getppid);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	stopfile = argv[1];
	int n = atoi(argv[2]);
	pthread_t t[32];
	for (int i = 1; i < n && i < 32; i++)
		pthread_create(&t[i], NULL, spin, NULL);
	printf("%d ready\n", (int)getpid());
	fflush(stdout);
	spin(NULL);
	for (int i = 1; i < n && i < 32; i++)
		pthread_join(t[i], NULL);
	char done[4096];
	snprintf(done, sizeof(done), "%s.done", stopfile);
	FILE *f = fopen(done, "w");
	if (f)
		fclose(f);
	return 0;
}
