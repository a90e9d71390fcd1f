/* SPDX-License-Identifier: MIT */
/* generator/generate: recording -> policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "generator/compile.h"
#include "generator/generate.h"
#include "generator/bpf_sim.h"
#include "tests/unit/unit.h"

static struct sp_recording *rec_of(enum sp_abi abi, const char *const *names)
{
	struct sp_recording *rec = sp_recording_new();
	for (size_t i = 0; names[i]; i++) {
		int64_t nr = sp_abi_syscall_nr(abi, names[i]);
		ck_assert_msg(nr >= 0, "%s", names[i]);
		sp_recording_sysc(rec, abi, nr, true)->calls = 1;
	}
	return rec;
}

static const struct sp_rule *find(const struct sp_policy *p, const char *name)
{
	return sp_policy_find(p, name);
}

START_TEST(observed_required_clone3)
{
	const char *const names[] = {"read", "write", "openat", NULL};
	struct sp_recording *rec = rec_of(SP_ABI_X86_64, names);
	struct sp_policy *p;
	struct sp_err err = {0};
	ck_assert_msg(sp_generate(rec, NULL, &p, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64));
	ck_assert(p->def.kind == SP_ACT_ERRNO && p->def.data == EPERM);
	ck_assert(find(p, "read")->origin & SP_ORIGIN_OBSERVED);
	/* the always-needed ones, where they exist */
	ck_assert(find(p, "rt_sigreturn")->origin == SP_ORIGIN_REQUIRED);
	ck_assert(find(p, "restart_syscall") && find(p, "exit") && find(p, "exit_group"));
	ck_assert(find(p, "clock_gettime") && find(p, "gettimeofday"));
	ck_assert_ptr_null(find(p, "sigreturn"));       /* not on x86_64 */
	ck_assert_ptr_null(find(p, "clock_gettime64")); /* not on x86_64 */
	/* clone3 is ENOSYS, not EPERM */
	const struct sp_rule *c3 = find(p, "clone3");
	ck_assert(c3 && c3->action.kind == SP_ACT_ERRNO && c3->action.data == ENOSYS);
	ck_assert_uint_eq(c3->origin, SP_ORIGIN_ENOSYS);
	/* no runtime by default */
	ck_assert_ptr_null(find(p, "capset"));
	/* sorted */
	for (size_t i = 1; i < p->nrules; i++)
		ck_assert_int_le(strcmp(p->rules[i - 1].name, p->rules[i].name), 0);
	sp_policy_free(p);

	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.no_required = true;
	o.runtime = "runc";
	o.def = (struct sp_action){SP_ACT_KILL_PROCESS, 0};
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_ptr_null(find(p, "restart_syscall"));
	ck_assert(find(p, "capset") && find(p, "capset")->origin == SP_ORIGIN_RUNTIME);
	ck_assert(find(p, "clone3")->action.data == ENOSYS); /* kill default: still ENOSYS */
	sp_policy_free(p);

	/* a default of ENOSYS needs no clone3 rule */
	o.def = sp_action_errno(ENOSYS);
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_ptr_null(find(p, "clone3"));
	sp_policy_free(p);
	sp_recording_free(rec);

	/* observed clone3 stays allowed */
	const char *const with3[] = {"clone3", NULL};
	rec = rec_of(SP_ABI_X86_64, with3);
	ck_assert_int_eq(sp_generate(rec, NULL, &p, &err), 0);
	ck_assert(find(p, "clone3")->action.kind == SP_ACT_ALLOW);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

/* futex is required once a process had a second thread: an uncontended
 * run never waits on a lock, a loaded machine does. */
