/* SPDX-License-Identifier: MIT */
/*
 * Reachability across the objects of one executable (see reach.h), and
 * the cached libc map.
 *
 * Cache file (one per libc build-id and ABI), text, written atomically:
 *
 *     seccomp-profile libc-map 1
 *     build-id 93ac61ec...
 *     abi x86_64
 *     functions 2893
 *     f sigsuspend 0 130
 *     f syscall 1
 *     i 0 0,1,3,...             (the indirect/start-up set)
 *     end
 *
 * "f NAME U NR,NR..." with U = 1 when the function may make a call whose
 * number is not constant.  A file that does not parse exactly, names
 * another build-id or ABI, or has another count is ignored and rebuilt.
 */
#include "analysis/reach.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis/loader.h"
#include "analysis/object.h"
#include "core/log.h"
#include "core/outfile.h"
#include "core/recording.h"
#include "core/util.h"

/* qsort() without the undefined behaviour of a NULL, empty array. */
static void sort_(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#define CACHE_MAGIC "seccomp-profile libc-map 1"

struct libc_fn {
	char *name;
	struct sp_nrset set;
};

struct libcmap {
	char *path; /* real path */
	struct libc_fn *fns; /* sorted by name */
	size_t nfns;
	struct sp_nrset indirect;
};

struct loaded {
	char *real;
	struct sp_obj *obj;
};

struct sp_reach_ctx {
	char *cache_dir; /* NULL: no cache */
	struct sp_ldcache *ldc;
	struct loaded *objs;
	size_t nobjs;
	struct libcmap **maps;
	size_t nmaps;
	struct sp_reach_stats stats;
};

struct sp_reach_ctx *sp_reach_new(const char *cache_dir)
{
	struct sp_reach_ctx *c = xcalloc(1, sizeof(*c));
	c->cache_dir = cache_dir ? (*cache_dir ? xstrdup(cache_dir) : NULL) : sp_cache_dir();
	c->ldc = sp_ldcache_load("/etc/ld.so.cache");
	return c;
}

static void libcmap_free(struct libcmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nfns; i++)
		free(m->fns[i].name);
	free(m->fns);
	free(m->path);
	free(m);
}

void sp_reach_free(struct sp_reach_ctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nobjs; i++) {
		free(c->objs[i].real);
		sp_obj_free(c->objs[i].obj);
	}
	free(c->objs);
	for (size_t i = 0; i < c->nmaps; i++)
		libcmap_free(c->maps[i]);
	free(c->maps);
	sp_ldcache_free(c->ldc);
	free(c->cache_dir);
	free(c->stats.libc_cache_file);
	free(c);
}

const struct sp_reach_stats *sp_reach_stats(const struct sp_reach_ctx *ctx)
{
	return &ctx->stats;
}

static bool is_libc(const struct sp_obj *o)
{
	return o->soname && !strncmp(o->soname, "libc.so.", 8);
}

static double now_s(void);
static struct libcmap *cache_read(const char *file, const struct sp_obj *o);
static void libcmap_free(struct libcmap *m);

static char *cache_file(const struct sp_reach_ctx *c, const struct sp_obj *o)
{
	return xasprintf("%s/libc-%s-%s.map", c->cache_dir, o->build_id, sp_abi_name(o->abi));
}

/* A valid cached map for o exists (it is read again, then kept, by
 * get_libcmap()). */
static bool cache_has(const struct sp_reach_ctx *c, const struct sp_obj *o)
{
	if (!c->cache_dir)
		return false;
	_cleanup_free_ char *file = cache_file(c, o);
	struct libcmap *m = cache_read(file, o);
	libcmap_free(m);
	return m != NULL;
}

/* Objects are shared by every executable of a context, keyed by real path
 * (ld.so is /lib64/ld-linux-x86-64.so.2 as interpreter and
 * /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 as a needed library). */
