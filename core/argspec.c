/* SPDX-License-Identifier: MIT */
#include "core/argspec.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define A1(n, i, k, w)                 {n, 1, {{i, k, w}}}
#define A2(n, i, k, w, i2, k2, w2)     {n, 2, {{i, k, w}, {i2, k2, w2}}}

/* The table (docs/argument-rules.md explains each row).  Argument
 * positions are those of the generic kernel prototypes; per-ABI exceptions
 * are applied by build_index(). */
static const struct sp_argspec table[] = {
	A2("socket", 0, SP_ARGK_INT, "domain", 1, SP_ARGK_SOCKTYPE, "type"),
	A2("socketpair", 0, SP_ARGK_INT, "domain", 1, SP_ARGK_SOCKTYPE, "type"),
	A2("setsockopt", 1, SP_ARGK_INT, "level", 2, SP_ARGK_INT, "optname"),
	A2("getsockopt", 1, SP_ARGK_INT, "level", 2, SP_ARGK_INT, "optname"),
	A1("clone", 0, SP_ARGK_CLONEFLAGS, "flags"),
	A1("clone3", 0, SP_ARGK_CLONE3FLAGS, "clone_args.flags"),
	A1("unshare", 0, SP_ARGK_INT, "flags"),
	A1("setns", 1, SP_ARGK_INT, "nstype"),
	A1("personality", 0, SP_ARGK_INT, "persona"),
	A1("ioctl", 1, SP_ARGK_INT, "request"),
	A1("prctl", 0, SP_ARGK_INT, "option"),
	A1("fcntl", 1, SP_ARGK_INT, "cmd"),
	A1("fcntl64", 1, SP_ARGK_INT, "cmd"),
	A1("mmap", 2, SP_ARGK_PROT, "prot"),
	A1("mmap2", 2, SP_ARGK_PROT, "prot"),
	A1("mprotect", 2, SP_ARGK_PROT, "prot"),
	A1("pkey_mprotect", 2, SP_ARGK_PROT, "prot"),
	A1("kill", 1, SP_ARGK_INT, "sig"),
	A1("tkill", 1, SP_ARGK_INT, "sig"),
	A1("tgkill", 2, SP_ARGK_INT, "sig"),
	A1("socketcall", 0, SP_ARGK_MUXCALL, "call"),
	A1("ipc", 0, SP_ARGK_MUXCALL, "call"),
};

/* clone with flags second (CLONE_BACKWARDS2 in the kernel). */
static const struct sp_argspec clone_backwards2 = A1("clone", 1, SP_ARGK_CLONEFLAGS, "flags");

struct idx_entry {
	int64_t nr;
	const struct sp_argspec *spec;
};

/* Kernel numbers of the names we care about on one ABI. */
struct nr_entry {
	int64_t nr;
	const char *name; /* static */
};

static const char *const socketcall_names[] = {
	/* linux/net.h SYS_SOCKET (1) ... SYS_SENDMMSG (20) */
	NULL,          "socket",      "bind",       "connect",    "listen",     "accept",  "getsockname",
	"getpeername", "socketpair",  "send",       "recv",       "sendto",     "recvfrom", "shutdown",
	"setsockopt",  "getsockopt",  "sendmsg",    "recvmsg",    "accept4",    "recvmmsg", "sendmmsg",
};
static const char *const ipc_names[] = {"semop",  "semget", "semctl", "semtimedop", "msgsnd", "msgrcv",
					"msgget", "msgctl", "shmat",  "shmdt",      "shmget", "shmctl"};

#define NNAMES (SP_ARRAY_SIZE(table) + SP_ARRAY_SIZE(socketcall_names) + SP_ARRAY_SIZE(ipc_names))

static struct {
	bool built;
	uint8_t n, nnr;
	struct idx_entry e[SP_ARRAY_SIZE(table)];
	struct nr_entry nrs[NNAMES];
} idx[SP_ABI_COUNT];

bool sp_argspec_abi_multiplexes(enum sp_abi abi)
{
	switch (abi) {
	case SP_ABI_I386:
	case SP_ABI_S390:
	case SP_ABI_S390X:
	case SP_ABI_PPC64LE:
	case SP_ABI_MIPSEL:
		return true;
	default:
		return false;
	}
}

/* The row for name on abi after per-ABI exceptions, or NULL. */
static const struct sp_argspec *spec_for(enum sp_abi abi, const struct sp_argspec *row)
{
	if (!strcmp(row->name, "clone") && (abi == SP_ABI_S390 || abi == SP_ABI_S390X))
		return &clone_backwards2;
	/* old_mmap(struct mmap_arg_struct *): prot is in memory. */
	if (!strcmp(row->name, "mmap") &&
	    (abi == SP_ABI_I386 || abi == SP_ABI_ARM || abi == SP_ABI_S390 || abi == SP_ABI_S390X))
		return NULL;
	/* s390's mmap2 takes a struct pointer as well. */
	if (!strcmp(row->name, "mmap2") && (abi == SP_ABI_S390 || abi == SP_ABI_S390X))
		return NULL;
	return row;
}

