/* SPDX-License-Identifier: MIT */
/* `seccomp-profile record`: run or attach to a workload and record every
 * system call it makes (tracer/tracer.h does the work). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "cli/output.h"
#include "cli/run_common.h"
#include "cli/summary_table.h"
#include "core/log.h"
#include "core/recording.h"
#include "core/util.h"
#include "formats/format.h"
#include "generator/compile.h"
#include "tracer/ebpf/ebpf.h"
#include "tracer/tracer.h"

#define DEFAULT_SUFFIX ".recording.json"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " SP_PROG " record [-o FILE] [-f FORMAT] [-c] [--stacks[=DEPTH]] [--baseline PROFILE]\n"
		"                       [--no-seccomp] [--backend ptrace|ebpf|auto] [--] CMD [ARGS...]\n"
		"       " SP_PROG " record -p PID [-p PID...] [-o FILE] [-f FORMAT] [-c]\n"
		"\n"
		"Run CMD (or attach to running processes) under ptrace and record every system\n"
		"call made by every thread and child process, on every ABI (x86_64, i386, x32).\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE    where to write (default: CMD's name + '" DEFAULT_SUFFIX "',\n"
		"                       e.g. ls" DEFAULT_SUFFIX "; attach mode: pid<PID>" DEFAULT_SUFFIX ");\n"
		"                       '-' writes to stdout\n"
		"  -f, --format FORMAT  'recording' (default: our lossless JSON recording), or a\n"
		"                       policy format (see 'seccomp-profile formats'), generated\n"
		"                       with the defaults of 'generate'\n"
		"  -c, --summary        measure errors and time too, and print an strace -c style\n"
		"                       table to stderr at the end\n"
		"  -p, --pid PID        attach to PID and all its threads (repeatable); Ctrl-C\n"
		"                       detaches, saves, and leaves the processes running\n"
		"      --baseline PROFILE  let the calls PROFILE allows (a policy file, or a\n"
		"                       recording of an earlier run) pass through a kernel filter\n"
		"                       unseen: only new calls stop the workload; the others are\n"
		"                       marked baseline in the output\n"
		"      --stacks[=DEPTH] capture call sites (DEPTH frames, default 16): the first\n"
		"                       call of each (executable, ABI, syscall) and calls 2, 4,\n"
		"                       8, ... of each syscall, up to 8 distinct sites (explain)\n"
		"      --backend BACKEND  how calls are observed: 'ptrace' (default; no privileges\n"
		"                       needed), 'ebpf' (root: counts in the kernel with eBPF\n"
		"                       programs, the workload never stops; no -p, --stacks,\n"
		"                       --baseline or --no-seccomp), or 'auto' (ebpf when the\n"
		"                       programs load here and no ptrace-only option is given,\n"
		"                       else ptrace; says which and why)\n"
		"      --allow-lost     exit with the workload's status even when the eBPF\n"
		"                       back-end lost events (meta.lost_events; default: exit 1)\n"
		"      --no-seccomp     plain PTRACE_SYSCALL tracing (two stops per call) instead\n"
		"                       of the seccomp-assisted fast path\n"
		"      --no-pin-cpu     let the recorder run on any CPU (by default it follows the\n"
		"                       CPU its workload runs on: cross-CPU ptrace round trips are\n"
		"                       many times slower; the workload's own affinity is never\n"
		"                       changed)\n"
		"  -v, --verbose        progress on stderr even when it is not a terminal\n"
		"  -q, --quiet          errors only\n"
		"  -h, --help           show this help\n"
		"\n"
		"A live status line is shown on stderr when it is a terminal.  SIGINT, SIGTERM\n"
		"or SIGHUP end the recording: what was seen so far is written (marked\n"
		"incomplete), then the workload is killed (launch) or detached (attach).\n"
		"\n"
		"Exit status: the workload's own (a fatal signal is re-raised); 127 when CMD is\n"
		"not found, 126 when it cannot be executed; 2 when recording could not start\n"
		"(--backend ebpf: not built, or BPF cannot be loaded here); 1 when the eBPF\n"
		"back-end lost events (unless --allow-lost);\n"
		"128+N when interrupted by signal N in launch mode.\n");
}

static volatile sig_atomic_t stop_sig;
static volatile sig_atomic_t tick;

static void on_stop_signal(int sig)
{
	if (!stop_sig)
		stop_sig = sig;
}

static void on_tick(int sig)
{
	(void)sig;
	tick = 1;
}

struct status_ctx {
	bool tty;
	bool shown;
	uint64_t last_line;
};

static void show_status(const struct sp_tracer_stats *st, void *vctx)
{
	struct status_ctx *c = vctx;
	char abis[256] = "";
	size_t len = 0;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (st->distinct[a] && len < sizeof(abis))
			len += (size_t)snprintf(abis + len, sizeof(abis) - len, ", %s %zu",
						sp_abi_name((enum sp_abi)a), st->distinct[a]);
	if (!c->tty) {
		/* -v on a pipe/file: a line per second, no control codes. */
		if (c->last_line && st->elapsed_ns - c->last_line < 1000000000ull)
			return;
		c->last_line = st->elapsed_ns ? st->elapsed_ns : 1;
	}
	fprintf(stderr, "%s[%6.1fs] %llu processes, %llu threads, %llu syscalls; distinct%s%s",
		c->tty ? "\r" : SP_PROG ": ", (double)st->elapsed_ns / 1e9,
		(unsigned long long)st->processes, (unsigned long long)st->threads,
		(unsigned long long)st->syscalls, abis[0] ? abis + 1 : " none", c->tty ? "\033[K" : "\n");
	fflush(stderr);
	c->shown = true;
}

