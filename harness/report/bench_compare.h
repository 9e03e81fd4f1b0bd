// SPDX-License-Identifier: MIT
/*
 * bench_compare.h - two bench files (bench_file.h) compared row by row:
 * each row's ratio before (A) and now (B), the change in percent, and a
 * word for it, read in the direction the row's target gives: "<=" lower
 * is better, ">=" higher is better. A change of BENCH_CHANGE_PCT or more
 * that way is "worse" or "better", less is "same"; a row with no target
 * or a range ("0.9..1.1") has no direction and is not judged.
 *
 * A ratio is read against another only from the same machine (bench_
 * machine_differs): `concur bench` warns about the run before it only
 * then, and `concur compare A.csv B.csv` refuses two machines unless
 * --any-machine is given. Nor is a --quick run's ratio read against a full
 * run's (bench warns about neither; compare says so). The load averages
 * are shown beside the comparison, never checked: a loaded machine moves
 * a ratio too, and only the reader can tell how much.
 *
 * Errors: bench_compare_main returns the exit status (2: a file refused,
 * two machines); the rest cannot fail.
 */
#ifndef CONCUR_BENCH_COMPARE_H
#define CONCUR_BENCH_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/report/bench_file.h"

/* The change, in percent the bad way, that counts as worse. */
#define BENCH_CHANGE_PCT 15.0

enum bench_move {
	BENCH_MOVE_NONE,   /* no direction, or a ratio missing */
	BENCH_MOVE_SAME,   /* less than BENCH_CHANGE_PCT either way */
	BENCH_MOVE_WORSE,  /* BENCH_CHANGE_PCT or more the bad way */
	BENCH_MOVE_BETTER, /* BENCH_CHANGE_PCT or more the good way */
};

/* -1: lower is better ("<=1.25"), +1: higher is better (">=1.8"), 0:
 * neither (no target, a range). */
int bench_target_direction(const char *target);

/* How ratio a became b under target; *change_pct = (b - a) / a * 100
 * (NAN when a ratio is missing). */
enum bench_move bench_move_of(const char *target, double a, double b,
			      double *change_pct);

/* NULL when both files record the same machine; else one phrase into
 * buf, naming the files name_a and name_b: "A records no machine",
 * "kernel: 6.1 (A) vs 6.18 (B)". */
const char *bench_files_differ(const struct bench_file *a,
			       const struct bench_file *b, const char *name_a,
			       const char *name_b, char *buf, size_t len);

/* `concur bench`'s look back: when before (the file the run replaced)
 * and now are from the same machine, a line "warning: ..." on out for
 * each ratio of now BENCH_CHANGE_PCT or more worse than before's, then
 * how many of how many; else the line "previous bench from another
 * machine: not compared (why)". Returns the number of warnings. */
size_t bench_compare_previous(FILE *out, const struct bench_file *before,
			      const struct bench_file *now);

/* `concur compare A.csv B.csv [--any-machine]`: the table; returns the
 * exit status. */
int bench_compare_main(const char *path_a, const char *path_b, int any_machine);

#endif
