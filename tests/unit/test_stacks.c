/* SPDX-License-Identifier: MIT */
/* Call-site capture on a real stopped child: the frames must name the
 * function that stopped, in this very binary, with offsets from its load
 * base. */
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "tracer/stacks.h"
#include "tests/unit/unit.h"

/* Not static, not inlined: the child stops inside it (in raise()), so it
 * must be one frame of the backtrace, found by name in .symtab. */
__attribute__((noinline)) void sp_test_stacks_probe(void);
__attribute__((noinline)) void sp_test_stacks_probe(void)
{
	raise(SIGSTOP);
	__asm__ volatile("" ::: "memory");
}

/* Where this executable's first segment is loaded (the fork has the same
 * layout): the base the frame offsets must be relative to. */
static int first_load(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type == PT_LOAD) {
			*(uintptr_t *)data = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
			return 1; /* the first object is the executable */
		}
	}
	return 1;
}

static pid_t stopped_child(void)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		sp_test_stacks_probe();
		_exit(0);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	return pid;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

START_TEST(names_the_stopped_function)
{
	pid_t pid = stopped_child();
	struct sp_callsite site = {0};
	struct sp_err err = {0};
	int r = sp_stack_capture(pid, 16, &site, &err);
	ck_assert_msg(r == 0, "%s", err.msg);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	ck_assert_str_eq(site.exe, self);
	ck_assert_uint_ge(site.nframes, 2);
	ck_assert_ptr_nonnull(site.frames[0].module); /* inside libc */
	size_t k = site.nframes;
	for (size_t i = 0; i < site.nframes; i++)
		if (site.frames[i].symbol && !strcmp(site.frames[i].symbol, "sp_test_stacks_probe"))
			k = i;
	ck_assert_msg(k < site.nframes, "no frame names sp_test_stacks_probe");
	ck_assert_str_eq(site.frames[k].module, self);
	/* The offset is from the load base: the probe's address minus the
	 * base of this PIE (or non-PIE) image equals ours. */
	uintptr_t base = 0;
	dl_iterate_phdr(first_load, &base);
	ck_assert_uint_gt(site.frames[k].sym_off, 0);
	ck_assert_uint_lt(site.frames[k].sym_off, 64);
	ck_assert_uint_eq(site.frames[k].offset - site.frames[k].sym_off, (uintptr_t)sp_test_stacks_probe - base);

	/* A second capture of the same stop is the same site (stable
	 * offsets, cached maps), and depth is honoured. */
	struct sp_callsite again = {0}, one = {0};
	ck_assert_int_eq(sp_stack_capture(pid, 16, &again, NULL), 0);
	ck_assert(sp_callsite_equal(&site, &again));
	ck_assert_int_eq(sp_stack_capture(pid, 1, &one, NULL), 0);
	ck_assert_uint_eq(one.nframes, 1);
	ck_assert_uint_eq(one.frames[0].offset, site.frames[0].offset);
	sp_stack_forget(pid);
	sp_callsite_release(&site);
	sp_callsite_release(&again);
	sp_callsite_release(&one);
	kill_child(pid);
	sp_stack_reset();
}
END_TEST

START_TEST(fails_cleanly_on_a_task_that_is_gone)
{
	pid_t pid = stopped_child();
	kill_child(pid);
	struct sp_callsite site = {0};
	struct sp_err err = {0};
	ck_assert_int_lt(sp_stack_capture(pid, 8, &site, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "stacks: pid"));
	ck_assert_uint_eq(site.nframes, 0);
	ck_assert_ptr_null(site.frames);
	sp_stack_reset();
}
END_TEST

static Suite *stacks_suite(void)
{
	Suite *s = suite_create("stacks");
	TCase *tc = tcase_create("capture");
	tcase_add_test(tc, names_the_stopped_function);
	tcase_add_test(tc, fails_cleanly_on_a_task_that_is_gone);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(stacks_suite)
