/* SPDX-License-Identifier: MIT */
/*
 * generator/merge.h: the union of several recordings.
 *
 * Counts are summed per (ABI, syscall), errors, call sites and argument
 * value sets are unioned (within the recording bounds), and each entry's
 * runs_seen adds up, so that after merging N single runs a syscall with
 * runs_seen 1 is one that only one run made (often an error path).
 *
 *     struct sp_recording *m = sp_merge_new();
 *     sp_merge_add(m, rec_a, "a.json");
 *     sp_merge_add(m, rec_b, "b.json");
 *     // m->meta.runs == 2, m->meta.sources == {"a.json", "b.json", NULL}
 *     sp_recording_free(m);
 *
 * Metadata: meta.sources lists every source run (an input that is itself a
 * merge contributes its own sources, so merging is associative); runs,
 * processes, threads and duration are summed; executables, attached PIDs and
 * escaped tasks are unioned; complete is true only if every run was.  Fields
 * that describe one run (command, kernel, machine, libc, tracing, baseline,
 * exit status) are kept when every source agrees, and otherwise: strings
 * become the sorted distinct values joined by ", ", the command and the exit
 * status/signal become unknown.  start_time is the earliest.
 *
 * Sums never wrap: one that would pass SP_COUNT_MAX (2^63-1; 2^32-1 for
 * runs, runs_seen and sites_dropped) stays at it, with one warning per
 * syscall and field naming the source that took it there.
 */
#ifndef SP_GENERATOR_MERGE_H
#define SP_GENERATOR_MERGE_H

#include "core/recording.h"

/* An empty merge result (meta.runs == 0 until the first sp_merge_add). */
struct sp_recording *sp_merge_new(void);

/* Adds src, read from source (a file name; NULL when it has none), into
 * dst.  src is not modified. */
void sp_merge_add(struct sp_recording *dst, const struct sp_recording *src, const char *source);

#endif
