/* SPDX-License-Identifier: MIT */
/*
 * tracer/uring.h: records what a workload submits through io_uring into
 * rec->meta.io_uring (see tracer/uring.c for how and what cannot be seen).
 *
 * Called by the tracer at the entry stop of io_uring_setup, io_uring_enter
 * and io_uring_register (the task stopped, traced by the caller):
 *
 *     sp_uring_on_call(rec, s->name, info.entry.args, tid);
 */
#ifndef SP_TRACER_URING_H
#define SP_TRACER_URING_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/recording.h"

void sp_uring_on_call(struct sp_recording *rec, const char *name, const uint64_t args[6], pid_t tid);
/* Adds the opcodes an io_uring fdinfo text lists as pending SQEs; false
 * when it lists none or fewer than its count.  (For tests.) */
bool sp_uring_parse_fdinfo(struct sp_recording_uring *u, const char *text);

#endif
