/* SPDX-License-Identifier: MIT */
/*
 * tracer/loop.c: the event loop.
 *
 *     while (next_event(t, &batch))      // wait, drain, classify
 *             for each event: dispatch(t, ev);   // act, restart the task
 *
 * next_event() blocks in wait4(__WALL) for one status, then collects every
 * other pending status with WNOHANG before any of them is acted upon.
 * Restarting tasks one at a time as they are reaped would let a busy
 * thread that stops again at once be found first by every wait (the
 * kernel scans tracees in a fixed order) and starve the others; strace
 * does the same for the same reason.  With a single task the drain is
 * skipped: it would cost one more wait4 per syscall for nothing.
 *
 * How each stop is restarted (restart() picks PTRACE_SYSCALL or
 * PTRACE_CONT, see restart_op()):
 *   syscall-entry/-exit-stop, seccomp stop  restart(sig 0)
 *   fork/vfork/clone/exec events            restart(sig 0)
 *   PTRACE_EVENT_STOP, SIGTRAP              restart(sig 0): interrupt or a
 *                                           new child's first stop
 *   group-stop (PTRACE_EVENT_STOP, SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU)
 *                                           PTRACE_LISTEN: the task stays
 *                                           stopped until SIGCONT, as job
 *                                           control expects; PTRACE_CONT
 *                                           here would silently cancel the
 *                                           stop (ptrace(2) "Group-stop")
 *   signal-delivery-stop                    restart(sig): re-injected; the
 *                                           only stop where injection works
 *   exited / killed                         reaped: nothing to restart
 * Any ptrace request may fail with ESRCH: the tracee can be killed
 * (SIGKILL, a sibling's execve or exit_group) at any moment, even while
 * stopped.  That is never an error; its exit status follows.
 */
#include <errno.h>
#include <gnu/libc-version.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/args.h"
#include "tracer/privexec.h"
#include "tracer/uring.h"
#include "tracer/internal.h"
#include "tracer/regs.h"


struct event {
	pid_t pid;
	int status;
};

/* Kernel-internal restart codes (include/linux/errno.h: ERESTARTSYS 512 ..
 * ERESTART_RESTARTBLOCK 516) are visible at syscall-exit-stops of
 * interrupted calls.  The program never sees them: the call is restarted,
 * or fails with EINTR after a handler runs.  They are not counted as
 * errors. */
#define SP_ERESTART_FIRST 512
#define SP_ERESTART_LAST  516

static int restart_op(const struct sp_tracer *t, const struct sp_task *tk)
{
	/* PTRACE_SYSCALL: stop at the next syscall entry or exit.  Needed
	 * in plain mode always; in seccomp mode only to reach the exit of a
	 * call just seen at its seccomp stop (-c), and before the launched
	 * child's execve (its filter is not in place yet). */
	if (!t->seccomp || (tk->flags & (T_WANT_EXIT | T_PREEXEC)))
		return PTRACE_SYSCALL;
	return PTRACE_CONT;
}

static void restart(struct sp_tracer *t, struct sp_task *tk, int sig)
{
	if (ptrace(restart_op(t, tk), tk->pid, 0L, (long)sig) < 0 && errno != ESRCH)
		sp_warn("pid %d: cannot restart: %s", (int)tk->pid, strerror(errno));
}

/* args: the six argument registers of the stop, or NULL when the call is
 * counted without a stop of its own (the workload's first execve). */
