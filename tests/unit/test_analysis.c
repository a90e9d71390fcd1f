/* SPDX-License-Identifier: MIT */
/* analysis/: ELF scanning, libc map and its cache, loader search, unseen.
 * The victim (tests/helpers/unseen_victim.c) has exactly known sites; the
 * C library checks hold for glibc on x86_64 (Debian 12: glibc 2.36). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/loader.h"
#include "analysis/object.h"
#include "analysis/reach.h"
#include "analysis/unseen.h"
#include "core/recording.h"
#include "core/util.h"
#include "generator/generate.h"
#include "generator/risk.h"
#include "tests/unit/unit.h"

#define LIBC "/lib/x86_64-linux-gnu/libc.so.6"

static char *victim(void)
{
	const char *dir = getenv("SP_HELPERS");
	char *p = xasprintf("%s/unseen_victim", dir ? dir : "build/helpers");
	ck_assert_msg(access(p, X_OK) == 0, "victim '%s' missing: build it with 'make unit'", p);
	return p;
}

static bool has_nr(const struct sp_nrset *s, unsigned nr)
{
	return sp_nrset_has(s, nr);
}

START_TEST(victim_sites)
{
#if !defined(__x86_64__)
	return;
#endif
	_cleanup_free_ char *path = victim();
	struct sp_obj *o = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_obj_load(path, 0, &o, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(o->abi, SP_ABI_X86_64);
	ck_assert_int_eq(o->kind, SP_OBJ_DYNAMIC);
	ck_assert_ptr_nonnull(o->interp);
	bool libc = false;
	for (char **n = o->needed; *n; n++)
		libc |= !strcmp(*n, "libc.so.6");
	ck_assert(libc);
	bool getprio = false, sysc = false;
	for (size_t i = 0; i < o->nimports; i++) {
		getprio |= !strcmp(o->imports[i], "getpriority");
		sysc |= !strcmp(o->imports[i], "syscall");
	}
	ck_assert(getprio && sysc);
	/* exactly four sites: raw 110 (through edx and a jump), raw run-time,
	 * syscall(324), syscall(run-time) */
	ck_assert_uint_eq(o->nsites, 4);
	int raw110 = 0, rawunk = 0, lib324 = 0, libunk = 0;
	for (size_t i = 0; i < o->nsites; i++) {
		const struct sp_obj_site *s = &o->sites[i];
		const char *fn = o->funcs[s->func].name;
		if (!s->via_libc && s->nr == 110 && fn && !strcmp(fn, "raw_getppid"))
			raw110++;
		if (!s->via_libc && s->nr == SP_NR_UNKNOWN && fn && !strcmp(fn, "raw_any"))
			rawunk++;
		if (s->via_libc && s->nr == 324 && fn && !strcmp(fn, "main"))
			lib324++;
		if (s->via_libc && s->nr == SP_NR_UNKNOWN && fn && !strcmp(fn, "main"))
			libunk++;
	}
	ck_assert_int_eq(raw110, 1);
	ck_assert_int_eq(rawunk, 1);
	ck_assert_int_eq(lib324, 1);
	ck_assert_int_eq(libunk, 1);
	sp_obj_free(o);
}
END_TEST

/* The -m32 build of the victim (multilib machines): int 0x80 with the
 * number copied across a jump; syscall()'s number is on the stack, so
 * both of its calls are run-time numbers. */
