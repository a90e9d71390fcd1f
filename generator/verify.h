/* SPDX-License-Identifier: MIT */
/*
 * generator/verify.h: check libseccomp's program against a second compiler.
 *
 * libseccomp 2.5.4 miscompiles some rule sets without any error: an ABI
 * block that never loads the syscall number, or two rules whose argument
 * checks it merges into one tree so that a call matching neither gets a
 * rule's action (found by tests/fuzz/fuzz_compile, see
 * tests/fuzz/libseccomp-hang.txt).  run and check therefore compile the
 * profile twice, with libseccomp (what runc and crun would load) and with
 * our own emitter (formats/bpf_emit.c, differential-fuzzed against
 * libseccomp), and run both programs in the interpreter (bpf_sim.h) on the
 * same calls: every syscall number 0..1100 of every ABI of the policy
 * (x32 with its bit set), -1 and a few numbers above the tables, with
 * argument vectors built from every condition's boundaries (and every high
 * word of them with every low word) for the numbers that have conditional
 * rules.  Any difference is an error that names the call, its arguments and
 * both answers.  Then sp_verify_accumulator() checks libseccomp's program
 * structurally, for what the probes miss.
 *
 *     if (sp_verify_filters(p, abis, &lib, ours.insns, ours.len, &err) < 0) ...
 *
 * Not compared: socketcall and ipc on the ABIs that multiplex them when
 * rules with different actions reach them (their own rules, and those of
 * the calls they stand for, e.g. socket on i386): which one wins there is
 * not defined (libseccomp: its tree order; our emitter: the strongest
 * action, like the kernel between stacked filters).
 */
#ifndef SP_GENERATOR_VERIFY_H
#define SP_GENERATOR_VERIFY_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/abi.h"
#include "core/err.h"
#include "core/policy.h"

/* p with its ABIs (abis: sp_abi_bit mask, the ABIs both programs cover),
 * lib: libseccomp's program, ours: the second one.  0 when they agree on
 * every probe; -EPROTO with err naming the first difference. */
int sp_verify_filters(const struct sp_policy *p, uint32_t abis, const struct sock_fprog *lib,
		      const struct sock_filter *ours, size_t ours_len, struct sp_err *err);

/* The structural check: every instruction of prog that reads the
 * accumulator sees the same source (seccomp_data word, and masks applied
 * to it) on every path.  libseccomp's merged argument trees have broken
 * that; our emitter never does.  0, or -EPROTO with err naming the
 * instruction.  sp_verify_filters() runs it on libseccomp's program. */
int sp_verify_accumulator(const struct sock_fprog *prog, struct sp_err *err);

/* Whether nr is a multiplexer (socketcall, ipc) on abi that rules with
 * different actions reach: the one place where the two compilers may
 * legitimately differ. */
bool sp_verify_mux_ambiguous(const struct sp_policy *p, enum sp_abi abi, int64_t nr);

#endif