static void count_call(struct sp_tracer *t, struct sp_task *tk, uint32_t arch, uint64_t nr, const uint64_t *args)
{
	enum sp_abi abi = sp_abi_classify(arch, nr);
	if (abi == SP_ABI_UNKNOWN) {
		if (!t->warned_arch)
			sp_warn("pid %d: system call on unknown architecture %#x not recorded",
				(int)tk->pid, arch);
		t->warned_arch = true;
		tk->cur = NULL;
		return;
	}
	/* The i386 ABI reports 32-bit numbers; keep the value the kernel
	 * gave, sign-extended like the kernel's own int. */
	int64_t n = (int64_t)nr;
	if (sp_tracer_no_syscall(abi, nr)) {
		/* Number -1 is "no system call": the kernel answers ENOSYS
		 * without running anything (a tracer skipping a call sets it
		 * too).  seccomp still sees it, and a filter's default action
		 * applies, since no profile can name it: not recorded, but
		 * check hears of it (its filter only traces what the profile
		 * would stop). */
		tk->cur = NULL;
		if (t->o->on_call)
			t->o->on_call(t->o->on_call_ctx, tk->pid, abi, -1);
		return;
	}
	struct sp_sysc *s = sp_recording_sysc(t->rec, abi, n, true);
	if (!s->calls) {
		/* First occurrence: who and what made it.  One readlink per
		 * distinct syscall, never per call. */
		s->first_pid = tk->pid;
		s->first_exe = sp_proc_exe(tk->pid);
		t->st.distinct[abi]++;
	}
	if (t->o->stack_depth > 0 && !t->no_callsite) /* record --stacks: callsites.c decides */
		sp_callsites_on_call(t, tk, s, abi);
	s->calls++;
	t->st.syscalls++;
	if (t->o->on_call)
		t->o->on_call(t->o->on_call_ctx, tk->pid, abi, n);
	tk->cur = s;
	/* Flag-like argument values (tracer/args.h): a binary search for
	 * syscalls outside its table; the tracee is stopped, so memory
	 * (clone3's struct, socketcall's array) can be read. */
	if (args)
		sp_args_record(t->rec, s, abi, args, tk->pid);
	/* io_uring: name the operations about to be submitted (tracer/uring.c) */
	if (args && s->name && !strncmp(s->name, "io_uring_", 9))
		sp_uring_on_call(t->rec, s->name, args, tk->pid);
	if (t->o->exit_stops)
		tk->t_entry = sp_now_ns();
}

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000ull
#endif

/* Adds a task that escaped recording to meta.escaped, and says so. */
static void escaped(struct sp_tracer *t, char *what)
{
	struct sp_recording_meta *m = &t->rec->meta;
	m->escaped = xrealloc(m->escaped, (m->nescaped + 1) * sizeof(*m->escaped));
	m->escaped[m->nescaped++] = what;
	sp_warn("a task escaped recording: %s", what);
}

/* clone(2): with CLONE_UNTRACED "a tracing process cannot force
 * CLONE_PTRACE on this child", and PTRACE_O_TRACECLONE/FORK/VFORK do not
 * attach it either, so everything the child does would be missing from
 * the recording without a trace (under our seccomp filter its calls even
 * fail with ENOSYS: SECCOMP_RET_TRACE with no tracer).  The flag does
 * nothing but that, so at the call's entry the tracer clears it (clone:
 * the first argument register, tracer/regs.c; clone3: clone_args.flags,
 * the first u64 of the struct, in the tracee's memory) and the child is
 * followed like any other.  The kernel runs the call with the registers as the tracer left
 * them, after the seccomp stop too (it re-reads nr and arguments).  Where
 * clearing is not possible the parent is listed in meta.escaped. */
static void untraced_clone(struct sp_tracer *t, struct sp_task *tk, uint64_t a0)
{
	const struct sp_sysc *s = tk->cur;
	if (!s || !s->name)
		return;
	bool c3 = !strcmp(s->name, "clone3");
	if (!c3 && strcmp(s->name, "clone"))
		return;
	uint64_t flags = a0;
	if (c3) {
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tk->pid, (void *)(uintptr_t)a0, NULL);
		if (errno)
			return; /* a bad pointer: the call fails with EFAULT itself */
		flags = (uint64_t)w;
	}
	if (!(flags & CLONE_UNTRACED))
		return;
	uint64_t cleared = flags & ~(uint64_t)CLONE_UNTRACED;
	int r;
	if (c3)
		r = ptrace(PTRACE_POKEDATA, tk->pid, (void *)(uintptr_t)a0, (void *)(uintptr_t)cleared) < 0 ? -errno : 0;
	else
		r = sp_regs_set_arg0(tk->pid, s->abi, cleared);
	if (r == 0) {
		sp_info("pid %d: %s with CLONE_UNTRACED: flag cleared so that the child is recorded too",
			(int)tk->pid, s->name);
		return;
	}
	_cleanup_free_ char *exe = sp_proc_exe(tk->pid);
	escaped(t, xasprintf("the child of pid %d (%s): %s with CLONE_UNTRACED is not traced", (int)tk->pid,
			     exe ? exe : "?", s->name));
}

