/* SPDX-License-Identifier: MIT */
/*
 * generator/diff.h: what changed between two recordings or two policies.
 *
 * Recordings are compared per ABI by syscall number: a syscall present in
 * NEW and not in OLD is added, the reverse is removed, and one in both whose
 * recorded argument values differ is changed (widening when NEW saw a value
 * OLD did not).  Policies are compared by syscall name over all their ABIs
 * (a policy's rules are arch-neutral names, so listing them per ABI would
 * repeat every line): a name is "in" a policy when some rule gives it an
 * action other than the default; a name in both whose rules (actions,
 * argument conditions, ABI restrictions) differ is changed, widening unless
 * every NEW rule for it is also an OLD rule or has the action of an
 * unconditional OLD rule.  A changed default action is
 * reported too.  ABIs present in only one side are listed in abis_added /
 * abis_removed.  (To compare a recording with a policy, turn the recording
 * into a policy first with sp_generate().)
 *
 *     struct sp_diff *d = sp_diff_recordings(old_rec, new_rec);
 *     for (size_t i = 0; i < d->n; i++) ... d->items[i] ...
 *     if (sp_diff_fails(d, SP_FAIL_ADDED)) ... exit 1 ...
 *     sp_diff_free(d);
 *
 * Items point into the inputs (sysc, risk row): free the diff first.
 * Items are sorted by ABI, then kind (added, removed, changed), then risk
 * (high first), then name.
 */
#ifndef SP_GENERATOR_DIFF_H
#define SP_GENERATOR_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/abi.h"
#include "core/policy.h"
#include "core/recording.h"
#include "generator/risk.h"

enum sp_diff_kind {
	SP_DIFF_ADDED,
	SP_DIFF_REMOVED,
	SP_DIFF_CHANGED,
};

struct sp_diff_item {
	enum sp_diff_kind kind;
	enum sp_abi abi;    /* SP_ABI_UNKNOWN for policies (all their ABIs) */
	char *name;         /* display name ("syscall_N" when unknown) */
	enum sp_risk risk;  /* of the syscall, whatever the kind */
	const struct sp_risk_row *risk_row; /* NULL for low risk without a row */
	bool widens;        /* NEW may allow more than OLD because of this item */
	char *before;       /* rules (policies) or argument values (recordings); NULL if none */
	char *after;
	/* Recordings: NEW's entry (added, changed) or OLD's (removed), for
	 * counts and call sites; NULL for policies. */
	const struct sp_sysc *sysc;
	uint32_t runs;      /* meta.runs of the recording sysc belongs to */
};

struct sp_diff {
	bool recordings;    /* true: both inputs were recordings */
	uint32_t abis_added, abis_removed; /* sp_abi_bit masks */
	bool default_changed;
	struct sp_action old_default, new_default; /* policies */
	size_t n, cap;
	struct sp_diff_item *items;
	/* Totals. */
	size_t added, removed, changed, added_by_risk[3];
};

struct sp_diff *sp_diff_recordings(const struct sp_recording *old, const struct sp_recording *new_);
struct sp_diff *sp_diff_policies(const struct sp_policy *old, const struct sp_policy *new_);
void sp_diff_free(struct sp_diff *d);

enum sp_fail_on {
	SP_FAIL_ADDED,   /* syscalls or ABIs added, or a widening change (default) */
	SP_FAIL_REMOVED, /* syscalls or ABIs removed */
	SP_FAIL_ANY,     /* any difference */
	SP_FAIL_NONE,    /* never */
};
/* Parses "added", "removed", "any", "none"; -1 when unknown. */
int sp_fail_on_parse(const char *s);
const char *sp_fail_on_name(enum sp_fail_on f);
/* true when d is drift under f. */
bool sp_diff_fails(const struct sp_diff *d, enum sp_fail_on f);
/* true when there is no difference at all. */
bool sp_diff_empty(const struct sp_diff *d);

#endif
