// SPDX-License-Identifier: MIT
/* stats.c - medians, percentiles and the noise rules. */
#include "harness/base/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int stats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A sorted copy; NULL when n == 0 or out of memory. */
static double *stats_sorted(const double *v, size_t n)
{
	if (n == 0)
		return NULL;
	double *s = malloc(n * sizeof(double));
	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(double));
	qsort(s, n, sizeof(double), stats_cmp);
	return s;
}

static double stats_sorted_percentile(const double *s, size_t n, double p)
{
	double rank = p / 100.0 * (double)(n - 1);
	size_t lo = (size_t)floor(rank), hi = (size_t)ceil(rank);
	return s[lo] + (s[hi] - s[lo]) * (rank - (double)lo);
}

double stats_percentile(const double *v, size_t n, double p)
{
	double *s = stats_sorted(v, n);
	if (!s)
		return NAN;
	double x = stats_sorted_percentile(s, n, p);
	free(s);
	return x;
}

struct spread stats_spread(const double *v, size_t n)
{
	struct spread sp = {NAN, NAN, NAN, NAN, n};
	double *s = stats_sorted(v, n);
	if (!s)
		return sp;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	sp.median = stats_sorted_percentile(s, n, 50);
	sp.min = s[0];
	sp.max = s[n - 1];
	sp.mean = sum / (double)n;
	free(s);
	return sp;
}

int stats_first_is_outlier(const double *v, size_t n)
{
	if (n < 3)
		return 0;
	double med = stats_percentile(v + 1, n - 1, 50);
	for (size_t i = 1; i < n; i++)
		if (v[0] <= v[i])
			return 0;
	return v[0] > STATS_FIRST_OUTLIER * med;
}
