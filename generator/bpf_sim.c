/* SPDX-License-Identifier: MIT */
#include "generator/bpf_sim.h"

#include <string.h>

/* Reads the 32-bit word at byte offset off of seccomp_data, in host byte
 * order, as the kernel's seccomp loads do. */
static bool load_word(const struct seccomp_data *d, uint32_t off, uint32_t *out)
{
	if (off % 4 || off + 4 > sizeof(*d))
		return false;
	memcpy(out, (const char *)d + off, 4);
	return true;
}

bool sp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, uint32_t *ret)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
	if (len == 0 || len > BPF_MAXINSNS)
		return false;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t k = f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (!load_word(d, k, &A))
					return false;
			} else if (f->code == (BPF_LD | BPF_W | BPF_LEN)) {
				A = sizeof(*d);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				A = k;
			} else if (f->code == (BPF_LD | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					return false;
				A = M[k];
			} else {
				return false;
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_W | BPF_LEN)) {
				X = sizeof(*d);
			} else if (f->code == (BPF_LDX | BPF_IMM)) {
				X = k;
			} else if (f->code == (BPF_LDX | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					return false;
				X = M[k];
			} else {
				return false;
			}
			break;
		case BPF_ST:
			if (f->code != BPF_ST || k >= BPF_MEMWORDS)
				return false;
			M[k] = A;
			break;
		case BPF_STX:
			if (f->code != BPF_STX || k >= BPF_MEMWORDS)
				return false;
			M[k] = X;
			break;
		case BPF_ALU: {
			uint32_t src = BPF_SRC(f->code) == BPF_X ? X : k;
			switch (BPF_OP(f->code)) {
			case BPF_ADD: A += src; break;
			case BPF_SUB: A -= src; break;
			case BPF_MUL: A *= src; break;
			case BPF_DIV:
				if (!src)
					return false;
				A /= src;
				break;
			case BPF_MOD:
				if (!src)
					return false;
				A %= src;
				break;
			case BPF_AND: A &= src; break;
			case BPF_OR: A |= src; break;
			case BPF_XOR: A ^= src; break;
			case BPF_LSH: A = src >= 32 ? 0 : A << src; break;
			case BPF_RSH: A = src >= 32 ? 0 : A >> src; break;
			case BPF_NEG: A = -A; break;
			default: return false;
			}
			break;
		}
		case BPF_JMP: {
			if (BPF_OP(f->code) == BPF_JA) {
				if (k >= len - pc - 1)
					return false;
				pc += k;
				break;
			}
			uint32_t src = BPF_SRC(f->code) == BPF_X ? X : k;
			bool t;
			switch (BPF_OP(f->code)) {
			case BPF_JEQ: t = A == src; break;
			case BPF_JGT: t = A > src; break;
			case BPF_JGE: t = A >= src; break;
			case BPF_JSET: t = (A & src) != 0; break;
			default: return false;
			}
			size_t off = t ? f->jt : f->jf;
			if (off >= len - pc - 1)
				return false;
			pc += off;
			break;
		}
		case BPF_RET:
			if (BPF_RVAL(f->code) == BPF_K)
				*ret = k;
			else if (BPF_RVAL(f->code) == BPF_A)
				*ret = A;
			else
				return false;
			return true;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				X = A;
			else if (BPF_MISCOP(f->code) == BPF_TXA)
				A = X;
			else
				return false;
			break;
		default:
			return false;
		}
	}
	return false; /* fell off the end: the kernel's checker requires a final RET */
}

uint32_t sp_bpf_eval(const struct sock_filter *prog, size_t len, uint32_t arch, int nr, const uint64_t *args)
{
	struct seccomp_data d = {.nr = nr, .arch = arch};
	if (args)
		memcpy(d.args, args, sizeof(d.args));
	uint32_t r;
	return sp_bpf_run(prog, len, &d, &r) ? r : SP_BPF_INVALID;
}
