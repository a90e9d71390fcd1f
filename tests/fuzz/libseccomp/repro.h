/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/libseccomp/repro.h: what the reproducers of
 * tests/fuzz/libseccomp-hang.txt share.  Each NAME.c shows one finding
 * with libseccomp alone (plus our BPF interpreter, generator/bpf_sim.c, to
 * run the exported program) and builds with
 *
 *     cc -I. tests/fuzz/libseccomp/NAME.c generator/bpf_sim.c -lseccomp
 *
 * (`make helpers` builds them all into build/libseccomp-bugs/).  Each ends
 * with one line and an exit status that tests/integration/t_libseccomp.sh
 * reads:
 *   0  "reproduced: ..."      libseccomp still misbehaves as documented
 *   1  "not reproduced: ..."  it did the right thing: the bug is fixed here
 *   2  the reproducer itself could not run
 */
#ifndef SP_TESTS_LIBSECCOMP_REPRO_H
#define SP_TESTS_LIBSECCOMP_REPRO_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "generator/bpf_sim.h"

/* The verdict line, with the library's version, and the exit. */
__attribute__((format(printf, 2, 3), noreturn)) static inline void repro_verdict(int status, const char *fmt,
                                                                                 ...)
{
	const struct scmp_version *v = seccomp_version();
	printf("%s (libseccomp %u.%u.%u): ",
	       status == 0   ? "reproduced"
	       : status == 1 ? "not reproduced"
	                     : "error",
	       v->major, v->minor, v->micro);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(status);
}

/* ctx exported as classic BPF into prog (libseccomp 2.5 writes to a file
 * descriptor only); returns the number of instructions. */
static inline size_t repro_export(scmp_filter_ctx ctx, struct sock_filter *prog, size_t max)
{
	int fd = memfd_create("repro-bpf", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0)
		repro_verdict(2, "cannot export the filter");
	ssize_t n = pread(fd, prog, max * sizeof(*prog), 0);
	close(fd);
	if (n <= 0 || n % (ssize_t) sizeof(*prog))
		repro_verdict(2, "bad exported program (%zd bytes)", n);
	return (size_t) n / sizeof(*prog);
}

/* A filter for one architecture only (seccomp_init() adds the native one). */
static inline scmp_filter_ctx repro_filter(uint32_t def, uint32_t arch)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		repro_verdict(2, "seccomp_init failed");
	if (arch != seccomp_arch_native() &&
	    (seccomp_arch_add(ctx, arch) < 0 || seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE) < 0))
		repro_verdict(2, "cannot make a filter for arch %#x", arch);
	return ctx;
}

#endif
