/* SPDX-License-Identifier: MIT */
/*
 * Finding 2 of tests/fuzz/libseccomp-hang.txt: an exported ABI block that
 * never loads the syscall number.  After "jeq ARCH" the program compares
 * the accumulator, which still holds the arch value, with syscall numbers:
 * nothing in that block matches and every call gets the default action.
 * Three triggers, each with a call that a rule should catch:
 *   1. x86_64 + x32, default ALLOW: mmap2 (which neither has) KILL_THREAD
 *      and openat KILL_THREAD if arg4 != 0x8000000000000; openat(arg4 = 0)
 *      on x86_64 must be killed;
 *   2. mipsel64, default ALLOW: exit_group KILL_THREAD if arg0 != 0xffffffff
 *      && arg4 < 0x217f0a0104000208, ipc (which n64 lacks) KILL_THREAD if
 *      arg5 != 0 && arg0 != 0; exit_group(0) must be killed;
 *   3. i386, default ALLOW: semop KILL_THREAD, which i386 has only through
 *      ipc(SEMOP = 1, ...); that ipc call must be killed.
 * (What seccomp-profile does: generator/compile.c, verify_blocks().)
 */
#include <linux/audit.h>

#include "tests/fuzz/libseccomp/repro.h"

static struct sock_filter prog[4096];

/* What the exported program returns for nr(args) on arch. */
static uint32_t verdict(scmp_filter_ctx ctx, uint32_t arch, int nr, const uint64_t *args)
{
	size_t n = repro_export(ctx, prog, 4096);
	seccomp_release(ctx);
	return sp_bpf_eval(prog, n, arch, nr, args);
}

static void rule(scmp_filter_ctx ctx, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
	int r = seccomp_rule_add_array(ctx, SCMP_ACT_KILL_THREAD, seccomp_syscall_resolve_name(name), n, cmp);
	if (r < 0)
		repro_verdict(2, "rule for %s refused (%d)", name, r);
}

int main(void)
{
	static const uint64_t zero[6] = {0}, semop[6] = {1};
	uint32_t got[3];

	scmp_filter_ctx ctx = repro_filter(SCMP_ACT_ALLOW, SCMP_ARCH_X86_64);
	if (seccomp_arch_add(ctx, SCMP_ARCH_X32) < 0)
		repro_verdict(2, "cannot add x32");
	rule(ctx, "mmap2", 0, NULL);
	rule(ctx, "openat", 1, (struct scmp_arg_cmp[]){SCMP_A4(SCMP_CMP_NE, 0x8000000000000ull)});
	got[0] = verdict(ctx, AUDIT_ARCH_X86_64,
	                 seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "openat"), zero);

	ctx = repro_filter(SCMP_ACT_ALLOW, SCMP_ARCH_MIPSEL64);
	rule(ctx, "exit_group", 2,
	     (struct scmp_arg_cmp[]){SCMP_A0(SCMP_CMP_NE, 0xffffffff),
	                             SCMP_A4(SCMP_CMP_LT, 0x217f0a0104000208ull)});
	rule(ctx, "ipc", 2, (struct scmp_arg_cmp[]){SCMP_A5(SCMP_CMP_NE, 0), SCMP_A0(SCMP_CMP_NE, 0)});
	got[1] = verdict(ctx, AUDIT_ARCH_MIPSEL64,
	                 seccomp_syscall_resolve_name_arch(SCMP_ARCH_MIPSEL64, "exit_group"), zero);

	ctx = repro_filter(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	rule(ctx, "semop", 0, NULL);
	got[2] =
	    verdict(ctx, AUDIT_ARCH_I386, seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "ipc"), semop);

	int wrong = 0;
	for (int i = 0; i < 3; i++)
		wrong += got[i] == SCMP_ACT_ALLOW;
	if (wrong == 3)
		repro_verdict(
		    0, "x86_64 openat, mipsel64 exit_group and i386 ipc(SEMOP) are allowed where a rule "
		       "kills them");
	repro_verdict(1, "killed by the rule: x86_64 openat %s, mipsel64 exit_group %s, i386 ipc(SEMOP) %s",
	              got[0] == SCMP_ACT_KILL_THREAD ? "yes" : "no",
	              got[1] == SCMP_ACT_KILL_THREAD ? "yes" : "no",
	              got[2] == SCMP_ACT_KILL_THREAD ? "yes" : "no");
}
