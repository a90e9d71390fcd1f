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
#include "formats/writers.h"

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
		.summary = "Docker/Podman profile: docker run --security-opt seccomp=FILE (archMap, defaultErrnoRet)",
		.write_policy = sp_fmt_docker_write,
		.read_policy = sp_fmt_docker_read,
		.detect = sp_fmt_docker_detect,
	},
	{
		.name = "oci",
		.ext = "json",
		.summary = "OCI runtime-spec linux.seccomp object: runc/crun/containerd, Kubernetes Localhost profiles",
		.write_policy = sp_fmt_oci_write,
		.read_policy = sp_fmt_oci_read,
		.detect = sp_fmt_oci_detect,
	},
	{
		.name = "yaml",
		.ext = "yml",
		.summary = "Elastic go-seccomp-bpf / Beats 'seccomp:' section for filebeat.yml, auditbeat.yml",
		.write_policy = sp_fmt_yaml_write,
		.read_policy = sp_fmt_yaml_read,
		.detect = sp_fmt_yaml_detect,
	},
	{
		.name = "c",
		.ext = "h",
		.summary = "self-contained C header: BPF program + sp_seccomp_install() (no libseccomp needed)",
		.write_policy = sp_fmt_c_write,
	},
	{
		.name = "bpf",
		.ext = "bpf",
		.summary = "raw classic-BPF program (host byte order) for bwrap --seccomp FD",
		.write_policy = sp_fmt_bpf_write,
	},
	{
		.name = "systemd",
		.ext = "conf",
		.summary = "systemd unit drop-in: SystemCallFilter=, SystemCallArchitectures=, SystemCallErrorNumber=",
		.write_policy = sp_fmt_systemd_write,
	},
	{
		.name = "k8s",
		.ext = "yaml",
		.summary = "Kubernetes security-profiles-operator SeccompProfile resource",
		.write_policy = sp_fmt_k8s_write,
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
