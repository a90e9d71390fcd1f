/* SPDX-License-Identifier: MIT */
/*
 * core/util.h: allocation, scoped cleanup, growable strings, reading files.
 *
 * Allocation never fails visibly: xmalloc() and friends abort with a message
 * on OOM, which removes a whole class of error paths.
 *
 * Scoped cleanup (the crun/bubblewrap idiom): a variable declared with one of
 * the _cleanup_*_ attributes is released when it goes out of scope.  Give it
 * an initial value where declared; hand ownership out with steal_ptr():
 *
 *     _cleanup_free_ char *s = xstrdup("x");
 *     return steal_ptr(s);
 *
 * Output files are written by core/outfile.h.
 */
#ifndef SP_CORE_UTIL_H
#define SP_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define SP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SP_UNUSED        __attribute__((unused))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size elt) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elt);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void *sp_steal_ptr_(void **pp)
{
	void *p = *pp;
	*pp = NULL;
	return p;
}
#define steal_ptr(p) sp_steal_ptr_((void **)&(p))

void sp_freep(void *pp);
void sp_closep(int *fdp);
void sp_fclosep(FILE **fp);
#define _cleanup_free_   __attribute__((cleanup(sp_freep)))
#define _cleanup_close_  __attribute__((cleanup(sp_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(sp_fclosep)))

/* A growable NUL-terminated string (git's strbuf, reduced). */
struct sp_buf {
	char *s;
	size_t len, cap;
};
#define SP_BUF_INIT {NULL, 0, 0}
void sp_buf_add(struct sp_buf *b, const char *s, size_t n);
void sp_buf_puts(struct sp_buf *b, const char *s);
void sp_buf_printf(struct sp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sp_buf_steal(struct sp_buf *b); /* never NULL; resets b */
void sp_buf_release(struct sp_buf *b);

/* Reads a whole file (or stdin for "-") of at most max bytes into *out
 * (NUL-terminated; *len excludes the NUL).  A regular file larger than max
 * is refused before anything is read; a stream (pipe, device) after at
 * most max + 1 bytes.  Memory: one buffer of the file's size (streams: at
 * most twice what they held, never more than max + 1). */
int sp_file_read_all(const char *path, size_t max, char **out, size_t *len, struct sp_err *err);

/* Parses an unsigned decimal/0x-hex integer that must fit in max; false on
 * junk or overflow. */
bool sp_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* errno names ("EPERM") <-> numbers, from the C library's own table.
 * sp_errno_name() returns NULL for numbers it does not know. */
const char *sp_errno_name(int e);
int sp_errno_from_name(const char *name); /* -1 if unknown */

/* Monotonic time in nanoseconds. */
uint64_t sp_now_ns(void);

/* The directory for what the tool caches between runs (libc maps, the
 * eBPF back-end's kernel types): $XDG_CACHE_HOME/seccomp-profile, else
 * ~/.cache/seccomp-profile; NULL (no cache) when neither variable holds an
 * absolute path.  Freed by the caller. */
char *sp_cache_dir(void);

/* mkdir -p with mode 0700 for what it creates; 0 or a negative errno. */
int sp_mkdir_p(const char *dir);

#endif
