/* SPDX-License-Identifier: MIT */
#include "generator/compile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/abi.h"
#include "core/util.h"

/* The kernel refuses longer programs (BPF_MAXINSNS). */
#define SP_BPF_MAXINSNS 4096

uint32_t sp_compile_scmp_action(struct sp_action a)
{
	switch (a.kind) {
	case SP_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SP_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SP_ACT_TRAP: return SCMP_ACT_TRAP;
	case SP_ACT_ERRNO: return SCMP_ACT_ERRNO(a.data);
	case SP_ACT_TRACE: return SCMP_ACT_TRACE(a.data);
	case SP_ACT_LOG: return SCMP_ACT_LOG;
	case SP_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SP_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static void release_ctx(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}
#define _cleanup_ctx_ __attribute__((cleanup(release_ctx)))

/* A filter holding exactly one ABI.  seccomp_init() always adds the
 * library's native arch; it is removed when the wanted ABI is another. */
static int new_single_arch(const struct sp_abi_info *ai, uint32_t def, scmp_filter_ctx *out,
			   struct sp_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return sp_err_set(err, -EINVAL,
				  "compile: libseccomp refused the default action (kernel too old for it?)");
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0)
		goto fail;
	if (ai->scmp_token != seccomp_arch_native()) {
		r = seccomp_arch_add(ctx, ai->scmp_token);
		if (r < 0)
			goto fail;
		r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (r < 0)
			goto fail;
	}
	*out = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return sp_err_set(err, r, "compile: cannot set up a filter for ABI '%s': %s", ai->name, strerror(-r));
}

static int add_rule(scmp_filter_ctx ctx, const struct sp_abi_info *ai, const struct sp_rule *rule,
		    struct sp_err *err)
{
	/* libseccomp takes the number on its native ABI and translates it
	 * through the name to each arch of the filter; names absent natively
	 * have negative pseudo numbers that translate the same way. */
	int nr = seccomp_syscall_resolve_name(rule->name);
	if (nr == __NR_SCMP_ERROR)
		return sp_err_set(err, -EINVAL, "compile: unknown syscall '%s' on ABI '%s'", rule->name,
				  ai->name);
	struct scmp_arg_cmp cmp[6];
	for (unsigned i = 0; i < rule->ncond; i++) {
		const struct sp_cond *c = &rule->cond[i];
		/* Our MASKED_EQ keeps (mask, expected) in (value, value2), which
		 * is libseccomp's (datum_a, datum_b) and OCI's (value, valueTwo). */
		cmp[i] = (struct scmp_arg_cmp){
			.arg = c->arg,
			.op = (enum scmp_compare)c->op,
			.datum_a = c->value,
			.datum_b = c->op == SP_CMP_MASKED_EQ ? c->value2 : 0,
		};
	}
	int r = seccomp_rule_add_array(ctx, sp_compile_scmp_action(rule->action), nr, rule->ncond, cmp);
	if (r < 0) {
		char buf[32];
		return sp_err_set(err, r, "compile: syscall '%s' on ABI '%s': rule %s%s: %s", rule->name,
				  ai->name, sp_action_str(rule->action, buf, sizeof(buf)),
				  rule->ncond ? " with argument conditions" : "",
				  r == -EINVAL && rule->ncond ? "invalid condition (argument index > 5, or one "
								"argument compared twice)"
							      : strerror(-r));
	}
	return 0;
}

int sp_compile_ctx(const struct sp_policy *p, const struct sp_compile_opts *o, scmp_filter_ctx *out,
		   struct sp_err *err)
{
	struct sp_action def = o && o->override_default ? o->def : p->def;
	uint32_t scmp_def = sp_compile_scmp_action(def);
	uint32_t abis = p->abis | (o ? o->extra_abis : 0);
	if (!abis) {
		enum sp_abi n = sp_abi_native();
		if (n == SP_ABI_UNKNOWN)
			return sp_err_set(err, -EINVAL, "compile: policy names no ABI and this host's is unknown");
		abis = sp_abi_bit(n);
	}

	/* Validate every name on every ABI before building anything. */
	for (size_t i = 0; i < p->nrules; i++) {
		for (int a = 0; a < SP_ABI_COUNT; a++) {
			if (!(abis & sp_abi_bit((enum sp_abi)a)))
				continue;
			const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
			if (seccomp_syscall_resolve_name_arch(ai->scmp_token, p->rules[i].name) ==
			    __NR_SCMP_ERROR)
				return sp_err_set(err, -EINVAL, "compile: unknown syscall '%s' on ABI '%s'",
						  p->rules[i].name, ai->name);
		}
	}

	_cleanup_ctx_ scmp_filter_ctx all = NULL;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
		_cleanup_ctx_ scmp_filter_ctx one = NULL;
		int r = new_single_arch(ai, scmp_def, &one, err);
		if (r < 0)
			return r;
		for (size_t i = 0; i < p->nrules; i++) {
			const struct sp_rule *rule = &p->rules[i];
			if (rule->abis && !(rule->abis & sp_abi_bit((enum sp_abi)a)))
				continue;
			/* libseccomp refuses (-EACCES) a rule that does what the
			 * default does; it is redundant anyway. */
			if (sp_compile_scmp_action(rule->action) == scmp_def)
				continue;
			if ((r = add_rule(one, ai, rule, err)) < 0)
				return r;
		}
		if (!all) {
			all = steal_ptr(one);
			continue;
		}
		/* seccomp_merge() releases the source filter on success. */
		r = seccomp_merge(all, one);
		if (r < 0)
			return sp_err_set(err, r, "compile: cannot combine ABI '%s' with the others: %s", ai->name,
					  r == -EDOM ? "mixed byte order (big- and little-endian ABIs)"
						     : strerror(-r));
		one = NULL;
	}
	*out = steal_ptr(all);
	return 0;
}

int sp_compile_export(scmp_filter_ctx ctx, struct sock_fprog *out, struct sp_err *err)
{
	_cleanup_close_ int fd = memfd_create("seccomp-profile-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return sp_err_sys(err, "compile: memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return sp_err_set(err, r, "compile: exporting the BPF program failed: %s", strerror(-r));
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sp_err_sys(err, "compile: fstat");
	size_t size = (size_t)st.st_size;
	if (size == 0 || size % sizeof(struct sock_filter))
		return sp_err_set(err, -EIO, "compile: exported BPF has a bad size (%zu bytes)", size);
	size_t n = size / sizeof(struct sock_filter);
	if (n > SP_BPF_MAXINSNS)
		return sp_err_set(err, -E2BIG,
				  "compile: the filter has %zu instructions; the kernel accepts at most %d", n,
				  SP_BPF_MAXINSNS);
	struct sock_filter *f = xmalloc(size);
	size_t got = 0;
	while (got < size) {
		ssize_t k = pread(fd, (char *)f + got, size - got, (off_t)got);
		if (k <= 0) {
			free(f);
			return k < 0 ? sp_err_sys(err, "compile: reading the exported BPF")
				     : sp_err_set(err, -EIO, "compile: exported BPF is truncated");
		}
		got += (size_t)k;
	}
	out->len = (unsigned short)n;
	out->filter = f;
	return 0;
}

int sp_compile_bpf(const struct sp_policy *p, const struct sp_compile_opts *o, struct sock_fprog *out,
		   struct sp_err *err)
{
	_cleanup_ctx_ scmp_filter_ctx ctx = NULL;
	int r = sp_compile_ctx(p, o, &ctx, err);
	if (r < 0)
		return r;
	return sp_compile_export(ctx, out, err);
}
