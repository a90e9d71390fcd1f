/* SPDX-License-Identifier: MIT */
/*
 * tests/helpers/preload/stall_libseccomp.c: LD_PRELOAD=build/helpers/
 * stall_libseccomp.so stands in for a libseccomp whose
 * seccomp_rule_add_array() never returns, as 2.5.4's did on some rule sets
 * (finding 1 of tests/fuzz/libseccomp-hang.txt).  seccomp-profile now adds
 * rules in an order that libseccomp handles, so no profile makes the real
 * one loop; t_run.sh uses this to test the worker that still guards run,
 * check and record --baseline against such a library.  It sleeps rather
 * than spins so that a test that fails leaves no CPU burning.
 */
#include <seccomp.h>
#include <unistd.h>

int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                           const struct scmp_arg_cmp *arg_array)
{
	(void) ctx, (void) action, (void) syscall, (void) arg_cnt, (void) arg_array;
	for (;;)
		pause();
}
