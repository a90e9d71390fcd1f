/* SPDX-License-Identifier: MIT */
/*
 * `seccomp-profile check`: run a command traced, with the profile as its
 * seccomp filter, and report every system call the profile would not let
 * through.
 *
 * The filter is the profile compiled with SECCOMP_RET_TRACE where the
 * profile would stop the call: its default action (unless that lets calls
 * through anyway: ALLOW, LOG) and its KILL/TRAP/NOTIFY rules.  Explicit
 * ERRNO rules stay (clone3 -> ENOSYS is the profile handling a call, not the
 * program leaving it).  So a call inside the profile costs the kernel's
 * filter and nothing else; a call outside it stops the tracer, which counts
 * it and lets it proceed (or, with --deny, makes it fail with the profile's
 * errno).  Every call the tracer counts is a violation, aggregated here per
 * (ABI, syscall, executable) through the tracer's on_call hook.
 *
 * One call is counted that the filter never saw: the tracer records the
 * workload's first execve at its exec event (the launcher made it).  When
 * the profile lets execve through, that one is not a violation.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/callsite.h"
#include "cli/cli.h"
#include "cli/input.h"
#include "cli/output.h"
#include "cli/run_common.h"
#include "core/abi.h"
#include "core/log.h"
#include "core/outfile.h"
#include "core/overlap.h"
#include "core/util.h"
#include "formats/json_util.h"
#include "generator/compile.h"
#include "tracer/tracer.h"

static void usage(void)
{
	printf("Usage: " SP_PROG " check --profile FILE [--stacks] [--json] [--deny] [-o FILE] [--cap CAP]...\n"
	       "                      [--] CMD [ARGS...]\n"
	       "\n"
	       "Run CMD traced, with FILE as its seccomp filter except that calls the profile\n"
	       "would stop are reported (and let through) instead.  Each violation is listed\n"
	       "once per (ABI, syscall, executable) with its count and first PID.  Calls inside\n"
	       "the profile cost only the kernel's filter: the tracer never stops for them.\n"
	       "\n"
	       "Options:\n"
	       "  -p, --profile FILE  the profile (any format " SP_PROG " reads, or a recording)\n"
	       "      --stacks        show where each violating call was made from\n"
	       "      --json          machine-readable report\n"
	       "      --deny          make violating calls fail with the profile's errno (EPERM\n"
	       "                      when its default is not an errno) to see how CMD copes\n"
	       "  -o, --output FILE   write the report to FILE (default: standard output)\n"
	       "      --cap CAP       CMD holds capability CAP, for Docker includes/excludes;\n"
	       "                      repeatable\n"
	       "      --skip-unknown  skip syscall names this libseccomp does not know (with a\n"
	       "                      warning), as runc and crun do, instead of refusing FILE\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "Exit status: 0 when CMD stayed inside the profile, 1 when it did not (CMD's own\n"
	       "failure is reported separately), 2 for a bad profile, usage, or a command that\n"
	       "cannot be run.\n");
}

struct violation {
	enum sp_abi abi;
	int64_t nr;
	char *name; /* libseccomp's, or NULL */
	char *exe;  /* NULL when unknown */
	uint64_t count;
	pid_t first_pid;
};

struct check {
	struct violation *v;
	size_t n, cap;
	bool skip_launch_execve; /* the profile allows execve: the tracer's synthetic count is not one */
	bool seen_first;
	int64_t execve_nr;
	bool nosys_is_default; /* the default action is errno ENOSYS: nr -1 behaves as without a filter */
};

