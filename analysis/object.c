/* SPDX-License-Identifier: MIT */
/*
 * One ELF object: headers and symbols through libelf, code through
 * capstone.  Two passes over the code: the first decodes every instruction
 * into a compact record (kind, target, immediate); the second, once all
 * branch targets and function starts are known, tracks the system-call
 * number register per basic block and builds the call graph.
 */
#include "analysis/object.h"

#include "analysis/capstone.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/recording.h"
#include "core/util.h"

/* qsort() without the undefined behaviour of a NULL, empty array. */
static void sort_(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void sp_nrset_or(struct sp_nrset *dst, const struct sp_nrset *src)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(dst->w); i++)
		dst->w[i] |= src->w[i];
	dst->unknown |= src->unknown;
}

size_t sp_nrset_count(const struct sp_nrset *s)
{
	size_t n = 0;
	for (size_t i = 0; i < SP_ARRAY_SIZE(s->w); i++)
		n += (size_t)__builtin_popcountll(s->w[i]);
	return n;
}

/* ---- decoded instructions ------------------------------------------------ */

enum insn_kind {
	I_OTHER,
	I_SETREG,  /* register dst = imm (target) */
	I_MOVREG,  /* register dst = register src */
	I_SYSCALL,
	I_CALL,    /* direct: target */
	I_JMP,     /* direct unconditional: target */
	I_JCC,     /* direct conditional: target */
	I_CALL_GOT, /* through a GOT slot: target = slot address */
	I_JMP_GOT,
	I_INDIRECT, /* call/jmp through a register or other memory */
	I_RET,
	I_ADDR,    /* takes a code address: target */
};

/* Registers are tracked by number: x86 rax=0, rcx, rdx, rbx, rsp, rbp,
 * rsi, rdi, r8..r15 (so the number register is 0); aarch64 x0..x30 (the
 * number register is 8).  wmask: the registers the instruction writes. */
#define NOREG 0xff

struct insn {
	uint64_t addr;
	uint64_t target; /* or the immediate for I_SETREG */
	uint32_t wmask;
	uint8_t kind;
	uint8_t size;
	uint8_t dst, src;
};

struct code {
	struct insn *v;
	size_t n, cap;
};

static void code_add(struct code *c, const struct insn *in)
{
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = *in;
}

/* The general-purpose register behind r (any width), or NOREG; *full is
 * false for 8- and 16-bit names (a write leaves the rest of the register). */
static unsigned x86_gpr(x86_reg r, bool *full)
{
	static const x86_reg names[16][5] = {
		{X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL, X86_REG_AH},
		{X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL, X86_REG_CH},
		{X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL, X86_REG_DH},
		{X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL, X86_REG_BH},
		{X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL, X86_REG_INVALID},
		{X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL, X86_REG_INVALID},
		{X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL, X86_REG_INVALID},
		{X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL, X86_REG_INVALID},
		{X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B, X86_REG_INVALID},
		{X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B, X86_REG_INVALID},
		{X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B, X86_REG_INVALID},
		{X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B, X86_REG_INVALID},
		{X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B, X86_REG_INVALID},
		{X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B, X86_REG_INVALID},
		{X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B, X86_REG_INVALID},
		{X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B, X86_REG_INVALID},
	};
	if (r == X86_REG_INVALID)
		return NOREG;
	for (unsigned i = 0; i < 16; i++)
		for (unsigned k = 0; k < 5; k++)
			if (names[i][k] == r) {
				*full = k < 2;
				return i;
			}
	return NOREG;
}

static uint32_t x86_wmask(const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;
	uint32_t m = 0;
	bool full;
	for (unsigned i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG && (x->operands[i].access & CS_AC_WRITE)) {
			unsigned g = x86_gpr(x->operands[i].reg, &full);
			if (g != NOREG)
				m |= 1u << g;
		}
	for (unsigned i = 0; i < in->detail->regs_write_count; i++) {
		unsigned g = x86_gpr((x86_reg)in->detail->regs_write[i], &full);
		if (g != NOREG)
			m |= 1u << g;
	}
	return m;
}

/* got_base: the i386 PIC register's value (.got.plt), for `jmp *off(%ebx)`. */
static enum insn_kind x86_classify(const struct sp_cs *cs, csh h, const cs_insn *in, bool is64, uint64_t got_base, struct insn *out)
{
	const cs_x86 *x = &in->detail->x86;
	uint64_t next = in->address + in->size;
	bool full = false;
	switch (in->id) {
	case X86_INS_SYSCALL:
	case X86_INS_SYSENTER:
		return I_SYSCALL;
	case X86_INS_INT:
		if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM && x->operands[0].imm == 0x80)
			return I_SYSCALL;
		return I_OTHER;
	case X86_INS_RET:
	case X86_INS_RETF:
		return I_RET;
	case X86_INS_CALL:
	case X86_INS_JMP: {
		bool call = in->id == X86_INS_CALL;
		if (x->op_count != 1)
			return I_INDIRECT;
		const cs_x86_op *op = &x->operands[0];
		if (op->type == X86_OP_IMM) {
			out->target = (uint64_t)op->imm;
			return call ? I_CALL : I_JMP;
		}
		if (op->type == X86_OP_MEM) {
			/* i386: the vDSO entry is called through %gs:0x10
			 * (glibc's I386_USE_SYSENTER path). */
			if (!is64 && call && op->mem.segment == X86_REG_GS && op->mem.base == X86_REG_INVALID &&
			    op->mem.index == X86_REG_INVALID && op->mem.disp == 0x10)
				return I_SYSCALL;
			if (op->mem.index == X86_REG_INVALID && op->mem.segment == X86_REG_INVALID) {
				if (op->mem.base == X86_REG_RIP) {
					out->target = next + (uint64_t)op->mem.disp;
					return call ? I_CALL_GOT : I_JMP_GOT;
				}
				if (!is64 && op->mem.base == X86_REG_EBX && got_base) {
					out->target = (uint32_t)(got_base + (uint64_t)op->mem.disp);
					return call ? I_CALL_GOT : I_JMP_GOT;
				}
				if (!is64 && op->mem.base == X86_REG_INVALID) {
					out->target = (uint32_t)op->mem.disp;
					return call ? I_CALL_GOT : I_JMP_GOT;
				}
			}
		}
		return I_INDIRECT;
	}
	case X86_INS_LEA:
		if (x->op_count == 2 && x->operands[1].type == X86_OP_MEM && x->operands[1].mem.base == X86_REG_RIP &&
		    x->operands[1].mem.index == X86_REG_INVALID) {
			out->target = next + (uint64_t)x->operands[1].mem.disp;
			return I_ADDR;
		}
		break;
	case X86_INS_MOV:
		if (x->op_count == 2 && x->operands[0].type == X86_OP_REG) {
			unsigned d = x86_gpr(x->operands[0].reg, &full);
			if (d == NOREG || !full)
				break;
			if (x->operands[1].type == X86_OP_IMM) {
				out->dst = (uint8_t)d;
				out->target = (uint64_t)x->operands[1].imm;
				if (!is64 || x->operands[0].size == 4)
					out->target = (uint32_t)out->target;
				return I_SETREG;
			}
			bool sfull = false;
			unsigned r = x->operands[1].type == X86_OP_REG ? x86_gpr(x->operands[1].reg, &sfull) : NOREG;
			if (r != NOREG && sfull) {
				out->dst = (uint8_t)d;
				out->src = (uint8_t)r;
				return I_MOVREG;
			}
		}
		break;
	case X86_INS_XOR:
	case X86_INS_SUB:
		if (x->op_count == 2 && x->operands[0].type == X86_OP_REG && x->operands[1].type == X86_OP_REG &&
		    x->operands[0].reg == x->operands[1].reg) {
			unsigned d = x86_gpr(x->operands[0].reg, &full);
			if (d != NOREG && full) {
				out->dst = (uint8_t)d;
				out->target = 0;
				return I_SETREG;
			}
		}
		break;
	default:
		break;
	}
	if (cs->insn_group(h, in, X86_GRP_JUMP)) {
		if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
			out->target = (uint64_t)x->operands[0].imm;
			return I_JCC;
		}
		return I_INDIRECT;
	}
	return I_OTHER;
}