/* Ends this process the way the workload ended. */
static int workload_status(const struct sp_recording *rec)
{
	int sig = rec->meta.exit_signal;
	if (!sig)
		return rec->meta.exit_status >= 0 ? rec->meta.exit_status : SP_EXIT_FAIL;
	fflush(stdout);
	fflush(stderr);
	/* Re-raise so that our parent (a shell) sees the same death; no core
	 * file of the recorder for SIGSEGV & co. */
	struct rlimit nocore = {0, 0};
	setrlimit(RLIMIT_CORE, &nocore);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return 128 + sig;
}

/* --baseline: the calls PROFILE allows (a policy file in any format we
 * read, or a recording of an earlier run) become a filter that ALLOWs them
 * without a stop and TRACEs everything else.  Rules with other actions are
 * dropped: a baseline must never make the workload fail. */
static int baseline_policy(const char *path, struct sp_policy **out, struct sp_err *err)
{
	struct sp_gen_opts gen;
	sp_gen_opts_init(&gen);
	gen.no_required = true; /* only what the recording saw */
	gen.runtime = "none";
	struct sp_policy *in = NULL;
	int r = sp_cli_load_policy(path, &gen, &in, NULL, err);
	if (r < 0)
		return r;
	struct sp_policy *p = sp_policy_new((struct sp_action){SP_ACT_TRACE, 0});
	p->abis = in->abis ? in->abis : sp_abi_bit(sp_abi_native());
	for (size_t i = 0; i < in->nrules; i++) {
		const struct sp_rule *src = &in->rules[i];
		if (src->action.kind != SP_ACT_ALLOW)
			continue;
		struct sp_rule *rule = sp_policy_add_rule(p, src->name, src->action);
		rule->ncond = src->ncond;
		memcpy(rule->cond, src->cond, sizeof(rule->cond));
		rule->abis = src->abis;
		rule->origin = SP_ORIGIN_BASELINE;
	}
	sp_policy_free(in);
	sp_policy_sort(p);
	*out = p;
	return 0;
}

/* Entries (calls 0, flag baseline) for what the baseline let through
 * unseen, so that the recording still says the workload may use them. */
static void mark_baseline(struct sp_recording *rec, const struct sp_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *rule = &p->rules[i];
		uint32_t mask = rule->abis ? rule->abis : p->abis;
		for (int a = 0; a < SP_ABI_COUNT; a++) {
			if (!(mask & sp_abi_bit((enum sp_abi)a)))
				continue;
			int64_t nr = sp_abi_syscall_nr((enum sp_abi)a, rule->name);
			if (nr < 0 || sp_recording_sysc(rec, (enum sp_abi)a, nr, false))
				continue;
			struct sp_sysc *s = sp_recording_sysc(rec, (enum sp_abi)a, nr, true);
			s->flags |= SP_SYSC_BASELINE;
		}
	}
}

