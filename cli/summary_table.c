/* SPDX-License-Identifier: MIT */
/* The strace -c style table: see cli/summary_table.h. */
#include "cli/summary_table.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

struct row {
	const struct sp_sysc *s;
	char name[48];
};

static int cmp_row(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	if (a->s->time_ns != b->s->time_ns)
		return a->s->time_ns > b->s->time_ns ? -1 : 1;
	if (a->s->calls != b->s->calls)
		return a->s->calls > b->s->calls ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Each count and time of a recording is at most SP_COUNT_MAX (2^63-1),
 * but their sums over an ABI may not fit 64 bits: totals are 128-bit, and
 * shares are computed in long double from them, so three rows near 2^63
 * do not each show 100% of a wrapped total. */
typedef unsigned __int128 sp_u128;

struct section {
	enum sp_abi abi;
	struct row *rows;
	size_t n;
	sp_u128 total_ns, calls, errors;
};

/* Decimal digits of v (buf of at least 40 bytes). */
static const char *u128_str(sp_u128 v, char *buf, size_t len)
{
	char *p = buf + len;
	*--p = '\0';
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v && p > buf);
	return p;
}

static double percent(uint64_t part, sp_u128 total)
{
	return total ? (double)(100.0L * (long double)part / (long double)total) : 0.0;
}

/* The rows of one ABI with calls > 0 (baseline-only entries have none),
 * sorted, and their totals; returns how many rows. */
static size_t abi_section(const struct sp_recording *rec, enum sp_abi abi, struct section *sec)
{
	size_t n = 0;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	*sec = (struct section){.abi = abi, .rows = xcalloc(n ? n : 1, sizeof(struct row))};
	for (size_t i = 0; i < n; i++) {
		if (v[i]->abi != abi || !v[i]->calls)
			continue;
		struct row *r = &sec->rows[sec->n++];
		char buf[48];
		r->s = v[i];
		snprintf(r->name, sizeof(r->name), "%s", sp_sysc_display_name(v[i], buf, sizeof(buf)));
		sec->total_ns += v[i]->time_ns;
		sec->calls += v[i]->calls;
		sec->errors += v[i]->errors;
	}
	qsort(sec->rows, sec->n, sizeof(*sec->rows), cmp_row);
	return sec->n;
}

/* Calls fn for each ABI that has calls, in ABI order. */
static void for_each_section(const struct sp_recording *rec,
			     void (*fn)(const struct section *sec, bool first, void *ctx), void *ctx)
{
	uint32_t abis = sp_recording_abis(rec);
	bool first = true;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		struct section sec;
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		if (abi_section(rec, (enum sp_abi)a, &sec)) {
			fn(&sec, first, ctx);
			first = false;
		}
		free(sec.rows);
	}
}

static uint64_t usecs_per_call(sp_u128 ns, sp_u128 calls)
{
	return calls ? (uint64_t)(ns / 1000 / calls) : 0;
}

struct print_ctx {
	FILE *out;
	bool several;
	bool any;
	bool timed; /* made with record -c: times and errors were measured */
};

/* Times and errors are only measured at exit stops, which only record -c
 * asks for: a recording without them has no time anywhere. */
static bool recording_timed(struct sp_sysc *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->time_ns || v[i]->errors)
			return true;
	return false;
}

