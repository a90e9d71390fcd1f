/* SPDX-License-Identifier: MIT */
#include "core/recording.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct sp_recording *sp_recording_new(void)
{
	struct sp_recording *rec = xcalloc(1, sizeof(*rec));
	rec->cap = 256;
	rec->slots = xcalloc(rec->cap, sizeof(*rec->slots));
	rec->meta.exit_status = -1;
	rec->meta.runs = 1;
	rec->meta.complete = true;
	return rec;
}

void sp_callsite_release(struct sp_callsite *site)
{
	free(site->exe);
	for (size_t i = 0; i < site->nframes; i++) {
		free(site->frames[i].module);
		free(site->frames[i].symbol);
	}
	free(site->frames);
	memset(site, 0, sizeof(*site));
}

static void sysc_free(struct sp_sysc *s)
{
	free(s->name);
	free(s->first_exe);
	free(s->errs);
	for (size_t i = 0; i < s->nsites; i++)
		sp_callsite_release(&s->sites[i]);
	free(s);
}

char **sp_strv_dup(char *const *v)
{
	if (!v)
		return NULL;
	size_t n = sp_strv_len(v);
	char **d = xcalloc(n + 1, sizeof(*d));
	for (size_t i = 0; i < n; i++)
		d[i] = xstrdup(v[i]);
	return d;
}

void sp_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

size_t sp_strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void sp_recording_free(struct sp_recording *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->cap; i++)
		if (rec->slots[i])
			sysc_free(rec->slots[i]);
	free(rec->slots);
	struct sp_recording_meta *m = &rec->meta;
	free(m->tool_version);
	sp_strv_free(m->command);
	free(m->attached);
	for (size_t i = 0; i < m->nexecutables; i++)
		free(m->executables[i]);
	free(m->executables);
	free(m->kernel);
	free(m->machine);
	free(m->libc);
	free(m->start_time);
	free(m->incomplete_reason);
	free(m->tracing);
	free(m->tracing_note);
	free(m->backend);
	free(m->baseline);
	sp_strv_free(m->sources);
	for (size_t i = 0; i < m->nescaped; i++)
		free(m->escaped[i]);
	free(m->escaped);
	sp_container_meta_free(m->container);
	for (size_t i = 0; i < m->io_uring.nops; i++)
		free(m->io_uring.ops[i]);
	free(m->io_uring.ops);
	for (size_t i = 0; i < m->nunfaithful; i++) {
		free(m->unfaithful[i].path);
		free(m->unfaithful[i].reason);
	}
	free(m->unfaithful);
	free(rec);
}

struct sp_container_meta *sp_container_meta_dup(const struct sp_container_meta *c)
{
	if (!c)
		return NULL;
	struct sp_container_meta *d = xcalloc(1, sizeof(*d));
	d->id = c->id ? xstrdup(c->id) : NULL;
	d->runtime = c->runtime ? xstrdup(c->runtime) : NULL;
	d->bundle = c->bundle ? xstrdup(c->bundle) : NULL;
	d->rootfs = c->rootfs ? xstrdup(c->rootfs) : NULL;
	d->hostname = c->hostname ? xstrdup(c->hostname) : NULL;
	d->observed_from = c->observed_from ? xstrdup(c->observed_from) : NULL;
	return d;
}

void sp_container_meta_free(struct sp_container_meta *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->runtime);
	free(c->bundle);
	free(c->rootfs);
	free(c->hostname);
	free(c->observed_from);
	free(c);
}

