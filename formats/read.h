/* SPDX-License-Identifier: MIT */
/*
 * formats/read.h: the policy readers (rows of formats/registry.c).
 *
 *     docker  Docker/moby profile JSON: archMap, name/names, includes/excludes
 *             (arches, minKernel, caps) evaluated against struct sp_read_opts
 *     oci     runtime-spec linux.seccomp object, bare or inside a config.json
 *     k8s     Security Profiles Operator SeccompProfile (YAML or JSON), its spec
 *     yaml    elastic/go-seccomp-bpf policy, its Filter, or a Beats `seccomp:`
 *             section (libyaml)
 *
 * Each reader is strict: unknown keys, actions, architectures and syscall
 * names, out-of-range numbers, duplicate and conflicting rules are errors
 * naming the file, the JSON path (and line:column for YAML) and the
 * problem.  Each detect function looks at content only, never at the file
 * name, and the detectors of different formats never both say yes.
 */
#ifndef SP_FORMATS_READ_H
#define SP_FORMATS_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "formats/format.h"

int sp_fmt_docker_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		       struct sp_policy **out, struct sp_err *err);
bool sp_fmt_docker_detect(const char *data, size_t len);
int sp_fmt_oci_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		    struct sp_policy **out, struct sp_err *err);
bool sp_fmt_oci_detect(const char *data, size_t len);
int sp_fmt_k8s_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		    struct sp_policy **out, struct sp_err *err);
bool sp_fmt_k8s_detect(const char *data, size_t len);
int sp_fmt_yaml_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		     struct sp_policy **out, struct sp_err *err);
bool sp_fmt_yaml_detect(const char *data, size_t len);

/* true for a Linux capability name as Docker spells it ("CAP_SYS_ADMIN"). */
bool sp_fmt_cap_known(const char *name);

#endif
