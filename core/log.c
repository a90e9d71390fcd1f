/* SPDX-License-Identifier: MIT */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

int sp_log_level = SP_LOG_WARN;

void sp_log(int level, const char *fmt, ...)
{
	if (level > sp_log_level)
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per message so lines from a tracer and its tracees'
	 * output do not interleave mid-line. */
	fprintf(stderr, "seccomp-profile: %s%s\n", level == SP_LOG_WARN ? "warning: " : "", line);
}
