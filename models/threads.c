// SPDX-License-Identifier: MIT
/*
 * threads.c - a pool of C pthreads taking task indices from one shared
 * atomic counter.
 *
 * The lesson: threads share the whole address space, so handing out work
 * is one atomic add on a counter they all see, and each thread writes its
 * results straight into the batch. Creating a thread costs tens of
 * microseconds (harness/run/spawn_cost.c measures it), waiting for I/O costs
 * nothing, and compute runs on every core at once: in C there is no lock
 * around an interpreter to stop it (compare models/gil.c, which runs this
 * same pool under one).
 *
 * Watch for: a data race. Everything a thread touches is either its own
 * (its CURL handle, its result slots), read-only (the tasks, the options)
 * or atomic (the counter); `make tsan` checks that it stays that way.
 * The shared workload breaks the rule on purpose: its counter is on the
 * heap every thread sees, and --sync none adds to it with no lock at all
 * (common/shared.c): the run loses updates and fails verification.
 *
 * Run it:  build/concur run --models sequential,threads --workers 8
 *          and see fetch wall time fall about 8 times, and compute wall
 *          time fall by the number of cores.
 */
#include "models/threads.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/limits.h"
#include "common/shared.h"
#include "common/thread_stack.h"
#include "models/model.h"

/* ---- state ---- */

/* What all the threads share; on threads_pool_run's stack until the join. */
struct threads_state {
	struct batch *batch;	     /* read-only, except each result slot,
					which only the thread that took its
					index writes */
	const struct run_opts *opts; /* read-only */
	atomic_size_t next;	     /* shared: the next task index to hand
					out, taken with an atomic add */
	threads_task_fn task;	     /* read-only: what a thread does with
					one task */
	void *arg;		     /* read-only: the task function's own */
};

/* One thread's own arguments. */
struct threads_worker {
	struct threads_state *s; /* owned by the worker until join */
	int id;			 /* 0..C-1, shown in traces and results */
};

/* ---- the worker ---- */

/* The threads model's task: run it to completion on this thread. */
static void threads_task(void *arg, struct batch *batch, size_t i, CURL *h,
			 const struct run_opts *opts, int worker)
{
	(void)arg;
	task_execute(batch, i, h, opts, "threads", worker);
}

/* The worker: take the next index until none is left. A relaxed add is
 * enough: it only has to give each index to exactly one thread, and the
 * results reach the caller through pthread_join, which orders memory. */
static void *threads_worker_main(void *arg)
{
	struct threads_worker *w = arg;
	struct threads_state *s = w->s;
	/* Owned by this thread for the whole run, so its connection is kept
	 * alive from one fetch to the next. NULL only if memory ran out; the
	 * fetches then fail with a message and compute still runs. */
	CURL *h = fetch_handle_new();
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&s->next, 1,
						     memory_order_relaxed);
		if (i >= s->batch->n)
			break;
		s->task(s->arg, s->batch, i, h, s->opts, w->id);
	}
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

/* ---- the run function ---- */

/* Creates the pool: thread i runs fn on its own arguments, the i-th
 * arg_size-byte struct at args (models/threads.h; hybrid.c starts its
 * compute threads here too). Returns how many threads started. */
int threads_start(pthread_t *tids, int want, void *(*fn)(void *), void *args,
		  size_t arg_size, const char *model, struct run_stats *stats)
{
	/* Each thread gets a 256 KiB stack, not glibc's 8 MiB, so 1,000+
	 * fit (common/thread_stack.h). */
	pthread_attr_t attr;
	int rc = thread_stack_attr_init(&attr);
	if (rc != 0) {
		fprintf(stderr, "%s: pthread_attr_init: %s\n", model,
			strerror(rc));
		return 0;
	}
	int started = 0;
	for (; started < want; started++) {
		void *arg = (char *)args + (size_t)started * arg_size;
		rc = pthread_create(&tids[started], &attr, fn, arg);
		if (rc != 0) {
			/* The machine said no part-way: go on with the
			 * threads we have, and say which limit it was. */
			limits_report(model, "pthread_create", rc, started,
				      want, stats);
			break;
		}
	}
	pthread_attr_destroy(&attr);
	return started;
}

/* Waits for every thread started; after it, all they wrote is ours. */
void threads_join(pthread_t *tids, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}

/* A batch with shared tasks gets its state for this run: a slot for each
 * of the `want` threads, the strategy of --sync. Returns 0 or -1. */
static int threads_share(struct batch *batch, const struct run_opts *opts,
			 int want, const char *model)
{
	batch->shared = NULL;
	if (!shared_batch_has(batch))
		return 0;
	batch->shared = shared_state_new(want, opts->sync);
	if (batch->shared)
		return 0;
	fprintf(stderr, "%s: cannot set up the shared counter\n", model);
	return -1;
}

int threads_pool_run(struct batch *batch, const struct run_opts *opts,
		     const char *model, threads_task_fn task, void *arg)
{
	struct threads_state s = {
		.batch = batch, .opts = opts, .task = task, .arg = arg};
	atomic_init(&s.next, 0);
	/* With more workers than tasks only N threads are created: the
	 * others would find the counter past the end and exit at once. */
	int want = limits_pool_size(opts->workers, batch->n);
	pthread_t *tids = calloc((size_t)want + 1, sizeof(*tids));
	struct threads_worker *ws = calloc((size_t)want + 1, sizeof(*ws));
	if (!tids || !ws) {
		fprintf(stderr, "%s: out of memory for %d threads\n", model,
			want);
		free(tids);
		free(ws);
		return -1;
	}
	for (int i = 0; i < want; i++)
		ws[i] = (struct threads_worker){.s = &s, .id = i};
	/* The shared workload's counter: on the heap, which every thread
	 * of the process sees, so sharing it is passing a pointer. */
	if (threads_share(batch, opts, want, model) != 0) {
		free(tids);
		free(ws);
		return -1;
	}

	double setup_start = clock_now();
	int started = threads_start(tids, want, threads_worker_main, ws,
				    sizeof(*ws), model, opts->stats);
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = started;
	}
	/* The threads already running take every task, however few they
	 * are; only with none at all is the batch left not_run. */
	threads_join(tids, started);
	shared_finish(batch); /* after the join: the total is final */
	shared_state_free(batch->shared);
	batch->shared = NULL;
	free(tids);
	free(ws);
	return started > 0 || want == 0 ? 0 : -1;
}

static int threads_run(struct batch *batch, const struct run_opts *opts)
{
	return threads_pool_run(batch, opts, "threads", threads_task, NULL);
}

const struct model model_threads = {
	.name = "threads",
	.summary = "a pool of C pthreads sharing an atomic task counter",
	.run = threads_run,
	.compute = COMPUTE_ON_WORKERS,
};
