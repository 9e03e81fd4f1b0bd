// SPDX-License-Identifier: MIT
/*
 * loop.c - the socket layer of `concur serve`: one thread, one libev
 * loop, one listening socket, and per connection an ev_io, an ev_timer
 * and an http_conn state machine (http_conn.h) that decides everything.
 *
 * The lesson: this is asyncio's server side in C. A connection costs a
 * struct of about a kilobyte, not a thread and its stack, so 10,000 idle
 * or waiting clients are cheap; the price is that nothing here may block,
 * and every wait (input, room to write, a deadline) is a watcher.
 *
 * Watch for: the loop is shared by every client, so per-event work is
 * bounded (a few accepts, one read, a few writes, then back to the loop);
 * and a full descriptor table (EMFILE) makes a level-triggered accept
 * watcher fire forever: accepting is paused instead of spun on.
 *
 * Run: concur serve --help; curl -i 127.0.0.1:PORT/delay/100?bytes=10
 */
#define _GNU_SOURCE /* accept4 */
#include "harness/server/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/server/http_conn.h"

#define ACCEPTS_PER_EVENT 64 /* then let the other watchers run */
#define WRITES_PER_EVENT 16  /* 16 x 64 KiB, then wait for EV_WRITE */
#define ACCEPT_PAUSE_S 0.1   /* out of descriptors: retry this often */
#define SCRATCH_SIZE (64 * 1024)

struct conn;

/* Global state of one server (one per process). */
struct server {
	struct ev_loop *loop;
	int listen_fd;
	ev_io accept_w;	       /* readable listen socket: accept */
	ev_timer accept_pause; /* EMFILE: accept_w is stopped until this */
	int signal_fd;	       /* SIGTERM/SIGINT, read as events */
	ev_io signal_w;
	struct http_limits limits;
	double stalled_until; /* /stall/MS: no answer before (ev_now) */
	struct conn *conns;   /* every open connection, to close at exit */
	long open, accepted, requests; /* counters for the exit line */
	char scratch[SCRATCH_SIZE];    /* read/write buffer; one thread uses it
				       for one connection at a time */
};

/* Per-connection state. io is first: the io callback gets its address. */
struct conn {
	ev_io io;
	ev_timer timer; /* the http_conn's deadline */
	struct server *srv;
	struct conn *prev, *next;
	double armed; /* the deadline timer is set for; 0: none */
	bool shut;    /* shutdown(SHUT_WR) done */
	struct http_conn http;
};

/* ---- one connection ---- */

static void conn_close(struct conn *c, bool reset)
{
	struct server *s = c->srv;
	if (reset) { /* SO_LINGER 0: close() sends RST instead of FIN */
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		setsockopt(c->io.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	ev_io_stop(s->loop, &c->io);
	ev_timer_stop(s->loop, &c->timer);
	close(c->io.fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->requests += c->http.requests;
	s->open--;
	http_conn_free(&c->http);
	free(c);
}

/* Points the watchers at what the state machine waits for. */
static void conn_watch(struct conn *c, const struct http_want *w,
		       bool writable_wait)
{
	struct ev_loop *loop = c->srv->loop;
	int events = (w->read ? EV_READ : 0) | (writable_wait ? EV_WRITE : 0);
	if (events != (c->io.events & (EV_READ | EV_WRITE)) ||
	    !ev_is_active(&c->io)) {
		ev_io_stop(loop, &c->io);
		ev_io_set(&c->io, c->io.fd, events);
		if (events)
			ev_io_start(loop, &c->io);
	}
	if (w->deadline != c->armed) {
		ev_timer_stop(loop, &c->timer);
		if (w->deadline > 0) {
			double after = w->deadline - ev_now(loop);
			ev_timer_set(&c->timer, after > 0 ? after : 0, 0);
			ev_timer_start(loop, &c->timer);
		}
		c->armed = w->deadline;
	}
}

/* One write of what the state machine has ready. Returns 1 when the
 * socket is full, 0 when it took everything, -1 when it failed. */
static int conn_write(struct conn *c)
{
	struct server *s = c->srv;
	size_t n = http_conn_peek(&c->http, s->scratch, sizeof(s->scratch));
	ssize_t k = send(c->io.fd, s->scratch, n, MSG_NOSIGNAL);
	if (k < 0) {
		if (errno == EINTR)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1; /* EPIPE, ECONNRESET: the client left */
		k = 0;
	}
	bool blocked = (size_t)k < n;
	http_conn_sent(&c->http, (size_t)k, blocked, ev_now(s->loop));
	return blocked ? 1 : 0;
}

/* Does what the state machine wants until it waits for something. */
static void conn_drive(struct conn *c)
{
	struct http_want w;
	for (int round = 0;; round++) {
		w = http_conn_want(&c->http);
		if (w.state == HTTP_CLOSED || w.state == HTTP_RESET) {
			conn_close(c, w.state == HTTP_RESET);
			return;
		}
		if (w.shut_write && !c->shut) {
			shutdown(c->io.fd, SHUT_WR); /* FIN: the answer ends */
			c->shut = true;
		}
		if (!w.write) {
			conn_watch(c, &w, false);
			return;
		}
		if (round == WRITES_PER_EVENT) /* fair: others get a turn */
			break;
		int r = conn_write(c);
		if (r < 0) {
			conn_close(c, false);
			return;
		}
		if (r > 0)
			break;
	}
	w = http_conn_want(&c->http);
	conn_watch(c, &w, true);
}

static void conn_read(struct conn *c)
{
	struct server *s = c->srv;
	/* At most a stash's worth: what the machine cannot parse yet it
	 * must hold, and it holds a bounded amount. */
	ssize_t n = read(c->io.fd, s->scratch, HTTP_STASH_MAX);
	if (n > 0)
		http_conn_input(&c->http, s->scratch, (size_t)n,
				ev_now(s->loop));
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		http_conn_eof(&c->http); /* EOF, or ECONNRESET and friends */
}

/* ev_io on the connection's socket (started by conn_watch). */
static void conn_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	struct conn *c = (struct conn *)w;
	if (revents & EV_READ)
		conn_read(c);
	conn_drive(c); /* EV_WRITE: the socket has room again */
}

/* ev_timer: the deadline the state machine asked for has passed. */
static void conn_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	struct conn *c =
		(struct conn *)((char *)w - offsetof(struct conn, timer));
	c->armed = 0; /* a one-shot timer stops itself */
	http_conn_timeout(&c->http, ev_now(loop));
	conn_drive(c);
}

static void conn_open(struct server *s, int fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd); /* no memory: the client sees a close, we live */
		return;
	}
	int one = 1; /* small answers and drip bytes go out at once */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->srv = s;
	ev_io_init(&c->io, conn_io_cb, fd, 0);
	ev_init(&c->timer, conn_timer_cb);
	http_conn_init(&c->http, &s->limits, ev_now(s->loop));
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->open++;
	s->accepted++;
	conn_drive(c);
}

