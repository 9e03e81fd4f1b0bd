// SPDX-License-Identifier: MIT
/*
 * memory.c - the case that weighs every model the same way:
 *   memory  32 fetches of /delay/200 at C = 16, per model: the peak PSS of
 *           the run's whole process tree (MiB, the median of the runs),
 *           beside the older RSS figure (the child's peak plus its
 *           workers', or an external model's largest process) as the
 *           reference; ratio = PSS / that RSS. One more row, `sampler`:
 *           the CPU the memory sampler itself used, in % of the runs'
 *           wall time.
 * Reported, not held to a target: memory has no ideal.
 */
#include "harness/bench/memory.h"

#include <math.h>
#include <stdio.h>

#include "harness/bench/kit.h"
#include "harness/external/python.h"
#include "harness/run/measure.h"

#define MEMORY_WORKERS 16

/* One model's runs: medians of the PSS and of the older RSS, in MiB; the
 * sampler's CPU and the wall time are added up into *cpu and *wall. 0, or
 * -1 (ctx->wrong set) when a task did not end ok. */
static int memory_model(struct bench_ctx *ctx, const struct model *m,
			struct batch *b, double *pss, double *rss, double *cpu,
			double *wall)
{
	double p[64], r[64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64;
	struct run_opts o = run_opts_default();
	o.workers = MEMORY_WORKERS;
	for (int i = 0; i < reps; i++) {
		struct measurement meas;
		batch_reset_results(b);
		if (measure_run(m, b, &o, NULL, &meas) != 0 ||
		    meas.model_rc != 0)
			goto wrong;
		for (size_t t = 0; t < b->n; t++)
			if (b->results[t].kind != RESULT_OK)
				goto wrong;
		p[i] = (double)meas.tree.pss_kib / 1024;
		r[i] = (double)meas.peak_rss_kib / 1024;
		*cpu += meas.tree.sampler_cpu_s;
		*wall += meas.wall_s;
	}
	*pss = bench_median(p, (size_t)reps);
	*rss = bench_median(r, (size_t)reps);
	return 0;
wrong:
	fprintf(stderr, "bench: %s at C=%d gave wrong results\n", m->name,
		MEMORY_WORKERS);
	ctx->wrong = 1;
	return -1;
}

static int bench_memory(struct bench_ctx *ctx)
{
	static const char *const names[] = {
		"sequential",	"threads",   "processes",     "eventloop",
		"gil",		"hybrid",    "py-sequential", "py-threads",
		"py-processes", "py-asyncio"};
	char why[512];
	/* bench_models takes at most BENCH_MAX_MODELS at a time. */
	const struct model *m[2 * BENCH_MAX_MODELS];
	size_t n = bench_models(names, 6, m);
	if (python_find(NULL, why, sizeof(why)))
		n += bench_models(names + 6, 4, m + n);
	struct batch *b =
		bench_fetch_batch(ctx, ctx->quick ? 16 : 32, "/delay/200");
	if (!b)
		return -1;
	double cpu = 0, wall = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		double pss, rss;
		rc = memory_model(ctx, m[i], b, &pss, &rss, &cpu, &wall);
		if (rc == 0)
			bench_add_row(ctx, &(struct bench_row){
						   "memory", m[i]->name,
						   MEMORY_WORKERS, pss, rss,
						   pss / rss, "", "MiB"});
	}
	if (rc == 0 && wall > 0)
		bench_add_row(ctx, &(struct bench_row){"memory", "sampler",
						       MEMORY_WORKERS,
						       cpu / wall * 100, NAN,
						       NAN, "", "% CPU"});
	batch_free(b);
	return rc;
}

const struct bench_case bench_case_memory = {
	"memory",
	"peak PSS of the process tree per model at C = 16 (MiB) vs the older "
	"RSS figure",
	bench_memory};
