/* SPDX-License-Identifier: MIT */
/*
 * core/caps.h: Linux capability names by number (include/uapi/linux/
 * capability.h, a fixed kernel ABI: CAP_CHOWN is 0, CAP_CHECKPOINT_RESTORE
 * 40).  Used by the policy readers (Docker's includes.caps) and by the
 * tracer to name file capabilities.
 *
 *     sp_cap_name(13);                 // "CAP_NET_RAW"
 *     sp_cap_from_name("CAP_NET_RAW"); // 13, -1 when unknown
 */
#ifndef SP_CORE_CAPS_H
#define SP_CORE_CAPS_H

/* "CAP_NAME", or NULL for a number past the table. */
const char *sp_cap_name(unsigned n);
int sp_cap_from_name(const char *name);

#endif
