// SPDX-License-Identifier: MIT
/*
 * hybrid.c - the event loop of eventloop.c for the waiting, a pool of
 * threads for the work, and an ev_async between them.
 *
 * The lesson: each tool for its job. One libev loop keeps up to C fetches
 * in flight (--workers), exactly as in eventloop.c; computing is handed to
 * a pool of P threads (--cpu-workers) through a queue, and each finished
 * computation comes back to the loop through an ev_async. The loop never
 * computes, so it never stops serving sockets, and the pool uses every
 * core. This is asyncio's run_in_executor, and libuv's thread pool.
 *
 * Watch for: the hand-off between threads. A task's result slot is
 * written by the loop (the fetch half), then by one pool thread (the
 * compute half), then read by the loop again; each hand-over goes through
 * hs->lock, which is what makes the other thread's writes visible. Touch
 * a slot outside that order and you have a data race (make tsan).
 * The loop is worker 0, pool threads are workers 1..P: a result names the
 * thread that finished it, so the timeline shows one row per pool thread.
 *
 * Run it:  build/concur run --models eventloop,hybrid --workloads mixed \
 *              --tasks 200 --workers 50 --cpu-workers 2
 *          and see hybrid near the ideal while eventloop pays for every
 *          compute with stalled fetches.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/eventloop.h"
#include "models/model.h"
#include "models/threads.h"

/* ---- state ---- */

/* Per pool thread: its arguments. */
struct hybrid_worker {
	int id;			 /* 1..P: the loop is worker 0 */
	struct hybrid_state *hs; /* read-only */
};

/* Global: the compute pool of one run, on hybrid_run's stack. Each task
 * enters each queue at most once, so both are plain arrays of n indices,
 * never wrapped. */
struct hybrid_state {
	struct batch *batch;	     /* read-only */
	const struct run_opts *opts; /* read-only */
	struct eventloop_state *el;  /* read-only once the pool runs */
	struct ev_loop *loop;	     /* read-only once the pool runs */
	pthread_mutex_t lock;
	pthread_cond_t work;	     /* signalled when todo grows or on stop */
	size_t *todo;		     /* guarded by lock: tasks to compute */
	size_t todo_head, todo_tail; /* guarded by lock */
	size_t *done;		     /* guarded by lock: computed, not yet seen
					by the loop */
	size_t done_head, done_tail; /* guarded by lock */
	bool stop;		     /* guarded by lock: threads exit */
	ev_async wake; /* pool -> loop: done has news (ev_async_send is
			  thread-safe) */
	struct hybrid_worker *workers; /* loop thread only */
	pthread_t *tids;	       /* loop thread only */
	int n_threads;		       /* loop thread only */
};

/* ---- the pool threads and the ev_async ---- */

/* A pool thread: takes a task off todo, computes it, puts it on done and
 * wakes the loop. Owns the task's result from todo until done. */
static void *hybrid_worker_main(void *arg)
{
	struct hybrid_worker *w = arg;
	struct hybrid_state *hs = w->hs;
	pthread_mutex_lock(&hs->lock);
	for (;;) {
		while (!hs->stop && hs->todo_head == hs->todo_tail)
			pthread_cond_wait(&hs->work, &hs->lock);
		if (hs->todo_head == hs->todo_tail)
			break; /* stop, and nothing left */
		size_t i = hs->todo[hs->todo_head++];
		pthread_mutex_unlock(&hs->lock);
		eventloop_compute(hs->el, i, w->id);
		pthread_mutex_lock(&hs->lock);
		hs->done[hs->done_tail++] = i;
		/* Safe from any thread (ev(3), "ev_async"); wakes
		 * hybrid_async_cb on the loop. */
		ev_async_send(hs->loop, &hs->wake);
	}
	pthread_mutex_unlock(&hs->lock);
	return NULL;
}

/* The loop's offload->submit: gives task i's compute half to the pool. */
static void hybrid_submit(void *arg, size_t i)
{
	struct hybrid_state *hs = arg;
	pthread_mutex_lock(&hs->lock);
	hs->todo[hs->todo_tail++] = i;
	pthread_cond_signal(&hs->work);
	pthread_mutex_unlock(&hs->lock);
}

