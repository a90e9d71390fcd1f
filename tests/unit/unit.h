/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/unit.h: one Check suite per module, registered by a
 * constructor so that adding a test file needs no edit elsewhere:
 *
 *     static Suite *abi_suite(void) { ... }
 *     SP_SUITE(abi_suite)
 *
 * tests/unit/main.c runs every registered suite.  SP_UNIT_FILTER=NAME runs
 * only the suite NAME.
 */
#ifndef SP_TESTS_UNIT_H
#define SP_TESTS_UNIT_H

#include <check.h>

typedef Suite *(*sp_suite_fn)(void);
void sp_unit_register(sp_suite_fn fn);

#define SP_SUITE(fn)                                                                                \
	static void __attribute__((constructor)) sp_register_##fn(void)                             \
	{                                                                                           \
		sp_unit_register(fn);                                                               \
	}

/* Path of a scratch directory unique to this test process (created). */
const char *sp_unit_tmpdir(void);

#endif
