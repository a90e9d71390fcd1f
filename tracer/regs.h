/* SPDX-License-Identifier: MIT */
/*
 * tracer/regs.h: the only place that writes a tracee's registers.
 *
 * Everything the tracer reads comes from PTRACE_GET_SYSCALL_INFO, which
 * is the same on every architecture; it cannot write.  Two features must:
 * clearing CLONE_UNTRACED in clone's first argument, and check --deny
 * skipping a call.  Both are here, per architecture of the tracer and per
 * ABI of the tracee (an i386 task under an x86_64 tracer, an AArch32 task
 * under an aarch64 one):
 *
 *     if (sp_regs_set_arg0(tid, abi, flags & ~CLONE_UNTRACED) == 0) ...
 *     if (sp_regs_skip_call(tid, abi, EPERM) == 0) ...
 *
 * The task must be in a syscall-entry-stop or a seccomp stop.  Both
 * return 0, or a negative errno: -ESRCH when the task is gone, -ENOSYS
 * when this build does not know the architecture's registers.
 */
#ifndef SP_TRACER_REGS_H
#define SP_TRACER_REGS_H

#include <stdint.h>
#include <sys/types.h>

#include "core/abi.h"

/* Replaces the first argument of the call tid is stopped in. */
int sp_regs_set_arg0(pid_t tid, enum sp_abi abi, uint64_t value);

/* Makes the call tid is stopped in (a seccomp stop) not run: the task
 * sees -err as its result. */
int sp_regs_skip_call(pid_t tid, enum sp_abi abi, int err);

#endif
