/* SPDX-License-Identifier: MIT */
/*
 * `bpf`: the raw classic-BPF program, an array of struct sock_filter in
 * host byte order with no header, as `bwrap --seccomp FD`, minijail
 * --seccomp-bpf-binary and crun's run.oci.seccomp_bpf_data (base64) take
 * it.  One program covers every ABI of the policy (formats/bpf_emit.c: arch
 * check first, other ABIs kill the process).  Not readable as text.
 */
#include "formats/bpf_emit.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

int sp_fmt_bpf_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	(void)o;
	struct sp_bpf_prog prog;
	int r = sp_bpf_emit(p, 0, &prog, err);
	if (r < 0)
		return sp_err_prefix(err, "bpf");
	fwrite(prog.insns, sizeof(prog.insns[0]), prog.len, out);
	sp_bpf_prog_release(&prog);
	return sp_out_finish(out, "bpf", err);
}