static void print_section(const struct section *sec, bool first, void *vctx)
{
	struct print_ctx *c = vctx;
	FILE *out = c->out;
	c->any = true;
	if (c->several)
		fprintf(out, "%sSystem call usage on ABI %s:\n", first ? "" : "\n", sp_abi_name(sec->abi));
	if (!c->timed) {
		const char *r = "--------- ----------------\n";
		fprintf(out, "    calls syscall\n%s", r);
		char tb[48];
		for (size_t i = 0; i < sec->n; i++)
			fprintf(out, "%9" PRIu64 " %s\n", sec->rows[i].s->calls, sec->rows[i].name);
		fprintf(out, "%s%9s total\n", r, u128_str(sec->calls, tb, sizeof(tb)));
		return;
	}
	const char *rule = "------ ----------- ----------- --------- --------- ----------------\n";
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (size_t i = 0; i < sec->n; i++) {
		const struct sp_sysc *s = sec->rows[i].s;
		double pct = percent(s->time_ns, sec->total_ns);
		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", pct, (double)s->time_ns / 1e9,
			usecs_per_call(s->time_ns, s->calls), s->calls);
		if (s->errors)
			fprintf(out, "%9" PRIu64 " ", s->errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", sec->rows[i].name);
	}
	fprintf(out, "%s", rule);
	char cb[48], eb[48];
	fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9s ", sec->total_ns ? 100.0 : 0.0,
		(double)((long double)sec->total_ns / 1e9L), usecs_per_call(sec->total_ns, sec->calls),
		u128_str(sec->calls, cb, sizeof(cb)));
	if (sec->errors)
		fprintf(out, "%9s total\n", u128_str(sec->errors, eb, sizeof(eb)));
	else
		fprintf(out, "%9s total\n", "");
}

void sp_summary_print(FILE *out, const struct sp_recording *rec)
{
	struct print_ctx c = {.out = out};
	size_t n = 0;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	uint32_t with_calls = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i]->calls)
			with_calls |= sp_abi_bit(v[i]->abi);
	c.several = __builtin_popcount(with_calls) > 1;
	c.timed = recording_timed(v, n);
	for_each_section(rec, print_section, &c);
	if (!c.any)
		fprintf(out, "no system calls recorded\n");
	else if (!c.timed)
		fprintf(out, "(times and errors are measured only by 'record -c')\n");
}

/* JSON integers are signed 64-bit here (jansson) and in most readers: a
 * total past that is written as 2^63-1, with a warning. */
static json_t *json_total(const struct section *sec, const char *key, sp_u128 v)
{
	if (v > SP_COUNT_MAX) {
		char b[48];
		sp_warn("summary: %s: \"%s\" is %s, more than a JSON integer holds: written as %llu",
			sp_abi_name(sec->abi), key, u128_str(v, b, sizeof(b)), (unsigned long long)SP_COUNT_MAX);
		v = SP_COUNT_MAX;
	}
	return json_integer((json_int_t)v);
}

static void json_section(const struct section *sec, bool first, void *vctx)
{
	(void)first;
	json_t *arr = json_array();
	for (size_t i = 0; i < sec->n; i++) {
		const struct sp_sysc *s = sec->rows[i].s;
		json_t *o = json_object();
		json_object_set_new(o, "syscall", json_string(sec->rows[i].name));
		json_object_set_new(o, "nr", json_integer(s->nr));
		json_object_set_new(o, "calls", json_integer((json_int_t)s->calls));
		json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
		json_object_set_new(o, "time_ns", json_integer((json_int_t)s->time_ns));
		json_object_set_new(o, "usecs_per_call", json_integer((json_int_t)usecs_per_call(s->time_ns, s->calls)));
		json_object_set_new(o, "percent_time", json_real(percent(s->time_ns, sec->total_ns)));
		json_array_append_new(arr, o);
	}
	json_t *js = json_object();
	json_object_set_new(js, "syscalls", arr);
	json_object_set_new(js, "total_calls", json_total(sec, "total_calls", sec->calls));
	json_object_set_new(js, "total_errors", json_total(sec, "total_errors", sec->errors));
	json_object_set_new(js, "total_time_ns", json_total(sec, "total_time_ns", sec->total_ns));
	json_object_set_new(vctx, sp_abi_name(sec->abi), js);
}

int sp_summary_write_json(FILE *out, const struct sp_recording *rec, struct sp_err *err)
{
	json_t *root = json_object(), *jabis = json_object();
	size_t n = 0;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	/* false: made without record -c, the time and error fields are 0
	 * because nothing measured them */
	json_object_set_new(root, "timed", json_boolean(recording_timed(v, n)));
	for_each_section(rec, json_section, jabis);
	json_object_set_new(root, "abis", jabis);
	int r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r < 0)
		return sp_err_set(err, -EIO, "cannot write the summary");
	fputc('\n', out);
	return 0;
}
