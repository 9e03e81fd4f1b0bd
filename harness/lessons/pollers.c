// SPDX-License-Identifier: MIT
/*
 * pollers.c - select -> poll -> epoll -> io_uring, measured (lesson 4's
 * last section; see pollers.h).
 *
 * The lesson: select hands the kernel a bitmap of FD_SETSIZE (1,024) bits,
 * so a descriptor numbered 1,024 or more cannot be watched at all. poll
 * takes an array instead, but the kernel walks all of it on every call:
 * its cost grows with the set. epoll keeps the set in the kernel, and a
 * wait costs what is ready, not what is watched. io_uring goes one step
 * further: the program no longer makes the call after a readiness report,
 * it queues the calls themselves and one io_uring_enter carries a batch.
 *
 * Watch for: the idle descriptors are copies (dup) of one empty pipe's
 * read end, so 10,000 of them cost 10,000 descriptors and no sockets; the
 * system calls of the batching part are counted at each call this file
 * makes (no libc call here makes more than one). make bench's c10k-uring
 * case counts the real HTTP clients with perf or strace.
 */
#include "harness/lessons/pollers.h"

#include <liburing.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/stats.h"
#include "harness/lessons/kit.h"

#define PL_SIZES 3
#define PL_BLOCKS 5	  /* timed blocks per measure; the median is kept */
#define PL_BLOCK_S 0.004  /* each block calls for at least this long */
#define PL_TRANSFERS 1000 /* of the batching part */
#define PL_MSG 64

/* n idle descriptors (copies of an empty pipe's read end) and one ready
 * (a pipe with a byte in it). */
struct pl_set {
	int *idle, n;
	int ready; /* the ready pipe's read end */
	int pipe_idle[2], pipe_ready[2];
};

static int pl_open(struct pl_set *s, int n)
{
	*s = (struct pl_set){.pipe_idle = {-1, -1}, .pipe_ready = {-1, -1}};
	if (pipe(s->pipe_idle) != 0)
		return -1;
	if (pipe(s->pipe_ready) != 0 || write(s->pipe_ready[1], "x", 1) != 1)
		return -1;
	s->ready = s->pipe_ready[0];
	s->idle = calloc((size_t)n, sizeof(int));
	for (; s->idle && s->n < n; s->n++)
		if ((s->idle[s->n] = dup(s->pipe_idle[0])) < 0)
			return -1;
	return s->idle ? 0 : -1;
}

static void pl_close(struct pl_set *s)
{
	for (int i = 0; i < s->n; i++)
		close(s->idle[i]);
	free(s->idle);
	int fds[4] = {s->pipe_idle[0], s->pipe_idle[1], s->pipe_ready[0],
		      s->pipe_ready[1]};
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* One wait call of a kind over the set: its number of ready ones. */
typedef int (*pl_wait_fn)(struct pl_set *s, void *state);

static int pl_wait_poll(struct pl_set *s, void *state)
{
	struct pollfd *p = state;
	return poll(p, (nfds_t)s->n + 1, 0);
}

static int pl_wait_select(struct pl_set *s, void *state)
{
	(void)state;
	fd_set r;
	FD_ZERO(&r);
	int max = s->ready;
	FD_SET(s->ready, &r);
	for (int i = 0; i < s->n; i++) {
		FD_SET(s->idle[i], &r);
		max = s->idle[i] > max ? s->idle[i] : max;
	}
	struct timeval zero = {0, 0};
	return select(max + 1, &r, NULL, NULL, &zero);
}

static int pl_wait_epoll(struct pl_set *s, void *state)
{
	(void)s;
	struct epoll_event ev[8];
	return epoll_wait(*(int *)state, ev, 8, 0);
}

/* Microseconds per call of wait, median of PL_BLOCKS blocks; NAN when a
 * call did not see exactly the one ready descriptor. */
static double pl_time(pl_wait_fn wait, struct pl_set *s, void *state)
{
	double per[PL_BLOCKS];
	for (int b = 0; b < PL_BLOCKS; b++) {
		long calls = 0;
		double t0 = clock_now(), t;
		do {
			if (wait(s, state) != 1)
				return NAN;
			calls++;
		} while ((t = clock_now() - t0) < PL_BLOCK_S);
		per[b] = t / (double)calls * 1e6;
	}
	return stats_spread(per, PL_BLOCKS).median;
}

/* The three wait calls over n idle descriptors, into us[3] (select:
 * NAN above FD_SETSIZE: it refuses, as the wall part shows). */
static void pl_measure(int n, double us[3])
{
	struct pl_set s;
	us[0] = us[1] = us[2] = NAN;
	int opened = pl_open(&s, n);
	struct pollfd *p = calloc((size_t)n + 1, sizeof(*p));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (!p || ep < 0 || opened != 0) {
		printf("  (%d idle descriptors: cannot open them here)\n", n);
		goto out;
	}
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){.fd = s.idle[i], .events = POLLIN};
	p[n] = (struct pollfd){.fd = s.ready, .events = POLLIN};
	struct epoll_event ev = {.events = EPOLLIN};
	for (int i = 0; i <= n; i++)
		epoll_ctl(ep, EPOLL_CTL_ADD, p[i].fd, &ev);
	if (s.idle[n - 1] < FD_SETSIZE && s.ready < FD_SETSIZE)
		us[0] = pl_time(pl_wait_select, &s, NULL);
	us[1] = pl_time(pl_wait_poll, &s, p);
	us[2] = pl_time(pl_wait_epoll, &s, &ep);
out:
	if (ep >= 0)
		close(ep);
	pl_close(&s);
	free(p);
}

