/* SPDX-License-Identifier: MIT */
/* `seccomp-profile merge [-o FILE] RECORDING...`: the union of recordings
 * (generator/merge.h), written as a recording.  Without -o it goes to
 * standard output, like generate; -o FILE is written by core/outfile.h
 * (a file replaced atomically) only after every input has been read, so
 * `-o a.json a.json b.json` is safe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/util.h"
#include "formats/format.h"
#include "generator/merge.h"

static void merge_usage(void)
{
	printf("Usage: " SP_PROG " merge [-o FILE] RECORDING...\n"
	       "\n"
	       "Union of several recordings: counts are summed per ABI and syscall, errors,\n"
	       "call sites and argument values are unioned, and each syscall keeps in how\n"
	       "many of the N runs it was seen (runs_seen), so a syscall seen in 1 of 10\n"
	       "runs stands out in review.  meta.sources lists every source run.\n"
	       "\n"
	       "Options:\n"
	       "  -o, --output FILE  write the merged recording to FILE instead of standard\n"
	       "                     output (a file is replaced atomically; see the manual)\n"
	       "  -h, --help         show this help\n"
	       "\n"
	       "Exit status: 0 success, 1 the output could not be written, 2 usage error or\n"
	       "unreadable input (nothing is written then).\n");
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *output = "-";
	int c;
	while ((c = sp_cli_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'h':
			merge_usage();
			return SP_EXIT_OK;
		case 'o':
			output = optarg;
			break;
		default:
			return sp_cli_usage_hint("merge");
		}
	}
	if (optind >= argc)
		return sp_cli_usage("merge", "no recording given");
	if ((c = sp_cli_check_output("merge", output, false)))
		return c;

	struct sp_err err = {0};
	struct sp_recording *merged = sp_merge_new();
	int status = SP_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct sp_recording *rec = NULL;
		if (sp_recording_read(argv[i], &rec, &err) < 0) {
			status = sp_cli_fail(&err, SP_EXIT_USAGE);
			goto out;
		}
		sp_merge_add(merged, rec, argv[i]);
		sp_recording_free(rec);
	}
	/* The merged file was written by this tool. */
	free(merged->meta.tool_version);
	merged->meta.tool_version = xstrdup(sp_cli_version());
	if (sp_cli_write_recording(output, merged, &err) < 0)
		status = sp_cli_fail(&err, SP_EXIT_FAIL);
out:
	sp_recording_free(merged);
	return status;
}