START_TEST(futex_with_threads)
{
	const char *const names[] = {"read", "clone", NULL};
	struct sp_recording *rec = rec_of(SP_ABI_X86_64, names);
	int64_t nr = sp_abi_syscall_nr(SP_ABI_I386, "read");
	sp_recording_sysc(rec, SP_ABI_I386, nr, true)->calls = 1;
	struct sp_policy *p;
	struct sp_err err = {0};

	/* one process, one thread each: no futex */
	rec->meta.processes = 2;
	rec->meta.threads = 2;
	ck_assert_msg(sp_generate(rec, NULL, &p, &err) == 0, "%s", err.msg);
	ck_assert_ptr_null(find(p, "futex"));
	sp_policy_free(p);

	/* a second thread somewhere: futex on both ABIs, futex_time64 only
	 * where it exists (i386) */
	rec->meta.threads = 3;
	ck_assert_msg(sp_generate(rec, NULL, &p, &err) == 0, "%s", err.msg);
	const struct sp_rule *f = find(p, "futex");
	ck_assert(f && f->origin == SP_ORIGIN_REQUIRED);
	ck_assert_uint_eq(f->abis, 0); /* every ABI of the policy */
	const struct sp_rule *f64 = find(p, "futex_time64");
	ck_assert(f64 && f64->abis == sp_abi_bit(SP_ABI_I386));
	sp_policy_free(p);

	/* --no-required drops it like the other required calls */
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.no_required = true;
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_ptr_null(find(p, "futex"));
	sp_policy_free(p);

	/* observed futex keeps its observed origin and gains the required one */
	sp_recording_sysc(rec, SP_ABI_X86_64, sp_abi_syscall_nr(SP_ABI_X86_64, "futex"), true)->calls = 4;
	ck_assert_msg(sp_generate(rec, NULL, &p, &err) == 0, "%s", err.msg);
	ck_assert(find(p, "futex")->origin & SP_ORIGIN_OBSERVED);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(arch_translation)
{
	const char *const names[] = {"open", "stat", "dup2", "fork", "read", "arch_prctl", NULL};
	struct sp_recording *rec = rec_of(SP_ABI_X86_64, names);
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.add_abis = sp_abi_bit(SP_ABI_AARCH64);
	struct sp_policy *p;
	struct sp_err err = {0};
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(p->abis, sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_AARCH64));
	const struct sp_rule *r = find(p, "openat");
	ck_assert(r && (r->origin & SP_ORIGIN_TRANSLATED) && r->abis == sp_abi_bit(SP_ABI_AARCH64));
	ck_assert_str_eq(r->comment, "translated from open for aarch64");
	ck_assert(find(p, "newfstatat") && find(p, "dup3") && find(p, "clone"));
	/* open stays x86_64-only; read covers both (mask 0 = all) */
	ck_assert_uint_eq(find(p, "open")->abis, sp_abi_bit(SP_ABI_X86_64));
	ck_assert_uint_eq(find(p, "read")->abis, 0);
	/* and the compiled filter agrees: openat allowed on aarch64 (56), not on x86_64 */
	struct sock_fprog f;
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, 0xc00000b7u, 56, NULL), 0x7fff0000u);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, 0xc000003eu, 257, NULL), 0x50001u);
	ck_assert_uint_eq(sp_bpf_eval(f.filter, f.len, 0xc000003eu, 2, NULL), 0x7fff0000u);
	free(f.filter);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(unknown_numbers_and_names)
{
	struct sp_recording *rec = sp_recording_new();
	sp_recording_sysc(rec, SP_ABI_X86_64, 0, true)->calls = 1;
	struct sp_sysc *s = sp_recording_sysc(rec, SP_ABI_X86_64, 999, true);
	s->calls = 1;
	ck_assert_ptr_null(s->name);
	struct sp_policy *p;
	struct sp_err err = {0};
	/* a number libseccomp cannot name is a warning, not an error */
	ck_assert_msg(sp_generate(rec, NULL, &p, &err) == 0, "%s", err.msg);
	ck_assert(find(p, "read"));
	sp_policy_free(p);
	/* a name libseccomp does not know is an error naming it and the ABI */
	free(s->name);
	s->name = strdup("no_such_syscall");
	ck_assert_int_lt(sp_generate(rec, NULL, &p, &err), 0);
	ck_assert_msg(strstr(err.msg, "'no_such_syscall'") && strstr(err.msg, "'x86_64'"), "%s", err.msg);
	sp_recording_free(rec);

	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.runtime = "podman";
	ck_assert_int_lt(sp_generate(rec = sp_recording_new(), &o, &p, &err), 0);
	ck_assert(strstr(err.msg, "podman"));
	sp_recording_free(rec);
}
END_TEST

