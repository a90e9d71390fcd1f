/* SPDX-License-Identifier: MIT */
/*
 * formats/parse_cache.h: parse one input once, whoever asks.
 *
 * Reading an input of unknown format asks several detectors, then one
 * reader, and, when nothing matched, the syntax error that explains why:
 * each of them parses the same bytes (three or four times for a JSON
 * policy).  Inside a scope opened on one buffer, sp_json_load(),
 * sp_json_load_u64() and sp_yaml_load() of exactly that buffer (same
 * pointer and length) parse it the first time only and give every later
 * caller the same tree, or the same error under the caller's file name:
 *
 *     sp_parse_cache_begin(data, len);
 *     ... detect(data, len) ... read_policy(path, data, len, ...) ...
 *     sp_parse_cache_end();
 *
 * The trees are shared (reference counted): readers only read them.  One
 * scope at a time; the buffer must stay unchanged until the scope ends.
 */
#ifndef SP_FORMATS_PARSE_CACHE_H
#define SP_FORMATS_PARSE_CACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "formats/yaml_util.h"

enum sp_parse_kind {
	SP_PARSE_JSON,     /* sp_json_load() */
	SP_PARSE_JSON_U64, /* sp_json_load_u64() */
	SP_PARSE_YAML,     /* sp_yaml_load() */
	SP_PARSE_KINDS,
};

/* One loader's result for the buffer of the scope. */
struct sp_parsed {
	bool done;
	int code;                 /* the loader's return value */
	char msg[SP_ERR_MSG_MAX]; /* its error, after the file name */
	json_t *root;             /* the tree (YAML: the array of documents) */
	struct sp_ymarks *marks;  /* YAML positions */
};

void sp_parse_cache_begin(const char *data, size_t len);
void sp_parse_cache_end(void);

/* The slot for (data, len) and kind when a scope is open on exactly that
 * buffer, else NULL (the caller parses as usual). */
struct sp_parsed *sp_parse_cache_slot(const char *data, size_t len, enum sp_parse_kind kind);

/* Fills slot on first use by calling load with an empty file name and
 * remembering the outcome; then returns that outcome as if load had run
 * for path: *root gets a new reference, *marks (when not NULL) a copy. */
typedef int (*sp_parse_fn)(const char *path, const char *data, size_t len, json_t **root,
			   struct sp_ymarks **marks, struct sp_err *err);
int sp_parse_cached(struct sp_parsed *slot, sp_parse_fn load, const char *path, const char *data, size_t len,
		    json_t **root, struct sp_ymarks **marks, struct sp_err *err);

#endif