START_TEST(victim_sites_i386)
{
	const char *dir = getenv("SP_HELPERS");
	_cleanup_free_ char *path = xasprintf("%s/unseen_victim-m32", dir ? dir : "build/helpers");
	if (access(path, R_OK) != 0)
		return; /* no -m32 toolchain: the Makefile did not build it */
	struct sp_obj *o = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_obj_load(path, 0, &o, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(o->abi, SP_ABI_I386);
	ck_assert_uint_eq(o->nsites, 4);
	int raw64 = 0, rawunk = 0, libunk = 0;
	for (size_t i = 0; i < o->nsites; i++) {
		const struct sp_obj_site *s = &o->sites[i];
		const char *fn = o->funcs[s->func].name;
		raw64 += !s->via_libc && s->nr == 64 && fn && !strcmp(fn, "raw_getppid");
		rawunk += !s->via_libc && s->nr == SP_NR_UNKNOWN && fn && !strcmp(fn, "raw_any");
		libunk += s->via_libc && s->nr == SP_NR_UNKNOWN && fn && !strcmp(fn, "main");
	}
	ck_assert_int_eq(raw64, 1);
	ck_assert_int_eq(rawunk, 1);
	ck_assert_int_eq(libunk, 2);
	sp_obj_free(o);
}
END_TEST

START_TEST(libc_functions)
{
	if (access(LIBC, R_OK) != 0)
		return;
	struct sp_obj *o = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_obj_load(LIBC, 0, &o, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(o->build_id);
	ck_assert_str_eq(o->soname, "libc.so.6");
	ck_assert_uint_gt(o->ndataref, 50); /* RELR-packed pointers (stdio vtables) */
	struct sp_nrset *r = sp_obj_reach(o);
	const struct sp_obj_export *e = sp_obj_export(o, "_exit");
	ck_assert_ptr_nonnull(e);
	/* _exit: exit_group, then exit: exactly these two */
	ck_assert_uint_eq(sp_nrset_count(&r[e->func]), 2);
	ck_assert(has_nr(&r[e->func], 231) && has_nr(&r[e->func], 60));
	ck_assert(!r[e->func].unknown);
	e = sp_obj_export(o, "sigsuspend");
	ck_assert(e && has_nr(&r[e->func], 130));
	e = sp_obj_export(o, "getsockopt");
	ck_assert(e && has_nr(&r[e->func], 55));
	e = sp_obj_export(o, "nanosleep");
	ck_assert(e && has_nr(&r[e->func], 230)); /* clock_nanosleep */
	e = sp_obj_export(o, "syscall");
	ck_assert(e && r[e->func].unknown);
	/* pthread_create reaches clone3 and, through the start routine whose
	 * address it takes, the thread's exit */
	e = sp_obj_export(o, "pthread_create");
	ck_assert(e && has_nr(&r[e->func], 435) && has_nr(&r[e->func], 60));
	free(r);
	sp_obj_free(o);
}
END_TEST

static char *cache_path(const char *dir)
{
	struct sp_obj *o = NULL;
	ck_assert(sp_obj_load(LIBC, SP_OBJ_HEADERS_ONLY, &o, NULL) == 0);
	char *p = xasprintf("%s/libc-%s-x86_64.map", dir, o->build_id);
	sp_obj_free(o);
	return p;
}

static struct sp_reach_exe *reach(const char *dir, const char *path, unsigned *built, unsigned *cached)
{
	struct sp_reach_ctx *c = sp_reach_new(dir);
	struct sp_reach_exe *e = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_reach_exe(c, path, &e, &err) == 0, "%s", err.msg);
	*built = sp_reach_stats(c)->libc_built;
	*cached = sp_reach_stats(c)->libc_cached;
	sp_reach_free(c);
	return e;
}

START_TEST(victim_reach_and_cache)
{
#if !defined(__x86_64__)
	return;
#endif
	if (access(LIBC, R_OK) != 0)
		return;
	_cleanup_free_ char *path = victim();
	_cleanup_free_ char *dir = xasprintf("%s/cache", sp_unit_tmpdir());
	unsigned built, cached;
	struct sp_reach_exe *e = reach(dir, path, &built, &cached);
	ck_assert_uint_eq(built, 1);
	ck_assert_uint_eq(cached, 0);
	const struct sp_reach_call *c = sp_reach_find(e, 110);
	ck_assert(c && strstr(c->via, "syscall insn at ") && strstr(c->via, "unseen_victim+0x"));
	ck_assert_str_eq(c->name, "getppid");
	c = sp_reach_find(e, 324);
	ck_assert(c && strstr(c->via, "syscall() call at "));
	c = sp_reach_find(e, 140);
	ck_assert(c);
	ck_assert_str_eq(c->via, "getpriority@libc.so.6");
	c = sp_reach_find(e, 231);
	ck_assert(c); /* exit_group, from __libc_start_main */
	ck_assert(!sp_reach_find(e, 246)); /* kexec_load: nowhere */
	bool raw = false, lib = false;
	for (char **u = e->unknown; *u; u++) {
		raw |= strstr(*u, "syscall insn with a run-time number") != NULL;
		lib |= strstr(*u, "syscall() call with a run-time number") != NULL;
	}
	ck_assert(raw && lib);
	ck_assert_int_eq(e->linkage, SP_REACH_DYNAMIC);

	/* the second context reads the cache and finds the same */
	struct sp_reach_exe *e2 = reach(dir, path, &built, &cached);
	ck_assert_uint_eq(built, 0);
	ck_assert_uint_eq(cached, 1);
	ck_assert_uint_eq(e2->ncalls, e->ncalls);
	for (size_t i = 0; i < e->ncalls; i++)
		ck_assert_int_eq(e2->calls[i].nr, e->calls[i].nr);
	sp_reach_exe_free(e2);

	/* a damaged cache (a line cut short, junk after the end, another
	 * build-id) is ignored and rewritten */
	_cleanup_free_ char *file = cache_path(dir);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	ck_assert(sp_file_read_all(file, 64 << 20, &data, &len, NULL) == 0);
	static const char *const damage[] = {"cut", "junk", "id"};
	for (size_t d = 0; d < SP_ARRAY_SIZE(damage); d++) {
		FILE *f = fopen(file, "w");
		ck_assert_ptr_nonnull(f);
		if (!strcmp(damage[d], "cut"))
			fwrite(data, 1, len / 2, f);
		else if (!strcmp(damage[d], "junk"))
			fprintf(f, "%sf bogus 0 1,2\n", data);
		else
			fprintf(f, "seccomp-profile libc-map 1\nbuild-id 00\n%s", strchr(strchr(data, '\n') + 1, '\n') + 1);
		fclose(f);
		e2 = reach(dir, path, &built, &cached);
		ck_assert_msg(built == 1 && cached == 0, "damage '%s' was not detected", damage[d]);
		ck_assert_uint_eq(e2->ncalls, e->ncalls);
		sp_reach_exe_free(e2);
		e2 = reach(dir, path, &built, &cached);
		ck_assert_msg(built == 0 && cached == 1, "cache not rewritten after '%s'", damage[d]);
		sp_reach_exe_free(e2);
	}
	sp_reach_exe_free(e);
}
END_TEST

START_TEST(loader_search)
{
#if !defined(__x86_64__)
	return;
#endif
	_cleanup_free_ char *path = victim();
	struct sp_obj *o = NULL;
	ck_assert(sp_obj_load(path, SP_OBJ_HEADERS_ONLY, &o, NULL) == 0);
	struct sp_ldcache *c = sp_ldcache_load("/etc/ld.so.cache");
	_cleanup_free_ char *p = sp_loader_find(c, o, o, "libc.so.6");
	ck_assert_ptr_nonnull(p);
	_cleanup_free_ char *a = realpath(p, NULL), *b = realpath(LIBC, NULL);
	ck_assert_str_eq(a, b);
	ck_assert_ptr_null(sp_loader_find(c, o, o, "libsp-no-such-library.so.9"));
	sp_ldcache_free(c);
	/* a cache that is not one: the default directories still work */
	_cleanup_free_ char *bad = xasprintf("%s/bad.cache", sp_unit_tmpdir());
	FILE *f = fopen(bad, "w");
	fputs("glibc-ld.so.cache1.1\xff\xff\xff\x7f", f);
	fclose(f);
	c = sp_ldcache_load(bad);
	_cleanup_free_ char *p2 = sp_loader_find(c, o, o, "libc.so.6");
	ck_assert_ptr_nonnull(p2);
	sp_ldcache_free(c);
	/* $ORIGIN in a RUNPATH: the victim's own directory */
	o->runpath = xstrdup("/nonexistent:$ORIGIN");
	_cleanup_free_ char *base = xstrdup(strrchr(path, '/') + 1);
	_cleanup_free_ char *p3 = sp_loader_find(NULL, o, o, base);
	ck_assert_ptr_nonnull(p3);
	ck_assert(strstr(p3, "/unseen_victim") && strncmp(p3, "/nonexistent", 12));
	sp_obj_free(o);
}
END_TEST

START_TEST(unseen_against_recording)
{
#if !defined(__x86_64__)
	return;
#endif
	_cleanup_free_ char *path = victim();
	struct sp_recording *rec = sp_recording_new();
	sp_recording_add_exe(rec, path);
	sp_recording_add_exe(rec, "/nonexistent/exe");
	sp_recording_sysc(rec, SP_ABI_X86_64, 110, true)->calls = 1;
	sp_recording_sysc(rec, SP_ABI_X86_64, 246, true)->calls = 1; /* kexec_load: unreachable */
	_cleanup_free_ char *dir = xasprintf("%s/cache2", sp_unit_tmpdir());
	struct sp_reach_ctx *c = sp_reach_new(dir);
	struct sp_unseen *u = NULL;
	ck_assert(sp_unseen_compute(c, rec, &u, NULL) == 0);
	ck_assert_uint_eq(u->nexes, 2);
	const struct sp_unseen_exe *bad = NULL, *good = NULL;
	for (size_t i = 0; i < u->nexes; i++)
		*(u->exes[i].error ? &bad : &good) = &u->exes[i];
	ck_assert(bad && good);
	ck_assert(strstr(bad->error, "/nonexistent/exe"));
	ck_assert_uint_eq(good->nobserved, 1);
	ck_assert_uint_eq(good->nitems + good->nobserved, good->nreachable);
	bool saw110 = false, saw324 = false, saw140 = false;
	for (size_t i = 0; i < good->nitems; i++) {
		saw110 |= good->items[i].nr == 110;
		saw324 |= !strcmp(good->items[i].name, "membarrier");
		saw140 |= !strcmp(good->items[i].name, "getpriority");
	}
	ck_assert(!saw110 && saw324 && saw140);
	ck_assert_uint_eq(u->nmissed, 1);
	ck_assert_int_eq(u->missed[0].nr, 246);
	sp_unseen_free(u);
	sp_reach_free(c);
	sp_recording_free(rec);
}
END_TEST

START_TEST(object_errors)
{
	struct sp_obj *o = NULL;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_obj_load("/nonexistent/x", 0, &o, &err), -ENOENT);
	ck_assert(strstr(err.msg, "/nonexistent/x"));
	_cleanup_free_ char *txt = xasprintf("%s/not-elf", sp_unit_tmpdir());
	FILE *f = fopen(txt, "w");
	fputs("#!/bin/sh\n", f);
	fclose(f);
	ck_assert_int_eq(sp_obj_load(txt, 0, &o, &err), -ENOEXEC);
	ck_assert(strstr(err.msg, "not an ELF object"));
}
END_TEST

