/* SPDX-License-Identifier: MIT */
/*
 * Generated filters are not bypassable: end to end from a recording.
 *
 * For a recording of a small x86_64 program (the same names as
 * tests/integration/data/attack.recording.json, plus socket and SysV IPC
 * calls so that the i386 multiplexers matter), and for several generate
 * options, three programs are built from the generated policy:
 *   - ours: formats/bpf_emit.c, which the `c` header and `bpf` file carry;
 *   - libseccomp's filter of the same policy (generator/compile.c);
 *   - run's: the policy written as a Docker profile, read back by the
 *     Docker reader and compiled by libseccomp, as `run`/`check` enforce it
 *     (Docker names are arch-neutral, so this one may allow a translated
 *     name on every ABI: docs/formats.md).
 * They run in generator/bpf_sim.c over every syscall number 0..1100 of
 * every ABI's arch value (and an unknown one), the x32 range, -1 and
 * numbers above the tables, the multiplexers with sub-calls 0..20.  Ours
 * and libseccomp's must decide the same everywhere, and all three must
 * hold the properties: another ABI (int 0x80 from x86_64) and x32 numbers
 * are KILL_PROCESS unless listed, -1 and out-of-table numbers get the
 * default action, and SECCOMP_RET_KILL_THREAD never appears unless it is
 * the default asked for.
 * tests/integration/t_bypass.sh makes the same attacks on a live kernel.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi.h"
#include "core/recording.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "formats/read.h"
#include "formats/writers.h"
#include "generator/compile.h"
#include "generator/generate.h"
#include "generator/bpf_sim.h"
#include "tests/unit/unit.h"

static const char *const recorded[] = {
	"access", "arch_prctl", "brk", "clone3", "close", "execve", "exit", "exit_group", "futex", "getpid",
	"getrandom", "madvise", "mmap", "mprotect", "munmap", "newfstatat", "fstat", "openat", "pread64",
	"prlimit64", "read", "rseq", "rt_sigaction", "rt_sigprocmask", "set_robust_list", "set_tid_address",
	"write", "prctl", "seccomp", "socket", "connect", "sendto", "shmget", "semtimedop", NULL,
};

static struct sp_recording *recording(void)
{
	struct sp_recording *rec = sp_recording_new();
	for (size_t i = 0; recorded[i]; i++) {
		int64_t nr = sp_abi_syscall_nr(SP_ABI_X86_64, recorded[i]);
		ck_assert_msg(nr >= 0, "%s", recorded[i]);
		sp_recording_sysc(rec, SP_ABI_X86_64, nr, true)->calls = 1;
	}
	return rec;
}

struct variant {
	const char *what;
	uint32_t add_abis;
	struct sp_action def;
};

static void check_variant(const struct variant *v)
{
	struct sp_err err = {0};
	struct sp_recording *rec = recording();
	struct sp_gen_opts go;
	sp_gen_opts_init(&go);
	go.add_abis = v->add_abis;
	go.def = v->def;
	struct sp_policy *p = NULL;
	ck_assert_msg(sp_generate(rec, &go, &p, &err) == 0, "%s: %s", v->what, err.msg);

	struct sp_bpf_prog ours;
	ck_assert_msg(sp_bpf_emit(p, 0, &ours, &err) == 0, "%s: %s", v->what, err.msg);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct sp_write_opts wo = {0};
	ck_assert_msg(sp_fmt_docker_write(f, p, &wo, &err) == 0, "%s: %s", v->what, err.msg);
	fclose(f);
	static const struct sp_read_opts host = {.kernel = "6.1.0", .arch = "x86_64"};
	struct sp_policy *q = NULL;
	ck_assert_msg(sp_fmt_docker_read("gen.json", text, len, &host, &q, &err) == 0, "%s: %s", v->what, err.msg);
	ck_assert_uint_eq(q->abis, p->abis);
	struct sock_fprog lib, run;
	ck_assert_msg(sp_compile_bpf(p, NULL, &lib, &err) == 0, "%s: %s", v->what, err.msg);
	ck_assert_msg(sp_compile_bpf(q, NULL, &run, &err) == 0, "%s: %s", v->what, err.msg);

	uint32_t def = sp_action_seccomp_ret(p->def);
	bool kill_thread_asked = p->def.kind == SP_ACT_KILL_THREAD;
	uint32_t arches[SP_ABI_COUNT + 1];
	size_t na = 0;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (a != SP_ABI_X32)
			arches[na++] = sp_abi_get((enum sp_abi)a)->audit_arch;
	arches[na++] = 0x12345678u;
	static const int64_t extra[] = {-1, 1100, 0x3fffffff, 0x7fffffff, (int64_t)0x80000000u, 0xffffffff};
	size_t checks = 0, allowed = 0;
	for (size_t a = 0; a < na; a++) {
		enum sp_abi abi = sp_abi_classify(arches[a], 0);
		bool listed = abi != SP_ABI_UNKNOWN && (p->abis & sp_abi_bit(abi));
		bool narrow = !(arches[a] & 0x80000000u);
		int64_t mux1 = abi == SP_ABI_UNKNOWN ? -2 : sp_abi_syscall_nr(abi, "socketcall");
		int64_t mux2 = abi == SP_ABI_UNKNOWN ? -2 : sp_abi_syscall_nr(abi, "ipc");
		for (int64_t i = -(int64_t)SP_ARRAY_SIZE(extra); i < 2 * 1101; i++) {
			int64_t nr = i < 0 ? extra[-i - 1] : i <= 1100 ? i : 0x40000000 + (i - 1101);
			bool x32nr = nr >= 0x40000000 && nr < 0x80000000 && arches[a] == 0xc000003eu;
			int nsub = nr == mux1 || nr == mux2 ? 21 : 1;
			for (int sub = 0; sub < nsub; sub++) {
				uint64_t args[6] = {(uint64_t)sub, 0, 0, 0, 0, 0};
				if (!narrow)
					args[1] = 0x100000000ull; /* high half set where it can be */
				uint32_t want = sp_bpf_eval(lib.filter, lib.len, arches[a], (int)nr, args);
				uint32_t got = sp_bpf_eval(ours.insns, ours.len, arches[a], (int)nr, args);
				uint32_t viarun = sp_bpf_eval(run.filter, run.len, arches[a], (int)nr, args);
				ck_assert_msg(got == want, "%s: arch %#x nr %lld sub %d: header %#x, libseccomp %#x",
					      v->what, arches[a], (long long)nr, sub, got, want);
				const uint32_t verdicts[] = {got, viarun};
				for (size_t k = 0; k < SP_ARRAY_SIZE(verdicts); k++) {
					uint32_t r = verdicts[k];
					const char *who = k ? "run" : "header";
					ck_assert_msg(r != SECCOMP_RET_KILL_THREAD || kill_thread_asked,
						      "%s %s: arch %#x nr %lld: KILL_THREAD", v->what, who, arches[a],
						      (long long)nr);
					if (!listed)
						ck_assert_msg(r == SECCOMP_RET_KILL_PROCESS, "%s %s: arch %#x not listed: %#x",
							      v->what, who, arches[a], r);
					else if (x32nr && !(p->abis & sp_abi_bit(SP_ABI_X32)) && nr != 0xffffffff)
						ck_assert_msg(r == SECCOMP_RET_KILL_PROCESS, "%s %s: x32 nr %#llx: %#x",
							      v->what, who, (unsigned long long)nr, r);
					else if (nr == -1 || nr == 1100 || nr == 0x3fffffff)
						ck_assert_msg(r == def, "%s %s: arch %#x nr %lld: %#x, default %#x", v->what,
							      who, arches[a], (long long)nr, r, def);
				}
				checks++;
				allowed += got == SECCOMP_RET_ALLOW;
			}
		}
	}
	ck_assert_uint_gt(allowed, 30);
	ck_assert_uint_gt(checks, 20000);
	free(lib.filter);
	free(run.filter);
	free(text);
	sp_bpf_prog_release(&ours);
	sp_policy_free(q);
	sp_policy_free(p);
	sp_recording_free(rec);
}

