/* SPDX-License-Identifier: MIT */
/*
 * Victim launcher: `bpf_load FILE CMD [ARGS...]` loads the raw classic-BPF
 * program in FILE (as written by `seccomp-profile generate -f bpf`: an
 * array of struct sock_filter in host byte order) the way bubblewrap's
 * --seccomp does, with no_new_privs and without TSYNC, then executes CMD.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bpf_load FILE CMD [ARGS...]\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	static struct sock_filter insns[4096 + 1];
	size_t n = fread(insns, sizeof(insns[0]), 4096 + 1, f);
	fclose(f);
	if (n == 0 || n > 4096) {
		fprintf(stderr, "bpf_load: %s: %zu instructions\n", argv[1], n);
		return 2;
	}
	struct sock_fprog prog = {.len = (unsigned short)n, .filter = insns};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("bpf_load: seccomp");
		return 2;
	}
	execv(argv[2], argv + 2);
	perror("bpf_load: execv");
	return 127;
}
