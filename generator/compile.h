/* SPDX-License-Identifier: MIT */
/*
 * generator/compile.h: policy -> libseccomp filter, and classic BPF.
 *
 * sp_compile_ctx() builds a libseccomp filter context for a policy: every
 * ABI of the policy (plus o->extra_abis) is added before any rule (rules
 * are not copied to arches added later), the bad-arch action is
 * KILL_PROCESS (libseccomp's default is the *thread* kill, which can leave a
 * multi-threaded process hanging), and each rule becomes one libseccomp rule
 * with its AND-ed argument conditions.  A rule whose action equals the
 * default action is skipped (libseccomp refuses it with -EACCES, and runc
 * and crun skip it too).  Rules restricted to some ABIs (sp_rule.abis) are
 * added only to those: each ABI is built as its own single-arch filter and
 * the filters are merged.
 *
 *     struct sp_compile_opts o = {0};               // the policy's default
 *     scmp_filter_ctx ctx;
 *     if (sp_compile_ctx(p, &o, &ctx, &err) < 0) ...
 *     seccomp_load(ctx); seccomp_release(ctx);
 *
 *     struct sock_fprog prog;
 *     if (sp_compile_bpf(p, &o, &prog, &err) < 0) ...
 *     ... free(prog.filter);
 *
 * Names are checked on every ABI first: a name libseccomp does not know on
 * an ABI is an error naming the syscall and the ABI.  A known name that does
 * not exist on one ABI (arch_prctl on aarch64) is inert there, like in runc.
 * The policy's ABIs may be 0: then the filter covers the native ABI only.
 *
 * Policies where two rules with different actions can match one call are
 * refused (core/overlap.h), and so are programs that libseccomp exports
 * broken (an ABI block that never loads the syscall number); rules for
 * calls an ABI lacks are left out of that ABI's block, which avoids the
 * one shape known to trigger that.  Each syscall's rules are added in an
 * order that keeps libseccomp 2.5.4 from looping forever on them (see
 * add_order() in compile.c); the order changes the program's layout, not
 * its meaning.
 */
#ifndef SP_GENERATOR_COMPILE_H
#define SP_GENERATOR_COMPILE_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/policy.h"

struct sp_compile_opts {
	bool override_default;  /* use def instead of the policy's default action */
	struct sp_action def;   /* e.g. {SP_ACT_TRACE,0} for check/--baseline, LOG for run --mode log */
	uint32_t extra_abis;    /* ABIs to add besides p->abis (sp_abi_bit mask) */
	bool trace_badarch;     /* a call on another ABI gets TRACE, not KILL_PROCESS (check) */
};

/* p as the compiler sees it with o: o's default action when it overrides,
 * o's extra ABIs added, the native ABI when there is none.  A shallow copy
 * (the rules are p's), for giving a second compiler the same policy. */
struct sp_policy sp_compile_view(const struct sp_policy *p, const struct sp_compile_opts *o);

/* Builds the filter into *out (release it with seccomp_release()).  o may be
 * NULL (the policy as it is).  Returns 0 or a negative code with err set. */
int sp_compile_ctx(const struct sp_policy *p, const struct sp_compile_opts *o, scmp_filter_ctx *out,
		   struct sp_err *err);

/* Same, exported as a classic BPF program (host byte order, as the kernel
 * and bwrap --seccomp take it); out->filter is malloc'ed (free it).  Fails
 * when the program exceeds the kernel's 4096-instruction limit. */
int sp_compile_bpf(const struct sp_policy *p, const struct sp_compile_opts *o, struct sock_fprog *out,
		   struct sp_err *err);

/* sp_compile_bpf() in a child process that is killed after timeout_ms
 * (0: in this process).  libseccomp 2.5.4 loops forever inside
 * seccomp_rule_add_array() on some rule sets (tests/fuzz/libseccomp-hang.txt);
 * the rule order prevents every case known, and run, check and record
 * --baseline still compile profiles they are given this way, so that one
 * not known costs the timeout, not a hang.  -ETIMEDOUT when the time ran
 * out. */
int sp_compile_bpf_isolated(const struct sp_policy *p, const struct sp_compile_opts *o, unsigned timeout_ms,
			    struct sock_fprog *out, struct sp_err *err);

/* Exports ctx as raw BPF into a malloc'ed buffer (libseccomp 2.5 has only
 * the fd variant, so this goes through a memfd). */
int sp_compile_export(scmp_filter_ctx ctx, struct sock_fprog *out, struct sp_err *err);

/* The libseccomp action value for a (scmp_filter_ctx) rule or default. */
uint32_t sp_compile_scmp_action(struct sp_action a);

#endif
