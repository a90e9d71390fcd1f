/* SPDX-License-Identifier: MIT */
/*
 * tracer/ebpf/minbtf.c: a minimal CO-RE target BTF for the recorder's BPF
 * object, cached per kernel.
 *
 * Why: libbpf resolves a CO-RE relocation ("the offset of status in
 * task_struct.thread_info") by looking the local type up by name in a
 * target BTF and matching the access path member by member.  With no
 * btf_custom_path the target is /sys/kernel/btf/vmlinux, which libbpf
 * parses in full at every load: ~45 ms for 5 MB and 125,000 types on the
 * development machine, most of what `record --backend ebpf` used to cost
 * on a short workload.  Only the structs and members that the relocations
 * touch matter to the result, so a BTF holding just those, with their
 * real offsets, sizes and member types, gives libbpf the same answers.
 *
 * What is cut out, from the object's own .BTF.ext CO-RE records (so a new
 * BPF_CORE_READ in recorder.bpf.c needs no change here): for each field
 * relocation, the root struct or union (found by its name, without a
 * ___flavour suffix, as libbpf does) and, along the access path, each
 * member by name, looked through anonymous members the way libbpf's
 * matching does, flattened into its named parent at its full bit offset.
 * Embedded structs on the path become minimal structs of their own; a
 * member at the end of a path gets a shallow copy of its type (an integer
 * or enum as it is, a pointer as a pointer to void, an array of those,
 * a struct as an empty struct of the same size): what libbpf's
 * compatibility check and size computation read.  A struct or member the
 * kernel lacks is left out, so libbpf reaches the same "not found" (which
 * bpf_core_field_exists() relies on).  Relocation kinds other than
 * field-based ones (type and enum-value relocations), or paths through
 * arrays, are not cut out: the object is then loaded against the full BTF.
 *
 * The cache: <cache dir>/ebpf-btf-<kernel build-id>-<object hash>.btf.
 * The kernel's build-id (the GNU build-id note in /sys/kernel/notes)
 * names the exact kernel image, hence its type layout; the FNV-1a hash of
 * the object names the relocations.  The file is written atomically
 * (core/outfile) with mode 0600, and checked when read: it must be a
 * regular file of ours that no one else may write, parse as BTF, and
 * carry a marker struct whose name repeats the key (a file copied or
 * renamed from another kernel is not trusted).  Anything else is rebuilt.
 * Without a build-id there is no cache: libbpf uses the full BTF.
 */
#include "tracer/ebpf/minbtf.h"

#ifdef SP_HAVE_EBPF

#include <bpf/btf.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/outfile.h"
#include "core/util.h"

#define KERNEL_NOTES "/sys/kernel/notes"

/* ---- the key ------------------------------------------------------------ */

/* The kernel's GNU build-id as hex, from the notes the kernel exports
 * (Elf_Nhdr records: namesz, descsz, type, then name and descriptor, each
 * padded to 4 bytes); NULL if there is none. */
static char *kernel_build_id(void)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	if (sp_file_read_all(KERNEL_NOTES, 1 << 16, &data, &len, NULL) < 0)
		return NULL;
	size_t off = 0;
	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr h;
		memcpy(&h, data + off, sizeof(h));
		size_t name = off + sizeof(h), desc = name + ((h.n_namesz + 3u) & ~3u);
		size_t next = desc + ((h.n_descsz + 3u) & ~3u);
		if (next > len || next <= off)
			return NULL;
		if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 && memcmp(data + name, "GNU", 4) == 0 &&
		    h.n_descsz > 0 && h.n_descsz <= 64) {
			struct sp_buf b = SP_BUF_INIT;
			for (size_t i = 0; i < h.n_descsz; i++)
				sp_buf_printf(&b, "%02x", (unsigned char)data[desc + i]);
			return sp_buf_steal(&b);
		}
		off = next;
	}
	return NULL;
}

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

/* ---- the object's sections --------------------------------------------- */

