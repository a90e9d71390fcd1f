/* SPDX-License-Identifier: MIT */
/*
 * tracer/uring.c: what a workload submits through io_uring.
 *
 * An io_uring operation (open a file, create a directory or a socket,
 * connect...) is an SQE the program writes into a ring shared with the
 * kernel; the kernel performs it without a system call of its own, so
 * seccomp (which filters system calls) neither sees nor filters it, and
 * neither does our syscall table.  What we can see is the io_uring_enter
 * that hands the SQEs to the kernel: at its entry stop the SQEs between
 * the ring's head and tail are exactly the ones about to be consumed.
 *
 * They are read from the kernel's own description of the ring,
 * /proc/TID/fdinfo/FD (io_uring's show_fdinfo, Linux 5.19 and later):
 *
 *     SQEs:	2
 *         0: opcode:NOP, fd:0, flags:0, off:0, ...
 *         1: opcode:MKDIRAT, fd:-100, ...
 *
 * which lists the pending SQEs with the kernel's names for their opcodes
 * (io_uring_get_opcode(), the names of enum io_uring_op without the
 * IORING_OP_ prefix), so no table of opcodes is needed here and a newer
 * kernel's opcodes are named too.  The tracee is stopped at the entry of
 * io_uring_enter, so nothing consumes the ring while we read it (unless the
 * ring has a kernel SQ thread, below).
 *
 * What cannot be seen, and marks the list incomplete (ops_complete false):
 *  - IORING_SETUP_SQPOLL rings: a kernel thread polls the ring and submits
 *    without any io_uring_enter (sqpoll is recorded from io_uring_setup's
 *    params->flags, read at its entry);
 *  - IORING_ENTER_REGISTERED_RING: the fd argument is an index into the
 *    task's registered ring table, not a file descriptor we can look up;
 *  - a kernel that lists no SQEs in fdinfo, or fewer than it counts
 *    (its listing is best effort), or an fdinfo we cannot read.
 * With `record --baseline` a profile that allows io_uring_enter lets it
 * through without a stop: nothing is read then either.
 */
#include "tracer/uring.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tracer/args.h"

/* From include/uapi/linux/io_uring.h (fixed kernel ABI). */
#define SP_IORING_SETUP_SQPOLL          (1u << 1)
#define SP_IORING_ENTER_REGISTERED_RING (1u << 4)
/* struct io_uring_params: __u32 sq_entries, cq_entries, flags, ... */
#define SP_IORING_PARAMS_FLAGS_OFF 8

/* Adds the opcode names of the SQEs listed in an io_uring fdinfo text;
 * false when the listing is missing or shorter than its own count. */
bool sp_uring_parse_fdinfo(struct sp_recording_uring *u, const char *text)
{
	const char *p = strstr(text, "\nSQEs:");
	if (!p)
		return false;
	unsigned long count = strtoul(p + 6, NULL, 10), seen = 0;
	for (p = strchr(p + 1, '\n'); p && p[1] == ' '; p = strchr(p + 1, '\n')) {
		const char *end = strchr(p + 1, '\n');
		const char *op = strstr(p + 1, "opcode:");
		if (!op || (end && op > end))
			continue;
		op += 7;
		size_t len = strcspn(op, ",\n ");
		if (!len || len > 32)
			continue;
		char name[33];
		memcpy(name, op, len);
		name[len] = 0;
		sp_strset_add(&u->ops, &u->nops, name);
		seen++;
	}
	return seen >= count;
}

static void on_enter(struct sp_recording_uring *u, const uint64_t args[6], pid_t tid)
{
	unsigned to_submit = (unsigned)args[1], flags = (unsigned)args[3];
	if (!to_submit)
		return; /* waiting for completions only */
	if (flags & SP_IORING_ENTER_REGISTERED_RING) {
		u->ops_complete = false;
		return;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, (int)args[0]);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	struct sp_err err = {0};
	if (sp_file_read_all(path, 1 << 20, &text, &len, &err) < 0 || !sp_uring_parse_fdinfo(u, text))
		u->ops_complete = false;
}

void sp_uring_on_call(struct sp_recording *rec, const char *name, const uint64_t args[6], pid_t tid)
{
	struct sp_recording_uring *u = &rec->meta.io_uring;
	if (!u->used) {
		u->used = true;
		u->ops_complete = true;
	}
	if (!strcmp(name, "io_uring_enter")) {
		on_enter(u, args, tid);
	} else if (!strcmp(name, "io_uring_setup")) {
		uint32_t flags = 0;
		if (sp_args_read_mem(tid, args[1] + SP_IORING_PARAMS_FLAGS_OFF, &flags, sizeof(flags)) < 0)
			return; /* a bad pointer: the call fails with EFAULT */
		if (flags & SP_IORING_SETUP_SQPOLL) {
			u->sqpoll = true;
			u->ops_complete = false;
		}
	}
}
