/* SPDX-License-Identifier: MIT */
/*
 * Reader for elastic/go-seccomp-bpf policies (docs formats-reference
 * section 4): a bare Policy {default_action, syscalls}, a Filter
 * {no_new_privs, flag, policy}, or a Beats configuration whose `seccomp:`
 * section holds the policy (the rest of a Beats file is not ours to check).
 *
 * Semantics we reproduce: actions are matched lowercased; "errno" is always
 * EPERM; the policy covers only the architecture the consumer runs on, and
 * names must exist there; groups are tried in file order and the first
 * match wins, so a syscall in two groups is refused here (the later group
 * would be dead).  Conditions: Equal, NotEqual, GreaterThan, LessThan,
 * GreaterOrEqual, LessOrEqual, BitsSet (arg & v != 0), BitsNotSet
 * (arg & v == 0).  BitsSet with several bits is an OR over the bits, so it
 * becomes one rule per bit (rules for a name are OR-ed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/read.h"
#include "formats/read_util.h"

/* Bound on rules one names_with_args entry may expand into. */
#define MAX_EXPANSION 256

static const struct {
	const char *name;
	struct sp_action act;
} yaml_actions[] = {
	{"kill_thread", {SP_ACT_KILL_THREAD, 0}}, {"kill_process", {SP_ACT_KILL_PROCESS, 0}},
	{"trap", {SP_ACT_TRAP, 0}},               {"errno", {SP_ACT_ERRNO, EPERM}},
	{"trace", {SP_ACT_TRACE, 0}},             {"log", {SP_ACT_LOG, 0}},
	{"allow", {SP_ACT_ALLOW, 0}},
};

static int get_yaml_action(const struct sp_rd *c, json_t *obj, const char *where, const char *key,
			   struct sp_action *out, struct sp_err *err)
{
	const char *s = NULL;
	int r = sp_rd_str(c, obj, where, key, true, &s, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < SP_ARRAY_SIZE(yaml_actions); i++) {
		if (!strcasecmp(s, yaml_actions[i].name)) {
			*out = yaml_actions[i].act;
			return 0;
		}
	}
	return sp_rd_error(c, json_object_get(obj, key), where, err,
			   "\"%s\": unknown action \"%s\" (kill_thread, kill_process, trap, errno, trace, log, allow)",
			   key, s);
}

enum { OP_BITS_SET = 100 };

static const struct {
	const char *name;
	int op;
} yaml_ops[] = {
	{"Equal", SP_CMP_EQ},        {"NotEqual", SP_CMP_NE},       {"GreaterThan", SP_CMP_GT},
	{"LessThan", SP_CMP_LT},     {"GreaterOrEqual", SP_CMP_GE}, {"LessOrEqual", SP_CMP_LE},
	{"BitsSet", OP_BITS_SET},    {"BitsNotSet", SP_CMP_MASKED_EQ},
};

static int check_name(const struct sp_rd *c, json_t *node, const char *where, enum sp_abi native,
		      const char *name, struct sp_err *err)
{
	if (sp_abi_syscall_nr(native, name) >= 0)
		return 0;
	if (sp_abi_syscall_known(name))
		return sp_rd_error(c, node, where, err,
				   "\"%s\" does not exist on %s (go-seccomp-bpf refuses names unknown to the "
				   "architecture it runs on)",
				   name, sp_abi_name(native));
	return sp_rd_error(c, node, where, err, "unknown syscall \"%s\"", name);
}

