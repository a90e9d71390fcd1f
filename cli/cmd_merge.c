/* SPDX-License-Identifier: MIT */
/* `seccomp-profile merge`: not built yet (issue 6).  Until it lands it
 * prints its intended usage for --help and refuses to run. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_merge(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: " SP_PROG " merge [-o FILE] RECORDING...\n\n"
			       "This command is not available in this build yet (issue 6).\n");
			return SP_EXIT_OK;
		}
	}
	return sp_cli_not_built("merge", "6");
}
