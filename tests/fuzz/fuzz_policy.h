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

#include <errno.h>

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

/* libseccomp 2.5.4 loops forever inside seccomp_rule_add_array() on some
 * sets of conditional rules for one syscall, added in some orders
 * (finding 1 of tests/fuzz/libseccomp-hang.txt); generator/compile.c adds
 * each syscall's rules in an order it handles.  Policies with two
 * conditional rules for one name, the only ones that could loop, compile
 * in a worker with a time limit (sp_compile_bpf_isolated(), as run and
 * check do), so that a loop the order does not prevent stops the search
 * with its input instead of hanging it; the others compile in-process,
 * which is faster.  The limit is far above what such a policy takes even
 * sanitized (milliseconds). */
static bool sp_fuzz_libseccomp_may_hang(const struct sp_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t j = i + 1; j < p->nrules; j++)
			if (p->rules[i].ncond && p->rules[j].ncond && !strcmp(p->rules[i].name, p->rules[j].name))
				return true;
	return false;
}

static inline int sp_fuzz_compile_bpf(const struct sp_policy *p, const struct sp_compile_opts *o,
				      struct sock_fprog *out, struct sp_err *err)
{
	if (!sp_fuzz_libseccomp_may_hang(p))
		return sp_compile_bpf(p, o, out, err);
	int r = sp_compile_bpf_isolated(p, o, 10000, out, err);
	SP_FUZZ_CHECK(r != -ETIMEDOUT, "libseccomp looped in spite of the rule order: %s", err->msg);
	return r;
}

/* The policy's own meaning, for checking programs against it. */
static inline bool cond_true(const struct sp_cond *c, uint64_t a)
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

/* The policy's own verdict; false when it is not modelled (invalid
 * conditions) or ambiguous (compilers refuse those, core/overlap.h). */
static inline bool sp_fuzz_expected(const struct sp_policy *p, struct sp_action def, enum sp_abi abi, int64_t nr,
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
			/* 32-bit ABIs (x32 too) compare the low words of the
			 * argument and of the values, as libseccomp does (and
			 * core/overlap.h, formats/bpf_emit.c) */
			struct sp_cond k = r->cond[c];
			uint64_t a = args[k.arg];
			if (narrow) {
				a = (uint32_t)a;
				k.value = (uint32_t)k.value;
				k.value2 = (uint32_t)k.value2;
			}
			match = match && cond_true(&k, a);
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

#endif
