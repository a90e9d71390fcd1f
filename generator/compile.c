/* SPDX-License-Identifier: MIT */
#include "generator/compile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi.h"
#include "core/log.h"
#include "core/overlap.h"
#include "core/util.h"

/* The kernel refuses longer programs (BPF_MAXINSNS). */
#define SP_BPF_MAXINSNS 4096

uint32_t sp_compile_scmp_action(struct sp_action a)
{
	switch (a.kind) {
	case SP_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SP_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SP_ACT_TRAP: return SCMP_ACT_TRAP;
	case SP_ACT_ERRNO: return SCMP_ACT_ERRNO(a.data);
	case SP_ACT_TRACE: return SCMP_ACT_TRACE(a.data);
	case SP_ACT_LOG: return SCMP_ACT_LOG;
	case SP_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SP_ACT_NOTIFY: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static void release_ctx(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}
#define _cleanup_ctx_ __attribute__((cleanup(release_ctx)))

/* A filter holding exactly one ABI.  seccomp_init() always adds the
 * library's native arch; it is removed when the wanted ABI is another. */
static int new_single_arch(const struct sp_abi_info *ai, uint32_t def, scmp_filter_ctx *out,
			   struct sp_err *err)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return sp_err_set(err, -EINVAL,
				  "compile: libseccomp refused the default action (kernel too old for it?)");
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0)
		goto fail;
	if (ai->scmp_token != seccomp_arch_native()) {
		r = seccomp_arch_add(ctx, ai->scmp_token);
		if (r < 0)
			goto fail;
		r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (r < 0)
			goto fail;
	}
	*out = ctx;
	return 0;
fail:
	seccomp_release(ctx);
	return sp_err_set(err, r, "compile: cannot set up a filter for ABI '%s': %s", ai->name, strerror(-r));
}

/* Whether another rule for rule's name on abi allows every call rule
 * does, unconditionally, with the same action. */
static bool covered(const struct sp_name_index *ix, const struct sp_rule *rule, enum sp_abi abi)
{
	size_t n;
	const size_t *idx = sp_name_index_find(ix, rule->name, &n);
	for (size_t k = 0; k < n; k++) {
		const struct sp_rule *o = &ix->p->rules[idx[k]];
		if (!o->ncond && (!o->abis || (o->abis & sp_abi_bit(abi))) && !strcmp(o->name, rule->name) &&
		    sp_action_equal(o->action, rule->action))
			return true;
	}
	return false;
}

static int add_rule(scmp_filter_ctx ctx, const struct sp_abi_info *ai, const struct sp_rule *rule,
		    struct sp_err *err)
{
	/* libseccomp takes the number on its native ABI and translates it
	 * through the name to each arch of the filter; names absent natively
	 * have negative pseudo numbers that translate the same way. */
	int nr = seccomp_syscall_resolve_name(rule->name);
	if (nr == __NR_SCMP_ERROR)
		return sp_err_set(err, -EINVAL, "compile: unknown syscall '%s' on ABI '%s'", rule->name,
				  ai->name);
	struct scmp_arg_cmp cmp[6];
	for (unsigned i = 0; i < rule->ncond; i++) {
		const struct sp_cond *c = &rule->cond[i];
		/* Our MASKED_EQ keeps (mask, expected) in (value, value2), which
		 * is libseccomp's (datum_a, datum_b) and OCI's (value, valueTwo). */
		cmp[i] = (struct scmp_arg_cmp){
			.arg = c->arg,
			.op = (enum scmp_compare)c->op,
			.datum_a = c->value,
			.datum_b = c->op == SP_CMP_MASKED_EQ ? c->value2 : 0,
		};
	}
	int r = seccomp_rule_add_array(ctx, sp_compile_scmp_action(rule->action), nr, rule->ncond, cmp);
	if (r < 0) {
		char buf[32];
		return sp_err_set(err, r, "compile: syscall '%s' on ABI '%s': rule %s%s: %s", rule->name,
				  ai->name, sp_action_str(rule->action, buf, sizeof(buf)),
				  rule->ncond ? " with argument conditions" : "",
				  r == -EINVAL && rule->ncond ? "invalid condition (argument index > 5, or one "
								"argument compared twice)"
							      : strerror(-r));
	}
	return 0;
}

