// SPDX-License-Identifier: MIT
/*
 * eventloop.h - the event loop of models/eventloop.c, for the models built
 * on it: models/hybrid.c runs the same loop and only sends the computing
 * to a pool of threads instead of doing it on the loop.
 *
 * Threads: everything here runs on the loop's thread, except
 * eventloop_compute, which runs on whichever thread owns the task's result
 * at that moment.
 *
 * Errors: as models/model.h: 0, or -1 when the loop could not run at all
 * (said on stderr; tasks it could not start stay not_run).
 */
#ifndef CONCUR_EVENTLOOP_H
#define CONCUR_EVENTLOOP_H

#include <ev.h>
#include <stddef.h>

#include "common/options.h"
#include "common/task.h"

/* The struct a watcher is embedded in, from the watcher libev hands a
 * callback: how every callback finds its context (no globals). */
#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr)-offsetof(type, member)))

/* One run of the loop: its libcurl multi handle, its watchers, its tasks
 * (defined in models/eventloop.c). */
struct eventloop_state;

/* How a model built on the loop computes somewhere else. The loop calls
 * all three on its own thread. */
struct eventloop_offload {
	/* Once the loop exists, before the first task starts: start the
	 * helpers and whatever they need watched on loop (an ev_async).
	 * Returns 0, or -1 (said on stderr): the run then starts no task. */
	int (*start)(void *arg, struct eventloop_state *el,
		     struct ev_loop *loop);
	/* Task i's compute half (all of a compute task, the second half of
	 * a mixed one), to run elsewhere with eventloop_compute and to hand
	 * back with eventloop_task_done, on the loop's thread. */
	void (*submit)(void *arg, size_t i);
	/* After the loop ended, or after start failed: stop, join, free. */
	void (*stop)(void *arg);
	void *arg; /* the model's own state */
	/* Optional (NULL: the loop runs the task as above). The model runs
	 * all of task i itself (models/coroutines.c): it fetches with
	 * eventloop_fetch_start, computes with eventloop_compute and ends
	 * with eventloop_task_done; submit is then never called. */
	void (*start_task)(void *arg, size_t i);
	/* With start_task: the fetch of task i ended, its result filled. */
	void (*fetched)(void *arg, size_t i);
};

/* Runs the batch on one libev loop with up to opts->workers fetches in
 * flight, as `model` (its name in messages and --trace lines). With
 * offload NULL, compute halves run on the loop itself (the eventloop
 * model); otherwise they go to offload->submit. */
int eventloop_run_with(struct batch *batch, const struct run_opts *opts,
		       const char *model, const struct eventloop_offload *off);

/* Runs task i's compute half on the calling thread as `worker` and fills
 * its result (start for a compute task, worker, end). The caller owns
 * result i until it hands the task back. */
void eventloop_compute(const struct eventloop_state *el, size_t i, int worker);

/* Loop thread only, with offload->start_task: hands task i's fetch to
 * libcurl (there is a free transfer whenever start_task is called).
 * Returns 0, offload->fetched follows; or -1, the reason in the result. */
int eventloop_fetch_start(struct eventloop_state *el, size_t i);

/* Loop thread only: task i's result is final. Traces it, counts it, and
 * ends the loop after the batch's last task. */
void eventloop_task_done(struct eventloop_state *el, size_t i);

#endif