static void on_exit_stop(struct sp_tracer *t, struct sp_task *tk, const struct __ptrace_syscall_info *in)
{
	struct sp_sysc *s = tk->cur;
	tk->cur = NULL;
	tk->flags &= ~(T_WANT_EXIT | T_ENTRY_SEEN);
	if (!s)
		return; /* exit of a call entered before we attached */
	if (t->o->exit_stops && tk->t_entry)
		s->time_ns += sp_now_ns() - tk->t_entry;
	if (in->exit.is_error) {
		int e = (int)-in->exit.rval;
		if (e > 0 && (e < SP_ERESTART_FIRST || e > SP_ERESTART_LAST))
			sp_sysc_add_error(s, e, 1);
	}
}

/* check --deny: make the call the task is stopped in (a seccomp stop) fail
 * with -err without running it (tracer/regs.c says how, per architecture). */
static void deny_call(struct sp_tracer *t, struct sp_task *tk, enum sp_abi abi, int err)
{
	int r = sp_regs_skip_call(tk->pid, abi, err);
	if (r == -ENOSYS) {
		if (!t->warned_deny)
			sp_warn("--deny is not implemented on this architecture: calls proceed");
		t->warned_deny = true;
	} else if (r < 0 && r != -ESRCH) {
		sp_warn("pid %d: cannot deny the call: %s", (int)tk->pid, strerror(-r));
	}
}

static void on_syscall_stop(struct sp_tracer *t, struct sp_task *tk)
{
	struct __ptrace_syscall_info in;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tk->pid, (long)sizeof(in), &in) < 0) {
		if (errno == ESRCH)
			return; /* killed meanwhile: its exit status follows */
		if (errno == EIO || errno == EINVAL) {
			/* Linux < 5.3 has no PTRACE_GET_SYSCALL_INFO and we
			 * will not guess registers per architecture. */
			t->fatal = true;
			return;
		}
		sp_warn("pid %d: PTRACE_GET_SYSCALL_INFO: %s", (int)tk->pid, strerror(errno));
		restart(t, tk, 0);
		return;
	}
	bool preexec = tk->flags & T_PREEXEC;
	switch (in.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		if (preexec)
			break; /* the launcher's own calls (prctl, seccomp, execve) */
		count_call(t, tk, in.arch, in.entry.nr, (const uint64_t *)in.entry.args);
		untraced_clone(t, tk, in.entry.args[0]);
		tk->flags |= T_ENTRY_SEEN;
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		if (preexec)
			break; /* our filter is in place: the launcher's execve */
		/* Linux >= 4.8 runs seccomp after the syscall-entry-stop
		 * (kernel/entry/common.c): when PTRACE_SYSCALL was in effect
		 * the entry stop has counted this call already. */
		if (tk->flags & T_ENTRY_SEEN) {
			tk->flags &= ~T_ENTRY_SEEN;
		} else {
			count_call(t, tk, in.arch, in.seccomp.nr, (const uint64_t *)in.seccomp.args);
			untraced_clone(t, tk, in.seccomp.args[0]);
		}
		/* A call of number -1 fails with the profile's errno too: that
		 * is what the profile would make of it. */
		if (t->o->deny_errno > 0 &&
		    (tk->cur || sp_tracer_no_syscall(sp_abi_classify(in.arch, in.seccomp.nr), in.seccomp.nr)))
			deny_call(t, tk, sp_abi_classify(in.arch, in.seccomp.nr), t->o->deny_errno);
		if (t->o->exit_stops && tk->cur)
			tk->flags |= T_WANT_EXIT;
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		if (!preexec)
			on_exit_stop(t, tk, &in);
		else
			tk->flags &= ~(T_WANT_EXIT | T_ENTRY_SEEN);
		break;
	default:
		break; /* PTRACE_SYSCALL_INFO_NONE: not a syscall stop after all */
	}
	restart(t, tk, 0);
}