/* ---- select's wall ------------------------------------------------------- */

/* Opens descriptors as C = 1,100 connections would and shows that select
 * must refuse the last ones: FD_SET on a descriptor >= FD_SETSIZE writes
 * past the bitmap. Returns the first descriptor select cannot watch. */
static int pl_select_wall(int c)
{
	struct pl_set s;
	int refused = -1;
	if (pl_open(&s, c) != 0) {
		printf("  (%d descriptors: cannot open them here)\n", c);
		pl_close(&s);
		return -1;
	}
	for (int i = 0; i < s.n && refused < 0; i++)
		if (s.idle[i] >= FD_SETSIZE)
			refused = s.idle[i];
	if (refused >= 0)
		printf("  select: C = %d needs descriptor %d, at or above "
		       "FD_SETSIZE (%d): refused, %d of the %d connections "
		       "cannot be watched\n",
		       c, refused, FD_SETSIZE, s.idle[s.n - 1] - refused + 1,
		       c);
	pl_close(&s);
	return refused;
}

/* ---- io_uring's batching ------------------------------------------------- */

/* PL_TRANSFERS messages over socket pairs the readiness way: every
 * receiving end in one epoll set, a send each, then epoll_wait and a recv
 * for each ready one. System calls per transfer, counted here. */
static double pl_calls_epoll(int (*pairs)[2])
{
	char msg[PL_MSG] = "x", buf[PL_MSG];
	long calls = 1, got = 0;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev[256];
	for (int i = 0; i < PL_TRANSFERS; i++, calls += 2) {
		ev[0] = (struct epoll_event){.events = EPOLLIN, .data.fd = i};
		epoll_ctl(ep, EPOLL_CTL_ADD, pairs[i][1], &ev[0]);
		send(pairs[i][0], msg, sizeof(msg), 0);
	}
	while (got < PL_TRANSFERS) {
		int k = epoll_wait(ep, ev, 256, 1000);
		calls++;
		if (k <= 0)
			break;
		for (int j = 0; j < k; j++, calls++)
			got += recv(pairs[ev[j].data.fd][1], buf, sizeof(buf),
				    0) == PL_MSG;
	}
	close(ep);
	calls++;
	return got == PL_TRANSFERS ? (double)calls / PL_TRANSFERS : NAN;
}

/* The same transfers the completion way: each send linked to its recv,
 * all queued, then io_uring_submit_and_wait (one io_uring_enter) until
 * every completion is in. NAN, and why, when io_uring is refused. */
static double pl_calls_uring(int (*pairs)[2], char *why, size_t len)
{
	static char msg[PL_MSG] = "x", bufs[PL_TRANSFERS][PL_MSG];
	struct io_uring ring;
	int rc = io_uring_queue_init(2 * PL_TRANSFERS, &ring, 0);
	if (rc < 0) {
		snprintf(why, len, "%s", strerror(-rc));
		return NAN;
	}
	long calls = 1, done = 0, got = 0;
	for (int i = 0; i < PL_TRANSFERS; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_send(sqe, pairs[i][0], msg, PL_MSG, 0);
		io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_recv(sqe, pairs[i][1], bufs[i], PL_MSG, 0);
		io_uring_sqe_set_data64(sqe, 1);
	}
	while (done < 2L * PL_TRANSFERS) {
		calls++;
		if (io_uring_submit_and_wait(&ring, 1) < 0)
			break;
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe)
		{
			seen++;
			got += io_uring_cqe_get_data64(cqe) == 1 &&
			       cqe->res == PL_MSG;
		}
		io_uring_cq_advance(&ring, seen);
		done += seen;
	}
	io_uring_queue_exit(&ring);
	calls++; /* the ring's close */
	snprintf(why, len, "%ld of %d messages arrived", got, PL_TRANSFERS);
	return got == PL_TRANSFERS ? (double)calls / PL_TRANSFERS : NAN;
}