/* aarch64: the PLT stub pattern `adrp x16, page; ldr x17, [x16, #off];
 * add x16, x16, #off; br x17` is followed through a tiny register state. */
struct a64_state {
	uint64_t x16;      /* value of x16 from the last adrp, or 0 */
	uint64_t x17_slot; /* GOT slot last loaded into x17, or 0 */
	uint64_t page[32]; /* adrp results per register, for adrp + add */
};

/* x0..x30 (w0..w30 alias them: a 32-bit write zero-extends), or NOREG. */
static unsigned a64_gpr(arm64_reg r)
{
	if (r >= ARM64_REG_X0 && r <= ARM64_REG_X28)
		return (unsigned)(r - ARM64_REG_X0);
	if (r == ARM64_REG_X29)
		return 29;
	if (r == ARM64_REG_X30)
		return 30;
	if (r >= ARM64_REG_W0 && r <= ARM64_REG_W30)
		return (unsigned)(r - ARM64_REG_W0);
	return NOREG;
}

static uint32_t a64_wmask(const cs_insn *in)
{
	const cs_arm64 *a = &in->detail->arm64;
	uint32_t m = 0;
	for (unsigned i = 0; i < a->op_count; i++)
		if (a->operands[i].type == ARM64_OP_REG && (a->operands[i].access & CS_AC_WRITE)) {
			unsigned g = a64_gpr(a->operands[i].reg);
			if (g != NOREG)
				m |= 1u << g;
		}
	for (unsigned i = 0; i < in->detail->regs_write_count; i++) {
		unsigned g = a64_gpr((arm64_reg)in->detail->regs_write[i]);
		if (g != NOREG)
			m |= 1u << g;
	}
	return m;
}

static enum insn_kind a64_classify(const cs_insn *in, struct a64_state *st, struct insn *out)
{
	const cs_arm64 *a = &in->detail->arm64;
	switch (in->id) {
	case ARM64_INS_SVC:
		return a->op_count == 1 && a->operands[0].imm == 0 ? I_SYSCALL : I_OTHER;
	case ARM64_INS_BL:
		if (a->op_count == 1 && a->operands[0].type == ARM64_OP_IMM) {
			out->target = (uint64_t)a->operands[0].imm;
			return I_CALL;
		}
		return I_INDIRECT;
	case ARM64_INS_B:
		if (a->op_count == 1 && a->operands[0].type == ARM64_OP_IMM) {
			out->target = (uint64_t)a->operands[0].imm;
			return a->cc == ARM64_CC_INVALID || a->cc == ARM64_CC_AL ? I_JMP : I_JCC;
		}
		return I_INDIRECT;
	case ARM64_INS_CBZ:
	case ARM64_INS_CBNZ:
	case ARM64_INS_TBZ:
	case ARM64_INS_TBNZ:
		if (a->op_count && a->operands[a->op_count - 1].type == ARM64_OP_IMM) {
			out->target = (uint64_t)a->operands[a->op_count - 1].imm;
			return I_JCC;
		}
		return I_OTHER;
	case ARM64_INS_BR:
	case ARM64_INS_BLR:
		if (a->op_count == 1 && a->operands[0].type == ARM64_OP_REG && a->operands[0].reg == ARM64_REG_X17 &&
		    st->x17_slot) {
			out->target = st->x17_slot;
			return in->id == ARM64_INS_BR ? I_JMP_GOT : I_CALL_GOT;
		}
		return I_INDIRECT;
	case ARM64_INS_RET:
		return I_RET;
	case ARM64_INS_ADRP:
	case ARM64_INS_ADR:
		if (a->op_count == 2 && a->operands[0].type == ARM64_OP_REG && a->operands[1].type == ARM64_OP_IMM) {
			unsigned r = a64_gpr(a->operands[0].reg);
			if (r < 32)
				st->page[r] = (uint64_t)a->operands[1].imm;
			if (a->operands[0].reg == ARM64_REG_X16)
				st->x16 = (uint64_t)a->operands[1].imm;
			if (in->id == ARM64_INS_ADR) {
				out->target = (uint64_t)a->operands[1].imm;
				return I_ADDR;
			}
		}
		break;
	case ARM64_INS_LDR:
		if (a->op_count == 2 && a->operands[0].type == ARM64_OP_REG && a->operands[0].reg == ARM64_REG_X17 &&
		    a->operands[1].type == ARM64_OP_MEM && a->operands[1].mem.base == ARM64_REG_X16 && st->x16)
			st->x17_slot = st->x16 + (uint64_t)a->operands[1].mem.disp;
		break;
	case ARM64_INS_ADD:
		/* adrp xN, page; add xM, xN, #lo: an address (function
		 * pointers are built this way). */
		if (a->op_count == 3 && a->operands[1].type == ARM64_OP_REG && a->operands[2].type == ARM64_OP_IMM) {
			unsigned r = a64_gpr(a->operands[1].reg);
			if (r < 32 && st->page[r]) {
				out->target = st->page[r] + (uint64_t)a->operands[2].imm;
				return I_ADDR;
			}
		}
		break;
	case ARM64_INS_MOV:
	case ARM64_INS_MOVZ:
		if (a->op_count == 2 && a->operands[0].type == ARM64_OP_REG) {
			unsigned d = a64_gpr(a->operands[0].reg);
			if (d == NOREG)
				break;
			if (a->operands[1].type == ARM64_OP_IMM && a->operands[1].shift.value == 0) {
				out->dst = (uint8_t)d;
				out->target = (uint64_t)a->operands[1].imm;
				if (a->operands[0].reg >= ARM64_REG_W0 && a->operands[0].reg <= ARM64_REG_W30)
					out->target = (uint32_t)out->target;
				return I_SETREG;
			}
			if (a->operands[1].type == ARM64_OP_REG && a64_gpr(a->operands[1].reg) != NOREG &&
			    in->id == ARM64_INS_MOV) {
				out->dst = (uint8_t)d;
				out->src = (uint8_t)a64_gpr(a->operands[1].reg);
				return I_MOVREG;
			}
		}
		break;
	default:
		break;
	}
	return I_OTHER;
}

