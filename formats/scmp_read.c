/* SPDX-License-Identifier: MIT */
/*
 * Readers for the libseccomp-vocabulary JSON family: Docker profiles, OCI
 * linux.seccomp (bare or in a config.json) and the Security Profiles
 * Operator's SeccompProfile.  They share one walker; the dialect decides
 * which keys exist.  Facts: docs formats-reference sections 1-3.
 *
 * Docker's extras are evaluated the way dockerd does before it hands the
 * profile to the runtime: archMap keeps only the entry of the native
 * architecture; includes keeps a rule only if all its conditions hold,
 * excludes drops it if any holds; conditions are the native arch in Go
 * spelling ("amd64"), the kernel release (MAJOR.MINOR, compared as
 * numbers) and the capabilities the caller says the workload will hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/abi.h"
#include "core/caps.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/json_util.h"
#include "formats/read.h"
#include "formats/read_util.h"

enum dialect { D_DOCKER, D_OCI, D_K8S };

/* Architectures valid in runtime-spec that our ABI table does not cover. */
static const char *const oci_other_arches[] = {
	"SCMP_ARCH_MIPS",  "SCMP_ARCH_MIPS64",  "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",  "SCMP_ARCH_LOONGARCH64",  "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH",    "SCMP_ARCH_SHEB",   NULL,
};

/* Go-style names dockerd compares includes/excludes.arches with. */
static const char *const go_arches[] = {
	"amd64", "x86",    "x32",     "arm64",     "arm",         "ppc64le", "ppc64",     "ppc",
	"s390",  "s390x",  "riscv64", "mips",      "mipsel",      "mips64",  "mips64n32", "mipsel64",
	"mipsel64n32", "mips3l64n32", "loongarch64", "loong64", "parisc", "parisc64", NULL,
};


static const char *const seccomp_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};

