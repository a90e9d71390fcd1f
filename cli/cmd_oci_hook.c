/* SPDX-License-Identifier: MIT */
/*
 * `seccomp-profile oci-hook`: record a container from the inside.
 *
 * An OCI runtime hook (podman, CRI-O: hooks.d JSON matched on our
 * annotation, stage prestart or createRuntime).  Both stages run after the
 * runtime created the container's init process and before that process
 * executes the container's program: runc's and crun's init wait on a
 * sync pipe / exec fifo until the hooks are done.  The runtime writes the
 * container state (OCI runtime spec, "State") on our standard input: its
 * "pid" is the init process, in the runtime's (the host's) PID namespace.
 *
 * The hook must return quickly and must not hold the runtime's pipes: it
 * forks a recorder that leaves the session, seizes the init process with
 * ptrace (attach mode: plain PTRACE_SYSCALL, since a seccomp filter cannot
 * be added to a running process) and only then tells the hook, through a
 * pipe, to return.  From there on everything the container does is traced:
 * the runtime's late set-up in the init process (setresuid/setgroups,
 * loading the container's own filter, the execve of the program) and every
 * thread, child and ABI of the workload.  When the last traced task is
 * gone (the container's init exited: its PID namespace dies with it), the
 * recorder writes the recording and/or the policy the annotation asks for,
 * atomically.
 *
 * Errors in the annotation fail the container's start (exit 2, one line on
 * stderr that the runtime shows): better no container than a recording
 * silently not made.  Errors of the recorder itself (cannot attach, disk
 * full) never do: the container runs unrecorded, the hook says so on
 * stderr and in the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "cli/output.h"
#include "core/log.h"
#include "core/outfile.h"
#include "core/recording.h"
#include "core/util.h"
#include "formats/format.h"
#include "formats/json_util.h"
#include "generator/generate.h"
#include "generator/merge.h"
#include "tracer/tracer.h"

#define SP_HOOK_ANNOTATION "io.seccomp-profile.record"
#define SP_HOOK_STATE_MAX  (1u << 20) /* the runtime's state document */
#define SP_HOOK_READY_SECS 30         /* how long the runtime may wait for the attach */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " SP_PROG " oci-hook [--annotation KEY] < STATE\n"
		"\n"
		"An OCI runtime hook (prestart or createRuntime) that records the container it\n"
		"is called for, from its init process on, when the container carries the\n"
		"annotation " SP_HOOK_ANNOTATION " (podman run --annotation ..., a pod's\n"
		"annotations in CRI-O).  The runtime writes the container state on standard\n"
		"input.  The annotation's value is a list of items separated by ';':\n"
		"\n"
		"  of:PATH        write a policy to PATH (absolute) when the container ends\n"
		"  f:FORMAT       the policy's format (default docker; see '" SP_PROG " formats')\n"
		"  rec:PATH       write the lossless recording to PATH (absolute)\n"
		"  if:PATH        extend this profile or recording: the policy is the union\n"
		"  log:PATH       append the recorder's messages to PATH (default: discarded)\n"
		"  args           argument rules (generate --args)\n"
		"  stacks[=N]     capture call sites, N frames (record --stacks)\n"
		"\n"
		"Example: podman run --annotation " SP_HOOK_ANNOTATION "='of:/tmp/app.json' IMAGE\n"
		"\n"
		"Options:\n"
		"      --annotation KEY  read the request from annotation KEY instead\n"
		"      --allow-dir DIR   paths in annotations must be under DIR (repeatable);\n"
		"                        for CRI-O, where pod authors set annotations\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 when the container may start (recording, or not asked to; a\n"
		"recorder that cannot attach is reported on stderr but does not stop the\n"
		"container); 2 when the state or the annotation is wrong: the runtime then\n"
		"refuses to start the container.\n");
}

struct hook_req {
	char *of;          /* policy output, or NULL */
	char *rec;         /* recording output, or NULL */
	const char *format; /* of's format */
	char *in;          /* if: input, or NULL */
	char *log;         /* log: file, or NULL */
	bool args;
	int stacks;
	/* loaded if: input: a recording, or a policy */
	struct sp_recording *in_rec;
	struct sp_policy *in_pol;
};

