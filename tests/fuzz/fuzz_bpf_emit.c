/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: our own BPF code generator (formats/bpf_emit.c, used by the
 * `c` and `bpf` writers) against libseccomp (generator/compile.c), as a
 * differential test.  A policy decoded from the input (fuzz_policy.h) is
 * turned into a program both ways; when both accept it, both programs run
 * in the BPF interpreter (generator/bpf_sim.c) on every ABI's arch value
 * plus an unknown one, for the numbers of every rule, the socketcall/ipc
 * multiplexers with every sub-call number the rules use, -1, x32 numbers
 * and numbers above the tables, with argument vectors on both sides of
 * every condition's boundary.
 *
 * Where the policy's meaning is modelled (sp_fuzz_expected(): an ABI of
 * the policy, not a multiplexer), our verdict must be the policy's.
 * Elsewhere ours and libseccomp's must be the same, except where they may
 * legitimately differ (a multiplexer that rules with different actions
 * reach, sp_verify_mux_ambiguous()) and where libseccomp's program is
 * wrong and run/check would refuse it (sp_verify_filters() finds a
 * difference, or an ABI block never loads the syscall number; see
 * tests/fuzz/libseccomp-hang.txt).  The test in tests/unit/test_bpf_emit.c
 * does the comparison exhaustively for a few fixed policies; this one
 * varies the policy.
 */
#include <errno.h>

#include "formats/bpf_emit.h"
#include "generator/bpf_sim.h"
#include "generator/verify.h"
#include "tests/fuzz/fuzz_policy.h"

/* The libseccomp bug above: the block that the arch check jumps to for
 * arch does not start by loading seccomp_data.nr (nor returns at once). */
static bool lib_block_broken(const struct sock_fprog *lib, uint32_t arch)
{
	for (size_t i = 0; i < lib->len; i++) {
		const struct sock_filter *f = &lib->filter[i];
		if (f->code != (BPF_JMP | BPF_JEQ | BPF_K) || f->k != arch)
			continue;
		size_t t = i + 1 + f->jt;
		if (t >= lib->len)
			return false;
		const struct sock_filter *g = &lib->filter[t];
		return !(g->code == (BPF_LD | BPF_W | BPF_ABS) && g->k == 0) && BPF_CLASS(g->code) != BPF_RET;
	}
	return false;
}

/* Whether sp_fuzz_expected() knows what the policy says for (arch, nr):
 * an ABI of the policy, not one of its multiplexers. */
static bool modelled(const struct sp_policy *p, uint32_t arch, int64_t nr)
{
	enum sp_abi abi = sp_abi_classify(arch, (int)nr);
	if (abi == SP_ABI_UNKNOWN || !(p->abis & sp_abi_bit(abi)) || nr < 0)
		return false;
	/* numbers with high bits are refused as a bad arch, not looked up */
	if ((uint64_t)nr >= (abi == SP_ABI_X32 ? 0x80000000u : SP_X32_SYSCALL_BIT))
		return false;
	return nr != sp_abi_syscall_nr(abi, "socketcall") && nr != sp_abi_syscall_nr(abi, "ipc");
}

