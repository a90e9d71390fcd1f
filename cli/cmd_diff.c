/* SPDX-License-Identifier: MIT */
/*
 * `seccomp-profile diff [--format text|json|markdown] [--fail-on WHAT]
 * [-o FILE] OLD NEW`: what changed between two recordings or two policies
 * (generator/diff.h), rendered for a terminal, a machine or a pull-request
 * comment.  Exit 0 when nothing relevant changed, 1 on drift (per
 * --fail-on, default added), 2 on error.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/callsite.h"
#include "cli/cli.h"
#include "cli/input.h"
#include "cli/output.h"
#include "core/outfile.h"
#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "generator/diff.h"

/* Frames and sites shown per added syscall: enough to see who called it. */
#define SHOW_SITES  2
#define SHOW_FRAMES 3

static void diff_usage(void)
{
	printf("Usage: " SP_PROG " diff [--format text|json|markdown] [--fail-on added|removed|any|none]\n"
	       "                            [-o FILE] OLD NEW\n"
	       "\n"
	       "Compare two recordings (per ABI, by syscall) or two policy files in a format\n"
	       "seccomp-profile reads (by syscall name): syscalls added and removed, changed\n"
	       "argument values or rules, changed default action, ABIs added or removed.\n"
	       "A recording compared with a policy is first turned into the policy\n"
	       "'generate' writes from it with its defaults.\n"
	       "Each added syscall is classified by risk (high, medium, low; see docs/risk.md)\n"
	       "and, for recordings, shown with the call sites that introduced it.\n"
	       "\n"
	       "Options:\n"
	       "  --format text|json|markdown\n"
	       "                    text (default; coloured on a terminal unless NO_COLOR is set),\n"
	       "                    json (for machines), markdown (for a pull-request comment)\n"
	       "  --json            same as --format json (like summary and check)\n"
	       "  --fail-on added|removed|any|none\n"
	       "                    which changes exit 1: added (default: syscalls or ABIs added,\n"
	       "                    or a change that allows more), removed (syscalls or ABIs\n"
	       "                    removed), any (any difference), none (never)\n"
	       "  -o, --output FILE write the report to FILE instead of standard output (a file\n"
	       "                    is replaced atomically; see the manual)\n"
	       "  -h, --help        show this help\n"
	       "\n"
	       "Exit status: 0 nothing relevant changed, 1 drift (per --fail-on), 2 error.\n");
}

enum out_format { OUT_TEXT, OUT_JSON, OUT_MARKDOWN };

struct input {
	struct sp_recording *rec;
	struct sp_policy *pol;
};

static void input_release(struct input *in)
{
	sp_recording_free(in->rec);
	sp_policy_free(in->pol);
}

/* A recording (kept as one: recordings compare per ABI, with call sites),
 * or a policy in any format we read (cli/input.h). */
static int load_input(const char *path, struct input *in, struct sp_err *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = sp_file_read_all(path, SP_MAX_INPUT_BYTES, &data, &len, err);
	if (r < 0)
		return r;
	if (sp_recording_detect(data, len))
		return sp_recording_parse(path, data, len, &in->rec, err);
	return sp_cli_load_policy_data(path, data, len, NULL, &in->pol, NULL, err);
}

/* ---- text ------------------------------------------------------------- */

struct colors {
	const char *add, *del, *chg, *high, *med, *dim, *bold, *off;
};

static const char *abi_heading(enum sp_abi abi)
{
	return abi == SP_ABI_UNKNOWN ? "all ABIs" : sp_abi_name(abi);
}

static const char *kind_name(enum sp_diff_kind k)
{
	return k == SP_DIFF_ADDED ? "added" : k == SP_DIFF_REMOVED ? "removed" : "changed";
}

static void print_abis(FILE *out, const char *what, uint32_t mask, const char *color, const char *off)
{
	if (!mask)
		return;
	fprintf(out, "%sABIs %s:%s", color, what, off);
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (mask & sp_abi_bit((enum sp_abi)a))
			fprintf(out, " %s", sp_abi_name((enum sp_abi)a));
	fputc('\n', out);
}

static void text_sites(FILE *out, const struct sp_diff_item *it, const struct colors *c)
{
	const struct sp_sysc *s = it->sysc;
	if (!s)
		return;
	fprintf(out, "      %s%" PRIu64 " call%s, seen in %u of %u run%s", c->dim, s->calls, s->calls == 1 ? "" : "s",
		s->runs_seen, it->runs, it->runs == 1 ? "" : "s");
	if (s->first_exe)
		fprintf(out, ", first by %s", s->first_exe);
	fprintf(out, "%s\n", c->off);
	for (size_t k = 0; k < s->nsites && k < SHOW_SITES; k++) {
		const struct sp_callsite *cs = &s->sites[k];
		char buf[SP_CLI_FRAME_MAX];
		fprintf(out, "      %sat ", c->dim);
		for (size_t f = 0; f < cs->nframes && f < SHOW_FRAMES; f++)
			fprintf(out, "%s%s", f ? " <- " : "", sp_cli_frame_str(&cs->frames[f], true, buf, sizeof(buf)));
		if (cs->nframes > SHOW_FRAMES)
			fputs(" <- ...", out);
		fprintf(out, "%s\n", c->off);
	}
}

