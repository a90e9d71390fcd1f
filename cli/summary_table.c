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

/* Rows of one ABI with calls > 0 (baseline-only entries have none),
 * sorted; returns how many. */
static size_t abi_rows(const struct sp_recording *rec, enum sp_abi abi, struct row **out)
{
	size_t n = 0, k = 0;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	struct row *rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		if (v[i]->abi != abi || !v[i]->calls)
			continue;
		rows[k].s = v[i];
		char buf[48];
		snprintf(rows[k].name, sizeof(rows[k].name), "%s",
			 sp_sysc_display_name(v[i], buf, sizeof(buf)));
		k++;
	}
	qsort(rows, k, sizeof(*rows), cmp_row);
	*out = rows;
	return k;
}

static void print_section(FILE *out, const struct row *rows, size_t n)
{
	uint64_t total_ns = 0, calls = 0, errors = 0;
	for (size_t i = 0; i < n; i++) {
		total_ns += rows[i].s->time_ns;
		calls += rows[i].s->calls;
		errors += rows[i].s->errors;
	}
	const char *rule = "------ ----------- ----------- --------- --------- ----------------\n";
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (size_t i = 0; i < n; i++) {
		const struct sp_sysc *s = rows[i].s;
		double pct = total_ns ? 100.0 * (double)s->time_ns / (double)total_ns : 0.0;
		uint64_t upc = s->calls ? s->time_ns / 1000 / s->calls : 0;
		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", pct, (double)s->time_ns / 1e9, upc,
			s->calls);
		if (s->errors)
			fprintf(out, "%9" PRIu64 " ", s->errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", rows[i].name);
	}
	fprintf(out, "%s", rule);
	fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " ", total_ns ? 100.0 : 0.0,
		(double)total_ns / 1e9, calls ? total_ns / 1000 / calls : 0, calls);
	if (errors)
		fprintf(out, "%9" PRIu64 " total\n", errors);
	else
		fprintf(out, "%9s total\n", "");
}

void sp_summary_print(FILE *out, const struct sp_recording *rec)
{
	uint32_t abis = sp_recording_abis(rec);
	int nabis = __builtin_popcount(abis);
	bool first = true;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		_cleanup_free_ struct row *rows = NULL;
		size_t n = abi_rows(rec, (enum sp_abi)a, &rows);
		if (!n)
			continue;
		if (nabis > 1)
			fprintf(out, "%sSystem call usage on ABI %s:\n", first ? "" : "\n",
				sp_abi_name((enum sp_abi)a));
		print_section(out, rows, n);
		first = false;
	}
	if (first)
		fprintf(out, "no system calls recorded\n");
}

int sp_summary_write_json(FILE *out, const struct sp_recording *rec, struct sp_err *err)
{
	json_t *root = json_object(), *jabis = json_object();
	uint32_t abis = sp_recording_abis(rec);
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		_cleanup_free_ struct row *rows = NULL;
		size_t n = abi_rows(rec, (enum sp_abi)a, &rows);
		if (!n)
			continue;
		uint64_t total_ns = 0, calls = 0, errors = 0;
		for (size_t i = 0; i < n; i++) {
			total_ns += rows[i].s->time_ns;
			calls += rows[i].s->calls;
			errors += rows[i].s->errors;
		}
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct sp_sysc *s = rows[i].s;
			json_t *o = json_object();
			json_object_set_new(o, "syscall", json_string(rows[i].name));
			json_object_set_new(o, "nr", json_integer(s->nr));
			json_object_set_new(o, "calls", json_integer((json_int_t)s->calls));
			json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
			json_object_set_new(o, "time_ns", json_integer((json_int_t)s->time_ns));
			json_object_set_new(o, "usecs_per_call",
					    json_integer((json_int_t)(s->calls ? s->time_ns / 1000 / s->calls : 0)));
			json_object_set_new(o, "percent_time",
					    json_real(total_ns ? 100.0 * (double)s->time_ns / (double)total_ns : 0.0));
			json_array_append_new(arr, o);
		}
		json_t *sec = json_object();
		json_object_set_new(sec, "syscalls", arr);
		json_object_set_new(sec, "total_calls", json_integer((json_int_t)calls));
		json_object_set_new(sec, "total_errors", json_integer((json_int_t)errors));
		json_object_set_new(sec, "total_time_ns", json_integer((json_int_t)total_ns));
		json_object_set_new(jabis, sp_abi_name((enum sp_abi)a), sec);
	}
	json_object_set_new(root, "abis", jabis);
	int r = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (r < 0)
		return sp_err_set(err, -EIO, "cannot write the summary");
	fputc('\n', out);
	return 0;
}
