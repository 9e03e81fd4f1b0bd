// SPDX-License-Identifier: MIT
/*
 * fd_limit.h - room for one socket per transfer in flight.
 *
 * An event loop holds one socket per transfer in flight, so C = 10,000
 * needs 10,000 descriptors, while most systems start a process with a
 * soft RLIMIT_NOFILE of 1,024. The soft limit may be raised up to the
 * hard one without privilege: fd_limit_reserve does that before a run
 * starts, or refuses a C the hard limit cannot hold (the run then starts
 * nothing), and fd_limit_restore gives the old limit back afterwards.
 *
 * Errors: fd_limit_reserve returns 0 or -1, and says why on stderr,
 * naming the limit.
 */
#ifndef CONCUR_FD_LIMIT_H
#define CONCUR_FD_LIMIT_H

#include <sys/resource.h>

/* Makes sure this process may open n_sockets more descriptors, raising
 * the soft RLIMIT_NOFILE up to the hard limit if needed; *saved receives
 * the limit to give back to fd_limit_restore. Returns -1 (said on stderr
 * as `model`, naming the limit) when even the hard limit is too low. */
int fd_limit_reserve(long n_sockets, const char *model, struct rlimit *saved);

/* Puts back the limit fd_limit_reserve saved. */
void fd_limit_restore(const struct rlimit *saved);

#endif
