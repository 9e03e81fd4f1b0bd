// SPDX-License-Identifier: MIT
/*
 * verdict.h - what a lesson's text may say when it puts two sets of
 * timings side by side ("the farm won", "shared memory is faster than a
 * pipe"): only what the figures show.
 *
 * A difference is shown when the two ranges (fastest to slowest) do not
 * overlap and the statistical compare of `concur compare`
 * (harness/report/significance.h: Mann-Whitney and a bootstrap interval
 * of the ratio of medians) calls it beyond the noise. Overlapping
 * ranges, too few runs for the test, or no measurable difference: the
 * text says "not shown" and why.
 *
 * Errors: none.
 */
#ifndef CONCUR_LESSON_VERDICT_H
#define CONCUR_LESSON_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/run/sweep.h"

enum verdict_kind {
	VERDICT_B_FASTER,	   /* b's times are lower, and it shows */
	VERDICT_B_SLOWER,	   /* b's times are higher, and it shows */
	VERDICT_NOT_SHOWN_OVERLAP, /* the ranges overlap */
	VERDICT_NOT_SHOWN_FEW,	   /* too few runs for any test */
	VERDICT_NOT_SHOWN_SAME,	   /* the test finds no difference */
};

struct verdict {
	enum verdict_kind kind;
	double a_lo, a_hi, b_lo, b_hi; /* the ranges */
	double ratio;		       /* median(b) / median(a) */
	double p;		       /* Mann-Whitney two-sided p */
};

/* Times a (m values) against times b (n values). */
struct verdict verdict_compare(const double *a, size_t m, const double *b,
			       size_t n);

/* Did the figures show a difference? */
bool verdict_shown(const struct verdict *v);

/* Why not, in a clause ("the ranges overlap (0.98-1.45 s and 1.20-2.70
 * s)"), or "" when shown; `unit` follows each range. */
void verdict_why_not(const struct verdict *v, const char *unit, char *buf,
		     size_t len);

/* The wall times of a case's runs in s (model, workload, C), at most cap;
 * returns how many. */
size_t verdict_case_walls(const struct sweep *s, const char *model,
			  enum task_type w, int workers, double *out,
			  size_t cap);

#endif