/* ev_async (hs->wake), woken by ev_async_send: hands what the pool
 * finished back to the loop. */
static void hybrid_async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	(void)loop;
	(void)revents;
	struct hybrid_state *hs = container_of(w, struct hybrid_state, wake);
	pthread_mutex_lock(&hs->lock);
	size_t from = hs->done_head, to = hs->done_tail;
	hs->done_head = to;
	pthread_mutex_unlock(&hs->lock);
	/* Entries [from, to) were written under the lock and are never
	 * written again: safe to read without it. */
	for (size_t k = from; k < to; k++)
		eventloop_task_done(hs->el, hs->done[k]);
}

/* ---- the run function ---- */

/* The loop's offload->start: the queues, the ev_async, and up to P pool
 * threads (models/threads.h). Returns 0, or -1 (said on stderr) if
 * not even one thread could be started. */
static int hybrid_start(void *arg, struct eventloop_state *el,
			struct ev_loop *loop)
{
	struct hybrid_state *hs = arg;
	int n_threads = hs->opts->hybrid.cpu_workers;
	size_t n = hs->batch->n ? hs->batch->n : 1;
	hs->el = el;
	hs->loop = loop;
	pthread_mutex_init(&hs->lock, NULL);
	pthread_cond_init(&hs->work, NULL);
	hs->todo = calloc(n, sizeof(size_t));
	hs->done = calloc(n, sizeof(size_t));
	hs->workers = calloc((size_t)n_threads, sizeof(*hs->workers));
	hs->tids = calloc((size_t)n_threads, sizeof(*hs->tids));
	if (!hs->todo || !hs->done || !hs->workers || !hs->tids) {
		fprintf(stderr, "hybrid: out of memory\n");
		return -1;
	}
	ev_async_init(&hs->wake, hybrid_async_cb);
	ev_async_start(loop, &hs->wake);
	for (int k = 0; k < n_threads; k++) {
		hs->workers[k].id = k + 1;
		hs->workers[k].hs = hs;
	}
	/* Fewer than asked: the run goes on with those (reported). */
	hs->n_threads = threads_start(hs->tids, n_threads, hybrid_worker_main,
				      hs->workers, sizeof(*hs->workers),
				      "hybrid", hs->opts->stats);
	return hs->n_threads > 0 ? 0 : -1;
}

/* The loop's offload->stop: tells the pool threads to finish their queue
 * and exit, joins them, frees the queues. */
static void hybrid_stop(void *arg)
{
	struct hybrid_state *hs = arg;
	pthread_mutex_lock(&hs->lock);
	hs->stop = true;
	pthread_cond_broadcast(&hs->work);
	pthread_mutex_unlock(&hs->lock);
	threads_join(hs->tids, hs->n_threads);
	ev_async_stop(hs->loop, &hs->wake);
	free(hs->todo);
	free(hs->done);
	free(hs->workers);
	free(hs->tids);
	pthread_cond_destroy(&hs->work);
	pthread_mutex_destroy(&hs->lock);
}

static int hybrid_run(struct batch *batch, const struct run_opts *opts)
{
	if (opts->workers < 1 || opts->hybrid.cpu_workers < 1) {
		fprintf(stderr, "hybrid: --workers and --cpu-workers must be "
				"at least 1\n");
		return -1;
	}
	struct hybrid_state hs = {.batch = batch, .opts = opts};
	/* eventloop.c's loop, with the compute halves sent to the pool. */
	const struct eventloop_offload pool = {
		.start = hybrid_start,
		.submit = hybrid_submit,
		.stop = hybrid_stop,
		.arg = &hs,
	};
	return eventloop_run_with(batch, opts, "hybrid", &pool);
}

const struct model model_hybrid = {
	.name = "hybrid",
	.summary = "a libev loop for fetches, a thread pool for compute",
	.run = hybrid_run,
	.flags = MODEL_NO_SHARED,
	.compute = COMPUTE_ON_POOL,
};
