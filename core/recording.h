/* SPDX-License-Identifier: MIT */
/*
 * core/recording.h: what a run was observed to do.
 *
 * A recording holds, per (ABI, syscall number): how often it was called,
 * how often it failed (per errno), the time spent in it, which runs saw it,
 * the first task and executable that made it, a bounded list of call sites
 * (stacks), and for selected syscalls the distinct values of flag-like
 * arguments.  Plus metadata about the run.  It is lossless with respect to
 * our native file format (formats/recording.c).
 *
 *     struct sp_recording *rec = sp_recording_new();
 *     struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, 0, true);
 *     s->calls++;
 *     size_t n; struct sp_sysc **v = sp_recording_sorted(rec, &n); // free(v)
 *     sp_recording_free(rec);
 *
 * Lookup is a hash on (abi, nr), cheap enough for the tracer's hot path.
 * Names are resolved lazily by sp_recording_sysc() at creation (one
 * libseccomp call per distinct syscall, never per call).
 */
#ifndef SP_CORE_RECORDING_H
#define SP_CORE_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/abi.h"

#define SP_RECORDING_SCHEMA  "seccomp-profile/recording"
#define SP_RECORDING_VERSION 1

/* Bounds that keep memory proportional to distinct behaviour, not to run
 * length. */
#define SP_MAX_ARG_VALUES 64 /* distinct values kept per argument */
#define SP_MAX_CALLSITES  8  /* distinct call sites kept per syscall */
#define SP_MAX_FRAMES     64 /* frames per call site */

struct sp_errcount {
	int err; /* positive errno */
	uint64_t count;
	bool saturated; /* a merge's sum passed SP_COUNT_MAX (warned once) */
};

/* The largest count or time a recording holds (its readers take JSON
 * integers, which are signed 64-bit).  Sums that would pass it stay at it:
 * sp_add_sat(). */
#define SP_COUNT_MAX ((uint64_t)INT64_MAX)
/* *v += add, at most max; returns false (and leaves *v at max) when the
 * sum would pass max. */
bool sp_add_sat(uint64_t *v, uint64_t add, uint64_t max);

/* Distinct values seen for one argument; overflow = more than the bound
 * were seen (the set is then a sample and must not become an equality
 * rule). */
struct sp_argset {
	bool used;
	bool overflow;
	uint8_t nvalues;
	uint64_t values[SP_MAX_ARG_VALUES]; /* sorted ascending */
};

struct sp_frame {
	char *module;    /* path of the mapped object, or NULL */
	uint64_t offset; /* pc - module load base (stable across ASLR) */
	char *symbol;    /* function name if known, or NULL */
	uint64_t sym_off;
};

struct sp_callsite {
	char *exe; /* executable of the calling task */
	size_t nframes;
	struct sp_frame *frames;
};

/* Flags on a syscall entry. */
enum {
	/* Allowed by --baseline, so not re-observed in this run. */
	SP_SYSC_BASELINE = 1u << 0,
};

struct sp_sysc {
	enum sp_abi abi;
	int64_t nr;      /* as the kernel reported it (x32 keeps its bit) */
	char *name;      /* libseccomp's name on abi, or NULL if unknown */
	uint64_t calls;
	uint64_t errors; /* sum of errs[].count */
	uint64_t time_ns;
	uint32_t runs_seen; /* in how many of meta.runs it was seen */
	uint32_t flags;
	pid_t first_pid;
	char *first_exe;
	size_t nerrs, cap_errs;
	struct sp_errcount *errs; /* sorted by err */
	size_t nsites;
	struct sp_callsite sites[SP_MAX_CALLSITES];
	uint32_t sites_dropped; /* distinct call sites beyond the bound */
	uint32_t saturated;     /* SP_SAT_* fields a merge held at their maximum */
	struct sp_argset args[6];
};

