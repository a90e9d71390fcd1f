/* SPDX-License-Identifier: MIT */
/* core/outfile: what each kind of output name gets.  Device nodes are not
 * made here (tests/integration/t_output.sh does that in a private mount
 * namespace); pipes, FIFOs, sockets, links and files are. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/outfile.h"
#include "core/util.h"
#include "tests/unit/unit.h"

static int write_text(FILE *out, void *ctx, struct sp_err *err)
{
	(void) err;
	fputs((const char *) ctx, out);
	return 0;
}

static int write_then_fail(FILE *out, void *ctx, struct sp_err *err)
{
	(void) ctx;
	fputs("partial", out);
	return sp_err_set(err, -EINVAL, "writer failed");
}

/* A fresh directory per test (they share the process's scratch dir). */
static char *fresh_dir(const char *name)
{
	char *d = xasprintf("%s/%s", sp_unit_tmpdir(), name);
	ck_assert_int_eq(mkdir(d, 0755), 0);
	return d;
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len;
	if (sp_file_read_all(path, 1 << 20, &data, &len, NULL) < 0)
		return NULL;
	return data;
}

static int count_entries(const char *dir)
{
	_cleanup_free_ char *cmd = xasprintf("exit $(ls -A '%s' | wc -l)", dir);
	int st = system(cmd);
	return WEXITSTATUS(st);
}

START_TEST(regular_replaced_or_kept)
{
	_cleanup_free_ char *d = fresh_dir("reg");
	_cleanup_free_ char *path = xasprintf("%s/out.txt", d);
	struct sp_err err = {0};
	ck_assert_int_eq(sp_outfile_write(path, write_text, (void *) "one\n", &err), 0);
	_cleanup_free_ char *s = slurp(path);
	ck_assert_str_eq(s, "one\n");
	/* A failing writer leaves the previous file untouched and no temp. */
	ck_assert_int_lt(sp_outfile_write(path, write_then_fail, NULL, &err), 0);
	ck_assert_str_eq(err.msg, "writer failed");
	free(s);
	s = slurp(path);
	ck_assert_str_eq(s, "one\n");
	ck_assert_int_eq(count_entries(d), 1);
	/* The old file's mode is kept; a new one gets creat()'s. */
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(sp_outfile_write(path, write_text, (void *) "two\n", &err), 0);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	mode_t um = umask(022);
	_cleanup_free_ char *fresh = xasprintf("%s/new.txt", d);
	ck_assert_int_eq(sp_outfile_write(fresh, write_text, (void *) "x", &err), 0);
	umask(um);
	ck_assert_int_eq(stat(fresh, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	/* Root gives the file back to its owner. */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 4321, 4322), 0);
		ck_assert_int_eq(chmod(path, 02755), 0);
		ck_assert_int_eq(sp_outfile_write(path, write_text, (void *) "three\n", &err), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq(st.st_uid, 4321);
		ck_assert_uint_eq(st.st_gid, 4322);
		ck_assert_uint_eq(st.st_mode & 07777, 02755);
	}
	ck_assert_int_eq(count_entries(d), 2);
}
END_TEST

