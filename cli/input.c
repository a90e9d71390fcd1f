/* SPDX-License-Identifier: MIT */
#include "cli/input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "formats/parse_cache.h"
#include "formats/yaml_util.h"
#include "generator/generate.h"

/* Nothing matched: say why as precisely as the content allows (a syntax
 * error with its position beats "unknown format").  The detectors parsed
 * the input already: inside sp_cli_load_policy_ex()'s parse cache this
 * costs nothing more (formats/parse_cache.h). */
static int explain_unknown(const char *path, const char *data, size_t len, struct sp_err *err)
{
	const char *s = data;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (!*s)
		return sp_err_set(err, -EINVAL, "%s: empty file", path);
	if (*s == '{') {
		json_t *root = NULL;
		int r = sp_json_load_u64(path, data, len, &root, err);
		json_decref(root);
		if (r < 0)
			return r;
		return sp_err_set(err, -EINVAL,
				  "%s: a JSON document that is neither a seccomp profile (Docker/OCI: "
				  "\"defaultAction\", \"syscalls\"), a SeccompProfile, nor a recording",
				  path);
	}
	json_t *docs = NULL;
	struct sp_ymarks *marks = NULL;
	int r = sp_yaml_load(path, data, len, &docs, &marks, err);
	json_decref(docs);
	sp_ymarks_free(marks);
	if (r < 0)
		return r;
	return sp_err_set(err, -EINVAL,
			  "%s: not a policy seccomp-profile reads (Docker/OCI JSON, SeccompProfile, go-seccomp-bpf "
			  "YAML with \"default_action\", or a recording)",
			  path);
}

int sp_cli_recording_policy(const char *path, const struct sp_recording *rec, const struct sp_gen_opts *gen,
			    struct sp_policy **out, struct sp_err *err)
{
	int r = sp_generate(rec, gen, out, err);
	if (r < 0) {
		sp_err_prefix(err, "%s", path);
		return r;
	}
	if (!(*out)->source)
		(*out)->source = xstrdup(path);
	return 0;
}

static int from_recording(const char *path, const char *data, size_t len, const struct sp_gen_opts *gen,
			  struct sp_policy **out, struct sp_recording **rec_out, struct sp_err *err)
{
	struct sp_recording *rec = NULL;
	int r = sp_recording_parse(path, data, len, &rec, err);
	if (r < 0)
		return r;
	r = sp_cli_recording_policy(path, rec, gen, out, err);
	if (r < 0) {
		sp_recording_free(rec);
		return r;
	}
	if (rec_out)
		*rec_out = rec;
	else
		sp_recording_free(rec);
	return 0;
}

static int load_policy(const char *path, const char *data, size_t len, const struct sp_cli_load_opts *o,
		       struct sp_policy **out, struct sp_recording **rec_out, struct sp_err *err)
{
	size_t n;
	const struct sp_format *f = sp_formats(&n);
	if (o->format) {
		const struct sp_format *want = sp_format_find(o->format);
		if (!want)
			return sp_err_set(err, -EINVAL, "unknown format '%s'", o->format);
		if (!strcmp(want->name, "recording"))
			return from_recording(path, data, len, o->gen, out, rec_out, err);
		if (!want->read_policy)
			return sp_err_set(err, -EINVAL, "format '%s' can be written but not read", o->format);
		return want->read_policy(path, data, len, o->read, out, err);
	}
	if (sp_recording_detect(data, len))
		return from_recording(path, data, len, o->gen, out, rec_out, err);
	for (size_t i = 0; i < n; i++)
		if (f[i].read_policy && f[i].detect && f[i].detect(data, len))
			return f[i].read_policy(path, data, len, o->read, out, err);
	return explain_unknown(path, data, len, err);
}

int sp_cli_load_policy_data(const char *path, const char *data, size_t len, const struct sp_cli_load_opts *o,
			    struct sp_policy **out, struct sp_recording **rec_out, struct sp_err *err)
{
	static const struct sp_cli_load_opts none = {0};
	if (!o)
		o = &none;
	if (rec_out)
		*rec_out = NULL;
	if (strlen(data) != len)
		return sp_err_set(err, -EINVAL, "%s: binary data (a NUL byte at offset %zu)", path, strlen(data));
	/* Detectors, the reader and explain_unknown() share one parse. */
	sp_parse_cache_begin(data, len);
	int r = load_policy(path, data, len, o, out, rec_out, err);
	sp_parse_cache_end();
	return r;
}

int sp_cli_load_policy_ex(const char *path, const struct sp_cli_load_opts *o, struct sp_policy **out,
			  struct sp_recording **rec_out, struct sp_err *err)
{
	if (rec_out)
		*rec_out = NULL;
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = sp_file_read_all(path, SP_MAX_INPUT_BYTES, &data, &len, err);
	if (r < 0)
		return r;
	return sp_cli_load_policy_data(path, data, len, o, out, rec_out, err);
}

int sp_cli_load_policy(const char *path, const struct sp_gen_opts *gen, struct sp_policy **out,
		       struct sp_recording **rec_out, struct sp_err *err)
{
	struct sp_cli_load_opts o = {.gen = gen};
	return sp_cli_load_policy_ex(path, &o, out, rec_out, err);
}
