/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"

#define MAX_SUITES 64
static sp_suite_fn suites[MAX_SUITES];
static int nsuites;

void sp_unit_register(sp_suite_fn fn)
{
	if (nsuites < MAX_SUITES)
		suites[nsuites++] = fn;
}

const char *sp_unit_tmpdir(void)
{
	static char dir[64];
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/sp-unit-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

int main(void)
{
	const char *only = getenv("SP_UNIT_FILTER");
	SRunner *sr = NULL;
	/* Check's default of 4 s per test is too short for the tracer tests
	 * under a sanitizer on a loaded 2-core machine; a hung test still
	 * fails, after a minute.  CK_DEFAULT_TIMEOUT in the environment wins.
	 * (tcase_create() reads it, so before the suites are built.) */
	setenv("CK_DEFAULT_TIMEOUT", "60", 0);
	for (int i = 0; i < nsuites; i++) {
		Suite *s = suites[i]();
		if (!sr)
			sr = srunner_create(s);
		else
			srunner_add_suite(sr, s);
	}
	if (!sr) {
		fprintf(stderr, "no unit test suites registered\n");
		return 1;
	}
	if (only)
		setenv("CK_RUN_SUITE", only, 1);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
