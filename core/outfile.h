/* SPDX-License-Identifier: MIT */
/*
 * core/outfile.h: the one way every command writes its output (-o FILE).
 *
 *     if (sp_outfile_check(path, &err) < 0)          // before a long run
 *             ...
 *     if (sp_outfile_write(path, write_fn, ctx, &err) < 0)
 *             ...
 *
 * What path names decides how it is written (docs/seccomp-profile.1, OUTPUT
 * FILES, says the same for users):
 *
 *   - "-", /dev/stdout, /dev/stderr, /dev/stdin, /dev/fd/N, /proc/self/fd/N
 *     and /proc/thread-self/fd/N: the process's own descriptor N, written
 *     where it stands (like a shell redirection to those names; they mean
 *     the descriptor even where /dev lacks the link);
 *   - a regular file, or a name that does not exist yet: replaced
 *     atomically: a new file created with O_EXCL under an unpredictable
 *     name in the same directory, written, fsynced and renamed over path
 *     (renameat on the directory opened once), so readers see the old file
 *     or the whole new one, and an error of any kind leaves the old file
 *     as it was and no temporary file behind.  The old file's mode and,
 *     where the caller may, its owner and group are kept; setuid/setgid
 *     bits only when both are;
 *   - a character device, FIFO or socket (a socket is connected to):
 *     written in place, streaming, never renamed over nor truncated;
 *   - a symbolic link: followed, and the target written by these same rules
 *     (a link to a regular file replaces the target atomically and leaves
 *     the link), except a link that the kernel's protected_symlinks rule
 *     would not follow: one in a sticky world-writable directory (/tmp)
 *     owned neither by us nor by the directory's owner.  That is refused
 *     whatever the sysctl says, because another user may have planted it to
 *     make a root-run recorder write where they cannot;
 *   - a directory or a block device, and an empty name: an error.
 */
#ifndef SP_CORE_OUTFILE_H
#define SP_CORE_OUTFILE_H

#include <stdio.h>

#include "core/err.h"

/* Writes the whole output to out; returns 0 or a negative code with err
 * set.  Write errors of the stream (ENOSPC, EPIPE...) need not be checked:
 * they are caught at fflush/fsync and reported as failures. */
typedef int (*sp_write_fn)(FILE *out, void *ctx, struct sp_err *err);

/* Writes the output of fn to path by the rules above. */
int sp_outfile_write(const char *path, sp_write_fn fn, void *ctx, struct sp_err *err);

/* Checks, without changing anything, that sp_outfile_write(path) can
 * start: the name resolves to something writable by the rules above and,
 * for a file to be replaced, a file can be created in its directory
 * (access() says yes to root everywhere, and to /proc, where nothing can be
 * created).  A FIFO is not opened (that would block, or end a reader's
 * input early). */
int sp_outfile_check(const char *path, struct sp_err *err);

/* Writes the output of fn to a new file (mode 0600, O_EXCL, never
 * replacing anything) named <dir>/<prefix>XXXXXX<suffix>; *path_out gets
 * its name (caller frees).  For saving work when the requested output
 * failed. */
int sp_outfile_write_new(const char *dir, const char *prefix, const char *suffix, sp_write_fn fn, void *ctx,
                         char **path_out, struct sp_err *err);

#endif