/* ---- the order of one syscall's rules ----------------------------------
 *
 * libseccomp 2.5.4 can loop forever in seccomp_rule_add_array() when a
 * syscall gets a second conditional rule on a 64-bit ABI (finding 1 of
 * tests/fuzz/libseccomp-hang.txt).  It keeps one tree of 32-bit
 * comparisons per syscall and merges each new rule into it.  A 64-bit
 * condition is a high-word node and a low-word node, and for NE and the
 * four range operators the "high word decides" and the "low word decides"
 * branches both go on to the same node, the next condition's high word: that
 * node has two parents.  Merging a rule whose first conditions the tree
 * already has visits that node twice, once per parent.  Siblings in the
 * tree are kept in libseccomp's node order (argument, then operator class,
 * then value), and a new node goes in front of the first sibling it sorts
 * above.  If the first visit puts the shared node in front of the first
 * sibling, the second visit, through the other parent, which still points
 * at the old first sibling, puts it in front of that sibling again; its
 * predecessor is by then the node itself, which so becomes its own
 * successor: the sibling list is a cycle.  A node that sorts below (or equal to)
 * every sibling is appended or merged instead, which is safe.  Only
 * high-word nodes are ever shared, and the siblings of one come from
 * earlier rules with the same high-word nodes before it; so adding each
 * syscall's rules in descending order of their high-word node sequence
 * never puts a shared node in front of one.  On 32-bit ABIs a condition is
 * one node with one successor and the order does not matter.  The order
 * changes how libseccomp lays out the program, not what it means: run and
 * check still compare the program with our own emitter's
 * (generator/verify.h).  Random sets of 2 to 6 conditional rules for one
 * call (boundary values): 0.6% loop in the readers' order, none of 280,000
 * in this one (tests/fuzz/libseccomp-hang.txt). */

/* One rule's high-word nodes as libseccomp orders them, arguments
 * ascending: (argument, operator class, high word of the value). */
struct scmp_key {
	uint64_t node[6];
	unsigned n;
};

static unsigned op_class(enum sp_cmp_op op)
{
	switch (op) {
	case SP_CMP_EQ:
	case SP_CMP_NE:
	case SP_CMP_MASKED_EQ: return 3;
	case SP_CMP_LT:
	case SP_CMP_LE: return 2;
	case SP_CMP_GE:
	case SP_CMP_GT: return 1;
	}
	return 0;
}

static void scmp_key_of(const struct sp_rule *r, struct scmp_key *k)
{
	k->n = 0;
	for (unsigned arg = 0; arg < 6; arg++) {
		for (unsigned i = 0; i < r->ncond; i++) {
			const struct sp_cond *c = &r->cond[i];
			if (c->arg != arg)
				continue;
			uint64_t mask = c->op == SP_CMP_MASKED_EQ ? c->value : UINT64_MAX;
			uint64_t datum = (c->op == SP_CMP_MASKED_EQ ? c->value2 : c->value) & mask;
			if (!mask) /* libseccomp generates no node for a test that is always true */
				continue;
			uint32_t hi = (uint32_t)(datum >> 32);
			if (op_class(c->op) == 2) /* it sorts LT and LE by descending value */
				hi = ~hi;
			k->node[k->n++] = (uint64_t)arg << 40 | (uint64_t)op_class(c->op) << 32 | hi;
		}
	}
}

/* Descending node sequences, a longer one before its own prefix; equal
 * ones in policy order. */
static int cmp_scmp_key(const void *a, const void *b, void *keys)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const struct scmp_key *x = (const struct scmp_key *)keys + ia, *y = (const struct scmp_key *)keys + ib;
	for (unsigned i = 0; i < x->n && i < y->n; i++)
		if (x->node[i] != y->node[i])
			return x->node[i] > y->node[i] ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/* The order in which sp_compile_ctx() adds p's rules: each syscall's rules
 * where its first rule is, in the order above.  Free it. */
static size_t *add_order(const struct sp_name_index *ix)
{
	const struct sp_policy *p = ix->p;
	_cleanup_free_ struct scmp_key *keys = xcalloc(p->nrules + 1, sizeof(*keys));
	size_t *order = xcalloc(p->nrules + 1, sizeof(*order)), k = 0;
	for (size_t i = 0; i < p->nrules; i++)
		scmp_key_of(&p->rules[i], &keys[i]);
	for (size_t i = 0; i < p->nrules; i++) {
		size_t n;
		const size_t *idx = sp_name_index_find(ix, p->rules[i].name, &n);
		if (idx[0] != i) /* not the syscall's first rule: already placed */
			continue;
		memcpy(&order[k], idx, n * sizeof(*idx));
		qsort_r(&order[k], n, sizeof(*order), cmp_scmp_key, keys);
		k += n;
	}
	return order;
}

