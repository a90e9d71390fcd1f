/* SPDX-License-Identifier: MIT */
/*
 * The format table.  One row per format; each format's reader/writer lives
 * in its own file under formats/.  "recording" is listed for `formats` and
 * `-f recording`, but is written through sp_recording_write().
 */
#include <string.h>

#include "core/util.h"
#include "formats/format.h"

static const struct sp_format formats[] = {
	{
		.name = "recording",
		.ext = "json",
		.summary = "native recording: every syscall per ABI with counts, errors, call sites (lossless JSON)",
		.detect = sp_recording_detect,
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
