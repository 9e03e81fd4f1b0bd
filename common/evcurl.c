// SPDX-License-Identifier: MIT
/*
 * evcurl.c - libcurl's multi_socket API on a libev loop (see evcurl.h).
 *
 * The dance, in the order it happens:
 *   1. evcurl_start adds an easy handle; libcurl asks for a 0 ms timeout
 *      (multi_timer_cb), so on the next loop iteration timer_cb tells
 *      libcurl "time's up" and it starts connecting.
 *   2. libcurl asks us to watch the new socket (socket_cb); we start an
 *      ev_io on it. When the socket is ready, socket_event_cb hands the
 *      event to libcurl, which sends, receives, and may change what it
 *      wants watched (socket_cb again) or stop (CURL_POLL_REMOVE).
 *   3. After every curl_multi_socket_action we drain curl_multi_info_read:
 *      a finished transfer is classified, its slot freed, the model told.
 *
 * What it costs (perf, 10,000 x /delay/1000 all in flight, libcurl 7.88):
 * about 100 us of CPU per transfer, against 40 us for a bare epoll client
 * (harness/bench/rawclient.c). The kernel's TCP work is the same for both; the
 * difference is libcurl's own bookkeeping (its socket hash has 911
 * buckets, so with 10,000 sockets every lookup walks a chain), malloc,
 * and first-touch page faults for the ~15 KiB each transfer holds.
 */
#include "common/evcurl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- finished transfers ------------------------------------------------ */

/* Collects every finished transfer. Called after each socket_action. */
static void evcurl_drain(struct evcurl *ec)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(ec->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg is only valid until curl_multi_remove_handle
		 * (curl_multi_info_read(3)): copy what we need first. */
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;
		struct evcurl_transfer *t = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
		fetch_finish(easy, rc, &t->st, t->result);
		curl_multi_remove_handle(ec->multi, easy);
		t->next_free = ec->free;
		ec->free = t;
		ec->done(ec->done_arg, t->task);
	}
}

/* Tells libcurl what happened on fd (or CURL_SOCKET_TIMEOUT), then
 * collects whatever finished. */
static void evcurl_act(struct evcurl *ec, curl_socket_t fd, int action)
{
	CURLMcode mc =
		curl_multi_socket_action(ec->multi, fd, action, &ec->running);
	/* BAD_SOCKET: an event for a socket libcurl already closed. Any
	 * other error leaves the transfers to report their own failure. */
	if (mc != CURLM_OK && mc != CURLM_BAD_SOCKET)
		fprintf(stderr, "evcurl: curl_multi_socket_action: %s\n",
			curl_multi_strerror(mc));
	evcurl_drain(ec);
}

/* ---- the timer: CURLMOPT_TIMERFUNCTION -------------------------------- */

/* libev: libcurl's timeout expired. */
static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct evcurl *ec = container_of(w, struct evcurl, timer);
	evcurl_act(ec, CURL_SOCKET_TIMEOUT, 0);
}

/* CURLMOPT_TIMERFUNCTION: libcurl wants to be woken in timeout_ms (0: as
 * soon as possible; -1: never). One timer, re-armed each time; libcurl
 * must not be called from here (CURLMOPT_TIMERFUNCTION(3)). */
static int multi_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	(void)multi;
	struct evcurl *ec = arg;
	ev_timer_stop(ec->loop, &ec->timer);
	if (timeout_ms >= 0) {
		ev_timer_set(&ec->timer, (double)timeout_ms / 1000.0, 0.0);
		ev_timer_start(ec->loop, &ec->timer);
	}
	return 0;
}

/* ---- sockets: CURLMOPT_SOCKETFUNCTION --------------------------------- */

