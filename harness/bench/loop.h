// SPDX-License-Identifier: MIT
/* loop.h - the event loop's two claims: c10k and throughput. */
#ifndef CONCUR_BENCH_LOOP_H
#define CONCUR_BENCH_LOOP_H

#include "harness/bench/rows.h"

#include "common/options.h"
#include "common/task.h"
#include "models/model.h"

extern const struct bench_case bench_case_c10k, bench_case_throughput;

/* Runs model m on b at C = workers on the event-loop backend `backend`
 * in a fresh child (measure_run), checks the results against ref;
 * returns the wall time and, in *growth_kib, how far the child's peak RSS
 * rose above its RSS as the model began. Negative when wrong. Also used
 * by coro.c's c10k-coroutines case. */
double loop_time_model(struct bench_ctx *ctx, const struct model *m,
		       struct batch *b, const struct batch *ref, int workers,
		       enum loop_backend backend, double *growth_kib);

#endif
