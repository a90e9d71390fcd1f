/* SPDX-License-Identifier: MIT */
#include "cli/run_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "formats/read.h"
#include "generator/uring.h"
#include "generator/verify.h"

int sp_cli_caps_add(struct sp_cli_caps *c, const char *name)
{
	const char *bare = !strncasecmp(name, "CAP_", 4) ? name + 4 : name;
	char *norm = xasprintf("CAP_%s", bare);
	for (char *q = norm; *q; q++)
		*q = (char)toupper((unsigned char)*q);
	if (!sp_fmt_cap_known(norm)) {
		free(norm);
		return -EINVAL;
	}
	c->names = xrealloc(c->names, (c->n + 2) * sizeof(*c->names));
	c->names[c->n++] = norm;
	c->names[c->n] = NULL;
	return 0;
}

void sp_cli_caps_release(struct sp_cli_caps *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	c->names = NULL;
	c->n = 0;
}

int sp_cli_policy_runnable(const struct sp_policy *p, const char *file, struct sp_err *err)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action.kind == SP_ACT_NOTIFY)
			return sp_err_set(err, -EINVAL,
					  "%s: rule for \"%s\" uses SCMP_ACT_NOTIFY, which needs a container runtime's "
					  "listener; seccomp-profile cannot enforce it",
					  file, p->rules[i].name);
	return 0;
}

struct sp_action sp_cli_policy_action(const struct sp_policy *p, struct sp_action def, const char *name,
				      int abi, bool *conditional)
{
	*conditional = false;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (strcmp(r->name, name) || (r->abis && !(r->abis & sp_abi_bit((enum sp_abi)abi))))
			continue;
		if (!r->ncond)
			return r->action;
		*conditional = true;
	}
	return def;
}

int sp_cli_check_execve(const struct sp_policy *p, struct sp_action def, const char *file, const char *cmd,
			struct sp_err *err)
{
	bool cond;
	struct sp_action a = sp_cli_policy_action(p, def, "execve", sp_abi_native(), &cond);
	if (cond) {
		sp_warn("run: %s allows execve only under argument conditions; if '%s' does not start, look "
			"there first",
			file, cmd);
		return 0;
	}
	if (a.kind == SP_ACT_ALLOW || a.kind == SP_ACT_LOG)
		return 0;
	char buf[32];
	return sp_err_set(err, -EPERM,
			  "%s: the profile does not allow execve (it gets %s), so '%s' cannot even be started under "
			  "it; add execve to the profile (it is the first call a recording sees)",
			  file, sp_action_str(a, buf, sizeof(buf)), cmd);
}

int sp_cli_profile_getopt(struct sp_cli_profile_opts *po, const char *cmd, int argc, char **argv,
			  const char *shortopts, const struct option *longopts)
{
	for (;;) {
		int c = sp_cli_getopt(argc, argv, shortopts, longopts);
		switch (c) {
		case 'p':
			po->profile = optarg;
			break;
		case SP_CLI_OPT_SKIP_UNKNOWN:
			po->skip_unknown = true;
			break;
		case SP_CLI_OPT_CAP:
			if (sp_cli_caps_add(&po->caps, optarg) < 0) {
				sp_cli_usage(cmd, "unknown capability '%s' (e.g. CAP_SYS_ADMIN)", optarg);
				return SP_CLI_OPT_FAILED;
			}
			break;
		default:
			return c;
		}
	}
}

int sp_cli_profile_load(struct sp_cli_profile_opts *po, struct sp_policy **out, struct sp_err *err)
{
	struct sp_read_opts ro = {.caps = (const char *const *)po->caps.names, .skip_unknown = po->skip_unknown};
	struct sp_cli_load_opts lo = {.read = &ro};
	int r = sp_cli_load_policy_ex(po->profile, &lo, out, &po->rec, err);
	if (r == 0)
		sp_cli_warn_incomplete(po->profile, po->rec);
	return r;
}

