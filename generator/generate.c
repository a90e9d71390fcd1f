/* SPDX-License-Identifier: MIT */
#include "generator/generate.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "generator/args.h"
#include "generator/uring.h"

/* Syscalls every program may make on paths a short recording can miss:
 *  - restart_syscall: the kernel restarts an interrupted nanosleep/poll...
 *    with it after a signal handler returns (never called by libc itself);
 *  - rt_sigreturn / sigreturn (32-bit ABIs): the return from any signal
 *    handler; a run that caught no signal never shows it;
 *  - exit / exit_group: thread and process exit (a run killed by a signal
 *    or one that only exits by returning from main may show only one);
 *  - clock_gettime, clock_gettime64, gettimeofday, time, getcpu: normally
 *    served by the vDSO without entering the kernel, so ptrace never sees
 *    them, but they fall back to real syscalls when the clock source has no
 *    vDSO support (common in VMs) or the vDSO is disabled.
 * Names absent on an ABI (sigreturn, time on aarch64...) are left out there. */
static const char *const required_names[] = {
	"clock_gettime", "clock_gettime64", "exit",         "exit_group", "getcpu", "gettimeofday",
	"restart_syscall", "rt_sigreturn",  "sigreturn",    "time",       NULL,
};

/* Required when the recording saw a process with more than one thread. */
static const char *const thread_names[] = {"futex", "futex_time64", NULL};

const char *const *sp_gen_required_names(void)
{
	return required_names;
}

/* Equivalent spellings of one operation across ABIs, for --arch.  Generic
 * ABIs (aarch64, riscv64) lack the legacy path-based calls; 32-bit ABIs
 * use the 64, 32 and _time64 variants where 64-bit ABIs have one call.  When a
 * recording made on one ABI is translated to another, every listed
 * equivalent that exists on the target is added as well. */