START_TEST(errors_name_the_path)
{
	struct sp_err err = {0};
	ck_assert_int_lt(sp_outfile_write("/nonexistent-dir/x.json", write_text, (void *) "x", &err), 0);
	ck_assert(strstr(err.msg, "/nonexistent-dir"));
	ck_assert_int_eq(sp_outfile_check(sp_unit_tmpdir(), &err), -EISDIR);
	ck_assert(strstr(err.msg, "is a directory"));
	ck_assert_int_eq(sp_outfile_write(sp_unit_tmpdir(), write_text, (void *) "x", &err), -EISDIR);
	_cleanup_free_ char *slash = xasprintf("%s/nothing/", sp_unit_tmpdir());
	ck_assert_int_eq(sp_outfile_write(slash, write_text, (void *) "x", &err), -EISDIR);
	ck_assert_int_eq(sp_outfile_check("", &err), -EINVAL);
	ck_assert(strstr(err.msg, "empty"));
	/* access() lets root "write" to /proc, where nothing can be created:
	 * the check must fail before a long recording, not after it. */
	if (access("/proc/version", F_OK) == 0) {
		ck_assert_int_lt(sp_outfile_check("/proc/version", &err), 0);
		ck_assert(strstr(err.msg, "/proc/version"));
	}
	/* A descriptor that is not open, or only for reading. */
	ck_assert_int_eq(sp_outfile_check("/proc/self/fd/987", &err), -EBADF);
	ck_assert(strstr(err.msg, "descriptor 987 is not open"));
	int fd = open("/proc/version", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	_cleanup_free_ char *ro = xasprintf("/dev/fd/%d", fd);
	ck_assert_int_eq(sp_outfile_write(ro, write_text, (void *) "x", &err), -EBADF);
	ck_assert(strstr(err.msg, "not open for writing"));
	close(fd);
}
END_TEST

START_TEST(descriptor_names_write_in_place)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct sp_err err = {0};
	const char *forms[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
	for (size_t i = 0; i < SP_ARRAY_SIZE(forms); i++) {
		_cleanup_free_ char *name = xasprintf("%s%d", forms[i], p[1]);
		ck_assert_int_eq(sp_outfile_write(name, write_text, (void *) "abc", &err), 0);
		char buf[8] = {0};
		ck_assert_int_eq(read(p[0], buf, sizeof(buf)), 3);
		ck_assert_str_eq(buf, "abc");
	}
	/* The descriptor stays open (a dup was written and closed). */
	ck_assert_int_ge(fcntl(p[1], F_GETFD), 0);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(fifo_in_place_and_check_does_not_open)
{
	_cleanup_free_ char *d = fresh_dir("fifo");
	_cleanup_free_ char *path = xasprintf("%s/f", d);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	struct sp_err err = {0};
	/* With no reader, opening for writing would block: the check must
	 * not open it (the test's time limit catches a hang). */
	ck_assert_int_eq(sp_outfile_check(path, &err), 0);
	int rd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	ck_assert_int_eq(sp_outfile_write(path, write_text, (void *) "through the fifo", &err), 0);
	char buf[64] = {0};
	ck_assert_int_eq(read(rd, buf, sizeof(buf)), 16);
	ck_assert_str_eq(buf, "through the fifo");
	close(rd);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(count_entries(d), 1);
}
END_TEST

START_TEST(socket_is_connected_to)
{
	_cleanup_free_ char *d = fresh_dir("sock");
	_cleanup_free_ char *path = xasprintf("%s/s", d);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(bind(ls, (struct sockaddr *) &sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(ls, 1), 0);
	struct sp_err err = {0};
	ck_assert_int_eq(sp_outfile_write(path, write_text, (void *) "over the socket", &err), 0);
	int c = accept(ls, NULL, NULL);
	ck_assert_int_ge(c, 0);
	char buf[64] = {0};
	ck_assert_int_eq(read(c, buf, sizeof(buf)), 15);
	ck_assert_str_eq(buf, "over the socket");
	close(c);
	close(ls);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
}
END_TEST

START_TEST(symlinks_written_through)
{
	_cleanup_free_ char *d = fresh_dir("links");
	_cleanup_free_ char *target = xasprintf("%s/real.json", d);
	_cleanup_free_ char *link = xasprintf("%s/link.json", d);
	_cleanup_free_ char *link2 = xasprintf("%s/link2.json", d);
	_cleanup_free_ char *dangling = xasprintf("%s/dangling.json", d);
	ck_assert_int_eq(symlink("real.json", link), 0);
	ck_assert_int_eq(symlink("link.json", link2), 0);
	ck_assert_int_eq(symlink("sub/../made.json", dangling), 0);
	_cleanup_free_ char *sub = xasprintf("%s/sub", d);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	struct sp_err err = {0};
	/* Through two relative links to a file that does not exist yet. */
	ck_assert_int_eq(sp_outfile_write(link2, write_text, (void *) "v1", &err), 0);
	_cleanup_free_ char *s = slurp(target);
	ck_assert_str_eq(s, "v1");
	ck_assert_int_eq(sp_outfile_write(link, write_text, (void *) "v2", &err), 0);
	free(s);
	s = slurp(target);
	ck_assert_str_eq(s, "v2");
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lstat(link2, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(sp_outfile_write(dangling, write_text, (void *) "v3", &err), 0);
	_cleanup_free_ char *made = xasprintf("%s/made.json", d);
	free(s);
	s = slurp(made);
	ck_assert_str_eq(s, "v3");
	/* A link to a directory, and a loop. */
	_cleanup_free_ char *todir = xasprintf("%s/todir", d);
	ck_assert_int_eq(symlink("sub", todir), 0);
	ck_assert_int_eq(sp_outfile_write(todir, write_text, (void *) "x", &err), -EISDIR);
	ck_assert(strstr(err.msg, "-> "));
	_cleanup_free_ char *loop = xasprintf("%s/loop", d);
	ck_assert_int_eq(symlink("loop", loop), 0);
	ck_assert_int_eq(sp_outfile_write(loop, write_text, (void *) "x", &err), -ELOOP);
	/* A link to a descriptor name is that descriptor. */
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	_cleanup_free_ char *fdname = xasprintf("/proc/self/fd/%d", p[1]);
	_cleanup_free_ char *tofd = xasprintf("%s/tofd", d);
	ck_assert_int_eq(symlink(fdname, tofd), 0);
	ck_assert_int_eq(sp_outfile_write(tofd, write_text, (void *) "fd", &err), 0);
	char buf[8] = {0};
	ck_assert_int_eq(read(p[0], buf, sizeof(buf)), 2);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* The protected_symlinks rule: in a sticky world-writable directory a link
 * of another user (not the directory's owner) is not followed.  Needs root
 * to give the link away. */
START_TEST(planted_symlink_refused)
{
	if (geteuid() != 0)
		return;
	_cleanup_free_ char *d = fresh_dir("sticky");
	ck_assert_int_eq(chmod(d, 01777), 0);
	_cleanup_free_ char *target = xasprintf("%s/victim", sp_unit_tmpdir());
	struct sp_err err = {0};
	ck_assert_int_eq(sp_outfile_write(target, write_text, (void *) "precious", &err), 0);
	_cleanup_free_ char *link = xasprintf("%s/out.json", d);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(lchown(link, 4321, 4321), 0);
	ck_assert_int_eq(sp_outfile_check(link, &err), -EACCES);
	ck_assert_int_eq(sp_outfile_write(link, write_text, (void *) "overwritten", &err), -EACCES);
	ck_assert(strstr(err.msg, "sticky world-writable"));
	_cleanup_free_ char *s = slurp(target);
	ck_assert_str_eq(s, "precious");
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	/* Owned by the directory's owner (or by us): followed. */
	ck_assert_int_eq(lchown(link, 0, 0), 0);
	ck_assert_int_eq(sp_outfile_write(link, write_text, (void *) "ours", &err), 0);
	free(s);
	s = slurp(target);
	ck_assert_str_eq(s, "ours");
	/* Not sticky: followed whoever owns it. */
	ck_assert_int_eq(lchown(link, 4321, 4321), 0);
	ck_assert_int_eq(chmod(d, 0777), 0);
	ck_assert_int_eq(sp_outfile_write(link, write_text, (void *) "again", &err), 0);
}
END_TEST

START_TEST(write_new_never_replaces)
{
	_cleanup_free_ char *d = fresh_dir("new");
	struct sp_err err = {0};
	_cleanup_free_ char *a = NULL, *b = NULL;
	ck_assert_int_eq(sp_outfile_write_new(d, "x-", ".json", write_text, (void *) "a", &a, &err), 0);
	ck_assert_int_eq(sp_outfile_write_new(d, "x-", ".json", write_text, (void *) "b", &b, &err), 0);
	ck_assert_str_ne(a, b);
	ck_assert(strstr(a, "/x-") && strstr(a, ".json"));
	struct stat st;
	ck_assert_int_eq(stat(a, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	_cleanup_free_ char *s = slurp(a);
	ck_assert_str_eq(s, "a");
	_cleanup_free_ char *c = NULL;
	ck_assert_int_lt(sp_outfile_write_new(d, "x-", ".json", write_then_fail, NULL, &c, &err), 0);
	ck_assert_int_eq(count_entries(d), 2);
}
END_TEST

static Suite *outfile_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, regular_replaced_or_kept);
	tcase_add_test(tc, errors_name_the_path);
	tcase_add_test(tc, descriptor_names_write_in_place);
	tcase_add_test(tc, fifo_in_place_and_check_does_not_open);
	tcase_add_test(tc, socket_is_connected_to);
	tcase_add_test(tc, symlinks_written_through);
	tcase_add_test(tc, planted_symlink_refused);
	tcase_add_test(tc, write_new_never_replaces);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(outfile_suite)
