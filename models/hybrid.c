// SPDX-License-Identifier: MIT
/*
 * hybrid.c - an event loop for the waiting, a thread pool for the work.
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
 * pool.lock, which is what makes the other thread's writes visible. Touch
 * a slot outside that order and you have a data race (make tsan).
 *
 * Threads: the loop is worker 0, pool threads are workers 1..P. A result
 * names the thread that finished it (the pool thread, when there was a
 * compute half), so the timeline shows one row per pool thread.
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

#include "common/clock.h"
#include "common/evcurl.h"
#include "common/execute.h"
#include "models/model.h"
#include "models/threads.h"

/* Tasks the feeder starts per loop iteration; see eventloop.c. */
#define FEED_BATCH 500

struct hybrid_state;

/* Per pool thread. */
struct pool_thread {
	int worker; /* 1..P */
	struct hybrid_state *hs;
};

/* The compute pool: a queue in, a queue out. Each task enters each queue
 * at most once, so both are plain arrays of n indices, never wrapped. */
struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work;	     /* signalled when todo grows or on stop */
	size_t *todo;		     /* guarded by lock: tasks to compute */
	size_t todo_head, todo_tail; /* guarded by lock */
	size_t *done;		     /* guarded by lock: computed, not yet seen
				     by the loop */
	size_t done_head, done_tail; /* guarded by lock */
	bool stop;		     /* guarded by lock: threads exit */
	ev_async wake;		     /* pool -> loop: done has news */
	struct pool_thread *threads; /* owned by the loop thread */
	pthread_t *tids;	     /* owned by the loop thread */
	int n_threads;
};

/* Global state of one run; lives on hybrid_run's stack. */
struct hybrid_state {
	struct batch *batch;
	const struct run_opts *opts;
	struct ev_loop *loop; /* the libev default loop */
	struct evcurl ec;     /* libcurl's multi handle and C slots */
	ev_timer feeder;      /* 0 s timer: starts tasks on the next turn */
	size_t next;	      /* loop only: first task not yet started */
	size_t finished;      /* loop only: tasks whose result is complete */
	struct pool pool;
};

/* ---- the pool threads -------------------------------------------------- */

/* Runs the compute half of task i on pool thread `worker`. Owns result i
 * from taking it off todo until putting it on done. */
static void pool_compute(struct hybrid_state *hs, size_t i, int worker)
{
	const struct task *t = &hs->batch->tasks[i];
	struct result *r = &hs->batch->results[i];
	if (t->type == TASK_COMPUTE) {
		r->start = clock_now() - hs->batch->t0;
		trace_event(hs->opts, "hybrid", worker, i, "start", r);
	}
	task_compute(t, r);
	r->worker = worker;
	r->end = clock_now() - hs->batch->t0;
}

static void *pool_thread_main(void *arg)
{
	struct pool_thread *pt = arg;
	struct pool *p = &pt->hs->pool;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->todo_head == p->todo_tail)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->todo_head == p->todo_tail)
			break; /* stop, and nothing left */
		size_t i = p->todo[p->todo_head++];
		pthread_mutex_unlock(&p->lock);
		pool_compute(pt->hs, i, pt->worker);
		pthread_mutex_lock(&p->lock);
		p->done[p->done_tail++] = i;
		/* Thread-safe by libev's promise; wakes the loop's async_cb. */
		ev_async_send(pt->hs->loop, &p->wake);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Loop thread: gives task i's compute half to the pool. */
static void pool_submit(struct pool *p, size_t i)
{
	pthread_mutex_lock(&p->lock);
	p->todo[p->todo_tail++] = i;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/* ---- the loop ----------------------------------------------------------- */

/* Task i is complete (its result final): trace it, count it. */
static void hybrid_finish_task(struct hybrid_state *hs, size_t i)
{
	struct result *r = &hs->batch->results[i];
	trace_event(hs->opts, "hybrid", r->worker, i, "done", r);
	if (++hs->finished == hs->batch->n)
		ev_break(hs->loop, EVBREAK_ALL);
}

/* libev, woken by ev_async_send: collect what the pool finished. */
static void async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	(void)loop;
	(void)revents;
	struct hybrid_state *hs =
		container_of(w, struct hybrid_state, pool.wake);
	struct pool *p = &hs->pool;
	pthread_mutex_lock(&p->lock);
	size_t from = p->done_head, to = p->done_tail;
	p->done_head = to;
	pthread_mutex_unlock(&p->lock);
	/* Entries [from, to) were written under the lock and are never
	 * written again: safe to read without it. */
	for (size_t k = from; k < to; k++)
		hybrid_finish_task(hs, p->done[k]);
}

/* Starts task i: a fetch goes to libcurl, a compute task to the pool. */
static void hybrid_start_task(struct hybrid_state *hs, size_t i)
{
	const struct task *t = &hs->batch->tasks[i];
	struct result *r = &hs->batch->results[i];
	if (t->type == TASK_COMPUTE) {
		pool_submit(&hs->pool, i);
		return;
	}
	r->worker = 0;
	r->start = clock_now() - hs->batch->t0;
	trace_event(hs->opts, "hybrid", 0, i, "start", r);
	if (evcurl_start(&hs->ec, i, t->url, r) != 0) {
		r->end = clock_now() - hs->batch->t0;
		hybrid_finish_task(hs, i); /* could not start: reason in r */
	}
}

