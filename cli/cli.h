/* SPDX-License-Identifier: MIT */
/*
 * cli/cli.h: what the subcommands share.
 *
 * Each subcommand is `int cmd_<name>(int argc, char **argv)` in
 * cli/cmd_<name>.c, registered in the table in cli/main.c.  argv[0] is the
 * subcommand name.  A command returns the process exit status:
 *
 *     SP_EXIT_OK 0        success (check: inside the profile; diff: no drift)
 *     SP_EXIT_FAIL 1      failure, drift or violation
 *     SP_EXIT_USAGE 2     usage error, bad input, or an error before any work
 *
 * (record returns the workload's own status.)  Only cli/ prints messages:
 * sp_cli_error() for "seccomp-profile: <msg>", sp_cli_usage() for misuse
 * (one line plus a hint to try --help).  Options common to all commands
 * (-h/--help, -v/--verbose, -q/--quiet) go through SP_CLI_COMMON_LONGOPTS
 * and sp_cli_getopt():
 *
 *     static const struct option longopts[] = {
 *             SP_CLI_COMMON_LONGOPTS, {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
 *     while ((c = sp_cli_getopt(argc, argv, "o:", longopts)) != -1) {
 *             switch (c) {
 *             case 'h': usage(); return SP_EXIT_OK;
 *             case 'o': output = optarg; break;
 *             default: return sp_cli_usage_hint("CMD");
 *             }
 *     }
 */
#ifndef SP_CLI_CLI_H
#define SP_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "core/err.h"

enum {
	SP_EXIT_OK = 0,
	SP_EXIT_FAIL = 1,
	SP_EXIT_USAGE = 2,
};

#define SP_PROG "seccomp-profile"

#define SP_CLI_COMMON_SHORTOPTS "hvq"
#define SP_CLI_COMMON_LONGOPTS                                                                      \
	{"help", no_argument, NULL, 'h'}, {"verbose", no_argument, NULL, 'v'},                          \
	{"quiet", no_argument, NULL, 'q'}

/* getopt_long() for a command: shortopts are the command's own (a leading
 * '+' ends the options at the first operand), the common ones are added
 * here, and -v/-q are applied here; returns the next other option (-h as
 * 'h', left to the command to print its own usage; '?' after getopt's own
 * complaint), or -1 after the last. */
int sp_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* "seccomp-profile: <msg>" on stderr. */
void sp_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err's message; returns status. */
int sp_cli_fail(const struct sp_err *err, int status);
/* One line of misuse plus "Try 'seccomp-profile CMD --help'."; returns 2. */
int sp_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For getopt's own complaint ('?'): it already printed the line. */
int sp_cli_usage_hint(const char *cmd);

/* true when stdout/stderr is a terminal and NO_COLOR is unset. */
bool sp_cli_color(int fd);

const char *sp_cli_version(void);

/* "x86_64, i386, x32, ..." for messages about an unknown ABI name. */
const char *sp_cli_abi_names(void);

int cmd_record(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_oci_hook(int argc, char **argv);
int cmd_unseen(int argc, char **argv);

#endif
