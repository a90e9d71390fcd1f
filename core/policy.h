/* SPDX-License-Identifier: MIT */
/*
 * core/policy.h: what is allowed.
 *
 * A policy is a default action, the ABIs it covers, and rules: a syscall
 * name, an action, and up to six argument conditions that are AND-ed.
 * Several rules for one name are OR-ed (that is how every consumer reads
 * them).  Every output format is a rendering of one policy, and every policy
 * file we read becomes one policy again.
 *
 *     struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
 *     p->abis = sp_abi_bit(SP_ABI_X86_64);
 *     struct sp_rule *r = sp_policy_add_rule(p, "read", sp_action_allow());
 *     r->origin = SP_ORIGIN_OBSERVED;
 *     sp_policy_sort(p);          // canonical order, for byte-stable output
 *     sp_policy_free(p);
 *
 * Actions are parsed from and printed to the spellings users and formats
 * use: "kill", "errno:EPERM", "SCMP_ACT_ERRNO" (+errnoRet), "kill_process".
 */
#ifndef SP_CORE_POLICY_H
#define SP_CORE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum sp_act_kind {
	SP_ACT_KILL_PROCESS,
	SP_ACT_KILL_THREAD,
	SP_ACT_TRAP,
	SP_ACT_ERRNO,
	SP_ACT_TRACE,
	SP_ACT_LOG,
	SP_ACT_ALLOW,
	SP_ACT_NOTIFY,
};

struct sp_action {
	enum sp_act_kind kind;
	uint32_t data; /* errno for ERRNO, message for TRACE */
};

static inline struct sp_action sp_action_allow(void)
{
	return (struct sp_action){SP_ACT_ALLOW, 0};
}
static inline struct sp_action sp_action_errno(uint32_t e)
{
	return (struct sp_action){SP_ACT_ERRNO, e};
}
bool sp_action_equal(struct sp_action a, struct sp_action b);

/* Parses the command-line spelling: kill (= kill the process),
 * kill-process, kill-thread, trap, log, allow, errno (EPERM), errno:NAME,
 * errno:N, trace[:N].  Errors name the value. */
int sp_action_parse(const char *s, struct sp_action *out, struct sp_err *err);
/* "SCMP_ACT_ERRNO" etc.; from_scmp accepts SCMP_ACT_KILL as the thread kill
 * (as runc and crun do). */
const char *sp_action_scmp_name(struct sp_action a);
int sp_action_from_scmp(const char *name, struct sp_action *out, struct sp_err *err);
/* Human/CLI spelling, e.g. "errno:EPERM", "kill-process". buf >= 32. */
const char *sp_action_str(struct sp_action a, char *buf, size_t len);
/* The kernel SECCOMP_RET_* value. */
uint32_t sp_action_seccomp_ret(struct sp_action a);

enum sp_cmp_op {
	SP_CMP_NE = 1,
	SP_CMP_LT,
	SP_CMP_LE,
	SP_CMP_EQ,
	SP_CMP_GE,
	SP_CMP_GT,
	SP_CMP_MASKED_EQ,
};
const char *sp_cmp_scmp_name(enum sp_cmp_op op); /* "SCMP_CMP_EQ" */
int sp_cmp_from_scmp(const char *name, enum sp_cmp_op *out);

struct sp_cond {
	uint8_t arg;         /* 0..5 */
	enum sp_cmp_op op;
	uint64_t value;      /* MASKED_EQ: the mask */
	uint64_t value2;     /* MASKED_EQ: the expected value */
};

/* Why a rule is in the policy. */
enum {
	SP_ORIGIN_OBSERVED = 1u << 0,   /* seen in a recording */
	SP_ORIGIN_REQUIRED = 1u << 1,   /* needed on paths short runs miss */
	SP_ORIGIN_TRANSLATED = 1u << 2, /* --arch equivalent of an observed one */
	SP_ORIGIN_RUNTIME = 1u << 3,    /* the container runtime's own calls */
	SP_ORIGIN_INPUT = 1u << 4,      /* read from a policy file */
	SP_ORIGIN_ENOSYS = 1u << 5,     /* deliberate ENOSYS (clone3) */
	SP_ORIGIN_BASELINE = 1u << 6,   /* allowed by --baseline */
	SP_ORIGIN_ANALYSIS = 1u << 7,   /* reachable by static analysis, never observed */
};

struct sp_rule {
	char *name;
	struct sp_action action;
	uint8_t ncond;
	struct sp_cond cond[6];
	uint32_t abis;    /* ABI mask this rule applies to; 0 = all */
	uint32_t origin;  /* SP_ORIGIN_* */
	char *comment;    /* provenance note, or NULL */
};

/* The most rules a policy may hold.  Every consumer ends in the kernel,
 * which loads at most 4096 classic BPF instructions per filter
 * (BPF_MAXINSNS; runc, crun, Podman and systemd build one filter, and so
 * do our `c`, `bpf` and `run`), and every rule whose action differs from
 * the default costs at least one instruction (a comparison) on each ABI
 * that has its call: a policy with more cannot be loaded anywhere.  Readers
 * refuse more (formats/read_util.c); it also bounds the pairwise checks
 * among rules of one syscall (core/overlap.c). */
#define SP_MAX_RULES 4096

struct sp_policy {
	struct sp_action def;
	uint32_t abis;    /* sp_abi_bit() mask */
	size_t nrules, cap;
	struct sp_rule *rules;
	char *source;     /* file it was read from, or NULL */
};

struct sp_policy *sp_policy_new(struct sp_action def);
void sp_policy_free(struct sp_policy *p);
/* Appends a rule (name copied); the pointer is valid until the next add. */
struct sp_rule *sp_policy_add_rule(struct sp_policy *p, const char *name, struct sp_action action);
/* Canonical order: by name, then action, then conditions. */
void sp_policy_sort(struct sp_policy *p);
/* First rule for name (after sorting: the first of its group), or NULL. */
const struct sp_rule *sp_policy_find(const struct sp_policy *p, const char *name);
/* "errno:EPERM if arg0 == 0x1 && arg1 & 0xff == 0x2 [x86_64, i386]"
 * (malloc'ed): how diff and error messages show a rule. */
char *sp_rule_str(const struct sp_rule *r);
/* The action an unconditional rule gives name, if there is one. */
bool sp_policy_allows(const struct sp_policy *p, const char *name);

/* p's rules grouped by name, for code that looks at the rules of one name
 * many times (O(n log n) to build, O(log n) per lookup, instead of a scan
 * of every rule per rule):
 *
 *     struct sp_name_index ix;
 *     sp_name_index_build(&ix, p);
 *     size_t n;
 *     const size_t *idx = sp_name_index_find(&ix, "read", &n);
 *     for (size_t k = 0; k < n; k++) ... p->rules[idx[k]] ...
 *     sp_name_index_release(&ix);
 *
 * Within a name, indices are in policy order.  The index is valid while p
 * gains or loses no rule. */
struct sp_name_index {
	const struct sp_policy *p;
	size_t *order; /* rule indices by (name, index) */
};
void sp_name_index_build(struct sp_name_index *ix, const struct sp_policy *p);
const size_t *sp_name_index_find(const struct sp_name_index *ix, const char *name, size_t *n);
void sp_name_index_release(struct sp_name_index *ix);
#define _cleanup_name_index_ __attribute__((cleanup(sp_name_index_release)))

#endif