/* A new task reported by its parent's PTRACE_EVENT_{FORK,VFORK,CLONE}.
 * Its own first stop (PTRACE_EVENT_STOP) may have been reaped already:
 * then it is in the table, uncounted.  Adding it may move every entry of
 * the table (tasks.c grows it): the caller's parent pointer is stale
 * afterwards, and a restart through it would go to whatever pid the freed
 * memory holds, leaving the parent stopped for ever. */
static void on_new_child(struct sp_tracer *t, struct sp_task *parent, enum sp_ev ev)
{
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent->pid, 0L, &msg) < 0 || !msg)
		return;
	pid_t child = (pid_t)msg;
	struct sp_task *tk = sp_task_add(t, child);
	bool thread = false;
	if (ev == SP_EV_CLONE) {
		/* clone/clone3 without SIGCHLD as exit signal: thread or
		 * process?  CLONE_THREAD is in the flags (clone3: in tracee
		 * memory), but /proc says it for both without decoding. */
		char p[64], line[128];
		snprintf(p, sizeof(p), "/proc/%d/status", (int)child);
		FILE *f = fopen(p, "re");
		if (f) {
			while (fgets(line, sizeof(line), f))
				if (!strncmp(line, "Tgid:", 5)) {
					thread = atoi(line + 5) != child;
					break;
				}
			fclose(f);
		}
	}
	sp_task_count(t, tk, thread);
}

/* PTRACE_EVENT_EXEC.  If a thread other than the leader called execve,
 * the kernel has already killed the other threads and given the execing
 * thread the leader's tid (de_thread()): this event arrives on the
 * thread-group id, and PTRACE_GETEVENTMSG holds the tid it had before.
 * That old tid never reports an exit; its state (the execve in progress)
 * moves to the leader's entry, whose own stale state is dropped. */
static void on_exec(struct sp_tracer *t, struct sp_task *tk)
{
	unsigned long former = 0;
	if (ptrace(PTRACE_GETEVENTMSG, tk->pid, 0L, &former) == 0 && former &&
	    (pid_t)former != tk->pid) {
		struct sp_task *old = sp_task_find(t, (pid_t)former);
		if (old) {
			struct sp_task moved = *old;
			pid_t pid = tk->pid;
			sp_task_del(t, (pid_t)former);
			tk = sp_task_find(t, pid); /* the table may have shifted */
			moved.pid = pid;
			moved.flags |= tk->flags & T_COUNTED;
			*tk = moved;
		}
	}
	char *exe = sp_proc_exe(tk->pid);
	if (t->o->stack_depth > 0)
		sp_callsites_on_exec(t, tk, (pid_t)former != tk->pid ? (pid_t)former : 0, exe);
	/* setuid/setgid/file capabilities withheld under the recorder
	 * (tracer/privexec.c); our launcher set no_new_privs in seccomp mode */
	sp_privexec_check(t->rec, tk->pid, exe, !t->attach && t->seccomp);
	if (exe) {
		sp_recording_add_exe(t->rec, exe);
		free(exe);
	}
	if (tk->flags & T_PREEXEC) {
		/* The workload's first execve succeeded.  It is recorded here
		 * (its entry was the launcher's); its ABI is ours. */
		tk->flags &= ~(T_PREEXEC | T_ENTRY_SEEN | T_WANT_EXIT);
		t->exec_seen = true;
		/* The child wrote any filter failure before its execve, so
		 * it is in the pipe now.  No seccomp stop proves nothing: a
		 * --baseline filter may ALLOW execve. */
		sp_launch_read_report(t);
		if (t->seccomp && t->filter_failed)
			t->seccomp = false;
		int64_t nr = sp_abi_syscall_nr(sp_abi_native(), "execve");
		if (nr >= 0) {
			const struct sp_abi_info *ai = sp_abi_get(sp_abi_native());
			/* Its call site was our launcher; the task's stack now
			 * is the new image's entry point: no site for it. */
			t->no_callsite = true;
			count_call(t, tk, ai->audit_arch, (uint64_t)nr, NULL);
			t->no_callsite = false;
			tk->cur = NULL;
		}
	}
	restart(t, tk, 0);
}

