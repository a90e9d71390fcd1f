/* SPDX-License-Identifier: MIT */
/* `seccomp-profile generate`: recordings (their union) -> a policy in one of
 * the registered formats (generator/generate.h decides what goes in,
 * formats/ how it is written, cli/output.c writes it by core/outfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "cli/output.h"
#include "cli/unseen.h"
#include "cli/run_common.h"
#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/format.h"
#include "generator/generate.h"
#include "generator/merge.h"
#include "generator/risk.h"
#include "generator/uring.h"

static void generate_usage(void)
{
	printf("Usage: " SP_PROG " generate [-f FORMAT] [-o FILE] [--default-action ACTION] [--arch ABI]...\n"
	       "                [--no-required] [--runtime any|runc|crun|bwrap|none] [--explain]\n"
	       "                [--args] [--add-unseen CLASSES] [--deny-io-uring] INPUT...\n"
	       "\n"
	       "Turns recordings (several are merged: their union) into an allow-list policy.\n"
	       "Inputs may also be policy files (docker, oci, k8s, yaml): they are taken as\n"
	       "they are and added to the union, e.g. to convert a Docker profile to a C header.\n"
	       "The same inputs always give a byte-identical file.\n"
	       "\n"
	       "Options:\n"
	       "  -f, --format FORMAT     docker (default), oci, yaml, c, bpf, systemd, k8s,\n"
	       "                          recording (see '" SP_PROG " formats')\n"
	       "  -o, --output FILE       write to FILE ('-' = standard output, the default); a file\n"
	       "                          is replaced atomically, a device or FIFO written in place\n"
	       "      --default-action ACTION\n"
	       "                          for syscalls not listed: errno (EPERM, the default),\n"
	       "                          errno:NAME, errno:N, kill (the whole process),\n"
	       "                          kill-thread, trap, log\n"
	       "      --arch ABI          also cover ABI (x86_64, i386, x32, aarch64, arm, riscv64,\n"
	       "                          ppc64le, s390x, s390, mipsel64, mipsel) by translating the\n"
	       "                          observed names (open -> openat, ...); repeatable\n"
	       "      --no-required       leave out the syscalls every program may need on paths a\n"
	       "                          short run does not show (restart_syscall, rt_sigreturn,\n"
	       "                          sigreturn, exit, exit_group, and the vDSO fallbacks\n"
	       "                          clock_gettime, clock_gettime64, gettimeofday, time, getcpu)\n"
	       "      --runtime RUNTIME   add the syscalls the container runtime makes under the\n"
	       "                          filter before the workload runs: any (runc and crun),\n"
	       "                          runc, crun, bwrap or none.  Default: any for docker,\n"
	       "                          oci and k8s, bwrap for bpf, none for the others; policy\n"
	       "                          inputs get them only when --runtime is given\n"
	       "      --explain           provenance comments (first executable and call site, or\n"
	       "                          why a syscall was added) in yaml, c and systemd output\n"
	       "      --args              argument rules from the recorded argument values\n"
	       "      --add-unseen CLASSES\n"
	       "                          also allow the syscalls of these risk classes (low,\n"
	       "                          medium, high, all; comma-separated) that the recorded\n"
	       "                          executables can reach but the recording never saw (see\n"
	       "                          '" SP_PROG " unseen'); marked as added by analysis\n"
	       "      --deny-io-uring     answer io_uring_setup, io_uring_enter and io_uring_register\n"
	       "                          with ENOSYS: seccomp cannot filter what a program submits\n"
	       "                          through io_uring, so a profile that allows it allows\n"
	       "                          every io_uring operation (a warning says so otherwise)\n"
	       "  -h, --help              show this help\n"
	       "\n"
	       "Exit status: 0 success, 1 the output could not be written, 2 usage error, bad\n"
	       "input or a policy the format cannot express (nothing is written then).\n");
}

/* --runtime with policy inputs: warns about each of the runtime's calls
 * the inputs deny without a condition (the runtime needs them; the
 * union's ALLOW replaces such a rule), then adds them. */
static void add_runtime_to_policies(struct sp_policy *p, const char *sel)
{
	size_t n;
	const struct sp_gen_runtime *rts = sp_gen_runtimes(&n);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (r->ncond || r->action.kind == SP_ACT_ALLOW || sp_policy_allows(p, r->name))
			continue;
		for (size_t k = 0; k < n; k++) {
			if (!sp_gen_runtime_selects(sel, &rts[k]))
				continue;
			for (const struct sp_gen_rtcall *c = rts[k].calls; c->name; c++)
				if (!strcmp(c->name, r->name))
					sp_cli_error("warning: the input denies \"%s\"; --runtime %s allows it (%s %s)",
						     r->name, sel, rts[k].name, c->why);
		}
	}
	sp_gen_add_runtime(p, sel);
}

/* What the recordings say they may have missed: executables that ran
 * without their setuid/setgid/file-capability privileges under the
 * recorder (tracer/privexec.c), repeated so that whoever turns the
 * recording into a profile hears of it. */
