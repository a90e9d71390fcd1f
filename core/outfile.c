/* SPDX-License-Identifier: MIT */
/* core/outfile.c: see core/outfile.h for the rules; this file says why. */
#include "core/outfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

/* The kernel's own limit on symbolic links in one path walk (ELOOP). */
#define MAX_LINKS 40

enum target_kind {
	TGT_FD,      /* a descriptor the process already has open */
	TGT_REPLACE, /* a regular file or nothing: temporary file + rename */
	TGT_INPLACE, /* a character device, FIFO or socket: written where it is */
};

/* What an output name resolved to.  dir/base are the last name looked at
 * (the target of any symlinks), dirfd the directory opened once: every
 * later step (create, look again, rename) goes through it, so a directory
 * component swapped meanwhile cannot redirect them. */
struct target {
	enum target_kind kind;
	int fd;    /* TGT_FD */
	int dirfd; /* TGT_REPLACE, TGT_INPLACE */
	char *dir, *base;
	char *shown;    /* "'path'" or "'path' (-> 'target')" for messages */
	bool exists;    /* TGT_REPLACE: a regular file is there now */
	bool magic;     /* TGT_INPLACE reached through a /proc magic link */
	struct stat st; /* what was there (exists, TGT_INPLACE) */
};

static void target_release(struct target *t)
{
	if (t->dirfd >= 0)
		close(t->dirfd);
	free(t->dir);
	free(t->base);
	free(t->shown);
}

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFCHR:
		return "character device";
	case S_IFBLK:
		return "block device";
	case S_IFIFO:
		return "FIFO";
	case S_IFSOCK:
		return "socket";
	case S_IFLNK:
		return "symbolic link";
	}
	return "special file";
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char) *s))
			return false;
	return true;
}

/* Names that mean one of our own descriptors.  They are taken by name, as
 * bash does for redirections, so that they work where /dev lacks the links
 * (minimal containers) and so that "/dev/stdout" always means the
 * descriptor the caller set up, never a file to replace.  Writing through
 * the descriptor (not open() of /proc/self/fd/N) keeps its offset and
 * O_APPEND, and works for sockets, which cannot be opened. */
static bool fd_alias(const char *p, int *fd)
{
	static const struct {
		const char *name;
		int fd;
	} fixed[] = {{"/dev/stdin", 0}, {"/dev/stdout", 1}, {"/dev/stderr", 2}};
	for (size_t i = 0; i < SP_ARRAY_SIZE(fixed); i++)
		if (!strcmp(p, fixed[i].name)) {
			*fd = fixed[i].fd;
			return true;
		}
	char own[64];
	snprintf(own, sizeof(own), "/proc/%d/fd/", (int) getpid());
	const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", own};
	for (size_t i = 0; i < SP_ARRAY_SIZE(dirs); i++) {
		size_t n = strlen(dirs[i]);
		uint64_t v;
		if (!strncmp(p, dirs[i], n) && all_digits(p + n) && strlen(p + n) < 10 &&
		    sp_parse_u64(p + n, INT_MAX, &v)) {
			*fd = (int) v;
			return true;
		}
	}
	return false;
}

static int split(struct target *t, const char *cur, struct sp_err *err)
{
	free(t->dir);
	free(t->base);
	t->dir = t->base = NULL;
	size_t n = strlen(cur);
	const char *slash = strrchr(cur, '/');
	const char *base = slash ? slash + 1 : cur;
	if (cur[n - 1] == '/' || !strcmp(base, ".") || !strcmp(base, ".."))
		return sp_err_set(err, -EISDIR, "output %s names a directory", t->shown);
	t->base = xstrdup(base);
	if (!slash)
		t->dir = xstrdup(".");
	else if (slash == cur)
		t->dir = xstrdup("/");
	else
		t->dir = xstrndup(cur, (size_t) (slash - cur));
	return 0;
}

/* One step through the symlink at dirfd/base: refuses a planted link,
 * handles /proc's magic links (returns 1, t filled), or sets *next to the
 * name the link points to (returns 0). */
