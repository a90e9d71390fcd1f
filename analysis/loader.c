/* SPDX-License-Identifier: MIT */
/*
 * The loader's search order (see loader.h).  ld.so.cache's new format, as
 * ldconfig writes it since glibc 2.32: a 48-byte header ("glibc-ld.so.cache"
 * "1.1", entry count, string table size, ...), then 24-byte entries
 * (flags, key and value offsets from the start of the file, OS version,
 * hwcap); flags' bits 8-15 name the ABI of the library.
 */
#include "analysis/loader.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

struct ldc_entry {
	uint32_t flags;
	const char *key, *value;
};

struct sp_ldcache {
	char *data;
	size_t len;
	struct ldc_entry *v;
	size_t n;
};

#define LDC_MAGIC "glibc-ld.so.cache1.1"
#define LDC_HDR   48
#define LDC_ENT   24

static uint32_t rd32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

struct sp_ldcache *sp_ldcache_load(const char *path)
{
	struct sp_ldcache *c = xcalloc(1, sizeof(*c));
	if (sp_file_read_all(path, 64 << 20, &c->data, &c->len, NULL) < 0)
		return c;
	if (c->len < LDC_HDR || memcmp(c->data, LDC_MAGIC, strlen(LDC_MAGIC)))
		return c;
	uint32_t n = rd32(c->data + 20);
	if (n > (c->len - LDC_HDR) / LDC_ENT)
		return c;
	c->v = xcalloc(n ? n : 1, sizeof(*c->v));
	for (uint32_t i = 0; i < n; i++) {
		const char *e = c->data + LDC_HDR + (size_t)i * LDC_ENT;
		uint32_t k = rd32(e + 4), val = rd32(e + 8);
		/* both strings must lie in the file and end in it */
		if (k >= c->len || val >= c->len || !memchr(c->data + k, 0, c->len - k) ||
		    !memchr(c->data + val, 0, c->len - val))
			continue;
		c->v[c->n++] = (struct ldc_entry){rd32(e), c->data + k, c->data + val};
	}
	return c;
}

void sp_ldcache_free(struct sp_ldcache *c)
{
	if (!c)
		return;
	free(c->data);
	free(c->v);
	free(c);
}

/* ldconfig's per-ABI flag values (bits 8-15 of an entry's flags). */
static uint32_t ldc_abi_flag(enum sp_abi abi)
{
	switch (abi) {
	case SP_ABI_X86_64:
		return 0x0300;
	case SP_ABI_X32:
		return 0x0800;
	case SP_ABI_AARCH64:
		return 0x0a00;
	default:
		return 0;
	}
}

static const char *multiarch(enum sp_abi abi)
{
	switch (abi) {
	case SP_ABI_X86_64:
		return "x86_64-linux-gnu";
	case SP_ABI_I386:
		return "i386-linux-gnu";
	case SP_ABI_X32:
		return "x86_64-linux-gnux32";
	case SP_ABI_AARCH64:
		return "aarch64-linux-gnu";
	default:
		return NULL;
	}
}

/* The file is an ELF object of the same class and machine as o. */
static bool fits(const char *path, const struct sp_obj *o)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char h[20];
	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, ELFMAG, SELFMAG))
		return false;
	uint16_t m;
	memcpy(&m, h + 18, 2); /* e_machine; little-endian hosts and objects only */
	return h[EI_CLASS] == o->elfclass && m == o->machine;
}

static char *dirname_of(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup(".");
	return s == path ? xstrdup("/") : xstrndup(path, (size_t)(s - path));
}

/* Expands $ORIGIN/${ORIGIN}, $LIB and $PLATFORM in one search directory. */
static char *expand(const char *dir, const struct sp_obj *o)
{
	struct sp_buf b = SP_BUF_INIT;
	for (const char *p = dir; *p;) {
		const char *tok = NULL, *rest = p;
		if (*p == '$') {
			static const char *const toks[] = {"ORIGIN", "LIB", "PLATFORM"};
			for (size_t i = 0; i < SP_ARRAY_SIZE(toks) && !tok; i++) {
				size_t l = strlen(toks[i]);
				if (!strncmp(p + 1, toks[i], l)) {
					tok = toks[i];
					rest = p + 1 + l;
				} else if (p[1] == '{' && !strncmp(p + 2, toks[i], l) && p[2 + l] == '}') {
					tok = toks[i];
					rest = p + 3 + l;
				}
			}
		}
		if (!tok) {
			sp_buf_add(&b, p, 1);
			p++;
			continue;
		}
		if (!strcmp(tok, "ORIGIN")) {
			_cleanup_free_ char *d = dirname_of(o->path);
			sp_buf_puts(&b, d);
		} else if (!strcmp(tok, "LIB")) {
			sp_buf_puts(&b, o->elfclass == ELFCLASS64 ? "lib64" : "lib");
		} else {
			sp_buf_puts(&b, o->machine == EM_X86_64 ? "x86_64" : o->machine == EM_386 ? "i686" : "aarch64");
		}
		p = rest;
	}
	return sp_buf_steal(&b);
}

static char *search_list(const char *list, const struct sp_obj *origin, const struct sp_obj *o, const char *name)
{
	if (!list)
		return NULL;
	_cleanup_free_ char *copy = xstrdup(list);
	char *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *dir = expand(d, origin);
		_cleanup_free_ char *p = xasprintf("%s/%s", *dir ? dir : ".", name);
		if (fits(p, o))
			return steal_ptr(p);
	}
	return NULL;
}

char *sp_loader_find(const struct sp_ldcache *c, const struct sp_obj *needer, const struct sp_obj *exe,
		     const char *name)
{
	if (strchr(name, '/'))
		return fits(name, needer) ? xstrdup(name) : NULL;
	char *p;
	if (!needer->runpath) {
		if ((p = search_list(needer->rpath, needer, needer, name)))
			return p;
		if (exe && exe != needer && (p = search_list(exe->rpath, exe, needer, name)))
			return p;
	}
	if ((p = search_list(needer->runpath, needer, needer, name)))
		return p;
	uint32_t want = ldc_abi_flag(needer->abi);
	for (size_t i = 0; c && i < c->n; i++)
		if (!strcmp(c->v[i].key, name) && (c->v[i].flags & 0xff00) == want && fits(c->v[i].value, needer))
			return xstrdup(c->v[i].value);
	const char *ma = multiarch(needer->abi);
	bool lib64 = needer->elfclass == ELFCLASS64;
	_cleanup_free_ char *defaults = xasprintf("%s%s%s%s%s%s:%s:%s", ma ? "/lib/" : "", ma ? ma : "",
						  ma ? ":/usr/lib/" : "", ma ? ma : "", ma ? ":" : "",
						  lib64 ? "/lib64" : "/lib", lib64 ? "/usr/lib64" : "/usr/lib",
						  lib64 ? "/lib:/usr/lib" : "/lib");
	return search_list(defaults, needer, needer, name);
}
