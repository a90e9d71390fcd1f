/* SPDX-License-Identifier: MIT */
/*
 * cli/input.h: load anything we accept where a policy is expected.
 *
 * The input is a recording (turned into a policy by sp_generate() with
 * gen) or a policy file in any registered format that has a reader,
 * recognised by content (each format's detect()).  Errors name the file and
 * where in it the problem is; they never depend on the file's name.
 *
 *     struct sp_policy *p = NULL;
 *     if (sp_cli_load_policy(path, NULL, &p, NULL, &err) < 0)
 *             return sp_cli_fail(&err, SP_EXIT_USAGE);
 *
 * sp_cli_load_policy_ex() also takes the facts Docker's includes/excludes
 * are evaluated against (run/check --cap) and can force a format.
 */
#ifndef SP_CLI_INPUT_H
#define SP_CLI_INPUT_H

#include "core/err.h"
#include "core/policy.h"
#include "core/recording.h"
#include "formats/format.h"

struct sp_gen_opts;

/* *rec_out (may be NULL) receives the recording when the input was one
 * (the caller frees it), else NULL. gen may be NULL (generate's defaults). */
int sp_cli_load_policy(const char *path, const struct sp_gen_opts *gen, struct sp_policy **out,
		       struct sp_recording **rec_out, struct sp_err *err);

struct sp_cli_load_opts {
	const struct sp_gen_opts *gen;   /* recording -> policy; NULL = defaults */
	const struct sp_read_opts *read; /* NULL = this host, no capabilities */
	const char *format;              /* read as this format; NULL = detect */
};
int sp_cli_load_policy_ex(const char *path, const struct sp_cli_load_opts *o, struct sp_policy **out,
			  struct sp_recording **rec_out, struct sp_err *err);
/* The policy generate makes of rec (read from path) with gen (NULL:
 * defaults); errors are prefixed with path. */
int sp_cli_recording_policy(const char *path, const struct sp_recording *rec, const struct sp_gen_opts *gen,
			    struct sp_policy **out, struct sp_err *err);

/* The same for an input already read (data: len bytes, NUL-terminated),
 * named path in messages: callers that looked at the bytes first (is it a
 * recording?) need not read the file a second time. */
int sp_cli_load_policy_data(const char *path, const char *data, size_t len, const struct sp_cli_load_opts *o,
			    struct sp_policy **out, struct sp_recording **rec_out, struct sp_err *err);

#endif
