/* SPDX-License-Identifier: MIT */
/* `seccomp-profile unseen [--json] [--risk CLASSES] RECORDING`: per
 * executable of the recording, the system calls static analysis finds
 * reachable (analysis/reach.h) that the recording never saw, each with
 * the import or instruction that makes it reachable and its risk class.
 * Also the helper `generate --add-unseen` uses. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/unseen.h"
#include "cli/cli.h"
#include "cli/unseen.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "generator/risk.h"

static void unseen_usage(void)
{
	printf("Usage: " SP_PROG " unseen [--json] [--risk CLASSES] [--no-cache] RECORDING\n"
	       "\n"
	       "For every executable the recording ran, the system calls it can reach (found\n"
	       "statically in it, its libraries and the C library's own call graph) that the\n"
	       "recording never saw, each with what makes it reachable and its risk class\n"
	       "(docs/risk.md), and a summary: observed N of M reachable.  Those are the calls a\n"
	       "differently-timed run may need; 'generate --add-unseen' adds them to a profile.\n"
	       "Statically linked and Go programs: direct instructions only.  Limits: docs/unseen.md.\n"
	       "\n"
	       "Options:\n"
	       "  --json            machine-readable report\n"
	       "  --risk CLASSES    list only these risk classes: low, medium, high or all\n"
	       "                    (comma-separated; default all)\n"
	       "  --no-cache        do not read or write the C library's cached map\n"
	       "                    ($XDG_CACHE_HOME/seccomp-profile, else ~/.cache/seccomp-profile)\n"
	       "  -h, --help        show this help\n"
	       "\n"
	       "Exit status: 0 report written, 1 no executable of the recording could be\n"
	       "analysed, 2 usage error or unreadable recording.\n");
}

static bool shown(unsigned mask, const char *name)
{
	return mask & (1u << sp_risk_of(name));
}

static const char *linkage_name(enum sp_reach_linkage l)
{
	return l == SP_REACH_STATIC ? "static" : l == SP_REACH_GO ? "go" : "dynamic";
}

static void text_report(const struct sp_unseen *u, unsigned mask)
{
	for (size_t i = 0; i < u->nexes; i++) {
		const struct sp_unseen_exe *x = &u->exes[i];
		if (x->error) {
			printf("%s: not analysed: %s\n\n", x->path, x->error);
			continue;
		}
		const struct sp_reach_exe *r = x->reach;
		size_t nobj = sp_strv_len(r->objects);
		printf("%s (%s, %s, %zu object%s)\n", x->path, sp_abi_name(r->abi), linkage_name(r->linkage), nobj,
		       nobj == 1 ? "" : "s");
		for (char **n = r->notes; *n; n++)
			printf("  note: %s\n", *n);
		for (size_t k = 0; k < x->nitems; k++) {
			const struct sp_unseen_item *it = &x->items[k];
			if (!shown(mask, it->name))
				continue;
			printf("  %-22s %-6s via %s\n", it->name, sp_risk_name(sp_risk_of(it->name)), it->via);
		}
		for (size_t k = 0; k < r->nunknown; k++)
			printf("  %-22s %-6s %s\n", "?", "", r->unknown[k]);
		printf("  observed %zu, reachable %zu, coverage %zu/%zu (%.0f%%), unseen %zu\n\n", x->nobserved,
		       x->nreachable, x->nobserved, x->nreachable,
		       x->nreachable ? 100.0 * (double)x->nobserved / (double)x->nreachable : 100.0, x->nitems);
	}
	printf("observed but reachable from no analysed executable: %zu of %zu", u->nmissed, u->nobserved_abis);
	for (size_t i = 0; i < u->nmissed; i++) {
		char buf[40];
		const char *nm = u->missed[i].name;
		if (!nm) {
			snprintf(buf, sizeof(buf), "syscall_%" PRId64, u->missed[i].nr);
			nm = buf;
		}
		printf("%s%s", i ? ", " : ": ", nm);
	}
	printf("\n");
}

static json_t *strv_json(char **v)
{
	json_t *a = json_array();
	for (; v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static int json_report(const struct sp_unseen *u, unsigned mask)
{
	json_t *root = json_object(), *exes = json_array();
	json_object_set_new(root, "executables", exes);
	for (size_t i = 0; i < u->nexes; i++) {
		const struct sp_unseen_exe *x = &u->exes[i];
		json_t *o = json_object();
		json_array_append_new(exes, o);
		json_object_set_new(o, "path", json_string(x->path));
		if (x->error) {
			json_object_set_new(o, "error", json_string(x->error));
			continue;
		}
		const struct sp_reach_exe *r = x->reach;
		json_object_set_new(o, "abi", json_string(sp_abi_name(r->abi)));
		json_object_set_new(o, "linkage", json_string(linkage_name(r->linkage)));
		json_object_set_new(o, "objects", strv_json(r->objects));
		json_object_set_new(o, "notes", strv_json(r->notes));
		json_object_set_new(o, "observed", json_integer((json_int_t)x->nobserved));
		json_object_set_new(o, "reachable", json_integer((json_int_t)x->nreachable));
		json_t *items = json_array();
		for (size_t k = 0; k < x->nitems; k++) {
			const struct sp_unseen_item *it = &x->items[k];
			if (!shown(mask, it->name))
				continue;
			json_t *j = json_object();
			const struct sp_risk_row *row = sp_risk_lookup(it->name);
			json_object_set_new(j, "name", json_string(it->name));
			json_object_set_new(j, "nr", json_integer((json_int_t)it->nr));
			json_object_set_new(j, "risk", json_string(sp_risk_name(sp_risk_of(it->name))));
			json_object_set_new(j, "risk_reason", row ? json_string(row->reason) : json_null());
			json_object_set_new(j, "via", json_string(it->via));
			json_array_append_new(items, j);
		}
		json_object_set_new(o, "unseen", items);
		/* the reachable calls that were observed (the rest of the
		 * reachable set) */
		json_t *seen = json_array();
		for (size_t k = 0; k < r->ncalls; k++) {
			bool unseen = false;
			for (size_t j = 0; j < x->nitems && !unseen; j++)
				unseen = x->items[j].nr == r->calls[k].nr;
			if (r->calls[k].name && !unseen)
				json_array_append_new(seen, json_string(r->calls[k].name));
		}
		json_object_set_new(o, "reachable_observed", seen);
		json_object_set_new(o, "runtime_numbers", strv_json(r->unknown));
	}
	json_t *missed = json_array();
	for (size_t i = 0; i < u->nmissed; i++) {
		json_t *j = json_object();
		json_object_set_new(j, "abi", json_string(sp_abi_name(u->missed[i].abi)));
		json_object_set_new(j, "nr", json_integer((json_int_t)u->missed[i].nr));
		json_object_set_new(j, "name", u->missed[i].name ? json_string(u->missed[i].name) : json_null());
		json_array_append_new(missed, j);
	}
	json_object_set_new(root, "observed_not_reachable", missed);
	json_object_set_new(root, "observed", json_integer((json_int_t)u->nobserved_abis));
	int r = sp_json_dump(stdout, root, NULL);
	json_decref(root);
	return r;
}

