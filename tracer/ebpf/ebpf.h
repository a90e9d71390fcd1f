/* SPDX-License-Identifier: MIT */
/*
 * tracer/ebpf/ebpf.h: the eBPF back-end of `record` (record --backend ebpf).
 *
 * It runs the workload like the ptrace back-end (tracer/tracer.h) and fills
 * the same struct sp_recording, but counts in the kernel: BPF programs on
 * the raw_syscalls and sched_process_* tracepoints (recorder.bpf.c) keep
 * per-syscall counters, errors, times and argument values in BPF maps for
 * the workload's process tree, and the workload never stops.  Needs root
 * (CAP_BPF + CAP_PERFMON), a kernel with BTF, and a build with libbpf,
 * bpftool and clang; without them the back-end is "not built".
 *
 *     struct sp_err err = {0};
 *     struct sp_ebpf *bpf;
 *     if (sp_ebpf_open(&bpf, opts.exit_stops, &err) < 0) // says why not here
 *             fall_back_or_fail(err.msg);
 *     int r = sp_ebpf_run(bpf, &opts, rec, &err);  // opts as for sp_tracer_run()
 *     sp_ebpf_close(bpf);
 *
 * What it does not do (each refused by sp_ebpf_run() with -ENOTSUP and a
 * message): attach to running processes (opts.pids), call sites
 * (stack_depth), a workload filter (filter, --baseline), skipping calls
 * (deny_errno, check --deny) and per-call hooks (on_call).
 */
#ifndef SP_TRACER_EBPF_EBPF_H
#define SP_TRACER_EBPF_EBPF_H

#include <stdbool.h>

#include "core/err.h"
#include "core/recording.h"
#include "tracer/tracer.h"

/* true when this binary contains the eBPF back-end. */
bool sp_ebpf_built(void);

/* The programs, loaded into the kernel (not attached yet). */
struct sp_ebpf;

/* Loads the programs: the real test of whether the eBPF back-end can
 * record on this machine.  0 and *out, or a negative errno and err says
 * why: -ENOTSUP not built in, -ENOENT the kernel has no BTF, -EPERM not
 * allowed to load BPF programs, or what the kernel answered.  exit_stops:
 * also measure errors and time (record -c). */
int sp_ebpf_open(struct sp_ebpf **out, bool exit_stops, struct sp_err *err);
void sp_ebpf_close(struct sp_ebpf *bpf);

/* Runs o->argv (o->path resolved) and records it into rec; bpf is used up
 * (one run per sp_ebpf_open).  Returns as sp_tracer_run() does: < 0
 * nothing usable (-ENOENT/-EACCES... when the command could not be
 * executed, -ENOTSUP for an option it lacks); 0 with rec filled,
 * rec->meta.lost_events > 0 when something could not be stored. */
int sp_ebpf_run(struct sp_ebpf *bpf, const struct sp_tracer_opts *o, struct sp_recording *rec,
		struct sp_err *err);

#endif
