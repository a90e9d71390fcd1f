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
 * The same on i386 (getppid is 64; int 0x80; syscall()'s number is on the
 * stack, so unknown) and aarch64 (getppid is 173; svc #0; cross-compiled
 * when aarch64-linux-gnu-gcc is installed, never run).
 * HELPER-M32
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
#elif defined(__i386__)
__attribute__((noinline)) static long raw_getppid(int twice)
{
	long r;
	/* getppid is 64 on i386 */
	__asm__ volatile("mov $64, %%edx\n\t"
			 "jmp 1f\n\t"
			 "nop\n"
			 "1:\n\t"
			 "mov %%edx, %%eax\n\t"
			 "int $0x80"
			 : "=a"(r)
			 : "S"(twice)
			 : "edx", "memory");
	return r;
}

__attribute__((noinline)) static long raw_any(long nr)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
	return r;
}
#elif defined(__aarch64__)
__attribute__((noinline)) static long raw_getppid(int twice)
{
	register long x0 __asm__("x0") = twice;
	/* getppid is 173 on aarch64 */
	__asm__ volatile("mov w9, #173\n\t"
			 "b 1f\n\t"
			 "nop\n"
			 "1:\n\t"
			 "mov x8, x9\n\t"
			 "svc #0"
			 : "+r"(x0)
			 :
			 : "x8", "x9", "memory");
	return x0;
}

__attribute__((noinline)) static long raw_any(long nr)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0");
	__asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
	return x0;
}
#endif

int main(int argc, char **argv)
{
	long n = 0;
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
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