/* The runtime tables (generator/runtime.c) and what --runtime adds. */
START_TEST(runtime_calls)
{
	ck_assert(sp_gen_runtime_ok("any") && sp_gen_runtime_ok("none") && sp_gen_runtime_ok(NULL));
	ck_assert(sp_gen_runtime_ok("runc") && sp_gen_runtime_ok("crun") && sp_gen_runtime_ok("bwrap"));
	ck_assert(!sp_gen_runtime_ok("podman") && !sp_gen_runtime_ok("") && !sp_gen_runtime_ok("RUNC"));
	size_t n;
	const struct sp_gen_runtime *rts = sp_gen_runtimes(&n);
	ck_assert_uint_ge(n, 3);
	for (size_t i = 0; i < n; i++) {
		/* "any" is every OCI runtime, bwrap is not one */
		ck_assert(sp_gen_runtime_selects("any", &rts[i]) == (strcmp(rts[i].name, "bwrap") != 0));
		ck_assert(sp_gen_runtime_selects(rts[i].name, &rts[i]));
		ck_assert(!sp_gen_runtime_selects("none", &rts[i]) && !sp_gen_runtime_selects(NULL, &rts[i]));
		/* sorted, unique, real x86_64 names, each with its reason */
		for (const struct sp_gen_rtcall *c = rts[i].calls; c->name; c++) {
			ck_assert_msg(sp_abi_syscall_nr(SP_ABI_X86_64, c->name) >= 0, "%s", c->name);
			ck_assert_msg(c->why && *c->why, "%s %s", rts[i].name, c->name);
			if (c != rts[i].calls)
				ck_assert_msg(strcmp(c[-1].name, c->name) < 0, "%s: %s", rts[i].name, c->name);
		}
	}

	/* any = the union of runc's and crun's calls, each with its reason */
	const char *const names[] = {"read", NULL};
	struct sp_recording *rec = rec_of(SP_ABI_X86_64, names);
	struct sp_gen_opts o;
	sp_gen_opts_init(&o);
	o.no_required = true;
	o.runtime = "any";
	struct sp_policy *p;
	struct sp_err err = {0};
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	for (size_t i = 0; i < n; i++)
		for (const struct sp_gen_rtcall *c = rts[i].calls; c->name; c++) {
			const struct sp_rule *r = find(p, c->name);
			if (!rts[i].oci)
				continue;
			ck_assert_msg(r, "%s", c->name);
			ck_assert((r->origin & SP_ORIGIN_RUNTIME) && r->action.kind == SP_ACT_ALLOW);
			if (r->origin & SP_ORIGIN_OBSERVED)
				continue; /* observed calls keep their own comment */
			_cleanup_free_ char *want = xasprintf("%s %s", rts[i].name, c->why);
			ck_assert_msg(strstr(r->comment, want), "%s: '%s' lacks '%s'", c->name, r->comment, want);
		}
	/* an observed call keeps its own comment */
	ck_assert(find(p, "read")->origin == (SP_ORIGIN_OBSERVED | SP_ORIGIN_RUNTIME));
	ck_assert(!strncmp(find(p, "read")->comment, "observed:", 9));
	sp_policy_free(p);
	/* bwrap's reaper calls only with bwrap */
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert_ptr_null(find(p, "wait4"));
	sp_policy_free(p);
	o.runtime = "bwrap";
	ck_assert_msg(sp_generate(rec, &o, &p, &err) == 0, "%s", err.msg);
	ck_assert(find(p, "wait4") && find(p, "wait4")->origin == SP_ORIGIN_RUNTIME);
	ck_assert_ptr_null(find(p, "setresuid"));
	sp_policy_free(p);
	sp_recording_free(rec);

	/* a policy input: the runtime's calls are added, an input rule that
	 * denies one of them gives way to the ALLOW */
	p = sp_policy_new(sp_action_errno(EPERM));
	p->abis = sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386);
	sp_policy_add_rule(p, "read", sp_action_allow());
	sp_policy_add_rule(p, "setresgid", (struct sp_action){SP_ACT_KILL_PROCESS, 0});
	sp_gen_add_runtime(p, "crun");
	const struct sp_rule *r = find(p, "setresgid");
	ck_assert(r && r->action.kind == SP_ACT_ALLOW && r->origin == SP_ORIGIN_RUNTIME);
	size_t count = 0;
	for (size_t i = 0; i < p->nrules; i++)
		count += !strcmp(p->rules[i].name, "setresgid");
	ck_assert_uint_eq(count, 1);
	/* on both ABIs where the name exists (i386 has it under this name too) */
	ck_assert_uint_eq(r->abis, 0);
	ck_assert(find(p, "read") && find(p, "setresuid"));
	ck_assert_ptr_null(find(p, "getppid")); /* runc's, not crun's */
	sp_policy_free(p);
}
END_TEST

