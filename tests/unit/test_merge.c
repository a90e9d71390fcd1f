/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "generator/merge.h"
#include "tests/unit/unit.h"

static struct sp_recording *run(const char *kernel, const char *cmd, int status, const int64_t *nrs, size_t n)
{
	struct sp_recording *rec = sp_recording_new();
	rec->meta.kernel = xstrdup(kernel);
	_cleanup_free_ char *c = xstrdup(cmd);
	char *argv[] = {c, NULL};
	rec->meta.command = sp_strv_dup(argv);
	rec->meta.exit_status = status;
	rec->meta.processes = 1;
	rec->meta.start_time = xstrdup(status ? "2026-01-02T00:00:00Z" : "2026-01-01T00:00:00Z");
	for (size_t i = 0; i < n; i++) {
		struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, nrs[i], true);
		s->calls = 2;
		s->first_exe = xstrdup(cmd);
	}
	return rec;
}

START_TEST(union_with_runs_seen)
{
	const int64_t a[] = {0, 1, 80 /* chdir */}, b[] = {0, 1, 39 /* getpid */};
	struct sp_recording *ra = run("6.1", "/bin/a", 0, a, 3);
	struct sp_recording *rb = run("6.1", "/bin/a", 0, b, 3);
	struct sp_recording *m = sp_merge_new();
	sp_merge_add(m, ra, "a.json");
	sp_merge_add(m, rb, "b.json");
	sp_merge_add(m, ra, "a2.json");
	ck_assert_uint_eq(m->meta.runs, 3);
	ck_assert_uint_eq(m->count, 4);
	ck_assert_uint_eq(sp_recording_sysc(m, SP_ABI_X86_64, 0, false)->runs_seen, 3);
	ck_assert_uint_eq(sp_recording_sysc(m, SP_ABI_X86_64, 0, false)->calls, 6);
	ck_assert_uint_eq(sp_recording_sysc(m, SP_ABI_X86_64, 80, false)->runs_seen, 2);
	ck_assert_uint_eq(sp_recording_sysc(m, SP_ABI_X86_64, 39, false)->runs_seen, 1);
	ck_assert_uint_eq(sp_strv_len(m->meta.sources), 3);
	ck_assert_str_eq(m->meta.sources[1], "b.json");
	ck_assert_str_eq(m->meta.kernel, "6.1");
	ck_assert_str_eq(m->meta.command[0], "/bin/a");
	ck_assert_int_eq(m->meta.exit_status, 0);
	ck_assert_uint_eq(m->meta.processes, 3);

	/* A merge of merges lists the original runs, and runs_seen stays
	 * bounded by runs. */
	struct sp_recording *m2 = sp_merge_new();
	sp_merge_add(m2, m, "m.json");
	sp_merge_add(m2, rb, "b2.json");
	ck_assert_uint_eq(m2->meta.runs, 4);
	ck_assert_uint_eq(sp_strv_len(m2->meta.sources), 4);
	ck_assert_str_eq(m2->meta.sources[3], "b2.json");
	ck_assert_uint_eq(sp_recording_sysc(m2, SP_ABI_X86_64, 39, false)->runs_seen, 2);
	ck_assert_uint_eq(sp_recording_sysc(m2, SP_ABI_X86_64, 0, false)->runs_seen, 4);
	sp_recording_free(m2);
	sp_recording_free(m);
	sp_recording_free(ra);
	sp_recording_free(rb);
}
END_TEST

START_TEST(disagreeing_metadata)
{
	const int64_t a[] = {0};
	struct sp_recording *ra = run("6.1", "/bin/a", 0, a, 1);
	struct sp_recording *rb = run("5.10", "/bin/b", 3, a, 1);
	rb->meta.complete = false;
	struct sp_recording *m = sp_merge_new();
	sp_merge_add(m, rb, "b.json");
	sp_merge_add(m, ra, "a.json");
	sp_merge_add(m, ra, "a.json");
	ck_assert_str_eq(m->meta.kernel, "5.10, 6.1");
	ck_assert_ptr_null(m->meta.command);
	ck_assert_int_eq(m->meta.exit_status, -1);
	ck_assert(!m->meta.complete);
	ck_assert_str_eq(m->meta.start_time, "2026-01-01T00:00:00Z"); /* earliest */
	sp_recording_free(m);
	sp_recording_free(ra);
	sp_recording_free(rb);
}
END_TEST

static struct sp_container_meta *container(const char *id, const char *runtime)
{
	struct sp_container_meta *k = xcalloc(1, sizeof(*k));
	k->id = xstrdup(id);
	k->runtime = xstrdup(runtime);
	return k;
}

/* Container runs stay a container recording (values joined); a host run
 * in the merge makes it a host recording. */
START_TEST(container_metadata)
{
	const int64_t a[] = {0};
	struct sp_recording *ra = run("6.1", "/bin/a", 0, a, 1);
	struct sp_recording *rb = run("6.1", "/bin/a", 0, a, 1);
	struct sp_recording *rh = run("6.1", "/bin/a", 0, a, 1);
	ra->meta.container = container("aaa", "crun");
	rb->meta.container = container("bbb", "runc");
	struct sp_recording *m = sp_merge_new();
	sp_merge_add(m, ra, "a.json");
	sp_merge_add(m, rb, "b.json");
	ck_assert_ptr_nonnull(m->meta.container);
	ck_assert_str_eq(m->meta.container->id, "aaa, bbb");
	ck_assert_str_eq(m->meta.container->runtime, "crun, runc");
	sp_merge_add(m, rh, "h.json");
	ck_assert_ptr_null(m->meta.container);
	sp_recording_free(m);
	m = sp_merge_new();
	sp_merge_add(m, rh, "h.json");
	sp_merge_add(m, ra, "a.json");
	ck_assert_ptr_null(m->meta.container);
	sp_recording_free(m);
	sp_recording_free(ra);
	sp_recording_free(rb);
	sp_recording_free(rh);
}
END_TEST

