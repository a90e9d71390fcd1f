/* SPDX-License-Identifier: MIT */
#include "formats/json_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
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
		return sp_err_set(err, -EINVAL, "%s:%d:%d: invalid JSON: %s", path, je.line, je.column, je.text);
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
	size_t nrw = 0, caprw = 0, copied = 0;
	int line = 1, col = 0, shift = 0, r = 0;
	bool in_str = false, esc = false;
	for (size_t i = 0; i < len; i++) {
		char ch = data[i];
		col++;
		if (ch == '\n')
			line++, col = 0, shift = 0;
		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"')
			in_str = true;
		if (ch == '-') {
			r = sp_err_set(err, -EINVAL,
				       "%s:%d:%d: negative number: values in a seccomp profile are unsigned (write "
				       "-N as 2^64-N)", path, line, col);
			goto out;
		}
		if (ch < '0' || ch > '9')
			continue;
		size_t j = i;
		/* data[j] && : strchr() also finds the terminating NUL, and a
		 * NUL here made the literal longer than its copy below (heap
		 * overread found by tests/fuzz/fuzz_docker). */
		while (j < len && ((data[j] >= '0' && data[j] <= '9') || (data[j] && strchr(".eE+-", data[j]))))
			j++;
		size_t n = j - i;
		char lit[24];
		uint64_t v;
		/* Longer than 20 digits, a fraction, an exponent or a leading
		 * zero: not ours to rewrite, jansson reports what is wrong. */
		bool ours = n < sizeof(lit) && !(n > 1 && data[i] == '0');
		if (ours) {
			memcpy(lit, data + i, n);
			lit[n] = 0;
			ours = !strpbrk(lit, ".eE") && sp_parse_u64(lit, UINT64_MAX, &v) && v > INT64_MAX;
		}
		if (ours) {
			char neg[32];
			int k = snprintf(neg, sizeof(neg), "%lld", (long long)(int64_t)v);
			sp_buf_add(&b, data + copied, i - copied);
			sp_buf_add(&b, neg, (size_t)k);
			copied = j;
			xgrow((void **)&rw, &caprw, nrw + 1, sizeof(*rw));
			shift += k - (int)n;
			rw[nrw++] = (struct rewrite){line, col + (int)n - 1 + shift, k - (int)n};
		}
		col += (int)n - 1;
		i = j - 1;
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
		r = sp_err_set(err, -EINVAL, "%s:%d:%d: invalid JSON: %s", path, je.line, ecol, je.text);
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
