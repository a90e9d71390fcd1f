/* SPDX-License-Identifier: MIT */
/*
 * tracer/ebpf/ebpf.c: the user-space half of `record --backend ebpf`:
 * loads recorder.bpf.c (embedded as a libbpf skeleton), launches the
 * workload into the tracked set, waits for its process tree to end, and
 * turns the BPF maps into a struct sp_recording.
 *
 * Launch: the child blocks reading a pipe; the parent loads and attaches
 * the programs, gives the child an entry in the task-storage map (through a
 * pidfd, the key user space uses for BPF_MAP_TYPE_TASK_STORAGE) marked
 * PREEXEC, and only then writes the byte the child waits for.  The child
 * calls execve: its calls before that are the launcher's and are not
 * counted; sched_process_exec clears PREEXEC and counts that execve on the
 * native ABI (as tracer/launch.c does).  An execve that fails comes back
 * through a close-on-exec pipe as its errno (the child exits 127).
 *
 * End: the program counts the workload's live tasks and posts EV_GONE when
 * the last one has exited (daemons included, as with ptrace); the loader
 * also reads the counter itself on every wake-up, so a lost EV_GONE cannot
 * hang it.  SIGINT/SIGTERM/SIGHUP (o->stop) kill every task of the
 * workload; what was recorded is kept and marked incomplete.
 *
 * Built only with SP_HAVE_EBPF (the Makefile defines it when libbpf,
 * bpftool, clang and a BTF file are there); otherwise the back-end reports
 * itself as not built.
 */
#include "tracer/ebpf/ebpf.h"

#include <errno.h>
#include <string.h>

#ifdef SP_HAVE_EBPF

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/argspec.h"
#include "core/log.h"
#include "core/util.h"
/* Generated (build/ebpf/recorder.skel.h): its cast of the embedded object
 * drops a const. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "recorder.skel.h"
#pragma GCC diagnostic pop
#include "tracer/args.h"
#include "tracer/ebpf/minbtf.h"
#include "tracer/ebpf/recorder.h"
#include "tracer/internal.h"

extern char **environ;

#define BTF_PATH "/sys/kernel/btf/vmlinux"

bool sp_ebpf_built(void)
{
	return true;
}

/* libbpf prints its own diagnostics (verifier logs, ...): only with -vv.
 * Its format strings are libbpf's own. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || sp_log_level < SP_LOG_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int load_error(int e, struct sp_err *err)
{
	if (e == EPERM || e == EACCES)
		return sp_err_set(err, -EPERM,
				  "cannot load BPF programs: %s (the eBPF back-end needs root, or CAP_BPF and "
				  "CAP_PERFMON; --backend ptrace needs neither)",
				  strerror(e));
	return sp_err_set(err, -e, "cannot load the BPF programs: %s (run with -vv for libbpf's log)", strerror(e));
}

/* Opens and loads the skeleton; the CO-RE relocations are resolved against
 * btf (a minimal BTF file, tracer/ebpf/minbtf.h) or, if NULL, the kernel's
 * full BTF.  NULL with errno set on failure. */
static struct recorder_bpf *load_skel(bool exit_stops, const char *btf)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf);
	struct recorder_bpf *skel = recorder_bpf__open_opts(&opts);
	if (!skel)
		return NULL;
	enum sp_abi native = sp_abi_native();
	skel->rodata->native_arch = sp_abi_get(native)->audit_arch;
	skel->rodata->compat_arch = sp_abi_get(SP_ABI_I386)->audit_arch;
	skel->rodata->x32_bit = SP_X32_SYSCALL_BIT;
	int64_t execve = sp_abi_syscall_nr(native, "execve");
	skel->rodata->execve_nr = execve >= 0 ? (uint32_t)execve : 0;
	/* The untimed entry program's task cache (recorder.bpf.c): one entry
	 * per possible CPU.  The timed one (-c) writes to the task's storage
	 * at every call and does not use it. */
	int cpus = libbpf_num_possible_cpus();
	if (!exit_stops && cpus > 0 && cpus <= SP_BPF_MAX_CPUS) {
		skel->rodata->ncpus = (uint32_t)cpus;
		bpf_map__set_max_entries(skel->maps.tcache, (uint32_t)cpus);
	}
	/* One of the two entry programs; the exit program only for -c. */
	bpf_program__set_autoload(exit_stops ? skel->progs.sp_sys_enter : skel->progs.sp_sys_enter_timed, false);
	if (!exit_stops) {
		/* and the error counters only for it: a map not needed is a
		 * hash table not allocated at every start */
		bpf_program__set_autoload(skel->progs.sp_sys_exit, false);
		bpf_map__set_autocreate(skel->maps.errs, false);
	}
	if (recorder_bpf__load(skel) < 0) {
		int e = errno;
		recorder_bpf__destroy(skel);
		errno = e;
		return NULL;
	}
	return skel;
}

