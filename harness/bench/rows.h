// SPDX-License-Identifier: MIT
/*
 * rows.h - what a bench case is and the rows it adds: the types every case
 * file shares with bench.c, which runs the cases and writes the rows to
 * results/bench-latest.csv with the columns
 *
 *     case,model,workers,measured,reference,ratio,target,met,unit
 *
 * and the machine's columns after them (bench.h).
 *
 * A case is a function that measures (with the kit of kit.h) and adds
 * rows. A benchmark measures: it never fails because a target was missed,
 * only when results are wrong (the case returns -1).
 */
#ifndef CONCUR_BENCH_ROWS_H
#define CONCUR_BENCH_ROWS_H

#include <stddef.h>

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
	double load;		/* 1-minute load average at the start */
	struct bench_row *rows; /* rows added so far (owned by bench.c) */
	size_t n_rows, cap_rows;
	int wrong;	      /* set when a case saw wrong results */
	double last_start_ms; /* the last timed run's start per worker, in
				 ms (kit.h); NAN when it reported none */
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

/* "yes", "no" or "n/a": the row's "met" column. */
const char *bench_met_word(const struct bench_row *r);

#endif