/* The bytes of section `name` of a 64-bit little-endian ELF image. */
static const unsigned char *elf_section(const unsigned char *elf, size_t size, const char *name, size_t *len)
{
	Elf64_Ehdr eh;
	if (size < sizeof(eh))
		return NULL;
	memcpy(&eh, elf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > size ||
	    (size - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum || eh.e_shstrndx >= eh.e_shnum)
		return NULL;
	Elf64_Shdr strs;
	memcpy(&strs, elf + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr), sizeof(strs));
	if (strs.sh_offset > size || strs.sh_size > size - strs.sh_offset)
		return NULL;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		memcpy(&sh, elf + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof(sh));
		if (sh.sh_name >= strs.sh_size || sh.sh_offset > size || sh.sh_size > size - sh.sh_offset)
			continue;
		const char *n = (const char *)elf + strs.sh_offset + sh.sh_name;
		if (strnlen(n, strs.sh_size - sh.sh_name) < strs.sh_size - sh.sh_name && strcmp(n, name) == 0) {
			*len = sh.sh_size;
			return elf + sh.sh_offset;
		}
	}
	return NULL;
}

/* The .BTF.ext header (the kernel's and libbpf's format: offsets are from
 * the end of the header; the CO-RE part is there when hdr_len covers it). */
struct btf_ext_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;
};

/* ---- what the relocations touch ------------------------------------------ */

struct mb_member {
	const char *name; /* in the kernel's BTF */
	uint32_t bit_off, bitfield;
	uint32_t type; /* kernel type id, typedefs and modifiers skipped */
};

/* A struct or union of the kernel, with the members some path uses. */
struct mb_comp {
	uint32_t type;
	struct mb_member *m;
	size_t n, cap;
};

struct mb {
	const struct btf *local, *kern;
	struct mb_comp *c;
	size_t nc, capc;
};

static size_t comp_of(struct mb *mb, uint32_t type)
{
	for (size_t i = 0; i < mb->nc; i++)
		if (mb->c[i].type == type)
			return i;
	xgrow((void **)&mb->c, &mb->capc, mb->nc + 1, sizeof(*mb->c));
	mb->c[mb->nc] = (struct mb_comp){.type = type};
	return mb->nc++;
}

static void comp_add(struct mb *mb, size_t ci, const char *name, uint32_t bit_off, uint32_t bitfield, uint32_t type)
{
	struct mb_comp *c = &mb->c[ci];
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->m[i].name, name) == 0)
			return;
	xgrow((void **)&c->m, &c->cap, c->n + 1, sizeof(*c->m));
	c->m[c->n++] = (struct mb_member){name, bit_off, bitfield, type};
}

static uint32_t skip_mods(const struct btf *btf, uint32_t id)
{
	int r = btf__resolve_type(btf, id);
	return r > 0 ? (uint32_t)r : id;
}

/* Member `name` of kernel composite `type`, directly or inside anonymous
 * members (libbpf's matching looks there too), with its bit offset from
 * the start of `type`. */
static bool find_member(const struct btf *kern, uint32_t type, const char *name, uint32_t base, struct mb_member *out,
			int depth)
{
	const struct btf_type *t = btf__type_by_id(kern, type);
	if (!t || !btf_is_composite(t) || depth > 8)
		return false;
	const struct btf_member *m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(kern, m->name_off);
		uint32_t off = base + btf_member_bit_offset(t, i);
		if (mn && *mn) {
			if (strcmp(mn, name) == 0) {
				*out = (struct mb_member){mn, off, btf_member_bitfield_size(t, i),
							  skip_mods(kern, m->type)};
				return true;
			}
		} else if (find_member(kern, skip_mods(kern, m->type), name, off, out, depth + 1)) {
			return true;
		}
	}
	return false;
}

/* Records what one field relocation reads.  -ENOTSUP: a relocation this
 * file does not cut out (the caller falls back to the full BTF). */