/* A workload that is itself a debugger (gdb, strace, a sandbox, a crash
 * reporter) cannot trace anything while it is being recorded: a task has
 * one tracer, so its PTRACE_TRACEME/ATTACH/SEIZE fail with EPERM (ptrace(2))
 * and it may take another path than it would unrecorded.  Say so. */
static void warn_nested_ptrace(const struct sp_recording *rec)
{
	uint64_t calls = 0;
	size_t n;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i]->name && !strcmp(v[i]->name, "ptrace"))
			calls += v[i]->calls;
	if (calls)
		sp_warn("the workload called ptrace %llu time%s: while it is recorded it cannot trace other tasks "
			"(one tracer per task), so those calls failed with EPERM and it may have behaved differently",
			(unsigned long long)calls, calls == 1 ? "" : "s");
}

static void free_policyp(struct sp_policy **p)
{
	sp_policy_free(*p);
}

static char *default_output(char *const *argv, const pid_t *pids)
{
	if (argv) {
		const char *b = strrchr(argv[0], '/');
		b = b ? b + 1 : argv[0];
		if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
			b = "workload";
		return xasprintf("%s" DEFAULT_SUFFIX, b);
	}
	return xasprintf("pid%d" DEFAULT_SUFFIX, (int)pids[0]);
}

