/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_policy.h: decodes fuzz input bytes into a policy, for
 * the targets that test what is done with policies (fuzz_compile.c,
 * fuzz_bpf_emit.c).  The policy has a default action, an ABI mask, up to
 * 12 rules drawn from a table of interesting syscall names (multiplexed
 * socket/IPC calls, names missing on some ABIs, one unknown name) with
 * actions, per-rule ABI masks and up to three argument conditions (some
 * invalid on purpose).  Values are mostly boundary values.
 *
 *     struct input in = {data, size};
 *     struct sp_compile_opts o = {0};
 *     struct sp_policy *p = decode(&in, &o);
 *     uint64_t v = u64(&in);   // more values from what is left
 */
#ifndef SP_TESTS_FUZZ_POLICY_H
#define SP_TESTS_FUZZ_POLICY_H

#include "core/abi.h"
#include "core/policy.h"
#include "generator/compile.h"
#include "tests/fuzz/fuzz.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t u64(struct input *in)
{
	uint64_t v = 0;
	uint8_t shape = u8(in);
	/* Mostly small or boundary values: they are what rules compare. */
	switch (shape % 8) {
	case 0: return shape >> 3;
	case 1: return UINT64_MAX - (shape >> 3);
	case 2: return 0xffffffffull - (shape >> 3);
	case 3: return 0x100000000ull + (shape >> 3);
	case 4: return (uint64_t)1 << (u8(in) % 64);
	}
	for (int i = 0; i < 8; i++)
		v = v << 8 | u8(in);
	return v;
}

static const char *const names[] = {
	"read", "write", "openat", "close", "mmap", "mmap2", "clone", "clone3", "socket", "connect",
	"socketcall", "ipc", "shmget", "semop", "arch_prctl", "fadvise64_64", "exit_group", "rt_sigreturn",
	"restart_syscall", "ioctl", "prctl", "personality", "kill", "getpid", "uname", "futex",
	"no_such_syscall", "",
};

static struct sp_action action(struct input *in)
{
	struct sp_action a = {(enum sp_act_kind)(u8(in) % 8), 0};
	if (a.kind == SP_ACT_ERRNO)
		a.data = (uint32_t)(u8(in) | (u8(in) & 0x0f) << 8); /* 0..4095 as readers allow */
	else if (a.kind == SP_ACT_TRACE)
		a.data = (uint32_t)(u8(in) | u8(in) << 8);
	return a;
}

static struct sp_policy *decode(struct input *in, struct sp_compile_opts *o)
{
	struct sp_policy *p = sp_policy_new(action(in));
	p->abis = (uint32_t)(u8(in) | (u8(in) & 0x07) << 8) & ((1u << SP_ABI_COUNT) - 1);
	uint8_t flags = u8(in);
	if (flags & 1) {
		o->override_default = true;
		o->def = action(in);
	}
	if (flags & 2)
		o->extra_abis = sp_abi_bit((enum sp_abi)(u8(in) % SP_ABI_COUNT));
	size_t nrules = u8(in) % 13;
	for (size_t i = 0; i < nrules && in->n; i++) {
		const char *name = names[u8(in) % SP_ARRAY_SIZE(names)];
		struct sp_rule *r = sp_policy_add_rule(p, name, action(in));
		uint8_t b = u8(in);
		if (b & 0x80)
			r->abis = sp_abi_bit((enum sp_abi)(b % SP_ABI_COUNT));
		r->ncond = (uint8_t)(u8(in) % 4);
		for (unsigned c = 0; c < r->ncond; c++) {
			uint8_t x = u8(in);
			r->cond[c].arg = (uint8_t)(x % 7);             /* 6 is invalid */
			r->cond[c].op = (enum sp_cmp_op)(1 + (x >> 3) % 8); /* 8 is invalid */
			r->cond[c].value = u64(in);
			r->cond[c].value2 = u64(in);
		}
	}
	if (flags & 4)
		sp_policy_sort(p);
	return p;
}

/* Known libseccomp 2.5.4 hang (found by fuzz_compile): adding a second
 * conditional rule for a syscall that already has one, on a 64-bit ABI
 * that is not the library's native one (aarch64, mipsel64, riscv64), can
 * loop forever inside seccomp_rule_add_array() (e.g. two KILL_THREAD rules
 * on fadvise64_64 with conditions arg0 != 0xffffffff, arg4 < 2^61 and
 * < 2^61 - x).  The targets skip such policies so that the search goes on;
 * the reproducer is tests/fuzz/libseccomp-hang.txt. */
static bool sp_fuzz_libseccomp_may_hang(const struct sp_policy *p, uint32_t abis)
{
	bool foreign64 = false;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if ((abis & sp_abi_bit((enum sp_abi)a)) && sp_abi_get((enum sp_abi)a)->bits == 64 &&
		    (enum sp_abi)a != sp_abi_native())
			foreign64 = true;
	if (!foreign64)
		return false;
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t j = i + 1; j < p->nrules; j++)
			if (p->rules[i].ncond && p->rules[j].ncond && !strcmp(p->rules[i].name, p->rules[j].name))
				return true;
	return false;
}

/* Where libseccomp 2.5.4 and the policy's plain meaning part, found by
 * fuzz_compile/fuzz_bpf_emit and not compared (see the report of issue 9):
 *  - MASKED_EQ with bits of the expected value outside the mask:
 *    libseccomp masks the expected value too (so it can match), our
 *    emitter does not (never matches);
 *  - x86_64 and x32 in one filter: libseccomp compares x86_64 arguments
 *    as 32-bit values (only the low half), our emitter as 64-bit. */
static bool sp_fuzz_semantics_differ(const struct sp_policy *p, uint32_t abis)
{
	bool both = (abis & sp_abi_bit(SP_ABI_X86_64)) && (abis & sp_abi_bit(SP_ABI_X32));
	for (size_t i = 0; i < p->nrules; i++)
		for (unsigned c = 0; c < p->rules[i].ncond && c < 6; c++) {
			const struct sp_cond *k = &p->rules[i].cond[c];
			if (k->op == SP_CMP_MASKED_EQ && (k->value2 & ~k->value))
				return true;
			if (both && (k->value >> 32 || k->value2 >> 32))
				return true;
		}
	return false;
}

#endif
