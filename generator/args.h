/* SPDX-License-Identifier: MIT */
/*
 * generator/args.h: argument rules from recorded argument values.
 *
 * A pass over a policy that sp_generate() has built from a recording
 * (`generate --args`, gen->args):
 *
 *     sp_argrules_apply(p, rec, &stats);   // before sp_policy_sort(p)
 *
 * Every unconditional ALLOW rule that exists only because the syscall was
 * observed (origin OBSERVED and/or TRANSLATED, nothing else) and whose
 * syscall is in the table of core/argspec.h is replaced by rules with
 * argument conditions built from the values the recording holds for it
 * (docs/argument-rules.md has the table):
 *  - int arguments: one rule per observed value, MASKED_EQ(0xffffffff, v)
 *    (seccomp compares 64-bit registers; the upper half of an int is not
 *    reliable).  Never two conditions on one argument in one rule: runc and
 *    crun OR them, libseccomp rejects them; an OR is separate rules.
 *  - two arguments (socket domain x type, setsockopt level x optname): the
 *    cross product of both lists, since the recording keeps one value set
 *    per argument, not tuples; if that exceeds SP_ARGRULES_MAX rules the
 *    second argument is left unconstrained.
 *  - clone: MASKED_EQ(namespace bits, observed combination), usually one
 *    rule "no new namespace".  clone3 (flags in memory, unreadable by BPF)
 *    becomes ERRNO(ENOSYS) so libc falls back to clone(), whose rule also
 *    accepts clone3's observed namespace combinations; when clone3 used
 *    flags clone() cannot express it stays allowed, with a warning.
 *  - mmap/mmap2/mprotect/pkey_mprotect: W^X, two rules "prot without
 *    PROT_EXEC" / "prot without PROT_WRITE", unless WRITE|EXEC was seen.
 *  - socketcall/ipc: one rule per observed call number on arg 0.
 * An argument whose set overflowed or was never recorded is unconstrained;
 * when nothing is left to constrain, the rule stays unconditional.  Finally,
 * conditional rules for a name that also has an unconditional rule are
 * dropped (the unconditional one wins in libseccomp anyway).
 *
 * On ABIs that multiplex socket calls (i386, s390, s390x, ppc64le, mipsel)
 * libseccomp adds for a `socket` rule an unconditional socketcall(a0 == 1)
 * companion: the conditions on socket() are not enforced for programs that
 * use socketcall.  The pass says so once through sp_warn() and in the
 * rules' comments; socketcall's own call-number rules are what restricts
 * those programs.
 */
#ifndef SP_GENERATOR_ARGS_H
#define SP_GENERATOR_ARGS_H

#include <stddef.h>

#include "core/policy.h"
#include "core/recording.h"

/* Upper bound of rules generated for one syscall name. */
#define SP_ARGRULES_MAX 64

struct sp_argrules_stats {
	size_t narrowed;      /* syscall names that got argument rules */
	size_t rules;         /* conditional rules written */
	size_t unconstrained; /* table syscalls left unconditional (overflow, unknown, other origin) */
};

/* Applies the pass to p (see above).  stats may be NULL.  Never fails. */
void sp_argrules_apply(struct sp_policy *p, const struct sp_recording *rec, struct sp_argrules_stats *stats);

#endif
