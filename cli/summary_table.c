/* SPDX-License-Identifier: MIT */
/* The strace -c style table: see cli/summary_table.h. */
#include "cli/summary_table.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

struct section {
	enum sp_abi abi;
	struct row *rows;
	size_t n;
	uint64_t total_ns, calls, errors;
};

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

static uint64_t usecs_per_call(uint64_t ns, uint64_t calls)
{
	return calls ? ns / 1000 / calls : 0;
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
		for (size_t i = 0; i < sec->n; i++)
			fprintf(out, "%9" PRIu64 " %s\n", sec->rows[i].s->calls, sec->rows[i].name);
		fprintf(out, "%s%9" PRIu64 " total\n", r, sec->calls);
		return;
	}
	const char *rule = "------ ----------- ----------- --------- --------- ----------------\n";
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (size_t i = 0; i < sec->n; i++) {
		const struct sp_sysc *s = sec->rows[i].s;
		double pct = sec->total_ns ? 100.0 * (double)s->time_ns / (double)sec->total_ns : 0.0;
		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", pct, (double)s->time_ns / 1e9,
			usecs_per_call(s->time_ns, s->calls), s->calls);
		if (s->errors)
			fprintf(out, "%9" PRIu64 " ", s->errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", sec->rows[i].name);
	}
	fprintf(out, "%s", rule);
	fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", sec->total_ns ? 100.0 : 0.0,
		(double)sec->total_ns / 1e9, usecs_per_call(sec->total_ns, sec->calls), sec->calls);
	if (sec->errors)
		fprintf(out, "%9" PRIu64 " total\n", sec->errors);
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
		json_object_set_new(o, "percent_time",
				    json_real(sec->total_ns ? 100.0 * (double)s->time_ns / (double)sec->total_ns : 0.0));
		json_array_append_new(arr, o);
	}
	json_t *js = json_object();
	json_object_set_new(js, "syscalls", arr);
	json_object_set_new(js, "total_calls", json_integer((json_int_t)sec->calls));
	json_object_set_new(js, "total_errors", json_integer((json_int_t)sec->errors));
	json_object_set_new(js, "total_time_ns", json_integer((json_int_t)sec->total_ns));
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