/* Fields of a syscall entry (and of the metadata) a merge can saturate. */
enum {
	SP_SAT_CALLS = 1u << 0,
	SP_SAT_ERRORS = 1u << 1,
	SP_SAT_TIME = 1u << 2,
	SP_SAT_RUNS_SEEN = 1u << 3,
	SP_SAT_SITES_DROPPED = 1u << 4,
	SP_SAT_RUNS = 1u << 5,
	SP_SAT_PROCESSES = 1u << 6,
	SP_SAT_THREADS = 1u << 7,
	SP_SAT_DURATION = 1u << 8,
	SP_SAT_LOST = 1u << 9,
};

/* Where a recording made inside a container (`oci-hook`) came from.  The
 * strings come from the OCI state and the bundle's config.json; NULL when
 * the runtime did not give them. */
struct sp_container_meta {
	char *id;            /* the OCI container id */
	char *runtime;       /* the runtime that ran the hook: "crun", "runc" */
	char *bundle;        /* the bundle directory */
	char *rootfs;        /* the container's root file system */
	char *hostname;      /* process hostname in the container */
	char *observed_from; /* from which point on calls were seen */
};

/* io_uring (meta.io_uring): operations submitted through a ring are done
 * by the kernel without a system call per operation, so neither seccomp
 * nor the syscall table above sees them.  The tracer names the opcodes
 * pending in the submission queue at each io_uring_enter (tracer/uring.c). */
struct sp_recording_uring {
	bool used;          /* io_uring_setup, _enter or _register was called */
	bool sqpoll;        /* a ring was set up with IORING_SETUP_SQPOLL */
	bool ops_complete;  /* the opcodes of every submission were read */
	char **ops;         /* opcode names ("NOP", "MKDIRAT"), sorted, unique */
	size_t nops;
};

/* An executable whose setuid/setgid bits or file capabilities the kernel
 * did not apply because it ran under the recorder (meta.unfaithful_execs):
 * the run may differ from one without the recorder. */
struct sp_unfaithful_exec {
	char *path;
	char *reason;
};

struct sp_recording_meta {
	char *tool_version;
	char **command; /* NULL-terminated argv of the workload (launch mode) */
	pid_t *attached; /* attach mode: the PIDs given */
	size_t nattached;
	char **executables; /* sorted, unique */
	size_t nexecutables;
	char *kernel;  /* uname -r */
	char *machine; /* uname -m */
	char *libc;    /* "glibc 2.36" */
	char *start_time; /* RFC 3339 UTC */
	uint64_t duration_ns;
	int exit_status;  /* -1 when unknown / not applicable */
	int exit_signal;  /* 0 when none */
	uint64_t processes, threads;
	bool complete;
	char *incomplete_reason; /* NULL when complete */
	char *tracing;   /* "seccomp" (filter-assisted) or "ptrace" */
	char *tracing_note; /* why a fallback happened, or NULL */
	char *backend;   /* "ptrace" or "ebpf"; NULL in recordings older than the field */
	uint64_t lost_events; /* events the eBPF back-end could not store (0 = none) */
	char *baseline;  /* path of the --baseline profile, or NULL */
	uint32_t runs;   /* number of runs merged into this one (>= 1) */
	char **sources;  /* merge: the source files, NULL-terminated */
	char **escaped;  /* tasks that escaped tracing, human-readable */
	size_t nescaped;
	/* Recorded inside a container by `oci-hook`, or NULL.  The calls of
	 * the runtime it ran under after the hook (its late set-up) are in the
	 * recording; generate still adds the format's runtime list by default
	 * so that the profile also starts under the other runtimes. */
	struct sp_container_meta *container;
	struct sp_recording_uring io_uring;
	struct sp_unfaithful_exec *unfaithful; /* sorted by path, reason; unique */
	size_t nunfaithful;
	uint32_t saturated; /* SP_SAT_RUNS ... SP_SAT_LOST held at their maximum by a merge */
};

struct sp_recording {
	struct sp_recording_meta meta;
	size_t count;  /* distinct syscalls */
	size_t cap;    /* hash slots (power of two) */
	struct sp_sysc **slots;
};

