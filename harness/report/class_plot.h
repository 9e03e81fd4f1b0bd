// SPDX-License-Identifier: MIT
/*
 * class_plot.h - the class page's picture, drawn here as SVG (no gnuplot
 * run per class, so 200 machines take no longer than 20): for each model
 * and C of one workload, a box from the first to the third quartile of
 * the machines' speedups, a line at the median, and one dot per machine;
 * outliers in red. A dashed line at 1 is "as fast as sequential".
 *
 * Errors: none.
 */
#ifndef CONCUR_CLASS_PLOT_H
#define CONCUR_CLASS_PLOT_H

#include <stddef.h>
#include <stdio.h>

/* One workload x model x C (x --sync, for the shared workload) across
 * the class: one speedup per machine, the newest set of a hand-in that
 * ran it; the cases with wrong results counted, not plotted. */
struct class_group {
	char workload[32], model[64], sync[32];
	int workers;
	double *v;   /* speedups */
	size_t *who; /* the set each came from */
	size_t n;
	size_t wrong;	       /* cases left out: wrong results */
	double q1, median, q3; /* quartiles of v (NAN when n is 0) */
};

/* Far from the class: beyond 1.5 interquartile ranges (Tukey's fences). */
int class_is_outlier(const struct class_group *g, double v);

/* Draws the groups of `workload` (in their order) as one inline SVG. */
void class_plot(FILE *f, const struct class_group *groups, size_t n,
		const char *workload);

#endif