static void log_stats(const struct sp_reach_ctx *ctx)
{
	const struct sp_reach_stats *st = sp_reach_stats(ctx);
	if (st->libc_built || st->libc_cached)
		sp_info("libc map: %.3f s (%u built, %u from the cache%s%s)", st->libc_seconds, st->libc_built,
			st->libc_cached, st->libc_cache_file ? " " : "",
			st->libc_cache_file ? st->libc_cache_file : "");
}

int sp_cli_unseen_additions(const struct sp_recording *rec, unsigned mask, struct sp_cli_unseen_add *out,
			    struct sp_err *err)
{
	memset(out, 0, sizeof(*out));
	out->ctx = sp_reach_new(NULL);
	int r = sp_unseen_compute(out->ctx, rec, &out->u, err);
	if (r < 0)
		return r;
	log_stats(out->ctx);
	size_t analysed = 0;
	for (size_t i = 0; i < out->u->nexes; i++) {
		const struct sp_unseen_exe *x = &out->u->exes[i];
		if (x->error) {
			sp_warn("--add-unseen: '%s' not analysed: %s", x->path, x->error);
			continue;
		}
		analysed++;
		for (size_t k = 0; k < x->nitems; k++) {
			const struct sp_unseen_item *it = &x->items[k];
			if (!shown(mask, it->name))
				continue;
			bool dup = false;
			for (size_t j = 0; j < out->n && !dup; j++)
				dup = out->v[j].abi == it->abi && !strcmp(out->v[j].name, it->name);
			if (dup)
				continue;
			out->whys = xrealloc(out->whys, (out->n + 1) * sizeof(char *));
			out->whys[out->n] = xasprintf("%s reaches it via %s", x->path, it->via);
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			out->v[out->n] = (struct sp_gen_extra){it->abi, it->name, out->whys[out->n]};
			out->n++;
		}
	}
	if (!analysed && out->u->nexes)
		return sp_err_set(err, -ENOENT, "--add-unseen: none of the recording's %zu executables could be analysed",
				  out->u->nexes);
	if (!out->u->nexes)
		return sp_err_set(err, -ENOENT, "--add-unseen: the recording lists no executables (meta.executables)");
	return 0;
}