int cmd_record(int argc, char **argv)
{
	enum { OPT_NO_SECCOMP = 256, OPT_PIN_CPU, OPT_NO_PIN_CPU, OPT_BASELINE, OPT_STACKS, OPT_BACKEND, OPT_ALLOW_LOST };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"summary", no_argument, NULL, 'c'},
		{"pid", required_argument, NULL, 'p'},
		{"no-seccomp", no_argument, NULL, OPT_NO_SECCOMP},
		{"pin-cpu", no_argument, NULL, OPT_PIN_CPU}, /* the default; kept for scripts */
		{"no-pin-cpu", no_argument, NULL, OPT_NO_PIN_CPU},
		{"baseline", required_argument, NULL, OPT_BASELINE},
		{"stacks", optional_argument, NULL, OPT_STACKS},
		{"backend", required_argument, NULL, OPT_BACKEND},
		{"allow-lost", no_argument, NULL, OPT_ALLOW_LOST},
		SP_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *format = "recording";
	struct sp_tracer_opts o = {.pin_cpu = true};
	_cleanup_free_ pid_t *pids = NULL;
	size_t npids = 0, cap = 0;
	bool summary = false;
	const char *baseline = NULL, *backend = "ptrace";
	bool allow_lost = false;
	int c;
	/* '+': options end at CMD, whose own options are its business. */
	while ((c = sp_cli_getopt(argc, argv, "+o:f:cp:", longopts)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return SP_EXIT_OK;
		case 'o':
			output = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'c':
			summary = true;
			break;
		case 'p': {
			uint64_t v;
			if (!sp_parse_u64(optarg, INT_MAX, &v) || v == 0)
				return sp_cli_usage("record", "invalid PID '%s'", optarg);
			xgrow((void **)&pids, &cap, npids + 1, sizeof(*pids));
			pids[npids++] = (pid_t)v;
			break;
		}
		case OPT_NO_SECCOMP:
			o.no_seccomp = true;
			break;
		case OPT_PIN_CPU:
			o.pin_cpu = true;
			break;
		case OPT_NO_PIN_CPU:
			o.pin_cpu = false;
			break;
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "ptrace") && strcmp(optarg, "ebpf") && strcmp(optarg, "auto"))
				return sp_cli_usage("record", "unknown --backend '%s' (ptrace, ebpf or auto)", optarg);
			backend = optarg;
			break;
		case OPT_ALLOW_LOST:
			allow_lost = true;
			break;
		case OPT_STACKS: {
			uint64_t v = 16;
			if (optarg && (!sp_parse_u64(optarg, SP_MAX_FRAMES, &v) || v == 0))
				return sp_cli_usage("record", "invalid --stacks depth '%s' (1..%d)", optarg,
						    SP_MAX_FRAMES);
			o.stack_depth = (int)v;
			break;
		}
		default:
			return sp_cli_usage_hint("record");
		}
	}
	char **cmd = argv + optind;
	int ncmd = argc - optind;
	if (npids && ncmd)
		return sp_cli_usage("record", "give either a command or -p PID, not both");
	if (!npids && !ncmd)
		return sp_cli_usage("record", "no command to record");
	if (strcmp(format, "recording")) {
		const struct sp_format *f = sp_format_find(format);
		if (!f || !f->write_policy)
			return sp_cli_usage("record", "unknown output format '%s' (see '" SP_PROG " formats')",
					    format);
	}

	if (baseline && npids)
		return sp_cli_usage("record", "--baseline needs a command: a filter cannot be added to a running process");
	if (baseline && o.no_seccomp)
		return sp_cli_usage("record", "--baseline and --no-seccomp exclude each other");

	/* What only the ptrace back-end does: refused with --backend ebpf,
	 * the reason to pick ptrace with auto. */
	const char *ptrace_only = npids		   ? "-p (attaching to running processes)"
				  : o.stack_depth  ? "--stacks (BPF cannot unwind user stacks here)"
				  : baseline	   ? "--baseline (a ptrace speed-up)"
				  : o.no_seccomp   ? "--no-seccomp"
						   : NULL;
	if (!strcmp(backend, "ebpf") && ptrace_only)
		return sp_cli_usage("record", "--backend ebpf cannot do %s: use --backend ptrace", ptrace_only);

	_cleanup_free_ char *defout = NULL;
	if (!output)
		output = defout = default_output(ncmd ? cmd : NULL, pids);
	struct sp_err err = {0};
	/* Before the workload runs: a long recording must not be lost to
	 * an unwritable output path at the end. */
	if ((c = sp_cli_check_output("record", output, true)))
		return c;

	__attribute__((cleanup(free_policyp))) struct sp_policy *base = NULL;
	struct sock_fprog prog = {0};
	if (baseline) {
		/* Every ABI this kernel runs goes in the filter, so that calls
		 * on an ABI the baseline never saw (int 0x80, x32) are traced
		 * by the default action instead of killed as a bad arch. */
		struct sp_compile_opts co = {.override_default = true, .def = {SP_ACT_TRACE, 0},
					     .extra_abis = sp_abi_family(sp_abi_native())};
		if (baseline_policy(baseline, &base, &err) < 0)
			return sp_cli_fail(&err, SP_EXIT_USAGE);
		if (sp_cli_compile(base, &co, &prog, &err) < 0) {
			if (!err.code)
				return SP_EXIT_USAGE;
			sp_err_prefix(&err, "--baseline %s", baseline);
			return sp_cli_fail(&err, SP_EXIT_USAGE);
		}
		o.filter = &prog;
	}

	_cleanup_free_ char *path = NULL;
	if (ncmd) {
		int r = sp_tracer_resolve(cmd[0], &path, &err);
		if (r < 0) {
			sp_cli_error("record: %s", err.msg);
			return r == -ENOENT ? 127 : 126;
		}
		o.argv = cmd;
		o.path = path;
	} else {
		o.pids = pids;
		o.npids = npids;
	}
	o.exit_stops = summary;

	struct sigaction sa = {.sa_handler = on_stop_signal}; /* no SA_RESTART: wait4 must see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	o.stop = &stop_sig;

	struct status_ctx sc = {.tty = isatty(STDERR_FILENO)};
	if ((sc.tty && sp_log_level >= SP_LOG_WARN) || sp_log_level >= SP_LOG_INFO) {
		o.progress = show_status;
		o.progress_ctx = &sc;
		o.progress_ns = 250000000ull;
		/* A ticker so that the line moves while the workload sleeps
		 * (the loop sees wait4 return EINTR). */
		struct sigaction ta = {.sa_handler = on_tick};
		sigemptyset(&ta.sa_mask);
		sigaction(SIGALRM, &ta, NULL);
		struct itimerval it = {{0, 250000}, {0, 250000}};
		setitimer(ITIMER_REAL, &it, NULL);
	}

	/* The back-end: loading the BPF programs is the test of whether the
	 * eBPF one works here (privileges, BTF, kernel), before the workload
	 * starts. */
	struct sp_ebpf *bpf = NULL;
	_cleanup_free_ char *auto_note = NULL;
	if (!strcmp(backend, "ebpf")) {
		if (sp_ebpf_open(&bpf, o.exit_stops, &err) < 0) {
			sp_cli_error("record: --backend ebpf: %s", err.msg);
			return SP_EXIT_USAGE;
		}
	} else if (!strcmp(backend, "auto")) {
		if (ptrace_only)
			auto_note = xasprintf("--backend auto: ptrace, because of %s", ptrace_only);
		else if (sp_ebpf_open(&bpf, o.exit_stops, &err) < 0)
			auto_note = xasprintf("--backend auto: ptrace, because %s", err.msg);
		else
			auto_note = xstrdup("--backend auto: ebpf (BPF programs load and the kernel has BTF)");
		sp_err_clear(&err);
		if (sp_log_level >= SP_LOG_WARN) /* a note, not a warning: either choice is fine */
			fprintf(stderr, SP_PROG ": record: %s\n", auto_note);
	}

	struct sp_recording *rec = sp_recording_new();
	int r = bpf ? sp_ebpf_run(bpf, &o, rec, &err) : sp_tracer_run(&o, rec, &err);
	sp_ebpf_close(bpf);
	free(prog.filter);
	if (o.progress) {
		struct itimerval off = {0};
		setitimer(ITIMER_REAL, &off, NULL);
		if (sc.tty && sc.shown)
			fprintf(stderr, "\r\033[K");
	}
	if (r < 0) {
		sp_recording_free(rec);
		sp_cli_error("record: %s", err.msg);
		if (ncmd && (r == -ENOENT || r == -ENOTDIR))
			return 127;
		if (ncmd && r != -EPERM && r != -ENOSYS && r != -ECHILD)
			return 126;
		return SP_EXIT_USAGE;
	}
	free(rec->meta.tool_version);
	rec->meta.tool_version = xstrdup(sp_cli_version());
	if (auto_note) {
		char *note = rec->meta.tracing_note ? xasprintf("%s; %s", auto_note, rec->meta.tracing_note)
						    : xstrdup(auto_note);
		free(rec->meta.tracing_note);
		rec->meta.tracing_note = note;
	}
	if (base) {
		mark_baseline(rec, base);
		rec->meta.baseline = xstrdup(baseline);
	}

	int status = SP_EXIT_OK;
	struct sp_gen_opts gen;
	sp_gen_opts_init(&gen);
	/* A reader of a FIFO or pipe that went away must make the write fail
	 * (EPIPE), not kill the recorder before it saves the recording. */
	signal(SIGPIPE, SIG_IGN);
	if (sp_cli_write_output(output, format, rec, &gen, NULL, &err) < 0) {
		sp_cli_error("record: %s", err.msg);
		sp_cli_rescue_recording("record", rec);
		status = SP_EXIT_FAIL;
	}
	if (summary)
		sp_summary_print(stderr, rec);
	if (!bpf)
		warn_nested_ptrace(rec);
	if (!rec->meta.complete)
		sp_info("recording incomplete: %s", rec->meta.incomplete_reason);
	if (rec->meta.lost_events) {
		sp_cli_error("record: %llu event%s lost: the eBPF back-end's maps or ring buffer were full, so the "
			     "recording may miss system calls, argument values or executables (meta.lost_events)%s",
			     (unsigned long long)rec->meta.lost_events, rec->meta.lost_events == 1 ? "" : "s",
			     allow_lost ? "" : "; --allow-lost accepts such a recording");
		if (!allow_lost && status == SP_EXIT_OK)
			status = SP_EXIT_FAIL;
	}
	if (status == SP_EXIT_OK) {
		if (stop_sig)
			status = npids ? SP_EXIT_OK : 128 + stop_sig;
		else if (!npids)
			status = workload_status(rec);
	}
	sp_recording_free(rec);
	return status;
}
