/* SPDX-License-Identifier: MIT */
/*
 * generator/uring.h: io_uring in a policy.
 *
 * seccomp filters system calls; the operations a program submits through
 * an io_uring ring (open, mkdir, socket, connect, ...) are carried out by
 * the kernel without a system call each, so a profile that lets
 * io_uring_setup/io_uring_enter through lets every such operation through,
 * whatever the profile says about the equivalent system calls.  These
 * helpers tell whether a policy does that and take io_uring out of it.
 *
 *     uint32_t m = sp_gen_uring_allowed(p);   // bit i: sp_gen_uring_names()[i]
 *     if (m) ... warn ...
 *     sp_gen_uring_deny(p);                   // ERRNO(ENOSYS) for all three
 */
#ifndef SP_GENERATOR_URING_H
#define SP_GENERATOR_URING_H

#include <stddef.h>
#include <stdint.h>

#include "core/policy.h"

/* io_uring_setup, io_uring_enter, io_uring_register; NULL-terminated. */
const char *const *sp_gen_uring_names(void);
/* Bit i set when p lets sp_gen_uring_names()[i] through (ALLOW or LOG) on
 * at least one of its ABIs for at least some arguments. */
uint32_t sp_gen_uring_allowed(const struct sp_policy *p);
/* ", "-joined names of the bits of mask, in buf (>= 64 bytes). */
const char *sp_gen_uring_list(uint32_t mask, char *buf, size_t len);
/* Replaces every rule for the io_uring calls by one unconditional
 * ERRNO(ENOSYS) rule each, on every ABI: io_uring looks absent, as on a
 * kernel built without it, which programs that use it optionally (libuv,
 * tokio, glib...) take as the cue to fall back to plain system calls.
 * p is sorted afterwards. */
void sp_gen_uring_deny(struct sp_policy *p);

#endif
