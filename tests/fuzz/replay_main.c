/* SPDX-License-Identifier: MIT */
/*
 * Replays a corpus through a fuzz target without libFuzzer, so that every
 * target also runs under gcc (and SANITIZE=...) in `make check`:
 *
 *     build/fuzz/fuzz_recording-replay tests/fuzz/corpus/recording [FILE...]
 *
 * Each argument is a file or a directory (its regular files, in name
 * order).  Each input is handed over in a buffer of exactly its size, so
 * that AddressSanitizer sees any read past the end.  A crash or failed
 * invariant aborts with the name of the input on stderr; otherwise one line
 * "NAME: N inputs replayed" and exit 0.  An empty corpus is an error (a
 * replay that replays nothing cannot fail).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/util.h"
#include "tests/fuzz/fuzz.h"

static size_t replayed;
static const char *current; /* the input being run, for the crash message */

static void say_current(void)
{
	if (!current)
		return;
	/* async-signal-safe: write(2) only */
	static const char pre[] = "replay: crashed on input ";
	ssize_t r = write(2, pre, sizeof(pre) - 1);
	r = write(2, current, strlen(current));
	r = write(2, "\n", 1);
	(void)r;
}

static void on_fatal(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Sanitizers end the process from their own handlers; this hook (present
 * only when a sanitizer runtime is linked) names the input there too. */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static int replay_file(const char *path)
{
	struct sp_err err = {0};
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	/* 4x the reader limit: larger seeds would only test the size check. */
	if (sp_file_read_all(path, 256u << 20, &data, &len, &err) < 0) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return -1;
	}
	/* An exact-size copy: the NUL sp_file_read_all adds would hide
	 * overreads by one. */
	uint8_t *exact = xmalloc(len ? len : 1);
	memcpy(exact, data, len);
	current = path;
	LLVMFuzzerTestOneInput(exact, len);
	current = NULL;
	free(exact);
	replayed++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (r == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			r = replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
		return 2;
	}
	static const int fatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE};
	for (size_t i = 0; i < SP_ARRAY_SIZE(fatal); i++)
		signal(fatal[i], on_fatal);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(say_current);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: '%s': %s\n", argv[i], strerror(errno));
			return 2;
		}
		if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) < 0)
			return 2;
	}
	const char *self = strrchr(argv[0], '/');
	printf("%s: %zu inputs replayed\n", self ? self + 1 : argv[0], replayed);
	if (!replayed) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	return 0;
}