/* libev: a socket libcurl watches is ready. */
static void socket_event_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	struct evcurl_socket *s = container_of(w, struct evcurl_socket, io);
	struct evcurl *ec = s->ec;
	int action = ((revents & EV_READ) ? CURL_CSELECT_IN : 0) |
		     ((revents & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	/* From here on s may be freed (CURL_POLL_REMOVE): use ec and fd. */
	evcurl_act(ec, w->fd, action);
}

/* CURLMOPT_SOCKETFUNCTION: libcurl says what to watch on fd. sockp is what
 * we gave curl_multi_assign for this socket (NULL the first time). */
static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
		     void *sockp)
{
	(void)easy;
	struct evcurl *ec = arg;
	struct evcurl_socket *s = sockp;

	if (what == CURL_POLL_REMOVE) {
		/* libcurl closes or reuses fd right after we return: the
		 * watcher must be gone before, or epoll watches a stranger. */
		if (s) {
			ev_io_stop(ec->loop, &s->io);
			free(s);
		}
		return 0;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -1; /* libcurl then fails what is in flight */
		s->ec = ec;
		ev_init(&s->io, socket_event_cb);
		curl_multi_assign(ec->multi, fd, s);
	}
	int events = ((what & CURL_POLL_IN) ? EV_READ : 0) |
		     ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	ev_io_stop(ec->loop, &s->io);
	ev_io_set(&s->io, fd, events);
	ev_io_start(ec->loop, &s->io);
	return 0;
}

/* ---- set-up, starting a transfer, clean-up ---------------------------- */

/* Connection settings for this batch. Why (libcurl 7.88; leads from
 * ../shared/notes/libcurl-at-10k.md, checked here with perf):
 * - When every fetch gets a slot of its own (n_fetches <= slots), no
 *   connection can ever be reused, yet libcurl would still search the
 *   host's open connections before each connect (linear in them) and keep
 *   each finished one in its cache: O(N^2) at 10,000 in flight.
 *   FRESH_CONNECT skips the search, FORBID_REUSE the keeping. Measured at
 *   10,000 x /delay/1000 (5 alternated runs): 0.90 s of CPU with them,
 *   1.67 s without; wall 2.3 s against 3.0 s.
 * - In that case we also send "Connection: close", so the server closes
 *   first. Whoever closes first holds the connection in TIME_WAIT for a
 *   minute; 10,000 of those on our side make every later connect() on
 *   this machine search harder for a free port (a minimal epoll client's
 *   10,000 x /delay/1000 took 1.77 s right after such a run, 1.39 s
 *   without). It does not change this run's own time.
 * - Otherwise keep-alive pays: each slot reuses a connection. MAXCONNECTS
 *   = slots bounds the cache at one idle connection per slot, which is
 *   all a slot can use, so it never overflows into its "close the oldest"
 *   search (libcurl's default bound moves with the handles added). */
static int evcurl_tune(struct evcurl *ec, size_t n_fetches)
{
	int one_shot = n_fetches <= (size_t)ec->n_slots;
	curl_multi_setopt(ec->multi, CURLMOPT_MAXCONNECTS, (long)ec->n_slots);
	if (one_shot) {
		ec->headers = curl_slist_append(NULL, "Connection: close");
		if (!ec->headers)
			return -1;
	}
	for (int i = 0; i < ec->n_slots; i++) {
		CURL *h = ec->slots[i].easy;
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, (long)one_shot);
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, (long)one_shot);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, ec->headers);
	}
	return 0;
}

struct ev_loop *evcurl_default_loop(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	/* Cheap when nothing was inherited: libev just makes a new epoll
	 * set on the next iteration (ev_loop_fork in ev(3)). */
	if (loop)
		ev_loop_fork(loop);
	return loop;
}

