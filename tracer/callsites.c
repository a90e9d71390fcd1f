/* SPDX-License-Identifier: MIT */
/*
 * tracer/callsites.c: when `record --stacks` unwinds (tracer/stacks.h).
 *
 * Unwinding costs far more than the stop itself (the task's stack is read
 * word by word with PTRACE_PEEKDATA, unwind tables are looked up in the
 * ELF files), so it happens at few, chosen calls:
 *
 *  - the first call of each (executable, ABI, syscall): no call site of
 *    the entry has the calling task's executable yet;
 *  - the calls numbered 1, 2, 4, 8, ... (powers of two) of each (ABI,
 *    syscall), which finds further distinct call sites at a cost that grows
 *    with the logarithm of the number of calls.  sp_sysc_add_site() keeps
 *    distinct sites up to SP_MAX_CALLSITES and counts the others in
 *    sites_dropped.
 *
 * Everything here runs in the tracer and only reads the stopped task, so
 * the recorded syscall set is the same with and without --stacks.  With
 * --stacks off none of it runs (count_call() tests stack_depth first).
 *
 * Each task's executable is kept as a pointer into a table of interned
 * paths (one readlink of /proc/PID/exe per task and exec, not per call).
 */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/internal.h"
#include "tracer/stacks.h"

static const char *intern_exe(struct sp_tracer *t, char *exe)
{
	if (!exe)
		return NULL;
	for (size_t i = 0; i < t->nexes; i++) {
		if (!strcmp(t->exes[i], exe)) {
			free(exe);
			return t->exes[i];
		}
	}
	t->exes = xrealloc(t->exes, (t->nexes + 1) * sizeof(*t->exes));
	return t->exes[t->nexes++] = exe;
}

static bool has_site_from(const struct sp_sysc *s, const char *exe)
{
	for (size_t i = 0; i < s->nsites; i++)
		if (s->sites[i].exe && !strcmp(s->sites[i].exe, exe))
			return true;
	return false;
}

void sp_callsites_on_call(struct sp_tracer *t, struct sp_task *tk, struct sp_sysc *s, enum sp_abi abi)
{
	if (!tk->exe)
		tk->exe = intern_exe(t, sp_proc_exe(tk->pid));
	uint64_t n = s->calls + 1; /* this call's number */
	bool sample = (n & (n - 1)) == 0;
	bool new_exe = tk->exe && !has_site_from(s, tk->exe) && s->nsites < SP_MAX_CALLSITES;
	if (!sample && !new_exe)
		return;
	/* libunwind unwinds the tracer's own architecture: in a compat task
	 * (i386, x32) only the syscall instruction's frame is meaningful. */
	int depth = abi == sp_abi_native() ? t->o->stack_depth : 1;
	struct sp_callsite site = {.exe = tk->exe ? xstrdup(tk->exe) : NULL};
	struct sp_err err = {0};
	if (sp_stack_capture(tk->pid, depth, &site, &err) == 0)
		sp_sysc_add_site(s, &site); /* takes the site, or frees a duplicate */
	else
		sp_debug("%s", err.msg);
	sp_callsite_release(&site);
}

void sp_callsites_on_exec(struct sp_tracer *t, struct sp_task *tk, pid_t former, const char *exe)
{
	/* New image: the maps of both tids are stale. */
	sp_stack_forget(tk->pid);
	if (former)
		sp_stack_forget(former);
	tk->exe = exe ? intern_exe(t, xstrdup(exe)) : NULL;
}

void sp_callsites_on_gone(pid_t pid)
{
	sp_stack_forget(pid);
}

void sp_callsites_end(struct sp_tracer *t)
{
	for (size_t i = 0; i < t->nexes; i++)
		free(t->exes[i]);
	free(t->exes);
	t->exes = NULL;
	t->nexes = 0;
	sp_stack_reset();
}
