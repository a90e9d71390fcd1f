/* SPDX-License-Identifier: MIT */
/* `seccomp-profile generate`: not built yet (issue 4).  Until it lands it
 * prints its intended usage for --help and refuses to run. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_generate(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: " SP_PROG " generate [-f FORMAT] [-o FILE] [--default-action ACTION] [--arch ABI]... INPUT...\n\n"
			       "This command is not available in this build yet (issue 4).\n");
			return SP_EXIT_OK;
		}
	}
	return sp_cli_not_built("generate", "4");
}
