/* SPDX-License-Identifier: MIT */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((noreturn)) oom(size_t n)
{
	fprintf(stderr, "seccomp-profile: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elt)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*p = xrealloc(*p, c * elt);
	memset((char *)*p + *cap * elt, 0, (c - *cap) * elt);
	*cap = c;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		oom(strlen(s));
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);
	if (!d)
		oom(n);
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(strlen(fmt));
	return s;
}

void sp_freep(void *pp)
{
	free(*(void **)pp);
}

void sp_closep(int *fdp)
{
	if (*fdp >= 0) {
		int saved = errno;
		close(*fdp);
		errno = saved;
	}
}

void sp_fclosep(FILE **fp)
{
	if (*fp && *fp != stdin && *fp != stdout && *fp != stderr)
		fclose(*fp);
}

void sp_buf_add(struct sp_buf *b, const char *s, size_t n)
{
	xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sp_buf_puts(struct sp_buf *b, const char *s)
{
	sp_buf_add(b, s, strlen(s));
}

void sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	xgrow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *sp_buf_steal(struct sp_buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sp_buf_release(struct sp_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int sp_file_read_all(const char *path, size_t max, char **out, size_t *len, struct sp_err *err)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sp_err_sys(err, "open '%s'", path);
	/* A regular file says how big it is: refuse it before reading, and
	 * read it into one buffer of its size (no doubling, no copy).  A pipe,
	 * a device or a file whose size the kernel does not know (procfs says
	 * 0) is read in a growing buffer, at most max + 1 bytes: one past the
	 * limit is enough to refuse it, /dev/zero included.  The loop also
	 * catches a regular file that grew after fstat(). */
	struct stat st;
	size_t cap = 1 << 16;
	int r = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > max)
			r = sp_err_set(err, -EFBIG, "'%s' is larger than the limit of %zu bytes", path, max);
		cap = (size_t)st.st_size + 1; /* + 1: the read that finds the end */
	}
	if (cap > max + 1)
		cap = max + 1;
	char *buf = NULL;
	size_t n = 0;
	if (r == 0)
		buf = xmalloc(cap + 1);
	while (r == 0) {
		if (n == cap) {
			if (cap > max) {
				r = sp_err_set(err, -EFBIG, "'%s' is larger than the limit of %zu bytes", path, max);
				break;
			}
			cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			r = sp_err_sys(err, "read '%s'", path);
			break;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (!is_stdin)
		close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*len = n;
	*out = buf;
	return 0;
}

bool sp_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	/* Only decimal or 0x-hex digits.  strtoull() alone also accepts
	 * leading white space, a sign ("\t-1" wraps to 2^64-1) and, with base
	 * 0, octal ("010" = 8); none of that is what a user or a file of ours
	 * means, so it is checked here first (found by tests/fuzz/fuzz_action).
	 * A leading 0 followed by more digits is refused as ambiguous. */
	if (!s)
		return false;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		return false;
	}
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!(base == 16 ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
			return false;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || !end || *end || v > max)
		return false;
	*out = v;
	return true;
}

const char *sp_errno_name(int e)
{
	if (e <= 0 || e > 4095)
		return NULL;
	return strerrorname_np(e);
}

int sp_errno_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return -1;
}

uint64_t sp_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

char *sp_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x == '/')
		return xasprintf("%s/seccomp-profile", x);
	const char *h = getenv("HOME");
	if (h && *h == '/')
		return xasprintf("%s/.cache/seccomp-profile", h);
	return NULL;
}

int sp_mkdir_p(const char *dir)
{
	_cleanup_free_ char *d = xstrdup(dir);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(d, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(d, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}