static void hook_req_release(struct hook_req *q)
{
	free(q->of);
	free(q->rec);
	free(q->in);
	free(q->log);
	sp_recording_free(q->in_rec);
	sp_policy_free(q->in_pol);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

/* --allow-dir: where annotations may make the hook (root) write and
 * read.  With CRI-O, pod annotations come from whoever may create pods. */
static const char **allow_dirs;
static size_t nallow_dirs;

static int check_allowed(const char *key, const char *path, struct sp_err *err)
{
	if (!nallow_dirs)
		return 0;
	_cleanup_free_ char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	*slash = 0;
	_cleanup_free_ char *dir = realpath(copy[0] ? copy : "/", NULL);
	if (dir)
		for (size_t i = 0; i < nallow_dirs; i++) {
			_cleanup_free_ char *a = realpath(allow_dirs[i], NULL);
			size_t n = a ? strlen(a) : 0;
			if (a && !strncmp(dir, a, n) && (dir[n] == 0 || dir[n] == '/' || n == 1))
				return 0;
		}
	return sp_err_set(err, -EPERM, "%s'%s': not under an --allow-dir of the hook", key, path);
}

static int take_path(char **dst, const char *key, const char *val, struct sp_err *err)
{
	if (*dst)
		return sp_err_set(err, -EINVAL, "'%s' given twice", key);
	if (val[0] != '/')
		return sp_err_set(err, -EINVAL,
				  "%s'%s': the path must be absolute (the hook runs in the bundle directory)", key,
				  val);
	int r = check_allowed(key, val, err);
	if (r < 0)
		return r;
	*dst = xstrdup(val);
	return 0;
}

/* Parses the annotation's value into q (no file is touched). */
static int parse_request(const char *value, struct hook_req *q, struct sp_err *err)
{
	_cleanup_free_ char *copy = xstrdup(value);
	char *save = NULL;
	q->format = "docker";
	/* log: first, so that a mistake in any other item is logged there. */
	_cleanup_free_ char *pre = xstrdup(value);
	for (char *tok = strtok_r(pre, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *item = trim(tok);
		if (!strncmp(item, "log:", 4)) {
			int r = take_path(&q->log, "log:", item + 4, err);
			if (r < 0)
				return r;
		}
	}
	save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *item = trim(tok);
		int r = 0;
		if (!*item)
			continue;
		if (!strncmp(item, "of:", 3))
			r = take_path(&q->of, "of:", item + 3, err);
		else if (!strncmp(item, "rec:", 4))
			r = take_path(&q->rec, "rec:", item + 4, err);
		else if (!strncmp(item, "if:", 3))
			r = take_path(&q->in, "if:", item + 3, err);
		else if (!strncmp(item, "log:", 4))
			continue; /* taken above */
		else if (!strncmp(item, "f:", 2)) {
			const struct sp_format *f = sp_format_find(item + 2);
			if (!f || !f->write_policy)
				return sp_err_set(err, -EINVAL, "f:'%s': unknown policy format (see '" SP_PROG " formats')",
						  item + 2);
			q->format = f->name;
		} else if (!strcmp(item, "args") || !strcmp(item, "--args")) {
			q->args = true;
		} else if (!strncmp(item, "stacks", 6) || !strncmp(item, "--stacks", 8)) {
			const char *v = item + (item[0] == '-' ? 8 : 6);
			uint64_t n = 16;
			if (*v && (*v != '=' || !sp_parse_u64(v + 1, SP_MAX_FRAMES, &n) || n == 0))
				return sp_err_set(err, -EINVAL, "'%s': expected stacks or stacks=N (1..%d)", item,
						  SP_MAX_FRAMES);
			q->stacks = (int)n;
		} else {
			return sp_err_set(err, -EINVAL,
					  "unknown item '%s' (of:PATH, rec:PATH, f:FORMAT, if:PATH, log:PATH, args, stacks)",
					  item);
		}
		if (r < 0)
			return r;
	}
	if (!q->of && !q->rec)
		return sp_err_set(err, -EINVAL, "nothing to write: give of:PATH (a policy) and/or rec:PATH (a recording)");
	if (q->of && q->rec && !strcmp(q->of, q->rec))
		return sp_err_set(err, -EINVAL, "of: and rec: name the same file '%s'", q->of);
	return 0;
}

/* Before the container starts: every output can be written and the input
 * can be read, so that a mistake fails now and not after a long run. */
static int validate_request(struct hook_req *q, struct sp_err *err)
{
	const char *outs[] = {q->of, q->rec};
	for (size_t i = 0; i < 2; i++)
		if (outs[i] && sp_outfile_check(outs[i], err) < 0)
			return err->code;
	if (q->log) {
		int fd = open(q->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return sp_err_sys(err, "log:'%s'", q->log);
		close(fd);
	}
	if (q->in) {
		struct sp_gen_opts gen;
		sp_gen_opts_init(&gen);
		gen.args = q->args;
		if (sp_cli_load_policy(q->in, &gen, &q->in_pol, &q->in_rec, err) < 0)
			return sp_err_prefix(err, "if:");
		if (q->in_rec) { /* merged as a recording; its policy is rebuilt */
			sp_policy_free(q->in_pol);
			q->in_pol = NULL;
		}
	}
	return 0;
}

/* ---- the container ------------------------------------------------------ */

struct hook_state {
	pid_t pid;
	char *id, *bundle, *status, *annotation;
	char *runtime; /* the hook's parent, read before the recorder leaves it */
};

static void hook_state_release(struct hook_state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->status);
	free(s->annotation);
	free(s->runtime);
}

static char *json_strdup(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int read_state(const char *annotation, struct hook_state *s, struct sp_err *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	if (sp_file_read_all("-", SP_HOOK_STATE_MAX, &data, &len, err) < 0)
		return sp_err_prefix(err, "container state on standard input");
	json_auto_t *root = NULL;
	if (sp_json_load("<state>", data, len, &root, err) < 0)
		return sp_err_prefix(err, "container state on standard input");
	json_t *pid = json_object_get(root, "pid");
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 || json_integer_value(pid) > INT_MAX)
		return sp_err_set(err, -EINVAL,
				  "container state on standard input: no \"pid\" (is this an OCI runtime hook?)");
	s->pid = (pid_t)json_integer_value(pid);
	s->id = json_strdup(root, "id");
	s->bundle = json_strdup(root, "bundle");
	s->status = json_strdup(root, "status");
	json_t *ann = json_object_get(root, "annotations");
	if (json_is_object(ann))
		s->annotation = json_strdup(ann, annotation);
	return 0;
}

/* What the bundle's config.json says about the container (best effort:
 * the recording is useful without it). */
static void read_config(const struct hook_state *s, struct sp_recording *rec)
{
	struct sp_container_meta *k = rec->meta.container;
	if (!s->bundle)
		return;
	_cleanup_free_ char *path = xasprintf("%s/config.json", s->bundle);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	struct sp_err err = {0};
	if (sp_file_read_all(path, SP_MAX_INPUT_BYTES, &data, &len, &err) < 0)
		return;
	json_auto_t *root = json_loadb(data, len, 0, NULL);
	if (!root)
		return;
	k->hostname = json_strdup(root, "hostname");
	json_t *r = json_object_get(root, "root");
	const char *rp = json_is_object(r) ? json_string_value(json_object_get(r, "path")) : NULL;
	if (rp)
		k->rootfs = rp[0] == '/' ? xstrdup(rp) : xasprintf("%s/%s", s->bundle, rp);
	json_t *args = json_object_get(json_object_get(root, "process"), "args");
	size_t n = json_array_size(args);
	if (n && !rec->meta.command) {
		char **v = xcalloc(n + 1, sizeof(*v));
		for (size_t i = 0; i < n; i++) {
			const char *a = json_string_value(json_array_get(args, i));
			v[i] = xstrdup(a ? a : "");
		}
		rec->meta.command = v;
	}
}

/* The runtime that runs us: our parent (runc and crun run hooks
 * themselves).  comm, because crun re-executes itself from a memfd. */
static char *runtime_name(void)
{
	char path[64], buf[64] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf[0] ? xstrdup(buf) : NULL;
}

/* ---- the detached recorder ---------------------------------------------- */

static volatile sig_atomic_t stop_sig;

static void on_stop_signal(int sig)
{
	if (!stop_sig)
		stop_sig = sig;
}

static void tell_ready(void *ctx)
{
	int *fd = ctx;
	if (*fd >= 0) {
		ssize_t w = write(*fd, "R", 1);
		(void)w;
		close(*fd);
		*fd = -1;
	}
}

/* Writes what the annotation asked for; returns 0 or the first error. */
static int write_outputs(struct hook_req *q, struct sp_recording *rec, struct sp_err *err)
{
	int r = 0;
	if (q->rec && sp_cli_write_output(q->rec, "recording", rec, NULL, NULL, err) < 0)
		return err->code;
	if (!q->of)
		return 0;
	struct sp_gen_opts gen;
	sp_gen_opts_init(&gen);
	gen.args = q->args;
	struct sp_write_opts wo = {.rec = rec};
	if (q->in_rec) {
		struct sp_recording *m = sp_merge_new();
		sp_merge_add(m, rec, q->rec ? q->rec : "container");
		sp_merge_add(m, q->in_rec, q->in);
		wo.rec = m;
		r = sp_cli_write_output(q->of, q->format, m, &gen, &wo, err);
		sp_recording_free(m);
		return r;
	}
	if (!q->in_pol)
		return sp_cli_write_output(q->of, q->format, rec, &gen, &wo, err);
	gen.runtime = sp_cli_default_runtime(q->format);
	struct sp_policy *p = NULL;
	if ((r = sp_generate(rec, &gen, &p, err)) < 0)
		return r;
	sp_gen_union(p, q->in_pol);
	r = sp_cli_write_policy(q->of, q->format, p, &wo, err);
	sp_policy_free(p);
	return r;
}

/* The grandchild: attach, let the hook return, record until the
 * container is gone, write.  Never returns. */
static void __attribute__((noreturn)) recorder(struct hook_req *q, struct hook_state *s, int ready_fd)
{
	/* Nothing of the runtime's: its pipes would keep it waiting for our
	 * end of file, and a terminal would get our messages. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int logfd = q->log ? open(q->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(logfd >= 0 ? logfd : null, STDOUT_FILENO);
		dup2(logfd >= 0 ? logfd : null, STDERR_FILENO);
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (logfd >= 0 && sp_log_level < SP_LOG_INFO)
		sp_log_level = SP_LOG_INFO; /* the log says what was written */

	struct sigaction sa = {.sa_handler = on_stop_signal}; /* no SA_RESTART: wait4 must see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN); /* the session we left may hang up */

	struct sp_recording *rec = sp_recording_new();
	struct sp_container_meta *k = rec->meta.container = xcalloc(1, sizeof(*k));
	k->id = s->id ? xstrdup(s->id) : NULL;
	k->bundle = s->bundle ? xstrdup(s->bundle) : NULL;
	k->runtime = s->runtime ? xstrdup(s->runtime) : NULL;
	k->observed_from = xstrdup("the container's init process from the runtime's prestart/createRuntime hooks on: "
				   "the runtime's late set-up before executing the program is included");
	read_config(s, rec);

	pid_t pids[1] = {s->pid};
	struct sp_tracer_opts o = {
		.pids = pids,
		.npids = 1,
		.stack_depth = q->stacks,
		.stop = &stop_sig,
		.on_attached = tell_ready,
		.on_attached_ctx = &ready_fd,
	};
	struct sp_err err = {0};
	int r = sp_tracer_run(&o, rec, &err);
	if (r < 0) {
		/* The hook reads this as the reason; it goes to the log too. */
		if (ready_fd >= 0) {
			ssize_t w = write(ready_fd, err.msg, strlen(err.msg));
			(void)w;
		}
		sp_cli_error("oci-hook: container %s: cannot record: %s", s->id ? s->id : "?", err.msg);
		_exit(SP_EXIT_FAIL);
	}
	free(rec->meta.tool_version);
	rec->meta.tool_version = xstrdup(sp_cli_version());
	int status = SP_EXIT_OK;
	if (write_outputs(q, rec, &err) < 0) {
		sp_cli_error("oci-hook: container %s: %s", s->id ? s->id : "?", err.msg);
		sp_cli_rescue_recording("oci-hook", rec);
		status = SP_EXIT_FAIL;
	} else {
		sp_info("oci-hook: container %s: recorded %zu distinct syscalls%s%s%s%s",
		       s->id ? s->id : "?", rec->count, q->of ? ", policy " : "", q->of ? q->of : "",
		       q->rec ? ", recording " : "", q->rec ? q->rec : "");
	}
	sp_recording_free(rec);
	_exit(status);
}

/* Why the container may not start.  runc shows a failing hook's stderr;
 * crun only its exit code: the line also goes to the log: file when the
 * annotation named one, and to syslog (the journal). */
static void __attribute__((format(printf, 2, 3))) report_refusal(const struct hook_req *q, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sp_cli_error("%s", line);
	openlog("seccomp-profile", LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "%s", line);
	closelog();
	if (q->log) {
		FILE *f = fopen(q->log, "ae");
		if (f) {
			fprintf(f, SP_PROG ": %s\n", line);
			fclose(f);
		}
	}
}

int cmd_oci_hook(int argc, char **argv)
{
	enum { OPT_ANNOTATION = 256, OPT_ALLOW_DIR };
	static const struct option longopts[] = {
		{"annotation", required_argument, NULL, OPT_ANNOTATION},
		{"allow-dir", required_argument, NULL, OPT_ALLOW_DIR},
		SP_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	const char *annotation = SP_HOOK_ANNOTATION;
	int c;
	while ((c = sp_cli_getopt(argc, argv, "", longopts)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return SP_EXIT_OK;
		case OPT_ANNOTATION:
			if (!*optarg)
				return sp_cli_usage("oci-hook", "--annotation: empty key");
			annotation = optarg;
			break;
		case OPT_ALLOW_DIR: {
			if (optarg[0] != '/')
				return sp_cli_usage("oci-hook", "--allow-dir '%s': must be absolute", optarg);
			static size_t cap;
			xgrow((void **)&allow_dirs, &cap, nallow_dirs + 1, sizeof(*allow_dirs));
			allow_dirs[nallow_dirs++] = optarg;
			break;
		}
		default:
			return sp_cli_usage_hint("oci-hook");
		}
	}
	if (optind < argc)
		return sp_cli_usage("oci-hook", "unexpected argument '%s' (the state comes on standard input)",
				    argv[optind]);

	struct sp_err err = {0};
	struct hook_state s = {0};
	if (read_state(annotation, &s, &err) < 0) {
		hook_state_release(&s);
		return sp_cli_fail(&err, SP_EXIT_USAGE);
	}
	if (!s.annotation) { /* hooks.d matched on something else: nothing to do */
		hook_state_release(&s);
		return SP_EXIT_OK;
	}
	struct hook_req q = {0};
	int status = SP_EXIT_USAGE;
	if (parse_request(s.annotation, &q, &err) < 0 || validate_request(&q, &err) < 0) {
		report_refusal(&q, "oci-hook: annotation %s='%s': %s", annotation, s.annotation, err.msg);
		goto out;
	}
	/* prestart/createRuntime see "creating" (runc) or "created" (crun);
	 * a later stage is too late: the program runs, its start is gone. */
	if (s.status && strcmp(s.status, "creating") && strcmp(s.status, "created")) {
		report_refusal(&q, "oci-hook: container %s is '%s': the hook must run at prestart or createRuntime, "
			       "before the container's program starts",
			       s.id ? s.id : "?", s.status);
		goto out;
	}

	s.runtime = runtime_name();
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		sp_cli_error("oci-hook: pipe: %s", strerror(errno));
		status = SP_EXIT_OK; /* the container runs, unrecorded */
		goto out;
	}
	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		sp_cli_error("oci-hook: fork: %s; container %s runs unrecorded", strerror(errno), s.id ? s.id : "?");
		close(pfd[0]);
		close(pfd[1]);
		status = SP_EXIT_OK;
		goto out;
	}
	if (child == 0) {
		/* Leave the runtime's session and process tree: the runtime
		 * waits for us, not for the recorder. */
		close(pfd[0]);
		setsid();
		pid_t g = fork();
		if (g != 0)
			_exit(g < 0 ? SP_EXIT_FAIL : SP_EXIT_OK);
		recorder(&q, &s, pfd[1]);
	}
	close(pfd[1]);
	int ws;
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	/* The recorder writes "R" once the init process is seized, or the
	 * reason it could not. */
	char msg[1024];
	ssize_t n = 0;
	struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
	int pr = poll(&pf, 1, SP_HOOK_READY_SECS * 1000);
	if (pr > 0)
		n = read(pfd[0], msg, sizeof(msg) - 1);
	close(pfd[0]);
	status = SP_EXIT_OK; /* from here on, the container starts whatever happens */
	if (pr == 0)
		sp_cli_error("oci-hook: container %s: the recorder did not attach within %d s; it may miss the start",
			     s.id ? s.id : "?", SP_HOOK_READY_SECS);
	else if (n <= 0 || msg[0] != 'R') {
		msg[n > 0 ? n : 0] = 0;
		sp_cli_error("oci-hook: container %s runs unrecorded: %s", s.id ? s.id : "?",
			     n > 0 ? msg : "the recorder died before attaching");
	}
out:
	hook_req_release(&q);
	hook_state_release(&s);
	return status;
}
