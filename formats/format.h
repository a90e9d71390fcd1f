/* SPDX-License-Identifier: MIT */
/*
 * formats/format.h: the registry of file formats, and our native recording.
 *
 * Each policy format lives in its own file under formats/ and is one row of
 * the table in formats/registry.c: a name, a file extension, a one-line
 * summary, and a writer and/or a reader between files and core/ models.
 * Adding a format is one row plus one file.
 *
 *     const struct sp_format *f = sp_format_find("docker");
 *     if (f && f->write_policy)
 *             r = f->write_policy(out, policy, &opts, &err);
 *
 * The native recording format (JSON, versioned) has its own two verbs,
 * sp_recording_read() and sp_recording_write(), because a recording is not
 * a policy.  formats/ knows nothing of ptrace or libseccomp filters.
 */
#ifndef SP_FORMATS_FORMAT_H
#define SP_FORMATS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "core/policy.h"
#include "core/recording.h"

/* Inputs larger than this are refused before parsing. */
#define SP_MAX_INPUT_BYTES (64u << 20)
/* JSON and YAML nested deeper than this, or holding more values (scalars,
 * keys and collections), are refused before parsing (formats/prescan.h).
 * Real inputs stay far below: a Docker profile nests 6 levels and holds a
 * few thousand values; a recording with full call sites about 3,000 per
 * syscall. */
#define SP_MAX_DEPTH 64
#define SP_MAX_NODES 1000000u
/* Longer strings (and other scalars) are refused the same way: the longest
 * legitimate one is a recorded command-line argument, which the kernel
 * limits to 128 KiB (MAX_ARG_STRLEN), 768 KiB once JSON-escaped. */
#define SP_MAX_SCALAR_BYTES (1u << 20)

struct sp_write_opts {
	bool explain;   /* provenance comments where the format allows them */
	const struct sp_recording *rec; /* source recording for provenance, or NULL */
};

/* What a reader needs to know about the system the policy will be enforced
 * on, to evaluate conditions written into the file (Docker's archMap and
 * includes/excludes).  Every field may be NULL. */
struct sp_read_opts {
	const char *const *caps; /* NULL-terminated "CAP_*" names the workload holds (none if NULL) */
	const char *kernel;      /* release "MAJOR.MINOR[...]"; NULL = this host's uname -r */
	const char *arch;        /* native ABI name ("x86_64", "aarch64"); NULL = this build's */
	/* Skip (with a warning) syscall names this libseccomp does not know,
	 * as runc and crun do, instead of refusing the file: profiles written
	 * for newer kernels (Docker's default) name calls older libseccomp
	 * releases lack. */
	bool skip_unknown;
};

struct sp_format {
	const char *name;
	const char *ext;     /* without the dot */
	const char *summary; /* one line for `seccomp-profile formats` */
	int (*write_policy)(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o,
			    struct sp_err *err);
	/* Parses data (len bytes, NUL-terminated) read from path; o may be
	 * NULL (see struct sp_read_opts).  Errors name path and the JSON path
	 * or line:column of the problem. */
	int (*read_policy)(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
			   struct sp_policy **out, struct sp_err *err);
	/* true when data looks like this format (for reading any input). */
	bool (*detect)(const char *data, size_t len);
};

/* The table, in display order; *n receives its length. */
const struct sp_format *sp_formats(size_t *n);
const struct sp_format *sp_format_find(const char *name);

/* Native recording. sp_recording_read() checks schema and version, types,
 * ranges and unknown keys, and names the JSON path of any problem. */
int sp_recording_write(FILE *out, const struct sp_recording *rec, struct sp_err *err);
int sp_recording_parse(const char *path, const char *data, size_t len, struct sp_recording **out,
		       struct sp_err *err);
int sp_recording_read(const char *path, struct sp_recording **out, struct sp_err *err);
bool sp_recording_detect(const char *data, size_t len);

#endif
