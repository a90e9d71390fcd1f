/* SPDX-License-Identifier: MIT */
/*
 * generator/bpf_sim.h: a small classic-BPF interpreter for seccomp
 * programs: the oracle of the tests, and what `run` and `check` use to
 * verify libseccomp's output against our own compiler (generator/verify.h).
 *
 * It runs a program on one struct seccomp_data the way the kernel's seccomp
 * filter does: 32-bit loads from the data at 4-byte aligned offsets below
 * 64, the ALU/JMP/RET/MISC subset seccomp accepts, scratch memory M[16].
 * Anything the kernel's checker would refuse (bad offset, jump out of the
 * program, no return, unknown opcode, division by zero constant) makes
 * sp_bpf_run() return false.
 *
 *     struct seccomp_data d = {.nr = 0, .arch = AUDIT_ARCH_X86_64};
 *     uint32_t ret;
 *     ck_assert(sp_bpf_run(prog.filter, prog.len, &d, &ret));
 *     ck_assert_uint_eq(ret, SECCOMP_RET_ALLOW);
 */
#ifndef SP_TESTS_BPF_SIM_H
#define SP_TESTS_BPF_SIM_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool sp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, uint32_t *ret);

/* Convenience: runs with nr/arch/args and returns the value, or 0xdeadbeef
 * when the program is invalid (no real action has that value). */
#define SP_BPF_INVALID 0xdeadbeefu
uint32_t sp_bpf_eval(const struct sock_filter *prog, size_t len, uint32_t arch, int nr, const uint64_t *args);

#endif
