// SPDX-License-Identifier: MIT
/*
 * uringclient.c - many HTTP requests from one thread on io_uring: the
 * completion-based twin of rawclient.c's epoll client (see uringclient.h;
 * lesson "select -> poll -> epoll -> io_uring").
 *
 * The lesson: epoll tells the program a socket is ready and the program
 * then makes the call (connect, send, read: one system call each, plus
 * epoll_wait and epoll_ctl). io_uring takes the calls themselves, queued
 * in memory shared with the kernel, and hands back their results; one
 * io_uring_enter submits a whole batch and waits for the next completions.
 *
 * Watch for: a linked chain must go to the kernel whole (a chain cut by a
 * submission ends early), so a chain starts only when the submission queue
 * has room for all of it; connects are paced as in rawclient.c.
 */
#include "harness/bench/uringclient.h"

#include <arpa/inet.h>
#include <errno.h>
#include <http_parser.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"

#define UC_CONNECTING 256 /* connects in progress at once */
#define UC_SQ_ENTRIES 4096
#define UC_CQ_ENTRIES 65536
#define UC_CHAIN 4  /* socket, connect, send, recv */
#define UC_BUF 2048 /* each connection's receive buffer */

enum uc_op {
	UC_SOCKET,
	UC_CONNECT,
	UC_SEND,
	UC_RECV,
	UC_CLOSE
};

/* One connection: one slot of the concurrency, and with IORING_OP_SOCKET
 * the registered (direct) descriptor of the same index. */
struct uc_conn {
	int fd;	     /* socket(2)'s descriptor on the fallback path, or -1 */
	int pending; /* submissions not completed yet */
	bool in_use, connected, failed, done, closing;
	http_parser parser;
	struct uc_run *run;
	char buf[UC_BUF];
};

struct uc_run {
	struct io_uring ring;
	bool direct; /* IORING_OP_SOCKET into the registered table */
	struct sockaddr_in addr;
	char request[512];
	unsigned request_len;
	long n, issued, finished, open, connecting;
	struct uc_conn *slots;
	int *free_slots, n_free;
	struct rawclient_stats *st;
};

/* ---- the probe ----------------------------------------------------------- */

const char *uringclient_support_name(enum uring_support s)
{
	return s == URING_FULL	      ? "io_uring"
	       : s == URING_NO_SOCKET ? "io_uring+socket(2)"
				      : "refused";
}

/* One NOP through the ring: 0 when it came back as a NOP should. */
static int uc_nop(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	if (!sqe)
		return -1;
	io_uring_prep_nop(sqe);
	if (io_uring_submit_and_wait(ring, 1) < 0 ||
	    io_uring_wait_cqe(ring, &cqe) != 0)
		return -1;
	int res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* Sets up a ring and sends a NOP through it; -1 with the reason in why. */
static int uc_ring_open(struct io_uring *ring, unsigned entries, char *why,
			size_t len)
{
	if (getenv("CONCUR_URING_REFUSE")) {
		snprintf(why, len, "io_uring refused (CONCUR_URING_REFUSE)");
		return -1;
	}
	struct io_uring_params p = {.flags = IORING_SETUP_CQSIZE,
				    .cq_entries = UC_CQ_ENTRIES};
	int rc = io_uring_queue_init_params(entries, ring, &p);
	if (rc < 0) {
		snprintf(why, len,
			 "io_uring refused: %s (a kernel before 5.6, a seccomp "
			 "profile such as Docker's default, or sysctl "
			 "kernel.io_uring_disabled)",
			 strerror(-rc));
		return -1;
	}
	if (uc_nop(ring) != 0) {
		io_uring_queue_exit(ring);
		snprintf(why, len, "io_uring refused: a NOP did not complete");
		return -1;
	}
	return 0;
}

/* Can chains start with IORING_OP_SOCKET on this ring? */
static enum uring_support uc_socket_op(struct io_uring *ring, char *why,
				       size_t len)
{
	if (getenv("CONCUR_URING_NO_SOCKET_OP")) {
		snprintf(why, len,
			 "IORING_OP_SOCKET refused (CONCUR_URING_NO_SOCKET_OP):"
			 " socket(2) opens each connection");
		return URING_NO_SOCKET;
	}
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	bool ok = probe && io_uring_opcode_supported(probe, IORING_OP_SOCKET);
	io_uring_free_probe(probe);
	if (!ok) {
		snprintf(why, len,
			 "IORING_OP_SOCKET refused (it needs kernel "
			 "5.19): socket(2) opens each connection");
		return URING_NO_SOCKET;
	}
	return URING_FULL;
}

enum uring_support uringclient_probe(char *why, size_t len)
{
	struct io_uring ring;
	if (uc_ring_open(&ring, 8, why, len) != 0)
		return URING_REFUSED;
	enum uring_support s = uc_socket_op(&ring, why, len);
	io_uring_queue_exit(&ring);
	return s;
}

/* ---- submissions ------------------------------------------------------- */

/* A submission queue entry for connection c's op; the queue is submitted
 * first when full (single entries only: chains check room beforehand). */
static struct io_uring_sqe *uc_sqe(struct uc_run *r, struct uc_conn *c,
				   enum uc_op op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);
	if (!sqe) {
		io_uring_submit(&r->ring);
		sqe = io_uring_get_sqe(&r->ring);
	}
	uint64_t slot = (uint64_t)(c - r->slots);
	io_uring_sqe_set_data64(sqe, slot << 3 | (uint64_t)op);
	c->pending++;
	return sqe;
}

