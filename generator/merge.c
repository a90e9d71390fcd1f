/* SPDX-License-Identifier: MIT */
#include "generator/merge.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

struct sp_recording *sp_merge_new(void)
{
	struct sp_recording *rec = sp_recording_new();
	rec->meta.runs = 0; /* sp_recording_merge() adds each source's runs */
	return rec;
}

static bool strv_equal(char *const *a, char *const *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return false;
	return !*a && !*b;
}

static void strv_push(char ***v, const char *s)
{
	size_t n = sp_strv_len(*v);
	*v = xrealloc(*v, (n + 2) * sizeof(char *));
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *dst becomes the sorted distinct values of *dst (a ", "-joined set) and
 * add.  A value equal to the current one leaves it untouched, which is the
 * common case of runs on one machine. */
static void join_distinct(char **dst, const char *add)
{
	if (!add || (*dst && !strcmp(*dst, add)))
		return;
	if (!*dst) {
		*dst = xstrdup(add);
		return;
	}
	char **vals = NULL;
	_cleanup_free_ char *cur = xstrdup(*dst);
	char *save = NULL;
	for (char *t = strtok_r(cur, ",", &save); t; t = strtok_r(NULL, ",", &save))
		strv_push(&vals, t + (*t == ' '));
	bool present = false;
	for (size_t i = 0; vals[i]; i++)
		present |= !strcmp(vals[i], add);
	if (!present)
		strv_push(&vals, add);
	size_t n = sp_strv_len(vals);
	qsort(vals, n, sizeof(*vals), cmp_str);
	struct sp_buf b = SP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		sp_buf_printf(&b, "%s%s", i ? ", " : "", vals[i]);
	sp_strv_free(vals);
	free(*dst);
	*dst = sp_buf_steal(&b);
}

static void merge_meta(struct sp_recording_meta *d, const struct sp_recording_meta *s, bool first,
		       const char *source)
{
	if (s->sources && s->sources[0]) {
		for (char **p = s->sources; *p; p++)
			strv_push(&d->sources, *p);
	} else if (source) {
		strv_push(&d->sources, source);
	}
	/* A merge of container runs stays a container recording (runtime and
	 * the other strings joined when they differ); one host run in it
	 * makes it a host recording, which needs the runtime's calls. */
	if (first) {
		d->container = sp_container_meta_dup(s->container);
	} else if (!s->container) {
		sp_container_meta_free(d->container);
		d->container = NULL;
	} else if (d->container) {
		join_distinct(&d->container->id, s->container->id);
		join_distinct(&d->container->runtime, s->container->runtime);
		join_distinct(&d->container->bundle, s->container->bundle);
		join_distinct(&d->container->rootfs, s->container->rootfs);
		join_distinct(&d->container->hostname, s->container->hostname);
		join_distinct(&d->container->observed_from, s->container->observed_from);
	}
	if (first) {
		d->command = sp_strv_dup(s->command);
		d->exit_status = s->exit_status;
		d->exit_signal = s->exit_signal;
	} else {
		if (!strv_equal(d->command, s->command)) {
			sp_strv_free(d->command);
			d->command = NULL;
		}
		if (d->exit_status != s->exit_status)
			d->exit_status = -1;
		if (d->exit_signal != s->exit_signal)
			d->exit_signal = 0;
	}
	join_distinct(&d->tool_version, s->tool_version);
	join_distinct(&d->kernel, s->kernel);
	join_distinct(&d->machine, s->machine);
	join_distinct(&d->libc, s->libc);
	join_distinct(&d->tracing, s->tracing);
	join_distinct(&d->tracing_note, s->tracing_note);
	join_distinct(&d->backend, s->backend);
	join_distinct(&d->baseline, s->baseline);
	join_distinct(&d->incomplete_reason, s->incomplete_reason);
	/* RFC 3339 UTC timestamps order lexicographically. */
	if (s->start_time && (!d->start_time || strcmp(s->start_time, d->start_time) < 0)) {
		free(d->start_time);
		d->start_time = xstrdup(s->start_time);
	}
	if (s->nattached) {
		d->attached = xrealloc(d->attached, (d->nattached + s->nattached) * sizeof(pid_t));
		memcpy(d->attached + d->nattached, s->attached, s->nattached * sizeof(pid_t));
		d->nattached += s->nattached;
	}
	for (size_t i = 0; i < s->nescaped; i++) {
		d->escaped = xrealloc(d->escaped, (d->nescaped + 1) * sizeof(char *));
		d->escaped[d->nescaped++] = xstrdup(s->escaped[i]);
	}
}

/* A sum held at its maximum: merging real recordings should not fail,
 * and a wrapped (negative) count would make the result unreadable. */
static void warn_saturated(void *ctx, const struct sp_sysc *s, const char *field, uint64_t max)
{
	const char *source = *(const char **)ctx;
	char buf[48];
	if (s)
		sp_warn("merge: %s %s: \"%s\" adds up to more than %llu (the most a recording holds) with '%s': "
			"kept at %llu",
			sp_abi_name(s->abi), sp_sysc_display_name(s, buf, sizeof(buf)), field, (unsigned long long)max,
			source ? source : "-", (unsigned long long)max);
	else
		sp_warn("merge: \"%s\" adds up to more than %llu (the most a recording holds) with '%s': kept at "
			"%llu",
			field, (unsigned long long)max, source ? source : "-", (unsigned long long)max);
}

void sp_merge_add(struct sp_recording *dst, const struct sp_recording *src, const char *source)
{
	bool first = dst->meta.runs == 0;
	merge_meta(&dst->meta, &src->meta, first, source);
	/* Counts, runs_seen, sites, argument sets, executables, runs,
	 * processes, threads, duration and completeness. */
	sp_recording_merge(dst, src, warn_saturated, &source);
}