struct sat_log {
	int n;
	char fields[16][48];
};

static void note_saturated(void *ctx, const struct sp_sysc *s, const char *field, uint64_t max)
{
	struct sat_log *l = ctx;
	ck_assert(!s || s->nr == 0);
	ck_assert_uint_eq(max, strncmp(field, "runs", 4) && strcmp(field, "meta.runs") &&
					strcmp(field, "sites_dropped")
				       ? SP_COUNT_MAX
				       : UINT32_MAX);
	ck_assert_int_lt(l->n, 16);
	snprintf(l->fields[l->n++], sizeof(l->fields[0]), "%s", field);
}

/* Sums stop at their maximum instead of wrapping to negative numbers in
 * the written file, each field reported once however many inputs pass it. */
START_TEST(sums_saturate)
{
	const int64_t a[] = {0};
	struct sp_recording *r = run("6.1", "/bin/a", 0, a, 1);
	struct sp_sysc *s = sp_recording_sysc(r, SP_ABI_X86_64, 0, false);
	s->calls = SP_COUNT_MAX - 10;
	s->time_ns = SP_COUNT_MAX;
	ck_assert(sp_sysc_add_error(s, EAGAIN, SP_COUNT_MAX - 10));
	ck_assert(sp_sysc_add_error(s, EINTR, 2));
	ck_assert_uint_eq(s->errors, SP_COUNT_MAX - 8);
	ck_assert_uint_eq(s->errs[0].count, 2); /* EINTR (4) sorts before EAGAIN (11) */
	/* errors would pass the maximum: both held there, reported */
	struct sp_recording *r2 = sp_recording_new();
	struct sp_sysc *w = sp_recording_sysc(r2, SP_ABI_X86_64, 1, true);
	ck_assert(sp_sysc_add_error(w, EAGAIN, SP_COUNT_MAX));
	ck_assert(!sp_sysc_add_error(w, EAGAIN, 1));
	ck_assert_uint_eq(w->errors, SP_COUNT_MAX);
	ck_assert_uint_eq(w->errs[0].count, SP_COUNT_MAX);
	sp_recording_free(r2);
	s->runs_seen = 1;
	r->meta.runs = UINT32_MAX;
	r->meta.duration_ns = SP_COUNT_MAX / 2 + 1;
	struct sat_log log = {0};
	struct sp_recording *m = sp_recording_new();
	m->meta.runs = 0;
	sp_recording_merge(m, r, note_saturated, &log);
	ck_assert_int_eq(log.n, 0); /* the first input fits */
	sp_recording_merge(m, r, note_saturated, &log);
	sp_recording_merge(m, r, note_saturated, &log);
	const struct sp_sysc *d = sp_recording_sysc(m, SP_ABI_X86_64, 0, false);
	ck_assert_uint_eq(d->calls, SP_COUNT_MAX);
	ck_assert_uint_eq(d->time_ns, SP_COUNT_MAX);
	ck_assert_uint_eq(d->errors, SP_COUNT_MAX);
	ck_assert_uint_eq(d->errs[1].count, SP_COUNT_MAX); /* EAGAIN */
	ck_assert_uint_eq(d->errs[0].count, 6);            /* EINTR: small, exact */
	ck_assert_uint_eq(d->runs_seen, 3);
	ck_assert_uint_eq(m->meta.runs, UINT32_MAX);
	ck_assert_uint_eq(m->meta.duration_ns, SP_COUNT_MAX);
	ck_assert_uint_eq(m->meta.processes, 3);
	/* once each, in the order they passed */
	ck_assert_int_eq(log.n, 6);
	ck_assert_str_eq(log.fields[0], "calls");
	ck_assert_str_eq(log.fields[1], "time_ns");
	ck_assert_str_eq(log.fields[2], "errnos.EAGAIN");
	ck_assert_str_eq(log.fields[3], "errors");
	ck_assert_str_eq(log.fields[4], "meta.runs");
	ck_assert_str_eq(log.fields[5], "meta.duration_ns");
	sp_recording_free(m);
	sp_recording_free(r);

	uint64_t v = 5;
	ck_assert(sp_add_sat(&v, SP_COUNT_MAX - 5, SP_COUNT_MAX));
	ck_assert_uint_eq(v, SP_COUNT_MAX);
	ck_assert(!sp_add_sat(&v, 1, SP_COUNT_MAX));
	ck_assert_uint_eq(v, SP_COUNT_MAX);
	v = UINT64_MAX; /* already past: held at the maximum */
	ck_assert(!sp_add_sat(&v, 0, SP_COUNT_MAX));
	ck_assert_uint_eq(v, SP_COUNT_MAX);
}
END_TEST

static Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_add_test(tc, union_with_runs_seen);
	tcase_add_test(tc, disagreeing_metadata);
	tcase_add_test(tc, container_metadata);
	tcase_add_test(tc, sums_saturate);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(merge_suite)
