/* SPDX-License-Identifier: MIT */
/*
 * analysis/loader.h: where the dynamic loader would find a DT_NEEDED name.
 *
 * The order is glibc's (ld.so(8)): a name with a slash is a path; else the
 * needing object's DT_RPATH, then the executable's DT_RPATH (only when the
 * needing object has no DT_RUNPATH), LD_LIBRARY_PATH (not known for a
 * recorded run: not searched), the needing object's DT_RUNPATH, the
 * ld.so.cache entries for the object's ABI, and the default directories
 * (multiarch /lib/<triplet> and /usr/lib/<triplet>, then /lib64 or /lib,
 * /usr/lib64 or /usr/lib).  $ORIGIN, $LIB and $PLATFORM are expanded.  A
 * candidate of another ELF class or machine is skipped, as ld.so does.
 *
 *     struct sp_ldcache *c = sp_ldcache_load("/etc/ld.so.cache");  // never NULL
 *     char *path = sp_loader_find(c, needer, exe, "libc.so.6");       // free(), or NULL
 *     sp_ldcache_free(c);
 */
#ifndef SP_ANALYSIS_LOADER_H
#define SP_ANALYSIS_LOADER_H

#include "analysis/object.h"

struct sp_ldcache;

/* Reads the new-format ("glibc-ld.so.cache1.1") cache; an absent or
 * malformed file gives an empty cache (the search goes on with the
 * default directories). */
struct sp_ldcache *sp_ldcache_load(const char *path);
void sp_ldcache_free(struct sp_ldcache *c);

/* The path of name as loaded for needer (exe: the executable, for its
 * DT_RPATH), or NULL when no candidate fits. */
char *sp_loader_find(const struct sp_ldcache *c, const struct sp_obj *needer, const struct sp_obj *exe,
		     const char *name);

#endif