struct sp_policy sp_compile_view(const struct sp_policy *p, const struct sp_compile_opts *o)
{
	struct sp_policy v = *p;
	if (o && o->override_default)
		v.def = o->def;
	v.abis |= o ? o->extra_abis : 0;
	if (!v.abis && sp_abi_native() != SP_ABI_UNKNOWN)
		v.abis = sp_abi_bit(sp_abi_native());
	return v;
}

int sp_compile_ctx(const struct sp_policy *p, const struct sp_compile_opts *o, scmp_filter_ctx *out,
		   struct sp_err *err)
{
	struct sp_policy view = sp_compile_view(p, o);
	struct sp_action def = view.def;
	uint32_t scmp_def = sp_compile_scmp_action(def);
	uint32_t abis = view.abis;
	if (!abis)
		return sp_err_set(err, -EINVAL, "compile: policy names no ABI and this host's is unknown");

	/* Validate every name on every ABI, and every condition, before
	 * building anything (libseccomp 2.5.4 leaks memory when it refuses a
	 * condition, found by tests/fuzz/fuzz_bpf_emit). */
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sp_rule *rule = &p->rules[i];
		for (unsigned k = 0; k < rule->ncond; k++)
			if (rule->ncond > 6 || rule->cond[k].arg > 5 || rule->cond[k].op < SP_CMP_NE ||
			    rule->cond[k].op > SP_CMP_MASKED_EQ)
				return sp_err_set(err, -EINVAL,
						  "compile: syscall '%s': invalid argument condition (index %u, "
						  "operator %d)",
						  rule->name, rule->cond[k].arg, (int)rule->cond[k].op);
		for (int a = 0; a < SP_ABI_COUNT; a++) {
			if (!(abis & sp_abi_bit((enum sp_abi)a)))
				continue;
			const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
			if (seccomp_syscall_resolve_name_arch(ai->scmp_token, p->rules[i].name) ==
			    __NR_SCMP_ERROR)
				return sp_err_set(err, -EINVAL, "compile: unknown syscall '%s' on ABI '%s'",
						  p->rules[i].name, ai->name);
		}
	}

	int ra = sp_policy_check_ambiguous(p, abis, def, err);
	if (ra < 0)
		return sp_err_prefix(err, "compile");

	_cleanup_name_index_ struct sp_name_index ix;
	sp_name_index_build(&ix, p);
	_cleanup_free_ size_t *order = add_order(&ix);
	_cleanup_ctx_ scmp_filter_ctx all = NULL;
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
		_cleanup_ctx_ scmp_filter_ctx one = NULL;
		int r;
		/* First in add_order()'s order, which libseccomp does not loop
		 * on.  That order can make libseccomp 2.5.4 take a rule for
		 * one it already has and refuse it (-EEXIST; Podman's default
		 * profile, socket on i386): the ABI is then compiled again in
		 * the profile's own order, which has loaded real profiles
		 * right, with the worker's time limit as the guard against
		 * the loop.  Either way run and check verify the exported
		 * program against our emitter's. */
		bool readers_order = false;
	again:
		if ((r = new_single_arch(ai, scmp_def, &one, err)) < 0)
			return r;
		for (size_t i = 0; i < p->nrules; i++) {
			const struct sp_rule *rule = &p->rules[readers_order ? i : order[i]];
			if (rule->abis && !(rule->abis & sp_abi_bit((enum sp_abi)a)))
				continue;
			/* libseccomp refuses (-EACCES) a rule that does what the
			 * default does; it is redundant anyway. */
			if (sp_compile_scmp_action(rule->action) == scmp_def)
				continue;
			/* A call this ABI lacks (mmap2 on x86_64) is inert, so
			 * leave it out: libseccomp 2.5.4, given such a rule next
			 * to conditional ones and no other rule (x86_64 + x32),
			 * exports a block that never loads the syscall number
			 * and so gives every call the default action
			 * (tests/fuzz/libseccomp-hang.txt). */
			if (!sp_abi_syscall_exists((enum sp_abi)a, rule->name))
				continue;
			/* A conditional rule under an unconditional one with the
			 * same action adds nothing (readers already drop it), and
			 * libseccomp 2.5.4 leaks its tree nodes when it folds one
			 * into the other (found by tests/fuzz/fuzz_bpf_emit). */
			if (rule->ncond && covered(&ix, rule, (enum sp_abi)a))
				continue;
			if ((r = add_rule(one, ai, rule, err)) < 0) {
				if (r != -EEXIST || readers_order)
					return r;
				sp_debug("compile: %s: libseccomp refused a rule for '%s' as existing in the "
					 "loop-safe order; compiling this ABI in the profile's order",
					 ai->name, rule->name);
				seccomp_release(one);
				one = NULL;
				readers_order = true;
				sp_err_clear(err);
				goto again;
			}
		}
		if (!all) {
			all = steal_ptr(one);
			continue;
		}
		/* seccomp_merge() releases the source filter on success. */
		r = seccomp_merge(all, one);
		if (r < 0)
			return sp_err_set(err, r, "compile: cannot combine ABI '%s' with the others: %s", ai->name,
					  r == -EDOM ? "mixed byte order (big- and little-endian ABIs)"
						     : strerror(-r));
		one = NULL;
	}
	if (o && o->trace_badarch) {
		int r = seccomp_attr_set(all, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(0));
		if (r < 0)
			return sp_err_set(err, r, "compile: cannot set the bad-architecture action: %s",
					  strerror(-r));
	}
	*out = steal_ptr(all);
	return 0;
}

