// SPDX-License-Identifier: MIT
/* execute.c - one task on the calling thread; the trace line. */
#include "common/execute.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "common/fetch.h"
#include "common/kernel.h"
#include "common/shared.h"

int task_needs_compute(const struct task *t, const struct result *r)
{
	if (t->type == TASK_COMPUTE)
		return 1;
	return t->type == TASK_MIXED && r->kind == RESULT_OK;
}

int task_blocks(const struct run_opts *o, size_t i)
{
	return i == 0 && o->block_ms > 0;
}

void task_block(const struct run_opts *o, size_t i)
{
	if (!task_blocks(o, i))
		return;
	struct timespec ts = {.tv_sec = o->block_ms / 1000,
			      .tv_nsec = o->block_ms % 1000 * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		; /* a signal: sleep the rest */
}

void task_compute(const struct task *t, struct result *r)
{
	if (t->type == TASK_COMPUTE) {
		r->checksum = kernel_run(t->seed, t->work);
		r->kind = RESULT_OK;
	} else if (task_needs_compute(t, r)) {
		/* The fetch's CRC-32 seeds the compute: both halves count. */
		r->checksum = kernel_run(r->checksum, t->work);
	}
}

void task_execute(struct batch *b, size_t i, CURL *h, const struct run_opts *o,
		  const char *model, int worker)
{
	const struct task *t = &b->tasks[i];
	struct result *r = &b->results[i];

	/* Open loop: not before the task's arrival, never after the run's
	 * deadline (common/arrival.h); a closed run goes straight on. */
	if (arrival_wait(b, i) != 0)
		return;
	r->worker = worker;
	arrival_mark_start(b, i);
	trace_event(o, model, worker, i, "start", r);
	if (t->type == TASK_SHARED) /* NULL: sched_yield at yield points */
		shared_task_run(b->shared, t, r, worker, NULL, NULL);
	else if (task_fetches(t)) {
		if (h)
			fetch_blocking(h, t->url, &o->fetch, r);
		else {
			r->kind = RESULT_OTHER;
			result_set_message(r, "no HTTP handle");
		}
	}
	task_compute(t, r);
	r->end = clock_now() - b->t0;
	trace_event(o, model, worker, i, "done", r);
}

void trace_event(const struct run_opts *o, const char *model, int worker,
		 size_t task, const char *what, const struct result *r)
{
	if (!o->trace)
		return;
	/* One fprintf per line: stdio locks the stream, so lines from
	 * different threads do not interleave. */
	if (r && what[0] == 'd')
		fprintf(stderr, "[%s w%d] task %zu %s %s %.0f ms\n", model,
			worker, task, what, result_kind_name(r->kind),
			(r->end - r->start) * 1000.0);
	else
		fprintf(stderr, "[%s w%d] task %zu %s\n", model, worker, task,
			what);
}
