/* SPDX-License-Identifier: MIT */
/*
 * `docker`: the Docker/moby seccomp profile (docker run --security-opt
 * seccomp=FILE, podman run --security-opt seccomp=FILE).
 *
 * defaultAction + defaultErrnoRet (always written for ERRNO, so the errno
 * does not depend on the runtime's default), archMap (one entry per native
 * architecture family the policy covers; its compat ABIs of the policy as
 * subArchitectures: dockerd picks the entry of its own architecture), and
 * syscalls grouped by action with sorted names (formats/policy_out.h).
 * No flags (runc < 1.2 rejects any), no includes/excludes: what we observed
 * does not depend on capabilities or kernel versions.
 */
#include <stdio.h>

#include "core/abi.h"
#include "formats/writers.h"
#include "formats/policy_out.h"

int sp_fmt_docker_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	(void)o;
	fputs("{\n", out);
	sp_out_json_default(out, p);
	fputs("  \"archMap\": [", out);
	bool first = true;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
		if (ai->native != ai->abi)
			continue;
		uint32_t fam = sp_abi_family(ai->abi);
		if (!(p->abis & fam))
			continue;
		fprintf(out, "%s    {\n      \"architecture\": \"%s\",\n      \"subArchitectures\": [", first ? "\n" : ",\n",
			ai->docker);
		bool sfirst = true;
		for (int b = 0; b < SP_ABI_COUNT; b++) {
			if (b == a || !(fam & p->abis & sp_abi_bit((enum sp_abi)b)))
				continue;
			fprintf(out, "%s        \"%s\"", sfirst ? "\n" : ",\n", sp_abi_get((enum sp_abi)b)->docker);
			sfirst = false;
		}
		fputs(sfirst ? "]\n    }" : "\n      ]\n    }", out);
		first = false;
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
	return sp_out_json_syscalls_and_finish(out, p, "docker", true, err);
}