void sp_cli_unseen_release(struct sp_cli_unseen_add *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->whys[i]);
	free(a->whys);
	free(a->v);
	sp_unseen_free(a->u);
	sp_reach_free(a->ctx);
	memset(a, 0, sizeof(*a));
}

int cmd_unseen(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_RISK, OPT_NO_CACHE };
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		{"json", no_argument, NULL, OPT_JSON},
		{"risk", required_argument, NULL, OPT_RISK},
		{"no-cache", no_argument, NULL, OPT_NO_CACHE},
		{NULL, 0, NULL, 0},
	};
	bool json = false, no_cache = false;
	unsigned mask = 7;
	struct sp_err err = {0};
	int c;
	while ((c = sp_cli_getopt(argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'h':
			unseen_usage();
			return SP_EXIT_OK;
		case OPT_JSON:
			json = true;
			break;
		case OPT_RISK:
			if (sp_risk_parse_set(optarg, &mask, &err) < 0)
				return sp_cli_usage("unseen", "--risk: %s", err.msg);
			break;
		case OPT_NO_CACHE:
			no_cache = true;
			break;
		default:
			return sp_cli_usage_hint("unseen");
		}
	}
	if (optind >= argc)
		return sp_cli_usage("unseen", "no recording given");
	if (optind + 1 < argc)
		return sp_cli_usage("unseen", "one recording only (merge several first)");
	struct sp_recording *rec = NULL;
	if (sp_recording_read(argv[optind], &rec, &err) < 0)
		return sp_cli_fail(&err, SP_EXIT_USAGE);
	struct sp_reach_ctx *ctx = sp_reach_new(no_cache ? "" : NULL);
	struct sp_unseen *u = NULL;
	int status = SP_EXIT_OK;
	if (sp_unseen_compute(ctx, rec, &u, &err) < 0) {
		status = sp_cli_fail(&err, SP_EXIT_FAIL);
		goto out;
	}
	log_stats(ctx);
	size_t analysed = 0;
	for (size_t i = 0; i < u->nexes; i++)
		analysed += !u->exes[i].error;
	if (json) {
		if (json_report(u, mask) < 0) {
			sp_cli_error("write to standard output failed");
			status = SP_EXIT_FAIL;
		}
	} else {
		text_report(u, mask);
	}
	if (!analysed) {
		sp_cli_error("%s: none of the recording's %zu executable%s could be analysed", argv[optind], u->nexes,
			     u->nexes == 1 ? "" : "s");
		status = SP_EXIT_FAIL;
	}
out:
	sp_unseen_free(u);
	sp_reach_free(ctx);
	sp_recording_free(rec);
	return status;
}