/* Rules or argument values worth a line: always for changes; for a policy
 * rule added or removed, unless it is the plain "allow" every allow-list
 * has. */
static bool show_rules(const struct sp_diff_item *it)
{
	if (it->kind == SP_DIFF_CHANGED)
		return true;
	const char *r = it->kind == SP_DIFF_ADDED ? it->after : it->before;
	return r && strcmp(r, "allow");
}

static void render_text(FILE *out, const struct sp_diff *d, const char *oldp, const char *newp, bool color)
{
	static const struct colors plain = {"", "", "", "", "", "", "", ""};
	static const struct colors ansi = {"\033[32m", "\033[31m", "\033[33m", "\033[1;31m",
					   "\033[1;33m", "\033[2m", "\033[1m", "\033[0m"};
	const struct colors *c = color ? &ansi : &plain;
	fprintf(out, "%s%s -> %s%s (%s)\n", c->bold, oldp, newp, c->off, d->recordings ? "recordings" : "policies");
	if (sp_diff_empty(d)) {
		fputs("no differences\n", out);
		return;
	}
	print_abis(out, "added", d->abis_added, c->add, c->off);
	print_abis(out, "removed", d->abis_removed, c->del, c->off);
	if (d->default_changed) {
		char a[48], b[48];
		fprintf(out, "%sdefault action:%s %s -> %s\n", c->chg, c->off,
			sp_action_str(d->old_default, a, sizeof(a)), sp_action_str(d->new_default, b, sizeof(b)));
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct sp_diff_item *it = &d->items[i];
		if (i == 0 || it->abi != d->items[i - 1].abi)
			fprintf(out, "\n%s%s%s\n", c->bold, abi_heading(it->abi), c->off);
		const char *mark = it->kind == SP_DIFF_ADDED ? "+" : it->kind == SP_DIFF_REMOVED ? "-" : "~";
		const char *kc = it->kind == SP_DIFF_ADDED ? c->add : it->kind == SP_DIFF_REMOVED ? c->del : c->chg;
		const char *rc = it->risk == SP_RISK_HIGH ? c->high : it->risk == SP_RISK_MEDIUM ? c->med : "";
		fprintf(out, "  %s%s %-22s%s %s%s%s", kc, mark, it->name, c->off, rc, sp_risk_name(it->risk),
			*rc ? c->off : "");
		if (it->risk_row)
			fprintf(out, "%*s%s", 8 - (int)strlen(sp_risk_name(it->risk)), "", it->risk_row->reason);
		fputc('\n', out);
		if (show_rules(it)) {
			if (it->before)
				fprintf(out, "      %sbefore:%s %s\n", c->del, c->off, it->before);
			if (it->after)
				fprintf(out, "      %safter:%s  %s\n", c->add, c->off, it->after);
		}
		if (it->kind == SP_DIFF_ADDED)
			text_sites(out, it, c);
	}
	fprintf(out, "\n%zu added (%zu high, %zu medium, %zu low), %zu removed, %zu changed\n", d->added,
		d->added_by_risk[SP_RISK_HIGH], d->added_by_risk[SP_RISK_MEDIUM], d->added_by_risk[SP_RISK_LOW],
		d->removed, d->changed);
}

/* ---- markdown --------------------------------------------------------- */

/* Table cells: a '|' would end the cell, a newline the row. */
static void md_cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

static void md_abis(FILE *out, const char *what, uint32_t mask)
{
	if (!mask)
		return;
	fprintf(out, "- ABIs %s:", what);
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (mask & sp_abi_bit((enum sp_abi)a))
			fprintf(out, " `%s`", sp_abi_name((enum sp_abi)a));
	fputc('\n', out);
}

