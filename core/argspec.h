/* SPDX-License-Identifier: MIT */
/*
 * core/argspec.h: the table of syscalls whose flag-like arguments we record
 * and turn into argument rules (docs/argument-rules.md is the prose version).
 *
 * The table lives in core/ because both sides read it: the recorder
 * (tracer/args.c) to know which argument values to keep in sp_sysc.args, and
 * the rule builder (generator/args.c) to know what those values mean.
 * tracer/ and generator/ may not include each other.
 *
 *     const struct sp_argspec *sp = sp_argspec_find(SP_ABI_X86_64, 41); // socket
 *     for (unsigned i = 0; sp && i < sp->nargs; i++)
 *             use(sp->arg[i].idx, sp->arg[i].kind);
 *
 * sp_argspec_find() is on the tracer's hot path (every syscall stop): the
 * first call for an ABI maps the ABI's syscall numbers to names with
 * libseccomp once; afterwards it is a binary search in a sorted array of a
 * few dozen numbers, no allocation and no syscall.  The lazily built index
 * is not thread-safe; the tracer and the generator are single-threaded.
 *
 * Per-ABI differences are resolved here, so callers never look at the ABI:
 * clone's flags are argument 1 on s390/s390x (CLONE_BACKWARDS2) and 0
 * elsewhere; `mmap` takes a pointer to a struct on i386, arm, s390 and
 * s390x (old_mmap: nothing a filter can read, so it is not in the table
 * there; their libcs use mmap2); socketcall/ipc exist only on the ABIs
 * that multiplex.
 */
#ifndef SP_CORE_ARGSPEC_H
#define SP_CORE_ARGSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/abi.h"

/* How a recorded value is obtained and how it becomes a condition. */
enum sp_argkind {
	/* An int argument: recorded as its low 32 bits (seccomp sees the
	 * whole register, whose upper half may be sign extension or garbage);
	 * rules: one MASKED_EQ(0xffffffff, v) rule per value. */
	SP_ARGK_INT,
	/* socket()/socketpair() type: low 32 bits without SOCK_NONBLOCK and
	 * SOCK_CLOEXEC (they change nothing about what the socket can do);
	 * rules: MASKED_EQ(0xffffffff & ~those bits, v) per value. */
	SP_ARGK_SOCKTYPE,
	/* clone() flags: low 32 bits without the exit signal (CSIGNAL, the
	 * low byte); rules: MASKED_EQ(SP_CLONE_NS_MASK, v & SP_CLONE_NS_MASK)
	 * per distinct namespace combination (usually just 0). */
	SP_ARGK_CLONEFLAGS,
	/* mmap/mprotect prot: low 32 bits; rules: W^X (two rules, "no
	 * PROT_EXEC" or "no PROT_WRITE") unless WRITE|EXEC was observed. */
	SP_ARGK_PROT,
	/* socketcall()/ipc() call number (ipc: low 16 bits are the call, the
	 * version sits above): low 32 bits; rules as SP_ARGK_INT. */
	SP_ARGK_MUXCALL,
	/* clone3(): struct clone_args.flags read from tracee memory (arg 0 is
	 * the pointer).  No filter can read it: the generator answers clone3
	 * with ENOSYS so that libc falls back to clone(), whose flags can be
	 * checked (see generator/args.h). */
	SP_ARGK_CLONE3FLAGS,
};

/* Namespace bits that clone() accepts: CLONE_NEWNS 0x00020000,
 * CLONE_NEWCGROUP 0x02000000, CLONE_NEWUTS 0x04000000, CLONE_NEWIPC
 * 0x08000000, CLONE_NEWUSER 0x10000000, CLONE_NEWPID 0x20000000,
 * CLONE_NEWNET 0x40000000.  (Docker's default profile uses the same mask,
 * 2114060288.)  CLONE_NEWTIME (0x80) is only valid for clone3/unshare:
 * for clone() that bit is part of the exit signal. */
#define SP_CLONE_NS_MASK   0x7E020000u
#define SP_CLONE_NEWTIME   0x00000080u
#define SP_CSIGNAL         0x000000ffu
#define SP_PROT_WRITE      0x2u
#define SP_PROT_EXEC       0x4u
#define SP_SOCK_CLOEXEC    0x00080000u /* O_CLOEXEC on every ABI we know */
#define SP_SOCK_NONBLOCK   0x00000800u /* O_NONBLOCK; MIPS: 0x80 */
#define SP_SOCK_NONBLOCK_MIPS 0x00000080u
/* socketcall() call numbers (linux/net.h SYS_*) of the calls we decode. */
#define SP_SYS_SOCKET     1
#define SP_SYS_SOCKETPAIR 8
#define SP_SYS_SETSOCKOPT 14
#define SP_SYS_GETSOCKOPT 15

struct sp_argspec_arg {
	uint8_t idx;  /* argument index 0..5 */
	uint8_t kind; /* enum sp_argkind */
	const char *what; /* "domain", "type", "flags", ... */
};

struct sp_argspec {
	const char *name; /* libseccomp name */
	uint8_t nargs;
	struct sp_argspec_arg arg[2];
};

/* The entry for syscall nr on abi (nr as the kernel reports it), or NULL
 * when we record nothing for it.  Cheap; see above. */
const struct sp_argspec *sp_argspec_find(enum sp_abi abi, int64_t nr);

/* Same, by libseccomp name (for the generator). */
const struct sp_argspec *sp_argspec_by_name(enum sp_abi abi, const char *name);

/* The number the kernel reports for name on abi, for the names of the
 * table and those socketcall()/ipc() stand for; -1 when abi has no direct
 * call.  Unlike sp_abi_syscall_nr(), this finds i386's direct socket (359)
 * and semget (393) calls, which libseccomp resolves to pseudo numbers. */
int64_t sp_argspec_kernel_nr(enum sp_abi abi, const char *name);

/* The mask a SOCKTYPE value is compared under on abi (32 bits without
 * SOCK_NONBLOCK/SOCK_CLOEXEC). */
uint32_t sp_argspec_socktype_mask(enum sp_abi abi);

/* The bits of a raw argument of kind that are recorded on abi (the value
 * kept is argument & mask): the low 32 bits for ints, without
 * SOCK_NONBLOCK/SOCK_CLOEXEC for socket types, without the exit signal for
 * clone flags; all 64 for clone3's flags.  Both recorders use it. */
uint64_t sp_argspec_value_mask(enum sp_abi abi, enum sp_argkind kind);

/* Name of the call a multiplexer number stands for: socketcall(call) or
 * ipc(call & 0xffff); NULL for numbers the kernel does not define. */
const char *sp_argspec_socketcall_name(uint64_t call);
const char *sp_argspec_ipc_name(uint64_t call);

/* true for ABIs where libseccomp multiplexes socket calls through
 * socketcall() (and SysV IPC through ipc()), so that argument conditions
 * on socket() & co. are not enforced for callers of the multiplexer. */
bool sp_argspec_abi_multiplexes(enum sp_abi abi);

#endif