static bool in_list(const char *s, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

bool sp_fmt_cap_known(const char *name)
{
	return sp_cap_from_name(name) >= 0;
}

/* The system the profile is evaluated for. */
struct env {
	enum sp_abi native;
	const char *go_arch; /* "amd64" */
	unsigned kmaj, kmin;
	const char *const *caps;
	bool skip_unknown;
};

static int env_init(const struct sp_read_opts *o, struct env *e, struct sp_err *err)
{
	e->native = sp_abi_native();
	if (o && o->arch && (e->native = sp_abi_from_name(o->arch)) == SP_ABI_UNKNOWN)
		return sp_err_set(err, -EINVAL, "unknown architecture '%s'", o->arch);
	e->go_arch = sp_abi_get(e->native)->docker_short;
	struct utsname u;
	const char *rel = o && o->kernel ? o->kernel : (uname(&u) == 0 ? u.release : "0.0");
	if (sscanf(rel, "%u.%u", &e->kmaj, &e->kmin) != 2)
		return sp_err_set(err, -EINVAL, "cannot read a kernel version from '%s'", rel);
	e->caps = o ? o->caps : NULL;
	e->skip_unknown = o && o->skip_unknown;
	return 0;
}

static int get_action(const struct sp_rd *c, json_t *obj, const char *where, const char *key, bool required,
		      bool *present, struct sp_action *out, struct sp_err *err)
{
	const char *s = NULL;
	int r = sp_rd_str(c, obj, where, key, required, &s, err);
	*present = s != NULL;
	if (r < 0 || !s)
		return r;
	if (sp_action_from_scmp(s, out, NULL) < 0)
		return sp_rd_error(c, json_object_get(obj, key), where, err,
				   "\"%s\": unknown action \"%s\" (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, "
				   "SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG, "
				   "SCMP_ACT_NOTIFY)",
				   key, s);
	return 0;
}

/* errnoRet/defaultErrnoRet: only meaningful for ERRNO and TRACE (crun
 * refuses it elsewhere, runc ignores it: we refuse). */
static int get_errno_ret(const struct sp_rd *c, json_t *obj, const char *where, const char *key,
			 struct sp_action *a, struct sp_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (a->kind != SP_ACT_ERRNO && a->kind != SP_ACT_TRACE) {
		char b[32];
		return sp_rd_error(c, v, where, err, "\"%s\" is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
				   key, sp_action_str(*a, b, sizeof(b)));
	}
	uint64_t n = 0;
	/* libseccomp refuses errno values >= 4095 */
	int r = sp_rd_u64(c, obj, where, key, false, a->kind == SP_ACT_ERRNO ? 4094 : 65535, &n, err);
	if (r < 0)
		return r;
	a->data = (uint32_t)n;
	return 0;
}

/* Podman and CRI-O (containers/common) also read "errno"/"defaultErrno":
 * an errno name or a decimal that, when set, wins over errnoRet.  Docker
 * and runc ignore the key, so the two must agree when both are there; a
 * name alone is honoured (it is what Podman does) with a warning that
 * Docker would return EPERM instead. */
static int get_errno_name(const struct sp_rd *c, json_t *obj, const char *where, const char *key,
			  const char *ret_key, struct sp_action *a, struct sp_err *err)
{
	const char *s = NULL;
	int r = sp_rd_str(c, obj, where, key, false, &s, err);
	if (r < 0 || !s || !*s)
		return r;
	json_t *v = json_object_get(obj, key);
	if (a->kind != SP_ACT_ERRNO && a->kind != SP_ACT_TRACE) {
		char b[32];
		return sp_rd_error(c, v, where, err, "\"%s\" is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
				   key, sp_action_str(*a, b, sizeof(b)));
	}
	uint64_t n;
	int e = sp_parse_u64(s, 4094, &n) ? (int)n : sp_errno_from_name(s);
	if (e < 0 || e > 4094)
		return sp_rd_error(c, v, where, err, "\"%s\": unknown errno \"%s\" (a name like \"EPERM\", or a number up to 4094)",
				   key, s);
	json_t *ret = json_object_get(obj, ret_key);
	if (ret && !json_is_null(ret) && a->data != (uint32_t)e)
		return sp_rd_error(c, v, where, err,
				   "\"%s\": \"%s\" (%d) and \"%s\": %u disagree (Podman and CRI-O use the first, "
				   "Docker the second)",
				   key, s, e, ret_key, a->data);
	if (!ret || json_is_null(ret))
		sp_warn("%s: %s: \"%s\": \"%s\" is read by Podman and CRI-O only; Docker ignores it and "
			"returns EPERM (add \"%s\": %d)",
			c->file, where, key, s, ret_key, e);
	a->data = (uint32_t)e;
	return 0;
}

static int read_abi_name(const struct sp_rd *c, json_t *arr, const char *where, size_t i, enum sp_abi *out,
			 struct sp_err *err)
{
	const char *s;
	int r = sp_rd_item_str(c, arr, where, i, &s, err);
	if (r < 0)
		return r;
	json_t *v = json_array_get(arr, i);
	if (!strcmp(s, "SCMP_ARCH_NATIVE"))
		return sp_rd_error(c, v, where, err,
				   "[%zu]: SCMP_ARCH_NATIVE is not a valid architecture here (runc and crun reject it)",
				   i);
	*out = sp_abi_from_docker(s);
	if (*out != SP_ABI_UNKNOWN)
		return 0;
	if (in_list(s, oci_other_arches))
		return sp_rd_error(c, v, where, err, "[%zu]: architecture \"%s\" is not supported by seccomp-profile",
				   i, s);
	return sp_rd_error(c, v, where, err, "[%zu]: unknown architecture \"%s\" (expected SCMP_ARCH_*)", i, s);
}

static int read_arch_list(const struct sp_rd *c, json_t *arr, const char *where, bool tolerate_other,
			  uint32_t *mask, struct sp_err *err)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		enum sp_abi a;
		int r = read_abi_name(c, arr, where, i, &a, err);
		if (r < 0) {
			const char *s = json_string_value(json_array_get(arr, i));
			if (tolerate_other && s && in_list(s, oci_other_arches))
				continue;
			return r;
		}
		if (*mask & sp_abi_bit(a))
			return sp_rd_error(c, json_array_get(arr, i), where, err, "[%zu]: \"%s\" is listed twice", i,
					   sp_abi_get(a)->docker);
		*mask |= sp_abi_bit(a);
	}
	return 0;
}