static void render_markdown(FILE *out, const struct sp_diff *d, const char *oldp, const char *newp)
{
	fputs("### seccomp-profile diff\n\n`", out);
	md_cell(out, oldp);
	fputs("` → `", out);
	md_cell(out, newp);
	fprintf(out, "` (%s)\n\n", d->recordings ? "recordings" : "policies");
	if (sp_diff_empty(d)) {
		fputs("No differences.\n", out);
		return;
	}
	fprintf(out, "**%zu added** (%zu high risk, %zu medium, %zu low), **%zu removed**, %zu changed\n\n", d->added,
		d->added_by_risk[SP_RISK_HIGH], d->added_by_risk[SP_RISK_MEDIUM], d->added_by_risk[SP_RISK_LOW],
		d->removed, d->changed);
	md_abis(out, "added", d->abis_added);
	md_abis(out, "removed", d->abis_removed);
	if (d->default_changed) {
		char a[48], b[48];
		fprintf(out, "- default action: `%s` → `%s`\n", sp_action_str(d->old_default, a, sizeof(a)),
			sp_action_str(d->new_default, b, sizeof(b)));
	}
	if (d->abis_added || d->abis_removed || d->default_changed)
		fputc('\n', out);
	if (!d->n)
		return;
	fputs("| ABI | change | syscall | risk | details |\n|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < d->n; i++) {
		const struct sp_diff_item *it = &d->items[i];
		fprintf(out, "| %s | %s | `", abi_heading(it->abi), kind_name(it->kind));
		md_cell(out, it->name);
		fprintf(out, "` | %s%s%s", it->risk == SP_RISK_HIGH ? "**" : "", sp_risk_name(it->risk),
			it->risk == SP_RISK_HIGH ? "**" : "");
		if (it->risk_row) {
			fputs(": ", out);
			md_cell(out, it->risk_row->reason);
		}
		fputs(" | ", out);
		bool sep = false;
		if (show_rules(it)) {
			fputs("before: `", out);
			md_cell(out, it->before ? it->before : "(none)");
			fputs("`, after: `", out);
			md_cell(out, it->after ? it->after : "(none)");
			fputc('`', out);
			sep = true;
		}
		const struct sp_sysc *s = it->kind == SP_DIFF_ADDED ? it->sysc : NULL;
		if (s) {
			fprintf(out, "%s%" PRIu64 " call%s in %u/%u runs", sep ? "; " : "", s->calls, s->calls == 1 ? "" : "s",
				s->runs_seen, it->runs);
			if (s->first_exe) {
				fputs("; first: `", out);
				md_cell(out, s->first_exe);
				fputc('`', out);
			}
			for (size_t k = 0; k < s->nsites && k < SHOW_SITES; k++) {
				const struct sp_callsite *cs = &s->sites[k];
				fputs("; at `", out);
				for (size_t f = 0; f < cs->nframes && f < SHOW_FRAMES; f++) {
					char buf[SP_CLI_FRAME_MAX];
					if (f)
						fputs(" ← ", out);
					md_cell(out, sp_cli_frame_short(&cs->frames[f], buf, sizeof(buf)));
				}
				fputc('`', out);
			}
		}
		fputs(" |\n", out);
	}
}

/* ---- json ------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *abi_list(uint32_t mask)
{
	json_t *a = json_array();
	for (int i = 0; i < SP_ABI_COUNT; i++)
		if (mask & sp_abi_bit((enum sp_abi)i))
			json_array_append_new(a, json_string(sp_abi_name((enum sp_abi)i)));
	return a;
}

static json_t *json_item(const struct sp_diff_item *it)
{
	json_t *o = json_object();
	json_object_set_new(o, "abi", it->abi == SP_ABI_UNKNOWN ? json_null() : json_string(sp_abi_name(it->abi)));
	json_object_set_new(o, "name", json_string(it->name));
	json_object_set_new(o, "risk", json_string(sp_risk_name(it->risk)));
	json_object_set_new(o, "risk_reason", jstr(it->risk_row ? it->risk_row->reason : NULL));
	json_object_set_new(o, "widens", json_boolean(it->widens));
	if (it->before || it->kind == SP_DIFF_CHANGED)
		json_object_set_new(o, "before", jstr(it->before));
	if (it->after || it->kind == SP_DIFF_CHANGED)
		json_object_set_new(o, "after", jstr(it->after));
	if (it->sysc) {
		json_object_set_new(o, "calls", json_integer((json_int_t)it->sysc->calls));
		json_object_set_new(o, "runs_seen", json_integer(it->sysc->runs_seen));
		json_object_set_new(o, "runs", json_integer(it->runs));
		json_object_set_new(o, "first_exe", jstr(it->sysc->first_exe));
		json_object_set_new(o, "sites", sp_json_callsites(it->sysc));
	}
	return o;
}

static int render_json(FILE *out, const struct sp_diff *d, const char *oldp, const char *newp, enum sp_fail_on f,
		       struct sp_err *err)
{
	json_auto_t *root = json_object();
	json_object_set_new(root, "old", json_string(oldp));
	json_object_set_new(root, "new", json_string(newp));
	json_object_set_new(root, "inputs", json_string(d->recordings ? "recordings" : "policies"));
	json_object_set_new(root, "abis_added", abi_list(d->abis_added));
	json_object_set_new(root, "abis_removed", abi_list(d->abis_removed));
	if (!d->recordings) {
		char a[48], b[48];
		json_object_set_new(root, "default_action",
				    json_pack("{s:s, s:s, s:b}", "old", sp_action_str(d->old_default, a, sizeof(a)), "new",
					      sp_action_str(d->new_default, b, sizeof(b)), "changed",
					      d->default_changed));
	}
	json_t *lists[3] = {json_array(), json_array(), json_array()};
	for (size_t i = 0; i < d->n; i++)
		json_array_append_new(lists[d->items[i].kind], json_item(&d->items[i]));
	json_object_set_new(root, "added", lists[SP_DIFF_ADDED]);
	json_object_set_new(root, "removed", lists[SP_DIFF_REMOVED]);
	json_object_set_new(root, "changed", lists[SP_DIFF_CHANGED]);
	json_object_set_new(root, "summary",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "added", (json_int_t)d->added, "high",
				      (json_int_t)d->added_by_risk[SP_RISK_HIGH], "medium",
				      (json_int_t)d->added_by_risk[SP_RISK_MEDIUM], "low",
				      (json_int_t)d->added_by_risk[SP_RISK_LOW], "removed", (json_int_t)d->removed,
				      "changed", (json_int_t)d->changed));
	json_object_set_new(root, "fail_on", json_string(sp_fail_on_name(f)));
	json_object_set_new(root, "drift", json_boolean(sp_diff_fails(d, f)));
	return sp_json_dump(out, root, err);
}

/* ---- command ---------------------------------------------------------- */

