/* SPDX-License-Identifier: MIT */
/*
 * tracer/ebpf/minbtf.h: the few kernel types a BPF object's CO-RE
 * relocations need, cut out of the kernel's BTF once per kernel and kept
 * in the cache directory, so that loading the object does not parse the
 * whole of /sys/kernel/btf/vmlinux each time.
 *
 *     char *path = sp_minbtf_path(elf, elf_size);   // NULL: use the full BTF
 *     opts.btf_custom_path = path;                   // libbpf's CO-RE target
 *     ... load; if it fails: sp_minbtf_forget(path), load without it
 *     free(path);
 *
 * Built only with SP_HAVE_EBPF (it needs libbpf).
 */
#ifndef SP_TRACER_EBPF_MINBTF_H
#define SP_TRACER_EBPF_MINBTF_H

#include <stddef.h>

/* The path of a valid minimal BTF file for the running kernel and the BPF
 * object (ELF image elf, elf_size bytes), built and written to the cache
 * directory (sp_cache_dir()) if it is not there yet; NULL when there is
 * none to be had (no cache directory, no kernel build-id, a relocation of
 * a kind it does not cut out...), the reason said with sp_debug or sp_info:
 * the caller then lets libbpf use the full kernel BTF.  Freed by the
 * caller. */
char *sp_minbtf_path(const void *elf, size_t elf_size);

/* Removes a cached file that libbpf could not use after all, so that the
 * next run builds it again. */
void sp_minbtf_forget(const char *path);

#endif
