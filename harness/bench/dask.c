// SPDX-License-Identifier: MIT
/*
 * dask.c - py-dask (models/python/py-dask.py) held to its ideals, and what
 * a scheduler costs a task, each timed by its run part: the program's own
 * run time, the cluster's start left out and shown apart:
 *   dask-io        200 x /delay/100 at C = 10 worker processes (a Dask
 *                  worker is a whole interpreter: C = 100 would start 100
 *                  of them): run part / ideal (2.0 s), target <= 1.3
 *   dask-cpu       16 x 4 units at C = cores: speedup of the run part
 *                  over py-sequential, target >= 0.85 x cores
 *   task-overhead  400 compute tasks of 0 units at C = cores: the run part
 *                  per task (ms) of py-dask (a central scheduler), mpi
 *                  (a task farm) and py-processes (a pool's queue)
 *   dask-start     the LocalCluster's start (cluster_start_s, s) at
 *                  C = cores, beside mpi's launch (its startup_s)
 * Without Dask every case says so and adds no row (issue 31 item 3).
 */
#include "harness/bench/dask.h"

#include <math.h>
#include <stdio.h>

#include "harness/bench/kit.h"
#include "harness/external/external.h"

/* Is py-dask here? Says why not on stderr. */
static int bench_have_dask(const char *case_name)
{
	char why[512];
	if (external_available(model_find("py-dask"), NULL, why, sizeof(why)))
		return 1;
	fprintf(stderr, "concur bench: %s skipped: %s\n", case_name, why);
	return 0;
}

/* One run's run part: the program's own run time. A launcher whose time
 * is the whole wall (MPI's, Dask's) counts its start in program_run_s
 * and shows it as startup_s: taken out here. The start is put in
 * *start_s (Dask's own cluster_start_s when it has one). */
static double bench_run_part(struct bench_ctx *ctx, const struct model *m,
			     struct batch *b, const struct batch *ref,
			     int workers, double *start_s)
{
	struct run_stats st = {0};
	double t = bench_time_model_stats(ctx, m, b, ref, workers, &st);
	if (t < 0)
		return -1;
	bool whole = m->flags & (MODEL_MPI | MODEL_DASK);
	double startup = run_stats_get(&st, "startup_s", 0);
	if (start_s)
		*start_s = run_stats_get(&st, "cluster_start_s", startup);
	return whole ? t - startup : t;
}

/* Each model's median run part over ctx->repeat runs, alternated; the
 * median start into start[] (may be NULL). 0, or -1 on wrong results. */
static int bench_dask_alternate(struct bench_ctx *ctx,
				const struct model *const *m, size_t n,
				struct batch *b, const struct batch *ref,
				int workers, double *med, double *start)
{
	double t[BENCH_MAX_MODELS][64], s[BENCH_MAX_MODELS][64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < n; i++) {
			t[i][r] = bench_run_part(ctx, m[i], b, ref, workers,
						 &s[i][r]);
			if (t[i][r] < 0)
				return -1;
		}
	for (size_t i = 0; i < n; i++) {
		med[i] = bench_median(t[i], (size_t)reps);
		if (start)
			start[i] = bench_median(s[i], (size_t)reps);
	}
	return 0;
}

static int bench_dask_io(struct bench_ctx *ctx)
{
	if (!bench_have_dask("dask-io"))
		return 0;
	const struct model *m = model_find("py-dask");
	size_t tasks = ctx->quick ? 100 : 200;
	const int workers = 10;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/delay/100");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med;
	int rc = -1;
	if (ref && bench_dask_alternate(ctx, &m, 1, b, ref, workers, &med,
					NULL) == 0) {
		double ideal = ceil((double)tasks / workers) * 0.100;
		bench_add_row(ctx, &(struct bench_row){
					   "dask-io", "py-dask", workers, med,
					   ideal, med / ideal, "<=1.3", "s"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_dask_cpu(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-sequential", "py-dask"};
	if (!bench_have_dask("dask-cpu"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	if (bench_models(names, 2, m) != 2)
		return 0;
	/* CPython runs a unit in about 0.08 s: 16 x 4 units is ~5 s alone. */
	struct batch *b = bench_compute_batch(ctx->quick ? 8 : 16, 4);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[2];
	int rc = -1;
	if (ref && bench_dask_alternate(ctx, m, 2, b, ref, ctx->cores, med,
					NULL) == 0) {
		struct bench_row row = {"dask-cpu", "py-dask", ctx->cores,
					med[1],	    med[0],    med[0] / med[1],
					"",	    "s"};
		snprintf(row.target, sizeof(row.target), ">=%.2f",
			 0.85 * ctx->cores);
		bench_add_row(ctx, &row);
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

/* Tiny tasks: what is left of the run part is the cost of handing each
 * one out and its result back. The reference is mpi's farm when built. */
static int bench_task_overhead(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-dask", "mpi", "py-processes"};
	if (!bench_have_dask("task-overhead"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 3, m);
	char why[512];
	if (n == 0)
		return 0;
	for (size_t i = 1; i < n; i++) /* mpi without Open MPI: left out */
		if (!external_available(m[i], NULL, why, sizeof(why)))
			m[i--] = m[--n];
	size_t tasks = ctx->quick ? 100 : 400;
	struct batch *b = bench_compute_batch(tasks, 0);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS] = {0};
	int rc = -1;
	if (ref && bench_dask_alternate(ctx, m, n, b, ref, ctx->cores, med,
					NULL) == 0) {
		double per[BENCH_MAX_MODELS];
		for (size_t i = 0; i < n; i++)
			per[i] = med[i] / (double)tasks * 1000.0;
		for (size_t i = 0; i < n; i++)
			bench_add_row(ctx, &(struct bench_row){
						   "task-overhead", m[i]->name,
						   ctx->cores, per[i], per[0],
						   per[i] / per[0], "", "ms"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_dask_start(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-dask", "mpi"};
	if (!bench_have_dask("dask-start"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 2, m);
	char why[512];
	if (n == 0)
		return 0;
	if (n == 2 && !external_available(m[1], NULL, why, sizeof(why)))
		n = 1;
	struct batch *b = bench_compute_batch(ctx->cores, 0);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS] = {0}, start[BENCH_MAX_MODELS] = {0};
	int rc = -1;
	if (ref && bench_dask_alternate(ctx, m, n, b, ref, ctx->cores, med,
					start) == 0) {
		double mpi = n == 2 ? start[1] : NAN;
		bench_add_row(ctx,
			      &(struct bench_row){"dask-start", "py-dask",
						  ctx->cores, start[0], mpi,
						  start[0] / mpi, "", "s"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_dask_io = {
	"dask-io",
	"py-dask, 200 x /delay/100 at C = 10: run part / ideal 2.0 s",
	bench_dask_io};
const struct bench_case bench_case_dask_cpu = {
	"dask-cpu", "py-dask speedup (run part) over py-sequential, C = cores",
	bench_dask_cpu};
const struct bench_case bench_case_task_overhead = {
	"task-overhead",
	"ms a task of 0 units: py-dask, mpi's farm, py-processes' pool",
	bench_task_overhead};
const struct bench_case bench_case_dask_start = {
	"dask-start", "py-dask's cluster start (s) beside mpi's launch",
	bench_dask_start};
