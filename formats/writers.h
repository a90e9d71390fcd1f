/* SPDX-License-Identifier: MIT */
/*
 * formats/writers.h: the policy writers, one per file formats/<name>.c,
 * listed in the table of formats/registry.c.  Each writes p to out in its
 * format and returns 0 or a negative code with err set (a policy the format
 * cannot express, e.g. an errno other than EPERM for go-seccomp-bpf).
 * Output depends only on p and o: no time, host or version in it.
 */
#ifndef SP_FORMATS_WRITERS_H
#define SP_FORMATS_WRITERS_H

#include <stdio.h>

#include "formats/format.h"

#define SP_WRITER(name)                                                                             \
	int sp_fmt_##name##_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, \
				  struct sp_err *err)

SP_WRITER(docker);
SP_WRITER(oci);
SP_WRITER(yaml);
SP_WRITER(c);
SP_WRITER(bpf);
SP_WRITER(systemd);
SP_WRITER(k8s);

#endif
