// SPDX-License-Identifier: MIT
/*
 * bench.h - `concur bench` (make bench): fixed cases, each a ratio to an
 * ideal or to a peer measured in the same run, written to
 * results/bench-latest.csv with the columns
 *
 *     case,model,workers,measured,reference,ratio,target,met,unit
 *
 * A case is a function that measures and adds rows; cases live in
 * harness/bench_*.c and are listed in the table in harness/bench/bench.c.
 * A benchmark measures: it never fails because a target was missed, only
 * when results are wrong (the case returns -1).
 */
#ifndef CONCUR_BENCH_H
#define CONCUR_BENCH_H

#include <stdio.h>

#include "models/model.h"

struct bench_row {
	const char *case_name; /* "io" */
	const char *model;     /* "threads", "concur-serve", ... */
	int workers;	       /* C, 0 where it means nothing */
	double measured;       /* median of the repetitions */
	double reference;      /* ideal or peer median; NAN when none */
	double ratio;	       /* defined by the case; NAN when none */
	char target[24];       /* "<=1.10", ">=1.9", "0.9..1.1" or "" */
	const char *unit;      /* "s", "tasks/s", "us", "KiB", ... */
};

struct bench_ctx {
	const char *server_url; /* the embedded server, started for the run */
	int server_pid;		/* its process, for its CPU time */
	int repeat;		/* repetitions per measurement (>= 3) */
	int cores;		/* online CPUs */
	int quick;		/* smaller sizes, for a smoke test */
	struct bench_row *rows; /* rows added so far (owned by bench.c) */
	size_t n_rows, cap_rows;
	int wrong; /* set when a case saw wrong results */
};

struct bench_case {
	const char *name;    /* what --cases takes */
	const char *summary; /* one line */
	int (*run)(
		struct bench_ctx *ctx); /* 0, or -1 when results were wrong */
};

/* Adds a row (copied; strings must outlive the run or be literals) and
 * prints it. "met" is derived from ratio and target. */
void bench_add_row(struct bench_ctx *ctx, const struct bench_row *row);

/* Is `ratio` within `target` ("<=1.10", ">=1.9", "0.9..1.1")? Returns 1,
 * 0, or -1 when there is no target. */
int bench_target_met(const char *target, double ratio);

/* Runs model m on the batch at C = workers in a fresh child (as `concur
 * run` does), checks every result against ref (or, when ref is NULL, that
 * every task ended ok), and returns the wall time in seconds; negative,
 * and ctx->wrong set, when results were wrong. Most cases use it. */
double bench_time_model(struct bench_ctx *ctx, const struct model *m,
			struct batch *batch, const struct batch *ref,
			int workers);

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

/* The io case's measurement for a list of models: 1,000 fetches of
 * /delay/100 at C = 100 (200 with --quick), one row per model with ratio
 * = median / ideal and the given target. 0, or -1 on wrong results. */
int bench_io_rows(struct bench_ctx *ctx, const char *case_name,
		  const char *const *names, size_t n_names, const char *target);

/* The registered models among names (a model not built is skipped). */
size_t bench_models(const char *const *names, size_t n,
		    const struct model **out);

/* A batch of n compute tasks of `work` units (seeds 0..n-1). */
struct batch *bench_compute_batch(size_t n, uint32_t work);

#define BENCH_MAX_MODELS 8

/* Median of v[0..n). */
double bench_median(const double *v, size_t n);

/* `concur bench [--cases LIST] [--repeat R] [--quick]`. */
int bench_main(int argc, char **argv);

#endif