static size_t hash_key(enum sp_abi abi, int64_t nr)
{
	uint64_t k = ((uint64_t)(unsigned)abi << 56) ^ (uint64_t)nr;
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

static void rehash(struct sp_recording *rec)
{
	size_t ncap = rec->cap * 2;
	struct sp_sysc **ns = xcalloc(ncap, sizeof(*ns));
	for (size_t i = 0; i < rec->cap; i++) {
		struct sp_sysc *s = rec->slots[i];
		if (!s)
			continue;
		size_t h = hash_key(s->abi, s->nr) & (ncap - 1);
		while (ns[h])
			h = (h + 1) & (ncap - 1);
		ns[h] = s;
	}
	free(rec->slots);
	rec->slots = ns;
	rec->cap = ncap;
}

struct sp_sysc *sp_recording_sysc(struct sp_recording *rec, enum sp_abi abi, int64_t nr, bool create)
{
	size_t h = hash_key(abi, nr) & (rec->cap - 1);
	for (;;) {
		struct sp_sysc *s = rec->slots[h];
		if (!s)
			break;
		if (s->abi == abi && s->nr == nr)
			return s;
		h = (h + 1) & (rec->cap - 1);
	}
	if (!create)
		return NULL;
	struct sp_sysc *s = xcalloc(1, sizeof(*s));
	s->abi = abi;
	s->nr = nr;
	s->name = sp_abi_syscall_name(abi, nr);
	s->runs_seen = 1;
	rec->slots[h] = s;
	rec->count++;
	if (rec->count * 2 > rec->cap)
		rehash(rec);
	return s;
}

const struct sp_sysc *sp_recording_find(const struct sp_recording *rec, enum sp_abi abi, int64_t nr)
{
	for (size_t h = hash_key(abi, nr) & (rec->cap - 1); rec->slots[h]; h = (h + 1) & (rec->cap - 1))
		if (rec->slots[h]->abi == abi && rec->slots[h]->nr == nr)
			return rec->slots[h];
	return NULL;
}

static int cmp_sysc(const void *pa, const void *pb)
{
	const struct sp_sysc *a = *(struct sp_sysc *const *)pa;
	const struct sp_sysc *b = *(struct sp_sysc *const *)pb;
	if (a->abi != b->abi)
		return (int)a->abi - (int)b->abi;
	if (a->name && b->name) {
		int c = strcmp(a->name, b->name);
		if (c)
			return c;
	} else if (a->name || b->name) {
		return a->name ? -1 : 1;
	}
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

struct sp_sysc **sp_recording_sorted(const struct sp_recording *rec, size_t *n)
{
	struct sp_sysc **v = xcalloc(rec->count + 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < rec->cap; i++)
		if (rec->slots[i])
			v[k++] = rec->slots[i];
	qsort(v, k, sizeof(*v), cmp_sysc);
	*n = k;
	return v;
}

uint32_t sp_recording_abis(const struct sp_recording *rec)
{
	uint32_t m = 0;
	for (size_t i = 0; i < rec->cap; i++)
		if (rec->slots[i])
			m |= sp_abi_bit(rec->slots[i]->abi);
	return m;
}

bool sp_add_sat(uint64_t *v, uint64_t add, uint64_t max)
{
	if (*v > max || add > max - *v) {
		*v = max;
		return false;
	}
	*v += add;
	return true;
}

/* The errs[] slot of err, created with count 0. */
static struct sp_errcount *errcount(struct sp_sysc *s, int err)
{
	size_t i = 0;
	while (i < s->nerrs && s->errs[i].err < err)
		i++;
	if (i == s->nerrs || s->errs[i].err != err) {
		xgrow((void **)&s->errs, &s->cap_errs, s->nerrs + 1, sizeof(*s->errs));
		memmove(&s->errs[i + 1], &s->errs[i], (s->nerrs - i) * sizeof(*s->errs));
		s->errs[i] = (struct sp_errcount){.err = err};
		s->nerrs++;
	}
	return &s->errs[i];
}

bool sp_sysc_add_error(struct sp_sysc *s, int err, uint64_t count)
{
	bool ok = sp_add_sat(&errcount(s, err)->count, count, SP_COUNT_MAX);
	return sp_add_sat(&s->errors, count, SP_COUNT_MAX) && ok;
}

bool sp_argset_add(struct sp_argset *set, uint64_t v)
{
	set->used = true;
	size_t lo = 0, hi = set->nvalues;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (set->values[mid] == v)
			return false;
		if (set->values[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (set->nvalues >= SP_MAX_ARG_VALUES) {
		set->overflow = true;
		return false;
	}
	memmove(&set->values[lo + 1], &set->values[lo], (set->nvalues - lo) * sizeof(set->values[0]));
	set->values[lo] = v;
	set->nvalues++;
	return true;
}

static bool streq_null(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool sp_callsite_equal(const struct sp_callsite *a, const struct sp_callsite *b)
{
	if (a->nframes != b->nframes || !streq_null(a->exe, b->exe))
		return false;
	for (size_t i = 0; i < a->nframes; i++)
		if (a->frames[i].offset != b->frames[i].offset ||
		    !streq_null(a->frames[i].module, b->frames[i].module))
			return false;
	return true;
}

bool sp_sysc_add_site(struct sp_sysc *s, struct sp_callsite *site)
{
	for (size_t i = 0; i < s->nsites; i++) {
		if (sp_callsite_equal(&s->sites[i], site)) {
			sp_callsite_release(site);
			return false;
		}
	}
	if (s->nsites >= SP_MAX_CALLSITES) {
		s->sites_dropped++;
		sp_callsite_release(site);
		return false;
	}
	s->sites[s->nsites++] = *site;
	memset(site, 0, sizeof(*site));
	return true;
}

bool sp_strset_add(char ***v, size_t *n, const char *s)
{
	size_t lo = 0, hi = *n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp((*v)[mid], s);
		if (!c)
			return false;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	memmove(&(*v)[lo + 1], &(*v)[lo], (*n - lo) * sizeof(char *));
	(*v)[lo] = xstrdup(s);
	(*n)++;
	return true;
}

void sp_recording_add_exe(struct sp_recording *rec, const char *path)
{
	sp_strset_add(&rec->meta.executables, &rec->meta.nexecutables, path);
}

bool sp_recording_add_unfaithful(struct sp_recording *rec, const char *path, const char *reason)
{
	struct sp_recording_meta *m = &rec->meta;
	size_t at = 0;
	for (; at < m->nunfaithful; at++) {
		int c = strcmp(m->unfaithful[at].path, path);
		if (!c)
			c = strcmp(m->unfaithful[at].reason, reason);
		if (!c)
			return false;
		if (c > 0)
			break;
	}
	m->unfaithful = xrealloc(m->unfaithful, (m->nunfaithful + 1) * sizeof(*m->unfaithful));
	memmove(&m->unfaithful[at + 1], &m->unfaithful[at], (m->nunfaithful - at) * sizeof(*m->unfaithful));
	m->unfaithful[at] = (struct sp_unfaithful_exec){xstrdup(path), xstrdup(reason)};
	m->nunfaithful++;
	return true;
}

void sp_recording_uring_merge(struct sp_recording_uring *dst, const struct sp_recording_uring *src)
{
	if (!src->used)
		return;
	dst->ops_complete = (dst->used ? dst->ops_complete : true) && src->ops_complete;
	dst->used = true;
	dst->sqpoll |= src->sqpoll;
	for (size_t i = 0; i < src->nops; i++)
		sp_strset_add(&dst->ops, &dst->nops, src->ops[i]);
}

static void copy_site(struct sp_callsite *dst, const struct sp_callsite *src)
{
	dst->exe = src->exe ? xstrdup(src->exe) : NULL;
	dst->nframes = src->nframes;
	dst->frames = xcalloc(src->nframes ? src->nframes : 1, sizeof(*dst->frames));
	for (size_t i = 0; i < src->nframes; i++) {
		dst->frames[i] = src->frames[i];
		dst->frames[i].module = src->frames[i].module ? xstrdup(src->frames[i].module) : NULL;
		dst->frames[i].symbol = src->frames[i].symbol ? xstrdup(src->frames[i].symbol) : NULL;
	}
}

/* One saturating sum of a merge: *bits records which fields were reported. */
static void merge_sum(uint64_t *v, uint64_t add, uint64_t max, uint32_t *bits, uint32_t bit, sp_saturated_fn fn,
		      void *ctx, const struct sp_sysc *s, const char *field)
{
	if (sp_add_sat(v, add, max) || (*bits & bit))
		return;
	*bits |= bit;
	if (fn)
		fn(ctx, s, field, max);
}

static void merge_sum32(uint32_t *v, uint32_t add, uint32_t *bits, uint32_t bit, sp_saturated_fn fn, void *ctx,
			const struct sp_sysc *s, const char *field)
{
	uint64_t w = *v;
	merge_sum(&w, add, UINT32_MAX, bits, bit, fn, ctx, s, field);
	*v = (uint32_t)w;
}

void sp_recording_merge(struct sp_recording *dst, const struct sp_recording *src, sp_saturated_fn fn, void *ctx)
{
	size_t n;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(src, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sp_sysc *s = v[i];
		bool existed = sp_recording_sysc(dst, s->abi, s->nr, false) != NULL;
		struct sp_sysc *d = sp_recording_sysc(dst, s->abi, s->nr, true);
		if (!existed) {
			d->runs_seen = 0;
			d->first_pid = s->first_pid;
			d->first_exe = s->first_exe ? xstrdup(s->first_exe) : NULL;
			if (!d->name && s->name)
				d->name = xstrdup(s->name);
		}
		merge_sum(&d->calls, s->calls, SP_COUNT_MAX, &d->saturated, SP_SAT_CALLS, fn, ctx, d, "calls");
		merge_sum(&d->time_ns, s->time_ns, SP_COUNT_MAX, &d->saturated, SP_SAT_TIME, fn, ctx, d, "time_ns");
		merge_sum32(&d->runs_seen, s->runs_seen, &d->saturated, SP_SAT_RUNS_SEEN, fn, ctx, d, "runs_seen");
		d->flags &= s->flags; /* baseline-only if baseline-only in both */
		if (!existed)
			d->flags = s->flags;
		for (size_t e = 0; e < s->nerrs; e++) {
			struct sp_errcount *ec = errcount(d, s->errs[e].err);
			if (!sp_add_sat(&ec->count, s->errs[e].count, SP_COUNT_MAX) && !ec->saturated) {
				ec->saturated = true;
				char field[64];
				const char *name = sp_errno_name(ec->err);
				if (name)
					snprintf(field, sizeof(field), "errnos.%s", name);
				else
					snprintf(field, sizeof(field), "errnos.%d", ec->err);
				if (fn)
					fn(ctx, d, field, SP_COUNT_MAX);
			}
			merge_sum(&d->errors, s->errs[e].count, SP_COUNT_MAX, &d->saturated, SP_SAT_ERRORS, fn, ctx, d,
				  "errors");
		}
		for (size_t k = 0; k < s->nsites; k++) {
			struct sp_callsite c;
			copy_site(&c, &s->sites[k]);
			sp_sysc_add_site(d, &c);
		}
		merge_sum32(&d->sites_dropped, s->sites_dropped, &d->saturated, SP_SAT_SITES_DROPPED, fn, ctx, d,
			    "sites_dropped");
		for (int a = 0; a < 6; a++) {
			const struct sp_argset *as = &s->args[a];
			if (!as->used)
				continue;
			for (size_t k = 0; k < as->nvalues; k++)
				sp_argset_add(&d->args[a], as->values[k]);
			d->args[a].used = true;
			d->args[a].overflow |= as->overflow;
		}
	}
	for (size_t i = 0; i < src->meta.nexecutables; i++)
		sp_recording_add_exe(dst, src->meta.executables[i]);
	struct sp_recording_meta *m = &dst->meta;
	merge_sum32(&m->runs, src->meta.runs, &m->saturated, SP_SAT_RUNS, fn, ctx, NULL, "meta.runs");
	merge_sum(&m->processes, src->meta.processes, SP_COUNT_MAX, &m->saturated, SP_SAT_PROCESSES, fn, ctx, NULL,
		  "meta.processes");
	merge_sum(&m->threads, src->meta.threads, SP_COUNT_MAX, &m->saturated, SP_SAT_THREADS, fn, ctx, NULL,
		  "meta.threads");
	merge_sum(&m->duration_ns, src->meta.duration_ns, SP_COUNT_MAX, &m->saturated, SP_SAT_DURATION, fn, ctx,
		  NULL, "meta.duration_ns");
	merge_sum(&m->lost_events, src->meta.lost_events, SP_COUNT_MAX, &m->saturated, SP_SAT_LOST, fn, ctx, NULL,
		  "meta.lost_events");
	sp_recording_uring_merge(&dst->meta.io_uring, &src->meta.io_uring);
	for (size_t i = 0; i < src->meta.nunfaithful; i++)
		sp_recording_add_unfaithful(dst, src->meta.unfaithful[i].path, src->meta.unfaithful[i].reason);
	if (!src->meta.complete)
		dst->meta.complete = false;
}

const char *sp_sysc_display_name(const struct sp_sysc *s, char *buf, size_t len)
{
	if (s->name)
		return s->name;
	snprintf(buf, len, "syscall_%lld", (long long)s->nr);
	return buf;
}