/* ---- the listening socket ---- */

/* ev_io on the listening socket. */
static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)revents;
	struct server *s = w->data;
	for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
		int fd = accept4(s->listen_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			conn_open(s, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* The pending client stays in the backlog; the
			 * watcher would report it again at once, forever.
			 * Stop watching and retry when some fd may be free. */
			ev_io_stop(loop, &s->accept_w);
			/* Set again: a fired one-shot timer keeps no delay. */
			ev_timer_set(&s->accept_pause, ACCEPT_PAUSE_S, 0);
			ev_timer_start(loop, &s->accept_pause);
		}
		return; /* EAGAIN: the backlog is empty */
	}
}

/* ev_timer: try accepting again after running out of descriptors. */
static void accept_resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	struct server *s = w->data;
	ev_io_start(loop, &s->accept_w);
}

/* ev_io on the signalfd: SIGTERM or SIGINT ends the loop. */
static void signal_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)revents;
	struct signalfd_siginfo si;
	if (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		ev_break(loop, EVBREAK_ALL);
}

static void server_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

void server_block_signals(void)
{
	sigset_t set;
	server_signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Signals arrive as readable bytes on a descriptor, so the loop handles
 * them like any other event and no handler runs at a random moment. */
static int server_signals(struct server *s)
{
	sigset_t set;
	server_signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->signal_fd < 0) {
		perror("concur serve: signalfd");
		return -1;
	}
	ev_io_init(&s->signal_w, signal_cb, s->signal_fd, EV_READ);
	ev_io_start(s->loop, &s->signal_w);
	return 0;
}

/* One descriptor per connection: allow as many as the hard limit. */
static void server_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int server_serve(int listen_fd, const struct server_opts *o)
{
	signal(SIGPIPE, SIG_IGN); /* send() has MSG_NOSIGNAL; be sure */
	server_raise_nofile();
	struct server *s = calloc(1, sizeof(*s));
	if (!s) {
		close(listen_fd);
		return -1;
	}
	s->listen_fd = listen_fd;
	s->signal_fd = -1;
	s->limits.header_timeout_s = o->header_timeout_s;
	s->limits.idle_timeout_s = o->idle_timeout_s;
	s->limits.stalled_until = &s->stalled_until;
	/* A loop of our own, not the default one, which a parent process
	 * (server_spawn forks) may have used already. */
	s->loop = ev_loop_new(EVFLAG_AUTO);
	int rc = -1;
	if (!s->loop || server_signals(s) != 0)
		goto cleanup;
	ev_io_init(&s->accept_w, accept_cb, listen_fd, EV_READ);
	s->accept_w.data = s;
	ev_io_start(s->loop, &s->accept_w);
	ev_timer_init(&s->accept_pause, accept_resume_cb, ACCEPT_PAUSE_S, 0);
	s->accept_pause.data = s;
	ev_run(s->loop, 0);
	rc = 0;
	for (struct conn *c = s->conns, *next; c; c = next) {
		next = c->next;
		conn_close(c, false);
	}
	if (!o->quiet)
		fprintf(stderr,
			"concur serve: stopped after %ld connections, "
			"%ld requests\n",
			s->accepted, s->requests);
cleanup:
	if (s->signal_fd >= 0)
		close(s->signal_fd);
	if (s->loop)
		ev_loop_destroy(s->loop);
	close(listen_fd);
	free(s);
	return rc;
}