/* The socket an op works on: the direct descriptor (the slot's index) or
 * the fallback's fd; its flags say which. */
static int uc_target(struct uc_run *r, struct uc_conn *c, unsigned *flags)
{
	*flags = r->direct ? IOSQE_FIXED_FILE : 0;
	return r->direct ? (int)(c - r->slots) : c->fd;
}

static void uc_recv(struct uc_run *r, struct uc_conn *c, unsigned link)
{
	unsigned flags;
	int fd = uc_target(r, c, &flags);
	struct io_uring_sqe *sqe = uc_sqe(r, c, UC_RECV);
	io_uring_prep_recv(sqe, fd, c->buf, sizeof(c->buf), 0);
	io_uring_sqe_set_flags(sqe, flags | link);
}

static void uc_close(struct uc_run *r, struct uc_conn *c)
{
	c->closing = true;
	struct io_uring_sqe *sqe = uc_sqe(r, c, UC_CLOSE);
	if (r->direct)
		io_uring_prep_close_direct(sqe, (unsigned)(c - r->slots));
	else
		io_uring_prep_close(sqe, c->fd);
}

/* Queues the chain socket -> connect -> send -> recv for the next
 * request; the first failure in it cancels the rest (-ECANCELED). */
static void uc_open(struct uc_run *r)
{
	if (io_uring_sq_space_left(&r->ring) < UC_CHAIN)
		io_uring_submit(&r->ring);
	struct uc_conn *c = &r->slots[r->free_slots[--r->n_free]];
	*c = (struct uc_conn){.fd = -1, .in_use = true, .run = r};
	r->issued++;
	r->open++;
	r->connecting++;
	if (r->open > r->st->max_open)
		r->st->max_open = r->open;
	unsigned flags, link = IOSQE_IO_LINK;
	if (r->direct) {
		struct io_uring_sqe *s = uc_sqe(r, c, UC_SOCKET);
		io_uring_prep_socket_direct(s, AF_INET, SOCK_STREAM, 0,
					    (unsigned)(c - r->slots), 0);
		io_uring_sqe_set_flags(s, link);
	} else {
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	}
	int fd = uc_target(r, c, &flags);
	struct io_uring_sqe *sqe = uc_sqe(r, c, UC_CONNECT);
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&r->addr,
			      sizeof(r->addr));
	io_uring_sqe_set_flags(sqe, flags | link);
	sqe = uc_sqe(r, c, UC_SEND);
	io_uring_prep_send(sqe, fd, r->request, r->request_len, MSG_NOSIGNAL);
	io_uring_sqe_set_flags(sqe, flags | link);
	http_parser_init(&c->parser, HTTP_RESPONSE);
	c->parser.data = c;
	uc_recv(r, c, 0);
}

/* ---- completions ------------------------------------------------------- */

static int uc_on_body(http_parser *p, const char *at, size_t len)
{
	(void)at;
	struct uc_conn *c = p->data;
	c->run->st->bytes += len;
	return 0;
}

static int uc_on_complete(http_parser *p)
{
	struct uc_conn *c = p->data;
	c->done = true;
	http_parser_pause(p, 1); /* one answer per connection */
	return 0;
}

static const http_parser_settings uc_settings = {
	.on_body = uc_on_body,
	.on_message_complete = uc_on_complete,
};

/* Received res bytes (0: EOF, < 0: an error): parse them, then count the
 * answer and close, or ask for more. */
static void uc_on_recv(struct uc_run *r, struct uc_conn *c, int res)
{
	if (res < 0) {
		c->failed = true;
		return;
	}
	size_t len = (size_t)res;
	size_t used =
		http_parser_execute(&c->parser, &uc_settings, c->buf, len);
	if (c->done) {
		if (c->parser.status_code >= 400)
			r->st->http_errors++;
		else
			r->st->ok++;
		r->finished++;
		uc_close(r, c);
	} else if (res == 0 || used != len) {
		c->failed = true; /* closed early, or not HTTP */
	} else {
		uc_recv(r, c, 0);
	}
}

