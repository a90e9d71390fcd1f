/* Victim for record: a raw clone3 *thread* (CLONE_VM|CLONE_THREAD|...),
 * not through pthreads.  The child runs on its own stack inside an asm
 * block (x86_64 only: a C function cannot survive the switch of stacks),
 * calls sched_yield then exit; the parent waits for the kernel to clear
 * the tid word (CLONE_CHILD_CLEARTID) with futex.  Exit 0 on success, 77
 * where the test cannot run (not x86_64, or clone3 missing). */
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
#if defined(__x86_64__)
	static volatile int tid_word;
	static char stack[64 * 1024] __attribute__((aligned(16)));
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		   CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID;
	/* PARENT_SETTID: the tid is in place before clone3 returns to us
	 * (CHILD_SETTID would only store it when the child runs). */
	ca.child_tid = (uintptr_t)&tid_word;
	ca.parent_tid = (uintptr_t)&tid_word;
	ca.stack = (uintptr_t)stack;
	ca.stack_size = sizeof(stack);
	long ret;
	/* In the child (rax == 0) the stack is the new one: make the two
	 * system calls and leave without touching it. */
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $24, %%eax\n\t" /* sched_yield */
			 "syscall\n\t"
			 "mov $60, %%eax\n\t" /* exit (this thread) */
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(&ca), "S"(sizeof(ca))
			 : "rcx", "r11", "memory");
	if (ret < 0)
		return ret == -ENOSYS ? 77 : 1;
	int t;
	while ((t = tid_word) != 0)
		syscall(SYS_futex, &tid_word, FUTEX_WAIT, t, NULL, NULL, 0);
	/* Always made, so that the set of calls does not depend on timing. */
	syscall(SYS_futex, &tid_word, FUTEX_WAKE, 1, NULL, NULL, 0);
	return 0;
#else
	return 77;
#endif
}
