/* SPDX-License-Identifier: MIT */
#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/outfile.h"
#include "core/util.h"

const char *sp_cli_default_runtime(const char *format)
{
	/* A container profile is loaded by whichever OCI runtime the user's
	 * engine runs (Docker: runc; Podman on Debian 12, CRI-O: crun), so it
	 * carries what each of them needs.  Raw BPF is bubblewrap's format. */
	if (format && (!strcmp(format, "docker") || !strcmp(format, "oci") || !strcmp(format, "k8s")))
		return "any";
	if (format && !strcmp(format, "bpf"))
		return "bwrap";
	return "none";
}

struct policy_ctx {
	const struct sp_format *f;
	const struct sp_policy *p;
	const struct sp_write_opts *wo;
};

static int write_policy_cb(FILE *out, void *ctx, struct sp_err *err)
{
	struct policy_ctx *c = ctx;
	return c->f->write_policy(out, c->p, c->wo, err);
}

struct rec_ctx {
	const struct sp_recording *rec;
};

static int write_rec_cb(FILE *out, void *ctx, struct sp_err *err)
{
	return sp_recording_write(out, ((struct rec_ctx *)ctx)->rec, err);
}

int sp_cli_write_recording(const char *path, const struct sp_recording *rec, struct sp_err *err)
{
	struct rec_ctx c = {rec};
	return sp_outfile_write(path, write_rec_cb, &c, err);
}

int sp_cli_rescue_recording(const char *cmd, const struct sp_recording *rec)
{
	const char *tmpdir = getenv("TMPDIR");
	const char *dirs[] = {tmpdir && *tmpdir ? tmpdir : "/tmp", "."};
	struct rec_ctx c = {rec};
	struct sp_err err = {0};
	for (size_t i = 0; i < SP_ARRAY_SIZE(dirs); i++) {
		_cleanup_free_ char *saved = NULL;
		if (sp_outfile_write_new(dirs[i], SP_PROG "-", ".recording.json", write_rec_cb, &c, &saved, &err) ==
		    0) {
			sp_cli_error("%s: the recording was saved to '%s' instead", cmd, saved);
			return 0;
		}
	}
	sp_cli_error("%s: the recording is lost: %s", cmd, err.msg);
	return err.code;
}

int sp_cli_check_output(const char *cmd, const char *path, bool probe)
{
	if (!*path)
		return sp_cli_usage(cmd, "-o: the output file name is empty");
	struct sp_err err = {0};
	if (probe && sp_outfile_check(path, &err) < 0) {
		sp_cli_error("%s: %s", cmd, err.msg);
		return SP_EXIT_USAGE;
	}
	return 0;
}

static int find_writer(const char *format, const struct sp_format **out, struct sp_err *err)
{
	const struct sp_format *f = sp_format_find(format);
	if (!f)
		return sp_err_set(err, -EINVAL, "unknown format '%s' (see 'seccomp-profile formats')", format);
	if (!f->write_policy)
		return sp_err_set(err, -EINVAL, "format '%s' cannot be written", format);
	*out = f;
	return 0;
}

int sp_cli_write_policy(const char *path, const char *format, const struct sp_policy *p,
			const struct sp_write_opts *wo, struct sp_err *err)
{
	const struct sp_format *f;
	int r = find_writer(format, &f, err);
	if (r < 0)
		return r;
	struct sp_write_opts none = {0};
	struct policy_ctx c = {f, p, wo ? wo : &none};
	return sp_outfile_write(path, write_policy_cb, &c, err);
}

int sp_cli_write_output(const char *path, const char *format, const struct sp_recording *rec,
			const struct sp_gen_opts *gen, const struct sp_write_opts *wo, struct sp_err *err)
{
	if (!strcmp(format, "recording"))
		return sp_cli_write_recording(path, rec, err);
	const struct sp_format *f;
	int r = find_writer(format, &f, err);
	if (r < 0)
		return r;
	struct sp_gen_opts g;
	if (gen)
		g = *gen;
	else
		sp_gen_opts_init(&g);
	if (!g.runtime)
		g.runtime = sp_cli_default_runtime(format);
	struct sp_policy *p = NULL;
	if ((r = sp_generate(rec, &g, &p, err)) < 0)
		return r;
	struct sp_write_opts w = wo ? *wo : (struct sp_write_opts){0};
	if (!w.rec)
		w.rec = rec;
	r = sp_cli_write_policy(path, format, p, &w, err);
	sp_policy_free(p);
	return r;
}