static int get_obj(struct sp_reach_ctx *c, const char *path, struct sp_obj **out, struct sp_err *err)
{
	_cleanup_free_ char *real = realpath(path, NULL);
	if (!real)
		return sp_err_sys(err, "'%s'", path);
	for (size_t i = 0; i < c->nobjs; i++)
		if (!strcmp(c->objs[i].real, real)) {
			*out = c->objs[i].obj;
			return 0;
		}
	/* The C library's code is only needed when its map is not cached:
	 * read its headers first (cheap), disassemble when needed. */
	struct sp_obj *o;
	int r = sp_obj_load(path, SP_OBJ_HEADERS_ONLY, &o, err);
	if (r < 0)
		return r;
	if (!is_libc(o) || !o->build_id || !cache_has(c, o)) {
		sp_obj_free(o);
		double t0 = now_s();
		if ((r = sp_obj_load(path, 0, &o, err)) < 0)
			return r;
		if (is_libc(o))
			c->stats.libc_seconds += now_s() - t0;
	}
	c->objs = xrealloc(c->objs, (c->nobjs + 1) * sizeof(*c->objs));
	c->objs[c->nobjs++] = (struct loaded){steal_ptr(real), o};
	*out = o;
	return 0;
}


/* ---- libc map ------------------------------------------------------------- */

static int cmp_fn(const void *a, const void *b)
{
	return strcmp(((const struct libc_fn *)a)->name, ((const struct libc_fn *)b)->name);
}

static struct libcmap *libcmap_build(const struct sp_obj *o)
{
	struct libcmap *m = xcalloc(1, sizeof(*m));
	_cleanup_free_ struct sp_nrset *reach = sp_obj_reach(o);
	m->fns = xcalloc(o->nexports ? o->nexports : 1, sizeof(*m->fns));
	for (size_t i = 0; i < o->nexports; i++) {
		if (o->exports[i].func == UINT32_MAX)
			continue;
		if (m->nfns && !strcmp(m->fns[m->nfns - 1].name, o->exports[i].name))
			continue; /* versioned duplicates share one name */
		m->fns[m->nfns].name = xstrdup(o->exports[i].name);
		m->fns[m->nfns].set = reach[o->exports[i].func];
		m->nfns++;
	}
	for (size_t i = 0; i < o->nroots; i++)
		sp_nrset_or(&m->indirect, &reach[o->roots[i]]);
	for (size_t i = 0; i < o->ndataref; i++)
		sp_nrset_or(&m->indirect, &reach[o->dataref[i]]);
	return m;
}

static void put_set(FILE *out, const struct sp_nrset *s)
{
	fprintf(out, " %d ", s->unknown ? 1 : 0);
	bool first = true;
	for (unsigned i = 0; i < SP_NRSET_BITS; i++)
		if (sp_nrset_has(s, i)) {
			fprintf(out, "%s%u", first ? "" : ",", i);
			first = false;
		}
	fputc('\n', out);
}

struct cache_write {
	const struct libcmap *m;
	const struct sp_obj *o;
};

static int cache_write_fn(FILE *out, void *ctx, struct sp_err *err)
{
	(void)err;
	const struct cache_write *w = ctx;
	fprintf(out, CACHE_MAGIC "\nbuild-id %s\nabi %s\nfunctions %zu\n", w->o->build_id, sp_abi_name(w->o->abi),
		w->m->nfns);
	for (size_t i = 0; i < w->m->nfns; i++) {
		fprintf(out, "f %s", w->m->fns[i].name);
		put_set(out, &w->m->fns[i].set);
	}
	fputs("i", out);
	put_set(out, &w->m->indirect);
	fputs("end\n", out);
	return 0;
}

/* Parses " U N,N,N" into s; false on anything else. */
static bool parse_set(const char *p, struct sp_nrset *s)
{
	memset(s, 0, sizeof(*s));
	if (p[0] != ' ' || (p[1] != '0' && p[1] != '1') || p[2] != ' ')
		return false;
	s->unknown = p[1] == '1';
	p += 3;
	while (*p) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || errno || v >= SP_NRSET_BITS)
			return false;
		sp_nrset_add(s, (unsigned)v);
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return false;
	}
	return true;
}