static void warn_recording(const struct sp_recording *rec)
{
	for (size_t i = 0; rec && i < rec->meta.nunfaithful; i++)
		sp_warn("'%s' ran without its privileges while recording: %s; the profile may lack what it does "
			"with them",
			rec->meta.unfaithful[i].path, rec->meta.unfaithful[i].reason);
}

/* After a profile was written: io_uring lets programs do what seccomp
 * cannot see (generator/uring.h).  pol is the policy written, or NULL to
 * build it again from rec. */
static void warn_io_uring(const struct sp_recording *rec, const struct sp_gen_opts *gen,
			  const struct sp_policy *pol)
{
	struct sp_policy *built = NULL;
	struct sp_err err = {0};
	if (!pol && sp_generate(rec, gen, &built, &err) == 0)
		pol = built;
	if (pol)
		sp_cli_warn_io_uring(pol, rec, "the profile",
				     "they pass whatever the profile says about system calls; 'generate "
				     "--deny-io-uring' answers the io_uring calls with ENOSYS instead (Docker's "
				     "default profile has denied io_uring since 2023)");
	sp_policy_free(built);
	const struct sp_recording_uring *u = rec ? &rec->meta.io_uring : NULL;
	if (gen->deny_io_uring && u && u->used) {
		_cleanup_free_ char *ops = sp_cli_uring_ops(u);
		sp_warn("the recorded program used io_uring%s%s%s: with --deny-io-uring its io_uring_setup fails "
			"with ENOSYS, and it works under this profile only if it falls back to system calls the "
			"profile allows",
			u->nops ? " (opcodes " : "", u->nops ? ops : "", u->nops ? ")" : "");
	}
}

