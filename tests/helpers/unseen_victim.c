/* SPDX-License-Identifier: MIT */
/*
 * Victim for the static analysis (tests/unit/test_analysis.c), where the
 * expected results are known exactly:
 *
 *   - a raw `syscall` instruction with a constant number (getppid, 110),
 *     the number set in another register and copied across a jump;
 *   - a raw `syscall` instruction whose number comes from the caller
 *     (run-time number);
 *   - libc's syscall() with a constant first argument (membarrier, 324)
 *     and with a run-time one;
 *   - an imported libc function (getpriority -> getpriority, 140).
 *
 * Run with an argument it makes every call once; without, only the
 * constant ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
__attribute__((noinline)) static long raw_getppid(int twice)
{
	long r;
	/* the number goes through edx and a jump, as in glibc's _exit */
	__asm__ volatile("mov $110, %%edx\n\t"
			 "jmp 1f\n\t"
			 "nop\n"
			 "1:\n\t"
			 "mov %%edx, %%eax\n\t"
			 "syscall"
			 : "=a"(r)
			 : "S"(twice)
			 : "rcx", "rdx", "r11", "memory");
	return r;
}

__attribute__((noinline)) static long raw_any(long nr)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}
#endif

int main(int argc, char **argv)
{
	long n = 0;
#if defined(__x86_64__)
	n += raw_getppid(argc);
	if (argc > 1)
		n += raw_any(atoi(argv[1]));
#endif
	n += syscall(324 /* membarrier */, 0, 0); /* MEMBARRIER_CMD_QUERY */
	if (argc > 2)
		n += syscall(atoi(argv[2]), 0, 0);
	n += getpriority(PRIO_PROCESS, 0);
	printf("%ld\n", n);
	return 0;
}