static const struct {
	const char *from;
	const char *to[4];
} equivalents[] = {
	{"_llseek", {"lseek"}},
	{"_newselect", {"pselect6", "pselect6_time64"}},
	{"access", {"faccessat", "faccessat2"}},
	{"alarm", {"setitimer"}},
	{"chmod", {"fchmodat"}},
	{"chown", {"fchownat", "chown32"}},
	{"chown32", {"chown", "fchownat"}},
	{"clock_getres", {"clock_getres_time64"}},
	{"clock_getres_time64", {"clock_getres"}},
	{"clock_gettime", {"clock_gettime64"}},
	{"clock_gettime64", {"clock_gettime"}},
	{"clock_nanosleep", {"clock_nanosleep_time64"}},
	{"clock_nanosleep_time64", {"clock_nanosleep"}},
	{"creat", {"openat"}},
	{"dup2", {"dup3"}},
	{"epoll_create", {"epoll_create1"}},
	{"epoll_wait", {"epoll_pwait"}},
	{"eventfd", {"eventfd2"}},
	{"fchown", {"fchown32"}},
	{"fchown32", {"fchown"}},
	{"fcntl", {"fcntl64"}},
	{"fcntl64", {"fcntl"}},
	{"fork", {"clone"}},
	{"fstat", {"fstat64"}},
	{"fstat64", {"fstat"}},
	{"fstatat64", {"newfstatat"}},
	{"fstatfs", {"fstatfs64"}},
	{"fstatfs64", {"fstatfs"}},
	{"ftruncate", {"ftruncate64"}},
	{"ftruncate64", {"ftruncate"}},
	{"futex", {"futex_time64"}},
	{"futex_time64", {"futex"}},
	{"getdents", {"getdents64"}},
	{"getegid", {"getegid32"}},
	{"getegid32", {"getegid"}},
	{"geteuid", {"geteuid32"}},
	{"geteuid32", {"geteuid"}},
	{"getgid", {"getgid32"}},
	{"getgid32", {"getgid"}},
	{"getgroups", {"getgroups32"}},
	{"getgroups32", {"getgroups"}},
	{"getpgrp", {"getpgid"}},
	{"getresgid", {"getresgid32"}},
	{"getresgid32", {"getresgid"}},
	{"getresuid", {"getresuid32"}},
	{"getresuid32", {"getresuid"}},
	{"getrlimit", {"ugetrlimit", "prlimit64"}},
	{"getuid", {"getuid32"}},
	{"getuid32", {"getuid"}},
	{"inotify_init", {"inotify_init1"}},
	{"lchown", {"fchownat", "lchown32"}},
	{"lchown32", {"lchown", "fchownat"}},
	{"link", {"linkat"}},
	{"lseek", {"_llseek"}},
	{"lstat", {"newfstatat", "fstatat64", "statx", "lstat64"}},
	{"lstat64", {"fstatat64", "newfstatat", "statx", "lstat"}},
	{"mkdir", {"mkdirat"}},
	{"mknod", {"mknodat"}},
	{"mmap", {"mmap2"}},
	{"mmap2", {"mmap"}},
	{"newfstatat", {"fstatat64"}},
	{"nice", {"setpriority"}},
	{"open", {"openat"}},
	{"pause", {"rt_sigsuspend"}},
	{"pipe", {"pipe2"}},
	{"poll", {"ppoll", "ppoll_time64"}},
	{"ppoll", {"ppoll_time64"}},
	{"ppoll_time64", {"ppoll"}},
	{"pselect6", {"pselect6_time64"}},
	{"pselect6_time64", {"pselect6"}},
	{"readlink", {"readlinkat"}},
	{"recvmmsg", {"recvmmsg_time64"}},
	{"recvmmsg_time64", {"recvmmsg"}},
	{"rename", {"renameat", "renameat2"}},
	{"renameat", {"renameat2"}},
	{"rmdir", {"unlinkat"}},
	{"rt_sigtimedwait", {"rt_sigtimedwait_time64"}},
	{"rt_sigtimedwait_time64", {"rt_sigtimedwait"}},
	{"select", {"pselect6", "pselect6_time64"}},
	{"sendfile", {"sendfile64"}},
	{"sendfile64", {"sendfile"}},
	{"setfsgid", {"setfsgid32"}},
	{"setfsgid32", {"setfsgid"}},
	{"setfsuid", {"setfsuid32"}},
	{"setfsuid32", {"setfsuid"}},
	{"setgid", {"setgid32"}},
	{"setgid32", {"setgid"}},
	{"setgroups", {"setgroups32"}},
	{"setgroups32", {"setgroups"}},
	{"setregid", {"setregid32"}},
	{"setregid32", {"setregid"}},
	{"setresgid", {"setresgid32"}},
	{"setresgid32", {"setresgid"}},
	{"setresuid", {"setresuid32"}},
	{"setresuid32", {"setresuid"}},
	{"setreuid", {"setreuid32"}},
	{"setreuid32", {"setreuid"}},
	{"setuid", {"setuid32"}},
	{"setuid32", {"setuid"}},
	{"sigaction", {"rt_sigaction"}},
	{"signal", {"rt_sigaction"}},
	{"signalfd", {"signalfd4"}},
	{"sigpending", {"rt_sigpending"}},
	{"sigprocmask", {"rt_sigprocmask"}},
	{"sigreturn", {"rt_sigreturn"}},
	{"sigsuspend", {"rt_sigsuspend"}},
	{"stat", {"newfstatat", "fstatat64", "statx", "stat64"}},
	{"stat64", {"fstatat64", "newfstatat", "statx", "stat"}},
	{"statfs", {"statfs64"}},
	{"statfs64", {"statfs"}},
	{"symlink", {"symlinkat"}},
	{"time", {"clock_gettime"}},
	{"timer_gettime", {"timer_gettime64"}},
	{"timer_gettime64", {"timer_gettime"}},
	{"timer_settime", {"timer_settime64"}},
	{"timer_settime64", {"timer_settime"}},
	{"timerfd_gettime", {"timerfd_gettime64"}},
	{"timerfd_gettime64", {"timerfd_gettime"}},
	{"timerfd_settime", {"timerfd_settime64"}},
	{"timerfd_settime64", {"timerfd_settime"}},
	{"truncate", {"truncate64"}},
	{"truncate64", {"truncate"}},
	{"ugetrlimit", {"getrlimit", "prlimit64"}},
	{"unlink", {"unlinkat"}},
	{"utime", {"utimensat", "utimensat_time64"}},
	{"utimensat", {"utimensat_time64"}},
	{"utimensat_time64", {"utimensat"}},
	{"utimes", {"utimensat", "utimensat_time64"}},
	{"vfork", {"clone"}},
	{"waitpid", {"wait4"}},
};

void sp_gen_opts_init(struct sp_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->def = sp_action_errno(EPERM);
}

/* The unconditional rule for (name, action), created if absent. */
static struct sp_rule *rule_for(struct sp_policy *p, const char *name, struct sp_action act)
{
	for (size_t i = 0; i < p->nrules; i++) {
		struct sp_rule *r = &p->rules[i];
		if (r->ncond == 0 && sp_action_equal(r->action, act) && !strcmp(r->name, name))
			return r;
	}
	return sp_policy_add_rule(p, name, act);
}

