/* SPDX-License-Identifier: MIT */
/*
 * generator/risk.h: how much a syscall widens the attack surface when a
 * policy starts allowing it.  The table (generator/risk.c) is the one
 * documented in docs/risk.md; a unit test keeps the two identical.
 *
 *     const struct sp_risk_row *r = sp_risk_lookup("io_uring_enter");
 *     // r->level == SP_RISK_HIGH, r->pattern == "io_uring_*", r->reason
 *     sp_risk_lookup("read");   // NULL: low, nothing specific
 *
 * Patterns are exact names, or a prefix followed by '*'.  Names are those
 * of every ABI (i386's setuid32 matches "setuid*").
 */
#ifndef SP_GENERATOR_RISK_H
#define SP_GENERATOR_RISK_H

#include <stddef.h>

#include "core/err.h"

enum sp_risk {
	SP_RISK_LOW = 0,
	SP_RISK_MEDIUM,
	SP_RISK_HIGH,
};

struct sp_risk_row {
	const char *pattern;
	enum sp_risk level;
	const char *reason; /* one short phrase, for review output */
};

/* The row for name, or NULL (low risk, no specific reason). */
const struct sp_risk_row *sp_risk_lookup(const char *name);
/* The level for name (SP_RISK_LOW when it has no row; name may be NULL). */
enum sp_risk sp_risk_of(const char *name);
/* "high", "medium", "low". */
const char *sp_risk_name(enum sp_risk r);
/* Parses a comma-separated list of classes ("low", "low,medium", "all")
 * into a mask of (1 << enum sp_risk) bits.  Errors name the bad word. */
int sp_risk_parse_set(const char *s, unsigned *mask, struct sp_err *err);
/* The whole table, in documentation order. */
const struct sp_risk_row *sp_risk_table(size_t *n);

#endif