static struct libcmap *cache_read(const char *file, const struct sp_obj *o)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	if (sp_file_read_all(file, 64 << 20, &data, &len, NULL) < 0)
		return NULL;
	if (strlen(data) != len)
		return NULL; /* a NUL inside: not ours */
	struct libcmap *m = xcalloc(1, sizeof(*m));
	size_t want = 0, line = 0;
	bool ended = false, ok = true, have_i = false;
	char *save = NULL;
	for (char *l = strtok_r(data, "\n", &save); l && ok; l = strtok_r(NULL, "\n", &save), line++) {
		if (ended) {
			ok = false;
		} else if (line == 0) {
			ok = !strcmp(l, CACHE_MAGIC);
		} else if (line == 1) {
			ok = !strncmp(l, "build-id ", 9) && !strcmp(l + 9, o->build_id);
		} else if (line == 2) {
			ok = !strncmp(l, "abi ", 4) && !strcmp(l + 4, sp_abi_name(o->abi));
		} else if (line == 3) {
			char *end;
			ok = !strncmp(l, "functions ", 10) && (want = strtoul(l + 10, &end, 10)) <= 1000000 && !*end;
			if (ok)
				m->fns = xcalloc(want ? want : 1, sizeof(*m->fns));
		} else if (!strncmp(l, "f ", 2)) {
			char *sp = strchr(l + 2, ' ');
			ok = sp && m->nfns < want;
			if (ok) {
				struct libc_fn *f = &m->fns[m->nfns];
				ok = parse_set(sp, &f->set);
				f->name = xstrndup(l + 2, (size_t)(sp - (l + 2)));
				m->nfns++;
				ok = ok && (m->nfns == 1 || strcmp(m->fns[m->nfns - 2].name, f->name) < 0);
			}
		} else if (!strncmp(l, "i ", 2) || !strcmp(l, "i")) {
			ok = !have_i && parse_set(l + 1, &m->indirect);
			have_i = true;
		} else if (!strcmp(l, "end")) {
			ended = true;
		} else {
			ok = false;
		}
	}
	if (!ok || !ended || !have_i || m->nfns != want) {
		sp_debug("libc map cache '%s' is invalid; rebuilding it", file);
		libcmap_free(m);
		return NULL;
	}
	return m;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct libcmap *get_libcmap(struct sp_reach_ctx *c, const struct sp_obj *o)
{
	_cleanup_free_ char *real = realpath(o->path, NULL);
	for (size_t i = 0; i < c->nmaps; i++)
		if (real && !strcmp(c->maps[i]->path, real))
			return c->maps[i];
	double t0 = now_s();
	struct libcmap *m = NULL;
	_cleanup_free_ char *file = NULL;
	if (c->cache_dir && o->build_id) {
		file = cache_file(c, o);
		m = cache_read(file, o);
		if (m)
			c->stats.libc_cached++;
	}
	if (!m && o->headers_only) {
		/* the cache went away between the two reads: nothing to
		 * build from; an empty map says so */
		sp_warn("libc map cache '%s' vanished; C library imports are not followed", file ? file : "?");
		m = xcalloc(1, sizeof(*m));
	}
	if (!m) {
		m = libcmap_build(o);
		c->stats.libc_built++;
		if (file) {
			struct sp_err err = {0};
			struct cache_write w = {m, o};
			int r = sp_mkdir_p(c->cache_dir);
			if (r < 0 || sp_outfile_write(file, cache_write_fn, &w, &err) < 0)
				sp_debug("cannot write the libc map cache '%s': %s", file,
					 r < 0 ? strerror(-r) : err.msg);
		}
	}
	c->stats.libc_seconds += now_s() - t0;
	if (file) {
		free(c->stats.libc_cache_file);
		c->stats.libc_cache_file = steal_ptr(file);
	}
	m->path = real ? steal_ptr(real) : xstrdup(o->path);
	c->maps = xrealloc(c->maps, (c->nmaps + 1) * sizeof(*c->maps));
	c->maps[c->nmaps++] = m;
	return m;
}

static const struct libc_fn *libc_fn(const struct libcmap *m, const char *name)
{
	struct libc_fn key = {.name = (char *)(uintptr_t)name};
	return m->nfns ? bsearch(&key, m->fns, m->nfns, sizeof(*m->fns), cmp_fn) : NULL;
}

/* ---- one executable ------------------------------------------------------- */

struct acc {
	struct sp_reach_exe *e;
	int64_t base;
	/* per set index: best reason so far */
	char *via[SP_NRSET_BITS];
	uint32_t score[SP_NRSET_BITS];
	char **unknown;
	size_t nunknown;
};

static void offer(struct acc *a, unsigned i, uint32_t score, const char *via)
{
	if (a->via[i] && a->score[i] <= score)
		return;
	free(a->via[i]);
	a->via[i] = xstrdup(via);
	a->score[i] = score;
}

static void offer_set(struct acc *a, const struct sp_nrset *s, uint32_t score, const char *via)
{
	for (unsigned i = 0; i < SP_NRSET_BITS; i++)
		if (sp_nrset_has(s, i))
			offer(a, i, score, via);
}

