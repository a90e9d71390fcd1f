/* SPDX-License-Identifier: MIT */
/*
 * Deterministic victim for merge/diff/explain tests: the same mode makes the
 * same set of syscalls on every run (no threads, no time- or
 * environment-dependent paths).
 *
 *   drift_victim a   chdir (from victim_do_chdir, then from
 *                    victim_chdir_elsewhere: two call sites), umask, getpid
 *   drift_victim b   chdir (from victim_do_chdir), getppid, personality
 *                    (a query, 0xffffffff: changes nothing)
 *
 * So a -> b adds getppid (low risk) and personality (high risk) and removes
 * umask.  The calls go through syscall(2) so that no libc version turns
 * them into something else, except chdir, which is the libc wrapper on
 * purpose: explain must unwind from inside libc back to victim_do_chdir.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) int victim_do_chdir(const char *dir)
{
	int r = chdir(dir);
	__asm__ volatile("" ::: "memory"); /* keep this frame: no tail call */
	return r;
}

__attribute__((noinline)) int victim_chdir_elsewhere(const char *dir)
{
	int r = chdir(dir);
	__asm__ volatile("" ::: "memory");
	return r;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "a";
	victim_do_chdir("/");
	if (!strcmp(mode, "a")) {
		victim_chdir_elsewhere("/");
		syscall(SYS_umask, 022);
		syscall(SYS_getpid);
	} else if (!strcmp(mode, "b")) {
		syscall(SYS_getppid);
		syscall(SYS_personality, 0xffffffffUL);
	} else {
		fprintf(stderr, "usage: drift_victim a|b\n");
		return 2;
	}
	return 0;
}
