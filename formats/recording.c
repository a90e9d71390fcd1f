/* SPDX-License-Identifier: MIT */
/*
 * The native recording format: JSON, schema "seccomp-profile/recording",
 * version 1.  docs/recording-format.md describes every field.  Numbers are
 * JSON integers except argument values, which are "0x..." strings because
 * they are unsigned 64-bit and JSON readers commonly lose precision above
 * 2^53.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/json_lex.h"
#include "formats/json_util.h"

/* ---- writing ---------------------------------------------------------- */

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *sp_json_callsites(const struct sp_sysc *s)
{
	json_t *sites = json_array();
	for (size_t i = 0; i < s->nsites; i++) {
		const struct sp_callsite *cs = &s->sites[i];
		json_t *frames = json_array();
		for (size_t f = 0; f < cs->nframes; f++) {
			const struct sp_frame *fr = &cs->frames[f];
			json_t *jf = json_object();
			json_object_set_new(jf, "module", jstr_or_null(fr->module));
			json_object_set_new(jf, "offset", json_integer((json_int_t)fr->offset));
			json_object_set_new(jf, "symbol", jstr_or_null(fr->symbol));
			json_object_set_new(jf, "sym_off", json_integer((json_int_t)fr->sym_off));
			json_array_append_new(frames, jf);
		}
		json_t *js = json_object();
		json_object_set_new(js, "exe", jstr_or_null(cs->exe));
		json_object_set_new(js, "frames", frames);
		json_array_append_new(sites, js);
	}
	return sites;
}

static json_t *write_sysc(const struct sp_sysc *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", jstr_or_null(s->name));
	json_object_set_new(o, "nr", json_integer(s->nr));
	json_object_set_new(o, "calls", json_integer((json_int_t)s->calls));
	json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
	json_t *errnos = json_object();
	for (size_t i = 0; i < s->nerrs; i++) {
		const char *n = sp_errno_name(s->errs[i].err);
		char buf[16];
		if (!n) {
			snprintf(buf, sizeof(buf), "%d", s->errs[i].err);
			n = buf;
		}
		json_object_set_new(errnos, n, json_integer((json_int_t)s->errs[i].count));
	}
	json_object_set_new(o, "errnos", errnos);
	json_object_set_new(o, "time_ns", json_integer((json_int_t)s->time_ns));
	json_object_set_new(o, "runs_seen", json_integer(s->runs_seen));
	if (s->flags & SP_SYSC_BASELINE)
		json_object_set_new(o, "baseline", json_true());
	json_t *first = json_object();
	json_object_set_new(first, "pid", json_integer(s->first_pid));
	json_object_set_new(first, "exe", jstr_or_null(s->first_exe));
	json_object_set_new(o, "first", first);

	json_t *args = json_object();
	for (int a = 0; a < 6; a++) {
		const struct sp_argset *as = &s->args[a];
		if (!as->used)
			continue;
		json_t *vals = json_array();
		for (size_t k = 0; k < as->nvalues; k++) {
			char hex[24];
			snprintf(hex, sizeof(hex), "0x%" PRIx64, as->values[k]);
			json_array_append_new(vals, json_string(hex));
		}
		json_t *ja = json_object();
		json_object_set_new(ja, "values", vals);
		json_object_set_new(ja, "overflow", json_boolean(as->overflow));
		char idx[2] = {(char)('0' + a), 0};
		json_object_set_new(args, idx, ja);
	}
	if (json_object_size(args))
		json_object_set_new(o, "args", args);
	else
		json_decref(args);
	if (s->nsites)
		json_object_set_new(o, "sites", sp_json_callsites(s));
	if (s->sites_dropped)
		json_object_set_new(o, "sites_dropped", json_integer(s->sites_dropped));
	return o;
}

