// SPDX-License-Identifier: MIT
/*
 * coroutines.c - one thread, eventloop.c's libev loop driving libcurl, and
 * each task written as straight-line code: fetch(url), then compute. The
 * fetch suspends the task's coroutine until libcurl has the answer; the
 * loop serves the other transfers meanwhile and resumes it.
 *
 * The lesson: async/await is a loop plus coroutines. eventloop.c splits
 * a task into callbacks (start the transfer; when it ends, compute); here
 * the same task reads top to bottom, as a Python programmer writes
 *     body = await session.get(url)      # fetch suspends here
 *     checksum = compute(body)
 * Each task has its own small stack (--stack-kib, 64 KiB by default) so
 * its locals survive the wait; one switch (--switch asm|ucontext) costs a
 * few nanoseconds, not the microseconds of a thread hand-off
 * (`concur bench coro`).
 *
 * Watch for: the same blocked loop as eventloop. Only fetch yields: a
 * task that computes, sleeps or reads a file blocks every other task, as
 * a time.sleep() inside an async def does (--block-ms N makes task 0
 * sleep N ms after its fetch: lesson "async/await" measures the stall). And a stack is small and fixed:
 * a task that recurses too deep hits its guard page; it is reported as
 * crashed and its coroutine abandoned, the others go on (an overflow in
 * the middle of a libc call may leave that call's lock held: the
 * containment is for the lesson, not for production).
 *
 * Run it:  build/concur run --models eventloop,coroutines --tasks 200 \
 *              --workers 200 --delay 500 --workloads fetch,mixed
 *          and see the same time as eventloop, on one thread.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "common/execute.h"
#include "common/shared.h"
#include "models/coro_switch.h"
#include "models/eventloop.h"
#include "models/model.h"

/* ---- state ---- */

/* Per task in flight: its coroutine. Reused for a later task once this
 * one has finished, stack and all. */
struct coroutine {
	struct coro coro;	     /* owned: stack, saved registers */
	struct coroutines_state *s;  /* back to the whole */
	size_t task;		     /* the task it runs */
	struct coroutine *next_idle; /* in s->idle while unused */
};

/* Global: one run. Loop thread only (there is no other). */
struct coroutines_state {
	struct batch *batch;	       /* read-only */
	const struct run_opts *opts;   /* read-only */
	struct eventloop_state *el;    /* the loop, from offload->start */
	struct coroutine **of_task;    /* owned: task i's coroutine, or NULL */
	struct coroutine *idle;	       /* finished coroutines to reuse */
	size_t stack_bytes;	       /* each coroutine's stack */
	struct coro_stack_slab *slabs; /* owned: where the stacks are */
	size_t slab_stacks;	       /* stacks per slab */
	struct coro_guard guard;       /* the stack-overflow catcher */
	long coroutines_made, crashed; /* figures for the run */
};

/* ---- the task, as straight-line code ---- */

/* await fetch(url): hands the transfer to the loop and suspends until the
 * loop's fetched callback resumes us with the result filled in. */
static void coroutines_fetch(struct coroutine *c)
{
	struct coroutines_state *s = c->s;
	struct result *r = &s->batch->results[c->task];
	r->worker = 0;
	arrival_mark_start(s->batch, c->task); /* open loop: from arrival */
	trace_event(s->opts, "coroutines", 0, c->task, "start", r);
	if (eventloop_fetch_start(s->el, c->task) == 0)
		coro_yield(&c->coro); /* the loop runs; we wait here */
}

/* A coroutine's body: the whole task, top to bottom. */
static void coroutines_task(void *arg)
{
	struct coroutine *c = arg;
	struct coroutines_state *s = c->s;
	const struct task *t = &s->batch->tasks[c->task];
	struct result *r = &s->batch->results[c->task];
	bool computes = !task_fetches(t); /* compute, shared */
	if (task_fetches(t)) {
		coroutines_fetch(c);		       /* suspends */
		computes = task_needs_compute(t, r) || /* mixed, fetched ok */
			   task_blocks(s->opts, c->task); /* --block-ms */
	}
	if (computes)
		eventloop_compute(s->el, c->task, 0); /* blocks the loop */
	else
		r->end = clock_now() - s->batch->t0;
	eventloop_task_done(s->el, c->task);
}

/* ---- the loop's side: start, resume, clean up ---- */

/* A new coroutine's stack, from the newest slab or a new one; on failure
 * it stays unmapped, and coro_start maps one of its own. */
static void coroutines_carve(struct coroutines_state *s, struct coro_stack *st)
{
	if (s->slabs && coro_stack_slab_take(s->slabs, st) == 0)
		return;
	struct coro_stack_slab *slab = calloc(1, sizeof(*slab));
	if (!slab ||
	    coro_stack_slab_map(slab, s->slab_stacks, s->stack_bytes) != 0) {
		free(slab);
		return;
	}
	slab->next = s->slabs;
	s->slabs = slab;
	coro_stack_slab_take(slab, st);
}

/* A coroutine for task i: an idle one, or a new one (NULL: no memory). */
static struct coroutine *coroutines_take(struct coroutines_state *s, size_t i)
{
	struct coroutine *c = s->idle;
	if (c)
		s->idle = c->next_idle;
	else if ((c = calloc(1, sizeof(*c)))) {
		s->coroutines_made++;
		coroutines_carve(s, &c->coro.stack);
	}
	if (!c)
		return NULL;
	c->s = s;
	c->task = i;
	if (coro_start(&c->coro, s->opts->coro.how, s->stack_bytes,
		       coroutines_task, c) != 0) {
		coro_free(&c->coro);
		free(c);
		return NULL;
	}
	return c;
}