/* The slot is free again (its close completed). */
static void uc_release(struct uc_run *r, struct uc_conn *c)
{
	c->in_use = false;
	r->open--;
	r->free_slots[r->n_free++] = (int)(c - r->slots);
}

/* One completion: its op's result moves connection c on. */
static void uc_complete(struct uc_run *r, const struct io_uring_cqe *cqe)
{
	uint64_t data = io_uring_cqe_get_data64(cqe);
	struct uc_conn *c = &r->slots[data >> 3];
	enum uc_op op = (enum uc_op)(data & 7);
	c->pending--;
	if (op == UC_CLOSE) {
		uc_release(r, c);
		return;
	}
	if (op == UC_CONNECT) {
		r->connecting--;
		c->connected = true;
	}
	if (op == UC_RECV && !c->failed)
		uc_on_recv(r, c, cqe->res);
	else if (cqe->res < 0 ||
		 (op == UC_SEND && cqe->res != (int)r->request_len))
		c->failed = true;
	/* A failed chain closes once its last completion is in. */
	if (c->failed && c->pending == 0 && !c->closing) {
		r->st->failed++;
		r->finished++;
		uc_close(r, c);
	}
}

/* Every completion ready now. */
static void uc_reap(struct uc_run *r)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	io_uring_for_each_cqe(&r->ring, head, cqe)
	{
		uc_complete(r, cqe);
		seen++;
	}
	io_uring_cq_advance(&r->ring, seen);
}

/* ---- the run ----------------------------------------------------------- */

static int uc_setup(struct uc_run *r, const char *host, int port,
		    const char *path, int concurrency)
{
	int k = rawclient_target(host, port, path, &r->addr, r->request,
				 sizeof(r->request));
	if (k < 0)
		return -1;
	r->request_len = (unsigned)k;
	r->slots = calloc((size_t)concurrency, sizeof(*r->slots));
	r->free_slots = calloc((size_t)concurrency, sizeof(int));
	if (!r->slots || !r->free_slots)
		return -1;
	for (int i = 0; i < concurrency; i++)
		r->free_slots[r->n_free++] = concurrency - 1 - i;
	return 0;
}

/* The ring, and the table of direct descriptors when the socket op can
 * fill it; the level reached, or URING_REFUSED (why says why). */
static enum uring_support uc_start(struct uc_run *r, int concurrency, char *why,
				   size_t len)
{
	if (uc_ring_open(&r->ring, UC_SQ_ENTRIES, why, len) != 0)
		return URING_REFUSED;
	enum uring_support s = uc_socket_op(&r->ring, why, len);
	if (s == URING_FULL &&
	    io_uring_register_files_sparse(&r->ring, (unsigned)concurrency)) {
		snprintf(why, len,
			 "no table of %d direct descriptors: "
			 "socket(2) opens each connection",
			 concurrency);
		s = URING_NO_SOCKET;
	}
	r->direct = s == URING_FULL;
	return s;
}

/* Batches until every request is answered and closed: each turn queues new
 * chains, then one io_uring_enter submits them all and waits. */
static void uc_loop(struct uc_run *r, int concurrency)
{
	struct __kernel_timespec stall = {.tv_sec =
						  (long long)RAWCLIENT_STALL_S};
	while (r->issued < r->n || r->open > 0) {
		while (r->issued < r->n && r->open < concurrency &&
		       r->connecting < UC_CONNECTING)
			uc_open(r);
		struct io_uring_cqe *cqe;
		int rc = io_uring_submit_and_wait_timeout(&r->ring, &cqe, 1,
							  &stall, NULL);
		if (rc < 0 && rc != -EINTR)
			break; /* stalled (-ETIME): what is open fails */
		uc_reap(r);
	}
}

double uringclient_run(const char *host, int port, const char *path, long n,
		       int concurrency, struct rawclient_stats *st,
		       enum uring_support *used, char *why, size_t len)
{
	memset(st, 0, sizeof(*st));
	rawclient_raise_nofile();
	struct uc_run r = {.n = n, .st = st};
	double wall = -1;
	*used = URING_REFUSED;
	snprintf(why, len, "no memory, or a bad address");
	if (concurrency < 1 || uc_setup(&r, host, port, path, concurrency) != 0)
		goto out;
	*used = uc_start(&r, concurrency, why, len);
	if (*used == URING_REFUSED)
		goto out;
	if (*used == URING_FULL)
		why[0] = 0;
	double t0 = clock_now();
	uc_loop(&r, concurrency);
	wall = clock_now() - t0;
	io_uring_queue_exit(&r.ring); /* closes what a stall left open */
	for (int i = 0; i < concurrency; i++)
		if (r.slots[i].in_use && !r.slots[i].closing &&
		    r.slots[i].fd >= 0)
			close(r.slots[i].fd); /* a close queued may have run */
	st->failed = n - st->ok - st->http_errors;
out:
	free(r.slots);
	free(r.free_slots);
	return wall;
}
