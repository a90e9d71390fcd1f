/* SPDX-License-Identifier: MIT */
/* generator/args: argument rules from recorded values; the resulting
 * policies are compiled with libseccomp and run in our BPF interpreter
 * (generator/bpf_sim.c) against allow/deny tables. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/argspec.h"
#include "generator/args.h"
#include "generator/compile.h"
#include "generator/generate.h"
#include "formats/format.h"
#include "generator/bpf_sim.h"
#include "tests/unit/unit.h"

#define RET_ALLOW    0x7fff0000u
#define RET_ERRNO(e) (0x00050000u | (e))
#define AA_X86_64    0xc000003eu
#define AA_I386      0x40000003u

static struct sp_sysc *rec_add(struct sp_recording *rec, enum sp_abi abi, const char *name, int idx,
			       const uint64_t *vals, size_t n)
{
	int64_t nr = sp_argspec_kernel_nr(abi, name);
	if (nr < 0)
		nr = sp_abi_syscall_nr(abi, name);
	ck_assert_int_ge(nr, 0);
	struct sp_sysc *s = sp_recording_sysc(rec, abi, nr, true);
	s->calls++;
	for (size_t i = 0; i < n && idx >= 0; i++)
		sp_argset_add(&s->args[idx], vals[i]);
	return s;
}

/* The policy sp_generate() would make without --args: one unconditional
 * observed ALLOW per name. */
static struct sp_policy *names_policy(const struct sp_recording *rec)
{
	struct sp_policy *p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_recording_abis(rec);
	size_t n;
	struct sp_sysc **v = sp_recording_sorted(rec, &n);
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->name || sp_policy_find(p, v[i]->name))
			continue;
		sp_policy_add_rule(p, v[i]->name, sp_action_allow())->origin = SP_ORIGIN_OBSERVED;
	}
	free(v);
	return p;
}

static size_t count_rules(const struct sp_policy *p, const char *name, bool cond)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nrules; i++)
		n += !strcmp(p->rules[i].name, name) && (p->rules[i].ncond > 0) == cond;
	return n;
}

static uint32_t eval(const struct sock_fprog *f, uint32_t arch, enum sp_abi abi, const char *name, uint64_t a0,
		     uint64_t a1, uint64_t a2)
{
	int64_t nr = sp_argspec_kernel_nr(abi, name);
	if (nr < 0)
		nr = sp_abi_syscall_nr(abi, name);
	ck_assert_int_ge(nr, 0);
	uint64_t args[6] = {a0, a1, a2, 0, 0, 0};
	return sp_bpf_eval(f->filter, f->len, arch, (int)nr, args);
}

static void compile(const struct sp_policy *p, struct sock_fprog *f)
{
	struct sp_err err = {0};
	ck_assert_msg(sp_compile_bpf(p, NULL, f, &err) == 0, "%s", err.msg);
}