START_TEST(x86_64_only)
{
	check_variant(&(struct variant){"x86_64", 0, sp_action_errno(EPERM)});
}
END_TEST

START_TEST(with_i386)
{
	/* int 0x80 is then allowed for the translated names, and the i386
	 * socket/IPC calls also through socketcall/ipc */
	check_variant(&(struct variant){"+i386", sp_abi_bit(SP_ABI_I386), sp_action_errno(EPERM)});
}
END_TEST

START_TEST(with_i386_and_x32)
{
	check_variant(&(struct variant){"+i386+x32", sp_abi_bit(SP_ABI_I386) | sp_abi_bit(SP_ABI_X32),
					 sp_action_errno(ENOSYS)});
}
END_TEST

START_TEST(default_kill)
{
	check_variant(&(struct variant){"kill", sp_abi_bit(SP_ABI_I386), {SP_ACT_KILL_PROCESS, 0}});
}
END_TEST

START_TEST(default_kill_thread_when_asked)
{
	check_variant(&(struct variant){"kill-thread", 0, {SP_ACT_KILL_THREAD, 0}});
}
END_TEST

static Suite *bypass_suite(void)
{
	Suite *s = suite_create("bypass");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, x86_64_only);
	tcase_add_test(tc, with_i386);
	tcase_add_test(tc, with_i386_and_x32);
	tcase_add_test(tc, default_kill);
	tcase_add_test(tc, default_kill_thread_when_asked);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(bypass_suite)
