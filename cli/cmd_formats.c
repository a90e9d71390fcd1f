/* SPDX-License-Identifier: MIT */
/* `seccomp-profile formats`: one line per format from the registry. */
#include <stdio.h>

#include "cli/cli.h"
#include "formats/format.h"

int cmd_formats(int argc, char **argv)
{
	static const struct option longopts[] = {SP_CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	int c;
	while ((c = sp_cli_getopt(argc, argv, "+", longopts)) != -1) {
		if (c == 'h') {
			printf("Usage: " SP_PROG " formats\n\n"
			       "List the formats that record -f and generate -f write, and that\n"
			       "diff, run and check read.\n");
			return SP_EXIT_OK;
		}
		return sp_cli_usage_hint("formats");
	}
	if (optind < argc)
		return sp_cli_usage("formats", "unexpected argument '%s'", argv[optind]);
	size_t n;
	const struct sp_format *f = sp_formats(&n);
	for (size_t i = 0; i < n; i++) {
		const char *rw = f[i].write_policy && f[i].read_policy ? "read/write"
				 : f[i].write_policy                   ? "write"
				 : f[i].read_policy                    ? "read"
									  : "read/write";
		printf("%-10s %-5s %-10s %s\n", f[i].name, f[i].ext, rw, f[i].summary);
	}
	return SP_EXIT_OK;
}