int evcurl_init(struct evcurl *ec, struct ev_loop *loop, int n_slots,
		size_t n_fetches, const struct fetch_opts *fopts,
		evcurl_done_fn done, void *done_arg)
{
	memset(ec, 0, sizeof(*ec));
	ec->loop = loop;
	ec->fopts = fopts;
	ec->done = done;
	ec->done_arg = done_arg;
	ev_init(&ec->timer, timer_cb);
	ec->multi = curl_multi_init();
	ec->slots = calloc((size_t)n_slots, sizeof(*ec->slots));
	if (!ec->multi || !ec->slots)
		goto fail;
	for (int i = 0; i < n_slots; i++) {
		struct evcurl_transfer *t = &ec->slots[i];
		t->easy = fetch_handle_new();
		if (!t->easy)
			goto fail;
		ec->n_slots = i + 1;
		t->next_free = ec->free;
		ec->free = t;
	}
	curl_multi_setopt(ec->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(ec->multi, CURLMOPT_SOCKETDATA, ec);
	curl_multi_setopt(ec->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
	curl_multi_setopt(ec->multi, CURLMOPT_TIMERDATA, ec);
	if (evcurl_tune(ec, n_fetches) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "evcurl: cannot create %d transfers (out of memory)\n",
		n_slots);
	evcurl_cleanup(ec);
	return -1;
}

int evcurl_start(struct evcurl *ec, size_t task, const char *url,
		 struct result *r)
{
	struct evcurl_transfer *t = ec->free;
	t->task = task;
	t->result = r;
	if (fetch_prepare(t->easy, url, ec->fopts, &t->st) != 0) {
		r->kind = RESULT_OTHER;
		result_set_message(r, "cannot set URL %s", url);
		return -1;
	}
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	CURLMcode mc = curl_multi_add_handle(ec->multi, t->easy);
	if (mc != CURLM_OK) {
		r->kind = RESULT_OTHER;
		result_set_message(r, "libcurl cannot start it: %s",
				   curl_multi_strerror(mc));
		return -1;
	}
	ec->free = t->next_free;
	return 0;
}

void evcurl_cleanup(struct evcurl *ec)
{
	ev_timer_stop(ec->loop, &ec->timer);
	for (int i = 0; i < ec->n_slots; i++) {
		/* Removing a handle still in flight makes libcurl ask us to
		 * stop watching its socket (socket_cb frees it). */
		if (ec->multi)
			curl_multi_remove_handle(ec->multi, ec->slots[i].easy);
		curl_easy_cleanup(ec->slots[i].easy);
	}
	if (ec->multi)
		curl_multi_cleanup(ec->multi);
	curl_slist_free_all(ec->headers); /* after the handles using it */
	free(ec->slots);
	memset(ec, 0, sizeof(*ec));
}

/* ---- descriptors -------------------------------------------------------- */

/* Descriptors besides the sockets: stdio, the loop's epoll and eventfd,
 * libcurl's wake-up pair, the server's pipe, a test's files. */
#define EVCURL_FD_RESERVE 64

int evcurl_reserve_fds(long n_sockets, const char *model, struct rlimit *saved)
{
	if (getrlimit(RLIMIT_NOFILE, saved) != 0) {
		fprintf(stderr, "%s: getrlimit: %s\n", model, strerror(errno));
		return -1;
	}
	rlim_t need = (rlim_t)n_sockets + EVCURL_FD_RESERVE;
	if (saved->rlim_cur != RLIM_INFINITY && saved->rlim_cur >= need)
		return 0;
	if (saved->rlim_max != RLIM_INFINITY && saved->rlim_max < need) {
		fprintf(stderr,
			"%s: %ld transfers in flight need about %llu file "
			"descriptors, but RLIMIT_NOFILE allows %llu "
			"(ulimit -Hn); lower --workers\n",
			model, n_sockets, (unsigned long long)need,
			(unsigned long long)saved->rlim_max);
		return -1;
	}
	struct rlimit raised = {.rlim_cur = need, .rlim_max = saved->rlim_max};
	if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
		fprintf(stderr, "%s: cannot raise RLIMIT_NOFILE to %llu: %s\n",
			model, (unsigned long long)need, strerror(errno));
		return -1;
	}
	return 0;
}

void evcurl_restore_fds(const struct rlimit *saved)
{
	setrlimit(RLIMIT_NOFILE, saved);
}
