// SPDX-License-Identifier: MIT
/*
 * significance.h - is a difference between two sets of wall times real?
 * The statistics behind `concur compare` and the report's "compared
 * with" section, as asv and criterion.rs judge a change:
 *
 *   - the change B/A as the ratio of the medians, with a 95% confidence
 *     interval from a bootstrap (resample each side's runs, take the
 *     ratio of the medians, 2000 times; the middle 95% of the ratios);
 *   - the Mann-Whitney U test: do B's runs tend to be slower or faster
 *     than A's? Exact p-value for small samples without ties, the normal
 *     approximation (tie-corrected) otherwise;
 *   - a distribution-free interval for one median from order statistics.
 *
 * A difference is "real" when p < 0.05 and the interval leaves out 1.
 * With too few runs no test can reach p < 0.05 (3 against 3: the smallest
 * two-sided p is 0.10); the verdict then says so instead of guessing.
 *
 * Errors: none; impossible values come back as NAN.
 */
#ifndef CONCUR_SIGNIFICANCE_H
#define CONCUR_SIGNIFICANCE_H

#include <stddef.h>

/* The level every verdict uses. */
#define SIGNIFICANCE_ALPHA 0.05

/* Mann-Whitney U of a (m values) against b (n values): U counts the pairs
 * where a's value is the larger (ties count 1/2). */
double significance_u(const double *a, size_t m, const double *b, size_t n);

/* P(U <= u) for samples of m and n without ties, exactly (the table
 * students find in a textbook is this function's inverse). */
double significance_u_cdf(size_t m, size_t n, double u);

/* Two-sided p-value of the Mann-Whitney test; NAN when a side is empty. */
double significance_mann_whitney(const double *a, size_t m, const double *b,
				 size_t n);

/* The smallest two-sided p the test could give with m and n runs. */
double significance_min_p(size_t m, size_t n);

/* 95% interval for median(b)/median(a) by a seeded bootstrap (the same
 * runs always give the same interval). */
void significance_ratio_ci(const double *a, size_t m, const double *b, size_t n,
			   double *lo, double *hi);

/* Interval for the median of v from order statistics, covering at least
 * `level` (e.g. 0.95): [x(k), x(n+1-k)] with the largest such k. Returns
 * 0, or -1 when n is too small for that level (lo, hi = min, max). */
int significance_median_ci(const double *v, size_t n, double level, double *lo,
			   double *hi);

/* The verdict of A against B. */
enum significance_verdict {
	SIG_TOO_FEW,  /* too few runs for any test to decide */
	SIG_SAME,     /* no measurable difference */
	SIG_B_FASTER, /* B is faster, beyond the noise */
	SIG_B_SLOWER, /* B is slower, beyond the noise */
};

struct significance {
	double ratio;  /* median(b) / median(a) */
	double lo, hi; /* its 95% interval */
	double p;      /* Mann-Whitney two-sided p */
	enum significance_verdict verdict;
};

struct significance significance_compare(const double *a, size_t m,
					 const double *b, size_t n);

/* Holm's step-down adjustment of n p-values tested at once, in place:
 * the k-th smallest becomes max over j <= k of min(1, (n - j + 1) p_j),
 * so that the chance of calling any one of the n a change by luck stays
 * under the level (with 20 cases at 0.05, about one would be otherwise). */
void significance_holm(double *p, size_t n);

/* s's verdict again, from the p-value adjusted for the cases tested
 * with it (a case too few runs could decide stays so). */
void significance_reverdict(struct significance *s, double p_adjusted);

/* The verdict in words: "no measurable difference", "B is faster", ... */
const char *significance_words(enum significance_verdict v);

#endif