/* names_with_args[i] -> rules (BitsSet expanded). */
static int read_with_args(struct sp_rd *c, json_t *ent, const char *w, enum sp_abi native, struct sp_action act,
			  struct sp_policy *p, struct sp_err *err)
{
	static const char *const keys[] = {"name", "arguments", NULL};
	static const char *const akeys[] = {"argument", "operation", "value", NULL};
	if (!json_is_object(ent))
		return sp_rd_error(c, ent, w, err, "expected a mapping");
	const char *name = NULL;
	json_t *args = NULL;
	int r;
	if ((r = sp_rd_keys(c, ent, w, keys, err)) < 0 || (r = sp_rd_str(c, ent, w, "name", true, &name, err)) < 0 ||
	    (r = check_name(c, json_object_get(ent, "name"), w, native, name, err)) < 0 ||
	    (r = sp_rd_array(c, ent, w, "arguments", true, &args, err)) < 0)
		return r;
	if (!json_array_size(args))
		return sp_rd_error(c, args, w, err, "\"arguments\" is empty (use \"names\" for an unconditional rule)");
	if (json_array_size(args) > 6)
		return sp_rd_error(c, args, w, err, "%zu conditions; a syscall has only 6 arguments",
				   json_array_size(args));
	struct sp_cond base[6];
	uint64_t bitsets[6];
	uint8_t nbase = 0, nbits = 0;
	uint8_t bits_arg[6];
	for (size_t i = 0; i < json_array_size(args); i++) {
		char wa[320];
		snprintf(wa, sizeof(wa), "%s.arguments[%zu]", w, i);
		json_t *a = json_array_get(args, i);
		if (!json_is_object(a))
			return sp_rd_error(c, a, wa, err, "expected a mapping");
		if (json_object_get(a, "position"))
			return sp_rd_error(c, json_object_get(a, "position"), wa, err,
					   "\"position\" is the JSON name of this field; go-ucfg reads \"argument\"");
		uint64_t arg = 0, value = 0;
		const char *op = NULL;
		if ((r = sp_rd_keys(c, a, wa, akeys, err)) < 0 ||
		    (r = sp_rd_u64(c, a, wa, "argument", false, 5, &arg, err)) < 0 ||
		    (r = sp_rd_str(c, a, wa, "operation", true, &op, err)) < 0 ||
		    (r = sp_rd_u64(c, a, wa, "value", false, UINT64_MAX, &value, err)) < 0)
			return r;
		int cop = -1;
		for (size_t k = 0; k < SP_ARRAY_SIZE(yaml_ops); k++)
			if (!strcasecmp(op, yaml_ops[k].name))
				cop = yaml_ops[k].op;
		if (cop < 0)
			return sp_rd_error(c, json_object_get(a, "operation"), wa, err,
					   "unknown operation \"%s\" (Equal, NotEqual, GreaterThan, LessThan, "
					   "GreaterOrEqual, LessOrEqual, BitsSet, BitsNotSet)",
					   op);
		for (uint8_t j = 0; j < nbase; j++)
			if (base[j].arg == arg)
				goto same_arg;
		for (uint8_t j = 0; j < nbits; j++)
			if (bits_arg[j] == arg)
				goto same_arg;
		if (cop == OP_BITS_SET) {
			if (!value)
				return sp_rd_error(c, a, wa, err, "BitsSet with value 0 never matches");
			bits_arg[nbits] = (uint8_t)arg;
			bitsets[nbits++] = value;
		} else if (cop == SP_CMP_MASKED_EQ) {
			base[nbase++] = (struct sp_cond){(uint8_t)arg, SP_CMP_MASKED_EQ, value, 0};
		} else {
			base[nbase++] = (struct sp_cond){(uint8_t)arg, (enum sp_cmp_op)cop, value, 0};
		}
		continue;
	same_arg:
		/* go-seccomp-bpf ANDs them, but libseccomp refuses two
		 * conditions on one argument in one rule. */
		return sp_rd_error(c, a, wa, err,
				   "a second condition on argument %llu: seccomp-profile's rules cannot hold two "
				   "conditions on one argument",
				   (unsigned long long)arg);
	}
	/* Expand each BitsSet mask into its bits: the cartesian product. */
	size_t total = 1;
	for (uint8_t j = 0; j < nbits; j++) {
		total *= (size_t)__builtin_popcountll(bitsets[j]);
		if (total > MAX_EXPANSION)
			return sp_rd_error(c, ent, w, err, "BitsSet conditions expand to more than %d rules",
					   MAX_EXPANSION);
	}
	for (size_t k = 0; k < total; k++) {
		struct sp_cond cond[6];
		memcpy(cond, base, nbase * sizeof(*cond));
		uint8_t n = nbase;
		size_t rest = k;
		for (uint8_t j = 0; j < nbits; j++) {
			unsigned pc = (unsigned)__builtin_popcountll(bitsets[j]);
			unsigned pick = (unsigned)(rest % pc);
			rest /= pc;
			uint64_t m = bitsets[j];
			for (unsigned b = 0; b < pick; b++)
				m &= m - 1;
			uint64_t bit = m & -m;
			cond[n++] = (struct sp_cond){bits_arg[j], SP_CMP_MASKED_EQ, bit, bit};
		}
		if ((r = sp_rd_add_rule(c, p, json_object_get(ent, "name"), w, false, name, act, cond, n, NULL, err)) < 0)
			return r;
	}
	return 0;
}

