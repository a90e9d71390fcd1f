/* SPDX-License-Identifier: MIT */
/*
 * tracer/tasks.c: the tracer's table of tasks, keyed by tid.
 *
 * Memory is proportional to the tasks alive at once, not to how many the
 * run created: an exited task's slot is freed at once.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "tracer/internal.h"

static size_t slot_of(const struct sp_tracer *t, pid_t pid)
{
	return ((size_t)(uint32_t)pid * 2654435761u) & (t->cap - 1);
}

struct sp_task *sp_task_find(struct sp_tracer *t, pid_t pid)
{
	if (!t->cap)
		return NULL;
	for (size_t i = slot_of(t, pid);; i = (i + 1) & (t->cap - 1)) {
		if (t->tasks[i].pid == pid)
			return &t->tasks[i];
		if (!t->tasks[i].pid)
			return NULL;
	}
}

static void grow(struct sp_tracer *t)
{
	struct sp_task *old = t->tasks;
	size_t ocap = t->cap;
	t->cap = ocap ? ocap * 2 : 64;
	t->tasks = xcalloc(t->cap, sizeof(*t->tasks));
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].pid)
			continue;
		size_t j = slot_of(t, old[i].pid);
		while (t->tasks[j].pid)
			j = (j + 1) & (t->cap - 1);
		t->tasks[j] = old[i];
	}
	free(old);
}

struct sp_task *sp_task_add(struct sp_tracer *t, pid_t pid)
{
	struct sp_task *tk = sp_task_find(t, pid);
	if (tk)
		return tk;
	if ((t->ntasks + 1) * 2 > t->cap)
		grow(t);
	size_t i = slot_of(t, pid);
	while (t->tasks[i].pid)
		i = (i + 1) & (t->cap - 1);
	t->tasks[i] = (struct sp_task){.pid = pid};
	t->ntasks++;
	t->st.live_tasks = t->ntasks;
	return &t->tasks[i];
}

void sp_task_del(struct sp_tracer *t, pid_t pid)
{
	struct sp_task *tk = sp_task_find(t, pid);
	if (!tk)
		return;
	size_t mask = t->cap - 1, i = (size_t)(tk - t->tasks);
	/* Backward-shift deletion keeps probe chains unbroken without
	 * tombstones. */
	for (size_t j = (i + 1) & mask; t->tasks[j].pid; j = (j + 1) & mask) {
		size_t home = slot_of(t, t->tasks[j].pid);
		bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
		if (movable) {
			t->tasks[i] = t->tasks[j];
			i = j;
		}
	}
	t->tasks[i] = (struct sp_task){0};
	t->ntasks--;
	t->st.live_tasks = t->ntasks;
}

void sp_task_count(struct sp_tracer *t, struct sp_task *tk, bool is_thread)
{
	if (tk->flags & T_COUNTED)
		return;
	tk->flags |= T_COUNTED;
	t->st.threads++;
	if (!is_thread)
		t->st.processes++;
}

char *sp_proc_exe(pid_t pid)
{
	char p[64], buf[PATH_MAX];
	snprintf(p, sizeof(p), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	/* "/" is what the kernel prints for an executable outside our root
	 * (d_path of a file on a mount we cannot reach): runc's and crun's
	 * init run from a memfd copy in the container's mount namespace.  No
	 * executable is a directory: unknown. */
	if (!strcmp(buf, "/"))
		return NULL;
	return xstrdup(buf);
}
