/* SPDX-License-Identifier: MIT */
/*
 * `systemd`: a drop-in for a service unit, e.g.
 * /etc/systemd/system/NAME.service.d/seccomp.conf, then
 * `systemctl daemon-reload && systemctl restart NAME`.
 *
 *   SystemCallArchitectures=  the policy's ABIs (systemd spelling)
 *   SystemCallFilter=         the allowed names (several lines add up; the
 *                             first one makes it an allow list)
 *   SystemCallErrorNumber=    the default errno; absent for kill (systemd's
 *                             allow-list default kills the process)
 *
 * systemd cannot express argument conditions, per-name errnos in an allow
 * list, or trap/log/kill-thread defaults: conditional allow rules are
 * written unconditionally (wider than the policy) and other per-name
 * actions are left to SystemCallErrorNumber=, each with a comment saying
 * so.  Such defaults are an error.
 */
#include <errno.h>
#include <string.h>

#include "core/abi.h"
#include "core/log.h"
#include "core/util.h"
#include "formats/policy_out.h"
#include "formats/writers.h"

#define WRAP 76

int sp_fmt_systemd_write(FILE *out, const struct sp_policy *p, const struct sp_write_opts *o, struct sp_err *err)
{
	bool explain = o && o->explain;
	char buf[32];
	if (p->def.kind != SP_ACT_ERRNO && p->def.kind != SP_ACT_KILL_PROCESS)
		return sp_err_set(err, -EINVAL,
				  "systemd: SystemCallFilter= cannot have the default action %s (use errno[:NAME] "
				  "or kill)",
				  sp_action_str(p->def, buf, sizeof(buf)));
	_cleanup_free_ char *banner = sp_out_banner(o);
	fprintf(out, "# %s\n", banner);
	fputs("# Drop-in for a service: /etc/systemd/system/NAME.service.d/seccomp.conf\n[Service]\n", out);
	fputs("SystemCallArchitectures=", out);
	bool first = true;
	for (int a = 0; a < SP_ABI_COUNT; a++)
		if (p->abis & sp_abi_bit((enum sp_abi)a)) {
			fprintf(out, "%s%s", first ? "" : " ", sp_abi_get((enum sp_abi)a)->systemd);
			first = false;
		}
	fputs("\n", out);

	struct sp_out_entry *e;
	size_t n;
	sp_out_group(p, &e, &n);
	/* The names systemd will allow: unconditional allows, plus
	 * conditional allows widened (commented, and said on stderr). */
	struct sp_buf wide = SP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (e[i].action.kind != SP_ACT_ALLOW)
			continue;
		if (e[i].rule) {
			/* One line per name, however many rules it has
			 * (generate --args writes one rule per value). */
			if (i > 0 && e[i - 1].rule && !strcmp(e[i - 1].rule->name, e[i].names[0]))
				continue;
			fprintf(out, "# %s: argument conditions cannot be expressed; allowed unconditionally\n",
				e[i].names[0]);
			fprintf(out, "SystemCallFilter=%s\n", e[i].names[0]);
			sp_buf_printf(&wide, " %s", e[i].names[0]);
			continue;
		}
		size_t col = 0;
		for (size_t j = 0; j < e[i].nnames; j++) {
			const char *nm = e[i].names[j];
			if (explain || e[i].analysis[j]) {
				if (e[i].comments[j])
					fprintf(out, "# %s: %s\n", nm, e[i].comments[j]);
				fprintf(out, "SystemCallFilter=%s\n", nm);
				continue;
			}
			if (col && col + 1 + strlen(nm) > WRAP) {
				fputs("\n", out);
				col = 0;
			}
			col += (size_t)fprintf(out, "%s%s", col ? " " : "SystemCallFilter=", nm);
		}
		if (col)
			fputs("\n", out);
	}
	if (wide.len)
		sp_warn("systemd: argument conditions cannot be expressed; allowed by name only:%s", wide.s);
	sp_buf_release(&wide);
	for (size_t i = 0; i < n; i++) {
		if (e[i].action.kind == SP_ACT_ALLOW)
			continue;
		for (size_t j = 0; j < e[i].nnames; j++)
			if (!strcmp(e[i].names[j], "clone3") && sp_out_observed_clone3(sp_policy_find(p, "clone3"))) {
				fputs("# clone3: observed; ENOSYS (for the clone fallback) cannot be expressed, so "
				      "allowed\nSystemCallFilter=clone3\n",
				      out);
			} else {
				fprintf(out, "# %s: %s cannot be expressed in an allow list; it gets the default\n", e[i].names[j],
				sp_action_str(e[i].action, buf, sizeof(buf)));
			}
	}
	sp_out_free(e, n);
	if (p->def.kind == SP_ACT_ERRNO) {
		const char *en = sp_errno_name((int)p->def.data);
		if (en)
			fprintf(out, "SystemCallErrorNumber=%s\n", en);
		else
			fprintf(out, "SystemCallErrorNumber=%u\n", p->def.data);
	}
	return sp_out_finish(out, "systemd", err);
}