struct xsec {
	uint64_t addr, size;
	const uint8_t *bytes;
	const char *name;
};

static int disassemble(const struct sp_obj *o, const struct xsec *secs, size_t nsecs, uint64_t got_base,
		       struct code *c, struct sp_err *err)
{
	cs_arch arch;
	cs_mode mode;
	switch (o->machine) {
	case EM_X86_64:
		arch = CS_ARCH_X86;
		mode = o->elfclass == ELFCLASS64 ? CS_MODE_64 : CS_MODE_64; /* x32 code is 64-bit code */
		break;
	case EM_386:
		arch = CS_ARCH_X86;
		mode = CS_MODE_32;
		break;
	case EM_AARCH64:
		arch = CS_ARCH_ARM64;
		mode = CS_MODE_ARM;
		break;
	default:
		return sp_err_set(err, -ENOTSUP, "'%s': unsupported machine %u", o->path, o->machine);
	}
	const struct sp_cs *cs;
	int r = sp_cs_get(&cs, err);
	if (r < 0)
		return r;
	csh h;
	if (cs->open(arch, mode, &h) != CS_ERR_OK)
		return sp_err_set(err, -ENOMEM, "capstone: cannot open a disassembler for '%s'", o->path);
	cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
	cs_insn *in = cs->malloc(h);
	bool is64 = o->machine != EM_386;
	unsigned step = arch == CS_ARCH_ARM64 ? 4 : 1;
	for (size_t s = 0; s < nsecs; s++) {
		const uint8_t *p = secs[s].bytes;
		size_t left = secs[s].size;
		uint64_t addr = secs[s].addr;
		struct a64_state st;
		memset(&st, 0, sizeof(st));
		while (left) {
			if (!cs->disasm_iter(h, &p, &left, &addr, in)) {
				/* data or padding capstone cannot decode: skip it */
				size_t k = left < step ? left : step;
				p += k;
				left -= k;
				addr += k;
				continue;
			}
			struct insn rec = {.addr = in->address, .size = (uint8_t)in->size, .dst = NOREG, .src = NOREG};
			enum insn_kind k = arch == CS_ARCH_X86 ? x86_classify(cs, h, in, is64, got_base, &rec)
								: a64_classify(in, &st, &rec);
			rec.kind = (uint8_t)k;
			rec.wmask = arch == CS_ARCH_X86 ? x86_wmask(in) : a64_wmask(in);
			if (k == I_RET || k == I_JMP || k == I_JMP_GOT || k == I_INDIRECT)
				memset(&st, 0, sizeof(st));
			code_add(c, &rec);
		}
	}
	cs->free(in, 1);
	cs->close(&h);
	return 0;
}

/* ---- ELF ------------------------------------------------------------------ */

struct names {
	char **v;
	size_t n, cap;
};

static const char *names_add(struct names *ns, const char *s)
{
	xgrow((void **)&ns->v, &ns->cap, ns->n + 1, sizeof(char *));
	ns->v[ns->n] = xstrdup(s);
	return ns->v[ns->n++];
}

struct sym {
	uint64_t addr;
	const char *name;
	bool dyn_export;
};

struct slot {
	uint64_t addr;
	uint32_t sym; /* dynsym index, or UINT32_MAX for IRELATIVE */
};

struct pending_call {
	uint64_t addr, target; /* target: code address, or GOT slot when got */
	int64_t arg0;          /* first argument when constant, else SP_NR_UNKNOWN */
	uint32_t func;
	bool got;
};

struct scan {
	struct sp_obj *o;
	struct pending_call *calls;
	size_t ncalls, capcalls;
	Elf *elf;
	struct xsec *secs;
	size_t nsecs;
	struct sym *syms;
	size_t nsyms, capsyms;
	struct slot *slots;
	size_t nslots, capslots;
	uint64_t *datarefs;
	size_t ndatarefs, capdatarefs;
	uint64_t *initfns;
	size_t ninitfns, capinitfns;
	/* dynsym, for relocations */
	Elf_Data *dynsym;
	size_t dynstr;
	size_t ndynsym;
	uint64_t got_base;
	size_t capimports;
	struct names names;
};

static bool in_code(const struct scan *sc, uint64_t a)
{
	for (size_t i = 0; i < sc->nsecs; i++)
		if (a >= sc->secs[i].addr && a < sc->secs[i].addr + sc->secs[i].size)
			return true;
	return false;
}

static void add_sym(struct scan *sc, uint64_t addr, const char *name, bool exp)
{
	xgrow((void **)&sc->syms, &sc->capsyms, sc->nsyms + 1, sizeof(*sc->syms));
	sc->syms[sc->nsyms++] = (struct sym){addr, name, exp};
}