int sp_compile_export(scmp_filter_ctx ctx, struct sock_fprog *out, struct sp_err *err)
{
	_cleanup_close_ int fd = memfd_create("seccomp-profile-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return sp_err_sys(err, "compile: memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return sp_err_set(err, r, "compile: exporting the BPF program failed: %s", strerror(-r));
	struct stat st;
	if (fstat(fd, &st) < 0)
		return sp_err_sys(err, "compile: fstat");
	size_t size = (size_t)st.st_size;
	if (size == 0 || size % sizeof(struct sock_filter))
		return sp_err_set(err, -EIO, "compile: exported BPF has a bad size (%zu bytes)", size);
	size_t n = size / sizeof(struct sock_filter);
	if (n > SP_BPF_MAXINSNS)
		return sp_err_set(err, -E2BIG,
				  "compile: the filter has %zu instructions; the kernel accepts at most %d", n,
				  SP_BPF_MAXINSNS);
	struct sock_filter *f = xmalloc(size);
	size_t got = 0;
	while (got < size) {
		ssize_t k = pread(fd, (char *)f + got, size - got, (off_t)got);
		if (k <= 0) {
			free(f);
			return k < 0 ? sp_err_sys(err, "compile: reading the exported BPF")
				     : sp_err_set(err, -EIO, "compile: exported BPF is truncated");
		}
		got += (size_t)k;
	}
	out->len = (unsigned short)n;
	out->filter = f;
	return 0;
}

/* libseccomp 2.5.4 sometimes exports an ABI block that compares the
 * syscall number without loading it first: the accumulator still holds
 * the arch value, no rule ever matches and every call on that ABI gets
 * the default action (found by tests/fuzz/fuzz_compile; reproducer in
 * tests/fuzz/libseccomp-hang.txt).  libseccomp dispatches on the arch with
 * "jeq ARCH" whose true branch must load seccomp_data.nr or return; a
 * comparison there is the bug.  Refusing is the only safe answer: with a
 * default of ALLOW such a block would let everything through. */
static int verify_blocks(const struct sock_fprog *f, uint32_t abis, struct sp_err *err)
{
	for (int a = 0; a < SP_ABI_COUNT; a++) {
		if (!(abis & sp_abi_bit((enum sp_abi)a)))
			continue;
		const struct sp_abi_info *ai = sp_abi_get((enum sp_abi)a);
		for (size_t i = 0; i < f->len; i++) {
			const struct sock_filter *j = &f->filter[i];
			if (j->code != (BPF_JMP | BPF_JEQ | BPF_K) || j->k != ai->audit_arch)
				continue;
			size_t t = i + 1 + j->jt;
			if (t < f->len && BPF_CLASS(f->filter[t].code) == BPF_JMP)
				return sp_err_set(err, -EPROTO,
						  "compile: libseccomp produced a broken filter for ABI '%s' (its "
						  "block compares the syscall number without loading it, so no rule "
						  "there would ever match); a known libseccomp 2.5 bug with rule sets "
						  "that name only calls this ABI multiplexes or lacks: add an "
						  "ordinary rule for this ABI or drop it from the profile",
						  ai->name);
			break;
		}
	}
	return 0;
}

int sp_compile_bpf(const struct sp_policy *p, const struct sp_compile_opts *o, struct sock_fprog *out,
		   struct sp_err *err)
{
	_cleanup_ctx_ scmp_filter_ctx ctx = NULL;
	int r = sp_compile_ctx(p, o, &ctx, err);
	if (r < 0)
		return r;
	if ((r = sp_compile_export(ctx, out, err)) < 0)
		return r;
	if ((r = verify_blocks(out, sp_compile_view(p, o).abis, err)) < 0) {
		free(out->filter);
		out->filter = NULL;
	}
	return r;
}

/* ---- compiling in a worker process ------------------------------------ */

struct wire {
	int32_t code;
	uint32_t len; /* bytes of message (code < 0) or of program that follow */
};

static bool write_all(int fd, const void *buf, size_t n)
{
	const char *b = buf;
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (size_t)k;
	}
	return true;
}

