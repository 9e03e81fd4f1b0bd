// SPDX-License-Identifier: MIT
/*
 * threads.h - the threads model's pool, for the models built on it:
 * models/gil.c runs its tasks on the same pool under a lock, and
 * models/hybrid.c starts its compute threads the same way.
 *
 * Errors: as models/model.h: 0, or -1 when the pool could not run at all
 * (said on stderr). A pool smaller than asked is not an error: it runs
 * with what it has and says which limit it hit (common/limits.h).
 */
#ifndef CONCUR_THREADS_H
#define CONCUR_THREADS_H

#include <curl/curl.h>
#include <pthread.h>
#include <stddef.h>

#include "common/options.h"
#include "common/task.h"

/* What a thread of the pool does with task i, on its own handle h: run it
 * to completion, as task_execute() does, and fill its result. `arg` is the
 * model's own state (gil.c's lock), the same for every task. */
typedef void (*threads_task_fn)(void *arg, struct batch *batch, size_t i,
				CURL *h, const struct run_opts *opts,
				int worker);

/* Runs the batch on a pool of C threads (fewer when N < C) that take task
 * indices from one atomic counter and call task(arg, ...) on each; fills
 * opts->stats' setup_s and workers_started. `model` names the model in
 * messages. */
int threads_pool_run(struct batch *batch, const struct run_opts *opts,
		     const char *model, threads_task_fn task, void *arg);

/* Starts up to `want` threads with the small stack of
 * common/thread_stack.h; thread i runs fn on the i-th of the arg_size-byte
 * structs at args. Stops at the first pthread_create that fails and says
 * why, as `model` (stderr and stats->note). Returns how many started. */
int threads_start(pthread_t *tids, int want, void *(*fn)(void *), void *args,
		  size_t arg_size, const char *model, struct run_stats *stats);

/* Waits for the first n threads of tids to end. */
void threads_join(pthread_t *tids, int n);

#endif
