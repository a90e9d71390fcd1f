/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: policy compilation (sp_compile_ctx / sp_compile_bpf).
 *
 * The input bytes are decoded into a policy (tests/fuzz/fuzz_policy.h),
 * then compiled.  Compilation may refuse the
 * policy, but only with a message; when it succeeds, the exported program
 * is run in our BPF interpreter (tests/unit/bpf_sim.c) on probes built
 * from the same input, and checked against what the policy says:
 *   - the program is one the kernel would accept and always returns;
 *   - an arch not in the policy, and on x86_64 an x32 number when x32 is
 *     not in the policy, gets KILL_PROCESS (never the thread kill);
 *   - SECCOMP_RET_KILL_THREAD appears only if the policy asked for it;
 *   - for (ABI, nr) outside the multiplexers (socketcall, ipc) the verdict
 *     is the action of the rules that match, OR-ed, else the default; when
 *     matching rules disagree the policy is ambiguous and not checked.
 * On 32-bit ABIs arguments are 32-bit: probes and condition values there
 * are checked only when they fit.
 */
#include <errno.h>
#include <linux/seccomp.h>

#include "tests/fuzz/fuzz_policy.h"
#include "tests/unit/bpf_sim.h"

static bool cond_true(const struct sp_cond *c, uint64_t a)
{
	switch (c->op) {
	case SP_CMP_NE: return a != c->value;
	case SP_CMP_LT: return a < c->value;
	case SP_CMP_LE: return a <= c->value;
	case SP_CMP_EQ: return a == c->value;
	case SP_CMP_GE: return a >= c->value;
	case SP_CMP_GT: return a > c->value;
	/* libseccomp compares with the expected value masked too, so bits
	 * of value2 outside the mask are ignored (not "never equal"). */
	case SP_CMP_MASKED_EQ: return (a & c->value) == (c->value2 & c->value);
	}
	return false;
}

/* The policy's own verdict; false when it is ambiguous or not modelled. */
static bool expected(const struct sp_policy *p, struct sp_action def, enum sp_abi abi, int64_t nr,
		     const uint64_t *args, uint32_t *want)
{
	bool have = false;
	struct sp_action got = def;
	bool narrow = sp_abi_get(abi)->bits == 32;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (r->abis && !(r->abis & sp_abi_bit(abi)))
			continue;
		int64_t rn = sp_abi_syscall_nr(abi, r->name);
		if (rn < 0 || rn != nr) /* -1: no such call on abi (i386 semop), not nr -1 */
			continue;
		bool match = true;
		for (unsigned c = 0; c < r->ncond; c++) {
			/* an invalid condition compiles only in a rule that is
			 * dropped (its action is the default's): not modelled */
			if (r->cond[c].arg > 5 || r->cond[c].op > SP_CMP_MASKED_EQ)
				return false;
			/* 32-bit ABIs compare 32-bit values: not modelled */
			if (narrow && (r->cond[c].value >> 32 || r->cond[c].value2 >> 32))
				return false;
			match = match && cond_true(&r->cond[c], args[r->cond[c].arg]);
		}
		if (!match)
			continue;
		if (have && !sp_action_equal(got, r->action))
			return false;
		have = true;
		got = r->action;
	}
	*want = sp_action_seccomp_ret(got);
	return true;
}

static bool policy_uses(const struct sp_policy *p, struct sp_action def, enum sp_act_kind k)
{
	if (def.kind == k)
		return true;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action.kind == k)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct sp_compile_opts o = {0};
	struct sp_policy *p = decode(&in, &o);
	struct sp_err err = {0};
	struct sock_fprog prog = {0};
	if (sp_fuzz_libseccomp_may_hang(p, p->abis | o.extra_abis) ||
	    sp_fuzz_semantics_differ(p, p->abis | o.extra_abis)) {
		sp_policy_free(p);
		return 0;
	}
	if (sp_compile_bpf(p, &o, &prog, &err) < 0) {
		SP_FUZZ_CHECK(err.code < 0 && !strncmp(err.msg, "compile: ", 9), "bad error %d '%s'", err.code,
			      err.msg);
		sp_policy_free(p);
		return 0;
	}
	SP_FUZZ_CHECK(prog.len > 0 && prog.len <= 4096, "program length %u", prog.len);

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
			if (expected(p, def, abi, nr, pa, &want))
				SP_FUZZ_CHECK(got == want, "%s nr %d args %#llx,%#llx,%#llx: got %#x, policy says %#x",
					      ai->name, nr, (unsigned long long)pa[0], (unsigned long long)pa[1],
					      (unsigned long long)pa[2], got, want);
		}
	}
	free(prog.filter);
	sp_policy_free(p);
	return 0;
}