static struct recorder_bpf *open_skel(bool exit_stops, struct sp_err *err)
{
	libbpf_set_print(libbpf_log);
	if (access(BTF_PATH, R_OK) < 0)
		return sp_err_set(err, -ENOENT,
				  "the kernel has no BTF (" BTF_PATH ": %s): the eBPF back-end needs a kernel "
				  "built with CONFIG_DEBUG_INFO_BTF",
				  strerror(errno)),
		       NULL;
	size_t elf_size = 0;
	const void *elf = recorder_bpf__elf_bytes(&elf_size);
	_cleanup_free_ char *btf = sp_minbtf_path(elf, elf_size);
	struct recorder_bpf *skel = load_skel(exit_stops, btf);
	if (!skel && btf && errno != EPERM && errno != EACCES) {
		/* Not a matter of privilege: the cut-out types did not
		 * satisfy libbpf (which said why with -vv).  The full BTF
		 * gives the answer; the file is rebuilt next time. */
		sp_info("eBPF: loading against the kernel types in '%s' failed (%s); using the kernel's full BTF",
			btf, strerror(errno));
		sp_minbtf_forget(btf);
		skel = load_skel(exit_stops, NULL);
	}
	if (!skel)
		load_error(errno, err);
	return skel;
}

struct sp_ebpf {
	struct recorder_bpf *skel;
};

int sp_ebpf_open(struct sp_ebpf **out, bool exit_stops, struct sp_err *err)
{
	struct recorder_bpf *skel = open_skel(exit_stops, err);
	if (!skel)
		return err && err->code ? err->code : -EINVAL;
	*out = xmalloc(sizeof(**out));
	(*out)->skel = skel;
	return 0;
}

void sp_ebpf_close(struct sp_ebpf *bpf)
{
	if (!bpf)
		return;
	recorder_bpf__destroy(bpf->skel);
	free(bpf);
}

/* The argument table of core/argspec.c, per syscall number, for the
 * program: slot 0 the native ABI, 1 i386, 2 x32 (numbers without the x32
 * bit).  Values are reduced in the kernel with the masks both recorders
 * share (sp_argspec_value_mask), so deduplication there is exact.  Written
 * in one BPF_MAP_UPDATE_BATCH (kernel 5.6) rather than a call per entry,
 * which is what a kernel without it still gets. */
static int fill_argspec(struct recorder_bpf *skel, struct sp_err *err)
{
	static const enum sp_abi slots[SP_BPF_ARGSPEC_ABIS] = {SP_ABI_X86_64, SP_ABI_I386, SP_ABI_X32};
	enum { MAX = SP_BPF_ARGSPEC_ABIS * SP_BPF_ARGSPEC_NR };
	_cleanup_free_ uint32_t *keys = xcalloc(MAX, sizeof(*keys));
	_cleanup_free_ struct sp_bpf_argspec *vals = xcalloc(MAX, sizeof(*vals));
	uint32_t n = 0;
	for (uint32_t slot = 0; slot < SP_BPF_ARGSPEC_ABIS; slot++) {
		enum sp_abi abi = slots[slot];
		int64_t base = abi == SP_ABI_X32 ? SP_X32_SYSCALL_BIT : 0;
		for (uint32_t nr = 0; nr < SP_BPF_ARGSPEC_NR; nr++) {
			const struct sp_argspec *sp = sp_argspec_find(abi, base + nr);
			if (!sp)
				continue;
			struct sp_bpf_argspec *v = &vals[n];
			v->nargs = sp->nargs;
			for (unsigned i = 0; i < sp->nargs && i < 2; i++) {
				v->idx[i] = sp->arg[i].idx;
				v->mask[i] = sp_argspec_value_mask(abi, (enum sp_argkind)sp->arg[i].kind);
				if (sp->arg[i].kind == SP_ARGK_CLONE3FLAGS)
					v->flags[i] = SP_BPF_ARG_CLONE3;
			}
			keys[n++] = slot * SP_BPF_ARGSPEC_NR + nr;
		}
	}
	int fd = bpf_map__fd(skel->maps.argspec);
	uint32_t count = n;
	if (n == 0 || bpf_map_update_batch(fd, keys, vals, &count, NULL) == 0)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &keys[i], &vals[i], BPF_ANY) < 0)
			return sp_err_sys(err, "BPF argument table");
	return 0;
}

