/* SPDX-License-Identifier: MIT */
/*
 * `c`: a self-contained C header with the filter as a classic-BPF program
 * (formats/bpf_emit.c, our own code generator: the header's user needs no
 * libseccomp), a struct sock_fprog, and an install function.
 *
 * One program per architecture family of the policy, chosen with #if on
 * the compiler's macros (x86_64/x32/i386, aarch64/arm, ...): a build for an
 * ABI the policy does not cover stops at #error instead of installing a
 * filter that kills every call.  Each program checks the architecture
 * first and kills the process on any other ABI, guards the x32 bit on
 * x86_64, binary-searches the syscall numbers and ends in the default
 * action.  Every instruction that tests a syscall names it in a comment.
 *
 * sp_seccomp_install() sets no_new_privs and loads the filter with
 * seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC) so every
 * thread gets it; where seccomp(2) does not exist (Linux < 3.17) it falls
 * back to prctl(PR_SET_SECCOMP), which covers the calling thread only.  It
 * returns 0, or -1 with errno set (ESRCH: another thread could not be
 * synchronised).  The header compiles with -std=c99 -Wall -Wextra -Werror
 * -pedantic.
 */
#include <errno.h>
#include <string.h>

#include "core/abi.h"
#include "core/util.h"
#include "formats/bpf_emit.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

/* Text for a C comment: no "*" followed by "/", no control characters. */
static void put_comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', out);
		else if (s[0] == '*' && s[1] == '/')
			fputs("* ", out);
		else
			fputc(*s, out);
	}
}

static const char *code_name(uint16_t code, char *buf, size_t len)
{
	static const struct {
		uint16_t code;
		const char *name;
	} names[] = {
		{BPF_LD | BPF_W | BPF_ABS, "BPF_LD | BPF_W | BPF_ABS"},
		{BPF_JMP | BPF_JEQ | BPF_K, "BPF_JMP | BPF_JEQ | BPF_K"},
		{BPF_JMP | BPF_JGE | BPF_K, "BPF_JMP | BPF_JGE | BPF_K"},
		{BPF_JMP | BPF_JGT | BPF_K, "BPF_JMP | BPF_JGT | BPF_K"},
		{BPF_JMP | BPF_JA, "BPF_JMP | BPF_JA"},
		{BPF_RET | BPF_K, "BPF_RET | BPF_K"},
		{BPF_ALU | BPF_AND | BPF_K, "BPF_ALU | BPF_AND | BPF_K"},
	};
	for (size_t i = 0; i < SP_ARRAY_SIZE(names); i++)
		if (names[i].code == code)
			return names[i].name;
	snprintf(buf, len, "0x%02x", code);
	return buf;
}

/* The preprocessor test for a build whose syscalls are those of the
 * policy's ABIs in fam. */
static void family_condition(struct sp_buf *b, uint32_t abis)
{
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		const char *t;
		switch ((enum sp_abi)a) {
		case SP_ABI_X86_64: t = "(defined(__x86_64__) && !defined(__ILP32__))"; break;
		case SP_ABI_X32: t = "(defined(__x86_64__) && defined(__ILP32__))"; break;
		case SP_ABI_S390: t = "(defined(__s390__) && !defined(__s390x__))"; break;
		case SP_ABI_MIPSEL: t = "(defined(__mips__) && !defined(__mips64))"; break;
		case SP_ABI_RISCV64: t = "(defined(__riscv) && __riscv_xlen == 64)"; break;
		default: t = NULL; break;
		}
		if (t)
			sp_buf_printf(b, "%s%s", b->len ? " || " : "", t);
		else
			sp_buf_printf(b, "%sdefined(%s)", b->len ? " || " : "", sp_abi_get((enum sp_abi)a)->cpp_macro);
	}
}

static void write_program(FILE *out, const struct sp_bpf_prog *prog)
{
	fputs("static struct sock_filter sp_seccomp_filter[] = {\n", out);
	for (size_t i = 0; i < prog->len; i++) {
		const struct sock_filter *f = &prog->insns[i];
		char cb[16];
		const char *cn = code_name(f->code, cb, sizeof(cb));
		if (BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) != BPF_JA)
			fprintf(out, "\t/* %4zu */ BPF_JUMP(%s, %#xU, %u, %u),", i, cn, f->k, f->jt, f->jf);
		else
			fprintf(out, "\t/* %4zu */ BPF_STMT(%s, %#xU),", i, cn, f->k);
		if (prog->notes[i]) {
			fputs(" /* ", out);
			put_comment_text(out, prog->notes[i]);
			fputs(" */", out);
		}
		fputs("\n", out);
	}
	fputs("};\n", out);
}

