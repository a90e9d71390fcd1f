/* SPDX-License-Identifier: MIT */
#include "core/abi.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

/* AUDIT_ARCH_* values (linux/audit.h): EM_* | __AUDIT_ARCH_64BIT
 * (0x80000000) | __AUDIT_ARCH_LE (0x40000000).  Written out so this table
 * builds on hosts whose headers lack an arch. */
#define AA_X86_64   0xc000003eu
#define AA_I386     0x40000003u
#define AA_AARCH64  0xc00000b7u
#define AA_ARM      0x40000028u
#define AA_RISCV64  0xc00000f3u
#define AA_PPC64LE  0xc0000015u
#define AA_S390X    0x80000016u
#define AA_S390     0x00000016u
#define AA_MIPSEL64 0xc0000008u
#define AA_MIPSEL   0x40000008u

static const struct sp_abi_info abis[SP_ABI_COUNT] = {
	{SP_ABI_X86_64, "x86_64", AA_X86_64, SCMP_ARCH_X86_64, "x86_64", "SCMP_ARCH_X86_64", "amd64",
	 "x86-64", SP_ABI_X86_64, 64, "__x86_64__"},
	{SP_ABI_I386, "i386", AA_I386, SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86", "x86", "x86", SP_ABI_X86_64,
	 32, "__i386__"},
	/* x32's libseccomp token (0x4000003e) is library-private: the kernel
	 * reports AA_X86_64 plus the nr bit. */
	{SP_ABI_X32, "x32", AA_X86_64, SCMP_ARCH_X32, "x32", "SCMP_ARCH_X32", "x32", "x32", SP_ABI_X86_64, 32,
	 "__ILP32__"},
	{SP_ABI_AARCH64, "aarch64", AA_AARCH64, SCMP_ARCH_AARCH64, "aarch64", "SCMP_ARCH_AARCH64", "arm64",
	 "arm64", SP_ABI_AARCH64, 64, "__aarch64__"},
	{SP_ABI_ARM, "arm", AA_ARM, SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM", "arm", "arm", SP_ABI_AARCH64, 32,
	 "__arm__"},
	{SP_ABI_RISCV64, "riscv64", AA_RISCV64, SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64", "riscv64",
	 "riscv64", SP_ABI_RISCV64, 64, "__riscv"},
	{SP_ABI_PPC64LE, "ppc64le", AA_PPC64LE, SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE", "ppc64le",
	 "ppc64-le", SP_ABI_PPC64LE, 64, "__powerpc64__"},
	{SP_ABI_S390X, "s390x", AA_S390X, SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X", "s390x", "s390x",
	 SP_ABI_S390X, 64, "__s390x__"},
	{SP_ABI_S390, "s390", AA_S390, SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390", "s390", "s390", SP_ABI_S390X,
	 32, "__s390__"},
	{SP_ABI_MIPSEL64, "mipsel64", AA_MIPSEL64, SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64",
	 "mipsel64", "mips64-le", SP_ABI_MIPSEL64, 64, "__mips64"},
	{SP_ABI_MIPSEL, "mipsel", AA_MIPSEL, SCMP_ARCH_MIPSEL, "mipsel", "SCMP_ARCH_MIPSEL", "mipsel",
	 "mips-le", SP_ABI_MIPSEL64, 32, "__mips__"},
};

const struct sp_abi_info *sp_abi_get(enum sp_abi abi)
{
	if ((int)abi < 0 || abi >= SP_ABI_COUNT)
		return NULL;
	return &abis[abi];
}

const char *sp_abi_name(enum sp_abi abi)
{
	const struct sp_abi_info *a = sp_abi_get(abi);
	return a ? a->name : "?";
}

static const struct {
	const char *alias;
	enum sp_abi abi;
} aliases[] = {
	{"amd64", SP_ABI_X86_64}, {"x86-64", SP_ABI_X86_64}, {"x64", SP_ABI_X86_64},
	{"x86", SP_ABI_I386},     {"i686", SP_ABI_I386},     {"i586", SP_ABI_I386},
	{"ia32", SP_ABI_I386},    {"arm64", SP_ABI_AARCH64}, {"armhf", SP_ABI_ARM},
	{"armel", SP_ABI_ARM},    {"ppc64el", SP_ABI_PPC64LE},
};