static int hybrid_can_start(const struct hybrid_state *hs)
{
	if (hs->next >= hs->batch->n)
		return 0;
	return hs->batch->tasks[hs->next].type == TASK_COMPUTE ||
	       evcurl_has_slot(&hs->ec);
}

static void hybrid_kick(struct hybrid_state *hs)
{
	if (!ev_is_active(&hs->feeder) && hybrid_can_start(hs))
		ev_timer_start(hs->loop, &hs->feeder);
}

/* libev: the feeder's turn (as in eventloop.c). */
static void feed_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct hybrid_state *hs = container_of(w, struct hybrid_state, feeder);
	for (int k = 0; k < FEED_BATCH && hybrid_can_start(hs); k++)
		hybrid_start_task(hs, hs->next++);
	hybrid_kick(hs);
}

/* evcurl: task i's fetch ended. A mixed task whose fetch succeeded still
 * has its compute half: that goes to the pool, never onto the loop. */
static void hybrid_fetch_done(void *arg, size_t i)
{
	struct hybrid_state *hs = arg;
	struct result *r = &hs->batch->results[i];
	if (task_needs_compute(&hs->batch->tasks[i], r)) {
		pool_submit(&hs->pool, i);
	} else {
		r->end = clock_now() - hs->batch->t0;
		hybrid_finish_task(hs, i);
	}
	hybrid_kick(hs);
}

/* ---- set-up and tear-down ------------------------------------------------ */

/* Starts up to P pool threads (models/threads.h). Returns 0, or -1
 * (said on stderr) if not even one could be started. */
static int pool_start(struct hybrid_state *hs, int n_threads)
{
	struct pool *p = &hs->pool;
	size_t n = hs->batch->n ? hs->batch->n : 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->todo = calloc(n, sizeof(size_t));
	p->done = calloc(n, sizeof(size_t));
	p->threads = calloc((size_t)n_threads, sizeof(*p->threads));
	p->tids = calloc((size_t)n_threads, sizeof(*p->tids));
	if (!p->todo || !p->done || !p->threads || !p->tids) {
		fprintf(stderr, "hybrid: out of memory\n");
		return -1;
	}
	ev_async_init(&p->wake, async_cb);
	ev_async_start(hs->loop, &p->wake);
	for (int k = 0; k < n_threads; k++) {
		p->threads[k].worker = k + 1;
		p->threads[k].hs = hs;
	}
	/* Fewer than asked: the run goes on with those (reported). */
	p->n_threads =
		threads_start(p->tids, n_threads, pool_thread_main, p->threads,
			      sizeof(*p->threads), "hybrid", hs->opts->stats);
	return p->n_threads > 0 ? 0 : -1;
}

/* Tells the pool threads to finish their queue and exit; joins them. */
static void pool_stop(struct hybrid_state *hs)
{
	struct pool *p = &hs->pool;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	threads_join(p->tids, p->n_threads);
	if (hs->loop)
		ev_async_stop(hs->loop, &p->wake);
	free(p->todo);
	free(p->done);
	free(p->threads);
	free(p->tids);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
}

static size_t count_fetches(const struct batch *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += b->tasks[i].type != TASK_COMPUTE;
	return n;
}

static int hybrid_run(struct batch *batch, const struct run_opts *opts)
{
	double setup_start = clock_now();
	struct hybrid_state hs = {.batch = batch, .opts = opts};
	struct rlimit saved_fds;
	int status = -1;

	if (opts->workers < 1 || opts->cpu_workers < 1) {
		fprintf(stderr, "hybrid: --workers and --cpu-workers must be "
				"at least 1\n");
		return -1;
	}
	size_t n_fetch = count_fetches(batch);
	int slots =
		n_fetch < (size_t)opts->workers ? (int)n_fetch : opts->workers;
	if (evcurl_reserve_fds(slots, "hybrid", &saved_fds) != 0)
		return -1;
	hs.loop = evcurl_default_loop();
	if (!hs.loop) {
		fprintf(stderr, "hybrid: cannot create the libev loop\n");
		goto out;
	}
	if (evcurl_init(&hs.ec, hs.loop, slots > 0 ? slots : 1, n_fetch,
			&opts->fetch, hybrid_fetch_done, &hs) != 0)
		goto out;
	if (pool_start(&hs, opts->cpu_workers) == 0) {
		if (opts->stats) {
			opts->stats->setup_s = clock_now() - setup_start;
			opts->stats->workers_started = slots;
		}
		ev_timer_init(&hs.feeder, feed_cb, 0.0, 0.0);
		/* After sockets and libcurl's timer: see eventloop.c. */
		ev_set_priority(&hs.feeder, EV_MINPRI);
		hybrid_kick(&hs);
		if (batch->n > 0)
			ev_run(hs.loop, 0);
		ev_timer_stop(hs.loop, &hs.feeder);
		status = 0;
	}
	pool_stop(&hs);
	evcurl_cleanup(&hs.ec);
out:
	evcurl_restore_fds(&saved_fds);
	return status;
}

const struct model model_hybrid = {
	.name = "hybrid",
	.summary = "a libev loop for fetches, a thread pool for compute",
	.run = hybrid_run,
	.compute = COMPUTE_ON_POOL,
};
