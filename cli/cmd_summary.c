/* SPDX-License-Identifier: MIT */
/* `seccomp-profile summary`: the strace -c style table of a recording
 * (cli/summary_table.c renders it; `record -c` prints the same). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/summary_table.h"
#include "core/outfile.h"
#include "core/recording.h"
#include "formats/format.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " SP_PROG " summary [--json] [-o FILE] RECORDING\n"
		"\n"
		"Print an strace -c style table of a recording: %% time, seconds, usecs/call,\n"
		"calls, errors and syscall, with a section per ABI when there are several.\n"
		"Time and errors are only measured by 'record -c' (or --no-seccomp for errors).\n"
		"\n"
		"Options:\n"
		"      --json      the same numbers as JSON\n"
		"  -o, --output FILE  write to FILE instead of standard output (a file is\n"
		"                  replaced atomically; see the manual)\n"
		"  -h, --help      show this help\n");
}

static int write_json(FILE *out, void *ctx, struct sp_err *err)
{
	return sp_summary_write_json(out, ctx, err);
}

static int write_table(FILE *out, void *ctx, struct sp_err *err)
{
	(void)err;
	sp_summary_print(out, ctx);
	return 0;
}

int cmd_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"output", required_argument, NULL, 'o'},
		SP_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	const char *output = "-";
	int c;
	while ((c = sp_cli_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return SP_EXIT_OK;
		case 'j':
			json = true;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return sp_cli_usage_hint("summary");
		}
	}
	if (argc - optind != 1)
		return sp_cli_usage("summary", argc - optind ? "one recording expected" : "no recording given");
	if ((c = sp_cli_check_output("summary", output, false)))
		return c;
	struct sp_err err = {0};
	struct sp_recording *rec = NULL;
	if (sp_recording_read(argv[optind], &rec, &err) < 0)
		return sp_cli_fail(&err, SP_EXIT_USAGE);
	int r = sp_outfile_write(output, json ? write_json : write_table, rec, &err);
	sp_recording_free(rec);
	if (r < 0)
		return sp_cli_fail(&err, SP_EXIT_FAIL);
	return SP_EXIT_OK;
}
