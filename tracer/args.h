/* SPDX-License-Identifier: MIT */
/*
 * tracer/args.h: records the flag-like arguments of one syscall.
 *
 * Called by the tracer at every syscall-entry (or seccomp) stop, after it
 * has found the recording entry s for (abi, nr):
 *
 *     sp_args_record(rec, s, abi, info.entry.args, tid);
 *
 * For syscalls in the table of core/argspec.h it adds the argument values
 * to s->args[idx] (a bounded sorted set; overflow is flagged by
 * sp_argset_add).  For every other syscall it costs one binary search in a
 * small array and returns: no allocation, no syscall.
 *
 * Two rows need the tracee's memory (the task must be in a ptrace stop,
 * traced by the caller):
 *  - clone3: the flags are in struct clone_args at arg 0.  They are read
 *    with process_vm_readv(), falling back to PTRACE_PEEKDATA (needed when
 *    the tracee's memory is not readable that way, e.g. without
 *    CAP_SYS_PTRACE across user namespaces) and recorded in s->args[0].
 *  - socketcall (i386, s390, s390x, ppc64le, mipsel): arg 0 is the call
 *    number, recorded in s->args[0] (a filter can check it); arg 1 points
 *    to the real arguments as an array of the ABI's longs.  The call is
 *    decoded and ALSO recorded under its own name (socket, connect, ...) on
 *    the same ABI when that ABI has a direct number for it: the entry is
 *    created if needed (calls stays the number of direct calls, so 0 when
 *    only the multiplexer was used) and receives the decoded flag
 *    arguments (socket domain/type, setsockopt level/optname).  ipc() is
 *    decoded the same way (its arguments are in registers; none of them is
 *    in the table, so only the entry is created).
 *    Why both: libseccomp turns a rule for `socket` on these ABIs into the
 *    direct rule (with our conditions) plus a `socketcall(a0 == 1)` rule
 *    without them (the real arguments sit behind a pointer), so the
 *    enforceable restriction for a socketcall user is the call number on
 *    socketcall's arg 0; the demuxed entry keeps the decoded values for
 *    `explain`/`diff` and makes the policy also work when the same program
 *    runs on a libc that makes the direct call (where the domain/type
 *    conditions ARE enforced).  docs/argument-rules.md has the details.
 * A failed memory read (task died, bad pointer) records nothing for that
 * argument; it never fails the trace.
 */
#ifndef SP_TRACER_ARGS_H
#define SP_TRACER_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/abi.h"
#include "core/recording.h"

void sp_args_record(struct sp_recording *rec, struct sp_sysc *s, enum sp_abi abi, const uint64_t args[6],
		    pid_t tid);

/* For a recorder that reduces and deduplicates values itself (the eBPF
 * back-end, which cannot read memory after the fact): adds the recorded
 * value v of argument idx to s, and for a multiplexer's call number
 * (socketcall/ipc) creates the demultiplexed entry as sp_args_record()
 * does (without the arguments socketcall keeps in memory). */
void sp_args_add_value(struct sp_recording *rec, struct sp_sysc *s, enum sp_abi abi, unsigned idx, uint64_t v);

/* Reads len bytes at addr in tid's memory (process_vm_readv, then
 * PTRACE_PEEKDATA).  Returns 0 or a negative errno.  Exposed for tests and
 * for other tracer code that needs tracee memory. */
int sp_args_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len);
/* The PTRACE_PEEKDATA path alone (tid must be stopped and traced by us). */
int sp_args_peek_mem(pid_t tid, uint64_t addr, void *buf, size_t len);

#endif