int sp_recording_write(FILE *out, const struct sp_recording *rec, struct sp_err *err)
{
	const struct sp_recording_meta *m = &rec->meta;
	json_auto_t *root = json_object();
	json_object_set_new(root, "schema", json_string(SP_RECORDING_SCHEMA));
	json_object_set_new(root, "version", json_integer(SP_RECORDING_VERSION));

	json_t *meta = json_object();
	json_object_set_new(meta, "tool_version", jstr_or_null(m->tool_version));
	json_object_set_new(meta, "command", m->command ? jstrv(m->command, sp_strv_len(m->command)) : json_null());
	json_t *att = json_array();
	for (size_t i = 0; i < m->nattached; i++)
		json_array_append_new(att, json_integer(m->attached[i]));
	json_object_set_new(meta, "attached", att);
	json_object_set_new(meta, "executables", jstrv(m->executables, m->nexecutables));
	json_object_set_new(meta, "kernel", jstr_or_null(m->kernel));
	json_object_set_new(meta, "machine", jstr_or_null(m->machine));
	json_object_set_new(meta, "libc", jstr_or_null(m->libc));
	json_object_set_new(meta, "start_time", jstr_or_null(m->start_time));
	json_object_set_new(meta, "duration_ns", json_integer((json_int_t)m->duration_ns));
	json_object_set_new(meta, "exit_status", m->exit_status >= 0 ? json_integer(m->exit_status) : json_null());
	json_object_set_new(meta, "exit_signal", m->exit_signal ? json_integer(m->exit_signal) : json_null());
	json_object_set_new(meta, "processes", json_integer((json_int_t)m->processes));
	json_object_set_new(meta, "threads", json_integer((json_int_t)m->threads));
	json_object_set_new(meta, "complete", json_boolean(m->complete));
	json_object_set_new(meta, "incomplete_reason", jstr_or_null(m->incomplete_reason));
	json_object_set_new(meta, "tracing", jstr_or_null(m->tracing));
	json_object_set_new(meta, "tracing_note", jstr_or_null(m->tracing_note));
	json_object_set_new(meta, "backend", jstr_or_null(m->backend));
	json_object_set_new(meta, "lost_events", json_integer((json_int_t)m->lost_events));
	json_object_set_new(meta, "baseline", jstr_or_null(m->baseline));
	json_object_set_new(meta, "runs", json_integer(m->runs));
	json_object_set_new(meta, "sources", jstrv(m->sources, sp_strv_len(m->sources)));
	json_object_set_new(meta, "escaped", jstrv(m->escaped, m->nescaped));
	if (m->container) {
		/* Only recordings made by oci-hook have it: older readers
		 * of recordings made by `record` see no new key. */
		const struct sp_container_meta *k = m->container;
		json_t *co = json_object();
		json_object_set_new(co, "id", jstr_or_null(k->id));
		json_object_set_new(co, "runtime", jstr_or_null(k->runtime));
		json_object_set_new(co, "bundle", jstr_or_null(k->bundle));
		json_object_set_new(co, "rootfs", jstr_or_null(k->rootfs));
		json_object_set_new(co, "hostname", jstr_or_null(k->hostname));
		json_object_set_new(co, "observed_from", jstr_or_null(k->observed_from));
		json_object_set_new(meta, "container", co);
	}
	/* Only runs that used io_uring have it: older readers of the
	 * recordings of other runs see no new key. */
	if (m->io_uring.used) {
		json_t *uring = json_object();
		json_object_set_new(uring, "opcodes", jstrv(m->io_uring.ops, m->io_uring.nops));
		json_object_set_new(uring, "opcodes_complete", json_boolean(m->io_uring.ops_complete));
		json_object_set_new(uring, "sqpoll", json_boolean(m->io_uring.sqpoll));
		json_object_set_new(meta, "io_uring", uring);
	}
	if (m->nunfaithful) {
		json_t *unf = json_array();
		for (size_t i = 0; i < m->nunfaithful; i++) {
			json_t *e = json_object();
			json_object_set_new(e, "path", json_string(m->unfaithful[i].path));
			json_object_set_new(e, "reason", json_string(m->unfaithful[i].reason));
			json_array_append_new(unf, e);
		}
		json_object_set_new(meta, "unfaithful_execs", unf);
	}
	json_object_set_new(root, "meta", meta);

	json_t *abis = json_object();
	size_t n;
	_cleanup_free_ struct sp_sysc **v = sp_recording_sorted(rec, &n);
	for (size_t i = 0; i < n; i++) {
		const char *an = sp_abi_name(v[i]->abi);
		json_t *arr = json_object_get(abis, an);
		if (!arr) {
			arr = json_array();
			json_object_set_new(abis, an, arr);
		}
		json_array_append_new(arr, write_sysc(v[i]));
	}
	json_object_set_new(root, "abis", abis);
	return sp_json_dump(out, root, err);
}

/* ---- reading ---------------------------------------------------------- */

