/* SPDX-License-Identifier: MIT */
/*
 * `oci`: the OCI runtime-spec `linux.seccomp` object, bare (not a whole
 * config.json): that is what Kubernetes Localhost profiles, containerd,
 * CRI-O, podman and docker read as a profile file, and it drops into a
 * config.json with `jq '.linux.seccomp = input' config.json FILE`.
 *
 * Only keys every OCI runtime understands: defaultAction, defaultErrnoRet
 * (for ERRNO), architectures (every ABI of the policy), syscalls (names,
 * action, errnoRet, args).  No flags: runc < 1.2 rejects any, and absent
 * flags already give SPEC_ALLOW on runc and crun.
 */
#include <stdio.h>

#include "core/abi.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

int sp_fmt_oci_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	(void)o;
	fputs("{\n", out);
	sp_out_json_default(out, p);
	const char *arches[SP_ABI_COUNT];
	size_t na = sp_out_arches(p, arches, SP_ABI_COUNT);
	fputs("  \"architectures\": [", out);
	for (size_t i = 0; i < na; i++)
		fprintf(out, "%s    \"%s\"", i ? ",\n" : "\n", arches[i]);
	fputs(na ? "\n  ],\n" : "],\n", out);
	return sp_out_json_syscalls_and_finish(out, p, "oci", false, err);
}
