/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz.h: what the fuzz targets share.
 *
 * Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput() and is
 * linked two ways:
 *   - with clang -fsanitize=fuzzer,address,undefined (`make fuzz`), where
 *     libFuzzer generates inputs for FUZZ_SECONDS, starting from the seed
 *     corpus tests/fuzz/corpus/<name>/;
 *   - with tests/fuzz/replay_main.c and any compiler (`make fuzz-replay`,
 *     part of `make check`), which runs every file of that corpus once, so
 *     that inputs which once crashed stay fixed.
 *
 * A target must never exit or print on ordinary bad input: it calls the
 * code under test, checks invariants with SP_FUZZ_CHECK() (which aborts,
 * so both libFuzzer and the replay report it) and returns 0.
 *
 *     int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
 *     {
 *             _cleanup_free_ char *s = sp_fuzz_cstr(data, size);
 *             ...
 *     }
 */
#ifndef SP_TESTS_FUZZ_H
#define SP_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Readers take NUL-terminated data (format.h); libFuzzer's buffer is not. */
static inline char *sp_fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#define SP_FUZZ_CHECK(cond, ...)                                                                    \
	do {                                                                                        \
		if (!(cond)) {                                                                      \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                               \
			fputc('\n', stderr);                                                        \
			abort();                                                                    \
		}                                                                                   \
	} while (0)

/* Warnings (skipped names, rules with no effect) are not what the
 * targets check, and printing them slows the search down. */
__attribute__((constructor)) static void sp_fuzz_quiet(void)
{
	sp_log_level = SP_LOG_QUIET;
}

#endif