static int read_group(struct sp_rd *c, json_t *g, const char *w, enum sp_abi native, struct sp_policy *p,
		      struct sp_err *err)
{
	static const char *const keys[] = {"action", "names", "names_with_args", NULL};
	if (!json_is_object(g))
		return sp_rd_error(c, g, w, err, "expected a mapping");
	struct sp_action act;
	json_t *names = NULL, *nwa = NULL;
	int r;
	if ((r = sp_rd_keys(c, g, w, keys, err)) < 0 || (r = get_yaml_action(c, g, w, "action", &act, err)) < 0 ||
	    (r = sp_rd_array(c, g, w, "names", false, &names, err)) < 0 ||
	    (r = sp_rd_array(c, g, w, "names_with_args", false, &nwa, err)) < 0)
		return r;
	if (!json_array_size(names) && !json_array_size(nwa))
		return sp_rd_error(c, g, w, err, "the group lists no syscalls (\"names\" or \"names_with_args\")");
	char wn[300];
	snprintf(wn, sizeof(wn), "%s.names", w);
	for (size_t i = 0; names && i < json_array_size(names); i++) {
		const char *s;
		char wi[320];
		snprintf(wi, sizeof(wi), "%s[%zu]", wn, i);
		json_t *node = json_array_get(names, i);
		if ((r = sp_rd_item_str(c, names, wn, i, &s, err)) < 0 || (r = check_name(c, node, wi, native, s, err)) < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s, json_string_value(json_array_get(names, j))))
				return sp_rd_error(c, node, wi, err, "\"%s\" is listed twice in this group", s);
		for (size_t j = 0; j < json_array_size(nwa); j++) {
			json_t *nm = json_object_get(json_array_get(nwa, j), "name");
			if (json_is_string(nm) && !strcmp(json_string_value(nm), s))
				return sp_rd_error(c, node, wi, err,
						   "\"%s\" is both in \"names\" and in \"names_with_args\" of this group "
						   "(go-seccomp-bpf refuses that)",
						   s);
		}
		if ((r = sp_rd_add_rule(c, p, node, wi, false, s, act, NULL, 0, NULL, err)) < 0)
			return r;
	}
	for (size_t i = 0; nwa && i < json_array_size(nwa); i++) {
		char wi[320];
		snprintf(wi, sizeof(wi), "%s.names_with_args[%zu]", w, i);
		if ((r = read_with_args(c, json_array_get(nwa, i), wi, native, act, p, err)) < 0)
			return r;
	}
	return 0;
}

static int read_policy_obj(struct sp_rd *c, json_t *o, const char *where, bool strict_keys, enum sp_abi native,
			   struct sp_policy **out, struct sp_err *err)
{
	static const char *const keys[] = {"default_action", "syscalls", NULL};
	static const char *const beats_keys[] = {"default_action", "syscalls", "enabled", NULL};
	int r = sp_rd_keys(c, o, where, strict_keys ? keys : beats_keys, err);
	if (r < 0)
		return r;
	bool enabled = true;
	if ((r = sp_rd_bool(c, o, where, "enabled", false, &enabled, err)) < 0)
		return r;
	if (!enabled)
		return sp_rd_error(c, json_object_get(o, "enabled"), where, err,
				   "\"enabled\" is false: this configuration installs no filter");
	struct sp_action def;
	json_t *groups = NULL;
	if ((r = get_yaml_action(c, o, where, "default_action", &def, err)) < 0 ||
	    (r = sp_rd_array(c, o, where, "syscalls", true, &groups, err)) < 0)
		return r;
	if (!json_array_size(groups))
		return sp_rd_error(c, groups, where, err, "\"syscalls\" must not be empty (go-seccomp-bpf refuses it)");
	struct sp_policy *p = sp_policy_new(def);
	p->abis = sp_abi_bit(native);
	p->source = xstrdup(c->file);
	for (size_t i = 0; i < json_array_size(groups); i++) {
		char w[256];
		snprintf(w, sizeof(w), "%s.syscalls[%zu]", where, i);
		if ((r = read_group(c, json_array_get(groups, i), w, native, p, err)) < 0) {
			sp_policy_free(p);
			sp_rd_release(c);
			return r;
		}
	}
	sp_rd_finish(c, p);
	*out = p;
	return 0;
}

