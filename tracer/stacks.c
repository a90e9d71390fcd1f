/* SPDX-License-Identifier: MIT */
/*
 * Call-site capture with libunwind-ptrace.
 *
 * libunwind's remote mode needs an address space (the accessors of
 * libunwind-ptrace: registers through PTRACE_PEEKUSER, memory through
 * PTRACE_PEEKDATA, unwind info from the ELF files named in /proc/PID/maps)
 * and a per-task argument from _UPT_create(tid).  The address space is
 * created once; its caching is off because one address space serves every
 * traced process, and libunwind's cache is keyed by address only: two
 * processes with different layouts would poison each other's entries.
 */
#include "tracer/stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

struct map {
	uint64_t start, end, off;
	char *path; /* NULL for anonymous memory */
};

struct maps {
	pid_t tid;
	size_t n;
	struct map *v;
};

/* Tasks whose maps are cached.  Bounded: a workload with thousands of
 * live tasks re-reads maps now and then, which is still correct. */
#define MAPS_CACHE 128
static struct maps cache[MAPS_CACHE];
static size_t cache_next;
static unw_addr_space_t addr_space;

static void maps_clear(struct maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Reads /proc/TID/maps: "start-end perms offset dev inode   path". */
static int maps_load(pid_t tid, struct maps *m)
{
	char fn[64];
	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(fn, "re");
	if (!f)
		return -errno;
	maps_clear(m);
	m->tid = tid;
	size_t cap = 0;
	char *line = NULL;
	size_t len = 0;
	while (getline(&line, &len, f) > 0) {
		unsigned long long start, end, off;
		int pos = 0;
		char perms[8];
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &pos) < 4)
			continue;
		if (perms[2] != 'x') /* only code can hold a pc */
			continue;
		char *path = line + pos;
		path[strcspn(path, "\n")] = '\0';
		xgrow((void **)&m->v, &cap, m->n + 1, sizeof(*m->v));
		m->v[m->n++] = (struct map){start, end, off, *path ? xstrdup(path) : NULL};
	}
	free(line);
	return 0;
}

/* The load base of path: where its mapping at file offset 0 starts.
 * Executable segments rarely start at offset 0, so the non-executable
 * maps are needed too; they are read on demand from /proc (once per
 * object and capture, a cheap scan). */
static uint64_t load_base(pid_t tid, const struct map *m)
{
	if (m->off == 0)
		return m->start;
	char fn[64];
	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(fn, "re");
	char *line = NULL;
	size_t len = 0;
	uint64_t base = m->start - m->off; /* if no offset-0 mapping is found */
	while (f && getline(&line, &len, f) > 0) {
		unsigned long long start, end, off;
		int pos = 0;
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &start, &end, &off, &pos) < 3 || off != 0)
			continue;
		char *path = line + pos;
		path[strcspn(path, "\n")] = '\0';
		if (!strcmp(path, m->path)) {
			base = start;
			break;
		}
	}
	free(line);
	return base;
}

static struct maps *maps_get(pid_t tid, bool reload)
{
	struct maps *slot = NULL;
	for (size_t i = 0; i < MAPS_CACHE; i++)
		if (cache[i].tid == tid)
			slot = &cache[i];
	if (slot && !reload)
		return slot;
	if (!slot) {
		slot = &cache[cache_next];
		cache_next = (cache_next + 1) % MAPS_CACHE;
	}
	if (maps_load(tid, slot) < 0) {
		maps_clear(slot);
		return NULL;
	}
	return slot;
}

static const struct map *maps_find(const struct maps *m, uint64_t pc)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (pc >= m->v[i].start && pc < m->v[i].end)
			return &m->v[i];
	return NULL;
}

void sp_stack_forget(pid_t tid)
{
	for (size_t i = 0; i < MAPS_CACHE; i++)
		if (cache[i].tid == tid)
			maps_clear(&cache[i]);
}

void sp_stack_reset(void)
{
	for (size_t i = 0; i < MAPS_CACHE; i++)
		maps_clear(&cache[i]);
	if (addr_space) {
		unw_destroy_addr_space(addr_space);
		addr_space = NULL;
	}
}

static void fill_frame(pid_t tid, struct sp_frame *fr, uint64_t pc, bool *reloaded)
{
	struct maps *m = maps_get(tid, false);
	const struct map *mp = maps_find(m, pc);
	if (!mp && !*reloaded) { /* new code since the maps were read (dlopen) */
		*reloaded = true;
		m = maps_get(tid, true);
		mp = maps_find(m, pc);
	}
	if (mp && mp->path) {
		fr->module = xstrdup(mp->path);
		fr->offset = pc - load_base(tid, mp);
	} else {
		fr->offset = pc; /* anonymous (JIT) code: only the address */
	}
}

int sp_stack_capture(pid_t tid, int max_depth, struct sp_callsite *site, struct sp_err *err)
{
	if (max_depth < 1)
		max_depth = 1;
	if (max_depth > SP_MAX_FRAMES)
		max_depth = SP_MAX_FRAMES;
	if (!addr_space) {
		addr_space = unw_create_addr_space(&_UPT_accessors, 0);
		if (!addr_space)
			return sp_err_set(err, -ENOMEM, "stacks: cannot create a libunwind address space");
		unw_set_caching_policy(addr_space, UNW_CACHE_NONE);
	}
	void *upt = _UPT_create(tid);
	if (!upt)
		return sp_err_set(err, -ENOMEM, "stacks: pid %d: cannot set up libunwind", (int)tid);
	unw_cursor_t cur;
	int r = unw_init_remote(&cur, addr_space, upt);
	if (r < 0) {
		_UPT_destroy(upt);
		return sp_err_set(err, -ESRCH, "stacks: pid %d: cannot read registers (libunwind error %d)",
				  (int)tid, r);
	}
	site->frames = xcalloc((size_t)max_depth, sizeof(*site->frames));
	site->nframes = 0;
	bool reloaded = false;
	for (int depth = 0; depth < max_depth; depth++) {
		unw_word_t ip = 0;
		if (unw_get_reg(&cur, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		struct sp_frame *fr = &site->frames[site->nframes++];
		fill_frame(tid, fr, ip, &reloaded);
		char sym[256];
		unw_word_t off = 0;
		/* Looks the pc up in the object's .symtab/.dynsym; -UNW_ENOMEM
		 * means the name was truncated, which is still a name. */
		r = unw_get_proc_name(&cur, sym, sizeof(sym), &off);
		/* The name is the nearest symbol below pc, which in a stripped
		 * object (only .dynsym) may belong to another function far
		 * away.  The unwind info knows where pc's function starts:
		 * keep the name only when it starts there too. */
		unw_proc_info_t pi;
		if ((r == 0 || r == -UNW_ENOMEM) && unw_get_proc_info(&cur, &pi) == 0 && pi.start_ip &&
		    ip - off != pi.start_ip)
			r = -UNW_ENOINFO;
		if (r == 0 || r == -UNW_ENOMEM) {
			sym[sizeof(sym) - 1] = '\0';
			fr->symbol = xstrdup(sym);
			fr->sym_off = off;
		}
		if (unw_step(&cur) <= 0)
			break;
	}
	_UPT_destroy(upt);
	if (!site->nframes) {
		sp_callsite_release(site);
		return sp_err_set(err, -ESRCH, "stacks: pid %d: no frames", (int)tid);
	}
	if (!site->exe) {
		char fn[64], path[4096];
		snprintf(fn, sizeof(fn), "/proc/%d/exe", (int)tid);
		ssize_t n = readlink(fn, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = '\0';
			site->exe = xstrdup(path);
		}
	}
	return 0;
}
