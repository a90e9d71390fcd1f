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
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return;
	xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = x;
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
	/* zeros and all ones always; every condition value rotated through
	 * the six slots when the number has conditional rules */
	size_t nvec = 2 + (conditional_nr(p, abi, nr) ? vals->n : 0);
	for (size_t k = 0; k < nvec; k++) {
		uint64_t args[6];
		for (int i = 0; i < 6; i++) {
			args[i] = k == 0 ? 0 : k == 1 ? UINT64_MAX : vals->v[(k - 2 + (size_t)i) % vals->n];
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
		/* libseccomp's pseudo numbers: -101..-120 socketcall calls,
		 * -201..-224 ipc calls */
		int pnr = seccomp_syscall_resolve_name_arch(sp_abi_get(abi)->scmp_token, r->name);
		bool reaches = !strcmp(r->name, mux) ||
			       (mux[0] == 's' ? pnr <= -101 && pnr >= -120 : pnr <= -201 && pnr >= -224);
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
	for (size_t i = 0; i < p->nrules; i++)
		for (unsigned c = 0; c < p->rules[i].ncond; c++) {
			const struct sp_cond *k = &p->rules[i].cond[c];
			add_value(&vals, k->value);
			add_value(&vals, k->value + 1);
			add_value(&vals, k->value - 1);
			if (k->op == SP_CMP_MASKED_EQ) {
				add_value(&vals, k->value2 & k->value);
				add_value(&vals, (k->value2 & k->value) ^ 1);
			}
		}
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
	return r;
}