enum sp_abi sp_abi_from_name(const char *name)
{
	if (!name)
		return SP_ABI_UNKNOWN;
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (!strcasecmp(name, abis[i].name) || !strcmp(name, abis[i].docker))
			return abis[i].abi;
	for (size_t i = 0; i < SP_ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return aliases[i].abi;
	return SP_ABI_UNKNOWN;
}

enum sp_abi sp_abi_from_docker(const char *scmp_arch)
{
	if (!scmp_arch)
		return SP_ABI_UNKNOWN;
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (!strcmp(scmp_arch, abis[i].docker))
			return abis[i].abi;
	return SP_ABI_UNKNOWN;
}

enum sp_abi sp_abi_from_scmp(uint32_t token)
{
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (abis[i].scmp_token == token)
			return abis[i].abi;
	return SP_ABI_UNKNOWN;
}

enum sp_abi sp_abi_classify(uint32_t audit_arch, uint64_t nr)
{
	if (audit_arch == AA_X86_64) {
		/* The kernel tells x32 from x86_64 only by this bit.  nr -1
		 * (all bits set) is the "no syscall" value a tracer may
		 * write, not an x32 call. */
		if ((nr & SP_X32_SYSCALL_BIT) && nr != (uint64_t)-1 && nr != 0xffffffffu)
			return SP_ABI_X32;
		return SP_ABI_X86_64;
	}
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (abis[i].audit_arch == audit_arch && abis[i].abi != SP_ABI_X32)
			return abis[i].abi;
	return SP_ABI_UNKNOWN;
}

uint32_t sp_abi_family(enum sp_abi native)
{
	const struct sp_abi_info *n = sp_abi_get(native);
	if (!n || n->native != native)
		return 0;
	uint32_t fam = 0;
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (abis[i].native == native)
			fam |= sp_abi_bit(abis[i].abi);
	return fam;
}

enum sp_abi sp_abi_native(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return SP_ABI_X32;
#elif defined(__x86_64__)
	return SP_ABI_X86_64;
#elif defined(__i386__)
	return SP_ABI_I386;
#elif defined(__aarch64__)
	return SP_ABI_AARCH64;
#elif defined(__arm__)
	return SP_ABI_ARM;
#elif defined(__riscv) && __riscv_xlen == 64
	return SP_ABI_RISCV64;
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return SP_ABI_PPC64LE;
#elif defined(__s390x__)
	return SP_ABI_S390X;
#else
	return SP_ABI_UNKNOWN;
#endif
}

/* Is nr a real (kernel-visible) number for abi?  libseccomp also resolves
 * its negative pseudo numbers and, for x32, masks the x32 bit, so both
 * would give names to numbers the kernel never uses for that ABI. */
int64_t sp_abi_nr_base(enum sp_abi abi)
{
	switch (abi) {
	case SP_ABI_X32: return SP_X32_SYSCALL_BIT;
	case SP_ABI_MIPSEL: return 4000;
	case SP_ABI_MIPSEL64: return 5000;
	default: return 0;
	}
}

static bool nr_in_range(enum sp_abi abi, int64_t nr)
{
	if (nr < 0 || nr > 0x7fffffff)
		return false;
	if (abi == SP_ABI_X32)
		return (nr & SP_X32_SYSCALL_BIT) != 0;
	if (abi == SP_ABI_X86_64)
		return (nr & SP_X32_SYSCALL_BIT) == 0;
	return true;
}

/* libseccomp's pseudo numbers for the socketcall (-101..-120) and ipc
 * (-201..-224) sub-calls on ABIs that multiplex them: the multiplexer, and
 * the call number (argument 0). */
static const char *mux_of_pseudo(int nr, uint32_t *call)
{
	const char *mux = nr <= -101 && nr >= -120 ? "socketcall" : nr <= -201 && nr >= -224 ? "ipc" : NULL;
	if (mux && call)
		*call = (uint32_t)(-nr % 100);
	return mux;
}

static bool is_mux_pseudo(int nr)
{
	return mux_of_pseudo(nr, NULL) != NULL;
}

const char *sp_abi_multiplexer(enum sp_abi abi, const char *name, uint32_t *call)
{
	if ((int)abi < 0 || abi >= SP_ABI_COUNT || !name)
		return NULL;
	return mux_of_pseudo(seccomp_syscall_resolve_name_arch(sp_abi_get(abi)->scmp_token, name), call);
}

bool sp_abi_syscall_exists(enum sp_abi abi, const char *name)
{
	if ((int)abi < 0 || abi >= SP_ABI_COUNT || !name)
		return false;
	int nr = seccomp_syscall_resolve_name_arch(sp_abi_get(abi)->scmp_token, name);
	return nr >= 0 || is_mux_pseudo(nr);
}

/* The kernel's direct number for a multiplexed name libseccomp resolves to
 * pseudo number `pseudo` on abi, or -1.  libseccomp has no name -> direct
 * number lookup for these, so each ABI's numbers are walked once (the
 * reverse lookup does know them) and the result is cached.  Without this,
 * sp_abi_syscall_nr() contradicted sp_abi_syscall_name(): i386 360 is named
 * "socketpair" but "socketpair" had no number (found by
 * tests/fuzz/fuzz_action). */
static int64_t mux_direct_nr(const struct sp_abi_info *a, int pseudo)
{
	static int16_t direct[SP_ABI_COUNT][225]; /* by -pseudo; 0 = none, else nr + 1 */
	static bool walked[SP_ABI_COUNT];
	if (!walked[a->abi]) {
		walked[a->abi] = true;
		/* Only the ABI's own range: libseccomp's reverse lookup is a
		 * linear search, and walking 6000 numbers cost ~1.5 ms at
		 * every start of `record`.  On MIPS it also takes numbers
		 * without the ABI's base (334 and 4334 are both accept4); the
		 * kernel's are those from the base on.  x32 has no
		 * multiplexer. */
		int64_t base = sp_abi_nr_base(a->abi);
		for (int nr = (int)base; nr < base + 1024; nr++) {
			char *n = seccomp_syscall_resolve_num_arch(a->scmp_token, nr);
			if (!n)
				continue;
			int back = seccomp_syscall_resolve_name_arch(a->scmp_token, n);
			if (is_mux_pseudo(back))
				direct[a->abi][-back] = (int16_t)(nr + 1);
			free(n);
		}
	}
	int16_t d = direct[a->abi][-pseudo];
	return d ? (int64_t)(d - 1) : -1;
}

char *sp_abi_syscall_name(enum sp_abi abi, int64_t nr)
{
	const struct sp_abi_info *a = sp_abi_get(abi);
	if (!a || !nr_in_range(abi, nr))
		return NULL;
	char *n = seccomp_syscall_resolve_num_arch(a->scmp_token, (int)nr);
	if (!n)
		return NULL;
	/* Round-trip check: libseccomp must give the same number back, else
	 * it matched by some rule that is not the kernel's numbering.  One
	 * exception: on ABIs that multiplex (i386, s390, ppc, MIPS o32)
	 * libseccomp resolves the names of the socket and SysV IPC calls to
	 * pseudo numbers (-101..-120, -201..-224) although the kernel also
	 * has direct numbers for them (i386 socket = 359 since 4.3), which
	 * are what a tracer sees; a rule for the name covers both forms. */
	int back = seccomp_syscall_resolve_name_arch(a->scmp_token, n);
	if (back != (int)nr && !(is_mux_pseudo(back) && mux_direct_nr(a, back) == nr)) {
		free(n);
		return NULL;
	}
	return n;
}

int64_t sp_abi_syscall_nr(enum sp_abi abi, const char *name)
{
	const struct sp_abi_info *a = sp_abi_get(abi);
	if (!a || !name)
		return -1;
	int nr = seccomp_syscall_resolve_name_arch(a->scmp_token, name);
	if (is_mux_pseudo(nr))
		return mux_direct_nr(a, nr);
	if (nr < 0)
		return -1;
	return nr;
}

bool sp_abi_syscall_known(const char *name)
{
	if (!name || !*name)
		return false;
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (seccomp_syscall_resolve_name_arch(abis[i].scmp_token, name) != __NR_SCMP_ERROR)
			return true;
	return false;
}
