/* SPDX-License-Identifier: MIT */
/*
 * core/abi.h: the one table of system-call ABIs.
 *
 * Each row maps our ABI name ("x86_64", "i386", "x32", "aarch64", ...) to the
 * kernel's AUDIT_ARCH_* value (what seccomp_data.arch and
 * PTRACE_GET_SYSCALL_INFO report), the libseccomp token and name, the
 * Docker/OCI "SCMP_ARCH_*" string and the systemd name.  Nothing else in the
 * tree spells these constants.
 *
 * x32 is the one ABI the kernel does not report by arch: x32 calls arrive as
 * AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT (0x40000000) set in nr.
 * sp_abi_classify() is the single place that applies that rule.  Syscall
 * numbers are kept exactly as the kernel reported them, so x32 numbers keep
 * the bit (libseccomp's x32 numbers include it too).
 *
 * Names come from libseccomp for the ABI they were observed on; a number
 * libseccomp does not know yields NULL, never an invented name.
 *
 *     enum sp_abi a = sp_abi_classify(info.arch, info.entry.nr);
 *     char *name = sp_abi_syscall_name(a, info.entry.nr);  // free()
 */
#ifndef SP_CORE_ABI_H
#define SP_CORE_ABI_H

#include <stdbool.h>
#include <stdint.h>

/* Order matters: it is the fixed output order (native 64-bit ABIs first,
 * each followed by its compat ABIs). */
enum sp_abi {
	SP_ABI_X86_64 = 0,
	SP_ABI_I386,
	SP_ABI_X32,
	SP_ABI_AARCH64,
	SP_ABI_ARM,
	SP_ABI_RISCV64,
	SP_ABI_PPC64LE,
	SP_ABI_S390X,
	SP_ABI_S390,
	SP_ABI_MIPSEL64,
	SP_ABI_MIPSEL,
	SP_ABI_COUNT,
	SP_ABI_UNKNOWN = -1,
};

#define SP_X32_SYSCALL_BIT 0x40000000u

struct sp_abi_info {
	enum sp_abi abi;
	const char *name;        /* ours: "x86_64", "i386", "x32", ... */
	uint32_t audit_arch;     /* kernel AUDIT_ARCH_* (x32: that of x86_64) */
	uint32_t scmp_token;     /* libseccomp SCMP_ARCH_* token */
	const char *scmp_name;   /* libseccomp arch name: "x86", "x86_64" */
	const char *docker;      /* Docker/OCI: "SCMP_ARCH_X86" */
	const char *docker_short;/* Docker includes.arches: "amd64", "x86" */
	const char *systemd;     /* SystemCallArchitectures=: "x86-64" */
	enum sp_abi native;      /* the 64-bit ABI whose kernel runs it */
	unsigned bits;           /* pointer width */
	const char *cpp_macro;   /* compiler macro identifying a build for it */
};

const struct sp_abi_info *sp_abi_get(enum sp_abi abi);
const char *sp_abi_name(enum sp_abi abi); /* "?" for out-of-range */

/* Lookups; each returns SP_ABI_UNKNOWN for names it does not know.
 * sp_abi_from_name() accepts our names and the usual aliases (amd64,
 * x86-64, x86, i686, arm64, and the Docker SCMP_ARCH_* strings). */
enum sp_abi sp_abi_from_name(const char *name);
enum sp_abi sp_abi_from_docker(const char *scmp_arch);
enum sp_abi sp_abi_from_scmp(uint32_t token);

/* The ABI of one system call, from the kernel's arch and nr. */
enum sp_abi sp_abi_classify(uint32_t audit_arch, uint64_t nr);

/* The ABI this binary was built for (the recorder's own). */
enum sp_abi sp_abi_native(void);

/* Where the kernel's numbers of abi start: the x32 bit for x32, 4000 for
 * MIPS o32, 5000 for MIPS n64, else 0.  Every number of the ABI is within
 * 1024 of it. */
int64_t sp_abi_nr_base(enum sp_abi abi);

/* libseccomp name of nr on abi, malloc'ed, or NULL when libseccomp does not
 * know that number for that ABI.  Numbers outside the ABI's range (negative
 * pseudo numbers, x32 numbers on x86_64 and the reverse) are never
 * resolved. */
char *sp_abi_syscall_name(enum sp_abi abi, int64_t nr);

/* Number of name on abi as the kernel sees it, or -1 if the name does not
 * exist there (or libseccomp does not know it).  Multiplexed calls that
 * have no direct number on abi (i386 before 4.3) return -1 too: see
 * sp_abi_syscall_known(). */
int64_t sp_abi_syscall_nr(enum sp_abi abi, const char *name);

/* true when libseccomp knows name at all, on any ABI (a typo check). */
bool sp_abi_syscall_known(const char *name);

/* On the ABIs that multiplex socket and SysV IPC calls (i386, s390, ppc,
 * MIPS o32) libseccomp gives those names pseudo numbers, reached through
 * socketcall (-101..-120) or ipc (-201..-224): the multiplexer's name,
 * with *call (may be NULL) receiving the call number its argument 0
 * carries; NULL for every other name or ABI. */
const char *sp_abi_multiplexer(enum sp_abi abi, const char *name, uint32_t *call);

/* name exists on abi: a number of its own, or through a multiplexer.
 * false for names the ABI lacks (mmap2 on x86_64) and unknown names. */
bool sp_abi_syscall_exists(enum sp_abi abi, const char *name);

/* Bit for abi in a uint32_t ABI mask. */
static inline uint32_t sp_abi_bit(enum sp_abi abi)
{
	return 1u << (unsigned)abi;
}

/* Mask of the ABIs one kernel runs: native and its compat ABIs (x86_64's
 * family is x86_64, i386 and x32).  0 for an ABI that is not native. */
uint32_t sp_abi_family(enum sp_abi native);

#endif
