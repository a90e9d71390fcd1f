/* SPDX-License-Identifier: MIT */
/*
 * formats/prescan.h: bounded input cost, checked before any parser runs.
 *
 * Every JSON and YAML input goes through one of these before jansson or
 * libyaml builds a document from it (sp_json_load*(), sp_yaml_load() and
 * the detectors call them), so that hostile shapes are refused in time
 * linear in the input, with memory bounded by the input:
 *
 *   - nesting deeper than SP_MAX_DEPTH levels (formats/format.h).  libyaml's
 *     tokenizer is quadratic in its flow nesting (every token rescans one
 *     entry per open '[' or '{'): 200,000 levels took 79 s of CPU;
 *   - more than SP_MAX_NODES values (scalars, keys and collections): a
 *     64 MiB file of "0," builds 32 million jansson values (1.3 GB).
 *
 *     if (sp_prescan_json(path, data, len, err) < 0) return err->code;
 *     // "p.json:1:65: nesting deeper than 64 levels"
 *
 * JSON is scanned by hand (formats/json_lex.h): its strings are unambiguous
 * ('"' always opens one outside a string), so brackets inside strings are
 * not counted.  YAML is scanned with libyaml's own tokenizer alone (no
 * document is built), stopped at the first token past a limit: while the
 * flow nesting stays
 * within SP_MAX_DEPTH each token costs at most SP_MAX_DEPTH steps, and a
 * hand-written YAML scanner would have to agree with libyaml about where
 * every quoted scalar, comment and block scalar starts (a '"' in the
 * middle of a plain scalar is text; one at the start of a token opens a
 * string), and a disagreement is exactly a bracket miscounted.  Block
 * nesting counts each block mapping or sequence libyaml opens; a sequence
 * written at its key's own indentation opens none there, and the document
 * converter (yaml_util.c) refuses what this leaves past the limit.
 *
 * Both return 0 or -EINVAL with "FILE:LINE:COL: ..." in err.
 */
#ifndef SP_FORMATS_PRESCAN_H
#define SP_FORMATS_PRESCAN_H

#include <stddef.h>

#include "core/err.h"

int sp_prescan_json(const char *path, const char *data, size_t len, struct sp_err *err);
int sp_prescan_yaml(const char *path, const char *data, size_t len, struct sp_err *err);

#endif