static void add_u64(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	xgrow((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = x;
}

/* Reads the bytes at virtual address a from the loaded sections (for init
 * arrays and RELA-less pointers). */
static bool read_addr(struct scan *sc, uint64_t a, void *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(sc->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS || !(sh.sh_flags & SHF_ALLOC))
			continue;
		if (a < sh.sh_addr || a + len > sh.sh_addr + sh.sh_size)
			continue;
		Elf_Data *d = elf_rawdata(scn, NULL);
		if (!d || !d->d_buf || a - sh.sh_addr + len > d->d_size)
			return false;
		memcpy(buf, (const char *)d->d_buf + (a - sh.sh_addr), len);
		return true;
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_symbols(struct scan *sc, Elf_Scn *scn, const GElf_Shdr *sh, bool dynamic)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	if (dynamic) {
		sc->dynsym = d;
		sc->dynstr = sh->sh_link;
		sc->ndynsym = n;
	}
	struct sp_obj *o = sc->o;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			continue;
		const char *name = elf_strptr(sc->elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		int type = GELF_ST_TYPE(s.st_info);
		if (s.st_shndx == SHN_UNDEF) {
			if (dynamic) {
				xgrow((void **)&o->imports, &sc->capimports, o->nimports + 2, sizeof(char *));
				o->imports[o->nimports++] = xstrdup(name);
			}
			continue;
		}
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		int bind = GELF_ST_BIND(s.st_info);
		bool exp = dynamic && (bind == STB_GLOBAL || bind == STB_WEAK) &&
			   GELF_ST_VISIBILITY(s.st_other) == STV_DEFAULT;
		add_sym(sc, s.st_value, names_add(&sc->names, name), exp);
	}
}

/* The relocation types that matter, per machine: a GOT slot bound to a
 * symbol (jump_slot, glob_dat, abs), a pointer to the object itself
 * (relative), an IFUNC's slot (irelative). */
static const struct reloc_types {
	uint16_t machine;
	uint32_t jump_slot, glob_dat, abs, relative, irelative;
} reloc_table[] = {
	{EM_X86_64, R_X86_64_JUMP_SLOT, R_X86_64_GLOB_DAT, R_X86_64_64, R_X86_64_RELATIVE, R_X86_64_IRELATIVE},
	{EM_386, R_386_JMP_SLOT, R_386_GLOB_DAT, R_386_32, R_386_RELATIVE, R_386_IRELATIVE},
	{EM_AARCH64, R_AARCH64_JUMP_SLOT, R_AARCH64_GLOB_DAT, R_AARCH64_ABS64, R_AARCH64_RELATIVE,
	 R_AARCH64_IRELATIVE},
};

static void read_relocs(struct scan *sc, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !sh->sh_entsize)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	uint16_t m = sc->o->machine;
	for (size_t i = 0; i < n; i++) {
		uint64_t off, addend = 0;
		uint32_t type, sym;
		bool has_addend = sh->sh_type == SHT_RELA;
		if (has_addend) {
			GElf_Rela r;
			if (!gelf_getrela(d, (int)i, &r))
				continue;
			off = r.r_offset;
			type = (uint32_t)GELF_R_TYPE(r.r_info);
			sym = (uint32_t)GELF_R_SYM(r.r_info);
			addend = (uint64_t)r.r_addend;
		} else {
			GElf_Rel r;
			if (!gelf_getrel(d, (int)i, &r))
				continue;
			off = r.r_offset;
			type = (uint32_t)GELF_R_TYPE(r.r_info);
			sym = (uint32_t)GELF_R_SYM(r.r_info);
		}
		const struct reloc_types *rt = NULL;
		for (size_t k = 0; k < SP_ARRAY_SIZE(reloc_table) && !rt; k++)
			if (reloc_table[k].machine == m)
				rt = &reloc_table[k];
		if (!rt)
			return;
		bool jump = type == rt->jump_slot, glob = type == rt->glob_dat || type == rt->abs;
		bool rel = type == rt->relative, irel = type == rt->irelative;
		if ((jump || glob) && sym) {
			xgrow((void **)&sc->slots, &sc->capslots, sc->nslots + 1, sizeof(*sc->slots));
			sc->slots[sc->nslots++] = (struct slot){off, sym};
		} else if (irel) {
			xgrow((void **)&sc->slots, &sc->capslots, sc->nslots + 1, sizeof(*sc->slots));
			sc->slots[sc->nslots++] = (struct slot){off, UINT32_MAX};
		} else if (rel) {
			uint64_t v = addend;
			if (!has_addend) {
				uint32_t w;
				v = read_addr(sc, off, &w, 4) ? w : 0;
			}
			if (v && in_code(sc, v))
				add_u64(&sc->datarefs, &sc->ndatarefs, &sc->capdatarefs, v);
		}
	}
}

#ifndef SHT_RELR
#define SHT_RELR 19
#endif

static void relr_one(struct scan *sc, uint64_t a)
{
	uint64_t v = 0;
	if (sc->o->elfclass == ELFCLASS64) {
		if (!read_addr(sc, a, &v, 8))
			return;
	} else {
		uint32_t w;
		if (!read_addr(sc, a, &w, 4))
			return;
		v = w;
	}
	if (v && in_code(sc, v))
		add_u64(&sc->datarefs, &sc->ndatarefs, &sc->capdatarefs, v);
}

/* DT_RELR (glibc 2.36, Debian 12's libc): relative relocations packed as
 * an address word followed by bitmaps of the next 63 (31) words; the
 * addend is the word in the file. */
static void read_relr(struct scan *sc, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_rawdata(scn, NULL);
	if (!d || !d->d_buf)
		return;
	size_t w = sc->o->elfclass == ELFCLASS64 ? 8 : 4, n = d->d_size / w;
	uint64_t where = 0;
	(void)sh;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = 0;
		memcpy(&e, (const char *)d->d_buf + i * w, w);
		if (!(e & 1)) {
			relr_one(sc, e);
			where = e + w;
			continue;
		}
		for (unsigned b = 0; b < w * 8 - 1; b++)
			if ((e >> (b + 1)) & 1)
				relr_one(sc, where + b * w);
		where += (w * 8 - 1) * w;
	}
}

static void read_dynamic(struct scan *sc, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !sh->sh_entsize)
		return;
	struct sp_obj *o = sc->o;
	size_t n = sh->sh_size / sh->sh_entsize, nneeded = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn dyn;
		if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		const char *s = NULL;
		if (dyn.d_tag == DT_NEEDED || dyn.d_tag == DT_SONAME || dyn.d_tag == DT_RUNPATH || dyn.d_tag == DT_RPATH)
			s = elf_strptr(sc->elf, sh->sh_link, dyn.d_un.d_val);
		switch (dyn.d_tag) {
		case DT_NEEDED:
			if (s) {
				xgrow((void **)&o->needed, &cap, nneeded + 2, sizeof(char *));
				o->needed[nneeded++] = xstrdup(s);
				o->needed[nneeded] = NULL;
			}
			break;
		case DT_SONAME:
			if (s && !o->soname)
				o->soname = xstrdup(s);
			break;
		case DT_RUNPATH:
			if (s && !o->runpath)
				o->runpath = xstrdup(s);
			break;
		case DT_RPATH:
			if (s && !o->rpath)
				o->rpath = xstrdup(s);
			break;
		case DT_INIT:
		case DT_FINI:
			add_u64(&sc->initfns, &sc->ninitfns, &sc->capinitfns, dyn.d_un.d_ptr);
			break;
		}
	}
	if (!o->needed)
		o->needed = xcalloc(1, sizeof(char *));
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* an exported name first, then the shorter one */
	if (x->dyn_export != y->dyn_export)
		return x->dyn_export ? -1 : 1;
	size_t lx = strlen(x->name), ly = strlen(y->name);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->name, y->name);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct sp_obj_export *)a)->name, ((const struct sp_obj_export *)b)->name);
}

