// SPDX-License-Identifier: MIT
/*
 * kit.h - what the bench cases measure with: batches of fetches or
 * computes, the sequential reference, one run timed as `concur run` times
 * it, and several models' runs alternated, so drift hits all alike.
 *
 * Errors: functions that build return NULL on failure; functions that
 * time return a negative time, or -1, and set ctx->wrong when results
 * were wrong.
 */
#ifndef CONCUR_BENCH_KIT_H
#define CONCUR_BENCH_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/bench/rows.h"
#include "models/model.h"

/* The most models one case compares. */
#define BENCH_MAX_MODELS 8

/* Runs model m on the batch at C = workers in a fresh child (as `concur
 * run` does), checks every result against ref (or, when ref is NULL, that
 * every task ended ok), and returns the wall time in seconds; negative,
 * and ctx->wrong set, when results were wrong. Most cases use it. */
double bench_time_model(struct bench_ctx *ctx, const struct model *m,
			struct batch *batch, const struct batch *ref,
			int workers);

/* bench_time_model, and the run's figures (startup_s, the program's own
 * figures...) copied into *stats when it is not NULL. */
double bench_time_model_stats(struct bench_ctx *ctx, const struct model *m,
			      struct batch *batch, const struct batch *ref,
			      int workers, struct run_stats *stats);
/* What starting one worker cost in a measured run, in ms: a model's own
 * figure pool_ms_per_worker (py-processes, whose pool starts before its
 * run), else the pool's set-up over the workers it started (the C pool
 * models: thread creations, forks); NAN when the run reported neither.
 * bench_time_model keeps it in ctx->last_start_ms. */
double bench_start_ms_per_worker(const struct run_stats *stats);
/* bench_time_model, and the part of that time outside the program's own
 * measured run into *startup_s (external.h: the launch of MPI's ranks and
 * their ending; 0 for a model that is not external). */
double bench_time_model_apart(struct bench_ctx *ctx, const struct model *m,
			      struct batch *batch, const struct batch *ref,
			      int workers, double *startup_s);

/* The sequential reference of a batch (delays shortened; see verify.h);
 * NULL on failure. Free with batch_free. */
struct batch *bench_reference(struct bench_ctx *ctx, const struct batch *b);

/* A batch of n fetches of server_url + path ("/delay/100"). */
struct batch *bench_fetch_batch(const struct bench_ctx *ctx, size_t n,
				const char *path);

/* Times each model `repeat` times, runs of different models alternated,
 * and writes each model's median wall time into med[] (sequential always
 * runs at C = 1). 0, or -1 when a result was wrong. */
int bench_alternate(struct bench_ctx *ctx, const struct model **models,
		    size_t n, struct batch *b, const struct batch *ref,
		    int workers, double *med);

/* bench_alternate, and the median start per worker (ms, NAN when none;
 * bench_start_ms_per_worker) of each model into start_ms[]. */
int bench_alternate_split(struct bench_ctx *ctx, const struct model **models,
			  size_t n, struct batch *b, const struct batch *ref,
			  int workers, double *med, double *start_ms);

/* The io case's measurement for a list of models: 1,000 fetches of
 * /delay/100 at C = 100 (200 with --quick), one row per model with ratio
 * = median / ideal and the given target; then, apart, a row "CASE-start"
 * (io-start, python-io-start) per model that reported its start: the
 * median ms per worker (bench_start_ms_per_worker). 0, or -1 on wrong
 * results. */
int bench_io_rows(struct bench_ctx *ctx, const char *case_name,
		  const char *const *names, size_t n_names, const char *target);

/* The registered models among names (a model not built is skipped). */
size_t bench_models(const char *const *names, size_t n,
		    const struct model **out);

/* A batch of n compute tasks of `work` units (seeds 0..n-1). */
struct batch *bench_compute_batch(size_t n, uint32_t work);

/* Median of v[0..n). */
double bench_median(const double *v, size_t n);

#endif