static int add_relo(struct mb *mb, const struct bpf_core_relo *r)
{
	if (r->kind > BPF_CORE_FIELD_RSHIFT_U64)
		return -ENOTSUP; /* type or enum-value relocation */
	uint32_t lt = skip_mods(mb->local, r->type_id);
	const struct btf_type *t = btf__type_by_id(mb->local, lt);
	const char *spec = btf__str_by_offset(mb->local, r->access_str_off);
	if (!t || !spec || !btf_is_composite(t) || !t->name_off)
		return -ENOTSUP;
	char name[256];
	snprintf(name, sizeof(name), "%s", btf__name_by_offset(mb->local, t->name_off));
	char *flavour = strstr(name, "___");
	if (flavour)
		*flavour = 0;
	int kt = btf__find_by_name_kind(mb->kern, name, btf_kind(t));
	if (kt <= 0)
		return 0; /* the kernel has no such type: libbpf finds none either */
	size_t ci = comp_of(mb, (uint32_t)kt);
	/* "0:3:1": an index into the root pointer (array-like access, which
	 * needs only the root's size), then member indices. */
	char *end;
	strtoul(spec, &end, 10);
	bool kcomp = true; /* the kernel's type at this step is a struct or union */
	while (*end == ':') {
		unsigned long idx = strtoul(end + 1, &end, 10);
		if (!btf_is_composite(t) || idx >= btf_vlen(t))
			return -ENOTSUP; /* a path through an array */
		if (!kcomp)
			return -ENOTSUP; /* the kernel's member is no struct where ours is */
		const struct btf_member *lm = btf_members(t) + idx;
		const char *mn = btf__name_by_offset(mb->local, lm->name_off);
		if (!mn || !*mn)
			return -ENOTSUP; /* through an anonymous member */
		struct mb_member km;
		if (!find_member(mb->kern, mb->c[ci].type, mn, 0, &km, 0))
			return 0; /* the kernel lacks it: left out, as it is */
		comp_add(mb, ci, km.name, km.bit_off, km.bitfield, km.type);
		const struct btf_type *kmt = btf__type_by_id(mb->kern, km.type);
		kcomp = kmt && btf_is_composite(kmt);
		if (kcomp)
			ci = comp_of(mb, km.type); /* an embedded struct: its own minimal copy */
		t = btf__type_by_id(mb->local, skip_mods(mb->local, lm->type));
		if (!t)
			return -ENOTSUP;
	}
	return *end ? -ENOTSUP : 0;
}

/* ---- writing the minimal BTF ------------------------------------------- */

struct leaf {
	uint32_t kern, out;
};

struct emit {
	struct btf *out;
	const struct btf *kern;
	struct leaf *l;
	size_t nl, capl;
};

/* A shallow copy of a member's type that is not a struct or union; its id
 * in out, or a negative code. */
static int add_leaf(struct emit *e, uint32_t id)
{
	for (size_t i = 0; i < e->nl; i++)
		if (e->l[i].kern == id)
			return (int)e->l[i].out;
	const struct btf_type *t = btf__type_by_id(e->kern, id);
	if (!t)
		return -ENOTSUP;
	const char *name = btf__name_by_offset(e->kern, t->name_off);
	int r;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (btf_int_offset(t) || btf_int_bits(t) != t->size * 8)
			return -ENOTSUP;
		r = btf__add_int(e->out, name, t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_PTR:
		r = btf__add_ptr(e->out, 0);
		break;
	case BTF_KIND_FLOAT:
		r = btf__add_float(e->out, name, t->size);
		break;
	case BTF_KIND_ENUM:
		r = btf__add_enum(e->out, name, t->size);
		for (unsigned i = 0; r > 0 && i < btf_vlen(t); i++)
			if (btf__add_enum_value(e->out, btf__name_by_offset(e->kern, btf_enum(t)[i].name_off),
						btf_enum(t)[i].val) < 0)
				r = -EINVAL;
		break;
	case BTF_KIND_ENUM64:
		r = btf__add_enum64(e->out, name, t->size, btf_kflag(t));
		for (unsigned i = 0; r > 0 && i < btf_vlen(t); i++)
			if (btf__add_enum64_value(e->out, btf__name_by_offset(e->kern, btf_enum64(t)[i].name_off),
						  btf_enum64_value(btf_enum64(t) + i)) < 0)
				r = -EINVAL;
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		const struct btf_type *et = btf__type_by_id(e->kern, skip_mods(e->kern, a->type));
		if (!et || btf_is_composite(et))
			return -ENOTSUP;
		int elem = add_leaf(e, skip_mods(e->kern, a->type));
		int index = elem < 0 ? elem : add_leaf(e, a->index_type);
		r = index < 0 ? index : btf__add_array(e->out, index, elem, a->nelems);
		break;
	}
	default:
		return -ENOTSUP;
	}
	if (r < 0)
		return r;
	xgrow((void **)&e->l, &e->capl, e->nl + 1, sizeof(*e->l));
	e->l[e->nl++] = (struct leaf){id, (uint32_t)r};
	return r;
}

