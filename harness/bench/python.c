// SPDX-License-Identifier: MIT
/*
 * python.c - the cases of the Python side-by-side lesson, each
 * timed by the program's own run time (start-up left out):
 *   python-io          1,000 x /delay/100 at C = 100 for py-threads,
 *                      py-processes and py-asyncio: time / ideal (1.0 s),
 *                      target <= 1.25 (py-sequential would take 100 s);
 *                      python-io-start: py-processes' pool start per
 *                      interpreter (ms), started before its run's clock
 *   python-cpu         speedup of py-threads and py-processes over
 *                      py-sequential at C = cores; no target: py-threads
 *                      near 1 (the GIL), py-processes near the cores
 *   python-throughput  20,000 x /bytes/64 at C = 100: the C eventloop's
 *                      rate / py-asyncio's, target >= 5
 * Without a Python that imports aiohttp, the cases say so and add no row.
 */
#include "harness/bench/python.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/bench/kit.h"
#include "harness/external/python.h"

/* Is there a Python? Asked once, here in the harness's process: every
 * run forks from it and inherits the answer. */
static int bench_python_ready(const char *case_name)
{
	char why[512];
	if (python_find(NULL, why, sizeof(why)))
		return 1;
	printf("%s: skipped: %s\n", case_name, why);
	return 0;
}

static int bench_python_io(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-threads", "py-processes",
					    "py-asyncio"};
	if (!bench_python_ready("python-io"))
		return 0;
	return bench_io_rows(ctx, "python-io", names, 3, "<=1.25");
}

static int bench_python_cpu(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-sequential", "py-threads",
					    "py-processes"};
	if (!bench_python_ready("python-cpu"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	if (bench_models(names, 3, m) != 3)
		return 0;
	/* CPython runs a unit in about 0.08 s: 16 x 4 units is ~5 s alone. */
	struct batch *b = bench_compute_batch(ctx->quick ? 4 : 16, 4);
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[3];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, 3, b, ref, ctx->cores, med) == 0) {
		for (size_t i = 1; i < 3; i++)
			bench_add_row(ctx, &(struct bench_row){
						   "python-cpu", m[i]->name,
						   ctx->cores, med[i], med[0],
						   med[0] / med[i], "", "s"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

static int bench_python_throughput(struct bench_ctx *ctx)
{
	static const char *const names[] = {"py-asyncio", "eventloop"};
	if (!bench_python_ready("python-throughput"))
		return 0;
	const struct model *m[BENCH_MAX_MODELS];
	size_t n = bench_models(names, 2, m);
	if (n == 0)
		return 0;
	size_t tasks = ctx->quick ? 2000 : 20000;
	const int workers = 100;
	struct batch *b = bench_fetch_batch(ctx, tasks, "/bytes/64");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double med[2];
	int rc = -1;
	if (ref && bench_alternate(ctx, m, n, b, ref, workers, med) == 0) {
		double py_rate = (double)tasks / med[0];
		/* Without the eventloop model (not built), no reference. */
		double c_rate = n == 2 ? (double)tasks / med[1] : NAN;
		bench_add_row(ctx, &(struct bench_row){
					   "python-throughput", "py-asyncio",
					   workers, py_rate, c_rate,
					   c_rate / py_rate, ">=5", "tasks/s"});
		rc = 0;
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_python_io = {
	"python-io", "py-* on 1,000 x /delay/100 at C = 100 vs the ideal 1.0 s",
	bench_python_io};
const struct bench_case bench_case_python_cpu = {
	"python-cpu", "py-threads, py-processes speedup at C = cores",
	bench_python_cpu};
const struct bench_case bench_case_python_throughput = {
	"python-throughput",
	"20,000 x /bytes/64 at C = 100: eventloop rate / py-asyncio's",
	bench_python_throughput};
