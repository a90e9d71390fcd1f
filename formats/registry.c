/* SPDX-License-Identifier: MIT */
/*
 * The format table.  One row per format; each format's reader/writer lives
 * in its own file under formats/.  "recording" is listed for `formats` and
 * `-f recording`, but is written through sp_recording_write().
 */
#include <string.h>

#include "core/util.h"
#include "formats/format.h"
#include "formats/read.h"

static const struct sp_format formats[] = {
	{
		.name = "recording",
		.ext = "json",
		.summary = "native recording: every syscall per ABI with counts, errors, call sites (lossless JSON)",
		.detect = sp_recording_detect,
	},
	{
		.name = "docker",
		.ext = "json",
		.summary = "Docker/moby seccomp profile JSON (archMap, includes/excludes)",
		.read_policy = sp_fmt_docker_read,
		.detect = sp_fmt_docker_detect,
	},
	{
		.name = "oci",
		.ext = "json",
		.summary = "OCI runtime-spec linux.seccomp object (runc, crun, containerd, Kubernetes Localhost)",
		.read_policy = sp_fmt_oci_read,
		.detect = sp_fmt_oci_detect,
	},
	{
		.name = "yaml",
		.ext = "yml",
		.summary = "elastic/go-seccomp-bpf policy YAML (Beats seccomp: section)",
		.read_policy = sp_fmt_yaml_read,
		.detect = sp_fmt_yaml_detect,
	},
	{
		.name = "k8s",
		.ext = "yaml",
		.summary = "Security Profiles Operator SeccompProfile (Kubernetes)",
		.read_policy = sp_fmt_k8s_read,
		.detect = sp_fmt_k8s_detect,
	},
};

const struct sp_format *sp_formats(size_t *n)
{
	*n = SP_ARRAY_SIZE(formats);
	return formats;
}

const struct sp_format *sp_format_find(const char *name)
{
	for (size_t i = 0; name && i < SP_ARRAY_SIZE(formats); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}