static int cmp_entry(const void *a, const void *b)
{
	int64_t x = ((const struct idx_entry *)a)->nr, y = ((const struct idx_entry *)b)->nr;
	return (x > y) - (x < y);
}

/* The kernel number of each name we care about, resolved by name
 * (libseccomp hashes names; its reverse lookup is a linear search).
 * sp_abi_syscall_nr() gives the direct number of a multiplexed call (i386
 * socket: 359 since 4.3, the number a tracer sees) where libseccomp
 * resolves the name to a pseudo number (-101), and -1 where the ABI has
 * none. */
static void index_name(enum sp_abi abi, const char *name)
{
	int64_t nr = sp_abi_syscall_nr(abi, name);
	if (nr < 0 || idx[abi].nnr >= NNAMES)
		return;
	for (size_t i = 0; i < idx[abi].nnr; i++)
		if (!strcmp(idx[abi].nrs[i].name, name))
			return; /* listed twice (a table row and a socketcall name) */
	idx[abi].nrs[idx[abi].nnr++] = (struct nr_entry){nr, name};
	for (size_t i = 0; i < SP_ARRAY_SIZE(table); i++) {
		const struct sp_argspec *sp = strcmp(table[i].name, name) ? NULL : spec_for(abi, &table[i]);
		if (sp && idx[abi].n < SP_ARRAY_SIZE(table))
			idx[abi].e[idx[abi].n++] = (struct idx_entry){nr, sp};
	}
}

static void build_index(enum sp_abi abi)
{
	idx[abi].n = idx[abi].nnr = 0;
	for (size_t i = 0; i < SP_ARRAY_SIZE(table); i++)
		index_name(abi, table[i].name);
	for (size_t i = 1; i < SP_ARRAY_SIZE(socketcall_names); i++)
		index_name(abi, socketcall_names[i]);
	for (size_t i = 0; i < SP_ARRAY_SIZE(ipc_names); i++)
		index_name(abi, ipc_names[i]);
	qsort(idx[abi].e, idx[abi].n, sizeof(idx[abi].e[0]), cmp_entry);
	idx[abi].built = true;
}

int64_t sp_argspec_kernel_nr(enum sp_abi abi, const char *name)
{
	if ((int)abi < 0 || abi >= SP_ABI_COUNT || !name)
		return -1;
	if (!idx[abi].built)
		build_index(abi);
	for (size_t i = 0; i < idx[abi].nnr; i++)
		if (!strcmp(idx[abi].nrs[i].name, name))
			return idx[abi].nrs[i].nr;
	return -1;
}

const struct sp_argspec *sp_argspec_find(enum sp_abi abi, int64_t nr)
{
	if ((int)abi < 0 || abi >= SP_ABI_COUNT)
		return NULL;
	if (__builtin_expect(!idx[abi].built, 0))
		build_index(abi);
	size_t lo = 0, hi = idx[abi].n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (idx[abi].e[mid].nr == nr)
			return idx[abi].e[mid].spec;
		if (idx[abi].e[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct sp_argspec *sp_argspec_by_name(enum sp_abi abi, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < SP_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].name, name))
			return spec_for(abi, &table[i]);
	return NULL;
}

uint64_t sp_argspec_value_mask(enum sp_abi abi, enum sp_argkind kind)
{
	switch (kind) {
	case SP_ARGK_INT:
	case SP_ARGK_PROT:
	case SP_ARGK_MUXCALL:
		return 0xffffffffu;
	case SP_ARGK_SOCKTYPE:
		return sp_argspec_socktype_mask(abi);
	case SP_ARGK_CLONEFLAGS:
		/* The kernel uses only the low 32 bits of clone()'s flags;
		 * the low byte is the exit signal, not a flag. */
		return 0xffffffffu & ~(uint64_t)SP_CSIGNAL;
	case SP_ARGK_CLONE3FLAGS:
		break; /* full 64-bit flags, read from memory */
	}
	return UINT64_MAX;
}

uint32_t sp_argspec_socktype_mask(enum sp_abi abi)
{
	uint32_t nonblock = (abi == SP_ABI_MIPSEL || abi == SP_ABI_MIPSEL64) ? SP_SOCK_NONBLOCK_MIPS
									      : SP_SOCK_NONBLOCK;
	return 0xffffffffu & ~(nonblock | SP_SOCK_CLOEXEC);
}

const char *sp_argspec_socketcall_name(uint64_t call)
{
	return call < SP_ARRAY_SIZE(socketcall_names) ? socketcall_names[call] : NULL;
}

const char *sp_argspec_ipc_name(uint64_t call)
{
	/* linux/ipc.h: SEMOP 1..SEMTIMEDOP 4, MSGSND 11..MSGCTL 14, SHMAT
	 * 21..SHMCTL 24; the high 16 bits are a version. */
	unsigned c = (unsigned)(call & 0xffff);
	if (c >= 1 && c <= 4)
		return ipc_names[c - 1];
	if (c >= 11 && c <= 14)
		return ipc_names[c - 11 + 4];
	if (c >= 21 && c <= 24)
		return ipc_names[c - 21 + 8];
	return NULL;
}
