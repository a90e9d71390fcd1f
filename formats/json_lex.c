/* SPDX-License-Identifier: MIT */
#include "formats/json_lex.h"

struct sp_jlex sp_jlex_start(const char *data, size_t len)
{
	return (struct sp_jlex){.p = data, .end = data + len, .line = 1, .col = 0};
}

static bool is_word(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' ||
	       ch == '+' || ch == '.';
}

/* Moves past one byte, counting lines and columns. */
static inline void step(struct sp_jlex *lx)
{
	if (*lx->p++ == '\n')
		lx->line++, lx->col = 0;
	else
		lx->col++;
}

bool sp_jlex_next(struct sp_jlex *lx, struct sp_jtok *t)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r'))
		step(lx);
	if (lx->p >= lx->end)
		return false;
	const char *s = lx->p;
	char ch = *s;
	step(lx);
	t->s = s;
	t->c = ch;
	t->line = lx->line;
	t->col = lx->col;
	if (ch == '"') {
		t->type = SP_JTOK_STRING;
		bool esc = false;
		while (lx->p < lx->end) {
			char c = *lx->p;
			step(lx);
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				break;
		}
	} else if (is_word(ch)) {
		t->type = SP_JTOK_WORD;
		while (lx->p < lx->end && is_word(*lx->p))
			lx->p++, lx->col++;
	} else {
		t->type = ch == '{' || ch == '}' || ch == '[' || ch == ']' || ch == ':' || ch == ','
				  ? SP_JTOK_PUNCT
				  : SP_JTOK_OTHER;
	}
	t->n = (size_t)(lx->p - s);
	return true;
}
