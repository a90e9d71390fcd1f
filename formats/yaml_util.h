/* SPDX-License-Identifier: MIT */
/*
 * formats/yaml_util.h: YAML documents as jansson trees, with positions.
 *
 * The policy readers validate one tree type (json_t) whether the file was
 * JSON or YAML.  sp_yaml_load() parses with libyaml (never by hand) and
 * converts every document into a json_t, remembering where each node
 * started so errors can say "FILE:LINE:COL: $.spec.syscalls[2]: ...".
 *
 *     json_auto_t *docs = NULL;          // a JSON array, one item per document
 *     struct sp_ymarks *marks = NULL;
 *     r = sp_yaml_load(path, data, len, &docs, &marks, err);
 *     unsigned line, col;
 *     if (sp_ymarks_get(marks, node, &line, &col)) ...
 *     sp_ymarks_free(marks);
 *
 * Scalars are typed the way the Go YAML libraries that consume these files
 * (yaml.v2 via go-ucfg and sigs.k8s.io/yaml) type them, so a value means
 * here what it means to Beats or Kubernetes: quoted and block scalars are
 * strings; plain null/~/empty are null; true/false/yes/no/on/off (any of
 * the usual casings) are booleans; decimal, 0x hex, 0o and leading-0 octal
 * are integers; other numbers are reals; everything else is a string.
 *
 * Integers follow the convention of the JSON readers (see
 * sp_json_load_u64()): values in 2^63..2^64-1 are stored as the negative
 * json integer with the same 64-bit pattern, and negative YAML integers are
 * stored as reals, so a getter of an unsigned value reads (uint64_t)v and
 * anything else is refused as "not a non-negative integer".
 *
 * Aliases are shared (the tree is a DAG); recursive aliases, nesting deeper
 * than SP_MAX_DEPTH or more than SP_MAX_NODES values (formats/prescan.h
 * checks both before libyaml builds anything), duplicate mapping keys and
 * non-scalar keys are errors.
 */
#ifndef SP_FORMATS_YAML_UTIL_H
#define SP_FORMATS_YAML_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct sp_ymarks;

int sp_yaml_load(const char *path, const char *data, size_t len, json_t **docs, struct sp_ymarks **marks,
		 struct sp_err *err);
/* 1-based line and column where node started; false if unknown (JSON
 * input, or the shared true/false/null singletons). */
bool sp_ymarks_get(const struct sp_ymarks *m, const json_t *node, unsigned *line, unsigned *col);
void sp_ymarks_free(struct sp_ymarks *m);
/* A copy of m (an empty table for NULL), to be freed with sp_ymarks_free(). */
struct sp_ymarks *sp_ymarks_copy(const struct sp_ymarks *m);

/* The error a libyaml parser (yaml_parser_t) stopped at, worded for every
 * YAML input, whichever libyaml call failed (the prescan's tokenizer, the
 * document loader): "FILE:LINE:COL: invalid YAML: PROBLEM CONTEXT", e.g.
 * "p.yml:5:1: invalid YAML: did not find expected ',' or ']' while parsing
 * a flow sequence".  Returns -EINVAL. */
struct yaml_parser_s;
int sp_yaml_parser_err(const struct yaml_parser_s *parser, const char *path, struct sp_err *err);

#endif
