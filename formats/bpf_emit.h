/* SPDX-License-Identifier: MIT */
/*
 * formats/bpf_emit.h: our own seccomp classic-BPF code generator.
 *
 * The `c` and `bpf` writers must not need libseccomp at the user's end, and
 * a second, independent implementation lets the tests check libseccomp and
 * us against each other for every syscall number.  The program:
 *
 *     ld arch; one jeq per allowed AUDIT_ARCH -> its block; else KILL_PROCESS
 *     block: ld nr
 *            [x86_64] nr >= 0x40000000 (x32 bit): the x32 rules when x32 is
 *                     in the policy, else KILL_PROCESS -- except nr == -1
 *                     (a tracer's "skip"), which goes to the rules like
 *                     libseccomp does and ends in the default action
 *            binary search over the sorted syscall numbers (leaves of up to 4
 *            compares), each match returns its action or checks the rule's
 *            argument conditions (64-bit compares in two 32-bit halves)
 *            no match: the default action
 *
 * Rules follow libseccomp's semantics: an unconditional rule for a syscall
 * wins over conditional ones, conditional rules are tried in policy order,
 * rules whose action equals the default are dropped.  Names are numbered on
 * each ABI with libseccomp's table (core/abi); names that do not exist on an
 * ABI are inert there.  Multiplexed calls (i386 socket, semop...) are
 * matched by their direct number and, like libseccomp, through
 * socketcall/ipc with argument 0 = the call number and the rule's other
 * conditions (tests/fuzz/fuzz_bpf_emit.c compares the two).  Jumps longer than 255 instructions go through
 * inserted `ja` trampolines.  More than 4096 instructions is an error.
 *
 *     struct sp_bpf_prog prog;
 *     if (sp_bpf_emit(p, p->abis, &prog, &err) < 0) ...
 *     prog.insns[i], prog.notes[i] ("read", "arch x86_64", ... or NULL)
 *     sp_bpf_prog_release(&prog);
 */
#ifndef SP_FORMATS_BPF_EMIT_H
#define SP_FORMATS_BPF_EMIT_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/policy.h"

struct sp_bpf_prog {
	size_t len;
	struct sock_filter *insns;
	char **notes; /* one comment per instruction, or NULL */
};

/* Program for the ABIs in abis (a subset of p->abis; 0 = all of them). */
int sp_bpf_emit(const struct sp_policy *p, uint32_t abis, struct sp_bpf_prog *out, struct sp_err *err);
void sp_bpf_prog_release(struct sp_bpf_prog *prog);

#endif
