/* SPDX-License-Identifier: MIT */
/*
 * cli/summary_table.h: the strace -c style table of a recording, shared by
 * `record -c` (printed to stderr at the end) and `summary`.
 *
 *     sp_summary_print(stderr, rec);           // text, a section per ABI
 *     sp_summary_write_json(stdout, rec, &err); // same numbers as JSON
 *
 * Columns: % time, seconds, usecs/call, calls, errors, syscall.  Rows are
 * sorted by time, then calls, then name.  Time is the wall-clock time
 * between a call's entry and its exit as the tracer saw them; it is only
 * measured with `record -c` (the fast default mode never stops at exits),
 * and so are errors: without it the table has only calls (sorted by calls)
 * and says why, and the JSON has "timed": false.
 */
#ifndef SP_CLI_SUMMARY_TABLE_H
#define SP_CLI_SUMMARY_TABLE_H

#include <stdio.h>

#include "core/err.h"
#include "core/recording.h"

void sp_summary_print(FILE *out, const struct sp_recording *rec);
int sp_summary_write_json(FILE *out, const struct sp_recording *rec, struct sp_err *err);

#endif
