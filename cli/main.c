/* SPDX-License-Identifier: MIT */
/*
 * seccomp-profile: record the syscalls a workload makes and turn them into
 * seccomp allow-lists.  This file holds the subcommand table and the
 * helpers every command shares; each command is in cli/cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tracer/ebpf/ebpf.h"
#include "core/abi.h"
#include "core/log.h"

#ifndef SP_VERSION
#define SP_VERSION "0.0.0-dev"
#endif

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct cmd cmds[] = {
	{"record", cmd_record, "run or attach to a workload and record every syscall it makes"},
	{"generate", cmd_generate, "turn recordings into an allow-list policy (docker, oci, yaml, c, ...)"},
	{"merge", cmd_merge, "union of several recordings"},
	{"diff", cmd_diff, "what changed between two recordings or policies"},
	{"run", cmd_run, "run a command under a profile"},
	{"check", cmd_check, "run a command and report every syscall outside a profile"},
	{"summary", cmd_summary, "strace -c style table of a recording"},
	{"explain", cmd_explain, "where a syscall in a recording was called from"},
	{"oci-hook", cmd_oci_hook, "OCI runtime hook: record a container from the inside (podman, CRI-O)"},
	{"unseen", cmd_unseen, "syscalls the executables can reach that the recording never saw"},
	{"formats", cmd_formats, "list the policy formats"},
	{"help", cmd_help, "show help for a command"},
	{"version", cmd_version, "print the version"},
};

const char *sp_cli_version(void)
{
	return SP_VERSION;
}

const char *sp_cli_abi_names(void)
{
	static char buf[256];
	if (!buf[0])
		for (int i = 0; i < SP_ABI_COUNT; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "",
				 sp_abi_name((enum sp_abi)i));
	return buf;
}

/* Applies -v/-q; true when c was one of them. */
static bool common_opt(int c)
{
	switch (c) {
	case 'v':
		if (sp_log_level < SP_LOG_DEBUG)
			sp_log_level++;
		return true;
	case 'q':
		sp_log_level = SP_LOG_QUIET;
		return true;
	}
	return false;
}

int sp_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char opts[64];
	snprintf(opts, sizeof(opts), "%s" SP_CLI_COMMON_SHORTOPTS, shortopts);
	int c;
	while ((c = getopt_long(argc, argv, opts, longopts, NULL)) != -1 && common_opt(c))
		;
	return c;
}

void sp_cli_error(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, SP_PROG ": %s\n", msg);
}

int sp_cli_fail(const struct sp_err *err, int status)
{
	sp_cli_error("%s", err->msg[0] ? err->msg : "unknown error");
	return status;
}

int sp_cli_usage_hint(const char *cmd)
{
	if (cmd)
		fprintf(stderr, "Try '" SP_PROG " %s --help' for more information.\n", cmd);
	else
		fprintf(stderr, "Try '" SP_PROG " --help' for more information.\n");
	return SP_EXIT_USAGE;
}

int sp_cli_usage(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, SP_PROG " %s: %s\n", cmd, msg);
	else
		fprintf(stderr, SP_PROG ": %s\n", msg);
	return sp_cli_usage_hint(cmd);
}

bool sp_cli_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fd);
}

static void main_usage(FILE *out)
{
	fprintf(out,
		"Usage: " SP_PROG " [-v|-q] <command> [options] [args]\n"
		"\n"
		"Record the syscalls a workload makes (all threads, child processes and ABIs)\n"
		"and turn them into seccomp allow-list policies.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(out, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -h, --help     show this help\n"
		"  -V, --version  print the version\n"
		"  -v, --verbose  more diagnostics (twice for debug output)\n"
		"  -q, --quiet    errors only\n"
		"\n"
		"Quick start:\n"
		"  " SP_PROG " record -f docker -o app.json -- ./app\n"
		"\n"
		"Exit status: 0 success, 1 failure/drift/violation, 2 usage or input error;\n"
		"record exits with the workload's status.\n"
		"Run '" SP_PROG " <command> --help' for a command's options.\n");
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		main_usage(stdout);
		return SP_EXIT_OK;
	}
	const struct cmd *c = find_cmd(argv[1]);
	if (!c)
		return sp_cli_usage(NULL, "unknown command '%s'", argv[1]);
	char name[32], help[] = "--help";
	snprintf(name, sizeof(name), "%s", c->name);
	char *args[] = {name, help, NULL};
	optind = 0;
	return c->fn(2, args);
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf(SP_PROG " %s\n", SP_VERSION);
	printf("record back-ends: ptrace%s\n", sp_ebpf_built() ? ", ebpf" : " (ebpf: not built)");
	return SP_EXIT_OK;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			main_usage(stdout);
			return SP_EXIT_OK;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			return cmd_version(0, NULL);
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			common_opt('v');
		else if (!strcmp(a, "-vv"))
			sp_log_level = SP_LOG_DEBUG;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			common_opt('q');
		else
			return sp_cli_usage(NULL, "unknown option '%s'", a);
	}
	if (i >= argc) {
		main_usage(stderr);
		return SP_EXIT_USAGE;
	}
	const struct cmd *c = find_cmd(argv[i]);
	if (!c)
		return sp_cli_usage(NULL, "unknown command '%s'", argv[i]);
	/* getopt_long in the command starts over on its own argv, and names
	 * argv[0] in its own complaints: make that "seccomp-profile CMD" so
	 * that every message starts with the program's name. */
	char prog[64];
	snprintf(prog, sizeof(prog), SP_PROG " %s", c->name);
	argv[i] = prog;
	optind = 0;
	return c->fn(argc - i, argv + i);
}
