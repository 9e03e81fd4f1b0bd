// SPDX-License-Identifier: MIT
/*
 * rawclient.h - the cheapest possible HTTP client: one thread, epoll,
 * non-blocking sockets, http-parser for the answers, no libcurl. It is
 * the floor any model's fetches can be compared with ("raw epoll client"),
 * and the load that shows `concur serve` holding 10,000 connections.
 *
 * Errors: rawclient_run returns the wall time in seconds, or a negative
 * number when it could not run at all (no epoll); failed requests are
 * counted in the stats, not reported as errors.
 */
#ifndef CONCUR_RAWCLIENT_H
#define CONCUR_RAWCLIENT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* A request that sees no event for this long counts as failed. */
#define RAWCLIENT_STALL_S 30.0

struct rawclient_stats {
	long ok;	  /* complete answers with status < 400 */
	long http_errors; /* complete answers with status >= 400 */
	long failed;	  /* refused, reset, closed early, or stalled */
	long max_open;	  /* most connections open at once */
	uint64_t bytes;	  /* body bytes received */
};

/* Sends n GET requests for path (e.g. "/delay/1000") to host:port (an
 * IPv4 address), over at most `concurrency` connections open at once;
 * each connection is kept alive and reused while requests remain, so
 * with n == concurrency every connection carries exactly one request and
 * all of them are open at the same time. Raises RLIMIT_NOFILE to its hard
 * limit. Fills *st and returns the wall time in seconds. */
double rawclient_run(const char *host, int port, const char *path, long n,
		     int concurrency, struct rawclient_stats *st);

/* The address of host:port (an IPv4 address) and the GET request for
 * path in request[len]; the request's length, or -1 when host is not an
 * address or the request does not fit. Both raw clients use it. */
int rawclient_target(const char *host, int port, const char *path,
		     struct sockaddr_in *addr, char *request, size_t len);

/* Raises RLIMIT_NOFILE to its hard limit: one descriptor per connection. */
void rawclient_raise_nofile(void);

#endif
