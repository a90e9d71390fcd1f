/* SPDX-License-Identifier: MIT */
/*
 * formats/json_util.h: strict reading of JSON documents with jansson.
 *
 * Every reader in formats/ parses through sp_json_load(), which enforces the
 * size and depth limits and turns jansson's error into "FILE:LINE:COL:
 * problem".  The typed getters check a member's type and name its JSON path
 * ("FILE: $.abis.x86_64[3].calls: expected a non-negative integer") when it
 * is wrong; sp_json_check_keys() rejects keys a format does not define.
 *
 *     json_auto_t *root = NULL;
 *     if (sp_json_load(path, data, len, &root, err) < 0) return err->code;
 *     struct sp_jctx c = {.file = path};
 *     const char *s; r = sp_json_get_str(&c, root, "$", "name", true, &s, err);
 */
#ifndef SP_FORMATS_JSON_UTIL_H
#define SP_FORMATS_JSON_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct sp_jctx {
	const char *file;
};

int sp_json_load(const char *path, const char *data, size_t len, json_t **out, struct sp_err *err);

/* Like sp_json_load(), for formats whose numbers are all unsigned 64-bit
 * (Docker/OCI seccomp: argument values such as AT_FDCWD are written as
 * 18446744073709551516).  jansson's integers are signed 64-bit, so integer
 * literals in 2^63..2^64-1 are loaded as the negative json integer with the
 * same bit pattern: read them back with (uint64_t)json_integer_value().
 * Negative literals cannot mean anything in such a file and are refused
 * with their line and column, which keeps that reading unambiguous. */
int sp_json_load_u64(const char *path, const char *data, size_t len, json_t **out, struct sp_err *err);

/* Each getter: member key of object obj (whose own path is where).  When
 * the member is absent, required=true is an error; otherwise the output is
 * left untouched and 0 is returned.  JSON null counts as absent. */
int sp_json_get_str(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		    const char **out, struct sp_err *err);
int sp_json_get_u64(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		    uint64_t max, uint64_t *out, struct sp_err *err);
int sp_json_get_bool(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		     bool *out, struct sp_err *err);
/* type is JSON_OBJECT or JSON_ARRAY. */
int sp_json_get_container(const struct sp_jctx *c, json_t *obj, const char *where, const char *key,
			  bool required, json_type type, json_t **out, struct sp_err *err);

/* Fails on the first key of obj not in the NULL-terminated allowed list. */
int sp_json_check_keys(const struct sp_jctx *c, json_t *obj, const char *where, const char *const *allowed,
		       struct sp_err *err);

/* Error "FILE: WHERE: msg". */
int sp_json_error(const struct sp_jctx *c, const char *where, struct sp_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Dumps root with 2-space indentation, keys in insertion order, and a
 * trailing newline. */
int sp_json_dump(FILE *out, json_t *root, struct sp_err *err);

/* The call sites of s as our recording format writes them (an array of
 * {exe, frames: [{module, offset, symbol, sym_off}]}); also used by diff's
 * JSON output.  Defined in formats/recording.c. */
struct sp_sysc;
json_t *sp_json_callsites(const struct sp_sysc *s);

#endif