/* generator/runtime.c carries exactly what scripts/measure-runtime wrote
 * into generator/runtime.measured: a name added by hand, or a measured one
 * left out, fails here. */
START_TEST(runtime_calls_are_measured)
{
	const char *path = SP_SRCDIR "/generator/runtime.measured";
	FILE *f = fopen(path, "r");
	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	size_t n;
	const struct sp_gen_runtime *rts = sp_gen_runtimes(&n);
	size_t in_file[8] = {0}, in_table[8] = {0};
	ck_assert_uint_le(n, 8);
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char rt[32], name[64];
		ck_assert_msg(sscanf(line, "%31[^\t]\t%63[^\t\n]", rt, name) == 2, "%s: bad line '%s'", path, line);
		bool found = false, known = false;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(rts[i].name, rt))
				continue;
			known = true;
			in_file[i]++;
			for (const struct sp_gen_rtcall *c = rts[i].calls; c->name; c++)
				found |= !strcmp(c->name, name);
		}
		ck_assert_msg(known, "%s: runtime '%s' is not in generator/runtime.c", path, rt);
		ck_assert_msg(found, "%s: %s makes '%s', generator/runtime.c lacks it", path, rt, name);
	}
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		for (const struct sp_gen_rtcall *c = rts[i].calls; c->name; c++)
			in_table[i]++;
		ck_assert_msg(in_table[i] == in_file[i], "generator/runtime.c has %zu calls for %s, %s measured %zu",
			      in_table[i], rts[i].name, path, in_file[i]);
	}
}
END_TEST

START_TEST(deterministic)
{
	const char *const a[] = {"write", "read", "close", NULL};
	const char *const b[] = {"close", "write", "read", NULL};
	struct sp_recording *ra = rec_of(SP_ABI_X86_64, a), *rb = rec_of(SP_ABI_X86_64, b);
	struct sp_policy *pa, *pb;
	ck_assert_int_eq(sp_generate(ra, NULL, &pa, NULL), 0);
	ck_assert_int_eq(sp_generate(rb, NULL, &pb, NULL), 0);
	ck_assert_uint_eq(pa->nrules, pb->nrules);
	for (size_t i = 0; i < pa->nrules; i++) {
		ck_assert_str_eq(pa->rules[i].name, pb->rules[i].name);
		ck_assert(sp_action_equal(pa->rules[i].action, pb->rules[i].action));
	}
	sp_policy_free(pa);
	sp_policy_free(pb);
	sp_recording_free(ra);
	sp_recording_free(rb);
}
END_TEST

/* The generated policy, compiled by libseccomp and by our emitter, run in
 * the interpreter: observed + required names allow, clone3 ENOSYS,
 * everything else EPERM, other ABIs and x32 numbers killed. */
