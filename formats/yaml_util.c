/* SPDX-License-Identifier: MIT */
#include "formats/yaml_util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/parse_cache.h"
#include "formats/prescan.h"

struct mark {
	const json_t *node;
	unsigned line, col;
};

/* Open-addressing hash from node pointer to position. */
struct sp_ymarks {
	size_t cap, n;
	struct mark *v;
};

static size_t hash_ptr(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= 0xed5ad4bbu;
	x ^= x >> 11;
	return (size_t)x & (cap - 1);
}

static void marks_put(struct sp_ymarks *m, const json_t *node, unsigned line, unsigned col)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct sp_ymarks g = {.cap = m->cap ? m->cap * 2 : 256};
		g.v = xcalloc(g.cap, sizeof(*g.v));
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].node)
				marks_put(&g, m->v[i].node, m->v[i].line, m->v[i].col);
		free(m->v);
		*m = g;
	}
	size_t i = hash_ptr(node, m->cap);
	while (m->v[i].node && m->v[i].node != node)
		i = (i + 1) & (m->cap - 1);
	if (!m->v[i].node)
		m->n++;
	m->v[i] = (struct mark){node, line, col};
}

bool sp_ymarks_get(const struct sp_ymarks *m, const json_t *node, unsigned *line, unsigned *col)
{
	if (!m || !m->cap || !node)
		return false;
	size_t i = hash_ptr(node, m->cap);
	while (m->v[i].node) {
		if (m->v[i].node == node) {
			*line = m->v[i].line;
			*col = m->v[i].col;
			return true;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return false;
}

void sp_ymarks_free(struct sp_ymarks *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

struct conv {
	const char *path;
	yaml_document_t *doc;
	struct sp_ymarks *marks;
	json_t **cache;   /* converted node per index (aliases share it) */
	bool *busy;       /* being converted: an alias back to it is a cycle */
	size_t budget;
	struct sp_err *err;
	/* where the node being converted is: seg[1..depth] (key or index) */
	struct {
		const char *key; /* NULL in a sequence */
		size_t index;
	} seg[SP_MAX_DEPTH + 2];
	int depth;
};

/* An integer that does not fit 64 bits, worded as the JSON readers word
 * one (formats/json_util.c): "FILE:L:C: $.a[2]: \"key\": N is out of
 * range (at most 18446744073709551615)". */
static int too_big(struct conv *c, const yaml_node_t *n, const char *s)
{
	struct sp_buf w = SP_BUF_INIT;
	sp_buf_puts(&w, "$");
	for (int i = 1; i < c->depth; i++) {
		if (c->seg[i].key)
			sp_buf_printf(&w, ".%s", c->seg[i].key);
		else
			sp_buf_printf(&w, "[%zu]", c->seg[i].index);
	}
	char last[256] = "";
	if (c->depth > 0 && c->seg[c->depth].key)
		snprintf(last, sizeof(last), ": \"%s\"", c->seg[c->depth].key);
	else if (c->depth > 0)
		snprintf(last, sizeof(last), ": [%zu]", c->seg[c->depth].index);
	int r = *s == '-' ? sp_err_set(c->err, -EINVAL, "%s:%zu:%zu: %s%s: %.64s is out of range (at least %lld)",
				       c->path, n->start_mark.line + 1, n->start_mark.column + 1, w.s, last, s,
				       (long long)INT64_MIN)
			  : sp_err_set(c->err, -EINVAL, "%s:%zu:%zu: %s%s: %.64s is out of range (at most %llu)",
				       c->path, n->start_mark.line + 1, n->start_mark.column + 1, w.s, last, s,
				       (unsigned long long)UINT64_MAX);
	sp_buf_release(&w);
	return r;
}

static int conv_error(struct conv *c, const yaml_node_t *n, const char *fmt, const char *arg)
{
	return sp_err_set(c->err, -EINVAL, "%s:%zu:%zu: %s%s", c->path, n->start_mark.line + 1,
			  n->start_mark.column + 1, fmt, arg ? arg : "");
}

static bool is_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

/* Unsigned integer in the YAML 1.1/1.2 spellings Go's yaml.v2 accepts
 * (no '_' separators).  Returns 1 for an integer, 0 for "not an integer",
 * -1 for an integer that does not fit 64 bits. */
static int parse_yaml_uint(const char *s, uint64_t *out)
{
	int base = 10;
	const char *d = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, d = s + 2;
	else if (s[0] == '0' && s[1] == 'o')
		base = 8, d = s + 2;
	else if (s[0] == '0' && s[1])
		base = 8, d = s + 1;
	if (!*d)
		return 0;
	for (const char *p = d; *p; p++) {
		int v = (*p >= '0' && *p <= '9')   ? *p - '0'
			: (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
			: (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10
						   : 99;
		if (v >= base)
			return 0;
	}
	errno = 0;
	unsigned long long v = strtoull(d, NULL, base);
	if (errno == ERANGE)
		return -1;
	*out = v;
	return 1;
}

static bool looks_like_float(const char *s)
{
	static const char *const special[] = {".inf", ".Inf", ".INF", "-.inf", "+.inf", "-.Inf", "+.Inf",
					      ".nan", ".NaN", ".NAN", NULL};
	if (is_one_of(s, special))
		return true;
	char *end;
	errno = 0;
	strtod(s, &end);
	return *s && !*end && strpbrk(s, "0123456789") && !strpbrk(s, "xXpP");
}

static int conv_scalar(struct conv *c, yaml_node_t *n, json_t **out)
{
	const char *s = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	if (strlen(s) != len)
		return conv_error(c, n, "NUL byte inside a scalar", NULL);
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		*out = json_stringn(s, len);
		if (!*out)
			return conv_error(c, n, "scalar is not valid UTF-8", NULL);
		return 0;
	}
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON",
					    "y", "Y", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF",
					     "n", "N", NULL};
	if (is_one_of(s, nulls)) {
		*out = json_null();
		return 0;
	}
	if (is_one_of(s, trues) || is_one_of(s, falses)) {
		*out = json_boolean(is_one_of(s, trues));
		return 0;
	}
	const char *digits = s;
	bool neg = false;
	if (*digits == '-' || *digits == '+')
		neg = *digits++ == '-';
	uint64_t u;
	int r = parse_yaml_uint(digits, &u);
	if (r < 0)
		return too_big(c, n, s);
	if (r > 0) {
		/* Negative integers become reals and 2^63.. become negative
		 * json integers: see the header. */
		if (neg && u)
			*out = json_real(-(double)u);
		else
			*out = json_integer((json_int_t)u);
		return 0;
	}
	if (looks_like_float(s)) {
		*out = json_real(strtod(s, NULL));
		return 0;
	}
	*out = json_stringn(s, len);
	if (!*out)
		return conv_error(c, n, "scalar is not valid UTF-8", NULL);
	return 0;
}

static int conv_node(struct conv *c, int idx, int depth, json_t **out);

static int conv_children(struct conv *c, yaml_node_t *n, int depth, json_t *j)
{
	int r;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			json_t *v = NULL;
			if (depth + 1 <= SP_MAX_DEPTH + 1)
				c->seg[depth + 1].key = NULL, c->seg[depth + 1].index = (size_t)(it - n->data.sequence.items.start);
			if ((r = conv_node(c, *it, depth + 1, &v)) < 0)
				return r;
			json_array_append_new(j, v);
		}
		return 0;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			return conv_error(c, k ? k : n, "mapping keys must be plain strings", NULL);
		const char *key = (const char *)k->data.scalar.value;
		if (!strcmp(key, "<<") && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return conv_error(c, k, "merge keys ('<<') are not supported", NULL);
		if (strlen(key) != k->data.scalar.length)
			return conv_error(c, k, "NUL byte inside a key", NULL);
		if (json_object_get(j, key))
			return conv_error(c, k, "duplicate key: ", key);
		json_t *v = NULL;
		if (depth + 1 <= SP_MAX_DEPTH + 1)
			c->seg[depth + 1].key = key;
		if ((r = conv_node(c, p->value, depth + 1, &v)) < 0)
			return r;
		if (json_object_set_new(j, key, v) < 0)
			return conv_error(c, k, "key is not valid UTF-8", NULL);
	}
	return 0;
}

static int conv_node(struct conv *c, int idx, int depth, json_t **out)
{
	yaml_node_t *n = yaml_document_get_node(c->doc, idx);
	if (!n)
		return sp_err_set(c->err, -EINVAL, "%s: malformed YAML document", c->path);
	/* Past formats/prescan.c: a block sequence at its key's indentation
	 * opens no block of its own there. */
	if (depth > SP_MAX_DEPTH)
		return sp_err_set(c->err, -EINVAL, "%s:%zu:%zu: nesting deeper than %d levels", c->path,
				  n->start_mark.line + 1, n->start_mark.column + 1, SP_MAX_DEPTH);
	if (c->busy[idx])
		return conv_error(c, n, "recursive alias", NULL);
	if (c->cache[idx]) {
		*out = json_incref(c->cache[idx]);
		return 0;
	}
	if (c->budget-- == 0)
		return conv_error(c, n, "document has too many nodes", NULL);
	json_t *j = NULL;
	int r = 0;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		c->depth = depth;
		r = conv_scalar(c, n, &j);
		break;
	case YAML_SEQUENCE_NODE:
	case YAML_MAPPING_NODE:
		j = n->type == YAML_SEQUENCE_NODE ? json_array() : json_object();
		c->busy[idx] = true;
		r = conv_children(c, n, depth, j);
		c->busy[idx] = false;
		break;
	default:
		return conv_error(c, n, "empty node", NULL);
	}
	if (r < 0) {
		json_decref(j);
		return r;
	}
	if (j != json_true() && j != json_false() && j != json_null())
		marks_put(c->marks, j, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1);
	c->cache[idx] = j;
	*out = json_incref(j);
	return 0;
}

static void release_cache(json_t **cache, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(cache[i]);
	free(cache);
}

struct sp_ymarks *sp_ymarks_copy(const struct sp_ymarks *m)
{
	struct sp_ymarks *c = xcalloc(1, sizeof(*c));
	if (m && m->cap) {
		*c = *m;
		c->v = xmalloc(m->cap * sizeof(*c->v));
		memcpy(c->v, m->v, m->cap * sizeof(*c->v));
	}
	return c;
}

int sp_yaml_parser_err(const struct yaml_parser_s *parser, const char *path, struct sp_err *err)
{
	/* libyaml leaves problem unset only when it ran out of memory */
	const char *problem = parser->problem ? parser->problem
			      : parser->error == YAML_MEMORY_ERROR ? "out of memory"
								   : "syntax error";
	return sp_err_set(err, -EINVAL, "%s:%zu:%zu: invalid YAML: %s%s%s", path, parser->problem_mark.line + 1,
			  parser->problem_mark.column + 1, problem, parser->context ? " " : "",
			  parser->context ? parser->context : "");
}

static int load_yaml(const char *path, const char *data, size_t len, json_t **docs, struct sp_ymarks **marks,
		     struct sp_err *err)
{
	if (len > SP_MAX_INPUT_BYTES)
		return sp_err_set(err, -EFBIG, "%s: larger than the limit of %u bytes", path, SP_MAX_INPUT_BYTES);
	int pr = sp_prescan_yaml(path, data, len, err);
	if (pr < 0)
		return pr;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return sp_err_set(err, -ENOMEM, "%s: cannot initialise the YAML parser", path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	json_t *all = json_array();
	struct sp_ymarks *m = xcalloc(1, sizeof(*m));
	struct conv c = {.path = path, .marks = m, .budget = SP_MAX_NODES, .err = err};
	int r = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			r = sp_yaml_parser_err(&parser, path, err);
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) { /* end of stream */
			yaml_document_delete(&doc);
			break;
		}
		size_t nn = (size_t)(doc.nodes.top - doc.nodes.start) + 1;
		c.doc = &doc;
		c.cache = xcalloc(nn, sizeof(*c.cache));
		c.busy = xcalloc(nn, sizeof(*c.busy));
		json_t *j = NULL;
		r = conv_node(&c, 1, 0, &j);
		release_cache(c.cache, nn);
		free(c.busy);
		yaml_document_delete(&doc);
		if (r < 0)
			break;
		json_array_append_new(all, j);
	}
	yaml_parser_delete(&parser);
	if (r < 0) {
		json_decref(all);
		sp_ymarks_free(m);
		return r;
	}
	*docs = all;
	*marks = m;
	return 0;
}

int sp_yaml_load(const char *path, const char *data, size_t len, json_t **docs, struct sp_ymarks **marks,
		 struct sp_err *err)
{
	struct sp_parsed *slot = sp_parse_cache_slot(data, len, SP_PARSE_YAML);
	if (slot)
		return sp_parse_cached(slot, load_yaml, path, data, len, docs, marks, err);
	return load_yaml(path, data, len, docs, marks, err);
}
