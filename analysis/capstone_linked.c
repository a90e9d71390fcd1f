/* SPDX-License-Identifier: MIT */
/*
 * analysis/capstone_linked.c: sp_cs_get() for a tool linked with capstone
 * (the static build, which cannot dlopen; analysis/capstone.h says why the
 * dynamic tool loads it instead).  Not part of libseccomp-profile.a: the
 * Makefile links this object ahead of the archive into the static tool
 * only, so the archive's analysis/capstone.o, which defines the same
 * function with dlopen(), is never pulled in there.
 */
#include "analysis/capstone.h"

static const struct sp_cs linked = {
	.open = cs_open,
	.option = cs_option,
	.malloc = cs_malloc,
	.disasm_iter = cs_disasm_iter,
	.insn_group = cs_insn_group,
	.free = cs_free,
	.close = cs_close,
};

int sp_cs_get(const struct sp_cs **out, struct sp_err *err)
{
	(void)err;
	*out = &linked;
	return 0;
}
