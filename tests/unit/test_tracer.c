/* SPDX-License-Identifier: MIT */
/* The event classifier on synthetic wait statuses, built the way the
 * kernel encodes them (wait(2), ptrace(2)), the task table, and the whole
 * tracer on a victim with many tasks. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "core/util.h"
#include "tests/unit/unit.h"
#include "tracer/internal.h"
#include "tracer/tracer.h"

/* Stopped by sig with an event in bits 16..23. */
static int stopped(int sig, int event)
{
	return 0x7f | (sig << 8) | (event << 16);
}

START_TEST(classify_exit_and_death)
{
	int sig;
	ck_assert_int_eq(sp_tracer_classify(3 << 8, &sig), SP_EV_EXITED);
	ck_assert_int_eq(sig, 3);
	ck_assert_int_eq(sp_tracer_classify(SIGKILL, &sig), SP_EV_KILLED);
	ck_assert_int_eq(sig, SIGKILL);
	ck_assert_int_eq(sp_tracer_classify(SIGSEGV | 0x80, &sig), SP_EV_KILLED); /* core dumped */
	ck_assert_int_eq(sig, SIGSEGV);
	ck_assert_int_eq(sp_tracer_classify(0xffff, &sig), SP_EV_UNKNOWN); /* WIFCONTINUED */
}
END_TEST

START_TEST(classify_syscall_and_events)
{
	int sig;
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP | 0x80, 0), &sig), SP_EV_SYSCALL);
	ck_assert_int_eq(sig, 0);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_SECCOMP), &sig), SP_EV_SECCOMP);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_FORK), &sig), SP_EV_FORK);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_VFORK), &sig), SP_EV_VFORK);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_CLONE), &sig), SP_EV_CLONE);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_EXEC), &sig), SP_EV_EXEC);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_VFORK_DONE), &sig),
			 SP_EV_VFORK_DONE);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_EXIT), &sig), SP_EV_EXIT);
	/* An event number with a signal other than SIGTRAP is no event. */
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGUSR1, PTRACE_EVENT_FORK), &sig), SP_EV_UNKNOWN);
}
END_TEST

START_TEST(classify_signals_and_stops)
{
	int sig;
	/* A real SIGTRAP (no 0x80: TRACESYSGOOD tells them apart). */
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, 0), &sig), SP_EV_SIGNAL);
	ck_assert_int_eq(sig, SIGTRAP);
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGCHLD, 0), &sig), SP_EV_SIGNAL);
	ck_assert_int_eq(sig, SIGCHLD);
	/* SIGSTOP without an event is its signal-delivery-stop: re-inject. */
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGSTOP, 0), &sig), SP_EV_SIGNAL);
	ck_assert_int_eq(sig, SIGSTOP);
	/* Under SEIZE a group-stop is PTRACE_EVENT_STOP with the stop signal. */
	int stops[] = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU};
	for (unsigned i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		ck_assert_int_eq(sp_tracer_classify(stopped(stops[i], PTRACE_EVENT_STOP), &sig),
				 SP_EV_GROUP_STOP);
		ck_assert_int_eq(sig, stops[i]);
	}
	/* ... and PTRACE_INTERRUPT / a new child's first stop use SIGTRAP. */
	ck_assert_int_eq(sp_tracer_classify(stopped(SIGTRAP, PTRACE_EVENT_STOP), &sig), SP_EV_TRAP_STOP);
	ck_assert_int_eq(sig, 0);
	ck_assert_str_eq(sp_tracer_ev_name(SP_EV_GROUP_STOP), "group-stop");
}
END_TEST

/* -1 is "no system call" on every ABI; i386 reports it as a 32-bit value,
 * which on x86_64 is an ordinary (unknown) number. */
START_TEST(no_syscall_number)
{
	ck_assert(sp_tracer_no_syscall(SP_ABI_X86_64, (uint64_t)-1));
	ck_assert(sp_tracer_no_syscall(SP_ABI_AARCH64, (uint64_t)-1));
	ck_assert(sp_tracer_no_syscall(SP_ABI_I386, 0xffffffffu));
	ck_assert(sp_tracer_no_syscall(SP_ABI_I386, (uint64_t)-1));
	ck_assert(!sp_tracer_no_syscall(SP_ABI_X86_64, 0xffffffffu));
	ck_assert(!sp_tracer_no_syscall(SP_ABI_X86_64, 0));
	ck_assert(!sp_tracer_no_syscall(SP_ABI_I386, 0xfffffffeu));
}
END_TEST

START_TEST(resolve_path)
{
	struct sp_err err = {0};
	char *p = NULL;
	ck_assert_int_eq(sp_tracer_resolve("sh", &p, &err), 0);
	ck_assert_ptr_nonnull(p);
	ck_assert(p[0] == '/' || p[0] == '.');
	free(p);
	ck_assert_int_eq(sp_tracer_resolve("no-such-command-sp", &p, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "command not found"));
	ck_assert_int_eq(sp_tracer_resolve("/etc/passwd", &p, &err), -EACCES);
	ck_assert_int_eq(sp_tracer_resolve("/", &p, &err), -EACCES);
	ck_assert_int_eq(sp_tracer_resolve("/no/such/file", &p, &err), -ENOENT);
}
END_TEST