static size_t func_of(const struct sp_obj *o, uint64_t a)
{
	size_t lo = 0, hi = o->nfuncs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->funcs[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return SIZE_MAX;
	const struct sp_obj_func *f = &o->funcs[lo - 1];
	return a < f->end ? lo - 1 : SIZE_MAX;
}

static const struct slot *slot_at(const struct scan *sc, uint64_t a)
{
	size_t lo = 0, hi = sc->nslots;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sc->slots[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nslots && sc->slots[lo].addr == a ? &sc->slots[lo] : NULL;
}

static size_t import_index(const struct sp_obj *o, const char *name)
{
	size_t lo = 0, hi = o->nimports;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(o->imports[mid], name);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static void push_u32(uint32_t **v, size_t *n, uint32_t x)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == x)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = x;
}

/* Adds the edge for a reference from function f to code address t. */
static void edge_to_code(struct sp_obj *o, size_t f, uint64_t t)
{
	size_t g = func_of(o, t);
	if (g != SIZE_MAX && g != f)
		push_u32(&o->funcs[f].callees, &o->funcs[f].ncallees, (uint32_t)g);
}

static void edge_via_slot(struct scan *sc, size_t f, uint64_t slot)
{
	struct sp_obj *o = sc->o;
	const struct slot *s = slot_at(sc, slot);
	if (!s || s->sym == UINT32_MAX || !sc->dynsym) {
		o->nindirect++;
		return;
	}
	GElf_Sym sym;
	if (!gelf_getsym(sc->dynsym, (int)s->sym, &sym)) {
		o->nindirect++;
		return;
	}
	if (sym.st_shndx != SHN_UNDEF) {
		/* the object's own (interposable) function */
		edge_to_code(o, f, sym.st_value);
		return;
	}
	const char *name = elf_strptr(sc->elf, sc->dynstr, sym.st_name);
	size_t i = name ? import_index(o, name) : SIZE_MAX;
	if (i == SIZE_MAX) {
		o->nindirect++;
		return;
	}
	struct sp_obj_func *fn = &o->funcs[f];
	push_u32(&fn->imports, &fn->nimports, (uint32_t)i);
}

static int cmp_insn(const void *a, const void *b)
{
	const struct insn *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct regs {
	bool visited;
	uint32_t known;
	uint64_t val[32];
};

/* Meet of two register states: what both agree on. */
static bool regs_meet(struct regs *dst, const struct regs *src)
{
	if (!dst->visited) {
		*dst = *src;
		dst->visited = true;
		return true;
	}
	uint32_t k = dst->known & src->known;
	for (unsigned r = 0; r < 32; r++)
		if ((k & (1u << r)) && dst->val[r] != src->val[r])
			k &= ~(1u << r);
	if (k == dst->known)
		return false;
	dst->known = k;
	return true;
}

static size_t insn_at(const struct insn *v, size_t n, uint64_t a)
{
	size_t l = 0, h = n;
	while (l < h) {
		size_t m = (l + h) / 2;
		if (v[m].addr < a)
			l = m + 1;
		else
			h = m;
	}
	return l < n && v[l].addr == a ? l : SIZE_MAX;
}

static bool ends_block(uint8_t k)
{
	return k == I_JMP || k == I_JCC || k == I_RET || k == I_INDIRECT || k == I_JMP_GOT;
}

/* The effect of one instruction on the register state; *nr receives the
 * number of a system call (SP_NR_UNKNOWN when not constant). */
static void transfer(const struct sp_obj *o, const struct insn *in, struct regs *st, int64_t *nr)
{
	bool x86 = o->machine != EM_AARCH64;
	unsigned nrreg = x86 ? 0 : 8;
	switch ((enum insn_kind)in->kind) {
	case I_SETREG:
		st->known |= 1u << in->dst;
		st->val[in->dst] = in->target;
		return;
	case I_MOVREG:
		if (st->known & (1u << in->src)) {
			st->known |= 1u << in->dst;
			st->val[in->dst] = st->val[in->src];
		} else {
			st->known &= ~(1u << in->dst);
		}
		return;
	case I_SYSCALL:
		*nr = st->known & (1u << nrreg) ? (int64_t)st->val[nrreg] : SP_NR_UNKNOWN;
		if (*nr != SP_NR_UNKNOWN && (o->machine == EM_386 || o->elfclass == ELFCLASS32))
			*nr = (int64_t)(uint32_t)*nr;
		/* the kernel returns in rax (and clobbers rcx, r11) or x0 */
		st->known &= x86 ? ~(1u << 0 | 1u << 1 | 1u << 11) : ~1u;
		break;
	case I_CALL:
	case I_CALL_GOT:
	case I_INDIRECT:
		/* a callee keeps the callee-saved registers of the ABI:
		 * x86_64 rbx, rbp, r12-r15; i386 ebx, esi, edi, ebp;
		 * aarch64 x19-x28 */
		st->known &= o->machine == EM_X86_64 ? (1u << 3 | 1u << 5 | 0xf000u)
			     : o->machine == EM_386  ? (1u << 3 | 1u << 5 | 1u << 6 | 1u << 7)
						     : 0x1ff80000u;
		break;
	default:
		break;
	}
	st->known &= ~in->wmask;
}

/* The import a GOT slot resolves to, or NULL. */
static const char *slot_import(const struct scan *sc, uint64_t slot)
{
	const struct slot *s = slot_at(sc, slot);
	GElf_Sym sym;
	if (!s || s->sym == UINT32_MAX || !sc->dynsym || !gelf_getsym(sc->dynsym, (int)s->sym, &sym) ||
	    sym.st_shndx != SHN_UNDEF)
		return NULL;
	return elf_strptr(sc->elf, sc->dynstr, sym.st_name);
}

static void add_site(struct sp_obj *o, size_t *capsites, uint64_t addr, int64_t nr, size_t f, bool via_libc)
{
	xgrow((void **)&o->sites, capsites, o->nsites + 1, sizeof(*o->sites));
	o->sites[o->nsites++] = (struct sp_obj_site){addr, nr, (uint32_t)f, via_libc};
	int64_t base = sp_abi_nr_base(o->abi);
	if (nr != SP_NR_UNKNOWN && nr >= base && nr - base < SP_NRSET_BITS)
		sp_nrset_add(&o->funcs[f].own, (unsigned)(nr - base));
	else
		o->funcs[f].own.unknown = true;
}

static void scan_function(struct scan *sc, const struct insn *v, size_t n, size_t f, size_t *capsites)
{
	struct sp_obj *o = sc->o;
	bool *leader = xcalloc(n, sizeof(bool));
	struct regs *in = xcalloc(n, sizeof(*in));
	size_t *work = xmalloc(n * sizeof(size_t));
	bool *queued = xcalloc(n, sizeof(bool));
	leader[0] = true;
	for (size_t i = 0; i < n; i++) {
		if (ends_block(v[i].kind) && i + 1 < n)
			leader[i + 1] = true;
		if (v[i].kind == I_JMP || v[i].kind == I_JCC) {
			size_t t = insn_at(v, n, v[i].target);
			if (t != SIZE_MAX)
				leader[t] = true;
		}
	}
	/* Fixpoint from the entry; blocks no branch reaches (after a call
	 * that does not return, padding) start unknown and only feed
	 * blocks that nothing else reaches either. */
	size_t nw = 0;
	struct regs entry = {0};
	regs_meet(&in[0], &entry);
	work[nw++] = 0;
	queued[0] = true;
	bool dead = false;
	for (size_t root = 0; root < n; root++) {
		if (leader[root] && !in[root].visited) {
			dead = true;
			regs_meet(&in[root], &entry);
			in[root].known = 0;
			work[nw++] = root;
			queued[root] = true;
		}
		while (nw) {
			size_t b = work[--nw];
			queued[b] = false;
			struct regs st = in[b];
			size_t i = b;
			for (;; i++) {
				int64_t nr;
				transfer(o, &v[i], &st, &nr);
				if (ends_block(v[i].kind) || i + 1 >= n || leader[i + 1])
					break;
			}
			size_t succ[2], ns = 0;
			if (v[i].kind == I_JMP || v[i].kind == I_JCC) {
				size_t t = insn_at(v, n, v[i].target);
				if (t != SIZE_MAX)
					succ[ns++] = t;
			}
			if (v[i].kind != I_JMP && !ends_block(v[i].kind) && i + 1 < n)
				succ[ns++] = i + 1;
			else if (v[i].kind == I_JCC && i + 1 < n)
				succ[ns++] = i + 1;
			for (size_t k = 0; k < ns; k++)
				if (!(dead && in[succ[k]].visited) && regs_meet(&in[succ[k]], &st) && !queued[succ[k]]) {
					work[nw++] = succ[k];
					queued[succ[k]] = true;
				}
		}
	}
	/* record */
	struct regs st = {0};
	for (size_t i = 0; i < n; i++) {
		if (leader[i])
			st = in[i];
		const struct insn *x = &v[i];
		int64_t nr = SP_NR_UNKNOWN;
		if (x->kind == I_CALL || x->kind == I_CALL_GOT || x->kind == I_JMP || x->kind == I_JMP_GOT) {
			/* the first argument, for calls of libc's syscall()
			 * (resolved in resolve_syscall_calls()) */
			unsigned a0 = o->machine == EM_X86_64 ? 7 : o->machine == EM_AARCH64 ? 0 : NOREG;
			struct pending_call pc = {x->addr, x->target, SP_NR_UNKNOWN, (uint32_t)f,
						  x->kind == I_CALL_GOT || x->kind == I_JMP_GOT};
			if (a0 != NOREG && (st.known & (1u << a0)))
				pc.arg0 = (int64_t)(o->elfclass == ELFCLASS32 ? (uint32_t)st.val[a0] : st.val[a0]);
			xgrow((void **)&sc->calls, &sc->capcalls, sc->ncalls + 1, sizeof(*sc->calls));
			sc->calls[sc->ncalls++] = pc;
		}
		transfer(o, x, &st, &nr);
		switch ((enum insn_kind)x->kind) {
		case I_SYSCALL:
			add_site(o, capsites, x->addr, nr, f, false);
			break;
		case I_CALL:
		case I_JMP:
		case I_JCC:
		case I_ADDR:
			if (in_code(sc, x->target))
				edge_to_code(o, f, x->target);
			break;
		case I_CALL_GOT:
		case I_JMP_GOT:
			edge_via_slot(sc, f, x->target);
			if (x->kind == I_JMP_GOT && i <= 1) {
				const char *name = slot_import(sc, x->target);
				size_t k = name ? import_index(o, name) : SIZE_MAX;
				if (k != SIZE_MAX)
					o->funcs[f].plt_import = (uint32_t)k + 1;
			}
			break;
		case I_INDIRECT:
			o->nindirect++;
			break;
		default:
			break;
		}
	}
	free(leader);
	free(in);
	free(work);
	free(queued);
}

/* A PLT stub: the function starts (after at most one instruction, x86's
 * endbr64) with a jump through the GOT slot of import imp. */
static bool is_syscall_stub(const struct sp_obj *o, size_t g, size_t imp)
{
	return o->funcs[g].plt_import == imp + 1;
}

/* Calls of the C library's syscall(NR, ...) (directly through the GOT or
 * through a PLT stub, a function whose only effect is that import) become
 * sites of their own: the number is the first argument. */
static void resolve_syscall_calls(struct scan *sc, size_t *capsites)
{
	struct sp_obj *o = sc->o;
	size_t imp = import_index(o, "syscall");
	if (imp == SIZE_MAX)
		return;
	for (size_t i = 0; i < sc->ncalls; i++) {
		const struct pending_call *pc = &sc->calls[i];
		bool hit = false;
		if (is_syscall_stub(o, pc->func, imp))
			continue; /* the PLT stub's own jump */
		if (pc->got) {
			const char *name = slot_import(sc, pc->target);
			hit = name && !strcmp(name, "syscall");
		} else {
			size_t g = func_of(o, pc->target);
			hit = g != SIZE_MAX && is_syscall_stub(o, g, imp);
		}
		if (hit)
			add_site(o, capsites, pc->addr, pc->arg0, pc->func, true);
	}
}

/* Second pass: function table, call graph and system-call numbers. */
static void build(struct scan *sc, struct code *c)
{
	struct sp_obj *o = sc->o;
	/* function starts */
	size_t nst = 0, capst = 0;
	uint64_t *st = NULL;
	for (size_t i = 0; i < sc->nsyms; i++)
		if (in_code(sc, sc->syms[i].addr))
			add_u64(&st, &nst, &capst, sc->syms[i].addr);
	for (size_t i = 0; i < sc->nsecs; i++)
		add_u64(&st, &nst, &capst, sc->secs[i].addr);
	for (size_t i = 0; i < c->n; i++)
		/* (`call 1f; 1: pop %ebx`, i386's way to read the pc, is no
		 * function start) */
		if ((c->v[i].kind == I_CALL || c->v[i].kind == I_ADDR) && in_code(sc, c->v[i].target) &&
		    c->v[i].target != c->v[i].addr + c->v[i].size)
			add_u64(&st, &nst, &capst, c->v[i].target);
	for (size_t i = 0; i < sc->ndatarefs; i++)
		add_u64(&st, &nst, &capst, sc->datarefs[i]);
	for (size_t i = 0; i < sc->ninitfns; i++)
		if (in_code(sc, sc->initfns[i]))
			add_u64(&st, &nst, &capst, sc->initfns[i]);
	sort_(st, nst, sizeof(*st), cmp_u64);
	sort_(sc->syms, sc->nsyms, sizeof(*sc->syms), cmp_sym);
	o->funcs = xcalloc(nst ? nst : 1, sizeof(*o->funcs));
	size_t si = 0;
	for (size_t i = 0; i < nst; i++) {
		if (i && st[i] == st[i - 1])
			continue;
		struct sp_obj_func *f = &o->funcs[o->nfuncs++];
		f->start = st[i];
		while (si < sc->nsyms && sc->syms[si].addr < st[i])
			si++;
		if (si < sc->nsyms && sc->syms[si].addr == st[i])
			f->name = sc->syms[si].name;
	}
	/* ends: the next start or the end of the section */
	for (size_t i = 0; i < o->nfuncs; i++) {
		struct sp_obj_func *f = &o->funcs[i];
		uint64_t end = i + 1 < o->nfuncs ? o->funcs[i + 1].start : UINT64_MAX;
		for (size_t s = 0; s < sc->nsecs; s++)
			if (f->start >= sc->secs[s].addr && f->start < sc->secs[s].addr + sc->secs[s].size &&
			    sc->secs[s].addr + sc->secs[s].size < end)
				end = sc->secs[s].addr + sc->secs[s].size;
		f->end = end;
	}
	free(st);

	sort_(sc->slots, sc->nslots, sizeof(*sc->slots), cmp_slot);
	sort_(o->imports, o->nimports, sizeof(char *), cmp_str);
	/* unique imports (a name can be undefined twice with versions) */
	size_t w = 0;
	for (size_t i = 0; i < o->nimports; i++) {
		if (w && !strcmp(o->imports[w - 1], o->imports[i])) {
			free(o->imports[i]);
			continue;
		}
		o->imports[w++] = o->imports[i];
	}
	o->nimports = w;
	if (!o->imports)
		o->imports = xcalloc(1, sizeof(char *));
	o->imports[o->nimports] = NULL;

	/* Per function: constant propagation over the general registers
	 * (dataflow to a fixpoint over the function's own branches), then one
	 * pass that records system calls with the numbers found and the call
	 * graph's edges. */
	sort_(c->v, c->n, sizeof(*c->v), cmp_insn);
	o->ninsns = c->n;
	size_t lo = 0, capsites = 0;
	for (size_t f = 0; f < o->nfuncs; f++) {
		while (lo < c->n && c->v[lo].addr < o->funcs[f].start)
			lo++;
		size_t hi = lo;
		while (hi < c->n && c->v[hi].addr < o->funcs[f].end)
			hi++;
		if (hi > lo)
			scan_function(sc, c->v + lo, hi - lo, f, &capsites);
		lo = hi;
	}
	resolve_syscall_calls(sc, &capsites);
	free(sc->calls);
	sc->calls = NULL;
	/* roots and data references */
	for (size_t i = 0; i < sc->ninitfns; i++) {
		size_t f = func_of(o, sc->initfns[i]);
		if (f != SIZE_MAX)
			push_u32(&o->roots, &o->nroots, (uint32_t)f);
	}
	sort_(sc->datarefs, sc->ndatarefs, sizeof(uint64_t), cmp_u64);
	for (size_t i = 0; i < sc->ndatarefs; i++) {
		if (i && sc->datarefs[i] == sc->datarefs[i - 1])
			continue;
		size_t f = func_of(o, sc->datarefs[i]);
		if (f != SIZE_MAX) {
			o->dataref = xrealloc(o->dataref, (o->ndataref + 1) * sizeof(uint32_t));
			o->dataref[o->ndataref++] = (uint32_t)f;
		}
	}

	/* exports */
	for (size_t i = 0; i < sc->nsyms; i++) {
		if (!sc->syms[i].dyn_export)
			continue;
		o->exports = xrealloc(o->exports, (o->nexports + 1) * sizeof(*o->exports));
		size_t f = func_of(o, sc->syms[i].addr);
		o->exports[o->nexports++] =
			(struct sp_obj_export){sc->syms[i].name, f == SIZE_MAX ? UINT32_MAX : (uint32_t)f};
	}
	sort_(o->exports, o->nexports, sizeof(*o->exports), cmp_export);
}

static enum sp_abi abi_of(uint16_t machine, uint8_t cls)
{
	switch (machine) {
	case EM_X86_64:
		return cls == ELFCLASS64 ? SP_ABI_X86_64 : SP_ABI_X32;
	case EM_386:
		return SP_ABI_I386;
	case EM_AARCH64:
		return SP_ABI_AARCH64;
	}
	return SP_ABI_UNKNOWN;
}

static void elf_endp(Elf **e)
{
	if (*e)
		elf_end(*e);
}

int sp_obj_load(const char *path, unsigned flags, struct sp_obj **out, struct sp_err *err)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return sp_err_set(err, -ENOTSUP, "libelf: %s", elf_errmsg(-1));
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sp_err_sys(err, "open '%s'", path);
	__attribute__((cleanup(elf_endp))) Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		return sp_err_set(err, -ENOEXEC, "'%s' is not an ELF object", path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh))
		return sp_err_set(err, -ENOEXEC, "'%s': bad ELF header: %s", path, elf_errmsg(-1));
	uint8_t cls = (uint8_t)gelf_getclass(elf);
	enum sp_abi abi = abi_of(eh.e_machine, cls);
	if (abi == SP_ABI_UNKNOWN)
		return sp_err_set(err, -ENOTSUP, "'%s': unsupported machine %u (x86_64, i386, x32 and aarch64 are)",
				  path, eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return sp_err_set(err, -ENOEXEC, "'%s' is neither an executable nor a shared library", path);

	struct sp_obj *o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->abi = abi;
	o->machine = eh.e_machine;
	o->elfclass = cls;
	o->shared = eh.e_type == ET_DYN;
	struct scan sc = {.o = o, .elf = elf};

	size_t nph = 0;
	elf_getphdrnum(elf, &nph);
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_INTERP)
			continue;
		size_t fsize = 0;
		const char *raw = elf_rawfile(elf, &fsize);
		if (raw && ph.p_offset < fsize && ph.p_filesz && ph.p_filesz <= fsize - ph.p_offset)
			o->interp = xstrndup(raw + ph.p_offset, ph.p_filesz);
	}

	size_t shstrndx = 0;
	elf_getshdrstrndx(elf, &shstrndx);
	Elf_Scn *scn = NULL;
	/* code sections first: relocations need in_code() */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && (!strcmp(name, ".note.go.buildid") || !strcmp(name, ".go.buildinfo")))
			o->go = true;
		if (name && !strcmp(name, ".got.plt"))
			sc.got_base = sh.sh_addr;
		if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR) && (sh.sh_flags & SHF_ALLOC) &&
		    sh.sh_size) {
			Elf_Data *d = elf_rawdata(scn, NULL);
			if (!d || !d->d_buf || d->d_size < sh.sh_size)
				continue;
			sc.secs = xrealloc(sc.secs, (sc.nsecs + 1) * sizeof(*sc.secs));
			sc.secs[sc.nsecs++] = (struct xsec){sh.sh_addr, sh.sh_size, d->d_buf, name};
		}
		if (sh.sh_type == SHT_NOTE) {
			Elf_Data *d = elf_getdata(scn, NULL);
			size_t off = 0, noff, doff;
			GElf_Nhdr nh;
			while (d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
				if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
				    !memcmp((const char *)d->d_buf + noff, "GNU", 4) && !o->build_id) {
					struct sp_buf b = SP_BUF_INIT;
					for (size_t k = 0; k < nh.n_descsz; k++)
						sp_buf_printf(&b, "%02x", ((const uint8_t *)d->d_buf)[doff + k]);
					o->build_id = sp_buf_steal(&b);
				}
				if (nh.n_type == 4 && nh.n_namesz == 3 && !memcmp((const char *)d->d_buf + noff, "Go", 3))
					o->go = true;
			}
		}
	}
	if (!sc.nsecs) {
		/* no section headers (sstrip): the executable segments */
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			size_t fsize = 0;
			const char *raw = elf_rawfile(elf, &fsize);
			if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X) || !raw ||
			    ph.p_offset >= fsize || ph.p_filesz > fsize - ph.p_offset)
				continue;
			sc.secs = xrealloc(sc.secs, (sc.nsecs + 1) * sizeof(*sc.secs));
			sc.secs[sc.nsecs++] =
				(struct xsec){ph.p_vaddr, ph.p_filesz, (const uint8_t *)raw + ph.p_offset, "PT_LOAD"};
		}
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_DYNSYM)
			read_symbols(&sc, scn, &sh, true);
		else if (sh.sh_type == SHT_SYMTAB)
			read_symbols(&sc, scn, &sh, false);
		else if (sh.sh_type == SHT_DYNAMIC)
			read_dynamic(&sc, scn, &sh);
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL))
			read_relocs(&sc, scn, &sh);
		else if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_RELR)
			read_relr(&sc, scn, &sh);
	}
	if (!o->needed)
		o->needed = xcalloc(1, sizeof(char *));
	o->kind = o->interp || o->needed[0] ? SP_OBJ_DYNAMIC : SP_OBJ_STATIC;

	struct code c = {0};
	o->headers_only = flags & SP_OBJ_HEADERS_ONLY;
	int r = o->headers_only ? 0 : disassemble(o, sc.secs, sc.nsecs, sc.got_base, &c, err);
	if (r == 0)
		build(&sc, &c);
	free(c.v);
	free(sc.secs);
	free(sc.syms);
	free(sc.slots);
	free(sc.datarefs);
	free(sc.initfns);
	o->names_ = sc.names.v;
	o->nnames_ = sc.names.n;
	if (r < 0) {
		sp_obj_free(o);
		return r;
	}
	*out = o;
	return 0;
}

