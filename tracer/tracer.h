/* SPDX-License-Identifier: MIT */
/*
 * tracer/tracer.h: run or attach to a workload, follow every task, and
 * fill a struct sp_recording with every system call it makes.
 *
 * Usage (launch):
 *
 *     struct sp_tracer_opts o = {.argv = argv, .path = resolved, .stop = &flag};
 *     struct sp_recording *rec = sp_recording_new();
 *     int r = sp_tracer_run(&o, rec, &err);
 *     // r < 0: nothing usable (err says why; -ENOENT/-EACCES... when the
 *     // command could not be executed: cli maps them to 127/126).
 *     // r == 0: rec holds the calls and rec->meta the run's metadata,
 *     // including exit_status/exit_signal of the first process.
 *
 * Attach: set .pids/.npids instead of .argv; every thread of every PID is
 * seized; the run ends when all have exited or when *stop becomes non-zero,
 * in which case every task is detached and left running.
 *
 * Two ways of stopping at system calls (ptrace(2), seccomp(2)):
 *  - "seccomp" (launch mode default): the child installs, after
 *    PR_SET_NO_NEW_PRIVS and right before execve, a filter that returns
 *    SECCOMP_RET_TRACE (or the caller's filter, e.g. --baseline, which
 *    ALLOWs known calls), and the tracer restarts tasks with PTRACE_CONT.
 *    One PTRACE_EVENT_SECCOMP stop per system call instead of two.  With
 *    exit_stops (-c: errors and time) the tracer restarts from a seccomp
 *    stop with PTRACE_SYSCALL to also get that call's syscall-exit-stop.
 *  - "ptrace": PTRACE_SYSCALL everywhere, entry and exit stops.  Used in
 *    attach mode, with no_seccomp, or when the filter cannot be installed
 *    (meta.tracing_note says why).
 * Both record the same set of calls: counting happens at the
 * syscall-entry-stop or the seccomp stop, never at exit (exit_group,
 * execve from a non-leader thread and calls cut short by death never
 * return).
 */
#ifndef SP_TRACER_TRACER_H
#define SP_TRACER_TRACER_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/recording.h"

/* Counters for a live status line. */
struct sp_tracer_stats {
	uint64_t elapsed_ns;
	uint64_t processes, threads; /* seen so far */
	uint64_t live_tasks;
	uint64_t syscalls;           /* calls counted */
	size_t distinct[SP_ABI_COUNT]; /* distinct syscalls per ABI */
};

struct sp_tracer_opts {
	/* Launch mode: argv of the workload and the executable to run
	 * (already resolved through PATH, see sp_tracer_resolve()). */
	char *const *argv;
	const char *path;
	/* Attach mode (argv NULL): thread-group ids to seize. */
	const pid_t *pids;
	size_t npids;

	bool exit_stops;  /* also stop at syscall exit: errors and time (-c) */
	bool no_seccomp;  /* plain PTRACE_SYSCALL tracing even in launch mode */
	/* Launch mode: filter installed in the workload before exec instead of
	 * "trace everything".  Calls it ALLOWs are never seen; calls for which
	 * it returns SECCOMP_RET_TRACE are recorded.  Not copied: must live
	 * until sp_tracer_run() returns. */
	const struct sock_fprog *filter;
	/* > 0: a traced call is skipped and fails with this errno (check --deny). */
	int deny_errno;
	/* > 0: capture call sites this deep (needs tracer/stacks.c). */
	int stack_depth;
	/* Called for every call counted, after rec is updated, with the task
	 * that made it (check: per-executable violations).  In "seccomp" mode
	 * only calls the filter traced are counted, so with a filter that
	 * ALLOWs most calls this is off the hot path.  Must not call ptrace.
	 * A call of number -1 (sp_tracer_no_syscall()) comes with nr -1 and is
	 * not in rec. */
	void (*on_call)(void *ctx, pid_t pid, enum sp_abi abi, int64_t nr);
	void *on_call_ctx;
	/* Attach mode: called once every thread of every PID is seized, before
	 * any of them runs on under the tracer (oci-hook lets the runtime go
	 * on from here: nothing the container does afterwards is missed). */
	void (*on_attached)(void *ctx);
	void *on_attached_ctx;
	/* Keep the tracer on the CPU its tracee last ran on (record's
	 * default; see docs/performance.md).  The workload's affinity is never
	 * touched; the tracer's is restored at the end. */
	bool pin_cpu;

	/* Set (to the signal number) by the caller's SIGINT/SIGTERM/SIGHUP
	 * handlers; the loop then ends the run: kills the workload in launch
	 * mode, detaches in attach mode.  Handlers must be installed without
	 * SA_RESTART so that a blocking wait returns EINTR. */
	volatile sig_atomic_t *stop;
	/* Called at most every progress_ns (and on EINTR, e.g. from a
	 * caller's SIGALRM ticker) with the counters so far. */
	void (*progress)(const struct sp_tracer_stats *st, void *ctx);
	void *progress_ctx;
	uint64_t progress_ns;
};

/* Runs the workload (or attaches) and records into rec (see above). */
int sp_tracer_run(const struct sp_tracer_opts *o, struct sp_recording *rec, struct sp_err *err);

/* Finds cmd like execvp(3) would (PATH search when it has no '/').  On
 * success *out is the malloc'ed path.  Errors: -ENOENT (not found),
 * -EACCES (found but not executable, or a directory). */
int sp_tracer_resolve(const char *cmd, char **out, struct sp_err *err);

/* ---- event classification (tracer/event.c), exposed for unit tests ---- */

enum sp_ev {
	SP_EV_NONE = 0,    /* no event (WNOHANG found nothing) */
	SP_EV_EXITED,      /* WIFEXITED: gone, reap it */
	SP_EV_KILLED,      /* WIFSIGNALED: gone, reap it */
	SP_EV_SYSCALL,     /* SIGTRAP|0x80: syscall-entry- or -exit-stop */
	SP_EV_SECCOMP,     /* PTRACE_EVENT_SECCOMP */
	SP_EV_FORK,        /* PTRACE_EVENT_FORK */
	SP_EV_VFORK,       /* PTRACE_EVENT_VFORK */
	SP_EV_CLONE,       /* PTRACE_EVENT_CLONE */
	SP_EV_VFORK_DONE,  /* PTRACE_EVENT_VFORK_DONE */
	SP_EV_EXEC,        /* PTRACE_EVENT_EXEC */
	SP_EV_EXIT,        /* PTRACE_EVENT_EXIT */
	SP_EV_GROUP_STOP,  /* PTRACE_EVENT_STOP with a stop signal */
	SP_EV_TRAP_STOP,   /* PTRACE_EVENT_STOP with SIGTRAP: interrupt / new child */
	SP_EV_SIGNAL,      /* signal-delivery-stop */
	SP_EV_UNKNOWN,     /* anything else (restart it) */
};

/* Classifies a wait status of a task attached with PTRACE_SEIZE and
 * PTRACE_O_TRACESYSGOOD.  *sig receives the signal (stop signal, exit
 * code for EXITED, killing signal for KILLED, 0 otherwise). */
enum sp_ev sp_tracer_classify(int status, int *sig);
const char *sp_tracer_ev_name(enum sp_ev ev);

/* true for the number that is "no system call": -1 (i386 reports it as
 * 0xffffffff).  The kernel answers it with ENOSYS without running anything;
 * seccomp filters see it (their default action applies: no rule can name
 * it), and a tracer that skips a call sets it. */
bool sp_tracer_no_syscall(enum sp_abi abi, uint64_t nr);

#endif
