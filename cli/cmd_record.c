/* SPDX-License-Identifier: MIT */
/* `seccomp-profile record`: not built yet (issue 3).  Until it lands it
 * prints its intended usage for --help and refuses to run. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_record(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: " SP_PROG " record [-o FILE] [-f FORMAT] [-c] [--stacks[=DEPTH]] [--baseline PROFILE] [--] CMD [ARGS...]\n"
			       "       " SP_PROG " record -p PID [-p PID...] [-o FILE] [-f FORMAT]\n\n"
			       "This command is not available in this build yet (issue 3).\n");
			return SP_EXIT_OK;
		}
	}
	return sp_cli_not_built("record", "3");
}
