/* SPDX-License-Identifier: MIT */
/* `seccomp-profile explain RECORDING SYSCALL [--abi ABI]`: every call site
 * recorded for SYSCALL (record --stacks), with the executable and the
 * backtrace.  Exit 0 when sites were shown, 1 when the syscall is not in
 * the recording or was recorded without call sites, 2 on usage or input
 * errors. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/callsite.h"
#include "cli/cli.h"
#include "core/util.h"
#include "formats/format.h"

static void explain_usage(void)
{
	printf("Usage: " SP_PROG " explain [--abi ABI] RECORDING SYSCALL\n"
	       "\n"
	       "Show every call site recorded for SYSCALL (a name, or a number with --abi):\n"
	       "the executable that made the call and its backtrace, each frame as\n"
	       "symbol+offset (module+offset from the module's load base, which addr2line\n"
	       "takes).  Call sites are recorded by 'record --stacks'.\n"
	       "\n"
	       "Options:\n"
	       "  --abi ABI    only the calls made on ABI (x86_64, i386, x32, ...)\n"
	       "  -h, --help   show this help\n"
	       "\n"
	       "Exit status: 0 call sites shown, 1 the syscall is not in the recording or has\n"
	       "no recorded call sites, 2 usage error or unreadable recording.\n");
}

static bool matches(const struct sp_sysc *s, const char *name, bool numeric, uint64_t nr)
{
	char buf[32];
	if (numeric && (uint64_t)s->nr == nr)
		return true;
	return !strcmp(sp_sysc_display_name(s, buf, sizeof(buf)), name);
}

static void print_entry(const struct sp_sysc *s, uint32_t runs)
{
	char nbuf[32];
	const char *name = sp_sysc_display_name(s, nbuf, sizeof(nbuf));
	printf("%s on %s: %" PRIu64 " call%s, %" PRIu64 " error%s, seen in %u of %u run%s", name, sp_abi_name(s->abi),
	       s->calls, s->calls == 1 ? "" : "s", s->errors, s->errors == 1 ? "" : "s", s->runs_seen, runs,
	       runs == 1 ? "" : "s");
	if (s->first_exe)
		printf(", first by %s (pid %d)", s->first_exe, (int)s->first_pid);
	fputc('\n', stdout);
	for (size_t k = 0; k < s->nsites; k++) {
		const struct sp_callsite *cs = &s->sites[k];
		printf("  call site %zu of %zu%s%s%s:\n", k + 1, s->nsites, cs->exe ? " (" : "", cs->exe ? cs->exe : "",
		       cs->exe ? ")" : "");
		for (size_t f = 0; f < cs->nframes; f++) {
			char buf[SP_CLI_FRAME_MAX];
			printf("    #%-2zu %s\n", f, sp_cli_frame_str(&cs->frames[f], false, buf, sizeof(buf)));
		}
	}
	if (s->sites_dropped)
		printf("  (%u more distinct call site%s not kept: the recording keeps %d per syscall)\n",
		       s->sites_dropped, s->sites_dropped == 1 ? " was" : "s were", SP_MAX_CALLSITES);
}

int cmd_explain(int argc, char **argv)
{
	enum { OPT_ABI = 256 };
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		{"abi", required_argument, NULL, OPT_ABI},
		{NULL, 0, NULL, 0},
	};
	enum sp_abi only = SP_ABI_UNKNOWN;
	int c;
	while ((c = sp_cli_getopt(argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'h':
			explain_usage();
			return SP_EXIT_OK;
		case OPT_ABI:
			only = sp_abi_from_name(optarg);
			if (only == SP_ABI_UNKNOWN)
				return sp_cli_usage("explain", "unknown ABI '%s' (%s)", optarg, sp_cli_abi_names());
			break;
		default:
			return sp_cli_usage_hint("explain");
		}
	}
	if (argc - optind != 2)
		return sp_cli_usage("explain", argc - optind < 2 ? "needs RECORDING and SYSCALL"
							     : "unexpected argument '%s'",
				    argv[argc - 1]);
	const char *path = argv[optind], *name = argv[optind + 1];
	uint64_t nr = 0;
	bool numeric = sp_parse_u64(name, UINT32_MAX, &nr);
	if (numeric && only == SP_ABI_UNKNOWN)
		return sp_cli_usage("explain", "a syscall number needs --abi (numbers differ between ABIs)");
	if (!numeric && strncmp(name, "syscall_", 8) && !sp_abi_syscall_known(name))
		return sp_cli_usage("explain", "unknown syscall '%s'", name);

	struct sp_err err = {0};
	struct sp_recording *rec = NULL;
	if (sp_recording_read(path, &rec, &err) < 0)
		return sp_cli_fail(&err, SP_EXIT_USAGE);
	size_t n;
	struct sp_sysc **v = sp_recording_sorted(rec, &n);
	size_t found = 0, with_sites = 0;
	uint64_t calls = 0;
	for (size_t i = 0; i < n; i++) {
		if ((only != SP_ABI_UNKNOWN && v[i]->abi != only) || !matches(v[i], name, numeric, nr))
			continue;
		found++;
		calls += v[i]->calls;
		if (!v[i]->nsites)
			continue;
		if (with_sites++)
			fputc('\n', stdout);
		print_entry(v[i], rec->meta.runs);
	}
	int status = SP_EXIT_OK;
	const char *where = only == SP_ABI_UNKNOWN ? "" : " on ";
	const char *abi = only == SP_ABI_UNKNOWN ? "" : sp_abi_name(only);
	if (!found) {
		sp_cli_error("%s: '%s' is not in this recording%s%s", path, name, where, abi);
		status = SP_EXIT_FAIL;
	} else if (!with_sites) {
		sp_cli_error("%s: '%s' was recorded%s%s (%" PRIu64 " call%s) but without call sites; "
			     "record with --stacks to capture them",
			     path, name, where, abi, calls, calls == 1 ? "" : "s");
		status = SP_EXIT_FAIL;
	}
	free(v);
	sp_recording_free(rec);
	return status;
}