/* Task i could not have a coroutine: it ends now, not run. */
static void coroutines_refuse(struct coroutines_state *s, size_t i)
{
	struct result *r = &s->batch->results[i];
	r->kind = RESULT_OTHER;
	result_set_message(r, "no memory for a coroutine's stack");
	r->start = r->end = clock_now() - s->batch->t0;
	eventloop_task_done(s->el, i);
}

/* After a resume returned: a finished coroutine goes back to the idle
 * list; a crashed one is reported and its stack unmapped. */
static void coroutines_after(struct coroutines_state *s, struct coroutine *c)
{
	if (c->coro.state == CORO_SUSPENDED)
		return; /* waiting for its fetch */
	s->of_task[c->task] = NULL;
	if (c->coro.state == CORO_FINISHED) {
		c->next_idle = s->idle;
		s->idle = c;
		return;
	}
	struct result *r = &s->batch->results[c->task];
	r->kind = RESULT_CRASHED;
	result_set_message(r, "stack overflow: its %zu KiB coroutine stack",
			   s->stack_bytes / 1024);
	r->end = clock_now() - s->batch->t0;
	s->crashed++;
	eventloop_task_done(s->el, c->task);
	coro_free(&c->coro);
	free(c);
}

/* offload->start_task: task i's coroutine starts and runs to its first
 * suspension (it takes a transfer there) or to its end. */
static void coroutines_start_task(void *arg, size_t i)
{
	struct coroutines_state *s = arg;
	struct coroutine *c = coroutines_take(s, i);
	if (!c) {
		coroutines_refuse(s, i);
		return;
	}
	s->of_task[i] = c;
	coro_resume(&c->coro);
	coroutines_after(s, c);
}

/* offload->fetched: task i's transfer ended; its coroutine goes on. */
static void coroutines_fetched(void *arg, size_t i)
{
	struct coroutines_state *s = arg;
	struct coroutine *c = s->of_task[i];
	coro_resume(&c->coro);
	coroutines_after(s, c);
}

/* offload->start: the loop exists; catch stack overflows from now on. */
static int coroutines_start(void *arg, struct eventloop_state *el,
			    struct ev_loop *loop)
{
	(void)loop;
	struct coroutines_state *s = arg;
	s->el = el;
	if (coro_guard_install(&s->guard) != 0) {
		perror("coroutines: cannot install the SIGSEGV handler");
		return -1;
	}
	return 0;
}

/* offload->stop: every coroutine is finished or crashed by now. */
static void coroutines_stop(void *arg)
{
	struct coroutines_state *s = arg;
	coro_guard_remove(&s->guard);
	for (size_t i = 0; i < s->batch->n; i++)
		if (s->of_task[i]) { /* the loop gave up on it */
			coro_free(&s->of_task[i]->coro);
			free(s->of_task[i]);
		}
	while (s->idle) {
		struct coroutine *c = s->idle;
		s->idle = c->next_idle;
		coro_free(&c->coro);
		free(c);
	}
	while (s->slabs) { /* after the coroutines on them */
		struct coro_stack_slab *slab = s->slabs;
		s->slabs = slab->next;
		coro_stack_slab_unmap(slab);
		free(slab);
	}
}

/* ---- the run function ---- */

static void coroutines_report(const struct coroutines_state *s)
{
	struct run_stats *st = s->opts->stats;
	run_stats_set(st, "coroutines", (double)s->coroutines_made);
	run_stats_set(st, "stack_kib", (double)s->opts->coro.stack_kib);
	if (s->crashed)
		run_stats_set(st, "crashed_coroutines", (double)s->crashed);
}

static int coroutines_run(struct batch *batch, const struct run_opts *opts)
{
	if (opts->coro.stack_kib < 4) {
		fprintf(stderr, "coroutines: --stack-kib must be at least 4\n");
		return -1;
	}
	struct coroutines_state s = {
		.batch = batch,
		.opts = opts,
		.stack_bytes = (size_t)opts->coro.stack_kib * 1024,
		.slab_stacks = opts->workers < 64 ? (size_t)opts->workers : 64,
		.of_task = calloc(batch->n ? batch->n : 1,
				  sizeof(struct coroutine *)),
	};
	if (!s.of_task) {
		fprintf(stderr, "coroutines: out of memory\n");
		return -1;
	}
	/* One thread: the shared counter needs no lock (as eventloop). */
	batch->shared =
		shared_batch_has(batch) ? shared_state_new(1, SYNC_NONE) : NULL;
	const struct eventloop_offload tasks = {
		.start = coroutines_start,
		.stop = coroutines_stop,
		.start_task = coroutines_start_task,
		.fetched = coroutines_fetched,
		.arg = &s,
	};
	int rc = eventloop_run_with(batch, opts, "coroutines", &tasks);
	coroutines_report(&s);
	shared_finish(batch);
	shared_state_free(batch->shared);
	batch->shared = NULL;
	free(s.of_task);
	return rc;
}

const struct model model_coroutines = {
	.name = "coroutines",
	.summary = "one thread, the libev loop, tasks as straight-line "
		   "coroutines: async/await in C",
	.run = coroutines_run,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
