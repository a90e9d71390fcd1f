/* SPDX-License-Identifier: MIT */
/* The dynamic tool's sp_cs_get(): capstone loaded by its soname. */
#include "analysis/capstone.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "core/util.h"

#ifndef SP_CAPSTONE_SONAME
#define SP_CAPSTONE_SONAME "libcapstone.so"
#endif

static const struct {
	const char *name;
	size_t off;
} symbols[] = {
	{"cs_open", offsetof(struct sp_cs, open)},
	{"cs_option", offsetof(struct sp_cs, option)},
	{"cs_malloc", offsetof(struct sp_cs, malloc)},
	{"cs_disasm_iter", offsetof(struct sp_cs, disasm_iter)},
	{"cs_insn_group", offsetof(struct sp_cs, insn_group)},
	{"cs_free", offsetof(struct sp_cs, free)},
	{"cs_close", offsetof(struct sp_cs, close)},
};

int sp_cs_get(const struct sp_cs **out, struct sp_err *err)
{
	static struct sp_cs loaded;
	static bool done;
	*out = &loaded;
	if (done)
		return 0;
	/* Kept loaded until exit: the analysis may run more than once. */
	void *lib = dlopen(SP_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return sp_err_set(err, -ENOENT,
				  "static analysis needs the capstone disassembler, which cannot be loaded (%s); "
				  "install the Debian package that holds it (make deps does)",
				  dlerror());
	for (size_t i = 0; i < SP_ARRAY_SIZE(symbols); i++) {
		void *f = dlsym(lib, symbols[i].name);
		if (!f) {
			dlclose(lib);
			return sp_err_set(err, -ENOENT, "'%s' lacks %s: not the capstone this tool was built for",
					  SP_CAPSTONE_SONAME, symbols[i].name);
		}
		/* Function pointers and void * have one representation on
		 * every target glibc runs on (POSIX requires it of dlsym). */
		*(void **)((char *)&loaded + symbols[i].off) = f;
	}
	done = true;
	return 0;
}
