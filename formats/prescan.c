/* SPDX-License-Identifier: MIT */
#include "formats/prescan.h"

#include <errno.h>
#include <stdbool.h>
#include <yaml.h>

#include "formats/format.h"
#include "formats/json_lex.h"
#include "formats/yaml_util.h"

static int too_deep(const char *path, size_t line, size_t col, struct sp_err *err)
{
	return sp_err_set(err, -EINVAL, "%s:%zu:%zu: nesting deeper than %d levels", path, line, col,
			  SP_MAX_DEPTH);
}

static int too_many(const char *path, size_t line, size_t col, struct sp_err *err)
{
	return sp_err_set(err, -EINVAL, "%s:%zu:%zu: more than %u values in one input (the limit)", path,
			  line, col, SP_MAX_NODES);
}

static int too_long(const char *path, size_t line, size_t col, struct sp_err *err)
{
	return sp_err_set(err, -EINVAL, "%s:%zu:%zu: a scalar longer than %u bytes (the limit)", path, line,
			  col, SP_MAX_SCALAR_BYTES);
}

int sp_prescan_json(const char *path, const char *data, size_t len, struct sp_err *err)
{
	size_t nodes = 0;
	int depth = 0;
	struct sp_jlex lx = sp_jlex_start(data, len);
	struct sp_jtok t;
	while (sp_jlex_next(&lx, &t)) {
		char ch = t.c;
		/* Values: every string (keys too), container and literal
		 * (number, true, false, null: one word). */
		bool value = t.type == SP_JTOK_STRING || t.type == SP_JTOK_WORD || ch == '{' || ch == '[';
		if (value && ++nodes > SP_MAX_NODES)
			return too_many(path, t.line, t.col, err);
		/* A string's length counts its quotes: the bytes from its
		 * opening quote to the first one past the limit. */
		if ((t.type == SP_JTOK_STRING && t.n > SP_MAX_SCALAR_BYTES + 1) ||
		    (t.type == SP_JTOK_WORD && t.n > SP_MAX_SCALAR_BYTES))
			return too_long(path, t.line, t.col, err);
		if (t.type != SP_JTOK_PUNCT)
			continue;
		if (ch == '{' || ch == '[') {
			if (++depth > SP_MAX_DEPTH)
				return too_deep(path, t.line, t.col, err);
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		}
	}
	return 0;
}

int sp_prescan_yaml(const char *path, const char *data, size_t len, struct sp_err *err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return sp_err_set(err, -ENOMEM, "%s: cannot initialise the YAML parser", path);
	yaml_parser_set_input_string(&parser, (const unsigned char *) data, len);
	size_t nodes = 0;
	int depth = 0, r = 0;
	for (bool done = false; !done && r == 0;) {
		yaml_token_t tok;
		if (!yaml_parser_scan(&parser, &tok)) {
			r = sp_yaml_parser_err(&parser, path, err);
			break;
		}
		size_t line = tok.start_mark.line + 1, col = tok.start_mark.column + 1;
		switch (tok.type) {
		case YAML_STREAM_END_TOKEN:
			done = true;
			break;
		case YAML_BLOCK_SEQUENCE_START_TOKEN:
		case YAML_BLOCK_MAPPING_START_TOKEN:
		case YAML_FLOW_SEQUENCE_START_TOKEN:
		case YAML_FLOW_MAPPING_START_TOKEN:
			if (++depth > SP_MAX_DEPTH)
				r = too_deep(path, line, col, err);
			else if (++nodes > SP_MAX_NODES)
				r = too_many(path, line, col, err);
			break;
		case YAML_BLOCK_END_TOKEN:
		case YAML_FLOW_SEQUENCE_END_TOKEN:
		case YAML_FLOW_MAPPING_END_TOKEN:
			depth -= depth > 0;
			break;
		/* Scalars and aliases are values; so may be what follows a
		 * key, a value indicator or a sequence entry (an empty node). */
		case YAML_SCALAR_TOKEN:
			if (tok.data.scalar.length > SP_MAX_SCALAR_BYTES) {
				r = too_long(path, line, col, err);
				break;
			}
			/* fall through */
		case YAML_ALIAS_TOKEN:
		case YAML_VALUE_TOKEN:
		case YAML_BLOCK_ENTRY_TOKEN:
			if (++nodes > SP_MAX_NODES)
				r = too_many(path, line, col, err);
			break;
		default:
			break;
		}
		yaml_token_delete(&tok);
	}
	yaml_parser_delete(&parser);
	return r;
}