static int read_arch_map(const struct sp_rd *c, json_t *map, const char *where, const struct env *e,
			 uint32_t *mask, struct sp_err *err)
{
	static const char *const keys[] = {"architecture", "subArchitectures", NULL};
	uint32_t seen = 0;
	for (size_t i = 0; i < json_array_size(map); i++) {
		char w[256];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		json_t *ent = json_array_get(map, i), *subs = NULL;
		if (!json_is_object(ent))
			return sp_rd_error(c, ent, w, err, "expected an object");
		int r = sp_rd_keys(c, ent, w, keys, err);
		json_t *one = json_pack("[O]", json_object_get(ent, "architecture"));
		const char *s = NULL;
		if (r >= 0)
			r = sp_rd_str(c, ent, w, "architecture", true, &s, err);
		enum sp_abi a = SP_ABI_UNKNOWN;
		char wa[300];
		snprintf(wa, sizeof(wa), "%s.architecture", w);
		if (r >= 0) {
			r = read_abi_name(c, one, wa, 0, &a, err);
			if (r < 0 && in_list(s, oci_other_arches))
				r = 0, a = SP_ABI_UNKNOWN; /* another machine's entry */
		}
		json_decref(one);
		if (r < 0 || (r = sp_rd_array(c, ent, w, "subArchitectures", false, &subs, err)) < 0)
			return r;
		if (a != SP_ABI_UNKNOWN) {
			if (seen & sp_abi_bit(a))
				return sp_rd_error(c, ent, w, err, "a second entry for \"%s\"", s);
			seen |= sp_abi_bit(a);
		}
		uint32_t sub = 0;
		char ws[300];
		snprintf(ws, sizeof(ws), "%s.subArchitectures", w);
		if (subs && (r = read_arch_list(c, subs, ws, a != e->native, &sub, err)) < 0)
			return r;
		if (a == e->native)
			*mask = sp_abi_bit(a) | sub;
	}
	return 0;
}

static int read_flags(const struct sp_rd *c, json_t *obj, const char *where, struct sp_err *err)
{
	json_t *flags = NULL;
	int r = sp_rd_array(c, obj, where, "flags", false, &flags, err);
	for (size_t i = 0; r >= 0 && flags && i < json_array_size(flags); i++) {
		const char *s;
		char w[256];
		snprintf(w, sizeof(w), "%s.flags", where);
		if ((r = sp_rd_item_str(c, flags, w, i, &s, err)) < 0)
			break;
		if (!in_list(s, seccomp_flags))
			return sp_rd_error(c, json_array_get(flags, i), w, err, "[%zu]: unknown flag \"%s\"", i, s);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s, json_string_value(json_array_get(flags, j))))
				return sp_rd_error(c, json_array_get(flags, i), w, err, "[%zu]: \"%s\" is listed twice",
						   i, s);
	}
	return r;
}

/* One Docker includes/excludes object; *holds: all (includes) or any
 * (excludes) of its conditions hold on this system. */