int sp_fmt_c_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	bool explain = o && o->explain;
	char buf[32];
	_cleanup_free_ char *banner = sp_out_banner(o);

	/* Build every program first: nothing is written for a policy we
	 * cannot render. */
	struct sp_bpf_prog progs[SP_ABI_COUNT];
	uint32_t fams[SP_ABI_COUNT];
	size_t nf = 0;
	int r = 0;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
		if (ai->native != ai->abi)
			continue;
		uint32_t fam = sp_abi_family(ai->abi);
		if (!(fam & p->abis))
			continue;
		fams[nf] = fam & p->abis;
		if ((r = sp_bpf_emit(p, fams[nf], &progs[nf], err)) < 0) {
			sp_err_prefix(err, "c");
			goto out;
		}
		nf++;
	}
	if (!nf) {
		r = sp_err_set(err, -EINVAL, "c: the policy names no ABI");
		goto out;
	}

	fputs("/*\n * ", out);
	put_comment_text(out, banner);
	fputs("\n *\n"
	      " * A seccomp allow-list filter.  Self-contained: needs only the kernel's\n"
	      " * uapi headers, no libseccomp.  In one translation unit:\n"
	      " *\n"
	      " *     #include \"THIS_FILE.h\"\n"
	      " *     if (sp_seccomp_install() != 0) { perror(\"seccomp\"); exit(1); }\n"
	      " *\n"
	      " * sp_seccomp_install() sets no_new_privs and loads the filter for every\n"
	      " * thread (SECCOMP_FILTER_FLAG_TSYNC; prctl(PR_SET_SECCOMP) on kernels\n"
	      " * without seccomp(2), covering the calling thread only).  It returns 0,\n"
	      " * or -1 with errno set (ESRCH: another thread could not be synchronised).\n"
	      " *\n",
	      out);
	fprintf(out, " * Default action: %s.  Other ABIs: kill the process.\n * ABIs:", sp_action_str(p->def, buf, sizeof(buf)));
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (p->abis & sp_abi_bit((enum sp_abi)a))
			fprintf(out, " %s", sp_abi_name((enum sp_abi)a));
	fputs(".\n", out);
	struct sp_out_entry *e;
	size_t n;
	sp_out_group(p, &e, &n);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, " *\n * %s%s:\n", sp_action_str(e[i].action, buf, sizeof(buf)),
			e[i].rule ? " (with argument conditions)" : "");
		for (size_t j = 0; j < e[i].nnames; j++) {
			fputs(" *   ", out);
			put_comment_text(out, e[i].names[j]);
			if ((explain || e[i].analysis[j]) && e[i].comments[j]) {
				fputs(": ", out);
				put_comment_text(out, e[i].comments[j]);
			}
			fputs("\n", out);
		}
	}
	sp_out_free(e, n);
	fputs(" */\n"
	      "#ifndef SECCOMP_PROFILE_FILTER_H\n"
	      "#define SECCOMP_PROFILE_FILTER_H\n\n"
	      "#include <errno.h>\n"
	      "#include <linux/filter.h>\n"
	      "#include <linux/seccomp.h>\n"
	      "#include <stddef.h>\n"
	      "#include <sys/prctl.h>\n"
	      "#include <sys/syscall.h>\n"
	      "#include <unistd.h>\n\n"
	      "#ifndef PR_SET_NO_NEW_PRIVS\n#define PR_SET_NO_NEW_PRIVS 38\n#endif\n"
	      "#ifndef SECCOMP_SET_MODE_FILTER\n#define SECCOMP_SET_MODE_FILTER 1\n#endif\n"
	      "#ifndef SECCOMP_FILTER_FLAG_TSYNC\n#define SECCOMP_FILTER_FLAG_TSYNC 1UL\n#endif\n\n",
	      out);
	for (size_t i = 0; i < nf; i++) {
		struct sp_buf cond = SP_BUF_INIT;
		family_condition(&cond, fams[i]);
		fprintf(out, "%s %s\n", i ? "#elif" : "#if", cond.s);
		sp_buf_release(&cond);
		fputs("/* ABIs:", out);
		for (int a = 0; a < SP_ABI_COUNT; a++)
			if (fams[i] & sp_abi_bit((enum sp_abi)a))
				fprintf(out, " %s", sp_abi_name((enum sp_abi)a));
		fprintf(out, "; %zu instructions */\n", progs[i].len);
		write_program(out, &progs[i]);
	}
	fputs("#else\n#error \"seccomp-profile: this policy has no filter for the architecture being built\"\n#endif\n\n",
	      out);
	fputs("static struct sock_fprog sp_seccomp_prog = {\n"
	      "\t(unsigned short)(sizeof(sp_seccomp_filter) / sizeof(sp_seccomp_filter[0])),\n"
	      "\tsp_seccomp_filter,\n"
	      "};\n\n"
	      "static inline int sp_seccomp_install(void)\n"
	      "{\n"
	      "\tif (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)\n"
	      "\t\treturn -1;\n"
	      "#ifdef __NR_seccomp\n"
	      "\t{\n"
	      "\t\t/* declared here: <unistd.h> hides syscall() in strict ISO C modes */\n"
	      "\t\textern long syscall(long number, ...);\n"
	      "\t\tlong r = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,\n"
	      "\t\t\t\t &sp_seccomp_prog);\n"
	      "\t\tif (r == 0)\n"
	      "\t\t\treturn 0;\n"
	      "\t\tif (r > 0) {\n"
	      "\t\t\t/* TSYNC failed: r is the id of a thread that could not be synchronised */\n"
	      "\t\t\terrno = ESRCH;\n"
	      "\t\t\treturn -1;\n"
	      "\t\t}\n"
	      "\t\tif (errno != ENOSYS)\n"
	      "\t\t\treturn -1;\n"
	      "\t}\n"
	      "#endif\n"
	      "\t/* no seccomp(2) (Linux < 3.17): this thread and its future children only */\n"
	      "\treturn prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &sp_seccomp_prog, 0, 0) == 0 ? 0 : -1;\n"
	      "}\n\n"
	      "#endif /* SECCOMP_PROFILE_FILTER_H */\n",
	      out);
	r = sp_out_finish(out, "c", err);
out:
	for (size_t i = 0; i < nf; i++)
		sp_bpf_prog_release(&progs[i]);
	return r;
}
