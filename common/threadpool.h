// SPDX-License-Identifier: MIT
/*
 * threadpool.h - starting and joining the pool of threads that the threads
 * and gil models share: up to C threads, each with a small explicit stack,
 * and an honest answer when the machine allows fewer.
 *
 * Why a small stack: glibc gives every thread RLIMIT_STACK (usually 8 MiB)
 * of address space. That is reserved, not used, but with 1,000 threads it
 * is 8 GiB of mappings, and a 32-bit or overcommit-strict machine refuses
 * long before. A worker here needs a few KiB (libcurl keeps its buffers on
 * the heap), so THREADPOOL_STACK is plenty and 1,000+ threads fit
 * anywhere.
 *
 * Errors: threadpool_start() returns how many threads it started; when
 * fewer than asked it has said why (common/limits.h).
 */
#ifndef CONCUR_THREADPOOL_H
#define CONCUR_THREADPOOL_H

#include <pthread.h>
#include <stddef.h>

#include "common/options.h"

/* 256 KiB: ample for a task (a libcurl fetch, the deepest, used about
 * 13 KiB when measured with a stack painted beforehand), 32 times less
 * address space than the default 8 MiB. */
#define THREADPOOL_STACK ((size_t)256 * 1024)

/* Starts up to `want` threads; thread i runs fn(args + i * arg_size).
 * Stops at the first pthread_create failure and reports it as `model`
 * (stderr and stats->note). Returns the number started (0 to want). */
int threadpool_start(pthread_t *tids, int want, void *(*fn)(void *), void *args,
		     size_t arg_size, const char *model,
		     struct run_stats *stats);

/* Joins the first n threads of tids. */
void threadpool_join(pthread_t *tids, int n);

/* The number of threads a run of n tasks at C workers needs: C, but never
 * more than n (a thread with no task would only cost its creation), and at
 * least 1 when there is work. */
int threadpool_size(int workers, size_t n);

#endif