static int eval_filter(const struct sp_rd *c, json_t *f, const char *where, bool all, const struct env *e,
		       bool *holds, struct sp_err *err)
{
	static const char *const keys[] = {"caps", "arches", "minKernel", NULL};
	if (!json_is_object(f))
		return sp_rd_error(c, f, where, err, "expected an object");
	int r = sp_rd_keys(c, f, where, keys, err);
	if (r < 0)
		return r;
	bool result = all; /* empty includes: keep; empty excludes: keep */
	json_t *caps = NULL, *arches = NULL;
	if ((r = sp_rd_array(c, f, where, "caps", false, &caps, err)) < 0 ||
	    (r = sp_rd_array(c, f, where, "arches", false, &arches, err)) < 0)
		return r;
	char w[300];
	snprintf(w, sizeof(w), "%s.caps", where);
	for (size_t i = 0; caps && i < json_array_size(caps); i++) {
		const char *s;
		if ((r = sp_rd_item_str(c, caps, w, i, &s, err)) < 0)
			return r;
		if (!sp_fmt_cap_known(s))
			return sp_rd_error(c, json_array_get(caps, i), w, err, "[%zu]: unknown capability \"%s\"", i,
					   s);
		bool have = in_list(s, e->caps);
		if (all && !have)
			result = false;
		if (!all && have)
			result = true;
	}
	snprintf(w, sizeof(w), "%s.arches", where);
	if (arches) {
		bool listed = false;
		for (size_t i = 0; i < json_array_size(arches); i++) {
			const char *s;
			if ((r = sp_rd_item_str(c, arches, w, i, &s, err)) < 0)
				return r;
			if (!in_list(s, go_arches))
				return sp_rd_error(c, json_array_get(arches, i), w, err,
						   "[%zu]: unknown architecture \"%s\" (Docker compares Go names here: "
						   "amd64, x86, arm64, arm, ppc64le, s390x, riscv64, ...)",
						   i, s);
			listed |= !strcmp(s, e->go_arch);
		}
		if (all && !listed && json_array_size(arches))
			result = false;
		if (!all && listed)
			result = true;
	}
	const char *mk = NULL;
	if ((r = sp_rd_str(c, f, where, "minKernel", false, &mk, err)) < 0)
		return r;
	if (mk && *mk) {
		unsigned maj, min;
		char tail;
		json_t *v = json_object_get(f, "minKernel");
		if (sscanf(mk, "%u.%u%c", &maj, &min, &tail) != 2 || maj > 255 || min > 255 || (maj == 0 && min == 0) ||
		    strspn(mk, "0123456789.") != strlen(mk))
			return sp_rd_error(c, v, where, err,
					   "\"minKernel\": \"%s\" is not MAJOR.MINOR (two numbers 0-255, not 0.0)", mk);
		bool ok = e->kmaj > maj || (e->kmaj == maj && e->kmin >= min);
		if (all && !ok)
			result = false;
		if (!all && ok)
			result = true;
	}
	*holds = result;
	return 0;
}

/* *split: an argument is compared more than once.  runc and crun then add
 * every condition of the entry as a rule of its own (so they are OR-ed,
 * not AND-ed; libseccomp refuses two comparisons of one argument in one
 * rule), and so do we, with a warning. */
static int read_args(const struct sp_rd *c, json_t *args, const char *where, struct sp_cond *cond, uint8_t *ncond,
		     bool *split, struct sp_err *err)
{
	static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
	if (json_array_size(args) > 6)
		return sp_rd_error(c, args, where, err, "%zu conditions; a syscall has only 6 arguments",
				   json_array_size(args));
	for (size_t i = 0; i < json_array_size(args); i++) {
		char w[300];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		json_t *a = json_array_get(args, i);
		if (!json_is_object(a))
			return sp_rd_error(c, a, w, err, "expected an object");
		uint64_t index = 0, v1 = 0, v2 = 0;
		const char *op = NULL;
		int r;
		if ((r = sp_rd_keys(c, a, w, keys, err)) < 0 ||
		    (r = sp_rd_u64(c, a, w, "index", true, 5, &index, err)) < 0 ||
		    (r = sp_rd_u64(c, a, w, "value", true, UINT64_MAX, &v1, err)) < 0 ||
		    (r = sp_rd_u64(c, a, w, "valueTwo", false, UINT64_MAX, &v2, err)) < 0 ||
		    (r = sp_rd_str(c, a, w, "op", true, &op, err)) < 0)
			return r;
		enum sp_cmp_op cop;
		if (sp_cmp_from_scmp(op, &cop) < 0)
			return sp_rd_error(c, json_object_get(a, "op"), w, err,
					   "\"op\": unknown operator \"%s\" (SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT, "
					   "_MASKED_EQ)",
					   op);
		if (v2 && cop != SP_CMP_MASKED_EQ)
			return sp_rd_error(c, json_object_get(a, "valueTwo"), w, err,
					   "\"valueTwo\" is only used by SCMP_CMP_MASKED_EQ");
		for (uint8_t j = 0; j < *ncond; j++)
			*split = *split || cond[j].arg == index;
		cond[(*ncond)++] = (struct sp_cond){(uint8_t)index, cop, v1, v2};
	}
	return 0;
}

