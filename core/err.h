/* SPDX-License-Identifier: MIT */
/*
 * core/err.h: error values returned by every fallible function.
 *
 * Usage: a fallible function returns 0 on success or a negative errno-style
 * code, and takes `struct sp_err *err` as its last parameter.  On failure it
 * fills err with a message that names what failed and on what:
 *
 *     if (fd < 0)
 *             return sp_err_sys(err, "open '%s'", path);   // appends ": strerror"
 *     if (bad)
 *             return sp_err_set(err, -EINVAL, "%s: line %d: unknown key", f, l);
 *
 * Callers add context at module boundaries with sp_err_prefix().  Only cli/
 * prints err->msg or exits.  err may be NULL when the caller does not care.
 */
#ifndef SP_CORE_ERR_H
#define SP_CORE_ERR_H

#include <stddef.h>

#define SP_ERR_MSG_MAX 1024

struct sp_err {
	int code;                  /* negative errno-style code, 0 = none */
	char msg[SP_ERR_MSG_MAX];  /* lower-case, no trailing period */
};

/* Sets err and returns code (always negative; a positive code is negated). */
int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like sp_err_set() with -errno and ": strerror(errno)" appended. */
int sp_err_sys(struct sp_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepends "<prefix>: " to the message; returns err->code. */
int sp_err_prefix(struct sp_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void sp_err_clear(struct sp_err *err);

#endif
