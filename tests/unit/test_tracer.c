/* SPDX-License-Identifier: MIT */
/* The event classifier on synthetic wait statuses, built the way the
 * kernel encodes them (wait(2), ptrace(2)). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

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

static Suite *tracer_suite(void)
{
	Suite *s = suite_create("tracer");
	TCase *tc = tcase_create("classify");
	tcase_add_test(tc, classify_exit_and_death);
	tcase_add_test(tc, classify_syscall_and_events);
	tcase_add_test(tc, classify_signals_and_stops);
	tcase_add_test(tc, resolve_path);
	tcase_add_test(tc, task_table);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(tracer_suite)
