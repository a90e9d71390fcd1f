/* SPDX-License-Identifier: MIT */
/*
 * core/log.h: diagnostics gated by verbosity (-q, -v, -vv).
 *
 * Library code never prints user-facing results or errors (those travel in
 * struct sp_err to cli/); it may emit warnings and debug traces through
 * these, which cli/ sets up from -q/-v:
 *
 *     sp_warn("pid %d: cannot read /proc/%d/exe", pid, pid);
 *     sp_debug("pid %d: seccomp stop nr=%lld", pid, nr);
 *
 * Messages go to stderr prefixed by "seccomp-profile: ".
 */
#ifndef SP_CORE_LOG_H
#define SP_CORE_LOG_H

enum sp_log_level {
	SP_LOG_QUIET = -1, /* errors only (cli/ prints those) */
	SP_LOG_WARN = 0,   /* default */
	SP_LOG_INFO = 1,   /* -v */
	SP_LOG_DEBUG = 2,  /* -vv */
};

extern int sp_log_level;

void sp_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define sp_warn(...)  sp_log(SP_LOG_WARN, __VA_ARGS__)
#define sp_info(...)  sp_log(SP_LOG_INFO, __VA_ARGS__)
#define sp_debug(...) do { if (sp_log_level >= SP_LOG_DEBUG) sp_log(SP_LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
