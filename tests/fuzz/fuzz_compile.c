/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: policy compilation (sp_compile_ctx / sp_compile_bpf).
 *
 * The input bytes are decoded into a policy (tests/fuzz/fuzz_policy.h),
 * then compiled the way run and check do: libseccomp (in a worker with a
 * time limit when it could loop), then the cross-check against our own
 * emitter (generator/verify.h).  Compilation may refuse the policy, but
 * only with a message; when the program would be loaded, it is run in our
 * BPF interpreter (generator/bpf_sim.c) on probes built from the same
 * input, and checked against what the policy says:
 *   - the program is one the kernel would accept and always returns;
 *   - an arch not in the policy, and on x86_64 an x32 number when x32 is
 *     not in the policy, gets KILL_PROCESS (never the thread kill);
 *   - SECCOMP_RET_KILL_THREAD appears only if the policy asked for it;
 *   - for (ABI, nr) outside the multiplexers (socketcall, ipc) the verdict
 *     is the action of the rules that match, OR-ed, else the default
 *     (rules with different actions that can both match are refused
 *     before, core/overlap.h).
 * On 32-bit ABIs only the low words of arguments and values are compared,
 * as libseccomp does; so does the model.  So these probes also test that
 * the cross-check's own probes are enough to catch libseccomp's errors.
 */
#include <errno.h>
#include <linux/seccomp.h>

#include "formats/bpf_emit.h"
#include "generator/verify.h"
#include "tests/fuzz/fuzz_policy.h"
#include "generator/bpf_sim.h"

static bool policy_uses(const struct sp_policy *p, struct sp_action def, enum sp_act_kind k)
{
	if (def.kind == k)
		return true;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action.kind == k)
			return true;
	return false;
}

/* What sp_cli_compile() (cli/run_common.c) decides after libseccomp: the
 * cross-check, or only the structural one when our emitter cannot take
 * the policy. */
static bool refused_by_verify(const struct sp_policy *p, const struct sp_compile_opts *o, const struct sock_fprog *lib)
{
	struct sp_policy q = sp_compile_view(p, o);
	struct sp_bpf_prog ours = {0};
	struct sp_err err = {0};
	if (sp_bpf_emit(&q, 0, &ours, &err) < 0)
		return sp_verify_accumulator(lib, &err) < 0;
	bool refused = sp_verify_filters(&q, q.abis, lib, ours.insns, ours.len, &err) < 0;
	sp_bpf_prog_release(&ours);
	return refused;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct sp_compile_opts o = {0};
	struct sp_policy *p = decode(&in, &o);
	struct sp_err err = {0};
	struct sock_fprog prog = {0};
	if (sp_fuzz_compile_bpf(p, &o, &prog, &err) < 0) {
		SP_FUZZ_CHECK(err.code < 0 && !strncmp(err.msg, "compile: ", 9), "bad error %d '%s'", err.code,
			      err.msg);
		sp_policy_free(p);
		return 0;
	}
	SP_FUZZ_CHECK(prog.len > 0 && prog.len <= 4096, "program length %u", prog.len);
	/* run and check cross-check libseccomp's program against our emitter
	 * and refuse it when they differ (generator/verify.h): a policy
	 * libseccomp miscompiles never gets loaded, so it is not checked. */
	if (refused_by_verify(p, &o, &prog)) {
		free(prog.filter);
		sp_policy_free(p);
		return 0;
	}

	struct sp_action def = o.override_default ? o.def : p->def;
	uint32_t abis = p->abis | o.extra_abis;
	if (!abis)
		abis = sp_abi_bit(sp_abi_native());
	bool kill_thread_ok = policy_uses(p, def, SP_ACT_KILL_THREAD);

	/* Probe arguments: six values from the input, reused per probe. */
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = u64(&in);

	for (int a = 0; a < SP_ABI_COUNT; a++) {
		enum sp_abi abi = (enum sp_abi)a;
		const struct sp_abi_info *ai = sp_abi_get(abi);
		bool in_policy = abis & sp_abi_bit(abi);
		uint64_t pa[6];
		for (int i = 0; i < 6; i++)
			pa[i] = ai->bits == 32 ? (uint32_t)args[i] : args[i];
		uint32_t base = abi == SP_ABI_X32 ? SP_X32_SYSCALL_BIT : 0;
		int64_t mux1 = sp_abi_syscall_nr(abi, "socketcall"), mux2 = sp_abi_syscall_nr(abi, "ipc");

		/* probes: every rule's number, boundary numbers, one from the input */
		int64_t probes[SP_ARRAY_SIZE(names) + 8];
		size_t np = 0;
		for (size_t i = 0; i < p->nrules; i++)
			probes[np++] = sp_abi_syscall_nr(abi, p->rules[i].name);
		probes[np++] = -1;
		probes[np++] = base + 0;
		probes[np++] = base + 1023;
		probes[np++] = base + 4095;
		probes[np++] = (int64_t)(base + (uint32_t)(u8(&in) | u8(&in) << 8));
		for (size_t k = 0; k < np; k++) {
			if (probes[k] < -1 || (probes[k] == -1 && k < p->nrules))
				continue;
			int nr = (int)probes[k];
			struct seccomp_data d = {.nr = nr, .arch = ai->audit_arch};
			memcpy(d.args, pa, sizeof(d.args));
			uint32_t got;
			SP_FUZZ_CHECK(sp_bpf_run(prog.filter, prog.len, &d, &got), "%s nr %d: invalid program",
				      ai->name, nr);
			SP_FUZZ_CHECK(got != SECCOMP_RET_KILL_THREAD || kill_thread_ok,
				      "%s nr %d: KILL_THREAD nobody asked for", ai->name, nr);
			if (abi == SP_ABI_X32 && !in_policy && (abis & sp_abi_bit(SP_ABI_X86_64)) && nr != -1) {
				/* x32 shares x86_64's arch value: the x32 bit must be refused */
				SP_FUZZ_CHECK(got == SECCOMP_RET_KILL_PROCESS, "x32 nr %#x not refused: %#x", nr, got);
				continue;
			}
			if (!in_policy) {
				if (abi == SP_ABI_X32 || (abi == SP_ABI_X86_64 && (abis & sp_abi_bit(SP_ABI_X32))))
					continue; /* same arch value as an ABI in the policy */
				SP_FUZZ_CHECK(got == SECCOMP_RET_KILL_PROCESS, "%s not in the policy, nr %d: %#x",
					      ai->name, nr, got);
				continue;
			}
			if (nr == mux1 || nr == mux2)
				continue;
			uint32_t want;
			if (sp_fuzz_expected(p, def, abi, nr, pa, &want))
				SP_FUZZ_CHECK(got == want, "%s nr %d args %#llx,%#llx,%#llx: got %#x, policy says %#x",
					      ai->name, nr, (unsigned long long)pa[0], (unsigned long long)pa[1],
					      (unsigned long long)pa[2], got, want);
		}
	}
	free(prog.filter);
	sp_policy_free(p);
	return 0;
}