/* Adds name on every ABI of mask where it exists; returns the rule or NULL
 * when it exists on none of them. */
static struct sp_rule *allow_where_exists(struct sp_policy *p, const char *name, uint32_t mask, uint32_t origin,
					  const char *comment)
{
	uint32_t where = 0;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if ((mask & sp_abi_bit((enum sp_abi)a)) && sp_abi_syscall_exists((enum sp_abi)a, name))
			where |= sp_abi_bit((enum sp_abi)a);
	if (!where)
		return NULL;
	struct sp_rule *r = rule_for(p, name, sp_action_allow());
	r->abis |= where;
	r->origin |= origin;
	if (!r->comment && comment)
		r->comment = xstrdup(comment);
	return r;
}

/* "12 calls by /usr/bin/ls at main+0x1c (/usr/bin/ls)" */
static char *provenance(const struct sp_sysc *s)
{
	struct sp_buf b = SP_BUF_INIT;
	sp_buf_printf(&b, "observed: %llu call%s on %s", (unsigned long long)s->calls, s->calls == 1 ? "" : "s",
		      sp_abi_name(s->abi));
	const char *exe = s->first_exe;
	if (!exe && s->nsites)
		exe = s->sites[0].exe;
	if (exe)
		sp_buf_printf(&b, ", first by %s", exe);
	if (s->nsites && s->sites[0].nframes) {
		const struct sp_callsite *c = &s->sites[0];
		/* The innermost frame is usually the libc wrapper; the first
		 * frame in the executable itself says more, when there is one. */
		const struct sp_frame *f = &c->frames[0];
		for (size_t i = 0; i < c->nframes; i++) {
			if (c->exe && c->frames[i].module && !strcmp(c->frames[i].module, c->exe) &&
			    c->frames[i].symbol) {
				f = &c->frames[i];
				break;
			}
		}
		if (f->symbol)
			sp_buf_printf(&b, " in %s+0x%llx", f->symbol, (unsigned long long)f->sym_off);
		else if (f->module)
			sp_buf_printf(&b, " at %s+0x%llx", f->module, (unsigned long long)f->offset);
	}
	return sp_buf_steal(&b);
}

static void translate(struct sp_policy *p, const char *name, enum sp_abi to)
{
	const char *abi = sp_abi_name(to);
	bool found = sp_abi_syscall_exists(to, name);
	if (found)
		allow_where_exists(p, name, sp_abi_bit(to), 0, NULL);
	for (size_t i = 0; i < SP_ARRAY_SIZE(equivalents); i++) {
		if (strcmp(equivalents[i].from, name))
			continue;
		for (size_t j = 0; j < SP_ARRAY_SIZE(equivalents[i].to) && equivalents[i].to[j]; j++) {
			const char *eq = equivalents[i].to[j];
			if (!sp_abi_syscall_exists(to, eq))
				continue;
			_cleanup_free_ char *c = xasprintf("translated from %s for %s", name, abi);
			struct sp_rule *r = allow_where_exists(p, eq, sp_abi_bit(to), SP_ORIGIN_TRANSLATED, c);
			if (r && !(r->origin & SP_ORIGIN_OBSERVED))
				sp_debug("--arch %s: %s -> %s", abi, name, eq);
			found = true;
		}
	}
	if (!found)
		sp_warn("--arch %s: '%s' does not exist on %s and has no known equivalent there; left out", abi,
			name, abi);
}

static int validate(const struct sp_policy *p, struct sp_err *err)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		uint32_t mask = r->abis ? r->abis : p->abis;
		for (int a = 0; a < SP_ABI_COUNT; a++) {
			if (!(mask & sp_abi_bit((enum sp_abi)a)))
				continue;
			if (seccomp_syscall_resolve_name_arch(sp_abi_get((enum sp_abi)a)->scmp_token, r->name) ==
			    __NR_SCMP_ERROR)
				return sp_err_set(err, -EINVAL, "generate: unknown syscall '%s' on ABI '%s'", r->name,
						  sp_abi_name((enum sp_abi)a));
		}
	}
	return 0;
}

/* Adds the runtime calls sel selects to p (rules with explicit ABI masks).
 * A name several runtimes make gets their reasons joined; a rule that was
 * there for another reason (observed, required) keeps its comment. */
