// SPDX-License-Identifier: MIT
/*
 * bench_models.c - the cases that hold each model to its ideal:
 *   io   1,000 fetches of /delay/100 at C = 100: time / ceil(N/C) x delay
 *   cpu  64 compute tasks of 25 units at C = cores: speedup over sequential
 *   spawn  the cost of one worker: create + join a thread, fork + reap a
 *          process (microseconds, medians of many; the lessons use the same
 *          code, common/spawn_cost.c)
 * Runs of different models alternate, so drift hits all alike.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/spawn_cost.h"
#include "harness/bench/bench.h"

struct batch *bench_compute_batch(size_t n, uint32_t work)
{
	struct batch *b = batch_new(n);
	for (size_t i = 0; b && i < n; i++) {
		b->tasks[i].type = TASK_COMPUTE;
		b->tasks[i].seed = i;
		b->tasks[i].work = work;
	}
	return b;
}

/* The registered models among names (a model not built yet is skipped). */
size_t bench_models(const char *const *names, size_t n,
		    const struct model **out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < BENCH_MAX_MODELS; i++) {
		const struct model *m = model_find(names[i]);
		if (m)
			out[k++] = m;
	}
	return k;
}

/* Times each model `repeat` times, alternating; medians into med[]. */
int bench_alternate(struct bench_ctx *ctx, const struct model **m, size_t n,
		    struct batch *b, const struct batch *ref, int workers,
		    double *med)
{
	double t[BENCH_MAX_MODELS][64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < n; i++) {
			int c = strcmp(m[i]->name, "sequential") ? workers : 1;
			t[i][r] = bench_time_model(ctx, m[i], b, ref, c);
			if (t[i][r] < 0)
				return -1;
		}
	for (size_t i = 0; i < n; i++)
		med[i] = bench_median(t[i], (size_t)reps);
	return 0;
}

int bench_io_rows(struct bench_ctx *ctx, const char *case_name,
		  const char *const *names, size_t n_names, const char *target)
{
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, n_names, m);
	size_t tasks = ctx->quick ? 200 : 1000;
	const int workers = 100;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/delay/100");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, n, b, ref, workers, med) == 0) {
		double ideal = ceil((double)tasks / workers) * 0.100;
		for (size_t i = 0; i < n; i++) {
			struct bench_row row = {
				"",    m[i]->name,     workers, med[i],
				ideal, med[i] / ideal, "",	"s"};
			row.case_name = case_name;
			snprintf(row.target, sizeof(row.target), "%s", target);
			bench_add_row(ctx, &row);
		}
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_io(struct bench_ctx *ctx)
{
	static const char *const names[] = {"threads", "processes",
					    "eventloop"};
	return bench_io_rows(ctx, "io", names, 3, "<=1.10");
}

static int bench_cpu(struct bench_ctx *ctx)
{
	static const char *const names[] = {"sequential", "threads",
					    "processes", "eventloop"};
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 4, m);
	size_t tasks = ctx->quick ? 16 : 64;
	struct batch *b = bench_compute_batch(tasks, 25);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, n, b, ref, ctx->cores, med) == 0) {
		char target[16];
		snprintf(target, sizeof(target), ">=%.2f", 0.95 * ctx->cores);
		for (size_t i = 1; i < n; i++) {
			struct bench_row row = {
				"cpu",	m[i]->name,	 ctx->cores, med[i],
				med[0], med[0] / med[i], "",	     "s"};
			int loop = strcmp(m[i]->name, "eventloop") == 0;
			snprintf(row.target, sizeof(row.target), "%s",
				 loop ? "0.9..1.1" : target);
			bench_add_row(ctx, &row);
		}
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_spawn(struct bench_ctx *ctx)
{
	struct spawn_cost cost;
	if (spawn_cost_measure(ctx->quick ? 50 : 1000, &cost) != 0)
		return 0; /* a limit, not a wrong result: said on stderr */
	bench_add_row(ctx,
		      &(struct bench_row){"spawn", "threads", 1, cost.thread_us,
					  NAN, NAN, "", "us"});
	bench_add_row(ctx,
		      &(struct bench_row){"spawn", "processes", 1,
					  cost.process_us, NAN, NAN, "", "us"});
	return 0;
}

const struct bench_case bench_case_io = {
	"io", "1,000 x /delay/100 at C = 100 vs the ideal 1.0 s", bench_io};
const struct bench_case bench_case_cpu = {
	"cpu", "64 x 25 ms compute at C = cores: speedup", bench_cpu};
const struct bench_case bench_case_spawn = {
	"spawn", "one worker's cost: thread create+join, fork+reap (us)",
	bench_spawn};
