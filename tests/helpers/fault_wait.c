/* SPDX-License-Identifier: MIT */
/*
 * Victim: `fault_wait FILE` makes one uname (a marker the recording must
 * hold), writes its PID to FILE.tmp and renames it to FILE (so a test
 * that sees FILE knows the workload is running under the recorder), then
 * sleeps until a signal ends it.  With --catch it exits 0 on SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (argc > 2 && !strcmp(argv[2], "--catch"))
		signal(SIGTERM, on_term);
	struct utsname u;
	uname(&u);
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return 2;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	if (rename(tmp, argv[1]) < 0)
		return 2;
	for (;;)
		pause();
}