static int read_strv(const struct sp_jctx *c, json_t *arr, const char *where, char ***out, size_t *nout,
		     struct sp_err *err)
{
	size_t n = json_array_size(arr);
	char **v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		if (!json_is_string(e)) {
			sp_strv_free(v);
			return sp_json_error(c, where, err, "element %zu: expected a string", i);
		}
		v[i] = xstrdup(json_string_value(e));
	}
	*out = v;
	if (nout)
		*nout = n;
	return 0;
}

static int dup_str(const struct sp_jctx *c, json_t *o, const char *where, const char *key, char **out,
		   struct sp_err *err)
{
	const char *s = NULL;
	int r = sp_json_get_str(c, o, where, key, false, &s, err);
	if (r < 0)
		return r;
	*out = s ? xstrdup(s) : NULL;
	return 0;
}

static const char *const meta_keys[] = {
	"tool_version", "command", "attached", "executables", "kernel", "machine", "libc", "start_time",
	"duration_ns", "exit_status", "exit_signal", "processes", "threads", "complete", "incomplete_reason",
	"tracing", "tracing_note", "backend", "lost_events", "baseline", "runs", "sources", "escaped", "container", "io_uring", "unfaithful_execs", NULL,
};

static const char *const container_keys[] = {
	"id", "runtime", "bundle", "rootfs", "hostname", "observed_from", NULL,
};

static int read_container(const struct sp_jctx *c, json_t *meta, struct sp_recording_meta *m, struct sp_err *err)
{
	json_t *o = NULL;
	int r = sp_json_get_container(c, meta, "$.meta", "container", false, JSON_OBJECT, &o, err);
	if (r < 0 || !o)
		return r;
	const char *w = "$.meta.container";
	if ((r = sp_json_check_keys(c, o, w, container_keys, err)) < 0)
		return r;
	struct sp_container_meta *k = m->container = xcalloc(1, sizeof(*k));
	if ((r = dup_str(c, o, w, "id", &k->id, err)) < 0 || (r = dup_str(c, o, w, "runtime", &k->runtime, err)) < 0 ||
	    (r = dup_str(c, o, w, "bundle", &k->bundle, err)) < 0 ||
	    (r = dup_str(c, o, w, "rootfs", &k->rootfs, err)) < 0 ||
	    (r = dup_str(c, o, w, "hostname", &k->hostname, err)) < 0 ||
	    (r = dup_str(c, o, w, "observed_from", &k->observed_from, err)) < 0)
		return r;
	return 0;
}

static const char *const unfaithful_keys[] = {"path", "reason", NULL};

/* meta.unfaithful_execs: [{"path": ..., "reason": ...}]; absent = none. */
static int read_unfaithful(const struct sp_jctx *c, json_t *meta, struct sp_recording *rec, struct sp_err *err)
{
	json_t *a = NULL;
	int r = sp_json_get_container(c, meta, "$.meta", "unfaithful_execs", false, JSON_ARRAY, &a, err);
	if (r < 0 || !a)
		return r;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		char where[64];
		snprintf(where, sizeof(where), "$.meta.unfaithful_execs[%zu]", i);
		const char *path = NULL, *reason = NULL;
		if (!json_is_object(e))
			return sp_json_error(c, where, err, "expected an object");
		if ((r = sp_json_check_keys(c, e, where, unfaithful_keys, err)) < 0 ||
		    (r = sp_json_get_str(c, e, where, "path", true, &path, err)) < 0 ||
		    (r = sp_json_get_str(c, e, where, "reason", true, &reason, err)) < 0)
			return r;
		sp_recording_add_unfaithful(rec, path, reason);
	}
	return 0;
}

static const char *const uring_keys[] = {"opcodes", "opcodes_complete", "sqpoll", NULL};

