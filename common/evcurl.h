// SPDX-License-Identifier: MIT
/*
 * evcurl.h - libcurl's multi_socket API driven by a libev loop: many HTTP
 * fetches in flight on one thread.
 *
 * libcurl does the HTTP; it never waits. Instead it tells us, through two
 * callbacks, which sockets it wants watched (CURLMOPT_SOCKETFUNCTION) and
 * when it next needs to be woken without any socket activity
 * (CURLMOPT_TIMERFUNCTION). We keep one ev_io per socket and one ev_timer,
 * and whenever libev sees one fire we hand the event back to libcurl with
 * curl_multi_socket_action(). Finished transfers are then collected with
 * curl_multi_info_read() and classified by fetch_finish(), exactly as the
 * blocking models classify theirs.
 *
 * Used by models/eventloop.c and models/hybrid.c (the models decide what
 * runs next; this file only moves bytes). Read eventloop.c first.
 *
 * Ownership: struct evcurl owns the multi handle, the transfer slots and
 * their easy handles, and the per-socket structs. The loop is the caller's.
 * Everything here runs on the loop's thread only.
 *
 * Errors: functions return 0 or -1; evcurl_init and evcurl_reserve_fds say
 * why on stderr, evcurl_start says why in the task's result.
 */
#ifndef CONCUR_EVCURL_H
#define CONCUR_EVCURL_H

#include <curl/curl.h>
#include <ev.h>
#include <stddef.h>
#include <sys/resource.h>

#include "common/fetch.h"
#include "common/task.h"

struct evcurl;

/* The struct a watcher is embedded in, from the watcher libev hands a
 * callback: how every callback here finds its context (no globals). */
#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr)-offsetof(type, member)))

/* Called on the loop after a transfer ended and its result was filled
 * (kind, status, bytes, checksum, message; not start, end or worker). */
typedef void (*evcurl_done_fn)(void *arg, size_t task);

/* Per transfer: one reusable easy handle (a "slot"). CURLOPT_PRIVATE
 * points back here, so a finished easy handle leads to its task. */
struct evcurl_transfer {
	CURL *easy;	       /* owned by the slot, reused task after task */
	struct fetch_state st; /* body bytes and CRC, filled by libcurl */
	size_t task;	       /* the task it runs now */
	struct result *result; /* where fetch_finish writes; the batch's */
	struct evcurl_transfer *next_free; /* free list link when idle */
};

/* Per socket: the watcher libev polls, found again through
 * curl_multi_assign(). Lives from libcurl's first request to watch the
 * socket until CURL_POLL_REMOVE. */
struct evcurl_socket {
	ev_io io;	   /* fd and the events libcurl asked for */
	struct evcurl *ec; /* back to the whole */
};

/* Global: one multi handle on one loop. */
struct evcurl {
	struct ev_loop *loop;	       /* the caller's */
	CURLM *multi;		       /* owned */
	ev_timer timer;		       /* libcurl's single timeout */
	int running;		       /* transfers libcurl reports running */
	struct evcurl_transfer *slots; /* owned; n_slots of them */
	int n_slots;
	struct evcurl_transfer *free; /* idle slots */
	struct curl_slist *headers;   /* owned: extra request headers */
	const struct fetch_opts *fopts;
	evcurl_done_fn done;
	void *done_arg;
};

/* The libev default loop, ready for this process: the harness runs each
 * model in a forked child, and a loop inherited across fork() would share
 * its epoll set with the parent's. NULL if libev cannot start. */
struct ev_loop *evcurl_default_loop(void);

/* Sets up the multi handle and n_slots easy handles on loop. n_fetches
 * (how many fetches the batch holds) chooses the connection-cache
 * settings: see evcurl.c. Returns 0 or -1 (said on stderr). */
int evcurl_init(struct evcurl *ec, struct ev_loop *loop, int n_slots,
		size_t n_fetches, const struct fetch_opts *fopts,
		evcurl_done_fn done, void *done_arg);

/* Is a slot free for another transfer? */
static inline int evcurl_has_slot(const struct evcurl *ec)
{
	return ec->free != NULL;
}

/* Starts fetching url for task into *r using a free slot (there must be
 * one). Returns 0, or -1 when libcurl refused the transfer; the reason is
 * then in *r and done is not called. */
int evcurl_start(struct evcurl *ec, size_t task, const char *url,
		 struct result *r);

/* Stops the watchers and frees everything evcurl_init made. */
void evcurl_cleanup(struct evcurl *ec);

/* Makes sure this process may open n_sockets more descriptors, raising
 * the soft RLIMIT_NOFILE up to the hard limit if needed; *saved receives
 * the limit to give back to evcurl_restore_fds. Returns -1 (said on
 * stderr, naming the limit) when even the hard limit is too low. */
int evcurl_reserve_fds(long n_sockets, const char *model, struct rlimit *saved);
void evcurl_restore_fds(const struct rlimit *saved);

#endif