int cmd_generate(int argc, char **argv)
{
	enum {
		OPT_DEFAULT = 256,
		OPT_ARCH,
		OPT_NO_REQUIRED,
		OPT_RUNTIME,
		OPT_EXPLAIN,
		OPT_ARGS,
		OPT_ADD_UNSEEN,
		OPT_DENY_IO_URING,
	};
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"default-action", required_argument, NULL, OPT_DEFAULT},
		{"arch", required_argument, NULL, OPT_ARCH},
		{"no-required", no_argument, NULL, OPT_NO_REQUIRED},
		{"runtime", required_argument, NULL, OPT_RUNTIME},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"args", no_argument, NULL, OPT_ARGS},
		{"add-unseen", required_argument, NULL, OPT_ADD_UNSEEN},
		{"deny-io-uring", no_argument, NULL, OPT_DENY_IO_URING},
		{NULL, 0, NULL, 0},
	};
	const char *format = "docker", *output = "-";
	struct sp_gen_opts gen;
	sp_gen_opts_init(&gen);
	struct sp_write_opts wo = {0};
	struct sp_err err = {0};
	bool def_given = false;
	unsigned unseen_mask = 0;
	struct sp_cli_unseen_add unseen = {0};
	int c;
	while ((c = sp_cli_getopt(argc, argv, "f:o:", longopts)) != -1) {
		switch (c) {
		case 'h':
			generate_usage();
			return SP_EXIT_OK;
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_DEFAULT:
			if (sp_action_parse(optarg, &gen.def, &err) < 0)
				return sp_cli_usage("generate", "--default-action: %s", err.msg);
			def_given = true;
			if (gen.def.kind == SP_ACT_ALLOW)
				return sp_cli_usage("generate", "--default-action allow makes an allow-list pointless");
			break;
		case OPT_ARCH: {
			enum sp_abi a = sp_abi_from_name(optarg);
			if (a == SP_ABI_UNKNOWN)
				return sp_cli_usage("generate", "--arch: unknown ABI '%s' (%s)", optarg,
						    sp_cli_abi_names());
			gen.add_abis |= sp_abi_bit(a);
			break;
		}
		case OPT_NO_REQUIRED:
			gen.no_required = true;
			break;
		case OPT_RUNTIME:
			if (!sp_gen_runtime_ok(optarg))
				return sp_cli_usage("generate", "--runtime: unknown runtime '%s' (" SP_GEN_RUNTIMES ")",
						    optarg);
			gen.runtime = optarg;
			break;
		case OPT_EXPLAIN:
			wo.explain = true;
			break;
		case OPT_ARGS:
			gen.args = true;
			break;
		case OPT_ADD_UNSEEN:
			if (sp_risk_parse_set(optarg, &unseen_mask, &err) < 0)
				return sp_cli_usage("generate", "--add-unseen: %s", err.msg);
			break;
		case OPT_DENY_IO_URING:
			gen.deny_io_uring = true;
			break;
		default:
			return sp_cli_usage_hint("generate");
		}
	}
	const struct sp_format *f = sp_format_find(format);
	if (!f || (!f->write_policy && strcmp(format, "recording")))
		return sp_cli_usage("generate", "-f: unknown output format '%s' (see '" SP_PROG " formats')", format);
	if (optind >= argc)
		return sp_cli_usage("generate", "no input given");
	/* A recording is what was observed: no runtime's calls go in there. */
	if (gen.runtime && !strcmp(format, "recording"))
		return sp_cli_usage("generate", "--runtime: -f recording writes what was recorded; a runtime's "
				    "calls go into policies only");
	if ((c = sp_cli_check_output("generate", output, false)))
		return c;
	if (!strcmp(format, "bpf") && !strcmp(output, "-") && isatty(STDOUT_FILENO))
		return sp_cli_usage("generate", "-f bpf is binary: write it to a file with -o, not to a terminal");

	struct sp_recording *merged = sp_merge_new();
	struct sp_policy *pols = NULL; /* union of the policy inputs */
	size_t nrec = 0;
	int status = SP_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		if (sp_file_read_all(argv[i], SP_MAX_INPUT_BYTES, &data, &len, &err) < 0) {
			status = sp_cli_fail(&err, SP_EXIT_USAGE);
			goto out;
		}
		if (sp_recording_detect(data, len)) {
			struct sp_recording *rec = NULL;
			if (sp_recording_parse(argv[i], data, len, &rec, &err) < 0) {
				status = sp_cli_fail(&err, SP_EXIT_USAGE);
				goto out;
			}
			/* A run that recorded nothing (the workload failed to
			 * start, a recorder problem) would give a policy of only
			 * the required and runtime calls, which breaks the
			 * workload: refuse it. */
			if (rec->count == 0) {
				sp_cli_error("%s: $.abis: the recording has no syscalls (nothing was recorded)",
					     argv[i]);
				sp_recording_free(rec);
				status = SP_EXIT_USAGE;
				goto out;
			}
			if (strcmp(format, "recording"))
				sp_cli_warn_incomplete(argv[i], rec);
			sp_merge_add(merged, rec, argv[i]);
			sp_recording_free(rec);
			nrec++;
			continue;
		}
		/* A policy file in any format we read (cli/input.h says why
		 * when it is none). */
		struct sp_policy *p = NULL;
		if (!strcmp(argv[i], "-")) {
			status = sp_cli_usage("generate", "policy input from standard input is not supported");
			goto out;
		}
		struct sp_cli_load_opts lo = {.gen = &gen};
		if (sp_cli_load_policy_data(argv[i], data, len, &lo, &p, NULL, &err) < 0) {
			status = sp_cli_fail(&err, SP_EXIT_USAGE);
			goto out;
		}
		if (def_given)
			p->def = gen.def;
		if (!pols) {
			pols = p;
			continue;
		}
		if (!sp_action_equal(pols->def, p->def)) {
			char a[32], b[32];
			sp_cli_error("warning: '%s' has the default action %s, the first policy input %s; using %s",
				     argv[i], sp_action_str(p->def, a, sizeof(a)), sp_action_str(pols->def, b, sizeof(b)), b);
		}
		sp_gen_union(pols, p);
		sp_policy_free(p);
	}
	wo.rec = nrec ? merged : NULL;
	if (unseen_mask) {
		if (!nrec) {
			status = sp_cli_usage("generate", "--add-unseen needs a recording among the inputs");
			goto out;
		}
		if (!strcmp(format, "recording")) {
			status = sp_cli_usage("generate", "--add-unseen: -f recording holds observations only");
			goto out;
		}
		if (sp_cli_unseen_additions(merged, unseen_mask, &unseen, &err) < 0) {
			status = sp_cli_fail(&err, SP_EXIT_USAGE);
			goto out;
		}
		gen.extra = unseen.v;
		gen.nextra = unseen.n;
	}
	warn_recording(wo.rec);
	if (!pols) {
		if (sp_cli_write_output(output, format, merged, &gen, &wo, &err) < 0)
			status = sp_cli_fail(&err, err.code == -EINVAL || err.code == -E2BIG ? SP_EXIT_USAGE
											  : SP_EXIT_FAIL);
		else if (strcmp(format, "recording"))
			warn_io_uring(merged, &gen, NULL);
		goto out;
	}
	if (!strcmp(format, "recording")) {
		status = sp_cli_usage("generate", "-f recording: policy inputs cannot become a recording");
		goto out;
	}
	/* Policy inputs are taken as they are, unless --runtime asks for
	 * a runtime's calls: then those are added to the result (a call
	 * the input denied is allowed, with a warning). */
	if (gen.runtime)
		add_runtime_to_policies(pols, gen.runtime);
	if (nrec) {
		struct sp_policy *p = NULL;
		if (!gen.runtime)
			gen.runtime = sp_cli_default_runtime(format);
		if (sp_generate(merged, &gen, &p, &err) < 0) {
			status = sp_cli_fail(&err, SP_EXIT_USAGE);
			goto out;
		}
		sp_gen_union(p, pols);
		sp_policy_free(pols);
		pols = p;
	}
	if (gen.deny_io_uring)
		sp_gen_uring_deny(pols);
	if (sp_cli_write_policy(output, format, pols, &wo, &err) < 0)
		status = sp_cli_fail(&err, err.code == -EINVAL || err.code == -E2BIG ? SP_EXIT_USAGE : SP_EXIT_FAIL);
	else
		warn_io_uring(nrec ? merged : NULL, &gen, pols);
out:
	sp_cli_unseen_release(&unseen);
	sp_policy_free(pols);
	sp_recording_free(merged);
	return status;
}
