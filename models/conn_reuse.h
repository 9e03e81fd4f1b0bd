// SPDX-License-Identifier: MIT
/*
 * conn_reuse.h - libcurl's connection reuse, set for many transfers in
 * flight on one multi handle (libcurl 7.88; leads from
 * ../shared/notes/libcurl-at-10k.md, checked here with perf).
 *
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
 *   search (libcurl's default bound moves with the handles added).
 *
 * Errors: conn_reuse_init returns 0, or -1 when memory ran out.
 */
#ifndef CONCUR_CONN_REUSE_H
#define CONCUR_CONN_REUSE_H

#include <curl/curl.h>
#include <stddef.h>

/* The settings chosen for one batch. */
struct conn_reuse {
	int one_shot;		    /* every fetch has a slot of its own */
	struct curl_slist *headers; /* owned: "Connection: close" when
				       one_shot, else NULL */
};

/* Chooses the settings for n_fetches fetches over `slots` easy handles
 * and sets the multi handle's part (MAXCONNECTS). Returns 0 or -1. */
int conn_reuse_init(struct conn_reuse *cr, CURLM *multi, int slots,
		    size_t n_fetches);

/* Sets one easy handle's part: FRESH_CONNECT, FORBID_REUSE, the header. */
void conn_reuse_apply(const struct conn_reuse *cr, CURL *easy);

/* Frees the header list: only after the easy handles using it. */
void conn_reuse_free(struct conn_reuse *cr);

#endif
