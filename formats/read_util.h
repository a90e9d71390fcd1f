/* SPDX-License-Identifier: MIT */
/*
 * formats/read_util.h: what the policy readers share (internal to formats/).
 *
 * Readers walk a json_t tree (from sp_json_load_u64() or sp_yaml_load())
 * with typed getters that name the file, the position when known (YAML
 * line:column) and the JSON path of any problem:
 *
 *     struct sp_rd c = {.file = path, .marks = marks};
 *     const char *act;
 *     r = sp_rd_str(&c, entry, "$.syscalls[3]", "action", true, &act, err);
 *     // "p.yaml:12:7: $.syscalls[3]: \"action\": expected a string"
 *
 * Rules go through sp_rd_add_rule(), which checks what every format
 * shares: the name is a syscall libseccomp knows, and the rule neither
 * duplicates nor contradicts an earlier one.  sp_rd_finish() drops what is
 * redundant and sorts the policy.
 */
#ifndef SP_FORMATS_READ_UTIL_H
#define SP_FORMATS_READ_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/policy.h"
#include "formats/yaml_util.h"

struct sp_rd {
	const char *file;
	const struct sp_ymarks *marks; /* NULL for JSON input */
	/* rule bookkeeping (sp_rd_add_rule) */
	char **rule_where;  /* per policy rule: JSON path of its entry */
	bool *rule_soft;    /* per policy rule: its entry was conditional (includes/excludes) */
	bool *rule_drop;    /* per policy rule: redundant, removed by sp_rd_finish() */
	size_t *rule_next;  /* per policy rule: the next one with its name, or SIZE_MAX */
	size_t nrules, cap, nlive;
	/* name -> its first and last rule (open addressing, power of two) */
	struct sp_rd_name {
		const char *name;
		size_t first, last;
	} *names;
	size_t names_cap, nnames;
};

void sp_rd_release(struct sp_rd *c);

/* "FILE:LINE:COL: WHERE: msg" (or "FILE: WHERE: msg" without a position
 * for node).  Returns -EINVAL. */
int sp_rd_error(const struct sp_rd *c, const json_t *node, const char *where, struct sp_err *err,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Member getters, as in json_util.h: absent or null members are an error
 * only when required (out untouched otherwise). */
int sp_rd_str(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	      const char **out, struct sp_err *err);
int sp_rd_u64(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	      uint64_t max, uint64_t *out, struct sp_err *err);
int sp_rd_bool(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
	       bool *out, struct sp_err *err);
int sp_rd_array(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
		json_t **out, struct sp_err *err);
int sp_rd_object(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
		 json_t **out, struct sp_err *err);
/* The value of a json integer node as unsigned (see sp_json_load_u64()). */
bool sp_rd_node_u64(const json_t *v, uint64_t *out);
/* Array element i that must be a string. */
int sp_rd_item_str(const struct sp_rd *c, json_t *arr, const char *where, size_t i, const char **out,
		   struct sp_err *err);

/* Fails on the first key not in allowed (NULL-terminated); a key that
 * differs from an allowed one only in case gets a hint, because Go
 * consumers match keys case-insensitively and would honour it. */
int sp_rd_keys(const struct sp_rd *c, json_t *obj, const char *where, const char *const *allowed,
	       struct sp_err *err);

/* Adds rule (name, action, conditions) read at where.  soft: the entry
 * carried Docker includes/excludes, so an exact repeat of another rule is
 * the format's normal way of saying "in either case" and is merged.
 * Errors: unknown syscall, duplicate rule, conflicting actions, two
 * conditional rules with different actions that can match one call, a
 * conditional rule overridden by an unconditional one with another action.
 * A rule whose action equals the default action is dropped (libseccomp
 * refuses such rules; runc and crun skip them).  More than SP_MAX_RULES
 * rules are refused.  A rule is compared with the earlier rules of its
 * name only. */
int sp_rd_add_rule(struct sp_rd *c, struct sp_policy *p, const json_t *node, const char *where, bool soft,
		   const char *name, struct sp_action action, const struct sp_cond *cond, uint8_t ncond,
		   const char *comment, struct sp_err *err);
/* Drops redundant rules and sorts p canonically. */
void sp_rd_finish(struct sp_rd *c, struct sp_policy *p);

#endif