/* Which shape the document has: the policy object and its path. */
static json_t *find_policy(json_t *doc, const char **where, bool *strict)
{
	if (!json_is_object(doc))
		return NULL;
	json_t *s = json_object_get(doc, "seccomp");
	if (json_is_object(s)) {
		*where = "$.seccomp";
		*strict = false;
		return s;
	}
	if (json_object_get(doc, "default_action")) {
		*where = "$";
		*strict = true;
		return doc;
	}
	json_t *pol = json_object_get(doc, "policy");
	if (json_is_object(pol) && json_object_get(pol, "default_action")) {
		*where = "$.policy";
		*strict = true;
		return pol;
	}
	return NULL;
}

int sp_fmt_yaml_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		     struct sp_policy **out, struct sp_err *err)
{
	enum sp_abi native = sp_abi_native();
	if (o && o->arch && (native = sp_abi_from_name(o->arch)) == SP_ABI_UNKNOWN)
		return sp_err_set(err, -EINVAL, "unknown architecture '%s'", o->arch);
	json_auto_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	int r = sp_yaml_load(path, data, len, &docs, &marks, err);
	if (r < 0)
		return r;
	struct sp_rd c = {.file = path, .marks = marks};
	if (json_array_size(docs) != 1) {
		r = sp_err_set(err, -EINVAL, "%s: expected one YAML document, found %zu", path, json_array_size(docs));
		goto out;
	}
	json_t *doc = json_array_get(docs, 0);
	const char *where = "$";
	bool strict = true;
	json_t *pol = find_policy(doc, &where, &strict);
	if (!pol) {
		r = sp_rd_error(&c, doc, "$", err,
				"no go-seccomp-bpf policy here (expected \"default_action\" and \"syscalls\", "
				"under \"seccomp:\" for Beats or \"policy:\" for a filter)");
		goto out;
	}
	if (pol != doc && !strcmp(where, "$.policy")) {
		static const char *const fkeys[] = {"no_new_privs", "flag", "policy", NULL};
		bool nnp;
		uint64_t flag;
		if ((r = sp_rd_keys(&c, doc, "$", fkeys, err)) < 0 ||
		    (r = sp_rd_bool(&c, doc, "$", "no_new_privs", false, &nnp, err)) < 0 ||
		    (r = sp_rd_u64(&c, doc, "$", "flag", false, 3, &flag, err)) < 0)
			goto out;
	}
	r = read_policy_obj(&c, pol, where, strict, native, out, err);
out:
	sp_ymarks_free(marks);
	return r;
}

bool sp_fmt_yaml_detect(const char *data, size_t len)
{
	/* JSON documents are YAML too, but JSON inputs belong to the JSON
	 * formats; a go-seccomp-bpf policy is written as YAML. */
	const char *s = data;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s == '{' || !strstr(data, "default_action"))
		return false;
	json_auto_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	if (sp_yaml_load("-", data, len, &docs, &marks, NULL) < 0)
		return false;
	sp_ymarks_free(marks);
	const char *where;
	bool strict;
	json_t *doc = json_array_get(docs, 0);
	/* A SeccompProfile is k8s's, whatever else the document holds. */
	json_t *kind = json_object_get(doc, "kind");
	if (json_is_string(kind) && !strcmp(json_string_value(kind), "SeccompProfile"))
		return false;
	return json_array_size(docs) == 1 && find_policy(doc, &where, &strict);
}
