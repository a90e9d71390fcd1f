/* SPDX-License-Identifier: MIT */
#include "formats/json_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/json_lex.h"
#include "formats/parse_cache.h"
#include "formats/prescan.h"

int sp_json_error(const struct sp_jctx *c, const char *where, struct sp_err *err, const char *fmt, ...)
{
	char msg[SP_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sp_err_set(err, -EINVAL, "%s: %s: %s", c->file, where, msg);
}

/* jansson stops at a NUL and reports "end of file expected near end of
 * file", which helps nobody: say what is there. */
static int refuse_nul(const char *path, const char *data, size_t len, struct sp_err *err)
{
	const char *nul = memchr(data, '\0', len);
	if (nul)
		return sp_err_set(err, -EINVAL, "%s: byte %zu: NUL byte in a JSON file (binary data?)", path,
				  (size_t)(nul - data));
	return 0;
}

/* jansson refuses integers it cannot hold ("too big integer") with a
 * position only.  Every reader says the same about such a number, with its
 * JSON path, as the typed getters do for a number out of a field's range:
 * "FILE:L:C: $.abis.x86_64[0]: \"calls\": 18446744073709551616 is out of
 * range (at most 9223372036854775807)".  The input passed the prescan, so
 * it nests at most SP_MAX_DEPTH levels.  Returns 0 when no such literal is
 * found (jansson's own message is used then). */
static int name_big_integer(const char *path, const char *data, size_t len, uint64_t max, struct sp_err *err)
{
	struct frame {
		bool obj, want_key;
		const char *key;
		size_t keylen, index;
	} st[SP_MAX_DEPTH + 1];
	int depth = 0;
	struct sp_jlex lx = sp_jlex_start(data, len);
	struct sp_jtok t;
	while (sp_jlex_next(&lx, &t)) {
		char ch = t.c;
		struct frame *f = depth ? &st[depth - 1] : NULL;
		if (t.type == SP_JTOK_PUNCT) {
			if ((ch == '{' || ch == '[') && depth <= SP_MAX_DEPTH)
				st[depth++] = (struct frame){.obj = ch == '{', .want_key = ch == '{'};
			else if ((ch == '}' || ch == ']') && depth)
				depth--;
			else if (ch == ',' && f)
				f->index++, f->want_key = f->obj;
			continue;
		}
		if (t.type == SP_JTOK_STRING && f && f->want_key) {
			f->key = t.s + 1;
			f->keylen = t.n >= 2 ? t.n - 2 : 0;
			f->want_key = false;
			continue;
		}
		if (t.type != SP_JTOK_WORD || !f)
			continue;
		bool neg = ch == '-';
		size_t nd = t.n - neg;
		if (!nd || strspn(t.s + neg, "0123456789") != nd || (nd > 1 && t.s[neg] == '0'))
			continue; /* not an integer literal jansson reads */
		char lit[24];
		uint64_t v = 0;
		bool fits = nd < sizeof(lit);
		if (fits) {
			memcpy(lit, t.s + neg, nd);
			lit[nd] = 0;
			fits = sp_parse_u64(lit, UINT64_MAX, &v) && (neg ? v <= (uint64_t)INT64_MAX + 1 : v <= max);
		}
		if (fits)
			continue;
		int shown = t.n > 64 ? 64 : (int)t.n;
		struct sp_buf w = SP_BUF_INIT;
		sp_buf_puts(&w, "$");
		for (int i = 0; i + 1 < depth; i++) {
			if (st[i].obj)
				sp_buf_printf(&w, ".%.*s", (int)st[i].keylen, st[i].key);
			else
				sp_buf_printf(&w, "[%zu]", st[i].index);
		}
		char last[256];
		if (f->obj)
			snprintf(last, sizeof(last), "\"%.*s\"", (int)f->keylen, f->key);
		else
			snprintf(last, sizeof(last), "[%zu]", f->index);
		const char *more = shown < (int)t.n ? "..." : "";
		int r = neg ? sp_err_set(err, -EINVAL, "%s:%zu:%zu: %s: %s: %.*s%s is out of range (at least %lld)",
					 path, t.line, t.col, w.s, last, shown, t.s, more, (long long)INT64_MIN)
			    : sp_err_set(err, -EINVAL, "%s:%zu:%zu: %s: %s: %.*s%s is out of range (at most %llu)",
					 path, t.line, t.col, w.s, last, shown, t.s, more, (unsigned long long)max);
		sp_buf_release(&w);
		return r;
	}
	return 0;
}

/* jansson's error, or the one above for an integer it cannot hold. */
static int json_error(const char *path, const char *data, size_t len, uint64_t max, int line, int col,
		      const char *text, struct sp_err *err)
{
	if (!strncmp(text, "too big", 7)) {
		int r = name_big_integer(path, data, len, max, err);
		if (r < 0)
			return r;
	}
	return sp_err_set(err, -EINVAL, "%s:%d:%d: invalid JSON: %s", path, line, col, text);
}

static int load_plain(const char *path, const char *data, size_t len, json_t **out, struct sp_ymarks **marks SP_UNUSED,
		      struct sp_err *err)
{
	if (len > SP_MAX_INPUT_BYTES)
		return sp_err_set(err, -EFBIG, "%s: larger than the limit of %u bytes", path, SP_MAX_INPUT_BYTES);
	if (len == 0)
		return sp_err_set(err, -EINVAL, "%s: empty file", path);
	int r = refuse_nul(path, data, len, err);
	if (r < 0)
		return r;
	r = sp_prescan_json(path, data, len, err);
	if (r < 0)
		return r;
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return json_error(path, data, len, INT64_MAX, je.line, je.column, je.text, err);
	if (!json_is_object(root)) {
		json_decref(root);
		return sp_err_set(err, -EINVAL, "%s: $: expected a JSON object at the top level", path);
	}
	*out = root;
	return 0;
}

/* One integer literal rewritten by sp_json_load_u64(): on its line, text
 * after new_col is shifted right by grow characters. */
struct rewrite {
	int line, new_col, grow;
};

static int load_u64(const char *path, const char *data, size_t len, json_t **out, struct sp_ymarks **marks SP_UNUSED,
		    struct sp_err *err)
{
	if (len > SP_MAX_INPUT_BYTES)
		return sp_err_set(err, -EFBIG, "%s: larger than the limit of %u bytes", path, SP_MAX_INPUT_BYTES);
	int nul = refuse_nul(path, data, len, err);
	if (nul < 0)
		return nul;
	/* Before the rewrite below: it changes digits only, so the nesting
	 * and the values are those of data. */
	nul = sp_prescan_json(path, data, len, err);
	if (nul < 0)
		return nul;
	/* b gets data with the literals rewritten; text between them is
	 * copied in spans (copied: how much of data is in b), and not at all
	 * when nothing needs rewriting. */
	struct sp_buf b = SP_BUF_INIT;
	struct rewrite *rw = NULL;
	size_t nrw = 0, caprw = 0, copied = 0, shift_line = 0;
	int shift = 0, r = 0;
	struct sp_jlex lx = sp_jlex_start(data, len);
	struct sp_jtok t;
	while (sp_jlex_next(&lx, &t)) {
		if (t.line != shift_line)
			shift_line = t.line, shift = 0;
		if (t.type != SP_JTOK_WORD)
			continue;
		/* Within a word: a '-' is a negative number; a run of digits
		 * and the characters of a number is a literal. */
		for (size_t k = 0; k < t.n; k++) {
			size_t i = (size_t)(t.s - data) + k;
			int col = (int)(t.col + k), line = (int)t.line;
			if (data[i] == '-') {
				r = sp_err_set(err, -EINVAL,
					       "%s:%d:%d: negative number: values in a seccomp profile are unsigned "
					       "(write -N as 2^64-N)",
					       path, line, col);
				goto out;
			}
			if (data[i] < '0' || data[i] > '9')
				continue;
			size_t j = i;
			while (j < len && ((data[j] >= '0' && data[j] <= '9') || (data[j] && strchr(".eE+-", data[j]))))
				j++;
			size_t n = j - i;
			char lit[24];
			uint64_t v;
			/* Longer than 20 digits, a fraction, an exponent or a
			 * leading zero: not ours to rewrite, jansson reports what
			 * is wrong. */
			bool ours = n < sizeof(lit) && !(n > 1 && data[i] == '0');
			if (ours) {
				memcpy(lit, data + i, n);
				lit[n] = 0;
				ours = !strpbrk(lit, ".eE") && sp_parse_u64(lit, UINT64_MAX, &v) && v > INT64_MAX;
			}
			if (ours) {
				char neg[32];
				int m = snprintf(neg, sizeof(neg), "%lld", (long long)(int64_t)v);
				sp_buf_add(&b, data + copied, i - copied);
				sp_buf_add(&b, neg, (size_t)m);
				copied = j;
				xgrow((void **)&rw, &caprw, nrw + 1, sizeof(*rw));
				shift += m - (int)n;
				rw[nrw++] = (struct rewrite){line, col + (int)n - 1 + shift, m - (int)n};
			}
			k += n - 1;
		}
	}
	if (nrw)
		sp_buf_add(&b, data + copied, len - copied);
	if (len == 0) {
		r = sp_err_set(err, -EINVAL, "%s: empty file", path);
		goto out;
	}
	json_error_t je;
	json_t *root = json_loadb(nrw ? b.s : data, nrw ? b.len : len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		int ecol = je.column;
		for (size_t k = nrw; k-- > 0;)
			if (rw[k].line == je.line && ecol > rw[k].new_col)
				ecol -= rw[k].grow;
		r = json_error(path, data, len, UINT64_MAX, je.line, ecol, je.text, err);
		goto out;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		r = sp_err_set(err, -EINVAL, "%s: $: expected a JSON object at the top level", path);
		goto out;
	}
	*out = root;
out:
	sp_buf_release(&b);
	free(rw);
	return r;
}

int sp_json_load(const char *path, const char *data, size_t len, json_t **out, struct sp_err *err)
{
	struct sp_parsed *slot = sp_parse_cache_slot(data, len, SP_PARSE_JSON);
	if (slot)
		return sp_parse_cached(slot, load_plain, path, data, len, out, NULL, err);
	return load_plain(path, data, len, out, NULL, err);
}

int sp_json_load_u64(const char *path, const char *data, size_t len, json_t **out, struct sp_err *err)
{
	struct sp_parsed *slot = sp_parse_cache_slot(data, len, SP_PARSE_JSON_U64);
	if (slot)
		return sp_parse_cached(slot, load_u64, path, data, len, out, NULL, err);
	return load_u64(path, data, len, out, NULL, err);
}

static json_t *member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

#define MISSING(c, where, key, err, required)                                                 \
	((required) ? sp_json_error(c, where, err, "missing required key \"%s\"", key) : 0)

int sp_json_get_str(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		    const char **out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, where, key, err, required);
	if (!json_is_string(v))
		return sp_json_error(c, where, err, "\"%s\": expected a string", key);
	*out = json_string_value(v);
	return 0;
}