static int follow(struct target *t, char **next, struct sp_err *err)
{
	/* /proc/PID/fd/N and the like are magic links: what they point to is
	 * an open file, not a name (readlink says "pipe:[123]"), and only
	 * open() through the link reaches it.  Those are written in place when
	 * they lead to a device or a pipe, and refused otherwise: a file can
	 * only be replaced atomically under its own name. */
	struct statfs sfs;
	if (fstatfs(t->dirfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC) {
		struct stat st;
		if (fstatat(t->dirfd, t->base, &st, 0) < 0)
			return sp_err_sys(err, "output %s", t->shown);
		if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
			return sp_err_set(err, -EINVAL,
			                  "output %s is a link in /proc to a %s: give its own name", t->shown,
			                  type_name(st.st_mode));
		t->kind = TGT_INPLACE;
		t->magic = true;
		t->st = st;
		return 1;
	}

	/* The kernel's protected_symlinks rule (fs/namei.c may_follow_link),
	 * applied whatever /proc/sys/fs/protected_symlinks says: in a sticky
	 * world-writable directory such as /tmp anyone can create a link, so
	 * one is followed only when it belongs to us or to the directory's
	 * owner.  Otherwise a user could plant /tmp/app.json -> /etc/passwd
	 * and wait for root to record with -o /tmp/app.json. */
	struct stat dst;
	if (fstat(t->dirfd, &dst) < 0)
		return sp_err_sys(err, "output directory '%s'", t->dir);
	if ((dst.st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) && t->st.st_uid != geteuid() &&
	    t->st.st_uid != dst.st_uid)
		return sp_err_set(
		    err, -EACCES,
		    "output %s is a symbolic link of uid %u in the sticky world-writable directory "
		    "'%s': not followed, anyone can plant links there (as the kernel's "
		    "protected_symlinks rule)",
		    t->shown, (unsigned) t->st.st_uid, t->dir);

	char buf[PATH_MAX];
	ssize_t n = readlinkat(t->dirfd, t->base, buf, sizeof(buf));
	if (n < 0)
		return sp_err_sys(err, "output %s", t->shown);
	if ((size_t) n >= sizeof(buf))
		return sp_err_set(err, -ENAMETOOLONG, "output %s: the link's target is too long", t->shown);
	buf[n] = '\0';
	if (n == 0)
		return sp_err_set(err, -ENOENT, "output %s is an empty symbolic link", t->shown);
	if (buf[0] == '/' || !strcmp(t->dir, "."))
		*next = xstrdup(buf);
	else
		*next = xasprintf("%s/%s", strcmp(t->dir, "/") ? t->dir : "", buf);
	return 0;
}

static int resolve(const char *path, struct target *t, struct sp_err *err)
{
	*t = (struct target){.fd = -1, .dirfd = -1};
	if (!*path)
		return sp_err_set(err, -EINVAL, "the output file name is empty");
	t->shown = xasprintf("'%s'", path);
	if (!strcmp(path, "-")) {
		t->kind = TGT_FD;
		t->fd = STDOUT_FILENO;
		return 0;
	}
	_cleanup_free_ char *cur = xstrdup(path);
	for (int links = 0;; links++) {
		if (fd_alias(cur, &t->fd)) {
			t->kind = TGT_FD;
			return 0;
		}
		if (links > MAX_LINKS)
			return sp_err_set(err, -ELOOP, "output %s: more than %d symbolic links", t->shown,
			                  MAX_LINKS);
		if (links) {
			free(t->shown);
			t->shown = xasprintf("'%s' (-> '%s')", path, cur);
		}
		int r = split(t, cur, err);
		if (r < 0)
			return r;
		if (t->dirfd >= 0)
			close(t->dirfd);
		/* O_PATH when the directory cannot be read (mode -wx): enough for
		 * the *at() calls, only the final fsync of the directory needs
		 * more. */
		t->dirfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (t->dirfd < 0 && errno == EACCES)
			t->dirfd = open(t->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (t->dirfd < 0)
			return sp_err_sys(err, "output directory '%s'", t->dir);
		if (fstatat(t->dirfd, t->base, &t->st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return sp_err_sys(err, "output %s", t->shown);
			t->kind = TGT_REPLACE;
			t->exists = false;
			return 0;
		}
		switch (t->st.st_mode & S_IFMT) {
		case S_IFREG:
			t->kind = TGT_REPLACE;
			t->exists = true;
			return 0;
		case S_IFCHR:
		case S_IFIFO:
		case S_IFSOCK:
			t->kind = TGT_INPLACE;
			return 0;
		case S_IFDIR:
			return sp_err_set(err, -EISDIR, "output %s is a directory", t->shown);
		case S_IFLNK:
			break;
		default:
			return sp_err_set(err, -EPERM, "output %s is a %s: not written to", t->shown,
			                  type_name(t->st.st_mode));
		}
		char *next = NULL;
		if ((r = follow(t, &next, err)) != 0)
			return r < 0 ? r : 0;
		free(cur);
		cur = next;
	}
}

/* For messages about descriptors. */
static char *fd_name(int fd)
{
	if (fd == STDOUT_FILENO)
		return xstrdup("standard output");
	if (fd == STDERR_FILENO)
		return xstrdup("standard error");
	return xasprintf("descriptor %d", fd);
}

static int check_fd(int fd, struct sp_err *err)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
		_cleanup_free_ char *what = fd_name(fd);
		return sp_err_set(err, -EBADF, "output: %s is not open%s", what,
		                  fl < 0 ? "" : " for writing");
	}
	return 0;
}

/* Runs fn on f and flushes: a full disk or a closed pipe shows here. */
static int run_writer(FILE *f, sp_write_fn fn, void *ctx, const char *what, struct sp_err *err)
{
	errno = 0;
	int r = fn(f, ctx, err);
	if (r < 0)
		return r;
	/* A failed write inside fn left its errno (ENOSPC) and the error flag;
	 * fflush retries what is buffered and usually says the same. */
	int e = errno;
	if (fflush(f) != 0)
		return sp_err_sys(err, "write %s", what);
	if (ferror(f)) {
		errno = e ? e : EIO;
		return sp_err_sys(err, "write %s", what);
	}
	return 0;
}

static int write_fd(int fd, sp_write_fn fn, void *ctx, struct sp_err *err)
{
	int r = check_fd(fd, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *what = fd_name(fd);
	if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
		return run_writer(fd == STDOUT_FILENO ? stdout : stderr, fn, ctx, what, err);
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	FILE *f = dfd < 0 ? NULL : fdopen(dfd, "w");
	if (!f) {
		r = sp_err_sys(err, "output: %s", what);
		if (dfd >= 0)
			close(dfd);
		return r;
	}
	r = run_writer(f, fn, ctx, what, err);
	if (fclose(f) != 0 && r == 0)
		r = sp_err_sys(err, "write %s", what);
	return r;
}

/* open() of a socket fails with ENXIO: a socket is written by connecting
 * to it, with whichever type its listener has (EPROTOTYPE says another). */
static int connect_socket(const struct target *t, struct sp_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", t->dir, t->base);
	if (n < 0 || (size_t) n >= sizeof(sa.sun_path)) {
		/* A long name still fits through the opened directory. */
		n = snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", t->dirfd, t->base);
		if (n < 0 || (size_t) n >= sizeof(sa.sun_path))
			return sp_err_set(err, -ENAMETOOLONG, "output socket %s: name too long", t->shown);
	}
	static const int types[] = {SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM};
	for (size_t i = 0; i < SP_ARRAY_SIZE(types); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return sp_err_sys(err, "output socket %s", t->shown);
		if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0)
			return fd;
		int e = errno;
		close(fd);
		if (e != EPROTOTYPE) {
			errno = e;
			return sp_err_sys(err, "connect to output socket %s", t->shown);
		}
	}
	return sp_err_set(err, -EPROTOTYPE, "connect to output socket %s: no socket type fits", t->shown);
}

static int open_inplace(const struct target *t, struct sp_err *err)
{
	if (S_ISSOCK(t->st.st_mode))
		return connect_socket(t, err);
	/* No O_TRUNC (a device or a pipe has nothing to truncate, and nothing
	 * else may be truncated); O_NOFOLLOW and the type check below because
	 * the name was looked at before: what is opened must be what was
	 * seen, not a regular file or link put there since. */
	int fd = openat(t->dirfd, t->base, O_WRONLY | O_NOCTTY | O_CLOEXEC | (t->magic ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return sp_err_sys(err, "open output %s", t->shown);
	struct stat st;
	if (fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != (t->st.st_mode & S_IFMT)) {
		close(fd);
		return sp_err_set(err, -EAGAIN, "output %s changed while it was opened", t->shown);
	}
	return fd;
}

static int write_inplace(const struct target *t, sp_write_fn fn, void *ctx, struct sp_err *err)
{
	int fd = open_inplace(t, err);
	if (fd < 0)
		return fd;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int r = sp_err_sys(err, "output %s", t->shown);
		close(fd);
		return r;
	}
	_cleanup_free_ char *what = xasprintf("output %s", t->shown);
	int r = run_writer(f, fn, ctx, what, err);
	if (fclose(f) != 0 && r == 0)
		r = sp_err_sys(err, "write %s", what);
	return r;
}

/* A new file next to the output, created with O_EXCL (never an existing
 * file, never through a link: in /tmp anyone may have created any name)
 * under a name nobody can guess in advance (so nobody can occupy it
 * either), hidden, and short enough whatever the output's name. */
static int create_temp(int dirfd, const char *base, char name[NAME_MAX + 1])
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (int tries = 0; tries < 100; tries++) {
		unsigned char rnd[12];
		if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t) sizeof(rnd)) {
			uint64_t x = sp_now_ns() ^ ((uint64_t) getpid() << 32) ^ (uint64_t) tries;
			for (size_t i = 0; i < sizeof(rnd);
			     i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
				rnd[i] = (unsigned char) (x >> 56);
		}
		char sfx[sizeof(rnd) + 1];
		for (size_t i = 0; i < sizeof(rnd); i++)
			sfx[i] = chars[rnd[i] % (sizeof(chars) - 1)];
		sfx[sizeof(rnd)] = '\0';
		snprintf(name, NAME_MAX + 1, ".%.200s.%s.tmp", base, sfx);
		int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* The temporary file was created 0600 so that nobody reads it half
 * written; it gets its final mode last.  An existing file keeps its mode
 * and owner (root can give it back to its owner; others can keep a group
 * they are in); setuid/setgid bits stay only when both owner and group do,
 * as chown(2) clears them. */
static int set_mode(int fd, const struct target *t, struct sp_err *err)
{
	mode_t mode;
	if (t->exists) {
		mode = t->st.st_mode & 07777;
		if ((t->st.st_uid != geteuid() || t->st.st_gid != getegid()) &&
		    fchown(fd, t->st.st_uid, t->st.st_gid) < 0 && fchown(fd, (uid_t) -1, t->st.st_gid) < 0)
			sp_debug("output %s: owner and group not kept: %s", t->shown, strerror(errno));
		struct stat now;
		if (fstat(fd, &now) < 0 || now.st_uid != t->st.st_uid || now.st_gid != t->st.st_gid)
			mode &= ~(mode_t) (S_ISUID | S_ISGID);
	} else {
		/* What creat() would have given. */
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) < 0)
		return sp_err_sys(err, "set the mode of output %s", t->shown);
	return 0;
}

/* Someone may have put something else at the name since it was looked at
 * (a shared directory such as /tmp).  renameat() replaces a directory
 * entry whatever it is, so look again: replace only a regular file or
 * nothing, as decided at the start.  The window left between this look
 * and the rename only lets others swap in entries of their own, which the
 * rename then removes without touching what they point to. */
static int commit(const struct target *t, const char *tmp, struct sp_err *err)
{
	for (int tries = 0; tries < 2; tries++) {
		struct stat st;
		if (fstatat(t->dirfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (!S_ISREG(st.st_mode))
				return sp_err_set(err, -EAGAIN,
				                  "output %s became a %s while it was written: left alone",
				                  t->shown, type_name(st.st_mode));
			break;
		}
		if (errno != ENOENT)
			return sp_err_sys(err, "output %s", t->shown);
		/* Nothing there: keep it so until the rename. */
		if (renameat2(t->dirfd, tmp, t->dirfd, t->base, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno == EINVAL || errno == ENOSYS) /* file system without NOREPLACE */
			break;
		if (errno != EEXIST)
			return sp_err_sys(err, "rename the temporary file to output %s", t->shown);
	}
	if (renameat(t->dirfd, tmp, t->dirfd, t->base) < 0)
		return sp_err_sys(err, "rename the temporary file to output %s", t->shown);
	return 0;
}

static int write_replace(const struct target *t, sp_write_fn fn, void *ctx, struct sp_err *err)
{
	char tmp[NAME_MAX + 1];
	int fd = create_temp(t->dirfd, t->base, tmp);
	if (fd < 0)
		return sp_err_sys(err, "create a temporary file in '%s' for output %s", t->dir, t->shown);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int r = sp_err_sys(err, "output %s", t->shown);
		close(fd);
		unlinkat(t->dirfd, tmp, 0);
		return r;
	}
	_cleanup_free_ char *what = xasprintf("output %s", t->shown);
	int r = run_writer(f, fn, ctx, what, err);
	if (r == 0)
		r = set_mode(fd, t, err);
	/* Data on disk before the name points to it: after a crash the name
	 * holds the old file or the whole new one.  (EINVAL: a file system
	 * without fsync, nothing to wait for.) */
	if (r == 0 && fsync(fd) != 0 && errno != EINVAL)
		r = sp_err_sys(err, "write %s", what);
	if (fclose(f) != 0 && r == 0)
		r = sp_err_sys(err, "write %s", what);
	if (r == 0)
		r = commit(t, tmp, err);
	if (r < 0) {
		unlinkat(t->dirfd, tmp, 0);
		return r;
	}
	/* The rename itself on disk; best effort (an O_PATH dirfd cannot). */
	(void) fsync(t->dirfd);
	return 0;
}

int sp_outfile_write(const char *path, sp_write_fn fn, void *ctx, struct sp_err *err)
{
	struct target t;
	int r = resolve(path, &t, err);
	if (r == 0) {
		switch (t.kind) {
		case TGT_FD:
			r = write_fd(t.fd, fn, ctx, err);
			break;
		case TGT_INPLACE:
			r = write_inplace(&t, fn, ctx, err);
			break;
		case TGT_REPLACE:
			r = write_replace(&t, fn, ctx, err);
			break;
		}
	}
	target_release(&t);
	return r;
}

int sp_outfile_check(const char *path, struct sp_err *err)
{
	struct target t;
	int r = resolve(path, &t, err);
	if (r < 0)
		goto out;
	switch (t.kind) {
	case TGT_FD:
		r = check_fd(t.fd, err);
		break;
	case TGT_INPLACE:
		if (faccessat(t.dirfd, t.base, W_OK, AT_EACCESS) < 0)
			r = sp_err_sys(err, "output %s", t.shown);
		break;
	case TGT_REPLACE: {
		char tmp[NAME_MAX + 1];
		int fd = create_temp(t.dirfd, t.base, tmp);
		if (fd < 0) {
			r = sp_err_sys(err, "cannot create files in '%s' for output %s", t.dir, t.shown);
			break;
		}
		close(fd);
		unlinkat(t.dirfd, tmp, 0);
		/* In a sticky directory only the owner of a file (or of the
		 * directory, or root) may replace it. */
		struct stat dst;
		if (t.exists && geteuid() != 0 && fstat(t.dirfd, &dst) == 0 && (dst.st_mode & S_ISVTX) &&
		    t.st.st_uid != geteuid() && dst.st_uid != geteuid())
			r = sp_err_set(
			    err, -EPERM,
			    "output %s belongs to uid %u in the sticky directory '%s': only its owner "
			    "can replace it",
			    t.shown, (unsigned) t.st.st_uid, t.dir);
		break;
	}
	}
out:
	target_release(&t);
	return r;
}

int sp_outfile_write_new(const char *dir, const char *prefix, const char *suffix, sp_write_fn fn, void *ctx,
                         char **path_out, struct sp_err *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%sXXXXXX%s", dir, prefix, suffix);
	/* mkostemps: O_CREAT|O_EXCL, mode 0600, a fresh random name. */
	int fd = mkostemps(path, (int) strlen(suffix), O_CLOEXEC);
	if (fd < 0)
		return sp_err_sys(err, "create '%s'", path);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int r = sp_err_sys(err, "'%s'", path);
		close(fd);
		unlink(path);
		return r;
	}
	_cleanup_free_ char *what = xasprintf("'%s'", path);
	int r = run_writer(f, fn, ctx, what, err);
	if (r == 0 && fsync(fd) != 0 && errno != EINVAL)
		r = sp_err_sys(err, "write %s", what);
	if (fclose(f) != 0 && r == 0)
		r = sp_err_sys(err, "write %s", what);
	if (r < 0) {
		unlink(path);
		return r;
	}
	*path_out = steal_ptr(path);
	return 0;
}
