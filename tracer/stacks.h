/* SPDX-License-Identifier: MIT */
/*
 * tracer/stacks.h: user-space backtraces of a ptrace-stopped task
 * (libunwind-ptrace), as call sites for `record --stacks` and `explain`.
 *
 *     struct sp_callsite site = {0};
 *     if (sp_stack_capture(tid, 16, &site, &err) == 0)
 *             sp_sysc_add_site(s, &site);     // takes ownership
 *     ...
 *     sp_stack_forget(tid);   // at exec and exit of tid
 *     sp_stack_reset();       // at the end of the run
 *
 * The task must be in a ptrace-stop (a syscall or seccomp stop), which is
 * the only time the tracer captures.  Each frame gets the path of the mapped
 * object that contains its pc and the offset of pc from that object's load
 * base (the start of its mapping at file offset 0), which is stable across
 * ASLR and is what addr2line takes; plus the symbol and the offset into it
 * when libunwind finds one in the object's symbol tables.  Frame 0 is the
 * syscall instruction (usually inside libc); later frames are return
 * addresses.  site->exe is filled from /proc/TID/exe when still NULL.
 *
 * Cost: nothing unless called.  A capture reads the task's stack a page at
 * a time (process_vm_readv, falling back to PTRACE_PEEKDATA) and the
 * unwind tables of the objects involved (libunwind opens and maps them):
 * about 1 ms for a 6-frame stack here, so the tracer captures only at the
 * first occurrence of an (executable, ABI, syscall) and at sampled further
 * calls (tracer/callsites.c).  The memory maps and libunwind's per-task
 * state are cached until sp_stack_forget() (exec, exit); the maps are read
 * again when a pc falls outside every cached mapping (dlopen).
 *
 * Limits: libunwind is built for the tracer's own architecture, so for a
 * 32-bit task traced by a 64-bit tracer only frame 0 is meaningful; the
 * caller passes max_depth 1 for compat ABIs.  A failure to unwind past
 * frame 0 is not an error: the site then has one frame.
 */
#ifndef SP_TRACER_STACKS_H
#define SP_TRACER_STACKS_H

#include <sys/types.h>

#include "core/err.h"
#include "core/recording.h"

/* Default depth for `record --stacks` without a value. */
#define SP_STACK_DEFAULT_DEPTH 16

/* Unwinds the stopped task tid into site (whose frames must be empty) with
 * at most max_depth frames (capped at SP_MAX_FRAMES).  Returns 0, or a
 * negative code with err set when not even frame 0 could be read (the task
 * vanished, or is not stopped). */
int sp_stack_capture(pid_t tid, int max_depth, struct sp_callsite *site, struct sp_err *err);

/* Drops what is cached about tid (its memory maps).  Call when tid execs or
 * exits, since a later task may reuse the number. */
void sp_stack_forget(pid_t tid);

/* Frees every cache and the libunwind address space. */
void sp_stack_reset(void);

#endif
