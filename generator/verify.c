/* SPDX-License-Identifier: MIT */
#include "generator/verify.h"

#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/argspec.h"
#include "core/util.h"
#include "generator/bpf_sim.h"

#define VERIFY_MAX_NR 1100

struct probe_set {
	uint64_t *v;
	size_t n, cap;
};

static void add_value(struct probe_set *s, uint64_t x)
{
	xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void sort_unique(struct probe_set *s)
{
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!w || s->v[w - 1] != s->v[i])
			s->v[w++] = s->v[i];
	s->n = w;
}

/* Values around every condition's boundaries, and every high word of them
 * with every low word: a 64-bit comparison is two 32-bit ones, and
 * libseccomp has compared one word of an argument where it meant the
 * other after two rules' trees were merged (found by fuzz_compile:
 * personality with a0 < 0x4d4d4d4d4d4d4d4d or a0 < 0x4d4d944d4d4d4d4d gave
 * the default for a0 = 0x4d4d4d4d64740229). */
static void probe_values(const struct sp_policy *p, struct probe_set *vals)
{
	struct probe_set base = {0};
	add_value(&base, 0);
	add_value(&base, UINT64_MAX);
	for (size_t i = 0; i < p->nrules; i++)
		for (unsigned c = 0; c < p->rules[i].ncond && c < 6; c++) {
			const struct sp_cond *k = &p->rules[i].cond[c];
			add_value(&base, k->value);
			add_value(&base, k->value + 1);
			add_value(&base, k->value - 1);
			if (k->op == SP_CMP_MASKED_EQ) {
				add_value(&base, k->value2 & k->value);
				add_value(&base, (k->value2 & k->value) ^ 1);
			}
		}
	sort_unique(&base);
	struct probe_set hi = {0}, lo = {0};
	for (size_t i = 0; i < base.n; i++) {
		add_value(&hi, base.v[i] >> 32);
		add_value(&lo, (uint32_t)base.v[i]);
	}
	sort_unique(&hi);
	sort_unique(&lo);
	/* bounded: a profile with thousands of condition values still gets
	 * every boundary value, and a sample of the word mixes */
	size_t hstep = hi.n / 48 + 1, lstep = lo.n / 48 + 1;
	for (size_t i = 0; i < base.n; i++)
		add_value(vals, base.v[i]);
	for (size_t h = 0; h < hi.n; h += hstep)
		for (size_t l = 0; l < lo.n; l += lstep)
			add_value(vals, hi.v[h] << 32 | lo.v[l]);
	sort_unique(vals);
	free(base.v);
	free(hi.v);
	free(lo.v);
}

/* How the error shows a SECCOMP_RET_* value: as the action it is. */
static const char *ret_str(uint32_t ret, char *buf, size_t len)
{
	static const struct {
		uint32_t action;
		enum sp_act_kind kind;
	} map[] = {
		{0x80000000u, SP_ACT_KILL_PROCESS}, {0x00000000u, SP_ACT_KILL_THREAD}, {0x00030000u, SP_ACT_TRAP},
		{0x00050000u, SP_ACT_ERRNO},        {0x7fc00000u, SP_ACT_NOTIFY},      {0x7ff00000u, SP_ACT_TRACE},
		{0x7ffc0000u, SP_ACT_LOG},          {0x7fff0000u, SP_ACT_ALLOW},
	};
	for (size_t i = 0; i < SP_ARRAY_SIZE(map); i++)
		if ((ret & 0xffff0000u) == map[i].action)
			return sp_action_str((struct sp_action){map[i].kind, ret & 0xffffu}, buf, len);
	snprintf(buf, len, "%#x", ret);
	return buf;
}

/* Whether nr on abi is named by a rule with conditions (then the
 * argument vectors matter). */
static bool conditional_nr(const struct sp_policy *p, enum sp_abi abi, int64_t nr)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (r->ncond && (!r->abis || (r->abis & sp_abi_bit(abi))) && sp_abi_syscall_nr(abi, r->name) == nr)
			return true;
	}
	return false;
}