/* ---- run state -------------------------------------------------------- */

struct exe_entry {
	struct sp_bpf_exe id;
	char *path;
};

struct run {
	const struct sp_tracer_opts *o;
	struct sp_recording *rec;
	struct recorder_bpf *skel;
	struct exe_entry *exes;
	size_t nexes, cap_exes;
	bool gone;
	bool totals_only; /* collect_calls() for the status line */
	struct sp_tracer_stats st;
};

static const char *exe_path(const struct run *r, const struct sp_bpf_exe *id)
{
	for (size_t i = 0; i < r->nexes; i++)
		if (r->exes[i].id.ino == id->ino && r->exes[i].id.dev == id->dev)
			return r->exes[i].path;
	return NULL;
}

/* The path of the image a task just executed.  /proc/PID/exe gives the
 * canonical path (what the ptrace back-end records) while the process is
 * alive and still runs that image: checked by comparing the inode the
 * kernel executed (the kernel's dev_t is MAJOR << 20 | MINOR).  Otherwise
 * (it exited or executed again before we got here) the path execve was
 * given, as the kernel saw it (bprm->interp: for a script, its
 * interpreter). */
static void on_exec_event(struct run *r, const struct sp_bpf_exec_event *x)
{
	const struct sp_bpf_event *e = &x->ev;
	if (exe_path(r, &e->exe))
		return;
	char link[64], buf[4096];
	snprintf(link, sizeof(link), "/proc/%u/exe", e->tgid);
	char *path = NULL;
	struct stat sb;
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	if (n > 0 && stat(link, &sb) == 0 && sb.st_ino == e->exe.ino && major(sb.st_dev) == (e->exe.dev >> 20) &&
	    minor(sb.st_dev) == (e->exe.dev & 0xfffff)) {
		buf[n] = 0;
		path = xstrdup(buf);
	} else if (x->path[0]) {
		path = xstrndup(x->path, sizeof(x->path));
	} else {
		return;
	}
	xgrow((void **)&r->exes, &r->cap_exes, r->nexes + 1, sizeof(*r->exes));
	r->exes[r->nexes++] = (struct exe_entry){e->exe, path};
	sp_recording_add_exe(r->rec, path);
}

/* Numbers come as the low 32 bits of the kernel's int: sign-extend like the
 * ptrace back-end (x32 numbers keep bit 30 and stay positive). */
static int64_t nr_of(uint32_t nr)
{
	return (int64_t)(int32_t)nr;
}

static struct sp_sysc *entry(struct run *r, uint32_t arch, uint32_t nr)
{
	enum sp_abi abi = sp_abi_classify(arch, nr);
	if (abi == SP_ABI_UNKNOWN)
		return NULL;
	struct sp_sysc *s = sp_recording_sysc(r->rec, abi, nr_of(nr), false);
	if (!s) {
		s = sp_recording_sysc(r->rec, abi, nr_of(nr), true);
		r->st.distinct[abi]++;
	}
	return s;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct run *r = ctx;
	const struct sp_bpf_event *e = data;
	if (size < sizeof(*e))
		return 0;
	switch (e->type) {
	case SP_BPF_EV_EXEC:
		if (size >= sizeof(struct sp_bpf_exec_event))
			on_exec_event(r, data);
		break;
	case SP_BPF_EV_FIRST: {
		struct sp_sysc *s = entry(r, e->arch, (uint32_t)e->nr);
		if (s && !s->first_pid) {
			const char *p = exe_path(r, &e->exe);
			s->first_pid = (pid_t)e->tid;
			s->first_exe = p ? xstrdup(p) : NULL;
		}
		break;
	}
	case SP_BPF_EV_ARG: {
		struct sp_sysc *s = entry(r, e->arch, (uint32_t)e->nr);
		if (s)
			sp_args_add_value(r->rec, s, s->abi, e->idx, e->value);
		break;
	}
	case SP_BPF_EV_GONE:
		r->gone = true;
		break;
	}
	return 0;
}

