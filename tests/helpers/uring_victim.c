/* Victim for io_uring (issue 20): operations submitted through an io_uring
 * ring, with the raw system calls (no liburing), which seccomp never sees
 * as system calls.
 *
 *   uring_victim nop          submits one IORING_OP_NOP
 *   uring_victim mkdir DIR    IORING_OP_MKDIRAT: creates DIR
 *   uring_victim socket       IORING_OP_SOCKET: a UDP socket
 *   uring_victim two DIR      NOP and MKDIRAT in one io_uring_enter
 *   uring_victim sqpoll       one NOP on an IORING_SETUP_SQPOLL ring: a
 *                             kernel thread submits it, enter only waits
 *
 * Prints "op=RESULT" per completion (the CQE's res: >= 0 success, else
 * -errno) and exits 0 when every operation succeeded, 1 when one failed,
 * 3 when io_uring_setup itself failed (ENOSYS/EPERM: io_uring is off). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_init(struct ring *r, unsigned flags)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.sq_thread_idle = 1000;
	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -1;
	size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			IORING_OFF_SQ_RING);
	char *cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
			IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* The next free SQE, published to the kernel by the tail store. */
static struct io_uring_sqe *ring_push(struct ring *r)
{
	unsigned tail = *r->sq_tail, i = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[i];
	memset(sqe, 0, sizeof(*sqe));
	r->sq_array[i] = i;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	return sqe;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *mode = argv[1];
	struct ring r;
	bool sqpoll = !strcmp(mode, "sqpoll");
	if (ring_init(&r, sqpoll ? IORING_SETUP_SQPOLL : 0) < 0) {
		printf("io_uring_setup: %s\n", strerror(errno));
		return 3;
	}
	unsigned n = 0;
	/* The SQE is filled before the tail store makes it visible; with a
	 * single thread and no SQPOLL the kernel reads it only in enter. */
	if (!strcmp(mode, "nop") || !strcmp(mode, "two") || sqpoll) {
		struct io_uring_sqe *sqe = ring_push(&r);
		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = IORING_OP_NOP;
		n++;
	}
	if ((!strcmp(mode, "mkdir") || !strcmp(mode, "two")) && argc > 2) {
		struct io_uring_sqe *sqe = ring_push(&r);
		sqe->opcode = IORING_OP_MKDIRAT;
		sqe->fd = AT_FDCWD;
		sqe->addr = (unsigned long)argv[2];
		sqe->len = 0755;
		sqe->user_data = IORING_OP_MKDIRAT;
		n++;
	}
	if (!strcmp(mode, "socket")) {
		struct io_uring_sqe *sqe = ring_push(&r);
		sqe->opcode = IORING_OP_SOCKET;
		sqe->fd = AF_INET;
		sqe->off = SOCK_DGRAM;
		sqe->user_data = IORING_OP_SOCKET;
		n++;
	}
	if (!n)
		return 2;
	/* SQPOLL: the kernel thread picks the SQE up by itself; enter with
	 * nothing to submit only waits for the completion (and wakes the
	 * thread should it sleep) */
	if (syscall(__NR_io_uring_enter, r.fd, sqpoll ? 0 : n, n,
		    IORING_ENTER_GETEVENTS | (sqpoll ? IORING_ENTER_SQ_WAKEUP : 0), NULL, 0) < 0) {
		printf("io_uring_enter: %s\n", strerror(errno));
		return 1;
	}
	int bad = 0;
	unsigned head = *r.cq_head;
	while (head != __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE)) {
		struct io_uring_cqe *cqe = &r.cqes[head & *r.cq_mask];
		const char *op = cqe->user_data == IORING_OP_NOP	   ? "nop"
				 : cqe->user_data == IORING_OP_MKDIRAT ? "mkdirat"
								       : "socket";
		printf("%s=%d\n", op, cqe->res);
		bad |= cqe->res < 0;
		head++;
	}
	__atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
	return bad;
}