struct sp_recording *sp_recording_new(void);
void sp_recording_free(struct sp_recording *rec);

/* The entry for (abi, nr); created (with calls = 0, runs_seen = 1 and the
 * libseccomp name) when create is true, else NULL if absent. */
struct sp_sysc *sp_recording_sysc(struct sp_recording *rec, enum sp_abi abi, int64_t nr, bool create);

/* Read-only lookup of (abi, nr), or NULL. */
const struct sp_sysc *sp_recording_find(const struct sp_recording *rec, enum sp_abi abi, int64_t nr);

/* Entries sorted by ABI order, then name (unknown names last), then nr.
 * The array is malloc'ed (free it); entries stay owned by rec. */
struct sp_sysc **sp_recording_sorted(const struct sp_recording *rec, size_t *n);

/* Bit mask (sp_abi_bit) of the ABIs with at least one entry. */
uint32_t sp_recording_abis(const struct sp_recording *rec);

/* Per-entry accounting.  Adds count to the errno's count and to errors,
 * each at most SP_COUNT_MAX; returns false when either sum passed it. */
bool sp_sysc_add_error(struct sp_sysc *s, int err, uint64_t count);
/* Adds v to the argument set; returns true if it was new. */
bool sp_argset_add(struct sp_argset *set, uint64_t v);
/* Adds a call site (takes ownership of site's strings and frames) unless
 * an identical one is present; returns true if it was kept. */
bool sp_sysc_add_site(struct sp_sysc *s, struct sp_callsite *site);
void sp_callsite_release(struct sp_callsite *site);
bool sp_callsite_equal(const struct sp_callsite *a, const struct sp_callsite *b);

/* Adds path to meta.executables (kept sorted, unique). */
void sp_recording_add_exe(struct sp_recording *rec, const char *path);
/* Adds s (copied) to the sorted, unique string array *v of *n elements;
 * returns true if it was new. */
bool sp_strset_add(char ***v, size_t *n, const char *s);
/* Adds (path, reason) to meta.unfaithful_execs unless present; returns
 * true if it was new. */
bool sp_recording_add_unfaithful(struct sp_recording *rec, const char *path, const char *reason);
/* Adds meta.io_uring of src to dst's: opcodes unioned, sqpoll or-ed,
 * ops_complete and-ed over the runs that used io_uring. */
void sp_recording_uring_merge(struct sp_recording_uring *dst, const struct sp_recording_uring *src);

/* Merges src into dst: sums counts, unions errors, sites and argument sets,
 * adds runs_seen and meta.runs, unions executables.  dst's other metadata
 * is kept.  Sums never wrap: a count or time that would pass SP_COUNT_MAX
 * (runs, runs_seen, sites_dropped: UINT32_MAX) stays at it, and fn (may
 * be NULL) is called once per field that did, the first time: with the
 * entry and "calls", "errors", "time_ns", "runs_seen", "sites_dropped" or
 * "errnos.EAGAIN", or with s NULL and "meta.runs", "meta.duration_ns", ... */
typedef void (*sp_saturated_fn)(void *ctx, const struct sp_sysc *s, const char *field, uint64_t max);
void sp_recording_merge(struct sp_recording *dst, const struct sp_recording *src, sp_saturated_fn fn, void *ctx);

/* Display name: the libseccomp name, or "syscall_<nr>" for unknown numbers
 * (written into buf). */
const char *sp_sysc_display_name(const struct sp_sysc *s, char *buf, size_t len);

/* Copies / frees container metadata (NULL-safe). */
struct sp_container_meta *sp_container_meta_dup(const struct sp_container_meta *c);
void sp_container_meta_free(struct sp_container_meta *c);

/* NULL-terminated string vector helpers used by the metadata. */
char **sp_strv_dup(char *const *v);
void sp_strv_free(char **v);
size_t sp_strv_len(char *const *v);

#endif
