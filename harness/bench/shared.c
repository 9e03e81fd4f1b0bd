// SPDX-License-Identifier: MIT
/*
 * shared.c - the cases of the shared-state lessons: what a lock costs
 * (throughput of atomic, sharded and spin counters over a mutex's, threads
 * at C = cores) and what false sharing costs (per-worker slots a cache
 * line each over slots packed into one line). Every run's total is checked
 * against the sequential reference, as `concur run` checks it.
 */
#include "harness/bench/shared.h"

#include <stdio.h>
#include <string.h>

#include "common/shared.h"
#include "harness/bench/kit.h"
#include "harness/run/measure.h"
#include "harness/run/verify.h"

/* A batch of 4 shared tasks a worker, `each` increments a task. */
static struct batch *bench_shared_batch(int workers, uint32_t each)
{
	size_t n = 4 * (size_t)workers;
	struct batch *b = batch_new(n);
	for (size_t i = 0; b && i < n; i++) {
		b->tasks[i].type = TASK_SHARED;
		b->tasks[i].seed = i;
		b->tasks[i].work = each;
	}
	return b;
}

/* One timed run of threads with `sync`, checked against ref; its wall
 * time, or -1 (ctx->wrong set) when the total was wrong. */
static double bench_shared_time(struct bench_ctx *ctx, struct batch *b,
				const struct batch *ref, enum shared_sync sync,
				int workers)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.sync = sync;
	struct external_opts x = {.model_timeout_s = 120}; /* the watchdog */
	struct measurement m;
	struct verify_report rep;
	batch_reset_results(b);
	if (measure_run(model_find("threads"), b, &o, &x, &m) != 0)
		return -1;
	verify_results(ref, b, &rep);
	if (!verify_ok(&rep) || m.timed_out) {
		fprintf(stderr, "bench: threads --sync %s: %s\n",
			shared_sync_name(sync),
			rep.n_lines ? rep.lines[0] : "stopped");
		ctx->wrong = 1;
		return -1;
	}
	return m.wall_s;
}

/* Medians of increments per second for each strategy, runs alternated.
 * 0, or -1 on a wrong total. */
static int bench_shared_rates(struct bench_ctx *ctx,
			      const enum shared_sync *syncs, size_t n,
			      uint32_t each, double *rate)
{
	int workers = ctx->cores;
	struct batch *b = bench_shared_batch(workers, each);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double t[8][64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64, rc = ref ? 0 : -1;
	for (int r = 0; rc == 0 && r < reps; r++)
		for (size_t i = 0; rc == 0 && i < n; i++) {
			t[i][r] = bench_shared_time(ctx, b, ref, syncs[i],
						    workers);
			rc = t[i][r] < 0 ? -1 : 0;
		}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rate[i] =
			(double)b->n * each / bench_median(t[i], (size_t)reps);
	batch_free(b);
	batch_free(ref);
	return rc;
}

/* lock-cost: the mutex's throughput is the reference of the others. */
static int bench_lock_cost(struct bench_ctx *ctx)
{
	static const enum shared_sync syncs[] = {SYNC_MUTEX, SYNC_SPIN,
						 SYNC_ATOMIC, SYNC_SHARDED};
	static const char *const targets[] = {"", "", ">=1", ">=2"};
	double rate[4];
	if (bench_shared_rates(ctx, syncs, 4, ctx->quick ? 50000 : 500000,
			       rate) != 0)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		struct bench_row row = {"lock-cost", shared_sync_name(syncs[i]),
					ctx->cores,  rate[i],
					rate[0],     rate[i] / rate[0],
					"",	     "incr/s"};
		snprintf(row.target, sizeof(row.target), "%s", targets[i]);
		bench_add_row(ctx, &row);
	}
	return 0;
}

/* false-sharing: padded slots over packed ones. */
static int bench_false_sharing(struct bench_ctx *ctx)
{
	static const enum shared_sync syncs[] = {SYNC_SHARDED_PACKED,
						 SYNC_SHARDED_PADDED};
	double rate[2];
	if (bench_shared_rates(ctx, syncs, 2, ctx->quick ? 200000 : 5000000,
			       rate) != 0)
		return -1;
	struct bench_row packed = {"false-sharing",
				   "sharded-packed",
				   ctx->cores,
				   rate[0],
				   rate[0],
				   1.0,
				   "",
				   "incr/s"};
	struct bench_row padded = {
		"false-sharing", "sharded-padded",  ctx->cores, rate[1],
		rate[0],	 rate[1] / rate[0], "",		"incr/s"};
	/* With one core there is no line to fight over. */
	if (ctx->cores > 1)
		snprintf(padded.target, sizeof(padded.target), ">=1.5");
	bench_add_row(ctx, &packed);
	bench_add_row(ctx, &padded);
	return 0;
}

const struct bench_case bench_case_lock_cost = {
	"lock-cost",
	"threads at C = cores: spin, atomic, sharded / mutex increments/s",
	bench_lock_cost};
const struct bench_case bench_case_false_sharing = {
	"false-sharing",
	"threads at C = cores: per-worker slots a line each / packed in one",
	bench_false_sharing};