START_TEST(generated_allow_deny_table)
{
	const char *const names[] = {"read", "write", "openat", "close", "mmap", "brk", "getdents64", NULL};
	struct sp_recording *rec = rec_of(SP_ABI_X86_64, names);
	struct sp_policy *p;
	struct sp_err err = {0};
	ck_assert_int_eq(sp_generate(rec, NULL, &p, &err), 0);
	struct sock_fprog f;
	ck_assert_msg(sp_compile_bpf(p, NULL, &f, &err) == 0, "%s", err.msg);
	struct sp_bpf_prog e;
	ck_assert_msg(sp_bpf_emit(p, 0, &e, &err) == 0, "%s", err.msg);
	const char *const *req = sp_gen_required_names();
	for (int nr = 0; nr <= 1100; nr++) {
		char *n = sp_abi_syscall_name(SP_ABI_X86_64, nr);
		uint32_t want = 0x50001u;
		for (size_t i = 0; n && names[i]; i++)
			if (!strcmp(n, names[i]))
				want = 0x7fff0000u;
		for (size_t i = 0; n && req[i]; i++)
			if (!strcmp(n, req[i]))
				want = 0x7fff0000u;
		if (n && !strcmp(n, "clone3"))
			want = 0x50000u | ENOSYS;
		ck_assert_msg(sp_bpf_eval(f.filter, f.len, 0xc000003eu, nr, NULL) == want, "libseccomp nr %d (%s)", nr,
			      n ? n : "?");
		ck_assert_msg(sp_bpf_eval(e.insns, e.len, 0xc000003eu, nr, NULL) == want, "ours nr %d (%s)", nr,
			      n ? n : "?");
		ck_assert_uint_eq(sp_bpf_eval(e.insns, e.len, 0xc000003eu, nr | 0x40000000, NULL), 0x80000000u);
		ck_assert_uint_eq(sp_bpf_eval(e.insns, e.len, 0x40000003u, nr, NULL), 0x80000000u);
		free(n);
	}
	free(f.filter);
	sp_bpf_prog_release(&e);
	sp_policy_free(p);
	sp_recording_free(rec);
}
END_TEST

START_TEST(union_of_policies)
{
	struct sp_policy *a = sp_policy_new(sp_action_errno(EPERM)), *b = sp_policy_new(sp_action_errno(EPERM));
	a->abis = sp_abi_bit(SP_ABI_X86_64);
	b->abis = sp_abi_bit(SP_ABI_I386);
	sp_policy_add_rule(a, "read", sp_action_allow());
	sp_policy_add_rule(a, "clone3", sp_action_errno(ENOSYS));
	sp_policy_add_rule(b, "read", sp_action_allow());
	sp_policy_add_rule(b, "clone3", sp_action_allow());
	sp_policy_add_rule(b, "mmap2", sp_action_allow());
	sp_gen_union(a, b);
	ck_assert_uint_eq(a->abis, sp_abi_bit(SP_ABI_X86_64) | sp_abi_bit(SP_ABI_I386));
	ck_assert_uint_eq(a->nrules, 3);
	ck_assert_uint_eq(find(a, "read")->abis, 0); /* both ABIs = all */
	ck_assert_uint_eq(find(a, "mmap2")->abis, sp_abi_bit(SP_ABI_I386));
	ck_assert(find(a, "clone3")->action.kind == SP_ACT_ALLOW); /* allow wins */
	sp_policy_free(a);
	sp_policy_free(b);
}
END_TEST

static Suite *generate_suite(void)
{
	Suite *s = suite_create("generate");
	TCase *tc = tcase_create("generate");
	tcase_add_test(tc, observed_required_clone3);
	tcase_add_test(tc, arch_translation);
	tcase_add_test(tc, futex_with_threads);
	tcase_add_test(tc, unknown_numbers_and_names);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, generated_allow_deny_table);
	tcase_add_test(tc, union_of_policies);
	tcase_add_test(tc, runtime_calls);
	tcase_add_test(tc, runtime_calls_are_measured);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(generate_suite)
