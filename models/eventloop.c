// SPDX-License-Identifier: MIT
/*
 * eventloop.c - one thread, one libev loop, up to C fetches in flight.
 *
 * The lesson: concurrency without threads. A fetch spends almost all its
 * time waiting, and a wait costs an event loop one socket and a few KiB,
 * not a thread; so one thread keeps thousands of requests in flight and a
 * batch of N waits of d ms takes about ceil(N/C) x d. This is Python's
 * asyncio: one loop, callbacks instead of blocking calls.
 *
 * Watch for: a blocked loop. Compute tasks, and the compute half of mixed
 * tasks, run inline on the loop thread: while one computes, not one socket
 * is served and every transfer in flight stalls. The results show it
 * (--workloads compute: no speedup at any C); models/hybrid.c is the fix.
 *
 * How it is built: the libev default loop drives libcurl's multi_socket
 * API. That glue (one ev_io per socket, one ev_timer, the finished-transfer
 * drain) is in common/evcurl.c, shared with hybrid.c; this file decides
 * what runs when: a "feeder" starts tasks while fewer than C are in
 * flight, and each finished transfer frees its slot for the next.
 *
 * Run it:  build/concur run --models sequential,eventloop --tasks 200 \
 *              --workers 200 --delay 500
 *          and see about 0.5 s instead of 100 s, on one thread.
 */
#include <stdio.h>

#include "common/clock.h"
#include "common/evcurl.h"
#include "common/execute.h"
#include "models/model.h"

/* Tasks the feeder starts per loop iteration. Started all at once, 10,000
 * transfers make libcurl issue 10,000 connects before the loop sends a
 * single request, and every transfer's state (170 MB in all) is walked
 * twice. In batches, the first requests reach the server while later
 * connects are still being made, and a batch's state is likely still in
 * the cache when its sockets turn writable. Measured at 10,000 in flight
 * (8 alternated runs): median 2.69 s all at once, 2.22 s in batches of
 * 500; batches of 1,000 and 2,500 fell in between. */
#define FEED_BATCH 500

/* Global state of one run; lives on eventloop_run's stack. */
struct loop_state {
	struct batch *batch;
	const struct run_opts *opts;
	struct ev_loop *loop; /* the libev default loop */
	struct evcurl ec;     /* libcurl's multi handle and C slots */
	ev_timer feeder;      /* 0 s timer: starts tasks on the next turn */
	size_t next;	      /* first task not yet started */
	size_t finished;      /* tasks whose result is complete */
};

/* Completes task i: its compute half (if any) runs here, on the loop,
 * and blocks every transfer in flight until it returns. */
static void loop_finish_task(struct loop_state *ls, size_t i)
{
	struct result *r = &ls->batch->results[i];
	task_compute(&ls->batch->tasks[i], r);
	r->end = clock_now() - ls->batch->t0;
	trace_event(ls->opts, "eventloop", 0, i, "done", r);
	if (++ls->finished == ls->batch->n)
		ev_break(ls->loop, EVBREAK_ALL);
}

/* Starts task i: a compute task runs to completion right away; a fetch
 * is handed to libcurl and finishes in loop_fetch_done. */
static void loop_start_task(struct loop_state *ls, size_t i)
{
	const struct task *t = &ls->batch->tasks[i];
	struct result *r = &ls->batch->results[i];
	r->worker = 0; /* the loop is the only worker */
	r->start = clock_now() - ls->batch->t0;
	trace_event(ls->opts, "eventloop", 0, i, "start", r);
	/* A compute task is finished right here, and so is a fetch libcurl
	 * could not start (the reason is in r); the others end in
	 * loop_fetch_done. */
	if (t->type == TASK_COMPUTE || evcurl_start(&ls->ec, i, t->url, r) != 0)
		loop_finish_task(ls, i);
}

/* Can the next task start now? A fetch needs a free slot. */
static int loop_can_start(const struct loop_state *ls)
{
	if (ls->next >= ls->batch->n)
		return 0;
	return ls->batch->tasks[ls->next].type == TASK_COMPUTE ||
	       evcurl_has_slot(&ls->ec);
}

/* Arms the feeder for the next loop iteration if there is work for it. */
static void loop_kick(struct loop_state *ls)
{
	if (!ev_is_active(&ls->feeder) && loop_can_start(ls))
		ev_timer_start(ls->loop, &ls->feeder);
}

/* libev: the feeder's turn. Starts up to FEED_BATCH tasks, then lets the
 * loop serve sockets before starting more. */
static void feed_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct loop_state *ls = container_of(w, struct loop_state, feeder);
	for (int k = 0; k < FEED_BATCH && loop_can_start(ls); k++)
		loop_start_task(ls, ls->next++);
	loop_kick(ls);
}

/* evcurl: task i's fetch ended and its result is filled; its slot is free
 * again, so the feeder may start the next task. */
static void loop_fetch_done(void *arg, size_t i)
{
	struct loop_state *ls = arg;
	loop_finish_task(ls, i);
	loop_kick(ls);
}

/* How many tasks fetch (fetch and mixed): slots beyond that are waste. */
static size_t count_fetches(const struct batch *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += b->tasks[i].type != TASK_COMPUTE;
	return n;
}

static int eventloop_run(struct batch *batch, const struct run_opts *opts)
{
	double setup_start = clock_now();
	struct loop_state ls = {.batch = batch, .opts = opts};
	struct rlimit saved_fds;

	if (opts->workers < 1) {
		fprintf(stderr, "eventloop: --workers must be at least 1\n");
		return -1;
	}
	/* One socket per transfer in flight (C, or fewer when there are
	 * fewer fetches): refuse what the process could not hold, before
	 * starting anything. */
	size_t n_fetch = count_fetches(batch);
	int slots =
		n_fetch < (size_t)opts->workers ? (int)n_fetch : opts->workers;
	if (evcurl_reserve_fds(slots, "eventloop", &saved_fds) != 0)
		return -1;
	ls.loop = evcurl_default_loop();
	if (!ls.loop) {
		fprintf(stderr, "eventloop: cannot create the libev loop\n");
		goto fail;
	}
	if (evcurl_init(&ls.ec, ls.loop, slots > 0 ? slots : 1, n_fetch,
			&opts->fetch, loop_fetch_done, &ls) != 0)
		goto fail;
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = slots;
	}
	ev_timer_init(&ls.feeder, feed_cb, 0.0, 0.0);
	/* Lowest priority: in each loop iteration the sockets and libcurl's
	 * own timer are served first, so the transfers started last time
	 * connect and send before the next batch is added. (Adding re-arms
	 * libcurl's timer; run first, the feeder would keep cancelling it and
	 * no connect would start until the last handle was added.) */
	ev_set_priority(&ls.feeder, EV_MINPRI);
	loop_kick(&ls);
	if (batch->n > 0)
		ev_run(ls.loop, 0);
	ev_timer_stop(ls.loop, &ls.feeder);
	evcurl_cleanup(&ls.ec);
	evcurl_restore_fds(&saved_fds);
	return 0;
fail:
	evcurl_restore_fds(&saved_fds);
	return -1;
}

const struct model model_eventloop = {
	.name = "eventloop",
	.summary = "one thread, a libev loop driving libcurl: asyncio in C",
	.run = eventloop_run,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
