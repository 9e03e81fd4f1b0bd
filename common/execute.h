// SPDX-License-Identifier: MIT
/*
 * execute.h - running one task on the calling thread, and the one trace
 * format every model prints with --trace:
 *
 *     [threads w3] task 17 start
 *     [threads w3] task 17 done ok 101 ms
 *
 * Blocking models (sequential, threads, processes, gil) call task_execute();
 * the event-loop models split a task at the fetch and use the pieces.
 */
#ifndef CONCUR_EXECUTE_H
#define CONCUR_EXECUTE_H

#include <curl/curl.h>

#include "common/options.h"
#include "common/task.h"

/* Runs task i of the batch to completion on this thread, fetching with h
 * (the caller's handle; may be NULL if the batch has no fetches), and fills
 * its result including start, end and worker. A shared task adds to
 * b->shared, by the strategy the model set it up with (common/shared.h).
 * Traces start and done. */
void task_execute(struct batch *b, size_t i, CURL *h, const struct run_opts *o,
		  const char *model, int worker);

/* The compute half of a task: a compute task runs its kernel from its
 * seed; a mixed task whose fetch ended ok runs it from the body's CRC-32,
 * and its checksum becomes the kernel's. Other kinds are left as they are. */
void task_compute(const struct task *t, struct result *r);

/* Does this task have a compute half still to run, given its result? */
int task_needs_compute(const struct task *t, const struct result *r);

/* Does task i block (--block-ms, run_opts.block_ms): task 0 of a run
 * whose block_ms is set? The lesson "async/await" uses it. */
int task_blocks(const struct run_opts *o, size_t i);

/* If task_blocks: sleeps block_ms on the calling thread, as time.sleep()
 * does inside an async def: nothing else runs on that thread meanwhile. */
void task_block(const struct run_opts *o, size_t i);

/* Prints one trace line to stderr if o->trace; `what` is "start" or
 * "done" (done adds the kind and the duration from r). */
void trace_event(const struct run_opts *o, const char *model, int worker,
		 size_t task, const char *what, const struct result *r);

#endif
