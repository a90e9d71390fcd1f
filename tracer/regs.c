/* SPDX-License-Identifier: MIT */
/*
 * tracer/regs.c: writing a stopped tracee's registers (see regs.h).
 *
 * How a skipped call works: at a seccomp stop (SECCOMP_RET_TRACE) the
 * kernel re-reads the syscall number after the tracer resumes the task
 * (Linux >= 4.8, __seccomp_filter); a number of -1 skips the call and the
 * task sees the return register as the tracer left it.  At a
 * syscall-entry-stop the arguments are read from the saved registers
 * after the stop too, so a changed first argument is the one the call
 * gets.
 *
 * x86_64: the 64-bit user_regs_struct is the view for every tracee, the
 * kernel converts it for i386 tasks: orig_rax is the number, rax the
 * result; the first argument is ebx for i386 (int 0x80) and rdi for
 * x86_64 and x32.
 *
 * aarch64: NT_PRSTATUS is struct user_pt_regs (glibc: user_regs_struct) (x0..x30, sp, pc, pstate)
 * for AArch64 tasks and 18 32-bit words (r0..r15, cpsr, orig_r0) for
 * AArch32 tasks; the size the kernel returns says which.  x0 / r0 is both
 * the first argument and the result.  The number cannot be written
 * through NT_PRSTATUS (x8 / r7 are only what the task loaded): the kernel
 * keeps it apart and NT_ARM_SYSTEM_CALL reads and writes it, for both
 * kinds of task.  At a syscall-entry-stop the kernel shows x7 (r12 for
 * AArch32) as 0 and restores it afterwards, so writing the whole set
 * back does not change it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "tracer/regs.h"

#if defined(__x86_64__)

int sp_regs_set_arg0(pid_t tid, enum sp_abi abi, uint64_t value)
{
	bool i386 = abi == SP_ABI_I386;
	size_t off = i386 ? offsetof(struct user_regs_struct, rbx) : offsetof(struct user_regs_struct, rdi);
	uint64_t v = i386 ? (uint32_t)value : value;
	if (ptrace(PTRACE_POKEUSER, tid, (void *)off, (void *)(uintptr_t)v) < 0)
		return -errno;
	return 0;
}

int sp_regs_skip_call(pid_t tid, enum sp_abi abi, int err)
{
	(void)abi;
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, tid, 0L, &regs) < 0)
		return -errno;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)(long long)-err;
	if (ptrace(PTRACE_SETREGS, tid, 0L, &regs) < 0)
		return -errno;
	return 0;
}

#elif defined(__aarch64__)

#include <elf.h>

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

/* Reads NT_PRSTATUS, sets the first register (x0 or r0) to v, writes it back. */
static int set_reg0(pid_t tid, uint64_t v)
{
	union {
		struct user_regs_struct a64; /* glibc's name for the kernel's user_pt_regs */
		uint32_t a32[18];
	} regs;
	struct iovec iov = {.iov_base = &regs, .iov_len = sizeof(regs)};
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	if (iov.iov_len == sizeof(regs.a64))
		regs.a64.regs[0] = v;
	else if (iov.iov_len == sizeof(regs.a32))
		regs.a32[0] = (uint32_t)v;
	else
		return -EINVAL;
	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	return 0;
}

int sp_regs_set_arg0(pid_t tid, enum sp_abi abi, uint64_t value)
{
	(void)abi;
	return set_reg0(tid, value);
}

int sp_regs_skip_call(pid_t tid, enum sp_abi abi, int err)
{
	(void)abi;
	int nr = -1;
	struct iovec iov = {.iov_base = &nr, .iov_len = sizeof(nr)};
	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_ARM_SYSTEM_CALL, &iov) < 0)
		return -errno;
	return set_reg0(tid, (uint64_t)(int64_t)-err);
}

#else

int sp_regs_set_arg0(pid_t tid, enum sp_abi abi, uint64_t value)
{
	(void)tid;
	(void)abi;
	(void)value;
	return -ENOSYS;
}

int sp_regs_skip_call(pid_t tid, enum sp_abi abi, int err)
{
	(void)tid;
	(void)abi;
	(void)err;
	return -ENOSYS;
}

#endif
