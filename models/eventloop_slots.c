// SPDX-License-Identifier: MIT
/*
 * eventloop_slots.c - the event loop's reusable easy handles and their
 * free list, and a fetch started on one (see eventloop_slots.h).
 */
#include "models/eventloop_slots.h"

#include <stdlib.h>

int eventloop_slots_new(struct eventloop_slots *sl, CURLM *multi, int n,
			size_t n_fetches)
{
	sl->all = calloc((size_t)n, sizeof(*sl->all));
	if (!sl->all || conn_reuse_init(&sl->reuse, multi, n, n_fetches) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct eventloop_transfer *t = &sl->all[i];
		t->easy = fetch_handle_new();
		if (!t->easy)
			return -1;
		conn_reuse_apply(&sl->reuse, t->easy);
		/* Nagle's delay needs unacknowledged data in flight, and a
		 * request goes out in one send() on a connection whose last
		 * bytes the answer acknowledged: TCP_NODELAY changes nothing
		 * here but costs a setsockopt per connection. System calls
		 * per transfer, strace, 10,000 x /delay/1000 at C = 10,000:
		 * 17.7 with it, 16.8 without. What is left, against the raw
		 * epoll client's 8.0 (socket, connect, 2 epoll_ctl,
		 * getsockopt, send, read, close): the same eight (epoll_ctl
		 * 1.7: libev folds changes made in one turn) and libcurl
		 * 7.88's own, which no option turns off: 2 fcntl (O_NONBLOCK,
		 * even on a socket made non-blocking), 2 poll (the connect
		 * check, and a read check after the request), 3 getsockname
		 * and 2 getpeername (the addresses behind CURLINFO_*_IP)
		 * (lib/cf-socket.c, lib/transfer.c). */
		curl_easy_setopt(t->easy, CURLOPT_TCP_NODELAY, 0L);
		sl->n = i + 1;
		t->next_free = sl->free;
		sl->free = t;
	}
	return 0;
}

int eventloop_slots_start(struct eventloop_slots *sl, CURLM *multi,
			  const char *url, const struct fetch_opts *fo,
			  size_t task, struct result *r)
{
	struct eventloop_transfer *t = sl->free;
	t->task = task;
	if (fetch_prepare(t->easy, url, fo, &t->st) != 0) {
		result_set_message(r, "cannot set URL %s", url);
		goto refused;
	}
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	CURLMcode mc = curl_multi_add_handle(multi, t->easy);
	if (mc != CURLM_OK) {
		result_set_message(r, "libcurl cannot start it: %s",
				   curl_multi_strerror(mc));
		goto refused;
	}
	sl->free = t->next_free; /* taken */
	return 0;
refused:
	r->kind = RESULT_OTHER;
	return -1;
}

void eventloop_slots_free(struct eventloop_slots *sl, CURLM *multi)
{
	for (int i = 0; i < sl->n; i++) {
		/* Removing a handle still in flight makes libcurl ask the loop
		 * to stop watching its socket (eventloop.c's socket callback
		 * frees the watcher). */
		curl_multi_remove_handle(multi, sl->all[i].easy);
		curl_easy_cleanup(sl->all[i].easy);
	}
	conn_reuse_free(&sl->reuse); /* after the handles using it */
	free(sl->all);
	sl->all = NULL;
	sl->free = NULL;
	sl->n = 0;
}
