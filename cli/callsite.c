/* SPDX-License-Identifier: MIT */
#include "cli/callsite.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *base(const char *path, bool short_module)
{
	const char *s = short_module ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static const char *module_str(const struct sp_frame *f, bool short_module, char *buf, size_t len)
{
	if (f->module)
		snprintf(buf, len, "%s+0x%" PRIx64, base(f->module, short_module), f->offset);
	else
		snprintf(buf, len, "0x%" PRIx64, f->offset);
	return buf;
}

const char *sp_cli_frame_str(const struct sp_frame *f, bool short_module, char *buf, size_t len)
{
	char mod[SP_CLI_FRAME_MAX];
	module_str(f, short_module, mod, sizeof(mod));
	if (f->symbol)
		snprintf(buf, len, "%s+0x%" PRIx64 " (%s)", f->symbol, f->sym_off, mod);
	else
		snprintf(buf, len, "%s", mod);
	return buf;
}

const char *sp_cli_frame_short(const struct sp_frame *f, char *buf, size_t len)
{
	if (f->symbol) {
		snprintf(buf, len, "%s+0x%" PRIx64, f->symbol, f->sym_off);
		return buf;
	}
	return module_str(f, true, buf, len);
}