static int read_entry(struct sp_rd *c, json_t *ent, const char *w, enum dialect d, const struct env *e,
		      struct sp_policy *p, struct sp_err *err)
{
	static const char *const docker_keys[] = {"names", "name", "action", "errnoRet", "errno", "args",
						  "comment", "includes", "excludes", NULL};
	static const char *const oci_keys[] = {"names", "action", "errnoRet", "args", NULL};
	if (!json_is_object(ent))
		return sp_rd_error(c, ent, w, err, "expected an object");
	int r = sp_rd_keys(c, ent, w, d == D_DOCKER ? docker_keys : oci_keys, err);
	if (r < 0)
		return r;
	json_t *names = NULL, *args = NULL, *inc = NULL, *exc = NULL;
	const char *name = NULL, *comment = NULL;
	if ((r = sp_rd_array(c, ent, w, "names", false, &names, err)) < 0 ||
	    (r = sp_rd_str(c, ent, w, "name", false, &name, err)) < 0 ||
	    (r = sp_rd_str(c, ent, w, "comment", false, &comment, err)) < 0 ||
	    (r = sp_rd_array(c, ent, w, "args", false, &args, err)) < 0 ||
	    (r = sp_rd_object(c, ent, w, "includes", false, &inc, err)) < 0 ||
	    (r = sp_rd_object(c, ent, w, "excludes", false, &exc, err)) < 0)
		return r;
	if (name && names && json_array_size(names))
		return sp_rd_error(c, ent, w, err, "both \"name\" and \"names\" are set (dockerd refuses this)");
	if (!name && (!names || !json_array_size(names)))
		return sp_rd_error(c, ent, w, err, "\"names\" must list at least one syscall");
	struct sp_action act;
	bool has;
	if ((r = get_action(c, ent, w, "action", true, &has, &act, err)) < 0 ||
	    (r = get_errno_ret(c, ent, w, "errnoRet", &act, err)) < 0 ||
	    (d == D_DOCKER && (r = get_errno_name(c, ent, w, "errno", "errnoRet", &act, err)) < 0))
		return r;
	struct sp_cond cond[6];
	uint8_t ncond = 0;
	char wa[300];
	snprintf(wa, sizeof(wa), "%s.args", w);
	bool split = false;
	if (args && (r = read_args(c, args, wa, cond, &ncond, &split, err)) < 0)
		return r;
	if (split)
		sp_warn("%s: %s: an argument is compared more than once, so runc and crun make each of these %u "
			"conditions a rule of its own: any one of them lets the call through (OR, not AND); "
			"write one entry per alternative to say so",
			c->file, wa, ncond);
	/* Validate names before evaluating conditions: a typo in a rule that
	 * does not apply here is still a typo. */
	char wn[300];
	snprintf(wn, sizeof(wn), name ? "%s.name" : "%s.names", w);
	size_t n = name ? 1 : json_array_size(names);
	for (size_t i = 0; i < n; i++) {
		const char *s = name;
		if (!name && (r = sp_rd_item_str(c, names, wn, i, &s, err)) < 0)
			return r;
		json_t *node = name ? json_object_get(ent, "name") : json_array_get(names, i);
		if (!sp_abi_syscall_known(s) && e->skip_unknown) {
			sp_warn("%s: %s: skipping unknown syscall \"%s\"", c->file, wn, s);
			continue;
		}
		if (!sp_abi_syscall_known(s)) {
			char idx[32] = "";
			if (!name)
				snprintf(idx, sizeof(idx), "[%zu]: ", i);
			return sp_rd_error(c, node, wn, err,
					   "%sunknown syscall \"%s\" (this libseccomp does not know it; runc and crun "
					   "would skip it silently)",
					   idx, s);
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s, json_string_value(json_array_get(names, j))))
				return sp_rd_error(c, node, wn, err, "[%zu]: \"%s\" is listed twice", i, s);
	}
	bool keep = true, hold;
	char wf[300];
	if (exc) {
		snprintf(wf, sizeof(wf), "%s.excludes", w);
		if ((r = eval_filter(c, exc, wf, false, e, &hold, err)) < 0)
			return r;
		keep = !hold;
	}
	if (inc) {
		snprintf(wf, sizeof(wf), "%s.includes", w);
		if ((r = eval_filter(c, inc, wf, true, e, &hold, err)) < 0)
			return r;
		keep = keep && hold;
	}
	if (!keep)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = name ? name : json_string_value(json_array_get(names, i));
		json_t *node = name ? json_object_get(ent, "name") : json_array_get(names, i);
		if (!sp_abi_syscall_known(s))
			continue; /* skip_unknown: warned above */
		char wi[320];
		if (name)
			snprintf(wi, sizeof(wi), "%s", wn);
		else
			snprintf(wi, sizeof(wi), "%s[%zu]", wn, i);
		for (uint8_t k = 0; k < (split ? ncond : 1); k++)
			if ((r = sp_rd_add_rule(c, p, node, wi, inc || exc, s, act, split ? &cond[k] : cond,
						split ? 1 : ncond, comment, err)) < 0)
				return r;
	}
	return 0;
}