static void note_unknown(struct acc *a, const char *what)
{
	for (size_t i = 0; i < a->nunknown; i++)
		if (!strcmp(a->unknown[i], what))
			return;
	a->unknown = xrealloc(a->unknown, (a->nunknown + 2) * sizeof(char *));
	a->unknown[a->nunknown++] = xstrdup(what);
	a->unknown[a->nunknown] = NULL;
}

static void add_note(struct sp_reach_exe *e, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_note(struct sp_reach_exe *e, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	e->notes = xrealloc(e->notes, (*n + 2) * sizeof(char *));
	e->notes[(*n)++] = s;
	e->notes[*n] = NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Direct instructions of o. */
static void add_sites(struct acc *a, const struct sp_obj *o, uint32_t score)
{
	for (size_t i = 0; i < o->nsites; i++) {
		const struct sp_obj_site *s = &o->sites[i];
		const char *fn = o->funcs[s->func].name;
		_cleanup_free_ char *where = xasprintf("%s+0x%llx%s%s%s", o->path, (unsigned long long)s->addr,
						       fn ? " (" : "", fn ? fn : "", fn ? ")" : "");
		const char *what = s->via_libc ? "syscall() call" : "syscall insn";
		if (s->nr == SP_NR_UNKNOWN || s->nr < a->base || s->nr - a->base >= SP_NRSET_BITS) {
			_cleanup_free_ char *u = xasprintf("%s with a run-time number at %s", what, where);
			note_unknown(a, u);
			continue;
		}
		_cleanup_free_ char *via = xasprintf("%s at %s", what, where);
		offer(a, (unsigned)(s->nr - a->base), score, via);
	}
}

static int cmp_call(const void *x, const void *y)
{
	const struct sp_reach_call *a = x, *b = y;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

int sp_reach_exe(struct sp_reach_ctx *c, const char *path, struct sp_reach_exe **out, struct sp_err *err)
{
	struct sp_obj *exe;
	int r = get_obj(c, path, &exe, err);
	if (r < 0)
		return r;
	struct sp_reach_exe *e = xcalloc(1, sizeof(*e));
	e->path = xstrdup(path);
	e->abi = exe->abi;
	e->linkage = exe->go ? SP_REACH_GO : exe->kind == SP_OBJ_STATIC ? SP_REACH_STATIC : SP_REACH_DYNAMIC;
	size_t nnotes = 0;
	e->notes = xcalloc(1, sizeof(char *));

	/* the objects, in the loader's breadth-first order */
	struct sp_obj **objs = xcalloc(1, sizeof(*objs));
	size_t nobjs = 0;
	objs[nobjs++] = exe;
	if (exe->interp) {
		struct sp_obj *ld;
		struct sp_err e2 = {0};
		if (get_obj(c, exe->interp, &ld, &e2) == 0) {
			objs = xrealloc(objs, (nobjs + 1) * sizeof(*objs));
			objs[nobjs++] = ld;
		} else {
			add_note(e, &nnotes, "interpreter not analysed: %s", e2.msg);
		}
	}
	for (size_t i = 0; i < nobjs; i++) {
		for (char **n = objs[i]->needed; *n; n++) {
			_cleanup_free_ char *p = sp_loader_find(c->ldc, objs[i], exe, *n);
			struct sp_obj *lib;
			struct sp_err e2 = {0};
			if (!p) {
				add_note(e, &nnotes, "'%s' (needed by %s) not found", *n, objs[i]->path);
				continue;
			}
			if (get_obj(c, p, &lib, &e2) < 0) {
				add_note(e, &nnotes, "'%s' not analysed: %s", p, e2.msg);
				continue;
			}
			bool dup = false;
			for (size_t k = 0; k < nobjs && !dup; k++)
				dup = objs[k] == lib;
			if (!dup) {
				objs = xrealloc(objs, (nobjs + 1) * sizeof(*objs));
				objs[nobjs++] = lib;
			}
		}
	}
	e->objects = xcalloc(nobjs + 1, sizeof(char *));
	for (size_t i = 0; i < nobjs; i++)
		e->objects[i] = xstrdup(objs[i]->path);

	struct acc *a = xcalloc(1, sizeof(*a));
	a->e = e;
	a->base = sp_abi_nr_base(exe->abi);
	const struct sp_obj *libc = NULL;
	for (size_t i = 0; i < nobjs && !libc; i++)
		if (is_libc(objs[i]) && objs[i]->abi == exe->abi)
			libc = objs[i];
	const struct libcmap *map = libc ? get_libcmap(c, libc) : NULL;
	if (e->linkage == SP_REACH_STATIC)
		add_note(e, &nnotes, "statically linked: direct system-call instructions only (they include its libc)");
	if (e->linkage == SP_REACH_GO)
		add_note(e, &nnotes, "Go binary: direct system-call instructions only; Go's runtime passes most "
				     "numbers in registers (listed as run-time numbers)");
	if (exe->kind == SP_OBJ_DYNAMIC && !libc)
		add_note(e, &nnotes, "no C library among the loaded objects: imports are not followed");

	for (size_t i = 0; i < nobjs; i++) {
		const struct sp_obj *o = objs[i];
		if (o->abi != exe->abi) {
			add_note(e, &nnotes, "'%s' is %s, not %s: skipped", o->path, sp_abi_name(o->abi),
				 sp_abi_name(exe->abi));
			continue;
		}
		if (o == libc)
			continue;
		bool is_exe = o == exe, is_ld = exe->interp && i == 1;
		add_sites(a, o, is_exe ? 0 : is_ld ? 300000 : 200000);
		if (!map)
			continue;
		for (size_t k = 0; k < o->nimports; k++) {
			const char *name = o->imports[k];
			/* the first object in scope order that defines it */
			const struct sp_obj *def = NULL;
			for (size_t j = 0; j < nobjs && !def; j++)
				if (objs[j] != o && sp_obj_export(objs[j], name))
					def = objs[j];
			if (def != libc)
				continue; /* another library: taken whole anyway */
			const struct libc_fn *f = libc_fn(map, name);
			if (!f)
				continue;
			const char *soname = libc->soname;
			_cleanup_free_ char *via = is_exe ? xasprintf("%s@%s", name, soname)
							  : xasprintf("%s@%s imported by %s", name, soname,
								      base_name(o->path));
			size_t sz = sp_nrset_count(&f->set);
			offer_set(a, &f->set, (uint32_t)(is_exe ? 1000 + sz : 100000 + sz), via);
			/* syscall(): its call sites are resolved in the
			 * object itself (sp_obj_site.via_libc) */
			bool resolved = false;
			for (size_t j = 0; j < o->nsites && !resolved; j++)
				resolved = o->sites[j].via_libc;
			if (f->set.unknown && !(resolved && !strcmp(name, "syscall"))) {
				_cleanup_free_ char *u = xasprintf("%s (may pass a number chosen at run time)", via);
				note_unknown(a, u);
			}
		}
	}
	if (map) {
		_cleanup_free_ char *via = xasprintf("%s start-up or a libc function pointer", libc->soname);
		offer_set(a, &map->indirect, 400000, via);
	}

	for (unsigned i = 0; i < SP_NRSET_BITS; i++) {
		if (!a->via[i])
			continue;
		e->calls = xrealloc(e->calls, (e->ncalls + 1) * sizeof(*e->calls));
		int64_t nr = a->base + i;
		e->calls[e->ncalls++] =
			(struct sp_reach_call){nr, sp_abi_syscall_name(exe->abi, nr), steal_ptr(a->via[i]), a->score[i]};
	}
	sort_(e->calls, e->ncalls, sizeof(*e->calls), cmp_call);
	e->unknown = a->unknown ? a->unknown : xcalloc(1, sizeof(char *));
	e->nunknown = a->nunknown;
	free(a);
	free(objs);
	*out = e;
	return 0;
}

void sp_reach_exe_free(struct sp_reach_exe *e)
{
	if (!e)
		return;
	free(e->path);
	sp_strv_free(e->objects);
	sp_strv_free(e->notes);
	for (size_t i = 0; i < e->ncalls; i++) {
		free(e->calls[i].name);
		free(e->calls[i].via);
	}
	free(e->calls);
	sp_strv_free(e->unknown);
	free(e);
}

const struct sp_reach_call *sp_reach_find(const struct sp_reach_exe *e, int64_t nr)
{
	struct sp_reach_call key = {.nr = nr};
	return e->ncalls ? bsearch(&key, e->calls, e->ncalls, sizeof(*e->calls), cmp_call) : NULL;
}
