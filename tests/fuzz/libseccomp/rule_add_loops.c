/* SPDX-License-Identifier: MIT */
/*
 * Finding 1 of tests/fuzz/libseccomp-hang.txt: seccomp_rule_add_array()
 * never returns.  Two ALLOW rules for read, each "arg0 != 0xffffffff" and
 * one more NE on a higher argument, on a 64-bit ABI, added in this order:
 * the second rule's shared next-condition node (arg4's) sorts above the
 * first one's (arg3's) and is put in front of it twice, once through each
 * parent, which links it to itself.  In the other order both calls return.
 * (How seccomp-profile avoids it: generator/compile.c, add_order().)
 */
#include <signal.h>
#include <string.h>

#include "tests/fuzz/libseccomp/repro.h"

#define LIMIT_S 2 /* the two calls take microseconds when they return */

static char alarm_line[160];

/* The main thread is inside libseccomp's loop, holding no lock of ours:
 * write the line prepared before and leave. */
static void on_alarm(int sig)
{
	(void) sig;
	ssize_t k = write(STDOUT_FILENO, alarm_line, strlen(alarm_line));
	(void) k;
	_exit(0);
}

int main(void)
{
	scmp_filter_ctx ctx = repro_filter(SCMP_ACT_ERRNO(1), SCMP_ARCH_X86_64);
	int nr = seccomp_syscall_resolve_name("read");
	struct scmp_arg_cmp a[2] = {SCMP_A0(SCMP_CMP_NE, 0xffffffff), SCMP_A3(SCMP_CMP_NE, 0x100000000ull)};
	struct scmp_arg_cmp b[2] = {SCMP_A0(SCMP_CMP_NE, 0xffffffff), SCMP_A4(SCMP_CMP_NE, 5)};
	if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 2, a) < 0)
		repro_verdict(2, "the first rule was refused");
	const struct scmp_version *v = seccomp_version();
	snprintf(alarm_line, sizeof(alarm_line),
	         "reproduced (libseccomp %u.%u.%u): the second seccomp_rule_add_array() has not returned "
	         "after %d s\n",
	         v->major, v->minor, v->micro, LIMIT_S);
	signal(SIGALRM, on_alarm);
	alarm(LIMIT_S);
	int r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 2, b);
	alarm(0);
	repro_verdict(1, "the second seccomp_rule_add_array() returned %d", r);
}
