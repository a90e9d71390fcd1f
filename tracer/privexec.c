/* SPDX-License-Identifier: MIT */
/*
 * tracer/privexec.c: setuid, setgid and file-capability executables met
 * while recording.
 *
 * The kernel decides at execve whether the new program gets the privileges
 * its file carries (security/commoncap.c, cap_bprm_creds_from_file): the
 * setuid/setgid ids and file capabilities are withheld, the program running
 * with the caller's credentials instead, when
 *  - the task is ptraced and its tracer is not "ptracer_capable", i.e. lacks
 *    CAP_SYS_PTRACE in the user namespace of the new credentials
 *    (LSM_UNSAFE_PTRACE): an unprivileged recorder always, root never;
 *  - or no_new_privs is set (LSM_UNSAFE_NO_NEW_PRIVS), which record's
 *    seccomp mode sets in the launched workload (an unprivileged process
 *    may install a filter only under no_new_privs), whoever the tracer is.
 * The program then does something else than it would without the recorder
 * (ping fails for want of CAP_NET_RAW, passwd cannot read /etc/shadow), and
 * the recording describes that other run.
 *
 * Rather than predicting the kernel's decision, we compare what the exec
 * should have given with what the task has, at PTRACE_EVENT_EXEC (the new
 * credentials are committed by then): a setuid file whose owner is not the
 * task's effective uid, a setgid file whose group is not its effective gid,
 * file capabilities missing from its permitted set (within its bounding
 * set).  A file on a nosuid mount gets nothing from the kernel in any run,
 * and when the recorder itself runs under no_new_privs the workload would
 * too: neither is a difference the recorder makes.
 */
#include "tracer/privexec.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "core/caps.h"
#include "core/log.h"
#include "core/util.h"

/* include/uapi/linux/capability.h: struct vfs_cap_data, little endian:
 * magic_etc, then {permitted, inheritable} per 32-bit half (one half in
 * revision 1, two in 2 and 3; 3 appends the namespace root uid). */
#define SP_VFS_CAP_REVISION_MASK 0xff000000u
#define SP_VFS_CAP_REVISION_1    0x01000000u
#define SP_VFS_CAP_REVISION_2    0x02000000u
#define SP_VFS_CAP_REVISION_3    0x03000000u

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t sp_privexec_fcaps(const unsigned char *x, size_t len)
{
	if (len < 12)
		return 0;
	uint32_t rev = le32(x) & SP_VFS_CAP_REVISION_MASK;
	uint64_t perm = le32(x + 4);
	if (rev == SP_VFS_CAP_REVISION_1)
		return perm;
	if ((rev == SP_VFS_CAP_REVISION_2 && len >= 20) || (rev == SP_VFS_CAP_REVISION_3 && len >= 24))
		return perm | (uint64_t)le32(x + 12) << 32;
	return 0;
}

struct creds {
	unsigned long euid, egid;
	uint64_t prm, eff, bnd;
	int nnp;
};

static int read_creds(pid_t pid, struct creds *c)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	unsigned long r;
	int found = 0;
	c->nnp = 0;
	while (fgets(line, sizeof(line), f)) {
		found += sscanf(line, "Uid: %lu %lu", &r, &c->euid) == 2;
		found += sscanf(line, "Gid: %lu %lu", &r, &c->egid) == 2;
		found += sscanf(line, "CapPrm: %" SCNx64, &c->prm) == 1;
		sscanf(line, "CapEff: %" SCNx64, &c->eff);
		found += sscanf(line, "CapBnd: %" SCNx64, &c->bnd) == 1;
		sscanf(line, "NoNewPrivs: %d", &c->nnp);
	}
	fclose(f);
	return found == 4 ? 0 : -EINVAL;
}

static char *cap_list(uint64_t mask)
{
	struct sp_buf b = SP_BUF_INIT;
	for (unsigned i = 0; i < 64; i++) {
		if (!(mask & (1ull << i)))
			continue;
		const char *n = sp_cap_name(i);
		if (n)
			sp_buf_printf(&b, "%s%s", b.len ? ", " : "", n);
		else
			sp_buf_printf(&b, "%scapability %u", b.len ? ", " : "", i);
	}
	return sp_buf_steal(&b);
}

void sp_privexec_check(struct sp_recording *rec, pid_t pid, const char *exe, bool nnp_by_us)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	struct stat st;
	if (stat(path, &st) < 0)
		return;
	bool suid = st.st_mode & S_ISUID;
	/* setgid without group execute marks mandatory locking, not setgid */
	bool sgid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP);
	unsigned char x[32];
	ssize_t xl = getxattr(path, "security.capability", x, sizeof(x));
	uint64_t fcaps = xl > 0 ? sp_privexec_fcaps(x, (size_t)xl) : 0;
	if (!suid && !sgid && !fcaps)
		return;
	struct statvfs sv;
	if (statvfs(path, &sv) == 0 && (sv.f_flag & ST_NOSUID))
		return;
	/* Under no_new_privs ourselves, the workload has it in any run. */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return;
	struct creds c;
	if (read_creds(pid, &c) < 0)
		return;
	/* no_new_privs the workload set itself holds without us too */
	if (c.nnp && !nnp_by_us)
		return;
	struct sp_buf what = SP_BUF_INIT;
	if (suid && c.euid != st.st_uid)
		sp_buf_printf(&what, "setuid to uid %u not applied (runs with euid %lu)", (unsigned)st.st_uid,
			      c.euid);
	if (sgid && c.egid != st.st_gid)
		sp_buf_printf(&what, "%ssetgid to gid %u not applied (runs with egid %lu)", what.len ? "; " : "",
			      (unsigned)st.st_gid, c.egid);
	uint64_t missing = fcaps & c.bnd & ~c.prm;
	if (missing) {
		_cleanup_free_ char *names = cap_list(missing);
		sp_buf_printf(&what, "%sfile capabilities not granted (%s)", what.len ? "; " : "", names);
	}
	if (!what.len) {
		sp_buf_release(&what);
		return; /* the kernel honoured them (a privileged recorder) */
	}
	/* ptracer_capable(): CAP_SYS_PTRACE (19) in the new credentials'
	 * user namespace; ours is the approximation at hand */
	struct creds self;
	bool capable = read_creds(getpid(), &self) == 0 && (self.eff & (1ull << 19));
	if (c.nnp)
		sp_buf_printf(&what, ": record's seccomp mode sets no_new_privs, under which the kernel grants no "
				     "privileges at exec%s",
			      capable ? " (--no-seccomp does not set it)"
				      : ", and a recorder without CAP_SYS_PTRACE would not get them granted either: "
					"record as root with --no-seccomp");
	else
		sp_buf_puts(&what, ": the kernel grants no privileges to an exec traced without CAP_SYS_PTRACE "
				   "over the new credentials: record as root");
	_cleanup_free_ char *reason = sp_buf_steal(&what);
	const char *name = exe ? exe : path;
	if (sp_recording_add_unfaithful(rec, name, reason))
		sp_warn("'%s' ran without its privileges: %s; the recording may differ from a run without the "
			"recorder",
			name, reason);
}
