/* SPDX-License-Identifier: MIT */
/*
 * Finding 3 of tests/fuzz/libseccomp-hang.txt: the exported filter gives
 * a call another action than the rules that match it.  Two shapes, x86_64:
 *   1. default ERRNO(EPERM);
 *        semop ALLOW if arg0 != 0xfffffffd && (arg2 & 0xd) == 0xd
 *        semop ALLOW if arg0 != 0          && (arg2 & 0xd) == 0
 *      semop(0, 0, 0) matches neither (arg0 == 0 fails the second), yet is
 *      allowed: the second rule's mask test hangs off the first rule's
 *      arg0 branch without its own arg0 test;
 *   2. default KILL_PROCESS;
 *        personality LOG if arg0 < 0x4d4d4d4d4d4d4d4d
 *        personality LOG if arg0 < 0x4d4d972549cc4d4d
 *      personality(0x4d4d4d4dffffffff) is below the second bound (the high
 *      words decide), yet is killed: libseccomp's tree is right (its PFC
 *      export shows it), but in the BPF, once the first bound's low-word
 *      test has failed, the second bound's high-word tests run on the
 *      accumulator as it is, the low word 0xffffffff, not reloaded.
 * (What seccomp-profile does: run, check and record --baseline compare the
 * program with our own emitter's and refuse it, generator/verify.c.)
 */
#include <errno.h>
#include <linux/audit.h>

#include "tests/fuzz/libseccomp/repro.h"

static struct sock_filter prog[4096];

int main(void)
{
	scmp_filter_ctx ctx = repro_filter(SCMP_ACT_ERRNO(EPERM), SCMP_ARCH_X86_64);
	int nr = seccomp_syscall_resolve_name("semop");
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A0(SCMP_CMP_NE, 0xfffffffd),
	                     SCMP_A2(SCMP_CMP_MASKED_EQ, 0xd, 0xd)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A0(SCMP_CMP_NE, 0),
	                     SCMP_A2(SCMP_CMP_MASKED_EQ, 0xd, 0)) < 0)
		repro_verdict(2, "semop rules refused");
	size_t n = repro_export(ctx, prog, 4096);
	seccomp_release(ctx);
	uint32_t semop = sp_bpf_eval(prog, n, AUDIT_ARCH_X86_64, nr, (uint64_t[6]){0});

	ctx = repro_filter(SCMP_ACT_KILL_PROCESS, SCMP_ARCH_X86_64);
	nr = seccomp_syscall_resolve_name("personality");
	if (seccomp_rule_add(ctx, SCMP_ACT_LOG, nr, 1, SCMP_A0(SCMP_CMP_LT, 0x4d4d4d4d4d4d4d4dull)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, nr, 1, SCMP_A0(SCMP_CMP_LT, 0x4d4d972549cc4d4dull)) < 0)
		repro_verdict(2, "personality rules refused");
	n = repro_export(ctx, prog, 4096);
	seccomp_release(ctx);
	uint32_t pers = sp_bpf_eval(prog, n, AUDIT_ARCH_X86_64, nr, (uint64_t[6]){0x4d4d4d4dffffffffull});

	if (semop == SCMP_ACT_ALLOW && pers == SCMP_ACT_KILL_PROCESS)
		repro_verdict(
		    0, "semop(0, 0, 0) allowed where the profile says EPERM, personality(0x4d4d4d4dffffffff) "
		       "killed where it says LOG");
	repro_verdict(
	    1, "semop(0, 0, 0) gets %#x (EPERM is %#x), personality(0x4d4d4d4dffffffff) %#x (LOG is %#x)",
	    semop, SCMP_ACT_ERRNO(EPERM), pers, SCMP_ACT_LOG);
}
