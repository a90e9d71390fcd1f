/* SPDX-License-Identifier: MIT */
/*
 * Finding 4 of tests/fuzz/libseccomp-hang.txt: memory that
 * seccomp_release() never frees.
 *   1. seccomp_rule_add_array() refusing a condition (argument index 6)
 *      leaks the chain it built for the valid ones;
 *   2. on a 32-bit ABI (i386), an unconditional rule added after a
 *      conditional one for the same call and action replaces the tree and
 *      leaks its nodes.
 * Each is built and released 100 times after one warm-up round (libseccomp
 * allocates some things once); the heap in use must not grow.
 * (What seccomp-profile does: generator/compile.c validates conditions
 * before libseccomp sees them and leaves out rules covered by an
 * unconditional one.)
 */
#include <malloc.h>

#include "tests/fuzz/libseccomp/repro.h"

static void bad_index(void)
{
	scmp_filter_ctx ctx = repro_filter(SCMP_ACT_ALLOW, SCMP_ARCH_X86_64);
	struct scmp_arg_cmp cmp[2] = {SCMP_A0(SCMP_CMP_EQ, 1), {6, SCMP_CMP_EQ, 1, 0}};
	if (seccomp_rule_add_array(ctx, SCMP_ACT_KILL, seccomp_syscall_resolve_name("read"), 2, cmp) >= 0)
		repro_verdict(1, "argument index 6 accepted");
	seccomp_release(ctx);
}

static void folded(void)
{
	scmp_filter_ctx ctx = repro_filter(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	int nr = seccomp_syscall_resolve_name("read");
	if (seccomp_rule_add(ctx, SCMP_ACT_KILL, nr, 1, SCMP_A0(SCMP_CMP_EQ, 1)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_KILL, nr, 0) < 0)
		repro_verdict(2, "read rules refused");
	seccomp_release(ctx);
}

/* Heap bytes still in use after 100 rounds of fn. */
static size_t grows(void (*fn)(void))
{
	fn();
	size_t before = mallinfo2().uordblks;
	for (int i = 0; i < 100; i++)
		fn();
	size_t after = mallinfo2().uordblks;
	return after > before ? after - before : 0;
}

int main(void)
{
	size_t a = grows(bad_index), b = grows(folded);
	if (a && b)
		repro_verdict(0, "100 refused conditions leak %zu bytes, 100 folded rules %zu bytes", a, b);
	repro_verdict(1, "100 refused conditions leak %zu bytes, 100 folded rules %zu bytes", a, b);
}