/* meta.io_uring: null/absent (no io_uring call), or what was seen. */
static int read_uring(const struct sp_jctx *c, json_t *meta, struct sp_recording_uring *u, struct sp_err *err)
{
	const char *w = "$.meta.io_uring";
	json_t *o = NULL, *a = NULL;
	int r = sp_json_get_container(c, meta, "$.meta", "io_uring", false, JSON_OBJECT, &o, err);
	if (r < 0 || !o)
		return r;
	if ((r = sp_json_check_keys(c, o, w, uring_keys, err)) < 0)
		return r;
	u->used = true;
	u->ops_complete = true;
	if ((r = sp_json_get_bool(c, o, w, "opcodes_complete", false, &u->ops_complete, err)) < 0 ||
	    (r = sp_json_get_bool(c, o, w, "sqpoll", false, &u->sqpoll, err)) < 0 ||
	    (r = sp_json_get_container(c, o, w, "opcodes", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a) {
		char **v = NULL;
		size_t n = 0;
		if ((r = read_strv(c, a, "$.meta.io_uring.opcodes", &v, &n, err)) < 0)
			return r;
		for (size_t i = 0; i < n; i++)
			sp_strset_add(&u->ops, &u->nops, v[i]);
		sp_strv_free(v);
	}
	return 0;
}

static int read_meta(const struct sp_jctx *c, json_t *meta, struct sp_recording *rec, struct sp_err *err)
{
	struct sp_recording_meta *m = &rec->meta;
	const char *w = "$.meta";
	int r = sp_json_check_keys(c, meta, w, meta_keys, err);
	json_t *a = NULL;
	uint64_t u;
	if (r < 0)
		return r;
	if ((r = dup_str(c, meta, w, "tool_version", &m->tool_version, err)) < 0 ||
	    (r = dup_str(c, meta, w, "kernel", &m->kernel, err)) < 0 ||
	    (r = dup_str(c, meta, w, "machine", &m->machine, err)) < 0 ||
	    (r = dup_str(c, meta, w, "libc", &m->libc, err)) < 0 ||
	    (r = dup_str(c, meta, w, "start_time", &m->start_time, err)) < 0 ||
	    (r = dup_str(c, meta, w, "incomplete_reason", &m->incomplete_reason, err)) < 0 ||
	    (r = dup_str(c, meta, w, "tracing", &m->tracing, err)) < 0 ||
	    (r = dup_str(c, meta, w, "tracing_note", &m->tracing_note, err)) < 0 ||
	    (r = dup_str(c, meta, w, "backend", &m->backend, err)) < 0 ||
	    (r = dup_str(c, meta, w, "baseline", &m->baseline, err)) < 0)
		return r;
	a = NULL;
	if ((r = sp_json_get_container(c, meta, w, "command", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a && (r = read_strv(c, a, "$.meta.command", &m->command, NULL, err)) < 0)
		return r;
	a = NULL;
	if ((r = sp_json_get_container(c, meta, w, "executables", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a) {
		char **v = NULL;
		size_t n = 0;
		if ((r = read_strv(c, a, "$.meta.executables", &v, &n, err)) < 0)
			return r;
		for (size_t i = 0; i < n; i++)
			sp_recording_add_exe(rec, v[i]);
		sp_strv_free(v);
	}
	a = NULL;
	if ((r = sp_json_get_container(c, meta, w, "sources", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a && (r = read_strv(c, a, "$.meta.sources", &m->sources, NULL, err)) < 0)
		return r;
	if (m->sources && !m->sources[0]) {
		sp_strv_free(m->sources);
		m->sources = NULL;
	}
	a = NULL;
	if ((r = sp_json_get_container(c, meta, w, "escaped", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a && (r = read_strv(c, a, "$.meta.escaped", &m->escaped, &m->nescaped, err)) < 0)
		return r;
	if ((r = read_container(c, meta, m, err)) < 0 || (r = read_uring(c, meta, &m->io_uring, err)) < 0 ||
	    (r = read_unfaithful(c, meta, rec, err)) < 0)
		return r;
	a = NULL;
	if ((r = sp_json_get_container(c, meta, w, "attached", false, JSON_ARRAY, &a, err)) < 0)
		return r;
	if (a) {
		m->nattached = json_array_size(a);
		m->attached = xcalloc(m->nattached + 1, sizeof(pid_t));
		for (size_t i = 0; i < m->nattached; i++) {
			json_t *e = json_array_get(a, i);
			if (!json_is_integer(e) || json_integer_value(e) <= 0 || json_integer_value(e) > INT32_MAX)
				return sp_json_error(c, "$.meta.attached", err, "element %zu: expected a PID", i);
			m->attached[i] = (pid_t)json_integer_value(e);
		}
	}
	if ((r = sp_json_get_u64(c, meta, w, "duration_ns", false, INT64_MAX, &m->duration_ns, err)) < 0 ||
	    (r = sp_json_get_u64(c, meta, w, "processes", false, INT64_MAX, &m->processes, err)) < 0 ||
	    (r = sp_json_get_u64(c, meta, w, "threads", false, INT64_MAX, &m->threads, err)) < 0 ||
	    (r = sp_json_get_u64(c, meta, w, "lost_events", false, INT64_MAX, &m->lost_events, err)) < 0)
		return r;
	u = (uint64_t)-1;
	if ((r = sp_json_get_u64(c, meta, w, "exit_status", false, 255, &u, err)) < 0)
		return r;
	m->exit_status = u == (uint64_t)-1 ? -1 : (int)u;
	u = 0;
	if ((r = sp_json_get_u64(c, meta, w, "exit_signal", false, 64, &u, err)) < 0)
		return r;
	m->exit_signal = (int)u;
	u = 1;
	if ((r = sp_json_get_u64(c, meta, w, "runs", false, UINT32_MAX, &u, err)) < 0)
		return r;
	if (u == 0)
		return sp_json_error(c, w, err, "\"runs\": must be at least 1");
	m->runs = (uint32_t)u;
	m->complete = true;
	return sp_json_get_bool(c, meta, w, "complete", false, &m->complete, err);
}

static int read_errnos(const struct sp_jctx *c, json_t *o, const char *where, struct sp_sysc *s,
		       struct sp_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		int e = sp_errno_from_name(key);
		uint64_t num;
		if (e < 0 && sp_parse_u64(key, 4095, &num) && num > 0)
			e = (int)num;
		if (e < 0)
			return sp_json_error(c, where, err, "unknown errno name \"%s\"", key);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return sp_json_error(c, where, err, "\"%s\": expected a non-negative integer", key);
		if (!sp_sysc_add_error(s, e, (uint64_t)json_integer_value(v)))
			return sp_json_error(c, where, err, "\"errnos\" add up to more than %llu",
					     (unsigned long long)SP_COUNT_MAX);
	}
	return 0;
}

static int read_args(const struct sp_jctx *c, json_t *o, const char *where, struct sp_sysc *s,
		     struct sp_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (strlen(key) != 1 || key[0] < '0' || key[0] > '5')
			return sp_json_error(c, where, err, "argument index \"%s\" is not 0-5", key);
		struct sp_argset *as = &s->args[key[0] - '0'];
		char sub[256];
		snprintf(sub, sizeof(sub), "%s.%s", where, key);
		static const char *const keys[] = {"values", "overflow", NULL};
		if (!json_is_object(v))
			return sp_json_error(c, sub, err, "expected an object");
		int r = sp_json_check_keys(c, v, sub, keys, err);
		json_t *vals = NULL;
		if (r < 0 || (r = sp_json_get_container(c, v, sub, "values", true, JSON_ARRAY, &vals, err)) < 0)
			return r;
		if (json_array_size(vals) > SP_MAX_ARG_VALUES)
			return sp_json_error(c, sub, err, "more than %d values", SP_MAX_ARG_VALUES);
		as->used = true;
		for (size_t i = 0; i < json_array_size(vals); i++) {
			json_t *e = json_array_get(vals, i);
			uint64_t n;
			if (!json_is_string(e) || !sp_parse_u64(json_string_value(e), UINT64_MAX, &n))
				return sp_json_error(c, sub, err, "value %zu: expected a \"0x...\" string", i);
			sp_argset_add(as, n);
		}
		if ((r = sp_json_get_bool(c, v, sub, "overflow", false, &as->overflow, err)) < 0)
			return r;
	}
	return 0;
}

static int read_sites(const struct sp_jctx *c, json_t *arr, const char *where, struct sp_sysc *s,
		      struct sp_err *err)
{
	if (json_array_size(arr) > SP_MAX_CALLSITES)
		return sp_json_error(c, where, err, "more than %d call sites", SP_MAX_CALLSITES);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
		json_t *js = json_array_get(arr, i);
		static const char *const skeys[] = {"exe", "frames", NULL};
		static const char *const fkeys[] = {"module", "offset", "symbol", "sym_off", NULL};
		if (!json_is_object(js))
			return sp_json_error(c, sub, err, "expected an object");
		json_t *frames = NULL;
		int r = sp_json_check_keys(c, js, sub, skeys, err);
		if (r < 0 || (r = sp_json_get_container(c, js, sub, "frames", true, JSON_ARRAY, &frames, err)) < 0)
			return r;
		if (json_array_size(frames) > SP_MAX_FRAMES)
			return sp_json_error(c, sub, err, "more than %d frames", SP_MAX_FRAMES);
		struct sp_callsite cs = {0};
		if ((r = dup_str(c, js, sub, "exe", &cs.exe, err)) < 0)
			return r;
		cs.frames = xcalloc(json_array_size(frames) + 1, sizeof(*cs.frames));
		for (size_t f = 0; f < json_array_size(frames); f++) {
			char fw[300];
			snprintf(fw, sizeof(fw), "%s.frames[%zu]", sub, f);
			json_t *jf = json_array_get(frames, f);
			struct sp_frame *fr = &cs.frames[cs.nframes];
			if (!json_is_object(jf))
				r = sp_json_error(c, fw, err, "expected an object");
			if (r == 0)
				r = sp_json_check_keys(c, jf, fw, fkeys, err);
			if (r == 0)
				r = sp_json_get_u64(c, jf, fw, "offset", true, INT64_MAX, &fr->offset, err);
			if (r == 0)
				r = sp_json_get_u64(c, jf, fw, "sym_off", false, INT64_MAX, &fr->sym_off, err);
			if (r == 0)
				r = dup_str(c, jf, fw, "module", &fr->module, err);
			if (r == 0)
				r = dup_str(c, jf, fw, "symbol", &fr->symbol, err);
			cs.nframes++;
			if (r < 0) {
				sp_callsite_release(&cs);
				return r;
			}
		}
		sp_sysc_add_site(s, &cs);
	}
	return 0;
}

static const char *const sysc_keys[] = {
	"name", "nr", "calls", "errors", "errnos", "time_ns", "runs_seen", "baseline", "first", "args",
	"sites", "sites_dropped", NULL,
};

static int read_sysc(const struct sp_jctx *c, json_t *o, const char *w, enum sp_abi abi, uint32_t runs,
		     struct sp_recording *rec, struct sp_err *err)
{
	if (!json_is_object(o))
		return sp_json_error(c, w, err, "expected an object");
	int r = sp_json_check_keys(c, o, w, sysc_keys, err);
	if (r < 0)
		return r;
	json_t *jnr = json_object_get(o, "nr");
	const char *name = NULL;
	if ((r = sp_json_get_str(c, o, w, "name", false, &name, err)) < 0)
		return r;
	int64_t nr;
	if (jnr && !json_is_null(jnr)) {
		if (!json_is_integer(jnr))
			return sp_json_error(c, w, err, "\"nr\": expected an integer");
		nr = json_integer_value(jnr);
		if (nr < -1 || nr > UINT32_MAX)
			return sp_json_error(c, w, err, "\"nr\": %lld is out of range", (long long)nr);
	} else if (name) {
		/* Hand-written recordings may give only a name. */
		nr = sp_abi_syscall_nr(abi, name);
		if (nr < 0)
			return sp_json_error(c, w, err, "syscall \"%s\" does not exist on %s", name,
					     sp_abi_name(abi));
	} else {
		return sp_json_error(c, w, err, "needs \"name\" or \"nr\"");
	}
	if (sp_recording_sysc(rec, abi, nr, false))
		return sp_json_error(c, w, err, "duplicate entry for %s nr %lld", sp_abi_name(abi), (long long)nr);
	struct sp_sysc *s = sp_recording_sysc(rec, abi, nr, true);
	if (name && s->name && strcmp(name, s->name))
		return sp_json_error(c, w, err, "name \"%s\" does not match %s syscall %lld (\"%s\")", name,
				     sp_abi_name(abi), (long long)nr, s->name);
	if (name && !s->name) /* a name newer than our libseccomp knows */
		s->name = xstrdup(name);

	uint64_t u = 0, errors = 0;
	json_t *x = NULL;
	if ((r = sp_json_get_u64(c, o, w, "calls", false, INT64_MAX, &s->calls, err)) < 0 ||
	    (r = sp_json_get_u64(c, o, w, "errors", false, INT64_MAX, &errors, err)) < 0 ||
	    (r = sp_json_get_u64(c, o, w, "time_ns", false, INT64_MAX, &s->time_ns, err)) < 0)
		return r;
	u = 1;
	if ((r = sp_json_get_u64(c, o, w, "runs_seen", false, runs, &u, err)) < 0)
		return r;
	s->runs_seen = (uint32_t)u;
	bool bl = false;
	if ((r = sp_json_get_bool(c, o, w, "baseline", false, &bl, err)) < 0)
		return r;
	if (bl)
		s->flags |= SP_SYSC_BASELINE;
	if ((r = sp_json_get_container(c, o, w, "errnos", false, JSON_OBJECT, &x, err)) < 0)
		return r;
	if (x && (r = read_errnos(c, x, w, s, err)) < 0)
		return r;
	/* Totals without a per-errno breakdown.  The writer always emits
	 * "errnos", so an empty object means the same as none (else such a
	 * recording would not read back: found by tests/fuzz/fuzz_recording). */
	if (!x || json_object_size(x) == 0)
		s->errors = errors;
	else if (s->errors != errors && json_object_get(o, "errors"))
		return sp_json_error(c, w, err, "\"errors\" (%llu) is not the sum of \"errnos\" (%llu)",
				     (unsigned long long)errors, (unsigned long long)s->errors);
	x = NULL;
	if ((r = sp_json_get_container(c, o, w, "first", false, JSON_OBJECT, &x, err)) < 0)
		return r;
	if (x) {
		static const char *const fk[] = {"pid", "exe", NULL};
		u = 0;
		if ((r = sp_json_check_keys(c, x, w, fk, err)) < 0 ||
		    (r = sp_json_get_u64(c, x, w, "pid", false, INT32_MAX, &u, err)) < 0 ||
		    (r = dup_str(c, x, w, "exe", &s->first_exe, err)) < 0)
			return r;
		s->first_pid = (pid_t)u;
	}
	x = NULL;
	if ((r = sp_json_get_container(c, o, w, "args", false, JSON_OBJECT, &x, err)) < 0)
		return r;
	char sub[256];
	snprintf(sub, sizeof(sub), "%s.args", w);
	if (x && (r = read_args(c, x, sub, s, err)) < 0)
		return r;
	x = NULL;
	if ((r = sp_json_get_container(c, o, w, "sites", false, JSON_ARRAY, &x, err)) < 0)
		return r;
	snprintf(sub, sizeof(sub), "%s.sites", w);
	if (x && (r = read_sites(c, x, sub, s, err)) < 0)
		return r;
	u = 0;
	if ((r = sp_json_get_u64(c, o, w, "sites_dropped", false, UINT32_MAX, &u, err)) < 0)
		return r;
	s->sites_dropped = (uint32_t)u;
	return 0;
}

static const char *const top_keys[] = {"schema", "version", "meta", "abis", NULL};

static bool is_top_key(const char *k, size_t n)
{
	for (const char *const *t = top_keys; *t; t++)
		if (strlen(*t) == n && !strncmp(*t, k, n))
			return true;
	return false;
}

/* A JSON object whose top-level "schema" is "seccomp-profile/recording",
 * or whose top-level keys are all a recording's and include "abis".  Read
 * from the text (formats/json_lex.h), not from a parsed document, so that
 * a recording jansson cannot load (a syntax error, an integer too big) is
 * still reported by the recording reader, with the same message from
 * every command, and not as an input of unknown kind.  Only top-level keys
 * count, which keeps this detector exclusive with the others (a YAML or
 * Docker document that merely mentions the schema string is theirs: found
 * by tests/fuzz/fuzz_yaml and fuzz_readers), and the others refuse a
 * document this one claims. */
bool sp_recording_detect(const char *data, size_t len)
{
	if (!data)
		return false;
	const char *s = data + strspn(data, " \t\r\n");
	if (*s != '{' || (!strstr(s, "\"schema\"") && !strstr(s, "\"abis\"")))
		return false;
	static const char want[] = "\"" SP_RECORDING_SCHEMA "\"";
	struct sp_jlex lx = sp_jlex_start(s, len - (size_t)(s - data));
	struct sp_jtok t;
	int depth = 0;
	bool want_key = false, want_value = false, schema_key = false, only_ours = true, abis = false;
	while (sp_jlex_next(&lx, &t)) {
		char ch = t.c;
		bool open = t.type == SP_JTOK_PUNCT && (ch == '{' || ch == '[');
		bool close = t.type == SP_JTOK_PUNCT && (ch == '}' || ch == ']');
		if (depth != 1) {
			depth += open ? 1 : close ? -1 : 0;
			want_key = depth == 1 && open; /* the top-level '{' */
			if (depth <= 0 && close)
				break;
			continue;
		}
		if (want_value && !(t.type == SP_JTOK_PUNCT && ch == ':')) {
			if (schema_key && t.type == SP_JTOK_STRING && t.n == sizeof(want) - 1 &&
			    !memcmp(t.s, want, t.n))
				return true;
			want_value = false;
		} else if (want_key && t.type == SP_JTOK_STRING) {
			size_t n = t.n >= 2 ? t.n - 2 : 0;
			schema_key = n == 6 && !strncmp(t.s + 1, "schema", 6);
			abis |= n == 4 && !strncmp(t.s + 1, "abis", 4);
			only_ours &= is_top_key(t.s + 1, n);
			want_key = false;
			want_value = true;
			continue;
		}
		if (t.type == SP_JTOK_PUNCT && ch == ',')
			want_key = true;
		depth += open ? 1 : close ? -1 : 0;
		if (depth == 0)
			break;
	}
	return only_ours && abis;
}

int sp_recording_parse(const char *path, const char *data, size_t len, struct sp_recording **out,
		       struct sp_err *err)
{
	json_auto_t *root = NULL;
	int r = sp_json_load(path, data, len, &root, err);
	if (r < 0)
		return r;
	struct sp_jctx c = {.file = path};
	const char *schema = NULL;
	uint64_t version = 0;
	if ((r = sp_json_get_str(&c, root, "$", "schema", true, &schema, err)) < 0)
		return r;
	if (strcmp(schema, SP_RECORDING_SCHEMA))
		return sp_json_error(&c, "$.schema", err, "\"%s\" is not a seccomp-profile recording", schema);
	if ((r = sp_json_get_u64(&c, root, "$", "version", true, UINT32_MAX, &version, err)) < 0)
		return r;
	if (version > SP_RECORDING_VERSION)
		return sp_json_error(&c, "$.version", err,
				     "recording schema version %llu is newer than this tool reads (%d); upgrade "
				     "seccomp-profile",
				     (unsigned long long)version, SP_RECORDING_VERSION);
	if (version < 1)
		return sp_json_error(&c, "$.version", err, "version must be at least 1");
	if ((r = sp_json_check_keys(&c, root, "$", top_keys, err)) < 0)
		return r;

	struct sp_recording *rec = sp_recording_new();
	json_t *meta = NULL, *abis = NULL;
	if ((r = sp_json_get_container(&c, root, "$", "meta", false, JSON_OBJECT, &meta, err)) < 0)
		goto fail;
	if (meta && (r = read_meta(&c, meta, rec, err)) < 0)
		goto fail;
	if ((r = sp_json_get_container(&c, root, "$", "abis", true, JSON_OBJECT, &abis, err)) < 0)
		goto fail;
	const char *an;
	json_t *arr;
	json_object_foreach(abis, an, arr) {
		char w[128];
		snprintf(w, sizeof(w), "$.abis.%s", an);
		enum sp_abi abi = SP_ABI_UNKNOWN;
		for (int i = 0; i < SP_ABI_COUNT; i++)
			if (!strcmp(an, sp_abi_name((enum sp_abi)i)))
				abi = (enum sp_abi)i;
		if (abi == SP_ABI_UNKNOWN) {
			r = sp_json_error(&c, w, err, "unknown ABI \"%s\"", an);
			goto fail;
		}
		if (!json_is_array(arr)) {
			r = sp_json_error(&c, w, err, "expected an array of syscalls");
			goto fail;
		}
		for (size_t i = 0; i < json_array_size(arr); i++) {
			char sw[160];
			snprintf(sw, sizeof(sw), "%s[%zu]", w, i);
			if ((r = read_sysc(&c, json_array_get(arr, i), sw, abi, rec->meta.runs, rec, err)) < 0)
				goto fail;
		}
	}
	*out = rec;
	return 0;
fail:
	sp_recording_free(rec);
	return r;
}

int sp_recording_read(const char *path, struct sp_recording **out, struct sp_err *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = sp_file_read_all(path, SP_MAX_INPUT_BYTES, &data, &len, err);
	if (r < 0)
		return r;
	return sp_recording_parse(path, data, len, out, err);
}
