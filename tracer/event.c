/* SPDX-License-Identifier: MIT */
/*
 * tracer/event.c: what a wait status means, for a task attached with
 * PTRACE_SEIZE and PTRACE_O_TRACESYSGOOD.
 *
 * The stop kinds of ptrace(2), in the encoding wait(2) gives them:
 *   status>>8 == SIGTRAP|0x80           syscall-enter/exit-stop (TRACESYSGOOD
 *                                        sets 0x80, so a real SIGTRAP cannot
 *                                        be mistaken for one)
 *   status>>8 == SIGTRAP|EVENT<<8        PTRACE_EVENT_{FORK,VFORK,CLONE,EXEC,
 *                                        VFORK_DONE,EXIT,SECCOMP}
 *   status>>16 == PTRACE_EVENT_STOP      under SEIZE only: group-stop when
 *                                        WSTOPSIG is a stop signal (SIGSTOP,
 *                                        SIGTSTP, SIGTTIN, SIGTTOU), else
 *                                        (SIGTRAP) a PTRACE_INTERRUPT stop or
 *                                        the first stop of an auto-attached
 *                                        child
 *   anything else stopped                signal-delivery-stop of WSTOPSIG
 * A group-stop never looks like a signal-delivery-stop under SEIZE, which
 * is why we need no PTRACE_GETSIGINFO probing to tell them apart.
 */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "core/util.h"
#include "tracer/tracer.h"

enum sp_ev sp_tracer_classify(int status, int *sig)
{
	*sig = 0;
	if (WIFEXITED(status)) {
		*sig = WEXITSTATUS(status);
		return SP_EV_EXITED;
	}
	if (WIFSIGNALED(status)) {
		*sig = WTERMSIG(status);
		return SP_EV_KILLED;
	}
	if (!WIFSTOPPED(status))
		return SP_EV_UNKNOWN; /* WIFCONTINUED is not asked for */

	int s = WSTOPSIG(status);
	unsigned event = (unsigned)status >> 16;
	if (s == (SIGTRAP | 0x80) && !event)
		return SP_EV_SYSCALL;
	switch (event) {
	case 0:
		*sig = s;
		return SP_EV_SIGNAL;
	case PTRACE_EVENT_STOP:
		if (s == SIGSTOP || s == SIGTSTP || s == SIGTTIN || s == SIGTTOU) {
			*sig = s;
			return SP_EV_GROUP_STOP;
		}
		return SP_EV_TRAP_STOP;
	}
	if (s != SIGTRAP)
		return SP_EV_UNKNOWN;
	switch (event) {
	case PTRACE_EVENT_FORK:
		return SP_EV_FORK;
	case PTRACE_EVENT_VFORK:
		return SP_EV_VFORK;
	case PTRACE_EVENT_CLONE:
		return SP_EV_CLONE;
	case PTRACE_EVENT_VFORK_DONE:
		return SP_EV_VFORK_DONE;
	case PTRACE_EVENT_EXEC:
		return SP_EV_EXEC;
	case PTRACE_EVENT_EXIT:
		return SP_EV_EXIT;
	case PTRACE_EVENT_SECCOMP:
		return SP_EV_SECCOMP;
	}
	return SP_EV_UNKNOWN;
}

const char *sp_tracer_ev_name(enum sp_ev ev)
{
	static const char *const names[] = {
		[SP_EV_NONE] = "none",
		[SP_EV_EXITED] = "exited",
		[SP_EV_KILLED] = "killed",
		[SP_EV_SYSCALL] = "syscall-stop",
		[SP_EV_SECCOMP] = "seccomp-stop",
		[SP_EV_FORK] = "fork-event",
		[SP_EV_VFORK] = "vfork-event",
		[SP_EV_CLONE] = "clone-event",
		[SP_EV_VFORK_DONE] = "vfork-done-event",
		[SP_EV_EXEC] = "exec-event",
		[SP_EV_EXIT] = "exit-event",
		[SP_EV_GROUP_STOP] = "group-stop",
		[SP_EV_TRAP_STOP] = "interrupt-stop",
		[SP_EV_SIGNAL] = "signal-delivery-stop",
		[SP_EV_UNKNOWN] = "unknown",
	};
	if ((unsigned)ev < SP_ARRAY_SIZE(names))
		return names[ev];
	return "?";
}

bool sp_tracer_no_syscall(enum sp_abi abi, uint64_t nr)
{
	return (int64_t)nr == -1 || (abi == SP_ABI_I386 && (uint32_t)nr == 0xffffffffu);
}