/* The linux.seccomp object (or Docker profile, or SPO spec) at where. */
static int read_object(struct sp_rd *c, json_t *o, const char *where, enum dialect d, const struct env *e,
		       struct sp_policy **out, struct sp_err *err)
{
	static const char *const docker_keys[] = {"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",
						  "archMap", "flags", "listenerPath", "listenerMetadata", "syscalls",
						  NULL};
	static const char *const oci_keys[] = {"defaultAction", "defaultErrnoRet", "architectures", "flags",
					       "listenerPath", "listenerMetadata", "syscalls", NULL};
	static const char *const k8s_keys[] = {"defaultAction", "architectures", "flags", "listenerPath",
					       "listenerMetadata", "syscalls", "disabled", "state",
					       "baseProfileName", NULL};
	const char *const *keys = d == D_DOCKER ? docker_keys : d == D_OCI ? oci_keys : k8s_keys;
	int r = sp_rd_keys(c, o, where, keys, err);
	if (r < 0)
		return r;
	json_t *syscalls = NULL, *arches = NULL, *amap = NULL;
	if ((r = sp_rd_array(c, o, where, "syscalls", false, &syscalls, err)) < 0 ||
	    (r = sp_rd_array(c, o, where, "architectures", false, &arches, err)) < 0 ||
	    (r = sp_rd_array(c, o, where, "archMap", false, &amap, err)) < 0)
		return r;
	if (!json_object_get(o, "defaultAction") && d == D_DOCKER && !json_array_size(syscalls))
		return sp_rd_error(c, o, where, err,
				   "no \"defaultAction\" and no \"syscalls\": Docker reads this as \"no seccomp at all\"");
	struct sp_action def;
	bool has;
	if ((r = get_action(c, o, where, "defaultAction", true, &has, &def, err)) < 0 ||
	    (r = get_errno_ret(c, o, where, "defaultErrnoRet", &def, err)) < 0 ||
	    (d == D_DOCKER && (r = get_errno_name(c, o, where, "defaultErrno", "defaultErrnoRet", &def, err)) < 0))
		return r;
	if (def.kind == SP_ACT_NOTIFY)
		return sp_rd_error(c, json_object_get(o, "defaultAction"), where, err,
				   "\"defaultAction\": SCMP_ACT_NOTIFY cannot be the default (runc and crun refuse it)");
	const char *s = NULL;
	if ((r = read_flags(c, o, where, err)) < 0 || (r = sp_rd_str(c, o, where, "listenerPath", false, &s, err)) < 0)
		return r;
	const char *meta = NULL;
	if ((r = sp_rd_str(c, o, where, "listenerMetadata", false, &meta, err)) < 0)
		return r;
	if (meta && !s)
		return sp_rd_error(c, o, where, err, "\"listenerMetadata\" without \"listenerPath\"");
	if (d == D_K8S) {
		bool dis = false;
		const char *state = NULL, *base = NULL;
		if ((r = sp_rd_bool(c, o, where, "disabled", false, &dis, err)) < 0 ||
		    (r = sp_rd_str(c, o, where, "state", false, &state, err)) < 0 ||
		    (r = sp_rd_str(c, o, where, "baseProfileName", false, &base, err)) < 0)
			return r;
		if (state && strcmp(state, "Enabled") && strcmp(state, "Disabled"))
			return sp_rd_error(c, json_object_get(o, "state"), where, err,
					   "\"state\": \"%s\" is neither Enabled nor Disabled", state);
		if (base && *base)
			return sp_rd_error(c, json_object_get(o, "baseProfileName"), where, err,
					   "\"baseProfileName\": the operator merges base profile \"%s\" into this one; "
					   "seccomp-profile cannot fetch it, so this profile alone is incomplete",
					   base);
	}
	uint32_t abis = 0;
	char w[256];
	if (arches && json_array_size(arches) && amap && json_array_size(amap))
		return sp_rd_error(c, o, where, err, "both \"architectures\" and \"archMap\" are set (dockerd refuses this)");
	snprintf(w, sizeof(w), "%s.architectures", where);
	if (arches && (r = read_arch_list(c, arches, w, false, &abis, err)) < 0)
		return r;
	snprintf(w, sizeof(w), "%s.archMap", where);
	if (amap && (r = read_arch_map(c, amap, w, e, &abis, err)) < 0)
		return r;
	if (!abis)
		abis = sp_abi_bit(e->native); /* no list: the runtime's native ABI */
	struct sp_policy *p = sp_policy_new(def);
	p->abis = abis;
	p->source = xstrdup(c->file);
	for (size_t i = 0; syscalls && i < json_array_size(syscalls); i++) {
		snprintf(w, sizeof(w), "%s.syscalls[%zu]", where, i);
		if ((r = read_entry(c, json_array_get(syscalls, i), w, d, e, p, err)) < 0) {
			sp_policy_free(p);
			sp_rd_release(c);
			return r;
		}
	}
	sp_rd_finish(c, p);
	*out = p;
	return 0;
}