static void on_gone(struct sp_tracer *t, pid_t pid, enum sp_ev ev, int code)
{
	if (pid == t->leader && !t->leader_done) {
		t->leader_done = true;
		if (ev == SP_EV_EXITED) {
			t->rec->meta.exit_status = code;
			t->rec->meta.exit_signal = 0;
		} else {
			t->rec->meta.exit_status = -1;
			t->rec->meta.exit_signal = code;
		}
	}
	sp_task_del(t, pid);
	if (t->o->stack_depth > 0)
		sp_callsites_on_gone(pid);
}

/* Attach mode, stopping: the task is in a ptrace-stop now; let it go.
 * A signal-delivery-stop's signal goes with it, so nothing is lost; a
 * group-stopped task stays stopped, as it would have without us. */
static void detach(struct sp_tracer *t, struct sp_task *tk, enum sp_ev ev, int sig)
{
	int inject = ev == SP_EV_SIGNAL ? sig : 0;
	if (ptrace(PTRACE_DETACH, tk->pid, 0L, (long)inject) < 0 && errno != ESRCH)
		sp_warn("pid %d: PTRACE_DETACH: %s", (int)tk->pid, strerror(errno));
	sp_task_del(t, tk->pid);
}

static void dispatch(struct sp_tracer *t, const struct event *e)
{
	int sig;
	enum sp_ev ev = sp_tracer_classify(e->status, &sig);
	sp_debug("pid %d: %s sig %d (status %#x)", (int)e->pid, sp_tracer_ev_name(ev), sig, e->status);
	if (ev == SP_EV_EXITED || ev == SP_EV_KILLED) {
		on_gone(t, e->pid, ev, sig);
		return;
	}
	struct sp_task *tk = sp_task_find(t, e->pid);
	if (!tk) {
		/* A new child whose first stop beat its parent's fork event
		 * (strace/strace#25): it is traced already (auto-attach);
		 * counted when the parent's event names it. */
		tk = sp_task_add(t, e->pid);
		if (t->stopping && !t->attach)
			kill(e->pid, SIGKILL);
	}
	if (t->stopping) {
		if (t->attach) {
			detach(t, tk, ev, sig);
			return;
		}
		/* Launch mode: everything has been sent SIGKILL; a stopped
		 * tracee dies from there without being restarted. */
		return;
	}
	tk->flags &= ~T_LISTENING;
	switch (ev) {
	case SP_EV_SYSCALL:
	case SP_EV_SECCOMP:
		on_syscall_stop(t, tk);
		return;
	case SP_EV_FORK:
	case SP_EV_VFORK:
	case SP_EV_CLONE: {
		/* Adding the child may grow the task table and move every
		 * entry: tk is stale afterwards, find the parent again. */
		pid_t parent = tk->pid;
		on_new_child(t, tk, ev);
		tk = sp_task_find(t, parent);
		if (tk)
			restart(t, tk, 0);
		return;
	}
	case SP_EV_EXEC:
		on_exec(t, tk);
		return;
	case SP_EV_GROUP_STOP:
		if (ptrace(PTRACE_LISTEN, tk->pid, 0L, 0L) == 0) {
			tk->flags |= T_LISTENING;
			return;
		}
		if (errno != ESRCH)
			restart(t, tk, 0);
		return;
	case SP_EV_SIGNAL:
		restart(t, tk, sig);
		return;
	default:
		restart(t, tk, 0);
		return;
	}
}