static int compare(const struct sp_policy *p, enum sp_abi abi, const struct sock_fprog *lib,
		   const struct sock_filter *ours, size_t ours_len, int nr, const struct probe_set *vals,
		   struct sp_err *err)
{
	const struct sp_abi_info *ai = sp_abi_get(abi);
	/* zeros and all ones always; when the number has conditional rules,
	 * the probe values rotated through the six slots, and each value in
	 * all six at once */
	size_t n = vals->n, nvec = 2 + (conditional_nr(p, abi, nr) ? 2 * n : 0);
	for (size_t k = 0; k < nvec; k++) {
		uint64_t args[6];
		for (int i = 0; i < 6; i++) {
			args[i] = k == 0       ? 0
				  : k == 1     ? UINT64_MAX
				  : k < 2 + n ? vals->v[(k - 2 + (size_t)i) % n]
					       : vals->v[k - 2 - n];
			if (ai->bits == 32)
				args[i] &= UINT32_MAX; /* zero-extended registers */
		}
		uint32_t a = sp_bpf_eval(lib->filter, lib->len, ai->audit_arch, nr, args);
		uint32_t b = sp_bpf_eval(ours, ours_len, ai->audit_arch, nr, args);
		if (a == b)
			continue;
		_cleanup_free_ char *name = sp_abi_syscall_name(abi, nr);
		const struct scmp_version *ver = seccomp_version();
		char sa[32], sb[32];
		return sp_err_set(err, -EPROTO,
				  "libseccomp compiled this profile wrongly: for %s nr %#x (%s) with arguments "
				  "0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
				  ", 0x%" PRIx64 " its filter returns %s where the profile says %s (a "
				  "libseccomp %u.%u.%u bug; runc and crun would load the same wrong filter)",
				  ai->name, nr, name ? name : "?", args[0], args[1],
				  args[2], args[3], args[4], args[5], ret_str(a, sa, sizeof(sa)),
				  ret_str(b, sb, sizeof(sb)), ver->major, ver->minor, ver->micro);
	}
	return 0;
}

/* ---- what the accumulator holds ----------------------------------------
 *
 * A second, structural check of libseccomp's program: every instruction
 * that reads the accumulator must see the same value source on every path
 * that reaches it (the same seccomp_data word, maybe masked).  libseccomp
 * builds one tree per syscall from the rules' conditions; when it merges
 * two rules' trees it has jumped into a comparison of one argument word
 * from a path that had loaded another (the personality and ipc cases of
 * tests/fuzz/libseccomp-hang.txt).  Classic BPF only jumps forward, so one
 * pass in instruction order sees every path. */

#define A_MAX 4 /* distinct contents kept per instruction; more is a fault */

struct a_set {
	uint64_t v[A_MAX];
	uint8_t n;
	bool reached, many;
};

static uint64_t a_mix(uint64_t t, uint64_t op, uint64_t k)
{
	uint64_t x = t * 0x9e3779b97f4a7c15ull ^ (op << 40) ^ k;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ (x >> 29);
}

static void a_add(struct a_set *s, uint64_t v)
{
	s->reached = true;
	for (uint8_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->n == A_MAX)
		s->many = true;
	else
		s->v[s->n++] = v;
}

static void a_merge(struct a_set *dst, const struct a_set *src)
{
	for (uint8_t i = 0; i < src->n; i++)
		a_add(dst, src->v[i]);
	dst->many = dst->many || src->many;
	dst->reached = dst->reached || src->reached;
}

static bool reads_a(const struct sock_filter *f)
{
	switch (BPF_CLASS(f->code)) {
	case BPF_JMP:
		/* jumps whose outcome no value of A changes (libseccomp emits
		 * "jge 0" for an "arg < 0" that can never hold) */
		if (BPF_SRC(f->code) == BPF_K &&
		    ((BPF_OP(f->code) == BPF_JGE && f->k == 0) || (BPF_OP(f->code) == BPF_JGT && f->k == UINT32_MAX) ||
		     (BPF_OP(f->code) == BPF_JSET && f->k == 0)))
			return false;
		return BPF_OP(f->code) != BPF_JA;
	case BPF_ALU:
	case BPF_ST: return true;
	case BPF_RET: return BPF_RVAL(f->code) == BPF_A;
	case BPF_MISC: return BPF_MISCOP(f->code) == BPF_TAX;
	}
	return false;
}

