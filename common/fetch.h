// SPDX-License-Identifier: MIT
/*
 * fetch.h - one HTTP GET over a libcurl easy handle, turned into a result.
 *
 * The caller owns the handle and reuses it, so connections are kept alive
 * between its fetches. Every handle gets CURLOPT_NOSIGNAL and the program
 * ignores SIGPIPE, so the same code is safe in threads.
 *
 * Blocking callers use fetch_blocking(). The event-loop models drive the
 * same handle through a multi handle: they call fetch_prepare(), add the
 * handle, and call fetch_finish() with the CURLcode libcurl reports, so
 * every model classifies errors the same way.
 */
#ifndef CONCUR_FETCH_H
#define CONCUR_FETCH_H

#include <curl/curl.h>
#include <stdint.h>

#include "common/options.h"
#include "common/task.h"

/* Per-transfer state the write callback fills. Lives as long as the
 * transfer; owned by whoever called fetch_prepare(). */
struct fetch_state {
	uint32_t crc;	  /* running CRC-32 of the body (zlib's) */
	uint64_t bytes;	  /* body bytes so far */
	int socket_errno; /* why socket() failed (EMFILE...), else 0 */
	char errbuf[CURL_ERROR_SIZE];
};

/* Once per process, before any thread or fork: curl_global_init and
 * SIGPIPE ignored. Returns 0 or -1. */
int fetch_global_init(void);

/* A new easy handle with the options every transfer shares; NULL on
 * failure. Free it with curl_easy_cleanup(). */
CURL *fetch_handle_new(void);

/* Points the handle at url, with the timeouts and the body callback. */
int fetch_prepare(CURL *h, const char *url, const struct fetch_opts *o,
		  struct fetch_state *st);

/* Fills r (kind, status, bytes, checksum, message) from a finished
 * transfer. Does not touch r->start, r->end or r->worker. */
void fetch_finish(CURL *h, CURLcode rc, const struct fetch_state *st,
		  struct result *r);

/* prepare + curl_easy_perform + finish. */
void fetch_blocking(CURL *h, const char *url, const struct fetch_opts *o,
		    struct result *r);

#endif
