/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "tests/unit/unit.h"

START_TEST(classify_x86_family)
{
	ck_assert_int_eq(sp_abi_classify(0xc000003e, 0), SP_ABI_X86_64);
	ck_assert_int_eq(sp_abi_classify(0xc000003e, 231), SP_ABI_X86_64);
	/* x32: same AUDIT_ARCH, the bit in nr decides. */
	ck_assert_int_eq(sp_abi_classify(0xc000003e, 0x40000000 | 1), SP_ABI_X32);
	/* nr -1 (the tracer's "skip") is not an x32 call. */
	ck_assert_int_eq(sp_abi_classify(0xc000003e, (uint64_t)-1), SP_ABI_X86_64);
	ck_assert_int_eq(sp_abi_classify(0x40000003, 1), SP_ABI_I386);
	ck_assert_int_eq(sp_abi_classify(0x40000003, 0x40000000), SP_ABI_I386);
	ck_assert_int_eq(sp_abi_classify(0xc00000b7, 63), SP_ABI_AARCH64);
	ck_assert_int_eq(sp_abi_classify(0x12345678, 0), SP_ABI_UNKNOWN);
}
END_TEST

START_TEST(names_per_abi)
{
	char *n = sp_abi_syscall_name(SP_ABI_X86_64, 0);
	ck_assert_str_eq(n, "read");
	free(n);
	n = sp_abi_syscall_name(SP_ABI_I386, 3);
	ck_assert_str_eq(n, "read");
	free(n);
	n = sp_abi_syscall_name(SP_ABI_I386, 102);
	ck_assert_str_eq(n, "socketcall");
	free(n);
	n = sp_abi_syscall_name(SP_ABI_X32, 0x40000000 | 0);
	ck_assert_str_eq(n, "read");
	free(n);
	n = sp_abi_syscall_name(SP_ABI_AARCH64, 63);
	ck_assert_str_eq(n, "read");
	free(n);
	/* x32 numbers need the bit; x86_64 numbers must not have it. */
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_X32, 0));
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_X86_64, 0x40000000));
	/* Unknown numbers stay unnamed; negative pseudo numbers never resolve. */
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_X86_64, 999));
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_I386, -101));
	ck_assert_ptr_null(sp_abi_syscall_name(SP_ABI_COUNT, 0));
}
END_TEST

START_TEST(numbers_per_abi)
{
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_X86_64, "openat"), 257);
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_I386, "openat"), 295);
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_X32, "read"), 0x40000000);
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_AARCH64, "openat"), 56);
	/* open does not exist on aarch64; mmap2 not on x86_64. */
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_AARCH64, "open"), -1);
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_X86_64, "mmap2"), -1);
	ck_assert_int_eq(sp_abi_syscall_nr(SP_ABI_X86_64, "no_such_call"), -1);
	ck_assert(sp_abi_syscall_known("mmap2"));
	ck_assert(!sp_abi_syscall_known("no_such_call"));
	ck_assert(!sp_abi_syscall_known(""));
}
END_TEST

START_TEST(lookups)
{
	ck_assert_int_eq(sp_abi_from_name("x86_64"), SP_ABI_X86_64);
	ck_assert_int_eq(sp_abi_from_name("amd64"), SP_ABI_X86_64);
	ck_assert_int_eq(sp_abi_from_name("i386"), SP_ABI_I386);
	ck_assert_int_eq(sp_abi_from_name("x86"), SP_ABI_I386);
	ck_assert_int_eq(sp_abi_from_name("arm64"), SP_ABI_AARCH64);
	ck_assert_int_eq(sp_abi_from_name("SCMP_ARCH_X32"), SP_ABI_X32);
	ck_assert_int_eq(sp_abi_from_name("sparc"), SP_ABI_UNKNOWN);
	ck_assert_int_eq(sp_abi_from_docker("SCMP_ARCH_X86"), SP_ABI_I386);
	ck_assert_int_eq(sp_abi_from_docker("x86"), SP_ABI_UNKNOWN);
	ck_assert_str_eq(sp_abi_get(SP_ABI_I386)->docker, "SCMP_ARCH_X86");
	ck_assert_str_eq(sp_abi_get(SP_ABI_X86_64)->docker_short, "amd64");
	ck_assert_str_eq(sp_abi_get(SP_ABI_X86_64)->systemd, "x86-64");
	ck_assert_str_eq(sp_abi_name(SP_ABI_AARCH64), "aarch64");
	ck_assert_int_eq(sp_abi_native(), SP_ABI_X86_64);
	ck_assert_uint_eq(sp_abi_family(SP_ABI_X86_64),
			  sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386) | sp_abi_bit(SP_ABI_X32));
	ck_assert_uint_eq(sp_abi_family(SP_ABI_AARCH64), sp_abi_bit(SP_ABI_AARCH64) | sp_abi_bit(SP_ABI_ARM));
	ck_assert_uint_eq(sp_abi_family(SP_ABI_I386), 0); /* not a native ABI */
	/* Every row: its name and Docker name find it again, its libseccomp
	 * token round-trips, and the table is indexed by its own enum. */
	for (int i = 0; i < SP_ABI_COUNT; i++) {
		const struct sp_abi_info *a = sp_abi_get((enum sp_abi)i);
		ck_assert_int_eq(a->abi, i);
		ck_assert_int_eq(sp_abi_from_name(a->name), i);
		ck_assert_int_eq(sp_abi_from_docker(a->docker), i);
		ck_assert_int_eq(sp_abi_from_scmp(a->scmp_token), i);
		if (i != SP_ABI_X32)
			ck_assert_int_eq(sp_abi_classify(a->audit_arch, 1), i);
	}
}
END_TEST

START_TEST(multiplexed_calls)
{
	uint32_t call = 0;
	ck_assert_str_eq(sp_abi_multiplexer(SP_ABI_I386, "semop", &call), "ipc");
	ck_assert_uint_eq(call, 1); /* SEMOP */
	ck_assert_str_eq(sp_abi_multiplexer(SP_ABI_I386, "socket", &call), "socketcall");
	ck_assert_uint_eq(call, 1); /* SYS_SOCKET */
	ck_assert_str_eq(sp_abi_multiplexer(SP_ABI_I386, "recvmmsg", &call), "socketcall");
	ck_assert_uint_eq(call, 19);
	ck_assert_ptr_null(sp_abi_multiplexer(SP_ABI_X86_64, "socket", NULL));
	ck_assert_ptr_null(sp_abi_multiplexer(SP_ABI_I386, "read", NULL));
	/* exists: own number, or through a multiplexer; not what the ABI lacks */
	ck_assert(sp_abi_syscall_exists(SP_ABI_I386, "semop"));
	ck_assert(sp_abi_syscall_exists(SP_ABI_X86_64, "semop"));
	ck_assert(sp_abi_syscall_exists(SP_ABI_I386, "mmap2"));
	ck_assert(!sp_abi_syscall_exists(SP_ABI_X86_64, "mmap2"));
	ck_assert(!sp_abi_syscall_exists(SP_ABI_AARCH64, "arch_prctl"));
	ck_assert(!sp_abi_syscall_exists(SP_ABI_X86_64, "no_such_call"));
}
END_TEST

static Suite *abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, classify_x86_family);
	tcase_add_test(tc, names_per_abi);
	tcase_add_test(tc, numbers_per_abi);
	tcase_add_test(tc, lookups);
	tcase_add_test(tc, multiplexed_calls);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(abi_suite)
