/* SPDX-License-Identifier: MIT */
#include "generator/uring.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char *const names[] = {"io_uring_setup", "io_uring_enter", "io_uring_register", NULL};

const char *const *sp_gen_uring_names(void)
{
	return names;
}

static bool lets_through(struct sp_action a)
{
	return a.kind == SP_ACT_ALLOW || a.kind == SP_ACT_LOG;
}

/* Does p let name through on some ABI, for some arguments?  Yes when a
 * rule for it allows (conditions only narrow which calls), or when the
 * default allows and no unconditional rule takes name out on every ABI
 * (a rule's ABI mask 0 means all of the policy's ABIs). */
static bool allowed(const struct sp_policy *p, const char *name)
{
	uint32_t covered = 0;
	bool all = false;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *r = &p->rules[i];
		if (strcmp(r->name, name))
			continue;
		if (lets_through(r->action))
			return true;
		if (!r->ncond) {
			all |= !r->abis;
			covered |= r->abis;
		}
	}
	if (!lets_through(p->def) || all)
		return false;
	return !p->abis || (p->abis & ~covered);
}

uint32_t sp_gen_uring_allowed(const struct sp_policy *p)
{
	uint32_t m = 0;
	for (unsigned i = 0; names[i]; i++)
		if (allowed(p, names[i]))
			m |= 1u << i;
	return m;
}

const char *sp_gen_uring_list(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; names[i]; i++)
		if (mask & (1u << i) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
	return buf;
}

void sp_gen_uring_deny(struct sp_policy *p)
{
	size_t keep = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		struct sp_rule *r = &p->rules[i];
		bool uring = false;
		for (unsigned j = 0; names[j]; j++)
			uring |= !strcmp(r->name, names[j]);
		if (uring) {
			free(r->name);
			free(r->comment);
			continue;
		}
		p->rules[keep++] = *r;
	}
	p->nrules = keep;
	for (unsigned j = 0; names[j]; j++) {
		struct sp_rule *r = sp_policy_add_rule(p, names[j], sp_action_errno(ENOSYS));
		r->origin = SP_ORIGIN_ENOSYS;
		r->comment = xstrdup("io_uring denied (--deny-io-uring): seccomp cannot filter the operations "
				     "submitted through it; ENOSYS makes programs fall back to system calls");
	}
	sp_policy_sort(p);
}