static void add_runtime_calls(struct sp_policy *p, const char *sel)
{
	size_t n;
	const struct sp_gen_runtime *rts = sp_gen_runtimes(&n);
	for (size_t i = 0; i < n; i++) {
		if (!sp_gen_runtime_selects(sel, &rts[i]))
			continue;
		for (const struct sp_gen_rtcall *c = rts[i].calls; c->name; c++) {
			bool first = true;
			for (size_t j = 0; j < p->nrules; j++) {
				const struct sp_rule *o = &p->rules[j];
				if (!o->ncond && o->action.kind == SP_ACT_ALLOW && !strcmp(o->name, c->name))
					first = !(o->origin & SP_ORIGIN_RUNTIME);
			}
			_cleanup_free_ char *why = xasprintf("runtime: %s %s", rts[i].name, c->why);
			struct sp_rule *r = allow_where_exists(p, c->name, p->abis, SP_ORIGIN_RUNTIME, why);
			if (r && !first && r->comment && !strncmp(r->comment, "runtime: ", 9)) {
				char *joined = xasprintf("%s; %s %s", r->comment, rts[i].name, c->why);
				free(r->comment);
				r->comment = joined;
			}
		}
	}
}

void sp_gen_add_runtime(struct sp_policy *p, const char *sel)
{
	/* A policy of just the runtime's calls, united with p: the union's
	 * rules decide what happens to p's own rules for those names. */
	struct sp_policy *rp = sp_policy_new(p->def);
	rp->abis = p->abis;
	add_runtime_calls(rp, sel);
	if (rp->nrules)
		sp_gen_union(p, rp);
	sp_policy_free(rp);
}

int sp_generate(const struct sp_recording *rec, const struct sp_gen_opts *o, struct sp_policy **out,
		struct sp_err *err)
{
	struct sp_gen_opts defaults;
	if (!o) {
		sp_gen_opts_init(&defaults);
		o = &defaults;
	}
	if (!sp_gen_runtime_ok(o->runtime))
		return sp_err_set(err, -EINVAL, "generate: unknown runtime '%s' (" SP_GEN_RUNTIMES ")", o->runtime);

	uint32_t observed = sp_recording_abis(rec);
	struct sp_policy *p = sp_policy_new(o->def);
	p->abis = observed | o->add_abis;
	if (!p->abis) {
		/* An empty recording still yields a policy for this host. */
		enum sp_abi n = sp_abi_native();
		p->abis = n == SP_ABI_UNKNOWN ? 0 : sp_abi_bit(n);
	}

	size_t n;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	for (size_t i = 0; i < n; i++) {
		const struct sp_sysc *s = v[i];
		if (!s->name) {
			char buf[40];
			sp_warn("syscall number %lld on %s (%s, %llu call%s) is unknown to libseccomp %u.%u.%u and "
				"cannot be named in a policy; it gets the default action",
				(long long)s->nr, sp_abi_name(s->abi), sp_sysc_display_name(s, buf, sizeof(buf)),
				(unsigned long long)s->calls, s->calls == 1 ? "" : "s",
				seccomp_version()->major, seccomp_version()->minor, seccomp_version()->micro);
			continue;
		}
		struct sp_rule *r = rule_for(p, s->name, sp_action_allow());
		r->abis |= sp_abi_bit(s->abi);
		r->origin |= SP_ORIGIN_OBSERVED;
		if (s->flags & SP_SYSC_BASELINE)
			r->origin |= SP_ORIGIN_BASELINE;
		if (!r->comment)
			r->comment = provenance(s);
	}

	/* --arch: ABIs that were not observed get the observed names
	 * translated.  (Iterate over a snapshot: translation adds rules.) */
	uint32_t targets = o->add_abis & ~observed;
	if (targets) {
		size_t nobs = p->nrules;
		char **names = xcalloc(nobs ? nobs : 1, sizeof(char *));
		for (size_t i = 0; i < nobs; i++)
			names[i] = xstrdup(p->rules[i].name);
		for (int a = 0; a < SP_ABI_COUNT; a++)
			if (targets & sp_abi_bit((enum sp_abi)a))
				for (size_t i = 0; i < nobs; i++)
					translate(p, names[i], (enum sp_abi)a);
		for (size_t i = 0; i < nobs; i++)
			free(names[i]);
		free(names);
	}

	for (size_t i = 0; i < o->nextra; i++) {
		const struct sp_gen_extra *x = &o->extra[i];
		if (!(p->abis & sp_abi_bit(x->abi)) || sp_policy_allows(p, x->name))
			continue; /* another ABI, or observed after all */
		_cleanup_free_ char *c = xasprintf("added by analysis, not observed: %s", x->why);
		allow_where_exists(p, x->name, sp_abi_bit(x->abi), SP_ORIGIN_ANALYSIS, c);
	}

