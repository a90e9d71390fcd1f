/* Victim for record: signals, exit codes, odd ABIs and numbers.
 *   rec_misc exit N        exit with status N
 *   rec_misc kill SIG      raise SIG (default action)
 *   rec_misc handler       SIGUSR1 handler via raise (rt_sigreturn), and a
 *                          child's SIGCHLD
 *   rec_misc jobctl        a child stops itself with SIGSTOP; the parent
 *                          sets a flag after 100 ms, then sends SIGCONT; the
 *                          child fails (exit 1) if it ran before the flag:
 *                          i.e. if the stop was lost under the tracer
 *   rec_misc int80         getpid through int 0x80 (i386 ABI) in a 64-bit process
 *   rec_misc x32           getpid with the x32 bit (x32 ABI; ENOSYS without x32)
 *   rec_misc unknown       syscall 1023, which no ABI has (ENOSYS)
 *   rec_misc unknowns N    syscalls 1024 .. 1024+N-1, N distinct numbers no
 *                          ABI has (more distinct calls than a recorder's
 *                          tables may hold)
 *   rec_misc sleep MS      sleep MS milliseconds
 *   rec_misc nosys         syscall(-1), "no system call" (0xffffffff on i386),
 *                          twice; prints the errno each got ("ENOSYS" without
 *                          a filter), then calls getppid
 * Builds for -m32 too (HELPER-M32). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *m = argv[1];
	if (!strcmp(m, "exit"))
		return argc > 2 ? atoi(argv[2]) : 0;
	if (!strcmp(m, "kill")) {
		raise(argc > 2 ? atoi(argv[2]) : SIGKILL);
		return 99;
	}
	if (!strcmp(m, "handler")) {
		struct sigaction sa = {.sa_handler = on_usr1};
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		if (!got)
			return 3;
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		int st;
		waitpid(p, &st, 0);
		return 0;
	}
	if (!strcmp(m, "jobctl")) {
		volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (flag == MAP_FAILED)
			return 4;
		*flag = 0;
		/* SIGCHLD blocked: it must not interrupt our sleeps (that would
		 * add restart_syscall depending on timing). */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGCHLD);
		sigprocmask(SIG_BLOCK, &set, NULL);
		pid_t p = fork();
		if (p == 0) {
			raise(SIGSTOP);
			_exit(*flag ? 0 : 1);
		}
		/* Neither /proc (a traced stop is 't' at every ptrace stop)
		 * nor waitpid(WUNTRACED) (a traced child's group-stop is
		 * reported to the tracer only) says when the child has
		 * stopped.  So: give it time, set the flag, then SIGCONT until
		 * it exits.  A tracer that loses the stop lets the child run
		 * on before the flag is set (exit 1); a correct one can never
		 * fail this, and a SIGCONT that came too early is repeated. */
		struct timespec ts = {0, 100000000}, tick = {0, 2000000};
		nanosleep(&ts, NULL);
		*flag = 1;
		int st;
		for (;;) {
			kill(p, SIGCONT);
			pid_t r = waitpid(p, &st, WNOHANG);
			if (r == p)
				break;
			if (r < 0)
				return 6;
			nanosleep(&tick, NULL);
		}
		return WIFEXITED(st) ? WEXITSTATUS(st) : 7;
	}
	if (!strcmp(m, "int80")) {
#if defined(__x86_64__) || defined(__i386__)
		long ret;
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory"); /* i386 getpid */
		return ret == getpid() ? 0 : 8;
#else
		return 77;
#endif
	}
	if (!strcmp(m, "x32")) {
#if defined(__x86_64__)
		long r = syscall(0x40000000L | 39); /* x32 getpid */
		return (r > 0 || errno == ENOSYS) ? 0 : 9;
#else
		return 77;
#endif
	}
	if (!strcmp(m, "unknown")) {
		long r = syscall(1023);
		return (r < 0 && errno == ENOSYS) ? 0 : 10;
	}
	if (!strcmp(m, "unknowns")) {
		long n = argc > 2 ? atol(argv[2]) : 1;
		for (long i = 0; i < n; i++)
			if (syscall(1024 + i) != -1 || errno != ENOSYS)
				return 10;
		return 0;
	}
	if (!strcmp(m, "nosys")) {
		for (int i = 0; i < 2; i++) {
			long r = syscall(-1);
			printf("nosys: %s\n", r == -1 ? strerrorname_np(errno) : "no error");
		}
		fflush(stdout);
		return getppid() > 0 ? 0 : 10;
	}
	if (!strcmp(m, "sleep")) {
		long ms = argc > 2 ? atol(argv[2]) : 1000;
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		return 0;
	}
	return 2;
}
