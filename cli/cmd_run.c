/* SPDX-License-Identifier: MIT */
/* `seccomp-profile run`: not built yet (issue 5).  Until it lands it
 * prints its intended usage for --help and refuses to run. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_run(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: " SP_PROG " run --profile FILE [--mode enforce|log|kill] [--] CMD [ARGS...]\n\n"
			       "This command is not available in this build yet (issue 5).\n");
			return SP_EXIT_OK;
		}
	}
	return sp_cli_not_built("run", "5");
}
