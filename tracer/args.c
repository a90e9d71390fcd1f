/* SPDX-License-Identifier: MIT */
#include "tracer/args.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "core/argspec.h"

int sp_args_peek_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	/* PTRACE_PEEKDATA returns one tracer word; a -1 result is ambiguous,
	 * so errno is cleared first.  The last word is read ending at
	 * addr + len (when len allows) so that we never touch bytes past the
	 * object, which could sit at the end of a mapping. */
	unsigned char *out = buf;
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof(long) ? len - done : sizeof(long);
		uint64_t at = addr + done, skip = 0;
		if (n < sizeof(long) && len >= sizeof(long)) {
			skip = sizeof(long) - n;
			at -= skip;
		}
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)at, NULL);
		if (w == -1 && errno)
			return -errno;
		memcpy(out + done, (unsigned char *)&w + skip, n);
		done += n;
	}
	return 0;
}

int sp_args_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (addr > UINTPTR_MAX)
		return -EFAULT;
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	/* EPERM (no ptrace-read permission in the kernel's eyes, e.g. across
	 * user namespaces), ENOSYS (kernel built without
	 * CONFIG_CROSS_MEMORY_ATTACH), or a short read: try the ptrace way. */
	return sp_args_peek_mem(tid, addr, buf, len);
}

/* Records value v of argument a (kind-specific reduction, see
 * core/argspec.h). */
static void add_value(struct sp_sysc *s, enum sp_abi abi, const struct sp_argspec_arg *a, uint64_t v)
{
	sp_argset_add(&s->args[a->idx], v & sp_argspec_value_mask(abi, (enum sp_argkind)a->kind));
}

/* Reads n (<= 6) long-sized words of abi at addr. */
static int read_words(pid_t tid, enum sp_abi abi, uint64_t addr, uint64_t *w, unsigned n)
{
	const struct sp_abi_info *ai = sp_abi_get(abi);
	if (ai->bits == 32) {
		uint32_t v[6];
		int r = sp_args_read_mem(tid, addr, v, n * sizeof(v[0]));
		if (r < 0)
			return r;
		for (unsigned i = 0; i < n; i++)
			w[i] = v[i];
		return 0;
	}
	return sp_args_read_mem(tid, addr, w, n * sizeof(w[0]));
}

/* The entry of the call that multiplexer number call stands for (ipc's
 * version sits above its low 16 bits), created with no calls of its own;
 * NULL when this ABI has no direct form of it. */
static struct sp_sysc *demux_entry(struct sp_recording *rec, enum sp_abi abi, bool socketcall, uint64_t call)
{
	const char *name = socketcall ? sp_argspec_socketcall_name(call & 0xffffffffu) : sp_argspec_ipc_name(call);
	int64_t nr = sp_argspec_kernel_nr(abi, name);
	return nr < 0 ? NULL : sp_recording_sysc(rec, abi, nr, true);
}

/* socketcall(call, args): record the demuxed call under its own name. */
static void record_socketcall(struct sp_recording *rec, enum sp_abi abi, const uint64_t args[6], pid_t tid)
{
	struct sp_sysc *d = demux_entry(rec, abi, true, args[0]);
	if (!d)
		return; /* no direct form on this ABI/libseccomp: nothing to attach it to */
	const struct sp_argspec *sp = sp_argspec_find(abi, d->nr);
	if (!sp)
		return;
	unsigned need = 0;
	for (unsigned i = 0; i < sp->nargs; i++)
		if (sp->arg[i].idx + 1u > need)
			need = sp->arg[i].idx + 1u;
	uint64_t real[6];
	if (read_words(tid, abi, args[1], real, need) < 0)
		return;
	for (unsigned i = 0; i < sp->nargs; i++)
		add_value(d, abi, &sp->arg[i], real[sp->arg[i].idx]);
}

void sp_args_add_value(struct sp_recording *rec, struct sp_sysc *s, enum sp_abi abi, unsigned idx, uint64_t v)
{
	if (idx >= 6)
		return;
	sp_argset_add(&s->args[idx], v);
	const struct sp_argspec *sp = sp_argspec_find(abi, s->nr);
	if (sp && sp->arg[0].kind == SP_ARGK_MUXCALL && idx == sp->arg[0].idx)
		demux_entry(rec, abi, !strcmp(sp->name, "socketcall"), v);
}

void sp_args_record(struct sp_recording *rec, struct sp_sysc *s, enum sp_abi abi, const uint64_t args[6],
		    pid_t tid)
{
	const struct sp_argspec *sp = sp_argspec_find(abi, s->nr);
	if (__builtin_expect(!sp, 1))
		return;
	for (unsigned i = 0; i < sp->nargs; i++) {
		const struct sp_argspec_arg *a = &sp->arg[i];
		if (a->kind == SP_ARGK_CLONE3FLAGS) {
			/* struct clone_args starts with __aligned_u64 flags on
			 * every ABI; args[1] is its size (>= 64 since 5.3). */
			uint64_t flags;
			if (args[1] >= sizeof(flags) && sp_args_read_mem(tid, args[0], &flags, sizeof(flags)) == 0)
				add_value(s, abi, a, flags);
			continue;
		}
		add_value(s, abi, a, args[a->idx]);
	}
	if (sp->arg[0].kind == SP_ARGK_MUXCALL) {
		if (!strcmp(sp->name, "socketcall"))
			record_socketcall(rec, abi, args, tid);
		else
			demux_entry(rec, abi, false, args[0]);
	}
}