static bool looks_like_profile(json_t *root);

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

int sp_fmt_docker_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		       struct sp_policy **out, struct sp_err *err)
{
	struct env e;
	json_auto_t *root = NULL;
	int r = env_init(o, &e, err);
	if (r < 0 || (r = sp_json_load_u64(path, data, len, &root, err)) < 0)
		return r;
	struct sp_rd c = {.file = path};
	return read_object(&c, root, "$", D_DOCKER, &e, out, err);
}

int sp_fmt_oci_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		    struct sp_policy **out, struct sp_err *err)
{
	struct env e;
	json_auto_t *root = NULL;
	int r = env_init(o, &e, err);
	if (r < 0 || (r = sp_json_load_u64(path, data, len, &root, err)) < 0)
		return r;
	struct sp_rd c = {.file = path};
	if (looks_like_profile(root) || !json_object_get(root, "linux"))
		return read_object(&c, root, "$", D_OCI, &e, out, err);
	/* A whole config.json: the filter is linux.seccomp; the rest of the
	 * bundle configuration is not ours to check. */
	json_t *linux_ = NULL, *sc = NULL;
	if ((r = sp_rd_object(&c, root, "$", "linux", true, &linux_, err)) < 0)
		return r;
	if (!json_object_get(linux_, "seccomp"))
		return sp_rd_error(&c, linux_, "$.linux", err,
				   "no \"seccomp\" section: this container configuration runs unconfined");
	if ((r = sp_rd_object(&c, linux_, "$.linux", "seccomp", true, &sc, err)) < 0)
		return r;
	return read_object(&c, sc, "$.linux.seccomp", D_OCI, &e, out, err);
}

/* Loads a JSON or YAML document stream as an array of documents. */
static int load_any(const char *path, const char *data, size_t len, json_t **docs, struct sp_ymarks **marks,
		    struct sp_err *err)
{
	*marks = NULL;
	if (*skip_ws(data) == '{') {
		json_t *root = NULL;
		int r = sp_json_load_u64(path, data, len, &root, err);
		if (r < 0)
			return r;
		*docs = json_pack("[o]", root);
		return 0;
	}
	return sp_yaml_load(path, data, len, docs, marks, err);
}

static bool is_spo_profile(json_t *doc)
{
	return json_is_object(doc) && json_is_string(json_object_get(doc, "kind")) &&
	       !strcmp(json_string_value(json_object_get(doc, "kind")), "SeccompProfile");
}

