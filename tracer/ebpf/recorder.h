/* SPDX-License-Identifier: MIT */
/*
 * tracer/ebpf/recorder.h: what the BPF program (recorder.bpf.c) and its
 * loader (ebpf.c) share: map keys and values, ring-buffer events.
 *
 * Included by both sides, so it uses only the kernel's fixed-width types:
 * the BPF side gets them from vmlinux.h, the loader from <linux/types.h>.
 * Every struct is laid out without implicit padding (explicit pad fields),
 * because a hash key is compared byte for byte and the two compilers must
 * agree on the layout.
 */
#ifndef SP_TRACER_EBPF_RECORDER_H
#define SP_TRACER_EBPF_RECORDER_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Sizes of the maps.  A map that is full loses what does not fit: the
 * program counts it in lost[SP_BPF_LOST_MAP] and the recording says so. */
#define SP_BPF_MAX_CALLS   16384 /* distinct (executable, arch, nr) */
#define SP_BPF_MAX_ERRS    8192  /* distinct (arch, nr, errno) */
/* Argument values cannot fill their maps: core/argspec.c lists 26
 * arguments, on 3 ABI slots, and each keeps at most
 * SP_BPF_MAX_ARGVALS_PER_ARG values, 5,070 in all; the rest is room for
 * CPUs that insert the 65th value of one argument at once.  (Every hash
 * map's buckets are allocated and cleared at every start, whatever
 * BPF_F_NO_PREALLOC says about its entries.) */
#define SP_BPF_MAX_ARGVALS 8192  /* distinct (arch, nr, argument, value) */
#define SP_BPF_MAX_BORN    4096  /* tasks created and not yet run */
#define SP_BPF_MAX_ARGN    256   /* distinct (arch, nr, argument) with values: at most 78 */
#define SP_BPF_ARGSPEC_NR  1024  /* syscall numbers per ABI with a spec slot */
#define SP_BPF_ARGSPEC_ABIS 3    /* slots: 0 native, 1 compat (i386), 2 x32 */
#define SP_BPF_MAX_ARGVALS_PER_ARG 65 /* one more than SP_MAX_ARG_VALUES: enough to overflow */
#define SP_BPF_PATH_MAX    256
/* First sightings and argument values are 56 bytes in the ring, executions
 * 312: 256 KiB hold some 4,600 of the former, and the loader is woken when
 * half of it is used.  (1 MiB cost every start 1.5-2.5 ms of page clearing.) */
#define SP_BPF_RINGBUF     (1u << 18)

/* Task state flags (struct sp_bpf_task.flags). */
#define SP_BPF_T_PREEXEC 0x1u /* the launcher's child before its execve */
#define SP_BPF_T_INCALL  0x2u /* entered a counted call; exit not yet seen (-c) */

/* Kinds of loss (index into the program's lost[] counters). */
enum {
	SP_BPF_LOST_RINGBUF = 0, /* an event did not fit in the ring buffer */
	SP_BPF_LOST_MAP = 1,     /* a map was full: counts or values missing */
	SP_BPF_LOST_KINDS = 2,
};

/* Identity of an executable: device and inode of the file the kernel
 * executed (bprm->file).  The loader turns it into a path. */
struct sp_bpf_exe {
	__u64 ino;
	__u32 dev; /* the kernel's internal dev_t (MAJOR << 20 | MINOR) */
	__u32 pad;
};

/* Per-task state, in task-local storage (BPF_MAP_TYPE_TASK_STORAGE): it
 * exists exactly for the tasks of the workload and dies with each task, so
 * a recycled pid can never be mistaken for a workload task. */
struct sp_bpf_task {
	struct sp_bpf_exe exe;
	__u32 flags;
	__u32 arch;    /* of the call in progress (-c) */
	__u64 nr;      /* of the call in progress (-c) */
	__u64 t_entry; /* bpf_ktime_get_ns() at its entry (-c) */
};

/* The sys_enter program's per-CPU cache of the last task it saw on each
 * CPU (recorder.bpf.c, "The task cache"): one 64-byte entry per CPU, so that
 * CPUs share no cache line. */
#define SP_BPF_MAX_CPUS 1024 /* more possible CPUs than this: no cache */
struct sp_bpf_tcache {
	__u64 seq;  /* even: stable; odd: being written */
	__u64 task; /* address of the task_struct; 0: none */
	struct sp_bpf_exe exe;
	__u32 ours; /* 1: a workload task past its launcher's execve */
	__u32 pad[7];
};

/* Key of the per-CPU call counters. */
struct sp_bpf_call_key {
	struct sp_bpf_exe exe;
	__u32 arch; /* AUDIT_ARCH_*; x32 is AUDIT_ARCH_X86_64 with the bit in nr */
	__u32 nr;
};

struct sp_bpf_call_val {
	__u64 calls;
	__u64 time_ns; /* -c */
};

struct sp_bpf_err_key {
	__u32 arch;
	__u32 nr;
	__u32 err; /* positive errno */
	__u32 pad;
};

/* One argument value seen (already reduced as core/argspec.h says). */
struct sp_bpf_argval_key {
	__u32 arch;
	__u32 nr;
	__u32 idx;
	__u32 pad;
	__u64 value;
};

struct sp_bpf_argn_key {
	__u32 arch;
	__u32 nr;
	__u32 idx;
	__u32 pad;
};

/* What to record of a syscall's arguments; slot = abi slot * 1024 + nr. */
#define SP_BPF_ARG_CLONE3 0x1u /* value: u64 at user address arg0 when arg1 >= 8 */
struct sp_bpf_argspec {
	__u8 nargs;
	__u8 idx[2];
	__u8 flags[2];
	__u8 pad[3];
	__u64 mask[2]; /* value = argument & mask (sp_argspec_value_mask()) */
};

/* Ring-buffer events: first sightings and new executables only. */
enum {
	SP_BPF_EV_FIRST = 1, /* first call of (exe, arch, nr) */
	SP_BPF_EV_EXEC = 2,  /* a workload task executed a new image */
	SP_BPF_EV_GONE = 3,  /* the last task of the workload has exited */
	SP_BPF_EV_ARG = 4,   /* a new argument value */
};

struct sp_bpf_event {
	__u32 type;
	__u32 tid;
	__u32 tgid;
	__u32 arch;
	__u64 nr;
	__u64 value; /* EV_ARG: the value; EV_EXEC: the tid before exec */
	__u32 idx;   /* EV_ARG: argument index */
	__u32 pad;
	struct sp_bpf_exe exe;
};

/* EV_EXEC only: the event and the path (the others need no path and
 * take a sixth of the room without it). */
struct sp_bpf_exec_event {
	struct sp_bpf_event ev;
	char path[SP_BPF_PATH_MAX]; /* bprm->interp, as execve got it */
};

#endif