void sp_obj_free(struct sp_obj *o)
{
	if (!o)
		return;
	free(o->path);
	free(o->interp);
	free(o->soname);
	sp_strv_free(o->needed);
	free(o->runpath);
	free(o->rpath);
	free(o->build_id);
	for (size_t i = 0; i < o->nimports; i++)
		free(o->imports[i]);
	free(o->imports);
	free(o->exports);
	free(o->sites);
	for (size_t i = 0; i < o->nfuncs; i++) {
		free(o->funcs[i].callees);
		free(o->funcs[i].imports);
	}
	free(o->funcs);
	free(o->roots);
	free(o->dataref);
	for (size_t i = 0; i < o->nnames_; i++)
		free(o->names_[i]);
	free(o->names_);
	free(o);
}

const struct sp_obj_export *sp_obj_export(const struct sp_obj *o, const char *name)
{
	size_t lo = 0, hi = o->nexports;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(o->exports[mid].name, name);
		if (!c)
			return &o->exports[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Tarjan's algorithm, iterative (libc's graph is deep enough to make a
 * recursive walk a stack risk).  SCCs come out callees first, so each one's
 * set is its members' own calls plus its callees' finished sets. */
struct sp_nrset *sp_obj_reach(const struct sp_obj *o)
{
	size_t n = o->nfuncs;
	struct sp_nrset *set = xcalloc(n ? n : 1, sizeof(*set));
	uint32_t *index = xmalloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *low = xmalloc((n ? n : 1) * sizeof(uint32_t));
	bool *onstack = xcalloc(n ? n : 1, sizeof(bool));
	uint32_t *stack = xmalloc((n ? n : 1) * sizeof(uint32_t));
	struct frame {
		uint32_t v;
		size_t next;
	} *call = xmalloc((n ? n : 1) * sizeof(*call));
	size_t sp = 0, cp = 0;
	uint32_t counter = 0;
	for (size_t i = 0; i < n; i++)
		index[i] = UINT32_MAX;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != UINT32_MAX)
			continue;
		call[cp++] = (struct frame){(uint32_t)root, 0};
		index[root] = low[root] = counter++;
		stack[sp++] = (uint32_t)root;
		onstack[root] = true;
		while (cp) {
			struct frame *fr = &call[cp - 1];
			const struct sp_obj_func *f = &o->funcs[fr->v];
			if (fr->next < f->ncallees) {
				uint32_t w = f->callees[fr->next++];
				if (index[w] == UINT32_MAX) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					onstack[w] = true;
					call[cp++] = (struct frame){w, 0};
				} else if (onstack[w] && index[w] < low[fr->v]) {
					low[fr->v] = index[w];
				}
				continue;
			}
			uint32_t v = fr->v;
			cp--;
			if (cp && low[v] < low[call[cp - 1].v])
				low[call[cp - 1].v] = low[v];
			if (low[v] != index[v])
				continue;
			/* v is the root of an SCC: members are on the stack above it */
			struct sp_nrset acc;
			memset(&acc, 0, sizeof(acc));
			size_t top = sp;
			do {
				uint32_t m = stack[--top];
				sp_nrset_or(&acc, &o->funcs[m].own);
				for (size_t k = 0; k < o->funcs[m].ncallees; k++) {
					uint32_t w = o->funcs[m].callees[k];
					if (!onstack[w])
						sp_nrset_or(&acc, &set[w]);
				}
			} while (stack[top] != v);
			for (size_t k = top; k < sp; k++) {
				set[stack[k]] = acc;
				onstack[stack[k]] = false;
			}
			sp = top;
		}
	}
	free(index);
	free(low);
	free(onstack);
	free(stack);
	free(call);
	return set;
}