int sp_fmt_k8s_read(const char *path, const char *data, size_t len, const struct sp_read_opts *o,
		    struct sp_policy **out, struct sp_err *err)
{
	static const char *const top_keys[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
	static const char *const versions[] = {"security-profiles-operator.x-k8s.io/v1beta1",
					       "security-profiles-operator.x-k8s.io/v1",
					       "security-profiles-operator.x-k8s.io/v1alpha1", NULL};
	struct env e;
	json_auto_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	int r = env_init(o, &e, err);
	if (r < 0 || (r = load_any(path, data, len, &docs, &marks, err)) < 0)
		return r;
	struct sp_rd c = {.file = path, .marks = marks};
	json_t *doc = NULL;
	size_t found = 0;
	for (size_t i = 0; i < json_array_size(docs); i++)
		if (is_spo_profile(json_array_get(docs, i)) && found++ == 0)
			doc = json_array_get(docs, i);
	if (found != 1) {
		r = found ? sp_err_set(err, -EINVAL, "%s: holds %zu SeccompProfile objects; give one per file", path, found)
			  : sp_err_set(err, -EINVAL, "%s: no document with \"kind: SeccompProfile\"", path);
		goto out;
	}
	const char *ver = NULL;
	json_t *spec = NULL, *meta = NULL;
	if ((r = sp_rd_keys(&c, doc, "$", top_keys, err)) < 0 ||
	    (r = sp_rd_str(&c, doc, "$", "apiVersion", true, &ver, err)) < 0 ||
	    (r = sp_rd_object(&c, doc, "$", "metadata", false, &meta, err)) < 0 ||
	    (r = sp_rd_object(&c, doc, "$", "spec", true, &spec, err)) < 0)
		goto out;
	if (!in_list(ver, versions)) {
		r = sp_rd_error(&c, json_object_get(doc, "apiVersion"), "$", err,
				"\"apiVersion\": \"%s\" is not a Security Profiles Operator version (%s/v1beta1 or v1)",
				ver, "security-profiles-operator.x-k8s.io");
		goto out;
	}
	r = read_object(&c, spec, "$.spec", D_K8S, &e, out, err);
out:
	sp_ymarks_free(marks);
	return r;
}

/* ---- detection -------------------------------------------------------- */

static json_t *load_json_quiet(const char *data, size_t len)
{
	if (*skip_ws(data) != '{')
		return NULL;
	json_t *root = NULL;
	if (sp_json_load_u64("-", data, len, &root, NULL) < 0)
		return NULL;
	return root;
}

/* Keys of the Docker (and containers/common) profile that the OCI object
 * lacks: "defaultErrno"/"errno" are Podman's errno names. */
static bool has_docker_keys(json_t *root)
{
	if (json_object_get(root, "archMap") || json_object_get(root, "defaultErrno"))
		return true;
	json_t *sc = json_object_get(root, "syscalls"), *ent;
	size_t i;
	json_array_foreach(sc, i, ent)
		if (json_object_get(ent, "name") || json_object_get(ent, "includes") ||
		    json_object_get(ent, "excludes") || json_object_get(ent, "comment") ||
		    json_object_get(ent, "errno"))
			return true;
	return false;
}

static bool looks_like_profile(json_t *root)
{
	return json_object_get(root, "defaultAction") || json_object_get(root, "syscalls") ||
	       json_object_get(root, "archMap") || json_object_get(root, "architectures");
}

bool sp_fmt_docker_detect(const char *data, size_t len)
{
	json_auto_t *root = load_json_quiet(data, len);
	return root && !json_object_get(root, "kind") && looks_like_profile(root) && has_docker_keys(root) &&
	       !sp_recording_detect(data, len);
}

bool sp_fmt_oci_detect(const char *data, size_t len)
{
	json_auto_t *root = load_json_quiet(data, len);
	if (!root || json_object_get(root, "kind") || json_object_get(root, "schema"))
		return false;
	if (looks_like_profile(root))
		return !has_docker_keys(root);
	return json_object_get(root, "ociVersion") || json_is_object(json_object_get(root, "linux"));
}

bool sp_fmt_k8s_detect(const char *data, size_t len)
{
	if (!strstr(data, "SeccompProfile") || sp_recording_detect(data, len))
		return false;
	json_auto_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	if (load_any("-", data, len, &docs, &marks, NULL) < 0)
		return false;
	sp_ymarks_free(marks);
	for (size_t i = 0; i < json_array_size(docs); i++)
		if (is_spo_profile(json_array_get(docs, i)))
			return true;
	return false;
}