START_TEST(socket_cross_product)
{
	struct sp_recording *rec = sp_recording_new();
	struct sp_sysc *s = rec_add(rec, SP_ABI_X86_64, "socket", 0, (uint64_t[]){1, 2, 10, 16}, 4);
	sp_argset_add(&s->args[1], 1);
	sp_argset_add(&s->args[1], 2);
	rec_add(rec, SP_ABI_X86_64, "read", -1, NULL, 0);
	struct sp_policy *p = names_policy(rec);
	struct sp_argrules_stats st;
	sp_argrules_apply(p, rec, &st);
	ck_assert_uint_eq(count_rules(p, "socket", true), 8);
	ck_assert_uint_eq(count_rules(p, "socket", false), 0);
	ck_assert_uint_eq(count_rules(p, "read", false), 1);
	ck_assert_uint_eq(st.narrowed, 1);
	ck_assert_uint_eq(st.rules, 8);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (strcmp(r->name, "socket"))
			continue;
		ck_assert_uint_eq(r->ncond, 2);
		ck_assert_uint_ne(r->cond[0].arg, r->cond[1].arg); /* never one index twice */
		ck_assert_int_eq(r->cond[0].op, SP_CMP_MASKED_EQ);
		ck_assert_uint_eq(r->origin, SP_ORIGIN_OBSERVED);
	}
	struct sock_fprog f;
	compile(p, &f);
	/* observed families/types pass, with NONBLOCK/CLOEXEC and a dirty
	 * upper half; others get the default */
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 1, 1, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 10, 2 | 0x80800, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 0xffffffff00000010ull, 2, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 17, 3, 0), RET_ERRNO(EPERM)); /* packet */
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 38, 5, 0), RET_ERRNO(EPERM)); /* alg */
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "socket", 2, 3, 0), RET_ERRNO(EPERM)); /* raw */
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "read", 0, 0, 0), RET_ALLOW);
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(ioctl_overflow_origin)
{
	struct sp_recording *rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "ioctl", 1, (uint64_t[]){0x5401, 0x541b}, 2);
	struct sp_sysc *s = rec_add(rec, SP_ABI_X86_64, "fcntl", 1, NULL, 0);
	for (uint64_t i = 0; i < SP_MAX_ARG_VALUES + 1; i++)
		sp_argset_add(&s->args[1], i);
	ck_assert(s->args[1].overflow);
	rec_add(rec, SP_ABI_X86_64, "prctl", 0, (uint64_t[]){15}, 1);
	rec_add(rec, SP_ABI_X86_64, "kill", -1, NULL, 0); /* calls seen, no values */
	struct sp_policy *p = names_policy(rec);
	/* prctl also needed by the runtime: must stay unconditional */
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].name, "prctl"))
			p->rules[i].origin |= SP_ORIGIN_RUNTIME;
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "ioctl", true), 2);
	ck_assert_uint_eq(count_rules(p, "fcntl", true), 0);
	ck_assert_uint_eq(count_rules(p, "fcntl", false), 1);
	ck_assert_uint_eq(count_rules(p, "prctl", false), 1);
	ck_assert_uint_eq(count_rules(p, "prctl", true), 0);
	ck_assert_uint_eq(count_rules(p, "kill", false), 1);
	struct sock_fprog f;
	compile(p, &f);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "ioctl", 0, 0x5401, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "ioctl", 0, 0xffffffff0000541bull, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "ioctl", 0, 0x5402, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "fcntl", 0, 1234, 0), RET_ALLOW);
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(wx)
{
	struct sp_recording *rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "mprotect", 2, (uint64_t[]){1, 3, 5, 0}, 4);
	rec_add(rec, SP_ABI_X86_64, "mmap", 2, (uint64_t[]){3, 7}, 2); /* W+X seen */
	struct sp_policy *p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "mprotect", true), 2);
	ck_assert_uint_eq(count_rules(p, "mmap", false), 1);
	/* translated to i386 too: mprotect sits at the same position there,
	 * still narrowed; mmap on i386 is old_mmap (a pointer): never */
	struct sp_recording *r2 = sp_recording_new();
	rec_add(r2, SP_ABI_X86_64, "mprotect", 2, (uint64_t[]){1}, 1);
	rec_add(r2, SP_ABI_X86_64, "mmap", 2, (uint64_t[]){3}, 1);
	struct sp_policy *q = names_policy(r2);
	sp_argrules_apply(q, r2, NULL);
	ck_assert_uint_eq(count_rules(q, "mmap", true), 2);
	sp_policy_free(q);
	q = names_policy(r2);
	q->abis |= sp_abi_bit(SP_ABI_I386);
	sp_argrules_apply(q, r2, NULL);
	ck_assert_uint_eq(count_rules(q, "mprotect", true), 2);
	ck_assert_uint_eq(count_rules(q, "mmap", false), 1);
	ck_assert_uint_eq(count_rules(q, "mmap", true), 0);
	sp_recording_free(r2);
	sp_policy_free(q);
	struct sock_fprog f;
	compile(p, &f);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mprotect", 0, 0, 5), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mprotect", 0, 0, 3), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mprotect", 0, 0, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mprotect", 0, 0, 7), RET_ERRNO(EPERM));
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mprotect", 0, 0, 6), RET_ERRNO(EPERM));
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "mmap", 0, 0, 7), RET_ALLOW);
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(clone_and_clone3)
{
	struct sp_recording *rec = sp_recording_new();
	/* fork-like clone and pthread clone3 without namespaces */
	rec_add(rec, SP_ABI_X86_64, "clone", 0, (uint64_t[]){0x01200000}, 1);
	rec_add(rec, SP_ABI_X86_64, "clone3", 0, (uint64_t[]){0x3d0f00}, 1);
	struct sp_policy *p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "clone", true), 1);
	const struct sp_rule *c3 = sp_policy_find(p, "clone3");
	ck_assert_ptr_nonnull(c3);
	ck_assert(sp_action_equal(c3->action, sp_action_errno(ENOSYS)));
	ck_assert(c3->origin & SP_ORIGIN_ENOSYS);
	struct sock_fprog f;
	compile(p, &f);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x01200011, 0, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x3d0f00, 0, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x10000011, 0, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x40000000, 0, 0), RET_ERRNO(EPERM));
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone3", 0, 88, 0), RET_ERRNO(ENOSYS));
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);

	/* clone3 alone with CLONE_NEWNET: clone() rules come from clone3's
	 * namespace combination */
	rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "clone3", 0, (uint64_t[]){0x3d0f00, 0x40000000}, 2);
	p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "clone", true), 2);
	compile(p, &f);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x40000011, 0, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x3d0f00, 0, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_X86_64, SP_ABI_X86_64, "clone", 0x60000000, 0, 0), RET_ERRNO(EPERM));
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);

	/* clone3 with CLONE_INTO_CGROUP: no fallback possible, stays allowed */
	rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "clone", 0, (uint64_t[]){0x01200000}, 1);
	rec_add(rec, SP_ABI_X86_64, "clone3", 0, (uint64_t[]){0x200000000ull}, 1);
	p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	c3 = sp_policy_find(p, "clone3");
	ck_assert(c3 && c3->action.kind == SP_ACT_ALLOW && c3->ncond == 0);
	ck_assert_uint_eq(count_rules(p, "clone", true), 1);
	sp_policy_free(p);
	sp_recording_free(rec);

	/* clone narrowed, clone3 never seen: clone3 gets ENOSYS, not EPERM */
	rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "clone", 0, (uint64_t[]){0x01200000}, 1);
	p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	c3 = sp_policy_find(p, "clone3");
	ck_assert(c3 && sp_action_equal(c3->action, sp_action_errno(ENOSYS)));
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(no_conditional_next_to_unconditional)
{
	struct sp_recording *rec = sp_recording_new();
	rec_add(rec, SP_ABI_X86_64, "socket", 0, (uint64_t[]){1}, 1);
	rec_add(rec, SP_ABI_X86_64, "kill", 1, (uint64_t[]){15}, 1);
	struct sp_policy *p = names_policy(rec);
	/* a separate unconditional rule (e.g. required by the runtime) */
	sp_policy_add_rule(p, "socket", sp_action_allow())->origin = SP_ORIGIN_RUNTIME;
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "socket", true), 0);
	ck_assert_uint_eq(count_rules(p, "socket", false), 1);
	ck_assert_uint_eq(count_rules(p, "kill", true), 1);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(i386_socketcall)
{
	/* i386 program using socketcall(SYS_SOCKET, {AF_UNIX, ...}) and
	 * socketcall(SYS_CONNECT), as recorded by tracer/args (the demuxed
	 * socket entry has 0 calls and the decoded values) */
	struct sp_recording *rec = sp_recording_new();
	rec_add(rec, SP_ABI_I386, "socketcall", 0, (uint64_t[]){1, 3}, 2);
	struct sp_sysc *d = rec_add(rec, SP_ABI_I386, "socket", 0, (uint64_t[]){1}, 1);
	sp_argset_add(&d->args[1], 1);
	d->calls = 0;
	struct sp_policy *p = names_policy(rec);
	sp_argrules_apply(p, rec, NULL);
	ck_assert_uint_eq(count_rules(p, "socketcall", true), 2);
	ck_assert_uint_eq(count_rules(p, "socket", true), 1);
	const struct sp_rule *r = sp_policy_find(p, "socket");
	ck_assert(r->comment && strstr(r->comment, "socketcall"));
	struct sock_fprog f;
	compile(p, &f);
	/* socketcall: by call number only */
	ck_assert_uint_eq(eval(&f, AA_I386, SP_ABI_I386, "socketcall", 1, 0x1000, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_I386, SP_ABI_I386, "socketcall", 3, 0x1000, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_I386, SP_ABI_I386, "socketcall", 2, 0x1000, 0), RET_ERRNO(EPERM));
	/* direct socket (359): domain checked */
	ck_assert_uint_eq(eval(&f, AA_I386, SP_ABI_I386, "socket", 1, 1, 0), RET_ALLOW);
	ck_assert_uint_eq(eval(&f, AA_I386, SP_ABI_I386, "socket", 2, 1, 0), RET_ERRNO(EPERM));
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST


/* A recording like args_victim's, through sp_generate(--args). */
static struct sp_recording *victim_recording(void)
{
	struct sp_recording *rec = sp_recording_new();
	struct sp_sysc *s = rec_add(rec, SP_ABI_X86_64, "socket", 0, (uint64_t[]){1, 2, 16}, 3);
	sp_argset_add(&s->args[1], 1);
	sp_argset_add(&s->args[1], 2);
	sp_argset_add(&s->args[1], 3);
	rec_add(rec, SP_ABI_X86_64, "ioctl", 1, (uint64_t[]){0x5401, 0x541b}, 2);
	rec_add(rec, SP_ABI_X86_64, "clone", 0, (uint64_t[]){0x01200000}, 1);
	rec_add(rec, SP_ABI_X86_64, "clone3", 0, (uint64_t[]){0x3d0f00}, 1);
	rec_add(rec, SP_ABI_X86_64, "mprotect", 2, (uint64_t[]){1, 3}, 2);
	rec_add(rec, SP_ABI_X86_64, "unshare", 0, (uint64_t[]){0x04000000}, 1);
	rec_add(rec, SP_ABI_X86_64, "read", -1, NULL, 0);
	return rec;
}

static char *canon(const struct sp_policy *p, const char *only)
{
	/* "name action cond..." per conditional ALLOW rule or ERRNO rule,
	 * sorted: what must survive a format round trip */
	struct sp_policy *q = sp_policy_new(p->def);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (only && strcmp(r->name, only))
			continue;
		struct sp_rule *c = sp_policy_add_rule(q, r->name, r->action);
		c->ncond = r->ncond;
		memcpy(c->cond, r->cond, sizeof(c->cond));
	}
	sp_policy_sort(q);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < q->nrules; i++) {
		const struct sp_rule *r = &q->rules[i];
		char a[32];
		fprintf(f, "%s %s", r->name, sp_action_str(r->action, a, sizeof(a)));
		for (unsigned c = 0; c < r->ncond; c++)
			fprintf(f, " %u:%d:%llx:%llx", r->cond[c].arg, r->cond[c].op,
				(unsigned long long)r->cond[c].value, (unsigned long long)r->cond[c].value2);
		fputc('\n', f);
	}
	fclose(f);
	sp_policy_free(q);
	return buf;
}