/* ---- the section --------------------------------------------------------- */

static void pl_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The table of wait calls: one row per set size, a measured line each. */
static void pl_table(const int *sizes, double us[][3])
{
	static const char *const kinds[3] = {"select", "poll", "epoll"};
	printf("  idle descriptors   select us   poll us   epoll us  (one "
	       "ready; per call)\n");
	for (int i = 0; i < PL_SIZES; i++) {
		pl_measure(sizes[i], us[i]);
		printf("  %16d   %9.2f  %8.2f   %8.2f\n", sizes[i], us[i][0],
		       us[i][1], us[i][2]);
	}
	for (int i = 0; i < PL_SIZES; i++)
		for (int k = 0; k < 3; k++) {
			char name[48];
			snprintf(name, sizeof(name), "wait_us_%s_%d", kinds[k],
				 sizes[i]);
			if (!isnan(us[i][k]))
				lesson_measured(name, us[i][k], "us");
		}
}

/* io_uring's part: calls per transfer both ways over socket pairs. */
static void pl_batching(void)
{
	static int pairs[PL_TRANSFERS][2];
	int made = 0;
	char why[128] = "";
	while (made < PL_TRANSFERS &&
	       socketpair(AF_UNIX, SOCK_STREAM, 0, pairs[made]) == 0)
		made++;
	double ep = NAN, ur = NAN;
	if (made == PL_TRANSFERS) {
		ep = pl_calls_epoll(pairs);
		ur = pl_calls_uring(pairs, why, sizeof(why));
	}
	for (int i = 0; i < made; i++) {
		close(pairs[i][0]);
		close(pairs[i][1]);
	}
	lesson_measured("calls_per_transfer_epoll", ep, "");
	if (isnan(ur)) {
		printf("  io_uring skipped: %s (a kernel before 5.6, a seccomp "
		       "profile such as Docker's default, or sysctl "
		       "kernel.io_uring_disabled)\n",
		       why);
		return;
	}
	lesson_measured("calls_per_transfer_io_uring", ur, "");
	lesson_say("%d messages over socket pairs: the readiness way made "
		   "%.2f system calls per transfer (a send, an epoll_ctl, a "
		   "recv, and a share of each epoll_wait); the completion way "
		   "queued each send linked to its recv and made %.3f: "
		   "io_uring_enter carried the whole batch. make bench's case "
		   "c10k-uring counts the same for 10,000 HTTP fetches, "
		   "socket to close, with perf or strace.",
		   PL_TRANSFERS, ep, ur);
}

void pollers_section(bool quick)
{
	(void)quick; /* every part is fast: the same sizes either way */
	static const int sizes[PL_SIZES] = {100, 1000, 10000};
	double us[PL_SIZES][3];
	pl_raise_nofile();
	lesson_heading("Under the loop: select -> poll -> epoll -> io_uring");
	int wall = pl_select_wall(1100);
	if (wall >= 0)
		lesson_measured("select_first_refused_fd", wall, "");
	pl_table(sizes, us);
	double pg = lesson_measured("poll_growth_100_to_10000",
				    us[2][1] / us[0][1], "x");
	double eg = lesson_measured("epoll_growth_100_to_10000",
				    us[2][2] / us[0][2], "x");
	lesson_say("select watches a bitmap of FD_SETSIZE (%d) bits: the "
		   "1,025th descriptor is already out of reach. poll has no "
		   "such wall, but every call walks the whole array: %.0f "
		   "times the time for 100 times the descriptors. epoll keeps "
		   "the set in the kernel and hands back the ready ones: a "
		   "wait cost %.1f times as much with 10,000 idle as with 100 "
		   "(the loop's models wait in epoll: libev's choice on "
		   "Linux). The models meet select's wall too: `concur run "
		   "--models eventloop --backend select --workers 1100` "
		   "refuses C above 1,000.",
		   FD_SETSIZE, pg, eg);
	pl_batching();
}