static void begin_stop(struct sp_tracer *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		struct sp_task *tk = &t->tasks[i];
		if (!tk->pid)
			continue;
		if (t->attach) {
			/* Every task is running (or LISTENing): make it stop
			 * once more so that it can be detached. */
			if (ptrace(PTRACE_INTERRUPT, tk->pid, 0L, 0L) < 0 && errno != ESRCH)
				sp_warn("pid %d: PTRACE_INTERRUPT: %s", (int)tk->pid, strerror(errno));
		} else {
			kill(tk->pid, SIGKILL);
		}
	}
}

static void progress(struct sp_tracer *t, uint64_t now, bool force)
{
	const struct sp_tracer_opts *o = t->o;
	if (!o->progress)
		return;
	if (!force && now - t->last_progress < o->progress_ns)
		return;
	t->last_progress = now;
	t->st.elapsed_ns = now - t->t0;
	o->progress(&t->st, o->progress_ctx);
}

/* Pins the tracer to the CPU where pid last ran (field 39 of
 * /proc/PID/stat).  A ptrace round trip wakes the tracer, then the
 * tracee; on the same CPU both wake-ups are cheap local switches, across
 * vCPUs each is an inter-processor interrupt (10-20x slower on the VMs we
 * measured, docs/performance.md).  Only the tracer's affinity changes:
 * the workload keeps its own (it must see the CPUs it normally has), and
 * the scheduler's wake-affine logic then tends to bring the woken tracee
 * to the tracer's CPU.  Re-checked every 100 ms so the tracer follows a
 * tracee the scheduler moved. */
static void pin_to(struct sp_tracer *t, pid_t pid)
{
	char p[64], buf[1024];
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(p, "re");
	if (!f)
		return;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *s = strrchr(buf, ')');
	if (!s)
		return;
	int field = 2, cpu = -1;
	for (char *tok = strtok(s + 1, " "); tok; tok = strtok(NULL, " "))
		if (++field == 39) {
			cpu = atoi(tok);
			break;
		}
	if (cpu < 0 || cpu == t->pinned_cpu)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		t->pinned_cpu = cpu;
}

static int run_loop(struct sp_tracer *t, struct sp_err *err)
{
	const struct sp_tracer_opts *o = t->o;
	size_t cap = 16, n = 0;
	struct event *batch = xmalloc(cap * sizeof(*batch));
	uint64_t pin_check = 0;
	int r = 0;

	for (;;) {
		if (o->stop && *o->stop && !t->stopping) {
			t->stopping = (int)*o->stop;
			begin_stop(t);
		}
		if (t->fatal && !t->stopping) {
			t->stopping = -1;
			begin_stop(t);
		}
		if (t->stopping && t->ntasks == 0 && t->attach)
			break;

		/* next_event(): block for one, then drain the rest. */
		int status;
		pid_t pid = wait4(-1, &status, __WALL, NULL);
		if (pid < 0) {
			if (errno == EINTR) {
				progress(t, sp_now_ns(), true);
				continue;
			}
			if (errno == ECHILD)
				break; /* no tracee left */
			r = sp_err_sys(err, "wait4");
			break;
		}
		n = 0;
		batch[n++] = (struct event){pid, status};
		if (t->ntasks > 1) {
			while ((pid = wait4(-1, &status, __WALL | WNOHANG, NULL)) > 0) {
				if (n == cap) {
					cap *= 2;
					batch = xrealloc(batch, cap * sizeof(*batch));
				}
				batch[n++] = (struct event){pid, status};
			}
		}
		for (size_t i = 0; i < n; i++)
			dispatch(t, &batch[i]);

		if (o->progress || o->pin_cpu) {
			uint64_t now = sp_now_ns();
			progress(t, now, false);
			if (o->pin_cpu && now - pin_check > 100000000ull) {
				pin_check = now;
				pin_to(t, batch[0].pid);
			}
		}
	}
	free(batch);
	return r;
}

static char *rfc3339_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char buf[64];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