/* ---- collecting the maps ------------------------------------------------ */

static int ncpus(void)
{
	int n = libbpf_num_possible_cpus();
	return n > 0 ? n : 1;
}

/* Calls fn(r, key, value) for every entry of a map; per-CPU maps give one
 * 8-byte-aligned value slot per possible CPU (vsize is the whole array;
 * 0: keys only). */
static void map_walk(struct run *r, const struct bpf_map *map, size_t vsize,
		     void (*fn)(struct run *r, const void *key, const void *val))
{
	int fd = bpf_map__fd(map);
	size_t ksize = bpf_map__key_size(map);
	_cleanup_free_ unsigned char *k = xcalloc(2, ksize);
	_cleanup_free_ unsigned char *v = vsize ? xcalloc(1, vsize) : NULL;
	unsigned char *next = k + ksize;
	bool first = true;
	while (bpf_map_get_next_key(fd, first ? NULL : k, next) == 0) {
		first = false;
		memcpy(k, next, ksize);
		if (v && bpf_map_lookup_elem(fd, k, v) < 0)
			continue; /* deleted meanwhile */
		fn(r, k, v);
	}
}

static void add_calls(struct run *r, const void *key, const void *val)
{
	const struct sp_bpf_call_key *k = key;
	const struct sp_bpf_call_val *v = val;
	uint64_t calls = 0, time = 0;
	for (int c = 0; c < ncpus(); c++) {
		calls += v[c].calls;
		time += v[c].time_ns;
	}
	r->st.syscalls += calls;
	if (r->totals_only)
		return;
	struct sp_sysc *s = entry(r, k->arch, k->nr);
	if (!s)
		return;
	s->calls += calls;
	s->time_ns += time;
	if (!s->first_exe) {
		/* its first sighting did not fit in the ring buffer */
		const char *p = exe_path(r, &k->exe);
		s->first_exe = p ? xstrdup(p) : NULL;
	}
}

static void add_errors(struct run *r, const void *key, const void *val)
{
	const struct sp_bpf_err_key *k = key;
	const uint64_t *v = val;
	uint64_t count = 0;
	for (int c = 0; c < ncpus(); c++)
		count += v[c];
	struct sp_sysc *s = entry(r, k->arch, k->nr);
	if (s && count)
		sp_sysc_add_error(s, (int)k->err, count);
}

/* The argument values are all in the map; the ring buffer carried them
 * too, but an event that did not fit is not a value lost. */
static void add_argval(struct run *r, const void *key, const void *val)
{
	const struct sp_bpf_argval_key *k = key;
	(void)val;
	struct sp_sysc *s = entry(r, k->arch, k->nr);
	if (s)
		sp_args_add_value(r->rec, s, s->abi, k->idx, k->value);
}

/* Sums the call counters into r->st.syscalls, and into the recording
 * unless totals_only (the live status line). */
static void collect_calls(struct run *r, bool totals_only)
{
	r->st.syscalls = 0;
	r->totals_only = totals_only;
	map_walk(r, r->skel->maps.calls, (size_t)ncpus() * sizeof(struct sp_bpf_call_val), add_calls);
	r->totals_only = false;
}

/* ---- launching and stopping ---------------------------------------------- */

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* SIGKILLs every process that has a task in the workload.  The task
 * storage map cannot be listed from user space, so every process of the
 * machine is looked up in it by pidfd; tasks created but not yet adopted
 * are the keys of `born` (a tid: kill() on any thread's id signals its
 * whole process).  Called again while tasks remain (a fork may race with
 * the scan). */
static void kill_workload(struct run *r)
{
	int bfd = bpf_map__fd(r->skel->maps.born);
	uint32_t tid, next;
	for (bool first = true; bpf_map_get_next_key(bfd, first ? NULL : &tid, &next) == 0; first = false) {
		tid = next;
		kill((pid_t)tid, SIGKILL);
	}
	int fd = bpf_map__fd(r->skel->maps.tasks);
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		int pfd = pidfd_open_((pid_t)pid);
		if (pfd < 0)
			continue;
		struct sp_bpf_task ts;
		if (bpf_map_lookup_elem(fd, &pfd, &ts) == 0)
			kill((pid_t)pid, SIGKILL);
		close(pfd);
	}
	closedir(d);
}

