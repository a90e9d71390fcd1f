/* SPDX-License-Identifier: MIT */
/*
 * analysis/capstone.h: capstone, loaded when the analysis first needs it.
 *
 *     const struct sp_cs *cs;
 *     if (sp_cs_get(&cs, &err) < 0) ...     // err names the library and why
 *     csh h;
 *     if (cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) ...
 *
 * Why not link it: libcapstone.so carries some 77,000 relocations (its
 * instruction tables are arrays of pointers), which the dynamic loader
 * applies at every start of every command, about 7 ms here: a fifth of
 * what `record -- true` costs in all, for a library that only `unseen`,
 * `generate --add-unseen` and `record --report-unseen` use.  The dynamic
 * tool dlopen()s it by its soname (SP_CAPSTONE_SONAME, from the build) on
 * the first call (analysis/capstone.c).  The static tool (make check-abis)
 * cannot dlopen: it links capstone, and analysis/capstone_linked.c's
 * sp_cs_get() instead.
 */
#ifndef SP_ANALYSIS_CAPSTONE_H
#define SP_ANALYSIS_CAPSTONE_H

#include <capstone/capstone.h>
#include <stdbool.h>

#include "core/err.h"

struct sp_cs {
	cs_err (*open)(cs_arch arch, cs_mode mode, csh *handle);
	cs_err (*option)(csh handle, cs_opt_type type, size_t value);
	cs_insn *(*malloc)(csh handle);
	bool (*disasm_iter)(csh handle, const uint8_t **code, size_t *size, uint64_t *address, cs_insn *insn);
	bool (*insn_group)(csh handle, const cs_insn *insn, unsigned int group_id);
	void (*free)(cs_insn *insn, size_t count);
	cs_err (*close)(csh *handle);
};

/* The functions, loaded once (thread-unsafe, like the rest of the
 * analysis): 0, or a negative code with err set when the library cannot
 * be loaded. */
int sp_cs_get(const struct sp_cs **out, struct sp_err *err);

#endif
