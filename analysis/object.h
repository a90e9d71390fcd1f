/* SPDX-License-Identifier: MIT */
/*
 * analysis/object.h: what one ELF object says statically about the system
 * calls it can make.
 *
 * sp_obj_load() reads an executable or shared library with libelf and
 * disassembles its executable sections with capstone:
 *
 *     struct sp_obj *o;
 *     if (sp_obj_load("/usr/bin/redis-cli", &o, &err) < 0) ...
 *     o->needed, o->runpath, o->interp     // for the loader search (loader.h)
 *     o->imports                           // undefined dynamic symbols
 *     o->sites                             // every system-call instruction
 *     sp_obj_free(o);
 *
 * A system-call instruction is x86_64 `syscall`, i386 `int 0x80`,
 * `sysenter` and `call *%gs:0x10` (the vDSO's __kernel_vsyscall), aarch64
 * `svc #0`.  Its number is known when the register the kernel reads it from
 * (eax/rax, w8/x8) was set from an immediate earlier in the same basic
 * block (no branch target, call or other write of that register in
 * between); otherwise it is SP_NR_UNKNOWN (the libc function syscall(), Go's
 * runtime, hand-written stubs that take the number as an argument).
 * Calls of the C library's syscall(NR, ...) are sites too, with NR found
 * the same way in the first-argument register (not on i386, whose
 * arguments are on the stack).
 *
 * Functions: starts come from .dynsym and .symtab (FUNC, IFUNC), from every
 * direct call target and from every code address whose address is taken
 * (rip-relative lea, RELATIVE relocations in data); a function runs to the
 * next start.  Edges are the direct calls and jumps between functions, the
 * address-taken references (f takes &g: assumed to call it, which covers
 * thread start routines and signal restorers), and calls through the GOT
 * (PLT stubs, -fno-plt): to an import, or to the object's own function.
 * Calls through registers or memory other than a GOT slot are not followed
 * (counted in nindirect).  sp_obj_reach() gives, per function, the system
 * calls it can reach through these edges inside the object.
 */
#ifndef SP_ANALYSIS_OBJECT_H
#define SP_ANALYSIS_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/abi.h"
#include "core/err.h"

#define SP_NR_UNKNOWN (-1)
/* Syscall numbers kept in sets: nr - base of the ABI (x32 numbers carry
 * bit 30) below this bound; a larger constant counts as unknown. */
#define SP_NRSET_BITS 1024

struct sp_nrset {
	uint64_t w[SP_NRSET_BITS / 64];
	bool unknown; /* a call with a number not known statically */
};

static inline void sp_nrset_add(struct sp_nrset *s, unsigned i)
{
	s->w[i / 64] |= 1ull << (i % 64);
}
static inline bool sp_nrset_has(const struct sp_nrset *s, unsigned i)
{
	return (s->w[i / 64] >> (i % 64)) & 1;
}
void sp_nrset_or(struct sp_nrset *dst, const struct sp_nrset *src);
size_t sp_nrset_count(const struct sp_nrset *s);

struct sp_obj_site {
	uint64_t addr; /* virtual address in the object (file-relative for PIE/.so) */
	int64_t nr;    /* as the kernel sees it, or SP_NR_UNKNOWN */
	uint32_t func; /* index into funcs */
	bool via_libc; /* a call of libc's syscall(nr, ...), nr its first argument */
};

struct sp_obj_func {
	uint64_t start, end;
	const char *name; /* a symbol at start, or NULL */
	struct sp_nrset own; /* direct system-call instructions */
	uint32_t *callees;   /* other functions (indices), unique */
	size_t ncallees;
	uint32_t *imports;   /* indices into imports */
	size_t nimports;
	uint32_t plt_import; /* a PLT stub of import plt_import - 1; 0 = not a stub */
};

struct sp_obj_export {
	const char *name;
	uint32_t func; /* UINT32_MAX when the symbol is not in code we scanned */
};

enum sp_obj_kind {
	SP_OBJ_DYNAMIC, /* has an interpreter or DT_NEEDED */
	SP_OBJ_STATIC,  /* no interpreter, nothing needed */
};

struct sp_obj {
	char *path;
	enum sp_abi abi;
	uint16_t machine; /* EM_* */
	uint8_t elfclass; /* ELFCLASS32/64 */
	bool shared;      /* ET_DYN */
	bool go;          /* a Go binary (.note.go.buildid / .go.buildinfo) */
	enum sp_obj_kind kind;
	char *interp;     /* PT_INTERP, or NULL */
	char *soname;     /* DT_SONAME, or NULL */
	char **needed;    /* DT_NEEDED, NULL-terminated */
	char *runpath, *rpath; /* raw DT_RUNPATH / DT_RPATH, or NULL */
	char *build_id;   /* hex, or NULL */
	char **imports;   /* undefined dynamic symbols, NULL-terminated, unique, sorted */
	size_t nimports;
	struct sp_obj_export *exports; /* defined dynamic functions, sorted by name */
	size_t nexports;
	struct sp_obj_site *sites;
	size_t nsites;
	struct sp_obj_func *funcs; /* sorted by start */
	size_t nfuncs;
	uint32_t *roots; /* functions that run without being called: DT_INIT, DT_FINI */
	size_t nroots;
	uint32_t *dataref; /* functions whose address is stored in data (init arrays, vtables,
			    * tables of callbacks): found through RELATIVE relocations */
	size_t ndataref;
	size_t ninsns, nindirect;
	bool headers_only;
	char **names_; /* owned strings behind funcs[].name and exports[].name */
	size_t nnames_;
};

/* Loads and disassembles path.  Errors name the file: not ELF, unsupported
 * machine, unreadable.  SP_OBJ_HEADERS_ONLY: headers, symbols and
 * relocations only (no sites, no edges), for a libc whose map is cached. */
enum { SP_OBJ_HEADERS_ONLY = 1 };
int sp_obj_load(const char *path, unsigned flags, struct sp_obj **out, struct sp_err *err);
void sp_obj_free(struct sp_obj *o);

/* The export named name, or NULL. */
const struct sp_obj_export *sp_obj_export(const struct sp_obj *o, const char *name);

/* Per function, the system calls reachable through the object's own call
 * graph (Tarjan's SCCs, callees first).  Returns an array of nfuncs sets
 * (free it).  Imports are not followed (other objects). */
struct sp_nrset *sp_obj_reach(const struct sp_obj *o);

#endif
