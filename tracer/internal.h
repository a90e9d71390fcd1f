/* SPDX-License-Identifier: MIT */
/*
 * tracer/internal.h: state shared by the tracer's files (not for other
 * modules): the task table (tasks.c), launching and attaching (launch.c,
 * attach.c) and the event loop (loop.c).
 */
#ifndef SP_TRACER_INTERNAL_H
#define SP_TRACER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/recording.h"
#include "tracer/tracer.h"

enum {
	T_COUNTED = 1u << 0,    /* counted in processes/threads */
	T_WANT_EXIT = 1u << 1,  /* restart with PTRACE_SYSCALL to see this call's exit */
	T_ENTRY_SEEN = 1u << 2, /* syscall-entry-stop counted; a seccomp stop may follow */
	T_PREEXEC = 1u << 3,    /* our launched child before its first execve */
	T_DETACHING = 1u << 4,  /* attach mode, stopping: detach at its next stop */
	T_LISTENING = 1u << 5,  /* in group-stop, restarted with PTRACE_LISTEN */
};

struct sp_task {
	pid_t pid; /* 0 = free slot */
	uint32_t flags;
	struct sp_sysc *cur; /* call in progress, for its exit stop */
	uint64_t t_entry;    /* when it entered cur (exit_stops only) */
	const char *exe;     /* --stacks: its executable, interned in exes; NULL = not read yet */
};

struct sp_tracer {
	const struct sp_tracer_opts *o;
	struct sp_recording *rec;

	/* Open-addressing table keyed by tid (linear probing, backward-shift
	 * deletion), power-of-two capacity. */
	struct sp_task *tasks;
	size_t cap, ntasks;

	bool attach;
	bool seccomp;        /* filter-assisted stops in effect (launch) */
	bool filter_failed;  /* the launched child could not install the filter */
	pid_t leader;        /* launch mode: the workload's first process */
	bool leader_done;
	bool exec_seen;      /* the launched child's execve succeeded */
	int report_fd;       /* launch: read end of the child's report pipe */
	int report_err;      /* errno the child reported for its execve */
	int stopping;        /* signal number that ended the run, 0 = none */
	bool fatal;          /* stop because of a tracer error (err set) */
	uint64_t t0;
	uint64_t last_progress;
	struct sp_tracer_stats st;
	bool warned_arch;
	bool warned_deny;
	int pinned_cpu;
	char **exes;         /* --stacks: interned executable paths (callsites.c) */
	size_t nexes;
	bool no_callsite;    /* counting the launcher's execve: no call site */
};

/* tasks.c: an open-addressing table.  A pointer it returns is valid only
 * until the next sp_task_add() (which may grow and rehash the table) or
 * sp_task_del() (which shifts entries back): keep the pid, find it again. */
struct sp_task *sp_task_find(struct sp_tracer *t, pid_t pid);
struct sp_task *sp_task_add(struct sp_tracer *t, pid_t pid);
void sp_task_del(struct sp_tracer *t, pid_t pid);
/* Counts pid in processes/threads once (is_thread: shares a thread group). */
void sp_task_count(struct sp_tracer *t, struct sp_task *tk, bool is_thread);

/* launch.c */
int sp_launch(struct sp_tracer *t, struct sp_err *err);
/* Reads what the launched child reported through its pipe (nonblocking). */
void sp_launch_read_report(struct sp_tracer *t);

/* attach.c */
int sp_attach(struct sp_tracer *t, struct sp_err *err);
/* The hint appended to ptrace EPERM errors. */
const char *sp_ptrace_eperm_hint(void);

/* callsites.c: record --stacks.  Called only when o->stack_depth > 0.
 * on_call runs at each counted call, before s->calls is incremented;
 * on_exec after an exec (former: the tid before a non-leader exec, or 0);
 * on_gone when a task has exited; end once after the run. */
void sp_callsites_on_call(struct sp_tracer *t, struct sp_task *tk, struct sp_sysc *s, enum sp_abi abi);
void sp_callsites_on_exec(struct sp_tracer *t, struct sp_task *tk, pid_t former, const char *exe);
void sp_callsites_on_gone(pid_t pid);
void sp_callsites_end(struct sp_tracer *t);

/* loop.c, shared with the eBPF back-end (tracer/ebpf/): the metadata known
 * before the run (kernel, libc, start time, command or PIDs, runs = 1), and
 * "SIGINT" & co. for the incomplete_reason. */
void sp_tracer_meta_start(struct sp_recording *rec, const struct sp_tracer_opts *o);
const char *sp_tracer_signame(int sig);

/* /proc/PID/exe, malloc'ed, or NULL. */
char *sp_proc_exe(pid_t pid);

#endif