/* Reads n bytes before deadline (CLOCK_MONOTONIC ms); -ETIMEDOUT, -EIO. */
static int read_all(int fd, void *buf, size_t n, int64_t deadline)
{
	char *b = buf;
	while (n) {
		int64_t left = deadline - (int64_t)(sp_now_ns() / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = poll(&pfd, 1, (int)MIN(left, INT32_MAX));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return -ETIMEDOUT;
		ssize_t k = read(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EIO;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static void child_compile(int fd, const struct sp_policy *p, const struct sp_compile_opts *o)
{
	struct sp_err err = {0};
	struct sock_fprog prog = {0};
	int r = sp_compile_bpf(p, o, &prog, &err);
	struct wire w = {r, 0};
	const void *body;
	if (r < 0) {
		w.len = (uint32_t)strlen(err.msg);
		body = err.msg;
	} else {
		w.len = (uint32_t)(prog.len * sizeof(*prog.filter));
		body = prog.filter;
	}
	bool ok = write_all(fd, &w, sizeof(w)) && write_all(fd, body, w.len);
	_exit(ok ? 0 : 1);
}

int sp_compile_bpf_isolated(const struct sp_policy *p, const struct sp_compile_opts *o, unsigned timeout_ms,
			    struct sock_fprog *out, struct sp_err *err)
{
	if (!timeout_ms)
		return sp_compile_bpf(p, o, out, err);
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return sp_err_sys(err, "compile: pipe");
	fflush(NULL); /* the child exits with _exit(), but be safe about buffers */
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return sp_err_set(err, -e, "compile: cannot start the compiler process: %s", strerror(e));
	}
	if (pid == 0) {
		close(fds[0]);
		/* Never outlive the caller (a looping libseccomp would spin
		 * forever as an orphan), and stop on our own when the CPU
		 * time is up even if nobody is left to kill us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		rlim_t cpu = timeout_ms / 1000 + 2;
		setrlimit(RLIMIT_CPU, &(struct rlimit){cpu, cpu + 1});
		child_compile(fds[1], p, o);
	}
	close(fds[1]);
	_cleanup_close_ int fd = fds[0];
	int64_t deadline = (int64_t)(sp_now_ns() / 1000000) + timeout_ms;
	struct wire w;
	int r = read_all(fd, &w, sizeof(w), deadline);
	void *body = NULL;
	if (r == 0 && w.code < 0 && w.len < SP_ERR_MSG_MAX) {
		body = xcalloc(1, w.len + 1);
		r = read_all(fd, body, w.len, deadline);
	} else if (r == 0 && w.code >= 0 && w.len && w.len % sizeof(struct sock_filter) == 0 &&
		   w.len <= SP_BPF_MAXINSNS * sizeof(struct sock_filter)) {
		body = xmalloc(w.len);
		r = read_all(fd, body, w.len, deadline);
	} else if (r == 0) {
		r = -EIO;
	}
	if (r < 0) /* timed out, or a broken answer: the worker is done either way */
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == -ETIMEDOUT) {
		free(body);
		return sp_err_set(err, -ETIMEDOUT,
				  "compile: libseccomp did not finish within %u ms and was stopped (libseccomp "
				  "2.5.4 loops forever on some sets of conditional rules for one syscall, which "
				  "we add in an order it handles: a new case; see docs/run-and-check.md)",
				  timeout_ms);
	}
	if (r < 0) {
		free(body);
		return sp_err_set(err, -EIO, "compile: the compiler process failed (%s)",
				  WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL ? strsignal(WTERMSIG(status))
										   : "no complete answer");
	}
	if (w.code < 0) {
		sp_err_set(err, w.code, "%s", (char *)body);
		free(body);
		return w.code;
	}
	out->len = (unsigned short)(w.len / sizeof(struct sock_filter));
	out->filter = body;
	return 0;
}