START_TEST(risk_sets)
{
	unsigned m = 0;
	struct sp_err err = {0};
	ck_assert(sp_risk_parse_set("low", &m, &err) == 0 && m == 1u << SP_RISK_LOW);
	ck_assert(sp_risk_parse_set("low,medium", &m, &err) == 0 && m == (1u << SP_RISK_LOW | 1u << SP_RISK_MEDIUM));
	ck_assert(sp_risk_parse_set("all", &m, &err) == 0 && m == 7);
	ck_assert(sp_risk_parse_set("low,", &m, &err) < 0);
	ck_assert(sp_risk_parse_set("lo", &m, &err) < 0 && strstr(err.msg, "'lo'"));
}
END_TEST

START_TEST(generate_extra)
{
	struct sp_recording *rec = sp_recording_new();
	sp_recording_sysc(rec, SP_ABI_X86_64, 0, true)->calls = 1;
	struct sp_gen_extra x[] = {{SP_ABI_X86_64, "rt_sigsuspend", "via sigsuspend@libc.so.6"},
				   {SP_ABI_AARCH64, "getppid", "another ABI: left out"},
				   {SP_ABI_X86_64, "read", "observed anyway"}};
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.extra = x;
	o.nextra = SP_ARRAY_SIZE(x);
	struct sp_policy *p = NULL;
	ck_assert(sp_generate(rec, &o, &p, NULL) == 0);
	const struct sp_rule *r = sp_policy_find(p, "rt_sigsuspend");
	ck_assert(r && r->origin == SP_ORIGIN_ANALYSIS);
	ck_assert_str_eq(r->comment, "added by analysis, not observed: via sigsuspend@libc.so.6");
	ck_assert_ptr_null(sp_policy_find(p, "getppid"));
	r = sp_policy_find(p, "read");
	ck_assert(r && (r->origin & SP_ORIGIN_OBSERVED) && (r->origin & SP_ORIGIN_ANALYSIS) == 0);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

static Suite *analysis_suite(void)
{
	Suite *s = suite_create("analysis");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, victim_sites);
	tcase_add_test(tc, victim_sites_i386);
	tcase_add_test(tc, libc_functions);
	tcase_add_test(tc, victim_reach_and_cache);
	tcase_add_test(tc, loader_search);
	tcase_add_test(tc, unseen_against_recording);
	tcase_add_test(tc, object_errors);
	tcase_add_test(tc, risk_sets);
	tcase_add_test(tc, generate_extra);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(analysis_suite)