static void add_value(uint64_t *v, size_t *n, size_t cap, uint64_t x)
{
	if (*n < cap)
		v[(*n)++] = x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct sp_compile_opts o = {0};
	struct sp_policy *p = decode(&in, &o);
	if (o.override_default)
		p->def = o.def;
	p->abis |= o.extra_abis;
	if (!p->abis)
		p->abis = sp_abi_bit(sp_abi_native());

	struct sp_err err = {0};
	struct sock_fprog lib = {0};
	struct sp_bpf_prog ours = {0};
	int rl = sp_fuzz_compile_bpf(p, NULL, &lib, &err);
	int ro = sp_bpf_emit(p, 0, &ours, &err);
	if (ro == 0)
		SP_FUZZ_CHECK(ours.len > 0 && ours.len <= 4096, "our program has %zu instructions", ours.len);
	if (rl < 0 || ro < 0)
		goto out;

	/* run and check refuse a program libseccomp got wrong (their probes,
	 * generator/verify.h, find a difference from ours): then only our
	 * program is checked, against the policy's meaning. */
	struct sp_err verr = {0};
	bool refused = sp_verify_filters(p, p->abis, &lib, ours.insns, ours.len, &verr) < 0;

	/* Argument values: from the input, and both sides of every bound. */
	uint64_t vals[64];
	size_t nv = 0;
	for (int i = 0; i < 4; i++)
		add_value(vals, &nv, SP_ARRAY_SIZE(vals), u64(&in));
	for (size_t i = 0; i < p->nrules; i++)
		for (unsigned c = 0; c < p->rules[i].ncond; c++) {
			const struct sp_cond *k = &p->rules[i].cond[c];
			add_value(vals, &nv, SP_ARRAY_SIZE(vals), k->value);
			add_value(vals, &nv, SP_ARRAY_SIZE(vals), k->value + 1);
			add_value(vals, &nv, SP_ARRAY_SIZE(vals), k->value - 1);
			add_value(vals, &nv, SP_ARRAY_SIZE(vals), k->value2);
		}

	uint32_t arches[SP_ABI_COUNT + 1];
	size_t na = 0;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (a != SP_ABI_X32) /* shares x86_64's arch value */
			arches[na++] = sp_abi_get((enum sp_abi)a)->audit_arch;
	arches[na++] = 0x12345678u;

	for (size_t a = 0; a < na; a++) {
		bool narrow = (arches[a] & 0x80000000u) == 0; /* __AUDIT_ARCH_64BIT */
		enum sp_abi abi = sp_abi_classify(arches[a], 0);
		bool broken = lib_block_broken(&lib, arches[a]);
		int64_t nrs[64];
		size_t nn = 0;
		if (abi != SP_ABI_UNKNOWN) {
			for (size_t i = 0; i < p->nrules && nn < 40; i++) {
				nrs[nn++] = sp_abi_syscall_nr(abi, p->rules[i].name);
				if (abi == SP_ABI_X86_64) /* and the x32 number of the same name */
					nrs[nn++] = sp_abi_syscall_nr(SP_ABI_X32, p->rules[i].name);
			}
			nrs[nn++] = sp_abi_syscall_nr(abi, "socketcall");
			nrs[nn++] = sp_abi_syscall_nr(abi, "ipc");
		}
		nrs[nn++] = -1;
		nrs[nn++] = 1100;
		nrs[nn++] = 0x3fffffff;
		nrs[nn++] = 0x40000000 | 0x3ff;
		nrs[nn++] = (int64_t)0x80000000u;
		nrs[nn++] = u8(&in) | u8(&in) << 8;
		for (size_t k = 0; k < nn; k++) {
			if (nrs[k] < -1)
				continue;
			/* one vector per value in every argument slot, plus the
			 * multiplexer sub-calls 0..20 in arg 0 */
			for (size_t v = 0; v < nv + 21; v++) {
				uint64_t args[6];
				for (int i = 0; i < 6; i++)
					args[i] = v < nv ? vals[(v + (size_t)i) % nv] : (nv ? vals[i % nv] : 0);
				if (v >= nv)
					args[0] = v - nv;
				if (narrow)
					for (int i = 0; i < 6; i++) /* 32-bit ABIs: zero-extended */
						args[i] &= 0xffffffffu;
				uint32_t want = sp_bpf_eval(lib.filter, lib.len, arches[a], (int)nrs[k], args);
				uint32_t got = sp_bpf_eval(ours.insns, ours.len, arches[a], (int)nrs[k], args);
				SP_FUZZ_CHECK(want != SP_BPF_INVALID, "libseccomp's program did not run");
				SP_FUZZ_CHECK(got != SP_BPF_INVALID, "our program did not run (arch %#x nr %lld)", arches[a],
					      (long long)nrs[k]);
				/* Where the policy's meaning is modelled, ours must
				 * give it; libseccomp may not (its miscompilations are
				 * caught when run and check verify its program against
				 * ours, generator/verify.h).  Elsewhere (multiplexers,
				 * other arches, 32-bit values) the two must agree. */
				uint32_t model;
				if (modelled(p, arches[a], nrs[k]) &&
				    sp_fuzz_expected(p, p->def, sp_abi_classify(arches[a], (int)nrs[k]), nrs[k], args,
						     &model)) {
					SP_FUZZ_CHECK(got == model,
						      "arch %#x nr %lld args %#llx %#llx %#llx %#llx: ours %#x, policy "
						      "says %#x",
						      arches[a], (long long)nrs[k], (unsigned long long)args[0],
						      (unsigned long long)args[1], (unsigned long long)args[2],
						      (unsigned long long)args[3], got, model);
					continue;
				}
				if (broken || refused ||
				    sp_verify_mux_ambiguous(p, sp_abi_classify(arches[a], (int)nrs[k]), nrs[k]))
					continue;
				SP_FUZZ_CHECK(got == want,
					      "arch %#x nr %lld args %#llx %#llx %#llx %#llx: ours %#x, libseccomp %#x",
					      arches[a], (long long)nrs[k], (unsigned long long)args[0],
					      (unsigned long long)args[1], (unsigned long long)args[2],
					      (unsigned long long)args[3], got, want);
			}
		}
	}
out:
	free(lib.filter);
	if (ro == 0)
		sp_bpf_prog_release(&ours);
	sp_policy_free(p);
	return 0;
}
