/* SPDX-License-Identifier: MIT */
#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int normalise(int code)
{
	if (code > 0)
		return -code;
	return code ? code : -EINVAL;
}

int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
{
	code = normalise(code);
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

int sp_err_sys(struct sp_err *err, const char *fmt, ...)
{
	int saved = errno ? errno : EIO;
	int code = -saved;
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(saved));
	err->code = code;
	return code;
}

int sp_err_prefix(struct sp_err *err, const char *fmt, ...)
{
	if (!err)
		return -EINVAL;
	char prefix[SP_ERR_MSG_MAX];
	char old[SP_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	if (!err->code)
		err->code = -EINVAL;
	return err->code;
}

void sp_err_clear(struct sp_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
