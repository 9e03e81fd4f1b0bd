// SPDX-License-Identifier: MIT
/*
 * uringclient.h - the raw client of rawclient.h again, on io_uring instead
 * of epoll: completion instead of readiness. Each request is a chain of
 * linked submissions (socket -> connect -> send -> recv) and its close;
 * a whole batch of them goes to the kernel in one io_uring_enter
 * (io_uring_submit_and_wait), so the system calls per transfer fall far
 * below epoll's (bench case c10k-uring; lesson "select -> poll -> epoll ->
 * io_uring").
 *
 * The probe: io_uring_queue_init and one NOP; IORING_OP_SOCKET needs
 * kernel 5.19, and where the kernel refuses it the chain starts with
 * socket(2) instead (CONCUR_URING_NO_SOCKET_OP=1 forces that path);
 * where io_uring is refused altogether (old kernel, a seccomp profile such
 * as Docker's default, kernel.io_uring_disabled; CONCUR_URING_REFUSE=1
 * forces it) the probe says why in one line.
 *
 * Errors: uringclient_run returns the wall time in seconds, or a negative
 * number (reason in `why`) when io_uring could not run at all; failed
 * requests are counted in the stats, as rawclient_run counts them.
 */
#ifndef CONCUR_URINGCLIENT_H
#define CONCUR_URINGCLIENT_H

#include <stddef.h>

#include "harness/bench/rawclient.h"

enum uring_support {
	URING_REFUSED,	 /* no io_uring at all: `why` says why */
	URING_NO_SOCKET, /* io_uring without IORING_OP_SOCKET: socket(2) */
	URING_FULL,	 /* every op of the chain */
};

/* What this kernel (and process) allows; `why` gets one line when it is
 * less than URING_FULL. */
enum uring_support uringclient_probe(char *why, size_t len);

/* The words for a support level: "io_uring", "io_uring+socket(2)",
 * "refused". */
const char *uringclient_support_name(enum uring_support s);

/* As rawclient_run, but one connection per request (never reused) and on
 * io_uring; *used tells which path ran. Raises RLIMIT_NOFILE to its hard
 * limit. */
double uringclient_run(const char *host, int port, const char *path, long n,
		       int concurrency, struct rawclient_stats *st,
		       enum uring_support *used, char *why, size_t len);

#endif
