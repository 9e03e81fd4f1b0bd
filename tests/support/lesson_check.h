// SPDX-License-Identifier: MIT
/*
 * lesson_check.h - checks what `concur lesson N --quick` printed against
 * the result sets it saved: every "measured: NAME = VALUE" line a lesson
 * prints is recomputed here, independently, from summary.csv and runs.csv,
 * so an explanation cannot quote a number its own run did not produce.
 */
#ifndef CONCUR_TEST_LESSON_CHECK_H
#define CONCUR_TEST_LESSON_CHECK_H

#include <stddef.h>

#include "tests/support/csv.h"

/* Checks the stdout of `concur lesson n --quick ...`. Returns NULL when
 * every number agrees (and there are at least two), else a message about
 * the first problem (static storage). */
const char *lesson_check(int n, const char *out);

/* The value printed as "measured: key = VALUE" in out; 0 when found. */
int lesson_measured_value(const char *out, const char *key, double *v);

/* ---- for tests/support/lesson_numbers.c: the recomputing kit ---- */

/* Result sets a lesson may save (lesson 12: one per --sync; lesson 16:
 * seven, and a retried stall's). */
#define LC_MAX_SETS 10

/* One lesson output being checked. */
struct lc {
	int n;
	const char *out;
	struct csv sum[LC_MAX_SETS], runs[LC_MAX_SETS]; /* per result set,
							   in printed order */
	int sets;
	int cores;
	const char *err; /* the first problem, or NULL */
	int checked;	 /* numbers compared */
};

/* Records the first problem. */
void lc_fail(struct lc *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Compares the printed "measured: key" with want, within 0.1% + abs; a
 * missing line is a failure. */
void lc_expect(struct lc *l, const char *key, double want, double abs);
/* A summary.csv cell of (workload, model, C) in result set `set`, its
 * median wall time, its user + system CPU. */
double lc_sum(struct lc *l, int set, const char *w, const char *m, int c,
	      const char *col);
double lc_wall(struct lc *l, int set, const char *w, const char *m, int c);
double lc_cpu(struct lc *l, int set, const char *w, const char *m, int c);
/* (col(hi) - col(lo)) / (hi - lo) * scale, in result set 0. */
double lc_per(struct lc *l, const char *w, const char *m, int lo, int hi,
	      const char *col, double scale);
/* Median of a runs.csv column over (w, m, C); rep0: first runs only. */
double lc_runs_median(struct lc *l, int set, const char *w, const char *m,
		      int c, const char *col, int rep0);
/* The C values of a model's summary rows, ascending. */
size_t lc_workers(struct lc *l, const char *w, const char *m, int *out,
		  size_t cap);
/* The smallest C within 10% of the fastest; *best_c the fastest. */
int lc_knee(struct lc *l, const char *w, const char *m, int *best_c);
/* thread_create_us, fork_us and their ratio agree. */
void lc_spawn(struct lc *l);
/* Runs the checks of lesson l->n (lesson_numbers.c). */
void lc_lesson(struct lc *l);
/* The checks of "Beyond one machine", whatever its number
 * (lesson_beyond.c). */
void lc_beyond(struct lc *l);
/* The checks of "Open loop" (lesson 16), found by its title
 * (lesson_open.c). */
void lc_open_loop(struct lc *l);
/* Lesson 4's section "Under the loop" (lesson_pollers.c). */
void lc_pollers(struct lc *l);
/* The checks of "async/await", found by its title (lesson_async.c). */
void lc_async(struct lc *l);
/* The same for "Scheduler costs" (lesson_scheduler.c). */
void lc_scheduler(struct lc *l);
/* The same for lessons 11 to 15 (lesson_numbers_state.c). */
void lc_lesson_state(struct lc *l);
/* "Python threads in parallel" (lesson_pythreads.c), found by its title. */
void lc_pythreads(struct lc *l);

#endif