struct render {
	const struct sp_diff *d;
	const char *oldp, *newp;
	enum out_format fmt;
	enum sp_fail_on fail_on;
	bool color;
};

static int render_cb(FILE *out, void *ctx, struct sp_err *err)
{
	const struct render *rd = ctx;
	switch (rd->fmt) {
	case OUT_TEXT:
		render_text(out, rd->d, rd->oldp, rd->newp, rd->color);
		break;
	case OUT_MARKDOWN:
		render_markdown(out, rd->d, rd->oldp, rd->newp);
		break;
	case OUT_JSON:
		return render_json(out, rd->d, rd->oldp, rd->newp, rd->fail_on, err);
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	enum { OPT_FORMAT = 256, OPT_FAIL_ON, OPT_JSON };
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		{"format", required_argument, NULL, OPT_FORMAT},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"json", no_argument, NULL, OPT_JSON},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *output = "-";
	enum out_format fmt = OUT_TEXT;
	enum sp_fail_on fail_on = SP_FAIL_ADDED;
	int c;
	while ((c = sp_cli_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'h':
			diff_usage();
			return SP_EXIT_OK;
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				fmt = OUT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = OUT_JSON;
			else if (!strcmp(optarg, "markdown") || !strcmp(optarg, "md"))
				fmt = OUT_MARKDOWN;
			else
				return sp_cli_usage("diff", "unknown --format '%s' (text, json, markdown)", optarg);
			break;
		case OPT_JSON:
			fmt = OUT_JSON;
			break;
		case OPT_FAIL_ON: {
			int f = sp_fail_on_parse(optarg);
			if (f < 0)
				return sp_cli_usage("diff", "unknown --fail-on '%s' (added, removed, any, none)", optarg);
			fail_on = (enum sp_fail_on)f;
			break;
		}
		default:
			return sp_cli_usage_hint("diff");
		}
	}
	if (argc - optind != 2)
		return sp_cli_usage("diff", argc - optind < 2 ? "needs OLD and NEW" : "unexpected argument '%s'",
				    argv[optind + 2 < argc ? optind + 2 : optind]);
	const char *oldp = argv[optind], *newp = argv[optind + 1];
	if ((c = sp_cli_check_output("diff", output, false)))
		return c;

	struct sp_err err = {0};
	struct input a = {0}, b = {0};
	struct sp_diff *d = NULL;
	int status = SP_EXIT_USAGE;
	if (load_input(oldp, &a, &err) < 0 || load_input(newp, &b, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	/* A recording compared with a policy becomes the policy generate
	 * would write from it (with generate's defaults). */
	if (a.rec && b.pol && sp_cli_recording_policy(oldp, a.rec, NULL, &a.pol, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (b.rec && a.pol && sp_cli_recording_policy(newp, b.rec, NULL, &b.pol, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	d = a.pol && b.pol ? sp_diff_policies(a.pol, b.pol) : sp_diff_recordings(a.rec, b.rec);
	/* Colour only for a terminal on standard output, never in a file. */
	struct render rd = {d, oldp, newp, fmt, fail_on, !strcmp(output, "-") && sp_cli_color(STDOUT_FILENO)};
	if (sp_outfile_write(output, render_cb, &rd, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	status = sp_diff_fails(d, fail_on) ? SP_EXIT_FAIL : SP_EXIT_OK;
out:
	sp_diff_free(d);
	input_release(&a);
	input_release(&b);
	return status;
}
