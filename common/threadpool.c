// SPDX-License-Identifier: MIT
/* threadpool.c - create C threads with a small stack; join them. */
#include "common/threadpool.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/limits.h"

int threadpool_size(int workers, size_t n)
{
	if (n == 0)
		return 0;
	if (workers < 1)
		workers = 1;
	return (size_t)workers > n ? (int)n : workers;
}

int threadpool_start(pthread_t *tids, int want, void *(*fn)(void *), void *args,
		     size_t arg_size, const char *model,
		     struct run_stats *stats)
{
	pthread_attr_t attr;
	size_t stack = THREADPOOL_STACK;
	int rc = pthread_attr_init(&attr);
	if (rc != 0) {
		fprintf(stderr, "%s: pthread_attr_init: %s\n", model,
			strerror(rc));
		return 0;
	}
	if (stack < (size_t)PTHREAD_STACK_MIN)
		stack = PTHREAD_STACK_MIN;
	pthread_attr_setstacksize(&attr, stack);
	int started = 0;
	for (; started < want; started++) {
		void *arg = (char *)args + (size_t)started * arg_size;
		rc = pthread_create(&tids[started], &attr, fn, arg);
		if (rc != 0) {
			limits_report(model, "pthread_create", rc, started,
				      want, stats);
			break;
		}
	}
	pthread_attr_destroy(&attr);
	return started;
}

void threadpool_join(pthread_t *tids, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}
