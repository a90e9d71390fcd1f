/* SPDX-License-Identifier: MIT */
/*
 * tracer/privexec.h: executables whose privileges the kernel withheld
 * because they ran under the recorder (see tracer/privexec.c).
 *
 * Called at every PTRACE_EVENT_EXEC (the task stopped, its new credentials
 * committed):
 *
 *     sp_privexec_check(rec, pid, exe, nnp_by_us);  // exe: /proc/PID/exe or NULL
 *
 * Adds to rec->meta.unfaithful_execs and warns (sp_warn) when pid's
 * executable is setuid, setgid or has file capabilities that a run without
 * the recorder would have been given but this one was not.
 */
#ifndef SP_TRACER_PRIVEXEC_H
#define SP_TRACER_PRIVEXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/recording.h"

void sp_privexec_check(struct sp_recording *rec, pid_t pid, const char *exe, bool nnp_by_us);

/* The permitted capability mask of a security.capability xattr value
 * (struct vfs_cap_data, revisions 1-3), or 0 when it is not one.  (For
 * tests.) */
uint64_t sp_privexec_fcaps(const unsigned char *xattr, size_t len);

#endif
