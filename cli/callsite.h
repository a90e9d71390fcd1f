/* SPDX-License-Identifier: MIT */
/*
 * cli/callsite.h: one way to print a recorded call-site frame, shared by
 * diff and explain.
 *
 *     char buf[SP_CLI_FRAME_MAX];
 *     sp_cli_frame_str(&site->frames[0], true, buf, sizeof(buf));
 *     // "victim_do_chdir+0x9 (/usr/bin/app+0x1189)"
 *
 * short_module prints the module's basename instead of its path.  A frame
 * without a symbol prints as "module+0xOFF"; one without a module (JIT code,
 * anonymous memory) as "0xOFF" (then the absolute address).
 */
#ifndef SP_CLI_CALLSITE_H
#define SP_CLI_CALLSITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/recording.h"

#define SP_CLI_FRAME_MAX 512

const char *sp_cli_frame_str(const struct sp_frame *f, bool short_module, char *buf, size_t len);
/* Only "symbol+0xOFF" when the symbol is known, else the module form. */
const char *sp_cli_frame_short(const struct sp_frame *f, char *buf, size_t len);

#endif
