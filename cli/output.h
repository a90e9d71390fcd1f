/* SPDX-License-Identifier: MIT */
/*
 * cli/output.h: writing what record -f and generate produce.
 *
 *     struct sp_gen_opts gen; sp_gen_opts_init(&gen);
 *     struct sp_write_opts wo = {.explain = false, .rec = rec};
 *     if (sp_cli_write_output("-", "docker", rec, &gen, &wo, &err) < 0) ...
 *
 * Format "recording" writes rec itself; any other registered format writes
 * the policy sp_generate() makes from rec with gen.  When gen->runtime is
 * NULL the format picks it: docker, oci and k8s profiles are loaded by a
 * container runtime, so they get "any" (the calls of every OCI runtime we
 * measured: the profile must start a container under whichever the user
 * has); bpf gets "bwrap" (bubblewrap's --seccomp); the others "none".  The
 * output is written by sp_outfile_write() (core/outfile.h: a file replaced
 * atomically, a device, FIFO, socket or "-" written in place), and nothing
 * is written when generation fails.  wo may be NULL; wo->rec defaults to rec.
 */
#ifndef SP_CLI_OUTPUT_H
#define SP_CLI_OUTPUT_H

#include <stdbool.h>

#include "core/err.h"
#include "core/recording.h"
#include "formats/format.h"
#include "generator/generate.h"

int sp_cli_write_output(const char *path, const char *format, const struct sp_recording *rec,
			const struct sp_gen_opts *gen, const struct sp_write_opts *wo, struct sp_err *err);

/* The runtime a format implies when none was asked for ("any", "bwrap",
 * "none"). */
const char *sp_cli_default_runtime(const char *format);

/* Writes an already built policy in format. */
int sp_cli_write_policy(const char *path, const char *format, const struct sp_policy *p,
			const struct sp_write_opts *wo, struct sp_err *err);

/* Writes rec itself (format "recording"). */
int sp_cli_write_recording(const char *path, const struct sp_recording *rec, struct sp_err *err);

/* When the output failed: saves rec to a new file (mode 0600, never
 * replacing anything) in $TMPDIR or /tmp, else in the current directory,
 * and says where ("<cmd>: the recording was saved to '...' instead"), or
 * that it is lost.  Returns 0 when saved. */
int sp_cli_rescue_recording(const char *cmd, const struct sp_recording *rec);

/* Every command's -o, before any work: an empty name is a usage error;
 * with probe, so is anything sp_outfile_check() refuses (printed as
 * "<cmd>: <message>").  Returns 0, or the exit status (2). */
int sp_cli_check_output(const char *cmd, const char *path, bool probe);

#endif
