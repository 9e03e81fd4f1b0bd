// SPDX-License-Identifier: MIT
/*
 * gil.c - the cases of the GIL and mixed-work lessons:
 *   gil-cpu  speedup of gil at C = 2, 4, 8 (a GIL allows none: <= 1.1),
 *            threads beside it (>= 0.95 x cores)
 *   gil-io   gil time / threads time on 1,000 x /delay/100 at C = 100:
 *            waits release the lock, so <= 1.10
 *   mixed    200 x (50 ms fetch + 20 units of compute) at C = 50 vs each
 *            model's ideal (harness/run/sweep.h), with the unit measured
 */
#include "harness/bench/gil.h"

#include "common/kernel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/bench/kit.h"

static int bench_gil_cpu(struct bench_ctx *ctx)
{
	static const char *const names[] = {"sequential", "gil", "threads"};
	const struct model *m[BENCH_MAX_MODELS];
	if (bench_models(names, 3, m) != 3)
		return 0; /* gil not built yet */
	struct batch *b = bench_compute_batch(ctx->quick ? 8 : 32, 25);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	static const int workers[] = {2, 4, 8};
	int rc = ref ? 0 : -1;
	for (size_t w = 0; rc == 0 && w < 3; w++) {
		double med[3];
		rc = bench_alternate(ctx, m, 3, b, ref, workers[w], med);
		if (rc != 0)
			break;
		struct bench_row gil = {"gil-cpu", "gil",  workers[w],
					med[1],	   med[0], med[0] / med[1],
					"<=1.1",   "s"};
		struct bench_row thr = {"gil-cpu", "threads", workers[w],
					med[2],	   med[0],    med[0] / med[2],
					"",	   "s"};
		int best = workers[w] < ctx->cores ? workers[w] : ctx->cores;
		snprintf(thr.target, sizeof(thr.target), ">=%.2f", 0.95 * best);
		bench_add_row(ctx, &gil);
		bench_add_row(ctx, &thr);
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_gil_io(struct bench_ctx *ctx)
{
	static const char *const names[] = {"threads", "gil"};
	const struct model *m[BENCH_MAX_MODELS];
	if (bench_models(names, 2, m) != 2)
		return 0;
	size_t tasks = ctx->quick ? 200 : 1000;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/delay/100");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[2];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, 2, b, ref, 100, med) == 0) {
		bench_add_row(ctx, &(struct bench_row){
					   "gil-io", "gil", 100, med[1], med[0],
					   med[1] / med[0], "<=1.10", "s"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

/* The mixed ideal of model m (as harness/run/sweep.h defines it): with
 * the unit of compute measured now, not the nominal 1 ms. */
static double bench_mixed_ideal(const struct bench_ctx *ctx,
				const struct model *m, size_t tasks,
				int workers, double delay_s, double compute_s)
{
	double par = m->compute == COMPUTE_ONE_AT_A_TIME ? 1
		     : m->compute == COMPUTE_ON_POOL	 ? ctx->cores
		     : workers < ctx->cores		 ? workers
							 : ctx->cores;
	double slot =
		ceil((double)tasks / workers) *
		(delay_s + (m->compute == COMPUTE_ON_POOL ? 0 : compute_s));
	double all = (double)tasks * compute_s / par;
	return slot > all ? slot : all;
}

static int bench_mixed(struct bench_ctx *ctx)
{
	static const char *const names[] = {"hybrid", "threads", "processes",
					    "eventloop", "gil"};
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 5, m);
	size_t tasks = ctx->quick ? 50 : 200;
	const int workers = 50, units = 20;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/delay/50?bytes=256");
	for (size_t i = 0; b && i < tasks; i++) {
		b->tasks[i].type = TASK_MIXED;
		b->tasks[i].work = units;
	}
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, n, b, ref, workers, med) == 0) {
		/* hybrid's pool defaults to the core count. */
		double compute_s = units * kernel_unit_seconds(15);
		for (size_t i = 0; i < n; i++) {
			double ideal = bench_mixed_ideal(
				ctx, m[i], tasks, workers, 0.050, compute_s);
			struct bench_row row = {
				"mixed", m[i]->name,	 workers, med[i],
				ideal,	 med[i] / ideal, "",	  "s"};
			if (strcmp(m[i]->name, "hybrid") == 0)
				snprintf(row.target, sizeof(row.target),
					 "<=1.25");
			bench_add_row(ctx, &row);
		}
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_gil_cpu = {
	"gil-cpu", "speedup of gil at C = 2, 4, 8, threads beside it",
	bench_gil_cpu};
const struct bench_case bench_case_gil_io = {
	"gil-io", "gil / threads on 1,000 x /delay/100 at C = 100",
	bench_gil_io};
const struct bench_case bench_case_mixed = {
	"mixed", "200 x (50 ms fetch + 20 ms compute) at C = 50 vs ideal",
	bench_mixed};
