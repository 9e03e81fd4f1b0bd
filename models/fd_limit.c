// SPDX-License-Identifier: MIT
/*
 * fd_limit.c - raising RLIMIT_NOFILE for many sockets (see fd_limit.h).
 */
#include "models/fd_limit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Descriptors besides the sockets: stdio, the loop's epoll and eventfd,
 * libcurl's wake-up pair, the server's pipe, a test's files. */
#define FD_LIMIT_SPARE 64

int fd_limit_reserve(long n_sockets, const char *model, struct rlimit *saved)
{
	if (getrlimit(RLIMIT_NOFILE, saved) != 0) {
		fprintf(stderr, "%s: getrlimit: %s\n", model, strerror(errno));
		return -1;
	}
	rlim_t need = (rlim_t)n_sockets + FD_LIMIT_SPARE;
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

void fd_limit_restore(const struct rlimit *saved)
{
	setrlimit(RLIMIT_NOFILE, saved);
}
