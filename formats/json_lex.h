/* SPDX-License-Identifier: MIT */
/*
 * formats/json_lex.h: JSON text as tokens, without building anything.
 *
 * Whatever looks at JSON text before (or instead of) jansson walks it with
 * this one lexer, so that all of them agree about where strings start and
 * end (a '"' opens a string anywhere outside one; '\' escapes the next byte
 * inside one): the limits of formats/prescan.c, the literal rewrite of
 * sp_json_load_u64(), the recording detector and the naming of an integer
 * jansson cannot hold (formats/json_util.c).
 *
 *     struct sp_jlex lx = sp_jlex_start(data, len);
 *     struct sp_jtok t;
 *     while (sp_jlex_next(&lx, &t))
 *             if (t.type == SP_JTOK_PUNCT && t.c == '{') ...
 *
 * It never fails and needs no memory: white space is skipped, a string
 * runs to its closing quote (or to the end of the input), a word is a run
 * of the bytes numbers and the literals true/false/null are made of, and
 * any other byte is a token of its own.  Positions count as jansson counts
 * them: line from 1, column from 1 at a line's first byte.
 */
#ifndef SP_FORMATS_JSON_LEX_H
#define SP_FORMATS_JSON_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum sp_jtok_type {
	SP_JTOK_STRING, /* s[0] == '"'; n includes both quotes (one if unterminated) */
	SP_JTOK_WORD,   /* [0-9A-Za-z.+-]+: a number, true, false, null, or junk */
	SP_JTOK_PUNCT,  /* one of { } [ ] : , */
	SP_JTOK_OTHER,  /* any other byte */
};

struct sp_jtok {
	enum sp_jtok_type type;
	char c;        /* s[0] */
	const char *s; /* in the input */
	size_t n;
	size_t line, col; /* of s[0] */
};

struct sp_jlex {
	const char *p, *end;
	size_t line, col; /* of the byte before p */
};

struct sp_jlex sp_jlex_start(const char *data, size_t len);
/* The next token, or false at the end of the input. */
bool sp_jlex_next(struct sp_jlex *lx, struct sp_jtok *t);

#endif