static struct sp_policy *through(const struct sp_policy *p, const char *format)
{
	const struct sp_format *fmt = sp_format_find(format);
	ck_assert_msg(fmt && fmt->write_policy && fmt->read_policy, "%s", format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sp_err err = {0};
	ck_assert_msg(fmt->write_policy(f, p, NULL, &err) == 0, "%s: %s", format, err.msg);
	fclose(f);
	struct sp_policy *q = NULL;
	ck_assert_msg(fmt->read_policy(format, buf, len, NULL, &q, &err) == 0, "%s: %s\n%s", format, err.msg, buf);
	free(buf);
	return q;
}

START_TEST(round_trip)
{
	struct sp_recording *rec = victim_recording();
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.args = true;
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(count_rules(p, "socket", true), 9);
	ck_assert_uint_eq(count_rules(p, "ioctl", true), 2);
	ck_assert_uint_eq(count_rules(p, "clone", true), 1);
	ck_assert_uint_eq(count_rules(p, "mprotect", true), 2);
	ck_assert_uint_eq(count_rules(p, "unshare", true), 1);
	ck_assert(sp_action_equal(sp_policy_find(p, "clone3")->action, sp_action_errno(ENOSYS)));
	char *want = canon(p, NULL);
	static const char *const full[] = {"docker", "oci", "k8s"};
	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
		struct sp_policy *q = through(p, full[i]);
		char *got = canon(q, NULL);
		ck_assert_msg(!strcmp(want, got), "%s:\n%s\nwant:\n%s", full[i], got, want);
		free(got);
		sp_policy_free(q);
	}
	/* yaml (go-seccomp-bpf): BitsNotSet rules survive (W^X, clone
	 * without namespaces), 32-bit equalities are widened to names */
	struct sp_policy *q = through(p, "yaml");
	static const char *const kept[] = {"mprotect", "clone"};
	for (size_t i = 0; i < 2; i++) {
		const char *n = kept[i];
		char *a = canon(p, n), *b = canon(q, n);
		ck_assert_msg(!strcmp(a, b), "yaml %s:\n%s\nwant:\n%s", n, b, a);
		free(a);
		free(b);
	}
	ck_assert(sp_policy_allows(q, "socket"));
	ck_assert(sp_policy_allows(q, "ioctl"));
	ck_assert_uint_eq(count_rules(q, "socket", true), 0);
	/* clone3 was observed: without ENOSYS it must stay allowed */
	ck_assert(sp_policy_allows(q, "clone3"));
	sp_policy_free(q);
	/* systemd: each widened name once, clone3 allowed */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(sp_format_find("systemd")->write_policy(f, p, NULL, &err), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\nSystemCallFilter=clone3\n"));
	char *first = strstr(buf, "\nSystemCallFilter=socket\n");
	ck_assert(first && !strstr(first + 1, "\nSystemCallFilter=socket\n"));
	free(buf);
	free(want);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

/* Many values: up to SP_MAX_ARG_VALUES rules for one name, which every
 * writer must take (the C and bpf code generators have a per-name bound). */
START_TEST(many_values)
{
	struct sp_recording *rec = sp_recording_new();
	struct sp_sysc *s = rec_add(rec, SP_ABI_X86_64, "ioctl", 1, NULL, 0);
	for (uint64_t i = 0; i < SP_MAX_ARG_VALUES; i++)
		sp_argset_add(&s->args[1], 0x5400 + i);
	ck_assert(!s->args[1].overflow);
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.args = true;
	struct sp_policy *p = NULL;
	struct sp_err err = {0};
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(count_rules(p, "ioctl", true), SP_MAX_ARG_VALUES);
	static const char *const fmts[] = {"docker", "oci", "k8s", "c", "bpf", "yaml", "systemd"};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		int r = sp_format_find(fmts[i])->write_policy(f, p, NULL, &err);
		fclose(f);
		ck_assert_msg(r == 0, "%s: %s", fmts[i], err.msg);
		if (!strcmp(fmts[i], "bpf")) {
			const struct sock_filter *prog = (const void *)buf;
			size_t n = len / sizeof(*prog);
			uint64_t a[6] = {0, 0x5400 + SP_MAX_ARG_VALUES - 1, 0, 0, 0, 0};
			ck_assert_uint_eq(sp_bpf_eval(prog, n, AA_X86_64, 16, a), RET_ALLOW);
			a[1] = 0x5400 + SP_MAX_ARG_VALUES;
			ck_assert_uint_eq(sp_bpf_eval(prog, n, AA_X86_64, 16, a), RET_ERRNO(EPERM));
		}
		free(buf);
	}
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

static Suite *argrules_suite(void)
{
	Suite *s = suite_create("argrules");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, socket_cross_product);
	tcase_add_test(tc, ioctl_overflow_origin);
	tcase_add_test(tc, wx);
	tcase_add_test(tc, clone_and_clone3);
	tcase_add_test(tc, no_conditional_next_to_unconditional);
	tcase_add_test(tc, i386_socketcall);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, many_values);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(argrules_suite)
