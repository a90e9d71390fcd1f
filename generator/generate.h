/* SPDX-License-Identifier: MIT */
/*
 * generator/generate.h: recording -> allow-list policy.
 *
 *     struct sp_gen_opts o;
 *     sp_gen_opts_init(&o);                 // errno EPERM default, required on
 *     o.add_abis = sp_abi_bit(SP_ABI_AARCH64);
 *     struct sp_policy *p;
 *     if (sp_generate(rec, &o, &p, &err) < 0) ...
 *     ... sp_policy_free(p);
 *
 * What the policy contains (docs/formats.md, "What generate puts in a
 * policy", is the user-facing version of this list):
 *
 * - every syscall the recording names, ALLOW, on the ABIs it was seen on
 *   (SP_ORIGIN_OBSERVED);
 * - --arch (add_abis): each observed name on the added ABI where it exists
 *   there, plus the equivalent spellings of the same operation that exist
 *   there (open -> openat, stat -> newfstatat, fork -> clone, mmap -> mmap2,
 *   ...; SP_ORIGIN_TRANSLATED, comment "translated from NAME").  Names with no
 *   equivalent on the added ABI are reported with sp_warn();
 * - unless no_required: syscalls every program may need on paths a short
 *   run does not show (SP_ORIGIN_REQUIRED, see sp_gen_required_names()),
 *   and futex (futex_time64 on 32-bit ABIs) when the recording saw a
 *   process with more than one thread: contended locks wait in futex;
 * - runtime "runc", "crun", "bwrap" or "any" (every OCI runtime: runc and
 *   crun): the syscalls that runtime makes after loading the filter and
 *   before exec'ing the workload, as measured (SP_ORIGIN_RUNTIME,
 *   generator/runtime.c, sp_gen_add_runtime());
 * - extra (generate --add-unseen): names static analysis found reachable
 *   but the recording never saw, each with its reason (SP_ORIGIN_ANALYSIS,
 *   comment "added by analysis, not observed: ...");
 * - clone3 -> ERRNO(ENOSYS) when clone3 is not allowed and the default
 *   denies: glibc treats EPERM from clone3 as fatal but falls back to clone
 *   on ENOSYS (SP_ORIGIN_ENOSYS);
 * - deny_io_uring: io_uring_setup/enter/register -> ERRNO(ENOSYS), whatever
 *   was observed (sp_gen_uring_deny(), SP_ORIGIN_ENOSYS).
 *
 * Syscalls whose number libseccomp cannot name (newer than the library) can
 * not be written in any policy format: they are reported with sp_warn() and
 * get the default action.  Every name is validated with libseccomp on every
 * ABI of its rule; an unknown name is an error naming the name and ABI.
 * The policy is sorted (sp_policy_sort), so output is deterministic.
 * Rule ABI masks are 0 when a rule covers every ABI of the policy.
 */
#ifndef SP_GENERATOR_GENERATE_H
#define SP_GENERATOR_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/policy.h"
#include "core/recording.h"

/* One call to allow although it was not observed (generate --add-unseen). */
struct sp_gen_extra {
	enum sp_abi abi;
	const char *name;
	const char *why; /* e.g. "reachable via sigsuspend@libc.so.6 from /usr/bin/bash" */
};

struct sp_gen_opts {
	struct sp_action def;   /* default: errno EPERM (see sp_gen_opts_init) */
	uint32_t add_abis;      /* --arch: ABIs to add by name translation */
	bool no_required;       /* leave out restart_syscall, rt_sigreturn, exit, ... */
	const char *runtime;    /* "any", "runc", "crun", "bwrap", "none" or NULL (= none here; cli/ picks
				 * per format) */
	bool args;              /* argument rules (issue 7 hooks in here) */
	const struct sp_gen_extra *extra; /* added by analysis */
	size_t nextra;
	bool deny_io_uring;     /* io_uring calls -> ERRNO(ENOSYS) (generator/uring.h) */
};

/* The defaults: default action errno EPERM, nothing else set.  (A zeroed
 * struct would mean default action KILL_PROCESS.) */
void sp_gen_opts_init(struct sp_gen_opts *o);

/* Builds the policy for rec into *out (free with sp_policy_free()).  o may
 * be NULL for the defaults. */
int sp_generate(const struct sp_recording *rec, const struct sp_gen_opts *o, struct sp_policy **out,
		struct sp_err *err);

/* Adds src's rules to dst (union): ABIs are unioned, identical rules merge
 * their ABI masks and origins, and a name that ends up with an
 * unconditional ALLOW loses its other unconditional rules (clone3's ENOSYS
 * from one input against another input that allows clone3).  dst's
 * default action is kept.  dst is sorted afterwards. */
void sp_gen_union(struct sp_policy *dst, const struct sp_policy *src);

/* The always-needed names, NULL-terminated (documentation and tests). */
const char *const *sp_gen_required_names(void);

/* Container runtimes (generator/runtime.c): the syscalls each makes under
 * the container's filter, measured by scripts/measure-runtime.  `why` names
 * the runtime step that makes the call. */
struct sp_gen_rtcall {
	const char *name;
	const char *why;
};
struct sp_gen_runtime {
	const char *name;                   /* "runc", "crun", "bwrap" */
	bool oci;                           /* an OCI runtime: part of "any" */
	const struct sp_gen_rtcall *calls;  /* sorted by name, ends with {NULL, NULL} */
};
/* The table, *n rows; static storage. */
const struct sp_gen_runtime *sp_gen_runtimes(size_t *n);
/* Whether the selection sel ("any", "none", a runtime name, NULL = none)
 * includes rt; sp_gen_runtime_ok() says whether sel is a valid selection. */
bool sp_gen_runtime_selects(const char *sel, const struct sp_gen_runtime *rt);
bool sp_gen_runtime_ok(const char *sel);
/* The valid selections, for messages. */
#define SP_GEN_RUNTIMES "any, runc, crun, bwrap, none"

/* Adds the calls of the runtimes sel selects to p as unconditional ALLOW
 * rules (SP_ORIGIN_RUNTIME, comment "runtime: RT WHY", several runtimes
 * joined with "; ") on every ABI of p where the name exists, with
 * sp_gen_union()'s rules: such an ALLOW replaces p's other unconditional
 * rule for the name.  sel must be valid (sp_gen_runtime_ok). */
void sp_gen_add_runtime(struct sp_policy *p, const char *sel);

#endif