static char *proc_exe(pid_t pid)
{
	char link[64], buf[4096];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Tracer hook: one counted call.  Only calls outside the profile stop the
 * tracer, so this is not on a hot path for a program inside its profile. */
static void on_call(void *ctx, pid_t pid, enum sp_abi abi, int64_t nr)
{
	struct check *c = ctx;
	bool first = !c->seen_first;
	c->seen_first = true;
	if (first && c->skip_launch_execve && abi == sp_abi_native() && nr == c->execve_nr)
		return;
	if (nr == -1 && c->nosys_is_default)
		return;
	_cleanup_free_ char *exe = proc_exe(pid);
	for (size_t i = 0; i < c->n; i++) {
		struct violation *v = &c->v[i];
		if (v->abi == abi && v->nr == nr &&
		    (v->exe == exe || (v->exe && exe && !strcmp(v->exe, exe)))) {
			v->count++;
			return;
		}
	}
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = (struct violation){abi, nr, sp_abi_syscall_name(abi, nr), steal_ptr(exe), 1, pid};
}

static int cmp_violation(const void *pa, const void *pb)
{
	const struct violation *a = pa, *b = pb;
	if (a->abi != b->abi)
		return (int)a->abi - (int)b->abi;
	int c = strcmp(a->name ? a->name : "~", b->name ? b->name : "~");
	if (c)
		return c;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return strcmp(a->exe ? a->exe : "", b->exe ? b->exe : "");
}

/* The check filter's policy: what would stop a call becomes TRACE. */
static struct sp_policy *check_policy(const struct sp_policy *p, struct sp_compile_opts *co)
{
	struct sp_action trace = {SP_ACT_TRACE, 0};
	struct sp_policy *q = sp_policy_new(p->def);
	q->abis = p->abis;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		struct sp_action a = r->action;
		if (a.kind == SP_ACT_KILL_PROCESS || a.kind == SP_ACT_KILL_THREAD || a.kind == SP_ACT_TRAP ||
		    a.kind == SP_ACT_NOTIFY)
			a = trace;
		struct sp_rule *n = sp_policy_add_rule(q, r->name, a);
		n->ncond = r->ncond;
		memcpy(n->cond, r->cond, sizeof(n->cond));
		n->abis = r->abis;
	}
	/* A call on an ABI the profile does not name is traced too (instead
	 * of the bad-arch kill run would give), so it is reported. */
	*co = (struct sp_compile_opts){.extra_abis = sp_abi_bit(sp_abi_native()), .trace_badarch = true};
	if (p->def.kind != SP_ACT_ALLOW && p->def.kind != SP_ACT_LOG) {
		co->override_default = true;
		co->def = trace;
	}
	return q;
}

/* Call sites the tracer kept for (abi, nr): the one of this executable. */
static const struct sp_callsite *site_for(struct sp_recording *rec, const struct violation *v)
{
	struct sp_sysc *s = sp_recording_sysc(rec, v->abi, v->nr, false);
	for (size_t i = 0; s && i < s->nsites; i++)
		if (v->exe && s->sites[i].exe && !strcmp(v->exe, s->sites[i].exe))
			return &s->sites[i];
	return s && s->nsites == 1 && !s->sites[0].exe ? &s->sites[0] : NULL;
}

struct report {
	const char *profile;
	char **cmd;
	const struct sp_policy *p;
	struct check *c;
	struct sp_recording *rec;
	bool stacks, json, deny;
	int deny_errno;
};

/* For a call the profile allows only under conditions: " (conditions did
 * not match: arg1=0x5413)", with the values the tracer recorded for the
 * arguments the rules look at (the argument table of core/argspec.h says
 * which calls have their values recorded). */
static void append_failed_args(const struct report *rp, const struct violation *v, char *buf, size_t len)
{
	size_t at = strlen(buf);
	at += (size_t)snprintf(buf + at, len - at, " (conditions did not match");
	bool wanted[6] = {false};
	for (size_t i = 0; i < rp->p->nrules; i++) {
		const struct sp_rule *r = &rp->p->rules[i];
		if (v->name && !strcmp(r->name, v->name) && (!r->abis || (r->abis & sp_abi_bit(v->abi))))
			for (unsigned k = 0; k < r->ncond; k++)
				wanted[r->cond[k].arg] = true;
	}
	const struct sp_sysc *s = sp_recording_sysc(rp->rec, v->abi, v->nr, false);
	const char *sep = ": ";
	for (unsigned k = 0; s && k < 6 && at < len; k++) {
		const struct sp_argset *set = &s->args[k];
		if (!wanted[k] || !set->used || !set->nvalues)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%sarg%u=", sep, k);
		for (unsigned j = 0; j < set->nvalues && j < 4 && at < len; j++)
			at += (size_t)snprintf(buf + at, len - at, "%s%#" PRIx64, j ? "," : "", set->values[j]);
		if ((set->nvalues > 4 || set->overflow) && at < len)
			at += (size_t)snprintf(buf + at, len - at, ",...");
		sep = " ";
	}
	if (at < len)
		snprintf(buf + at, len - at, ")");
}

