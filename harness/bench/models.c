// SPDX-License-Identifier: MIT
/*
 * models.c - the cases that hold each model to its ideal:
 *   io   1,000 fetches of /delay/100 at C = 100: time / ceil(N/C) x delay;
 *        io-start rows beside it: each pool's set-up per worker (ms), which
 *        stays inside the io time (a fork is part of what processes cost)
 *   cpu  64 compute tasks of 25 units at C = cores: speedup over sequential
 *   spawn  the cost of one worker: create + join a thread, fork + reap a
 *          process (microseconds, medians of many; the lessons use the same
 *          code, harness/run/spawn_cost.c)
 * Runs of different models alternate, so drift hits all alike.
 */
#include "harness/bench/models.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/run/spawn_cost.h"
#include "harness/bench/kit.h"

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
