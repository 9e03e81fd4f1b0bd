// SPDX-License-Identifier: MIT
/*
 * mpi.c - the MPI models held to their ideals, and the cost of a message:
 *   mpi-io       1,000 x /delay/100 at C = 100 ranks (oversubscribed):
 *                the run's time / ideal
 *   mpi-cpu      64 x 25 units at C = cores: speedup of the run over
 *                sequential
 *   mpi-launch   for both: the rest of the wall time, mpirun's launch of
 *                the ranks (and their ending), in s: a cost of its own,
 *                paid once per job, shown apart from the run it precedes
 *   mpi-latency  8-byte one-way latency, shared memory and TCP (us)
 *   skew         48 compute tasks, Pareto costs (--skew's), same total:
 *                mpi-static's run time / mpi's (the static split's loss;
 *                the farm's launch, one rank more, is mpi-cpu's mpi-launch
 *                row), and beside it the most a farm can win by on these
 *                costs (row "bound": 1.15 at C = 2: the heaviest task
 *                holds 37% of the work)
 * Without Open MPI every case says so and adds no row.
 */
#include "harness/bench/mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/bench/kit.h"
#include "harness/external/external.h"
#include "harness/external/mpi.h"
#include "harness/run/workload.h"

/* Are the MPI models here? Says why not on stderr. */
static int bench_have_mpi(const char *case_name)
{
	char why[512];
	if (external_available(model_find("mpi"), NULL, why, sizeof(why)))
		return 1;
	fprintf(stderr, "concur bench: %s skipped: %s\n", case_name, why);
	return 0;
}

/* bench_alternate for MPI's models: each model's median run time (the
 * program's own, from its common start line to its last result) into
 * run[], and the median of the rest of its wall time, mpirun's launch of
 * the ranks and their ending, into launch[] (0 for sequential). */
static int bench_mpi_alternate(struct bench_ctx *ctx, const struct model **m,
			       size_t n, struct batch *b,
			       const struct batch *ref, int workers,
			       double *run, double *launch)
{
	double t[BENCH_MAX_MODELS][64], up[BENCH_MAX_MODELS][64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < n; i++) {
			int c = strcmp(m[i]->name, "sequential") ? workers : 1;
			double wall = bench_time_model_apart(ctx, m[i], b, ref,
							     c, &up[i][r]);
			if (wall < 0)
				return -1;
			t[i][r] = wall - up[i][r];
		}
	for (size_t i = 0; i < n; i++) {
		run[i] = bench_median(t[i], (size_t)reps);
		launch[i] = bench_median(up[i], (size_t)reps);
	}
	return 0;
}

/* One mpi-launch row: the launch (and ending) of a model's ranks, in s. */
static void bench_launch_row(struct bench_ctx *ctx, const struct model *m,
			     int workers, double launch)
{
	bench_add_row(ctx, &(struct bench_row){"mpi-launch", m->name, workers,
					       launch, NAN, NAN, "", "s"});
}

/* The run against its ideal (1,000 x 100 ms over C = 100 ranks: 1.0 s),
 * the launch of the 100 or 101 ranks in rows of its own. */
