// SPDX-License-Identifier: MIT
/*
 * stats.h - the statistics concur reports: median with min and max over
 * repetitions, per-task latency percentiles, and hyperfine's two noise
 * warnings (a wide spread, a first run that stands out).
 */
#ifndef CONCUR_STATS_H
#define CONCUR_STATS_H

#include <stddef.h>

struct spread {
	double median, min, max, mean;
	size_t n;
};

/* Median, min, max and mean of v[0..n) (v is not changed). n may be 0
 * (all NAN). */
struct spread stats_spread(const double *v, size_t n);

/* The p-th percentile (0..100) by linear interpolation between closest
 * ranks, as numpy's default does. NAN when n == 0. */
double stats_percentile(const double *v, size_t n, double p);

/* Max over min above this is a noisy case (hyperfine warns too). */
#define STATS_NOISY_RATIO 1.5

/* Is the first of n runs an outlier (a cold cache, a first connect)? True
 * when it is slower than every other run and more than STATS_FIRST_OUTLIER
 * times their median. With few runs a statistical test has nothing to
 * stand on; this rule only flags what a reader would see at a glance. */
#define STATS_FIRST_OUTLIER 1.2
int stats_first_is_outlier(const double *v, size_t n);

#endif
