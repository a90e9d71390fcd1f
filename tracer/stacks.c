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
 * The per-task argument is kept with the task's cached maps (until
 * sp_stack_forget()), because it caches the ELF image it last read unwind
 * information from: frames of one capture and of the next mostly lie in
 * the same few objects.
 */
#include "tracer/stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/util.h"

struct map {
	uint64_t start, end, off;
	char *path; /* NULL for anonymous memory */
	bool exec;
};

struct maps {
	pid_t tid;
	size_t n;
	struct map *v;
	/* libunwind-ptrace's per-task state; kept between captures because
	 * it caches the last ELF image it opened for unwind info. */
	void *upt;
};

/* Tasks whose maps are cached.  Bounded: a workload with thousands of
 * live tasks re-reads maps now and then, which is still correct. */
#define MAPS_CACHE 128
static struct maps cache[MAPS_CACHE];
static size_t cache_next;
static unw_addr_space_t addr_space;

/* Memory reads.  libunwind reads the stack and the unwind tables word by
 * word; libunwind-ptrace does each with PTRACE_PEEKDATA, which costs a
 * system call and a wait for the task to be off its CPU.  Reading whole
 * pages with process_vm_readv() (allowed to the tracer, same ptrace access
 * check) and serving words from them is an order of magnitude faster.  The
 * pages are valid for one capture only: the task runs between captures. */
#define PAGE_CACHE 16
static struct {
	pid_t tid;
	uint64_t page[PAGE_CACHE];
	bool valid[PAGE_CACHE];
	unsigned char data[PAGE_CACHE][4096];
} pages;
static unw_accessors_t accessors;

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	uint64_t page = addr & ~(uint64_t)4095, off = addr & 4095;
	if (write || off > 4096 - sizeof(*val))
		return _UPT_access_mem(as, addr, val, write, arg);
	size_t slot = (page >> 12) % PAGE_CACHE;
	if (!pages.valid[slot] || pages.page[slot] != page) {
		struct iovec local = {pages.data[slot], 4096}, remote = {(void *)(uintptr_t)page, 4096};
		pages.valid[slot] = false;
		if (process_vm_readv(pages.tid, &local, 1, &remote, 1, 0) != 4096)
			return _UPT_access_mem(as, addr, val, write, arg);
		pages.page[slot] = page;
		pages.valid[slot] = true;
	}
	memcpy(val, pages.data[slot] + off, sizeof(*val));
	return 0;
}

static void maps_clear(struct maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	if (m->upt)
		_UPT_destroy(m->upt);
	memset(m, 0, sizeof(*m));
}

/* Reads /proc/TID/maps: "start-end perms offset dev inode   path".  Keeps
 * executable mappings (a pc is in one of them) and the offset-0 mapping of
 * each file (its load base). */
static int maps_load(pid_t tid, struct maps *m)
{
	char fn[64];
	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)tid);
	_cleanup_fclose_ FILE *f = fopen(fn, "re");
	if (!f)
		return -errno;
	void *upt = m->tid == tid ? steal_ptr(m->upt) : NULL;
	maps_clear(m);
	m->tid = tid;
	m->upt = upt;
	size_t cap = 0;
	char *line = NULL;
	size_t len = 0;
	while (getline(&line, &len, f) > 0) {
		unsigned long long start, end, off;
		int pos = 0;
		char perms[8];
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &pos) < 4)
			continue;
		bool exec = perms[2] == 'x';
		if (!exec && off != 0)
			continue;
		char *path = line + pos;
		path[strcspn(path, "\n")] = '\0';
		xgrow((void **)&m->v, &cap, m->n + 1, sizeof(*m->v));
		m->v[m->n++] = (struct map){start, end, off, *path ? xstrdup(path) : NULL, exec};
	}
	free(line);
	return 0;
}

/* The load base of mp's file: where its mapping at file offset 0 starts
 * (executable segments rarely start at offset 0). */
static uint64_t load_base(const struct maps *m, const struct map *mp)
{
	uint64_t base = mp->start - mp->off; /* no offset-0 mapping: the file's own view */
	bool found = false;
	for (size_t i = 0; i < m->n; i++) {
		const struct map *x = &m->v[i];
		/* The nearest one below, should the file be mapped twice. */
		if (x->off == 0 && x->path && x->start <= mp->start && !strcmp(x->path, mp->path) &&
		    (!found || x->start > base)) {
			base = x->start;
			found = true;
		}
	}
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
		if (m->v[i].exec && pc >= m->v[i].start && pc < m->v[i].end)
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
		fr->offset = pc - load_base(m, mp);
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
		accessors = _UPT_accessors;
		accessors.access_mem = access_mem;
		addr_space = unw_create_addr_space(&accessors, 0);
		if (!addr_space)
			return sp_err_set(err, -ENOMEM, "stacks: cannot create a libunwind address space");
		unw_set_caching_policy(addr_space, UNW_CACHE_NONE);
	}
	struct maps *m = maps_get(tid, false);
	if (!m)
		return sp_err_set(err, -ESRCH, "stacks: pid %d: cannot read its memory maps", (int)tid);
	if (!m->upt)
		m->upt = _UPT_create(tid);
	if (!m->upt)
		return sp_err_set(err, -ENOMEM, "stacks: pid %d: cannot set up libunwind", (int)tid);
	pages.tid = tid;
	memset(pages.valid, 0, sizeof(pages.valid));
	unw_cursor_t cur;
	int r = unw_init_remote(&cur, addr_space, m->upt);
	if (r < 0)
		return sp_err_set(err, -ESRCH, "stacks: pid %d: cannot read registers (libunwind error %d)",
				  (int)tid, r);
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