	if (!o->no_required) {
		for (size_t i = 0; required_names[i]; i++)
			allow_where_exists(p, required_names[i], p->abis, SP_ORIGIN_REQUIRED,
					   "required: may be needed on paths a short run does not show");
		/* A process with more than one thread takes its locks through
		 * futex only when two threads contend; an uncontended run
		 * never shows it, a loaded production machine does.  meta.threads
		 * counts every task, leaders included, so more threads than
		 * processes means some process had a second thread. */
		if (rec->meta.threads > rec->meta.processes)
			for (size_t i = 0; thread_names[i]; i++)
				allow_where_exists(p, thread_names[i], p->abis, SP_ORIGIN_REQUIRED,
						   "required: threads contend for locks through it on a loaded machine");
	}

	add_runtime_calls(p, o->runtime);

	/* Argument rules replace unconditional rules that exist only
	 * because of the recording (generator/args.h). */
	if (o->args)
		sp_argrules_apply(p, rec, NULL);

	/* glibc's clone3 wrapper treats EPERM as fatal; ENOSYS makes it fall
	 * back to clone, which the policy may allow.  Only when the default
	 * denies (ALLOW and LOG let the call through anyway). */
	struct sp_action enosys = sp_action_errno(ENOSYS);
	if (!sp_policy_allows(p, "clone3") && o->def.kind != SP_ACT_ALLOW && o->def.kind != SP_ACT_LOG &&
	    !sp_action_equal(o->def, enosys)) {
		struct sp_rule *r = rule_for(p, "clone3", enosys);
		r->origin |= SP_ORIGIN_ENOSYS;
		if (!r->comment)
			r->comment = xstrdup("ENOSYS so that glibc falls back to clone");
	}

	/* A rule on every ABI of the policy is stored as "all" (0). */
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].abis == p->abis)
			p->rules[i].abis = 0;
	if (o->deny_io_uring)
		sp_gen_uring_deny(p);

	int r = validate(p, err);
	if (r < 0) {
		sp_policy_free(p);
		return r;
	}
	sp_policy_sort(p);
	*out = p;
	return 0;
}

static bool same_rule(const struct sp_rule *a, const struct sp_rule *b)
{
	if (strcmp(a->name, b->name) || !sp_action_equal(a->action, b->action) || a->ncond != b->ncond)
		return false;
	for (unsigned i = 0; i < a->ncond; i++)
		if (a->cond[i].arg != b->cond[i].arg || a->cond[i].op != b->cond[i].op ||
		    a->cond[i].value != b->cond[i].value || a->cond[i].value2 != b->cond[i].value2)
			return false;
	return true;
}

void sp_gen_union(struct sp_policy *dst, const struct sp_policy *src)
{
	/* Explicit masks while the ABI set changes. */
	for (size_t i = 0; i < dst->nrules; i++)
		if (!dst->rules[i].abis)
			dst->rules[i].abis = dst->abis;
	dst->abis |= src->abis;
	sp_policy_sort(dst);
	for (size_t i = 0; i < src->nrules; i++) {
		const struct sp_rule *s = &src->rules[i];
		struct sp_rule *d = NULL;
		for (size_t j = 0; j < dst->nrules && !d; j++)
			if (same_rule(&dst->rules[j], s))
				d = &dst->rules[j];
		if (!d) {
			d = sp_policy_add_rule(dst, s->name, s->action);
			d->ncond = s->ncond;
			memcpy(d->cond, s->cond, sizeof(d->cond));
			d->comment = s->comment ? xstrdup(s->comment) : NULL;
		}
		d->abis |= s->abis ? s->abis : src->abis;
		d->origin |= s->origin;
	}
	/* An unconditional ALLOW wins over other unconditional actions. */
	bool *drop = xcalloc(dst->nrules + 1, sizeof(bool));
	for (size_t i = 0; i < dst->nrules; i++) {
		const struct sp_rule *r = &dst->rules[i];
		drop[i] = r->ncond == 0 && r->action.kind != SP_ACT_ALLOW && sp_policy_allows(dst, r->name);
	}
	size_t k = 0;
	for (size_t i = 0; i < dst->nrules; i++) {
		if (drop[i]) {
			free(dst->rules[i].name);
			free(dst->rules[i].comment);
			continue;
		}
		dst->rules[k++] = dst->rules[i];
	}
	dst->nrules = k;
	free(drop);
	for (size_t i = 0; i < dst->nrules; i++)
		if (dst->rules[i].abis == dst->abis)
			dst->rules[i].abis = 0;
	sp_policy_sort(dst);
}
