/* SPDX-License-Identifier: MIT */
#include "formats/parse_cache.h"

#include <string.h>

static struct {
	const char *data;
	size_t len;
	bool open;
	struct sp_parsed slot[SP_PARSE_KINDS];
} cache;

void sp_parse_cache_begin(const char *data, size_t len)
{
	sp_parse_cache_end();
	cache.data = data;
	cache.len = len;
	cache.open = true;
}

void sp_parse_cache_end(void)
{
	for (int k = 0; k < SP_PARSE_KINDS; k++) {
		json_decref(cache.slot[k].root);
		sp_ymarks_free(cache.slot[k].marks);
	}
	memset(&cache, 0, sizeof(cache));
}

struct sp_parsed *sp_parse_cache_slot(const char *data, size_t len, enum sp_parse_kind kind)
{
	if (!cache.open || data != cache.data || len != cache.len || kind < 0 || kind >= SP_PARSE_KINDS)
		return NULL;
	return &cache.slot[kind];
}

int sp_parse_cached(struct sp_parsed *slot, sp_parse_fn load, const char *path, const char *data, size_t len,
		    json_t **root, struct sp_ymarks **marks, struct sp_err *err)
{
	if (!slot->done) {
		struct sp_err e = {0};
		slot->code = load("", data, len, &slot->root, marks ? &slot->marks : NULL, &e);
		if (slot->code < 0)
			memcpy(slot->msg, e.msg, sizeof(slot->msg));
		slot->done = true;
	}
	if (slot->code < 0)
		return sp_err_set(err, slot->code, "%s%s", path, slot->msg);
	*root = json_incref(slot->root);
	if (marks)
		*marks = sp_ymarks_copy(slot->marks);
	return slot->code;
}
