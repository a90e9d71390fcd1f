/* SPDX-License-Identifier: MIT */
/*
 * core/overlap.h: can two rules match the same call?
 *
 * A policy's rules for one syscall are OR-ed, and each rule's conditions
 * are AND-ed.  When two rules with different actions can both match one
 * call, the policy does not say which action wins.  libseccomp then picks
 * one by the internal order of its decision tree (in 2.5.4 a KILL rule on
 * arg 1 beats an ALLOW rule on arg 0, whatever order they were added in),
 * and our own BPF emitter would pick the first rule: the same profile
 * would do different things under runc and in the C header.  Such a policy
 * is refused instead (readers and both compilers call this).
 *
 *     uint64_t w[6];
 *     if (sp_cond_overlap(a->cond, a->ncond, b->cond, b->ncond, 64, w))
 *             ... // the call with arguments w matches both
 *
 *     if (sp_policy_check_ambiguous(p, abis, def, &err) < 0) ...
 *
 * Comparison semantics are libseccomp's, which is what runc and crun
 * enforce: MASKED_EQ compares (arg & mask) with (expected & mask), and on
 * 32-bit ABIs only the low 32 bits of arguments and values take part.
 */
#ifndef SP_CORE_OVERLAP_H
#define SP_CORE_OVERLAP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/policy.h"

/* Whether some argument vector satisfies both condition lists (a and b,
 * each AND-ed; either may be empty) when arguments are `bits` (32 or 64)
 * wide.  On true, witness (may be NULL) receives the smallest such value
 * of every argument (0 for arguments no condition names).  An invalid
 * condition (index > 5, unknown operator) never holds, nor does a list of
 * more than six. */
bool sp_cond_overlap(const struct sp_cond *a, unsigned na, const struct sp_cond *b, unsigned nb,
		     unsigned bits, uint64_t witness[6]);

/* Refuses (-EINVAL, err set) a policy where two rules for the same kernel
 * syscall number on one of abis (policy ABIs, or the native one when 0)
 * can match the same call with different actions.  Rules whose action is
 * def are left out: compilers drop them, as runc and crun do.  The message
 * names both rules, the ABI and a call that matches both. */
int sp_policy_check_ambiguous(const struct sp_policy *p, uint32_t abis, struct sp_action def,
			      struct sp_err *err);

#endif