/* The task table: open addressing with backward-shift deletion must keep
 * every remaining tid findable whatever the deletion order, including
 * clusters that wrap around the end of the table. */
START_TEST(task_table)
{
	struct sp_tracer t = {0};
	enum { N = 3000 };
	for (pid_t p = 1; p <= N; p++) {
		struct sp_task *tk = sp_task_add(&t, p * 7);
		ck_assert_int_eq(tk->pid, p * 7);
		tk->flags = (uint32_t)p;
	}
	ck_assert_uint_eq(t.ntasks, N);
	ck_assert_ptr_eq(sp_task_add(&t, 7), sp_task_find(&t, 7)); /* no duplicate */
	ck_assert_uint_eq(t.ntasks, N);
	for (pid_t p = 1; p <= N; p += 2)
		sp_task_del(&t, p * 7);
	sp_task_del(&t, 999999); /* absent: no-op */
	ck_assert_uint_eq(t.ntasks, N / 2);
	ck_assert_uint_eq(t.st.live_tasks, N / 2);
	for (pid_t p = 1; p <= N; p++) {
		struct sp_task *tk = sp_task_find(&t, p * 7);
		if (p % 2) {
			ck_assert_ptr_null(tk);
		} else {
			ck_assert_ptr_nonnull(tk);
			ck_assert_uint_eq(tk->flags, (uint32_t)p);
		}
	}
	/* counting: a thread adds to threads only, once */
	struct sp_task *tk = sp_task_find(&t, 14);
	tk->flags = 0;
	sp_task_count(&t, tk, true);
	sp_task_count(&t, tk, false);
	ck_assert_uint_eq(t.st.threads, 1);
	ck_assert_uint_eq(t.st.processes, 0);
	free(t.tasks);
}
END_TEST

/* The whole tracer on a workload whose task table grows and shrinks while
 * events arrive: 150 threads alive at once (the table grows 64 -> 128 ->
 * 256 -> 512 in the middle of PTRACE_EVENT_CLONE stops) and 300 children.
 * A pointer into the table kept across a growth once restarted a freed
 * slot's pid and left the parent stopped for ever (a hang, 1 run in ~20);
 * under AddressSanitizer (CI's sanitized unit run) any such access aborts
 * at once.  Both ways of stopping; every call is counted exactly. */
static uint64_t calls_of(struct sp_recording *rec, const char *name)
{
	int64_t nr = sp_abi_syscall_nr(SP_ABI_X86_64, name);
	struct sp_sysc *s = nr < 0 ? NULL : sp_recording_sysc(rec, SP_ABI_X86_64, nr, false);
	return s ? s->calls : 0;
}

START_TEST(tracer_many_tasks)
{
	const char *dir = getenv("SP_HELPERS");
	_cleanup_free_ char *path = xasprintf("%s/fault_many", dir ? dir : "build/helpers");
	if (access(path, X_OK)) {
		fprintf(stderr, "tracer_many_tasks: %s not built, skipped\n", path);
		return;
	}
	char *const argv[] = {path, "300", "150", NULL};
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int saved = dup(1);
	ck_assert_int_ge(devnull, 0);
	ck_assert_int_ge(saved, 0);
	for (int seccomp = 0; seccomp < 2; seccomp++) {
		struct sp_tracer_opts o = {.argv = argv, .path = path, .no_seccomp = !seccomp};
		struct sp_recording *rec = sp_recording_new();
		struct sp_err err = {0};
		dup2(devnull, 1); /* the victim's summary line */
		int r = sp_tracer_run(&o, rec, &err);
		dup2(saved, 1);
		ck_assert_msg(r == 0, "seccomp %d: %s", seccomp, err.msg);
		ck_assert_int_eq(rec->meta.exit_status, 0);
		ck_assert(rec->meta.complete);
		ck_assert_uint_eq(calls_of(rec, "getppid"), 300);
		ck_assert_uint_eq(calls_of(rec, "getpgid"), 150);
		ck_assert_uint_eq(rec->meta.processes, 301);
		ck_assert_uint_ge(rec->meta.threads, 451);
		sp_recording_free(rec);
		sp_err_clear(&err);
	}
	close(saved);
	close(devnull);
}
END_TEST

static Suite *tracer_suite(void)
{
	Suite *s = suite_create("tracer");
	TCase *tc = tcase_create("classify");
	tcase_add_test(tc, classify_exit_and_death);
	tcase_add_test(tc, no_syscall_number);
	tcase_add_test(tc, classify_syscall_and_events);
	tcase_add_test(tc, classify_signals_and_stops);
	tcase_add_test(tc, resolve_path);
	tcase_add_test(tc, task_table);
	tcase_add_test(tc, tracer_many_tasks);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(tracer_suite)
