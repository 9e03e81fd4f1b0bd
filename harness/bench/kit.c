// SPDX-License-Identifier: MIT
/*
 * kit.c - what the bench cases measure with: batches, the sequential
 * reference, one timed run as `concur run` makes it (a fresh child, the
 * results checked), and runs of several models alternated.
 */
#include "harness/bench/kit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/run/measure.h"
#include "harness/base/stats.h"
#include "harness/run/verify.h"

double bench_median(const double *v, size_t n)
{
	return stats_spread(v, n).median;
}

struct batch *bench_fetch_batch(const struct bench_ctx *ctx, size_t n,
				const char *path)
{
	struct batch *b = batch_new(n);
	char url[512];
	snprintf(url, sizeof(url), "%s%s", ctx->server_url, path);
	for (size_t i = 0; b && i < n; i++) {
		b->tasks[i].type = TASK_FETCH;
		if (batch_set_url(b, i, url) != 0) {
			batch_free(b);
			return NULL;
		}
	}
	return b;
}

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

struct batch *bench_reference(struct bench_ctx *ctx, const struct batch *b)
{
	struct batch *ref = verify_reference_batch(b, 60000);
	struct run_opts o = run_opts_default();
	o.workers = 1;
	struct measurement m;
	if (!ref ||
	    measure_run(model_find("sequential"), ref, &o, NULL, &m) != 0) {
		batch_free(ref);
		ctx->wrong = 1;
		return NULL;
	}
	return ref;
}

double bench_time_model(struct bench_ctx *ctx, const struct model *m,
			struct batch *batch, const struct batch *ref,
			int workers)
{
	return bench_time_model_stats(ctx, m, batch, ref, workers, NULL);
}

double bench_time_model_apart(struct bench_ctx *ctx, const struct model *m,
			      struct batch *batch, const struct batch *ref,
			      int workers, double *startup_s)
{
	struct run_stats stats = {0};
	double wall =
		bench_time_model_stats(ctx, m, batch, ref, workers, &stats);
	if (startup_s)
		*startup_s = wall >= 0 ? stats.startup_s : 0;
	return wall;
}

double bench_time_model_stats(struct bench_ctx *ctx, const struct model *m,
			      struct batch *batch, const struct batch *ref,
			      int workers, struct run_stats *stats)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.fetch.timeout_ms = 60000;
	struct measurement meas;
	batch_reset_results(batch);
	if (measure_run(m, batch, &o, NULL, &meas) != 0 || meas.model_rc != 0)
		goto wrong;
	if (ref) {
		struct verify_report rep;
		verify_results(ref, batch, &rep);
		if (!verify_ok(&rep) || rep.timing)
			goto wrong;
	} else {
		for (size_t i = 0; i < batch->n; i++)
			if (batch->results[i].kind != RESULT_OK)
				goto wrong;
	}
	if (stats)
		*stats = meas.stats;
	ctx->last_start_ms = bench_start_ms_per_worker(&meas.stats);
	return meas.wall_s; /* external models: their own run time */
wrong:
	fprintf(stderr, "bench: %s at C=%d gave wrong results\n", m->name,
		workers);
	ctx->wrong = 1;
	return -1;
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

double bench_start_ms_per_worker(const struct run_stats *stats)
{
	double pool = run_stats_get(stats, "pool_ms_per_worker", NAN);
	if (!isnan(pool))
		return pool;
	if (!stats->external && stats->setup_s > 0 &&
	    stats->workers_started > 0)
		return stats->setup_s * 1e3 / stats->workers_started;
	return NAN;
}

/* The median of the values of v[0..n) that are not NAN; NAN if none. */
static double bench_median_known(const double *v, size_t n)
{
	double known[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < 64; i++)
		if (!isnan(v[i]))
			known[k++] = v[i];
	return k ? bench_median(known, k) : NAN;
}

/* Times each model `repeat` times, alternating; medians into med[]. */
int bench_alternate_split(struct bench_ctx *ctx, const struct model **m,
			  size_t n, struct batch *b, const struct batch *ref,
			  int workers, double *med, double *start_ms)
{
	double t[BENCH_MAX_MODELS][64], start[BENCH_MAX_MODELS][64];
	int reps = ctx->repeat < 64 ? ctx->repeat : 64;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < n; i++) {
			int c = strcmp(m[i]->name, "sequential") ? workers : 1;
			t[i][r] = bench_time_model(ctx, m[i], b, ref, c);
			if (t[i][r] < 0)
				return -1;
			start[i][r] = ctx->last_start_ms;
		}
	for (size_t i = 0; i < n; i++) {
		med[i] = bench_median(t[i], (size_t)reps);
		if (start_ms)
			start_ms[i] =
				bench_median_known(start[i], (size_t)reps);
	}
	return 0;
}

int bench_alternate(struct bench_ctx *ctx, const struct model **m, size_t n,
		    struct batch *b, const struct batch *ref, int workers,
		    double *med)
{
	return bench_alternate_split(ctx, m, n, b, ref, workers, med, NULL);
}

/* The name of a case's start rows: a literal, as rows need; NULL for a
 * case that has none. */
static const char *bench_start_case(const char *case_name)
{
	static const char *const names[][2] = {{"io", "io-start"},
					       {"python-io", "python-io-start"},
					       {"mpi-io", "mpi-io-start"}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], case_name) == 0)
			return names[i][1];
	return NULL;
}

/* The start rows: what one worker cost to start, apart from the run. */
static void bench_start_rows(struct bench_ctx *ctx, const char *case_name,
			     const struct model **m, size_t n, int workers,
			     const double *start_ms)
{
	const char *name = bench_start_case(case_name);
	for (size_t i = 0; name && i < n; i++)
		if (!isnan(start_ms[i]))
			bench_add_row(ctx, &(struct bench_row){
						   name, m[i]->name, workers,
						   start_ms[i], NAN, NAN, "",
						   "ms/worker"});
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
	double med[BENCH_MAX_MODELS], start_ms[BENCH_MAX_MODELS];
	int rc = -1;
	if (ref && bench_alternate_split(ctx, m, n, b, ref, workers, med,
					 start_ms) == 0) {
		double ideal = ceil((double)tasks / workers) * 0.100;
		for (size_t i = 0; i < n; i++) {
			struct bench_row row = {
				"",    m[i]->name,     workers, med[i],
				ideal, med[i] / ideal, "",	"s"};
			row.case_name = case_name;
			snprintf(row.target, sizeof(row.target), "%s", target);
			bench_add_row(ctx, &row);
		}
		bench_start_rows(ctx, case_name, m, n, workers, start_ms);
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}