static int by_offset(const void *a, const void *b)
{
	const struct mb_member *x = a, *y = b;
	return x->bit_off < y->bit_off ? -1 : x->bit_off > y->bit_off;
}

/* The minimal BTF of mb, with the marker struct `marker` last. */
static struct btf *emit(struct mb *mb, const char *marker)
{
	struct emit e = {.out = btf__new_empty(), .kern = mb->kern};
	if (!e.out)
		return NULL;
	int ret = 0;
	/* Leaves first, then the structs, consecutively: struct i gets id
	 * base + i, so members can refer to structs not yet written. */
	for (size_t i = 0; i < mb->nc && ret >= 0; i++)
		for (size_t j = 0; j < mb->c[i].n && ret >= 0; j++) {
			const struct btf_type *t = btf__type_by_id(mb->kern, mb->c[i].m[j].type);
			if (t && !btf_is_composite(t))
				ret = add_leaf(&e, mb->c[i].m[j].type);
			else if (t)
				comp_of(mb, mb->c[i].m[j].type); /* a struct at a path's end */
		}
	uint32_t base = (uint32_t)btf__type_cnt(e.out);
	for (size_t i = 0; i < mb->nc && ret >= 0; i++) {
		struct mb_comp *c = &mb->c[i];
		const struct btf_type *t = btf__type_by_id(mb->kern, c->type);
		const char *name = btf__name_by_offset(mb->kern, t->name_off);
		ret = btf_is_union(t) ? btf__add_union(e.out, name, t->size) : btf__add_struct(e.out, name, t->size);
		if (ret >= 0 && (uint32_t)ret != base + i)
			ret = -EINVAL;
		qsort(c->m, c->n, sizeof(*c->m), by_offset);
		for (size_t j = 0; j < c->n && ret >= 0; j++) {
			const struct btf_type *mt = btf__type_by_id(mb->kern, c->m[j].type);
			int type = btf_is_composite(mt) ? (int)(base + comp_of(mb, c->m[j].type)) : add_leaf(&e, c->m[j].type);
			ret = type < 0 ? type : btf__add_field(e.out, c->m[j].name, type, c->m[j].bit_off, c->m[j].bitfield);
		}
	}
	if (ret >= 0)
		ret = btf__add_struct(e.out, marker, 0);
	free(e.l);
	if (ret < 0) {
		btf__free(e.out);
		return NULL;
	}
	return e.out;
}

