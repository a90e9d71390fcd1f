/* SPDX-License-Identifier: MIT */
/*
 * analysis/reach.h: the system calls an executable can reach, statically.
 *
 *     struct sp_reach_ctx *ctx = sp_reach_new(NULL);   // default cache dir
 *     struct sp_reach_exe *e;
 *     if (sp_reach_exe(ctx, "/usr/bin/redis-cli", &e, &err) < 0) ...
 *     for (size_t i = 0; i < e->ncalls; i++)
 *             e->calls[i].nr, e->calls[i].via   // "sigsuspend@libc.so.6"
 *     sp_reach_exe_free(e);
 *     sp_reach_free(ctx);
 *
 * The executable's objects are found as the dynamic loader would
 * (analysis/loader.h).  What counts as reachable:
 *
 * - every system-call instruction with a constant number in the
 *   executable, in the program interpreter (ld.so) and in every loaded
 *   library other than the C library (these objects are taken whole);
 * - for every function those objects import from the C library: the calls
 *   that function reaches through libc's own call graph (its "libc map",
 *   analysis/object.h for the edges it follows), cached per libc build-id;
 * - in libc, the functions that run without a direct call: DT_INIT/FINI
 *   and every function whose address is stored in libc's data (init
 *   arrays, stdio's vtables, callbacks), since an indirect call may reach
 *   any of them.
 *
 * Not reachable by this analysis, hence not in the result (the soundness
 * limits, docs/unseen.md): calls with a number chosen at run time (listed
 * in unknown[]: syscall(), Go's runtime, stubs taking the number as an
 * argument), calls made by code loaded with dlopen() or generated at run
 * time, the vDSO (its functions make no system call on x86_64 and aarch64;
 * their fallbacks in libc are counted), calls made in libc through
 * function pointers that libc's code builds in registers without a
 * relocation, and everything in a statically linked or Go binary other
 * than its direct instructions (which there include its libc).
 *
 * Each call keeps one reason ("via"): the most specific one found (a
 * direct instruction in the executable, then the libc function whose own
 * reach is smallest, then libraries, ld.so and libc's indirect set).
 */
#ifndef SP_ANALYSIS_REACH_H
#define SP_ANALYSIS_REACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/abi.h"
#include "core/err.h"

struct sp_reach_ctx;

struct sp_reach_call {
	int64_t nr;   /* as the kernel sees it on the executable's ABI */
	char *name;   /* libseccomp's name, or NULL when it does not know nr */
	char *via;    /* why it is reachable */
	uint32_t score; /* lower = more specific reason (internal ranking) */
};

enum sp_reach_linkage {
	SP_REACH_DYNAMIC,
	SP_REACH_STATIC, /* direct instructions only */
	SP_REACH_GO,     /* direct instructions (and libc imports of cgo builds) */
};

struct sp_reach_exe {
	char *path;
	enum sp_abi abi;
	enum sp_reach_linkage linkage;
	char **objects; /* every object loaded, executable first, NULL-terminated */
	char **notes;   /* what limited the analysis (missing library, static), NULL-terminated */
	struct sp_reach_call *calls; /* sorted by nr */
	size_t ncalls;
	char **unknown; /* sites or imports that make calls with run-time numbers, NULL-terminated */
	size_t nunknown;
};

/* cache_dir: where libc maps are kept; NULL = $XDG_CACHE_HOME/seccomp-profile
 * or ~/.cache/seccomp-profile; "" = no cache. */
struct sp_reach_ctx *sp_reach_new(const char *cache_dir);
void sp_reach_free(struct sp_reach_ctx *ctx);

int sp_reach_exe(struct sp_reach_ctx *ctx, const char *path, struct sp_reach_exe **out, struct sp_err *err);
void sp_reach_exe_free(struct sp_reach_exe *e);

/* The call for nr in e, or NULL. */
const struct sp_reach_call *sp_reach_find(const struct sp_reach_exe *e, int64_t nr);

/* Timing of the libc maps this context built or read (for -v and
 * docs/unseen.md): seconds spent, and whether the last one came from the
 * cache. */
struct sp_reach_stats {
	double libc_seconds;
	unsigned libc_built, libc_cached;
	char *libc_cache_file; /* the last cache file used or written, or NULL */
};
const struct sp_reach_stats *sp_reach_stats(const struct sp_reach_ctx *ctx);

#endif