static const char *what_profile_does(const struct report *rp, const struct violation *v, char *buf, size_t len)
{
	if (!((rp->p->abis | sp_abi_bit(sp_abi_native())) & sp_abi_bit(v->abi))) {
		snprintf(buf, len, "kill-process (ABI not in the profile)");
		return buf;
	}
	bool cond;
	struct sp_action a = sp_cli_policy_action(rp->p, rp->p->def, v->name ? v->name : "", v->abi, &cond);
	sp_action_str(a, buf, len);
	if (cond)
		append_failed_args(rp, v, buf, len);
	return buf;
}

/* A call of number -1 (tracer.h: sp_tracer_no_syscall()) is no system call:
 * without a filter the kernel answers ENOSYS, but seccomp sees it first
 * and, no profile being able to name it, the profile's default action
 * applies.  It is reported when that action is not ENOSYS's equivalent
 * (check's filter traces only what the profile would stop). */
static void no_syscall_note(const struct report *rp, char *buf, size_t len)
{
	char act[32];
	snprintf(buf, len,
		 "number -1 is no system call: the kernel answers ENOSYS, but seccomp sees it first and the profile's "
		 "default action (%s) applies; no profile can name it",
		 sp_action_str(rp->p->def, act, sizeof(act)));
}

static int write_text(FILE *out, void *ctx, struct sp_err *err)
{
	(void)err;
	const struct report *rp = ctx;
	const struct check *c = rp->c;
	if (!c->n) {
		fprintf(out, "check: '%s' stayed inside %s\n", rp->cmd[0], rp->profile);
		return 0;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += c->v[i].count;
	fprintf(out, "check: '%s' left %s: %zu violation%s (%llu call%s)%s\n", rp->cmd[0], rp->profile, c->n,
		c->n == 1 ? "" : "s", (unsigned long long)total, total == 1 ? "" : "s",
		rp->deny ? ", each denied" : "");
	for (size_t i = 0; i < c->n; i++) {
		const struct violation *v = &c->v[i];
		char act[256], nrbuf[32];
		snprintf(nrbuf, sizeof(nrbuf), v->nr == -1 ? "(nr -1)" : "#%lld", (long long)v->nr);
		fprintf(out, "  %-8s %-20s %6llu call%s  first pid %-7d %s  (profile: %s)\n", sp_abi_name(v->abi),
			v->name ? v->name : nrbuf, (unsigned long long)v->count, v->count == 1 ? " " : "s",
			(int)v->first_pid, v->exe ? v->exe : "?", what_profile_does(rp, v, act, sizeof(act)));
		if (v->nr == -1) {
			char note[256];
			no_syscall_note(rp, note, sizeof(note));
			fprintf(out, "      %s\n", note);
		}
		if (!rp->stacks)
			continue;
		const struct sp_callsite *s = site_for(rp->rec, v);
		if (!s) {
			fprintf(out, "      (no call site captured for this executable)\n");
			continue;
		}
		for (size_t f = 0; f < s->nframes; f++) {
			char fb[SP_CLI_FRAME_MAX];
			fprintf(out, "      #%-2zu %s\n", f, sp_cli_frame_str(&s->frames[f], false, fb, sizeof(fb)));
		}
	}
	return 0;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int write_json(FILE *out, void *ctx, struct sp_err *err)
{
	const struct report *rp = ctx;
	const struct check *c = rp->c;
	const struct sp_recording_meta *m = &rp->rec->meta;
	json_auto_t *root = json_object();
	json_t *cmd = json_array(), *vs = json_array();
	for (char **a = rp->cmd; *a; a++)
		json_array_append_new(cmd, json_string(*a));
	json_object_set_new(root, "profile", json_string(rp->profile));
	json_object_set_new(root, "command", cmd);
	json_object_set_new(root, "inside", json_boolean(c->n == 0));
	json_object_set_new(root, "deny", json_boolean(rp->deny));
	if (rp->deny)
		json_object_set_new(root, "deny_errno", json_integer(rp->deny_errno));
	for (size_t i = 0; i < c->n; i++) {
		const struct violation *v = &c->v[i];
		char act[256];
		json_t *o = json_object();
		json_object_set_new(o, "abi", json_string(sp_abi_name(v->abi)));
		json_object_set_new(o, "syscall", jstr(v->name));
		json_object_set_new(o, "nr", json_integer(v->nr));
		json_object_set_new(o, "executable", jstr(v->exe));
		json_object_set_new(o, "count", json_integer((json_int_t)v->count));
		json_object_set_new(o, "first_pid", json_integer(v->first_pid));
		json_object_set_new(o, "profile_action", json_string(what_profile_does(rp, v, act, sizeof(act))));
		if (v->nr == -1) {
			char note[256];
			no_syscall_note(rp, note, sizeof(note));
			json_object_set_new(o, "note", json_string(note));
		}
		if (rp->stacks) {
			const struct sp_callsite *s = site_for(rp->rec, v);
			json_t *frames = s ? json_array() : json_null();
			for (size_t f = 0; s && f < s->nframes; f++) {
				const struct sp_frame *fr = &s->frames[f];
				json_array_append_new(frames, json_pack("{s:o, s:I, s:o, s:I}", "module", jstr(fr->module),
									"offset", (json_int_t)fr->offset, "symbol",
									jstr(fr->symbol), "sym_off",
									(json_int_t)fr->sym_off));
			}
			json_object_set_new(o, "stack", frames);
		}
		json_array_append_new(vs, o);
	}
	json_object_set_new(root, "violations", vs);
	json_object_set_new(root, "exit_status", m->exit_status >= 0 ? json_integer(m->exit_status) : json_null());
	json_object_set_new(root, "exit_signal", json_integer(m->exit_signal));
	json_object_set_new(root, "complete", json_boolean(m->complete));
	return sp_json_dump(out, root, err);
}

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_STACKS = 256, OPT_JSON, OPT_DENY };
	static const struct option longopts[] = {
		SP_CLI_COMMON_LONGOPTS,
		SP_CLI_PROFILE_LONGOPTS,
		{"output", required_argument, NULL, 'o'},
		{"stacks", no_argument, NULL, OPT_STACKS},
		{"json", no_argument, NULL, OPT_JSON},
		{"deny", no_argument, NULL, OPT_DENY},
		{NULL, 0, NULL, 0},
	};
	const char *output = "-";
	struct report rp = {0};
	_cleanup_profile_opts_ struct sp_cli_profile_opts po = {0};
	int c, status = SP_EXIT_USAGE;
	while ((c = sp_cli_profile_getopt(&po, "check", argc, argv, "+p:o:", longopts)) != -1) {
		switch (c) {
		case 'h':
			usage();
			return SP_EXIT_OK;
		case 'o':
			output = optarg;
			break;
		case OPT_STACKS:
			rp.stacks = true;
			break;
		case OPT_JSON:
			rp.json = true;
			break;
		case OPT_DENY:
			rp.deny = true;
			break;
		case SP_CLI_OPT_FAILED:
			return SP_EXIT_USAGE;
		default:
			return sp_cli_usage_hint("check");
		}
	}
	const char *profile = po.profile;
	if (!profile || optind >= argc)
		return sp_cli_usage("check", "%s", !profile ? "--profile FILE is required" : "no command to run");
	rp.cmd = argv + optind;
	rp.profile = profile;

	struct sp_err err = {0};
	struct sp_policy *p = NULL, *q = NULL;
	struct sp_recording *rec = NULL;
	struct sock_fprog prog = {0};
	struct check chk = {.execve_nr = sp_abi_syscall_nr(sp_abi_native(), "execve")};
	_cleanup_free_ char *path = NULL;
	if (sp_cli_profile_load(&po, &p, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (sp_cli_check_output("check", output, true))
		goto out;
	struct sp_compile_opts co;
	q = check_policy(p, &co);
	/* The check filter turns every stopping action into TRACE, which can
	 * hide rules that overlap with different actions: ask the profile as
	 * run would enforce it. */
	if (sp_policy_check_ambiguous(p, sp_compile_view(p, &co).abis, p->def, &err) < 0) {
		sp_err_prefix(&err, "%s: compile", profile);
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (sp_cli_compile(q, &co, &prog, &err) < 0) {
		if (err.code) {
			sp_err_prefix(&err, "%s", profile);
			sp_cli_fail(&err, SP_EXIT_USAGE);
		}
		goto out;
	}
	{
		_cleanup_free_ char *subject = xasprintf("'%s'", profile);
		sp_cli_warn_io_uring(p, po.rec, subject,
				     "check can neither see nor report what the command submits through io_uring");
	}
	bool cond;
	struct sp_action ex = sp_cli_policy_action(p, p->def, "execve", sp_abi_native(), &cond);
	chk.skip_launch_execve = cond || ex.kind == SP_ACT_ALLOW || ex.kind == SP_ACT_LOG;
	chk.nosys_is_default = p->def.kind == SP_ACT_ERRNO && p->def.data == ENOSYS;
	rp.deny_errno = p->def.kind == SP_ACT_ERRNO && p->def.data ? (int)p->def.data : EPERM;
	if (sp_tracer_resolve(rp.cmd[0], &path, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: see tracer.h */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	struct sp_tracer_opts to = {
		.argv = rp.cmd,
		.path = path,
		.filter = &prog,
		.deny_errno = rp.deny ? rp.deny_errno : 0,
		.stack_depth = rp.stacks ? SP_MAX_FRAMES : 0,
		.stop = &stop_sig,
		.on_call = on_call,
		.on_call_ctx = &chk,
	};
	rec = sp_recording_new();
	if (sp_tracer_run(&to, rec, &err) < 0) {
		sp_err_prefix(&err, "check");
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (rec->meta.tracing && strcmp(rec->meta.tracing, "seccomp")) {
		/* Without the filter every call would be "outside": refuse to
		 * give a verdict rather than a wrong one. */
		sp_cli_error("check: the profile's filter could not be installed in '%s'%s%s; no verdict", rp.cmd[0],
			     rec->meta.tracing_note ? ": " : "", rec->meta.tracing_note ? rec->meta.tracing_note : "");
		goto out;
	}
	if (chk.n) /* qsort(NULL, 0) is undefined */
		qsort(chk.v, chk.n, sizeof(*chk.v), cmp_violation);
	rp.p = p;
	rp.c = &chk;
	rp.rec = rec;
	fflush(stdout);
	if (sp_outfile_write(output, rp.json ? write_json : write_text, &rp, &err) < 0) {
		sp_cli_fail(&err, SP_EXIT_USAGE);
		goto out;
	}
	if (!rec->meta.complete)
		sp_cli_error("check: warning: the run is incomplete (%s): calls may be missing",
			     rec->meta.incomplete_reason ? rec->meta.incomplete_reason : "unknown reason");
	if (rec->meta.exit_signal)
		sp_cli_error("check: command killed by signal %d (%s)", rec->meta.exit_signal,
			     strsignal(rec->meta.exit_signal));
	else if (rec->meta.exit_status > 0)
		sp_cli_error("check: command exited %d", rec->meta.exit_status);
	status = chk.n ? SP_EXIT_FAIL : SP_EXIT_OK;
	if (stop_sig) {
		/* A partial run proves violations, never their absence. */
		sp_cli_error("check: interrupted by signal %d; the report covers the run so far", (int)stop_sig);
		if (!chk.n)
			status = SP_EXIT_USAGE;
	}
out:
	for (size_t i = 0; i < chk.n; i++) {
		free(chk.v[i].name);
		free(chk.v[i].exe);
	}
	free(chk.v);
	free(prog.filter);
	sp_recording_free(rec);
	sp_policy_free(q);
	sp_policy_free(p);
	return status;
}
