// SPDX-License-Identifier: MIT
/*
 * threads.c - a pool of C pthreads taking task indices from one shared
 * atomic counter.
 *
 * The lesson: threads share the whole address space, so handing out work
 * is one atomic add on a counter they all see, and each thread writes its
 * results straight into the batch. Creating a thread costs tens of
 * microseconds (common/spawn_cost.c measures it), waiting for I/O costs
 * nothing, and compute runs on every core at once: in C there is no lock
 * around an interpreter to stop it (compare models/gil.c).
 *
 * Watch for: a data race. Everything a thread touches is either its own
 * (its CURL handle, its result slots), read-only (the tasks, the options)
 * or atomic (the counter); `make tsan` checks that it stays that way.
 *
 * Run it:  build/concur run --models sequential,threads --workers 8
 *          and see fetch wall time fall about 8 times, and compute wall
 *          time fall by the number of cores.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/threadpool.h"
#include "models/model.h"

/* What all the threads share. */
struct threads_pool {
	struct batch *batch;	     /* read-only, except each result slot,
					which only the thread that took its
					index writes */
	const struct run_opts *opts; /* read-only */
	atomic_size_t next;	     /* the next task index to hand out */
};

/* One thread's own arguments; owned by threads_run until join. */
struct threads_worker {
	struct threads_pool *pool;
	int id; /* 0..C-1, shown in traces and results */
};

/* The worker: take the next index until none is left. A relaxed add is
 * enough: it only has to give each index to exactly one thread, and the
 * results reach the caller through pthread_join, which orders memory. */
static void *threads_worker_main(void *arg)
{
	struct threads_worker *w = arg;
	struct threads_pool *pool = w->pool;
	/* Owned by this thread for the whole run, so its connection is kept
	 * alive from one fetch to the next. NULL only if memory ran out; the
	 * fetches then fail with a message and compute still runs. */
	CURL *h = fetch_handle_new();
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&pool->next, 1,
						     memory_order_relaxed);
		if (i >= pool->batch->n)
			break;
		task_execute(pool->batch, i, h, pool->opts, "threads", w->id);
	}
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

static int threads_run(struct batch *batch, const struct run_opts *opts)
{
	struct threads_pool pool = {.batch = batch, .opts = opts};
	atomic_init(&pool.next, 0);
	/* With more workers than tasks only N threads are created: the
	 * others would find the counter past the end and exit at once. */
	int want = threadpool_size(opts->workers, batch->n);
	pthread_t *tids = calloc((size_t)want + 1, sizeof(*tids));
	struct threads_worker *ws = calloc((size_t)want + 1, sizeof(*ws));
	if (!tids || !ws) {
		fprintf(stderr, "threads: out of memory for %d threads\n",
			want);
		free(tids);
		free(ws);
		return -1;
	}
	for (int i = 0; i < want; i++)
		ws[i] = (struct threads_worker){.pool = &pool, .id = i};

	/* Each thread gets a 256 KiB stack, not glibc's 8 MiB, so 1,000+
	 * fit (common/threadpool.h); if the machine still says no part-way,
	 * the run goes on with the threads it has and says which limit. */
	double setup_start = clock_now();
	int started = threadpool_start(tids, want, threads_worker_main, ws,
				       sizeof(*ws), "threads", opts->stats);
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = started;
	}
	/* The threads already running take every task, however few they
	 * are; only with none at all is the batch left not_run. */
	threadpool_join(tids, started);
	free(tids);
	free(ws);
	return started > 0 || want == 0 ? 0 : -1;
}

const struct model model_threads = {
	.name = "threads",
	.summary = "a pool of C pthreads sharing an atomic task counter",
	.run = threads_run,
	.compute = COMPUTE_ON_WORKERS,
};