void sp_tracer_meta_start(struct sp_recording *rec, const struct sp_tracer_opts *o)
{
	struct sp_recording_meta *m = &rec->meta;
	struct utsname u;
	if (uname(&u) == 0) {
		free(m->kernel);
		m->kernel = xstrdup(u.release);
		free(m->machine);
		m->machine = xstrdup(u.machine);
	}
	free(m->libc);
	m->libc = xasprintf("glibc %s", gnu_get_libc_version());
	free(m->start_time);
	m->start_time = rfc3339_now();
	if (o->argv) {
		sp_strv_free(m->command);
		m->command = sp_strv_dup(o->argv);
	} else {
		free(m->attached);
		m->attached = xcalloc(o->npids ? o->npids : 1, sizeof(pid_t));
		memcpy(m->attached, o->pids, o->npids * sizeof(pid_t));
		m->nattached = o->npids;
	}
	m->exit_status = -1;
	m->exit_signal = 0;
	m->runs = 1;
}

const char *sp_tracer_signame(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal";
}

int sp_tracer_run(const struct sp_tracer_opts *o, struct sp_recording *rec, struct sp_err *err)
{
	struct sp_tracer t = {
		.o = o,
		.rec = rec,
		.attach = o->argv == NULL,
		.report_fd = -1,
		.pinned_cpu = -1,
	};
	if (!o->argv && !o->npids)
		return sp_err_set(err, -EINVAL, "nothing to trace");
	if (o->argv && !o->path)
		return sp_err_set(err, -EINVAL, "no executable path");
	t.seccomp = !t.attach && !o->no_seccomp;
	if (o->filter && !t.seccomp)
		return sp_err_set(err, -EINVAL, "a seccomp filter needs launch mode without --no-seccomp");

	sp_tracer_meta_start(rec, o);
	cpu_set_t saved_cpus;
	bool restore_cpus = o->pin_cpu && sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus) == 0;
	t.t0 = sp_now_ns();
	t.last_progress = t.t0;

	int r = t.attach ? sp_attach(&t, err) : sp_launch(&t, err);
	if (r < 0) {
		if (t.attach) {
			/* Let go of what we did seize: the kernel would
			 * detach them when we exit, but not cleanly out of an
			 * interrupt stop we caused. */
			struct sp_tracer_opts o2 = *o;
			volatile sig_atomic_t one = SIGTERM;
			o2.stop = &one;
			t.o = &o2;
			run_loop(&t, NULL);
		}
		free(t.tasks);
		return r;
	}
	if (t.attach && o->on_attached)
		o->on_attached(o->on_attached_ctx);

	r = run_loop(&t, err);
	if (restore_cpus)
		sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);

	struct sp_recording_meta *m = &rec->meta;
	m->duration_ns = sp_now_ns() - t.t0;
	m->processes = t.st.processes;
	m->threads = t.st.threads;
	free(m->tracing);
	m->tracing = xstrdup(t.seccomp ? "seccomp" : "ptrace");
	free(m->backend);
	m->backend = xstrdup("ptrace");
	if (!t.seccomp && !m->tracing_note)
		m->tracing_note = xstrdup(t.attach ? "attach mode: plain ptrace (a filter cannot be added to a running process)"
						   : "--no-seccomp: plain ptrace");
	m->complete = !t.stopping;
	free(m->incomplete_reason);
	m->incomplete_reason = NULL;
	if (t.stopping > 0)
		m->incomplete_reason = xasprintf("interrupted by %s; %s", sp_tracer_signame(t.stopping),
						 t.attach ? "detached from the processes" : "workload killed");
	else if (t.stopping < 0)
		m->incomplete_reason = xstrdup("tracer error");

	if (t.report_fd >= 0) {
		sp_launch_read_report(&t);
		close(t.report_fd);
	}
	if (o->stack_depth > 0)
		sp_callsites_end(&t);
	free(t.tasks);
	if (r < 0)
		return r;
	if (t.fatal)
		return sp_err_set(err, -ENOSYS,
				  "PTRACE_GET_SYSCALL_INFO failed: this kernel is too old (Linux 5.3 or later is needed)");
	if (!t.attach && !t.exec_seen && !t.stopping) {
		int e = t.report_err ? t.report_err : ENOEXEC;
		return sp_err_set(err, -e, "cannot execute '%s': %s", o->path, strerror(e));
	}
	return 0;
}