static int bench_mpi_io(struct bench_ctx *ctx)
{
	static const char *const names[] = {"mpi", "mpi-static"};
	if (!bench_have_mpi("mpi-io"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 2, m);
	size_t tasks = ctx->quick ? 200 : 1000;
	const int workers = 100;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/delay/100");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double run[BENCH_MAX_MODELS], launch[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref &&
	    bench_mpi_alternate(ctx, m, n, b, ref, workers, run, launch) == 0) {
		double ideal = ceil((double)tasks / workers) * 0.100;
		for (size_t i = 0; i < n; i++)
			bench_add_row(ctx,
				      &(struct bench_row){"mpi-io", m[i]->name,
							  workers, run[i],
							  ideal, run[i] / ideal,
							  "<=1.25", "s"});
		for (size_t i = 0; i < n; i++)
			bench_launch_row(ctx, m[i], workers, launch[i]);
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_mpi_cpu(struct bench_ctx *ctx)
{
	static const char *const names[] = {"sequential", "mpi", "mpi-static"};
	if (!bench_have_mpi("mpi-cpu"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 3, m);
	struct batch *b = bench_compute_batch(ctx->quick ? 16 : 64, 25);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS], launch[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref && bench_mpi_alternate(ctx, m, n, b, ref, ctx->cores, med,
				       launch) == 0) {
		for (size_t i = 1; i < n; i++) {
			struct bench_row row = {
				"mpi-cpu", m[i]->name,	    ctx->cores, med[i],
				med[0],	   med[0] / med[i], "",		"s"};
			snprintf(row.target, sizeof(row.target), ">=%.2f",
				 0.85 * ctx->cores);
			bench_add_row(ctx, &row);
		}
		for (size_t i = 1; i < n; i++)
			bench_launch_row(ctx, m[i], ctx->cores, launch[i]);
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_mpi_latency(struct bench_ctx *ctx)
{
	static const char *const btl[] = {"self,vader", "self,tcp"};
	static const char *const label[] = {"shared-memory", "tcp"};
	if (!bench_have_mpi("mpi-latency"))
		return 0;
	for (int k = 0; k < 2; k++) {
		char why[512];
		double v[64];
		int reps = ctx->repeat < 64 ? ctx->repeat : 64;
		for (int r = 0; r < reps; r++)
			v[r] = mpi_latency_us(btl[k], why, sizeof(why));
		bench_add_row(ctx,
			      &(struct bench_row){"mpi-latency", label[k], 2,
						  bench_median(v, (size_t)reps),
						  NAN, NAN, "", "us"});
	}
	return 0;
}

/* 48 compute tasks of 40 units on average, --skew's costs (seed 1). */
static struct batch *bench_skewed_batch(size_t n)
{
	struct batch *b = bench_compute_batch(n, 0);
	long *cost = calloc(n, sizeof(long));
	if (b && cost) {
		workload_skew(n, 1, (long)n * 40, cost);
		for (size_t i = 0; i < n; i++)
			b->tasks[i].work = (uint32_t)cost[i];
	}
	free(cost);
	return b;
}

/* The most the farm can win by on batch b at C = workers, from the
 * costs alone (units): the static split's heaviest block (static.c's
 * blocks) over the time a farm would take if each task, in order, went
 * to the worker that frees first, with no message and no reserve. */
static double bench_skew_bound(const struct batch *b, int workers)
{
	double heaviest = 0, free_at[64] = {0}, end = 0;
	size_t n = b->n, c = workers < 64 ? (size_t)workers : 64;
	for (size_t r = 0; r < c; r++) {
		double block = 0;
		for (size_t i = r * n / c; i < (r + 1) * n / c; i++)
			block += b->tasks[i].work;
		heaviest = fmax(heaviest, block);
	}
	for (size_t i = 0; i < n; i++) {
		size_t w = 0;
		for (size_t k = 1; k < c; k++)
			w = free_at[k] < free_at[w] ? k : w;
		free_at[w] += b->tasks[i].work;
		end = fmax(end, free_at[w]);
	}
	return heaviest / end;
}

static int bench_skew(struct bench_ctx *ctx)
{
	static const char *const names[] = {"mpi-static", "mpi"};
	if (!bench_have_mpi("skew"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 2, m);
	struct batch *b = bench_skewed_batch(ctx->quick ? 16 : 48);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS], launch[BENCH_MAX_MODELS];
	int rc = -1;
	/* The runs, as in mpi-cpu (same C, same ranks: its mpi-launch rows
	 * are these models' launches too). */
	if (ref && n == 2 &&
	    bench_mpi_alternate(ctx, m, n, b, ref, ctx->cores, med, launch) ==
		    0) {
		bench_add_row(ctx,
			      &(struct bench_row){"skew", "mpi-static/mpi",
						  ctx->cores, med[0], med[1],
						  med[0] / med[1], "", "s"});
		double bound = bench_skew_bound(b, ctx->cores);
		bench_add_row(ctx,
			      &(struct bench_row){"skew", "bound", ctx->cores,
						  bound, NAN, bound, "", "x"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_mpi_io = {
	"mpi-io",
	"1,000 x /delay/100 at C = 100 ranks: the run vs the ideal 1.0 s, "
	"the launch apart",
	bench_mpi_io};
const struct bench_case bench_case_mpi_cpu = {
	"mpi-cpu",
	"64 x 25 ms compute at C = cores ranks: the run's speedup, the launch "
	"apart",
	bench_mpi_cpu};
const struct bench_case bench_case_mpi_latency = {
	"mpi-latency", "8-byte one-way latency: shared memory, TCP (us)",
	bench_mpi_latency};
const struct bench_case bench_case_skew = {
	"skew", "48 skewed compute tasks: mpi-static time / mpi time",
	bench_skew};