void sp_cli_warn_incomplete(const char *path, const struct sp_recording *rec)
{
	if (!rec || rec->meta.complete)
		return;
	sp_warn("'%s' is an incomplete recording (meta.incomplete_reason: %s): calls the program makes after "
		"that point are missing from the policy made of it",
		path, rec->meta.incomplete_reason ? rec->meta.incomplete_reason : "none given");
}

void sp_cli_profile_release(struct sp_cli_profile_opts *po)
{
	sp_cli_caps_release(&po->caps);
	sp_recording_free(po->rec);
	po->rec = NULL;
}

char *sp_cli_uring_ops(const struct sp_recording_uring *u)
{
	struct sp_buf b = SP_BUF_INIT;
	for (size_t i = 0; i < u->nops; i++)
		sp_buf_printf(&b, "%s%s", i ? ", " : "", u->ops[i]);
	return sp_buf_steal(&b);
}

bool sp_cli_warn_io_uring(const struct sp_policy *p, const struct sp_recording *rec, const char *subject,
			  const char *consequence)
{
	uint32_t m = sp_gen_uring_allowed(p);
	if (!m)
		return false;
	char names[96];
	sp_warn("%s allows %s: seccomp cannot filter the operations a program submits through io_uring "
		"(open, mkdir, socket, connect, ...); %s",
		subject, sp_gen_uring_list(m, names, sizeof(names)), consequence);
	const struct sp_recording_uring *u = rec ? &rec->meta.io_uring : NULL;
	if (!u || !u->used)
		return true;
	_cleanup_free_ char *ops = sp_cli_uring_ops(u);
	const char *why = u->sqpoll ? "an SQPOLL ring submits without io_uring_enter"
				    : "some submissions could not be read";
	if (!u->nops)
		sp_warn("io_uring was used while recording, but its opcodes could not be read (%s)", why);
	else if (!u->ops_complete)
		sp_warn("io_uring opcodes seen while recording: %s (more may have gone unseen: %s)", ops, why);
	else
		sp_warn("io_uring opcodes seen while recording: %s", ops);
	return true;
}

int sp_cli_compile_timeout(unsigned *ms)
{
	const char *v = getenv("SECCOMP_PROFILE_COMPILE_TIMEOUT");
	*ms = SP_CLI_COMPILE_TIMEOUT_S * 1000u;
	if (!v)
		return 0;
	uint64_t n;
	if (!sp_parse_u64(v, 3600, &n) || n < 1) {
		sp_cli_error("SECCOMP_PROFILE_COMPILE_TIMEOUT: '%s' is not a number of seconds from 1 to 3600", v);
		return -1;
	}
	*ms = (unsigned)n * 1000u;
	return 0;
}

int sp_cli_compile(const struct sp_policy *p, const struct sp_compile_opts *co, struct sock_fprog *out,
		   struct sp_err *err)
{
	unsigned timeout_ms;
	if (sp_cli_compile_timeout(&timeout_ms) < 0)
		return -1;
	int r = sp_compile_bpf_isolated(p, co, timeout_ms, out, err);
	if (r < 0)
		return r;
	/* The policy exactly as libseccomp was given it */
	struct sp_policy q = sp_compile_view(p, co);
	struct sp_bpf_prog ours = {0};
	struct sp_err e2 = {0};
	if (sp_bpf_emit(&q, 0, &ours, &e2) < 0) {
		/* e.g. more conditional rules for one call than the emitter
		 * takes: the structural check still runs */
		sp_warn("cannot compile the profile a second time (%s); libseccomp's filter gets the "
			"structural check only",
			e2.msg);
		r = sp_verify_accumulator(out, err);
	} else {
		r = sp_verify_filters(&q, q.abis, out, ours.insns, ours.len, err);
		sp_bpf_prog_release(&ours);
	}
	if (r < 0) {
		free(out->filter);
		out->filter = NULL;
	}
	return r;
}