int sp_json_get_u64(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		    uint64_t max, uint64_t *out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, where, key, err, required);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return sp_json_error(c, where, err, "\"%s\": expected a non-negative integer", key);
	uint64_t n = (uint64_t)json_integer_value(v);
	if (n > max)
		return sp_json_error(c, where, err, "\"%s\": %llu is out of range (at most %llu)", key,
				     (unsigned long long)n, (unsigned long long)max);
	*out = n;
	return 0;
}

int sp_json_get_bool(const struct sp_jctx *c, json_t *obj, const char *where, const char *key, bool required,
		     bool *out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, where, key, err, required);
	if (!json_is_boolean(v))
		return sp_json_error(c, where, err, "\"%s\": expected true or false", key);
	*out = json_is_true(v);
	return 0;
}

int sp_json_get_container(const struct sp_jctx *c, json_t *obj, const char *where, const char *key,
			  bool required, json_type type, json_t **out, struct sp_err *err)
{
	json_t *v = member(obj, key);
	if (!v)
		return MISSING(c, where, key, err, required);
	if (json_typeof(v) != type)
		return sp_json_error(c, where, err, "\"%s\": expected %s", key,
				     type == JSON_OBJECT ? "an object" : "an array");
	*out = v;
	return 0;
}

int sp_json_check_keys(const struct sp_jctx *c, json_t *obj, const char *where, const char *const *allowed,
		       struct sp_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, key);
		if (!ok)
			return sp_json_error(c, where, err, "unknown key \"%s\"", key);
	}
	return 0;
}

int sp_json_dump(FILE *out, json_t *root, struct sp_err *err)
{
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', out) == EOF)
		return sp_err_sys(err, "write JSON");
	return 0;
}
