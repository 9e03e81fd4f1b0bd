// SPDX-License-Identifier: MIT
/*
 * rawclient.c - many HTTP requests from one thread with epoll and nothing
 * else: the floor under every event-loop model (see rawclient.h).
 *
 * The lesson: with non-blocking sockets and one epoll set, a single thread
 * keeps thousands of requests in flight; each costs a small struct and a
 * descriptor. Everything libcurl adds on top (DNS, TLS, redirects,
 * connection pools) is what a model pays beyond this floor.
 *
 * Watch for: connects are paced (at most RC_CONNECTING at a time), because
 * 10,000 SYNs at once overflow the server's accept queue (capped by
 * net.core.somaxconn) and dropped SYNs are retried only after a second.
 */
#include "harness/bench/rawclient.h"

#include <arpa/inet.h>
#include <errno.h>
#include <http_parser.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"

#define RC_CONNECTING 256 /* connects in progress at once */
#define RC_EVENTS 512

/* One connection: one slot of the concurrency. */
struct rc_conn {
	int fd; /* -1: the slot is free */
	bool connected;
	bool done; /* the current answer is complete */
	http_parser parser;
	struct rc_run *run;
};

/* The whole run. Every request is issued once and finished once
 * (answered or failed). */
struct rc_run {
	int ep;
	struct sockaddr_in addr;
	char request[512];
	size_t request_len;
	long n, issued, finished;
	long open, connecting;
	struct rc_conn *slots; /* `concurrency` of them */
	int *free_slots, n_free;
	struct rawclient_stats *st;
};

static int rc_on_body(http_parser *p, const char *at, size_t len)
{
	(void)at;
	struct rc_conn *c = p->data;
	c->run->st->bytes += len;
	return 0;
}

static int rc_on_complete(http_parser *p)
{
	struct rc_conn *c = p->data;
	c->done = true;
	http_parser_pause(p, 1); /* one answer at a time */
	return 0;
}

static const http_parser_settings rc_settings = {
	.on_body = rc_on_body,
	.on_message_complete = rc_on_complete,
};

static void rc_close(struct rc_run *r, struct rc_conn *c)
{
	if (!c->connected)
		r->connecting--;
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	r->open--;
	r->free_slots[r->n_free++] = (int)(c - r->slots);
}

/* The current request failed; so does the connection. */
static void rc_fail(struct rc_run *r, struct rc_conn *c)
{
	r->st->failed++;
	r->finished++;
	rc_close(r, c);
}

static int rc_send(struct rc_run *r, struct rc_conn *c)
{
	/* A request is far smaller than a socket buffer: one send. */
	ssize_t k = send(c->fd, r->request, r->request_len, MSG_NOSIGNAL);
	if (k != (ssize_t)r->request_len)
		return -1;
	c->done = false;
	http_parser_init(&c->parser, HTTP_RESPONSE);
	c->parser.data = c;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	return epoll_ctl(r->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Opens a connection for the next request. */
static void rc_open(struct rc_run *r)
{
	r->issued++;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r->finished++;
		r->st->failed++;
		return;
	}
	struct rc_conn *c = &r->slots[r->free_slots[--r->n_free]];
	c->fd = fd;
	c->connected = false;
	c->run = r;
	r->open++;
	r->connecting++;
	if (r->open > r->st->max_open)
		r->st->max_open = r->open;
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
	int rc = connect(fd, (struct sockaddr *)&r->addr, sizeof(r->addr));
	if ((rc != 0 && errno != EINPROGRESS) ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		rc_fail(r, c);
}

/* Connected (or refused): send the first request. */
static void rc_on_writable(struct rc_run *r, struct rc_conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);
	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	c->connected = true;
	r->connecting--;
	if (err != 0 || rc_send(r, c) != 0)
		rc_fail(r, c);
}

/* An answer is complete: count it, then reuse or close the connection. */
static void rc_answered(struct rc_run *r, struct rc_conn *c)
{
	if (c->parser.status_code >= 400)
		r->st->http_errors++;
	else
		r->st->ok++;
	r->finished++;
	if (r->issued < r->n && http_should_keep_alive(&c->parser)) {
		r->issued++;
		if (rc_send(r, c) != 0)
			rc_fail(r, c);
		return;
	}
	rc_close(r, c);
}

static void rc_on_readable(struct rc_run *r, struct rc_conn *c)
{
	char buf[65536];
	ssize_t k = read(c->fd, buf, sizeof(buf));
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* k == 0 tells the parser about EOF (an answer may end with it). */
	size_t len = k > 0 ? (size_t)k : 0;
	size_t used = http_parser_execute(&c->parser, &rc_settings, buf, len);
	if (c->done) { /* leftover bytes would be an unasked answer */
		rc_answered(r, c);
		return;
	}
	if (k <= 0 || used != len)
		rc_fail(r, c); /* closed early, reset, or not HTTP */
}

/* Opens connections while requests remain and the limits allow. */
static void rc_fill(struct rc_run *r, int concurrency)
{
	while (r->issued < r->n && r->open < concurrency &&
	       r->connecting < RC_CONNECTING)
		rc_open(r);
}

int rawclient_target(const char *host, int port, const char *path,
		     struct sockaddr_in *addr, char *request, size_t len)
{
	addr->sin_family = AF_INET;
	addr->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
		return -1;
	int k = snprintf(request, len, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n",
			 path, host, port);
	return k > 0 && (size_t)k < len ? k : -1;
}

void rawclient_raise_nofile(void)
{
	struct rlimit rl; /* one descriptor per connection */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int rc_setup(struct rc_run *r, const char *host, int port,
		    const char *path, int concurrency)
{
	int k = rawclient_target(host, port, path, &r->addr, r->request,
				 sizeof(r->request));
	if (k < 0)
		return -1;
	r->request_len = (size_t)k;
	r->slots = calloc((size_t)concurrency, sizeof(*r->slots));
	r->free_slots = calloc((size_t)concurrency, sizeof(int));
	if (!r->slots || !r->free_slots)
		return -1;
	for (int i = 0; i < concurrency; i++) {
		r->slots[i].fd = -1;
		r->free_slots[r->n_free++] = concurrency - 1 - i;
	}
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	return r->ep < 0 ? -1 : 0;
}

double rawclient_run(const char *host, int port, const char *path, long n,
		     int concurrency, struct rawclient_stats *st)
{
	memset(st, 0, sizeof(*st));
	rawclient_raise_nofile();
	struct rc_run r = {.n = n, .st = st, .ep = -1};
	double wall = -1;
	if (concurrency < 1 || rc_setup(&r, host, port, path, concurrency) != 0)
		goto cleanup;
	double t0 = clock_now();
	struct epoll_event evs[RC_EVENTS];
	while (r.finished < n) {
		rc_fill(&r, concurrency);
		int k = epoll_wait(r.ep, evs, RC_EVENTS,
				   (int)(RAWCLIENT_STALL_S * 1000));
		if (k == 0)
			break; /* stalled: what is still open fails below */
		for (int i = 0; i < k; i++) {
			struct rc_conn *c = evs[i].data.ptr;
			if (!c->connected)
				rc_on_writable(&r, c);
			else
				rc_on_readable(&r, c);
		}
	}
	wall = clock_now() - t0;
	for (int i = 0; i < concurrency; i++)
		if (r.slots[i].fd >= 0)
			rc_fail(&r, &r.slots[i]);
	st->failed += n - r.finished; /* never issued */
cleanup:
	if (r.ep >= 0)
		close(r.ep);
	free(r.slots);
	free(r.free_slots);
	return wall;
}