static void __attribute__((noreturn)) launch_child(const struct sp_tracer_opts *o, int go, int report)
{
	char c;
	ssize_t n;
	do
		n = read(go, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127); /* the recorder gave up before we were tracked */
	execve(o->path, o->argv, environ);
	int e = errno;
	n = write(report, &e, sizeof(e));
	(void)n;
	_exit(127);
}

/* Forks the workload, makes it a tracked task, lets it exec. */
static int launch(struct run *r, pid_t *child, int *report_fd, struct sp_err *err)
{
	int go[2], rep[2];
	if (pipe2(go, O_CLOEXEC) < 0)
		return sp_err_sys(err, "pipe");
	if (pipe2(rep, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return sp_err_sys(err, "pipe");
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(go[0]), close(go[1]), close(rep[0]), close(rep[1]);
		errno = e;
		return sp_err_sys(err, "fork");
	}
	if (pid == 0) {
		close(go[1]);
		close(rep[0]);
		launch_child(r->o, go[0], rep[1]);
	}
	close(go[0]);
	close(rep[1]);
	*child = pid;
	*report_fd = rep[0];
	int pfd = pidfd_open_(pid);
	struct sp_bpf_task init = {.flags = SP_BPF_T_PREEXEC};
	r->skel->bss->live = 1;
	if (pfd < 0 || bpf_map_update_elem(bpf_map__fd(r->skel->maps.tasks), &pfd, &init, BPF_NOEXIST) < 0) {
		int e = errno;
		if (pfd >= 0)
			close(pfd);
		close(go[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = e;
		return sp_err_sys(err, "cannot add the workload (pid %d) to the BPF task map", (int)pid);
	}
	close(pfd);
	ssize_t n = write(go[1], "g", 1);
	close(go[1]);
	if (n != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return sp_err_sys(err, "cannot start the workload");
	}
	return 0;
}

static void progress(struct run *r, uint64_t t0)
{
	const struct sp_tracer_opts *o = r->o;
	collect_calls(r, true);
	r->st.elapsed_ns = sp_now_ns() - t0;
	r->st.processes = 1 + r->skel->bss->processes;
	r->st.threads = 1 + r->skel->bss->threads;
	r->st.live_tasks = r->skel->bss->live > 0 ? (uint64_t)r->skel->bss->live : 0;
	o->progress(&r->st, o->progress_ctx);
}

static int refuse(struct sp_err *err, const char *what)
{
	return sp_err_set(err, -ENOTSUP, "%s: not supported by the eBPF back-end (use --backend ptrace)", what);
}

int sp_ebpf_run(struct sp_ebpf *bpf, const struct sp_tracer_opts *o, struct sp_recording *rec,
		struct sp_err *err)
{
	if (!o->argv || !o->path)
		return refuse(err, "attaching to running processes (-p)");
	if (o->stack_depth > 0)
		return refuse(err, "call sites (--stacks)");
	if (o->filter)
		return refuse(err, "a workload filter (--baseline)");
	if (o->deny_errno > 0 || o->on_call)
		return refuse(err, "denying or inspecting single calls (check)");

	sp_tracer_meta_start(rec, o);
	struct run r = {.o = o, .rec = rec, .skel = bpf->skel};
	struct ring_buffer *rb = NULL;
	pid_t child = -1;
	int report_fd = -1, ret = 0, stopping = 0, status = 0;
	bool reaped = false;
	if ((ret = fill_argspec(r.skel, err)) < 0)
		goto out;
	if (recorder_bpf__attach(r.skel) < 0) {
		ret = load_error(errno, err);
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(r.skel->maps.events), on_event, &r, NULL);
	if (!rb) {
		ret = sp_err_sys(err, "BPF ring buffer");
		goto out;
	}
	uint64_t t0 = sp_now_ns(), last_progress = t0;
	if ((ret = launch(&r, &child, &report_fd, err)) < 0)
		goto out;

	for (;;) {
		if (o->stop && *o->stop && !stopping)
			stopping = (int)*o->stop;
		if (stopping && !r.gone)
			kill_workload(&r);
		int n = ring_buffer__poll(rb, stopping ? 20 : 100);
		if (n < 0 && n != -EINTR) {
			ret = sp_err_set(err, n, "BPF ring buffer: %s", strerror(-n));
			stopping = -1;
			kill_workload(&r);
		}
		if (!reaped && waitpid(child, &status, WNOHANG) == child)
			reaped = true;
		if (r.gone || r.skel->bss->live <= 0) {
			/* Every task has passed do_exit: the child is a zombie
			 * or about to be. */
			while (!reaped) {
				if (waitpid(child, &status, 0) == child)
					reaped = true;
				else if (errno != EINTR)
					break;
			}
			break;
		}
		if (o->progress && sp_now_ns() - last_progress >= o->progress_ns) {
			last_progress = sp_now_ns();
			progress(&r, t0);
		}
	}
	ring_buffer__consume(rb);
	/* The counters are final: every workload task has exited. */
	collect_calls(&r, false);
	if (bpf_map__fd(r.skel->maps.errs) >= 0) /* -c only */
		map_walk(&r, r.skel->maps.errs, (size_t)ncpus() * sizeof(uint64_t), add_errors);
	map_walk(&r, r.skel->maps.argvals, 0, add_argval);

	struct sp_recording_meta *m = &rec->meta;
	m->duration_ns = sp_now_ns() - t0;
	m->processes = 1 + r.skel->bss->processes;
	m->threads = 1 + r.skel->bss->threads;
	m->lost_events = r.skel->bss->lost[SP_BPF_LOST_RINGBUF] + r.skel->bss->lost[SP_BPF_LOST_MAP];
	if (m->lost_events)
		sp_debug("eBPF: %llu ring-buffer events and %llu map entries lost",
			 (unsigned long long)r.skel->bss->lost[SP_BPF_LOST_RINGBUF],
			 (unsigned long long)r.skel->bss->lost[SP_BPF_LOST_MAP]);
	free(m->backend);
	m->backend = xstrdup("ebpf");
	free(m->tracing);
	m->tracing = xstrdup("tracepoint");
	if (reaped) {
		if (WIFEXITED(status)) {
			m->exit_status = WEXITSTATUS(status);
			m->exit_signal = 0;
		} else if (WIFSIGNALED(status)) {
			m->exit_status = -1;
			m->exit_signal = WTERMSIG(status);
		}
	}
	m->complete = !stopping;
	free(m->incomplete_reason);
	m->incomplete_reason = NULL;
	if (stopping > 0)
		m->incomplete_reason = xasprintf("interrupted by %s; workload killed", sp_tracer_signame(stopping));
	else if (stopping < 0)
		m->incomplete_reason = xstrdup("recorder error");
	if (ret == 0 && !stopping) {
		int e = 0;
		if (read(report_fd, &e, sizeof(e)) == (ssize_t)sizeof(e) && e > 0)
			ret = sp_err_set(err, -e, "cannot execute '%s': %s", o->path, strerror(e));
	}
out:
	if (report_fd >= 0)
		close(report_fd);
	ring_buffer__free(rb);
	for (size_t i = 0; i < r.nexes; i++)
		free(r.exes[i].path);
	free(r.exes);
	return ret;
}

#else /* !SP_HAVE_EBPF */

bool sp_ebpf_built(void)
{
	return false;
}

static int not_built(struct sp_err *err)
{
	return sp_err_set(err, -ENOTSUP,
			  "the eBPF back-end is not built into this binary (building it needs libbpf, bpftool, "
			  "clang and the kernel's BTF; see docs/architecture.md)");
}

int sp_ebpf_open(struct sp_ebpf **out, bool exit_stops, struct sp_err *err)
{
	(void)exit_stops;
	*out = NULL;
	return not_built(err);
}

void sp_ebpf_close(struct sp_ebpf *bpf)
{
	(void)bpf;
}

int sp_ebpf_run(struct sp_ebpf *bpf, const struct sp_tracer_opts *o, struct sp_recording *rec,
		struct sp_err *err)
{
	(void)bpf;
	(void)o;
	(void)rec;
	return not_built(err);
}

#endif