/* Fills mb from the object's CO-RE records. */
static int collect(struct mb *mb, const unsigned char *ext, size_t len)
{
	struct btf_ext_hdr h = {0};
	if (len < offsetof(struct btf_ext_hdr, core_relo_off))
		return -EINVAL;
	memcpy(&h, ext, len < sizeof(h) ? len : sizeof(h));
	if (h.magic != 0xeB9F || h.hdr_len > len)
		return -EINVAL;
	if (h.hdr_len < sizeof(h) || !h.core_relo_len)
		return 0; /* no CO-RE relocation */
	const unsigned char *p = ext + h.hdr_len + h.core_relo_off;
	if (h.core_relo_off > len - h.hdr_len || h.core_relo_len > len - h.hdr_len - h.core_relo_off ||
	    h.core_relo_len < 4)
		return -EINVAL;
	const unsigned char *end = p + h.core_relo_len;
	uint32_t rec;
	memcpy(&rec, p, 4);
	p += 4;
	if (rec < sizeof(struct bpf_core_relo))
		return -EINVAL;
	while (p < end) {
		uint32_t sec[2]; /* section name offset, number of records */
		if ((size_t)(end - p) < sizeof(sec))
			return -EINVAL;
		memcpy(sec, p, sizeof(sec));
		p += sizeof(sec);
		if ((size_t)(end - p) / rec < sec[1])
			return -EINVAL;
		for (uint32_t i = 0; i < sec[1]; i++, p += rec) {
			struct bpf_core_relo r;
			memcpy(&r, p, sizeof(r));
			int ret = add_relo(mb, &r);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

struct raw {
	const void *data;
	uint32_t size;
};

static int write_raw(FILE *out, void *ctx, struct sp_err *err)
{
	const struct raw *r = ctx;
	(void)err;
	fwrite(r->data, 1, r->size, out);
	return 0;
}

/* Builds the minimal BTF of the object and writes it to file. */
static int build(const unsigned char *elf, size_t elf_size, const char *dir, const char *file, const char *marker)
{
	size_t blen = 0, elen = 0;
	const unsigned char *bsec = elf_section(elf, elf_size, ".BTF", &blen);
	const unsigned char *esec = elf_section(elf, elf_size, ".BTF.ext", &elen);
	if (!bsec || !esec || blen > UINT32_MAX) {
		sp_info("eBPF: the BPF object has no BTF or no .BTF.ext section; using the kernel's full BTF");
		return -EINVAL;
	}
	uint64_t t0 = sp_now_ns();
	struct btf *local = btf__new(bsec, (uint32_t)blen);
	struct btf *kern = btf__load_vmlinux_btf();
	struct mb mb = {.local = local, .kern = kern};
	int ret = !local || !kern ? -errno : collect(&mb, esec, elen);
	struct btf *out = ret < 0 ? NULL : emit(&mb, marker);
	for (size_t i = 0; i < mb.nc; i++)
		free(mb.c[i].m);
	free(mb.c);
	btf__free(local);
	btf__free(kern);
	if (!out) {
		sp_info("eBPF: cannot cut the kernel types the BPF object needs out of the kernel's BTF (%s); "
			"using the full BTF",
			ret == -ENOTSUP ? "a relocation of a kind this version does not cut out"
			: ret < 0       ? strerror(-ret)
					: "cannot write them");
		return ret < 0 ? ret : -EINVAL;
	}
	struct raw raw = {0};
	raw.data = btf__raw_data(out, &raw.size);
	struct sp_err err = {0};
	ret = sp_mkdir_p(dir);
	if (ret < 0)
		sp_info("eBPF: cannot create the cache directory '%s': %s; the kernel's full BTF is parsed at each "
			"start",
			dir, strerror(-ret));
	else if ((ret = sp_outfile_write(file, write_raw, &raw, &err)) < 0)
		sp_info("eBPF: cannot write '%s': %s; the kernel's full BTF is parsed at each start", file, err.msg);
	else if (chmod(file, 0600) < 0)
		ret = -errno;
	else
		sp_debug("eBPF: wrote the kernel types the BPF programs need (%u bytes, %u types) to '%s' in %.1f ms",
			 raw.size, btf__type_cnt(out) - 1, file, (double)(sp_now_ns() - t0) / 1e6);
	sp_err_clear(&err);
	btf__free(out);
	return ret;
}

/* Whether file is a minimal BTF we wrote for this key. */
static bool valid(const char *file, const char *marker)
{
	struct stat st;
	if (lstat(file, &st) < 0)
		return false;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		sp_info("eBPF: ignoring '%s': not a regular file of ours that only we may write", file);
		return false;
	}
	struct btf *b = btf__parse_raw(file);
	bool ok = b && btf__find_by_name_kind(b, marker, BTF_KIND_STRUCT) > 0;
	btf__free(b);
	if (!ok)
		sp_info("eBPF: '%s' is not the BTF written for this kernel and object; rebuilding it", file);
	return ok;
}

char *sp_minbtf_path(const void *elf, size_t elf_size)
{
	_cleanup_free_ char *dir = sp_cache_dir();
	if (!dir) {
		sp_debug("eBPF: no cache directory (neither $XDG_CACHE_HOME nor $HOME is an absolute path): "
			 "the kernel's full BTF is parsed");
		return NULL;
	}
	_cleanup_free_ char *id = kernel_build_id();
	if (!id) {
		sp_debug("eBPF: the kernel has no build-id in " KERNEL_NOTES " to key a cache with: the kernel's "
			 "full BTF is parsed");
		return NULL;
	}
	char hash[17];
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)fnv1a(elf, elf_size));
	_cleanup_free_ char *marker = xasprintf("sp_minbtf_%s_%s", id, hash);
	char *file = xasprintf("%s/ebpf-btf-%s-%s.btf", dir, id, hash);
	if (access(file, F_OK) == 0 && valid(file, marker)) {
		sp_debug("eBPF: kernel types from '%s'", file);
		return file;
	}
	if (build(elf, elf_size, dir, file, marker) < 0) {
		free(file);
		return NULL;
	}
	return file;
}

void sp_minbtf_forget(const char *path)
{
	if (path && unlink(path) < 0 && errno != ENOENT)
		sp_debug("eBPF: cannot remove '%s': %s", path, strerror(errno));
}

#endif