int sp_verify_accumulator(const struct sock_fprog *prog, struct sp_err *err)
{
	size_t n = prog->len;
	struct a_set *in = xcalloc(n + 1, sizeof(*in));
	a_add(&in[0], 0); /* undefined at entry */
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct sock_filter *f = &prog->filter[i];
		if (!in[i].reached)
			continue;
		if (reads_a(f) && (in[i].n > 1 || in[i].many)) {
			static const char *const jops[16] = {[BPF_JEQ >> 4] = "jeq", [BPF_JGT >> 4] = "jgt",
							     [BPF_JGE >> 4] = "jge", [BPF_JSET >> 4] = "jset"};
			const char *op = BPF_CLASS(f->code) == BPF_JMP && jops[BPF_OP(f->code) >> 4]
						 ? jops[BPF_OP(f->code) >> 4]
						 : "op";
			r = sp_err_set(err, -EPROTO,
				       "libseccomp compiled this profile wrongly: its instruction %zu (%s %#x) is "
				       "reached with different argument words loaded, so it compares one with a "
				       "value meant for another (a libseccomp bug; runc and crun would load the "
				       "same wrong filter)",
				       i, op, f->k);
			break;
		}
		struct a_set out = in[i];
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			out = (struct a_set){.reached = true};
			a_add(&out, BPF_MODE(f->code) == BPF_ABS ? 1 + (uint64_t)f->k
								 : a_mix(0x1d, f->code, f->k)); /* imm, mem, len */
			break;
		case BPF_ALU:
			out = (struct a_set){.reached = true, .many = in[i].many};
			for (uint8_t j = 0; j < in[i].n; j++)
				a_add(&out, a_mix(in[i].v[j], f->code, BPF_SRC(f->code) == BPF_K ? f->k : 0x100000000ull));
			break;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TXA) {
				out = (struct a_set){.reached = true};
				a_add(&out, a_mix(0x7a, 0, 0));
			}
			break;
		}
		size_t next[2];
		int nnext = 0;
		if (BPF_CLASS(f->code) == BPF_RET)
			nnext = 0;
		else if (BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) == BPF_JA)
			next[nnext++] = i + 1 + f->k;
		else if (BPF_CLASS(f->code) == BPF_JMP) {
			next[nnext++] = i + 1 + f->jt;
			next[nnext++] = i + 1 + f->jf;
		} else
			next[nnext++] = i + 1;
		for (int j = 0; j < nnext; j++)
			if (next[j] < n)
				a_merge(&in[next[j]], &out);
	}
	free(in);
	return r;
}

bool sp_verify_mux_ambiguous(const struct sp_policy *p, enum sp_abi abi, int64_t nr)
{
	if (nr < 0 || !sp_argspec_abi_multiplexes(abi))
		return false;
	const char *mux = nr == sp_abi_syscall_nr(abi, "socketcall") ? "socketcall"
			  : nr == sp_abi_syscall_nr(abi, "ipc")      ? "ipc"
								     : NULL;
	if (!mux)
		return false;
	bool have = false;
	struct sp_action seen = {0};
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if ((r->abis && !(r->abis & sp_abi_bit(abi))) || sp_action_equal(r->action, p->def))
			continue;
		const char *via = sp_abi_multiplexer(abi, r->name, NULL);
		bool reaches = !strcmp(r->name, mux) || (via && !strcmp(via, mux));
		if (!reaches)
			continue;
		if (have && !sp_action_equal(seen, r->action))
			return true;
		have = true;
		seen = r->action;
	}
	return false;
}

int sp_verify_filters(const struct sp_policy *p, uint32_t abis, const struct sock_fprog *lib,
		      const struct sock_filter *ours, size_t ours_len, struct sp_err *err)
{
	struct probe_set vals = {0};
	probe_values(p, &vals);
	int r = 0;
	for (int a = 0; a < SP_ABI_COUNT && r == 0; a++) {
		enum sp_abi abi = (enum sp_abi)a;
		if (!(abis & sp_abi_bit(abi)))
			continue;
		int base = abi == SP_ABI_X32 ? (int)SP_X32_SYSCALL_BIT : 0;
		for (int nr = 0; nr <= VERIFY_MAX_NR && r == 0; nr++)
			if (!sp_verify_mux_ambiguous(p, abi, base + nr))
				r = compare(p, abi, lib, ours, ours_len, base + nr, &vals, err);
		/* -1 (a tracer's "skip") and a number above every table; x32
		 * numbers on x86_64 without x32 are the bad-arch action, which
		 * check sets to TRACE (test_bypass.c covers those) */
		static const int extra[] = {-1, 0x3fffffff};
		for (size_t i = 0; i < SP_ARRAY_SIZE(extra) && r == 0; i++)
			r = compare(p, abi, lib, ours, ours_len, extra[i], &vals, err);
	}
	free(vals.v);
	/* the simulation names a call that goes wrong, so it goes first; the
	 * structural check catches what its probes miss */
	return r < 0 ? r : sp_verify_accumulator(lib, err);
}
