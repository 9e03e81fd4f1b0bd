// SPDX-License-Identifier: MIT
/* significance.c - Mann-Whitney U, a bootstrap interval for a ratio of
 * medians, an order-statistic interval for one median, and the verdict
 * that puts them together (significance.h says why each). */
#include "harness/report/significance.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/base/stats.h"

#define SIG_BOOTSTRAP_ROUNDS 2000
#define SIG_EXACT_MAX 60 /* m + n up to which the exact U table is used */

double significance_u(const double *a, size_t m, const double *b, size_t n)
{
	double u = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			u += a[i] > b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;
	return u;
}

/* Counts of each U for m and n: the coefficients of the Gaussian binomial
 * [m+n choose m] in q, built one factor (1 - q^(n+k)) / (1 - q^k) at a
 * time, so every step is again a polynomial of whole numbers. */
static double *sig_u_counts(size_t m, size_t n)
{
	size_t len = m * n + m + 1;
	double *c = calloc(len, sizeof(double));
	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t k = 1; k <= m; k++) {
		for (size_t u = len; u-- > n + k;)
			c[u] -= c[u - (n + k)];
		for (size_t u = k; u < len; u++)
			c[u] += c[u - k];
	}
	return c;
}

double significance_u_cdf(size_t m, size_t n, double u)
{
	if (m == 0 || n == 0 || m + n > SIG_EXACT_MAX)
		return NAN;
	double *c = sig_u_counts(m, n);
	if (!c)
		return NAN;
	double below = 0, all = 0;
	for (size_t k = 0; k <= m * n; k++) {
		all += c[k];
		if ((double)k <= u + 1e-9)
			below += c[k];
	}
	free(c);
	return below / all;
}

double significance_min_p(size_t m, size_t n)
{
	double ways = 1; /* C(m+n, m) */
	for (size_t k = 1; k <= m; k++)
		ways = ways * (double)(n + k) / (double)k;
	return m && n ? fmin(1.0, 2.0 / ways) : 1.0;
}

static int sig_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Sum over groups of tied values of t^3 - t, for the normal variance. */
static double sig_ties(const double *a, size_t m, const double *b, size_t n)
{
	double *all = malloc((m + n) * sizeof(double)), t3 = 0;
	if (!all)
		return 0;
	memcpy(all, a, m * sizeof(double));
	memcpy(all + m, b, n * sizeof(double));
	qsort(all, m + n, sizeof(double), sig_cmp);
	for (size_t i = 0; i < m + n;) {
		size_t j = i;
		while (j < m + n && all[j] == all[i])
			j++;
		double t = (double)(j - i);
		t3 += t * t * t - t;
		i = j;
	}
	free(all);
	return t3;
}

double significance_mann_whitney(const double *a, size_t m, const double *b,
				 size_t n)
{
	if (m == 0 || n == 0)
		return NAN;
	double u = significance_u(a, m, b, n), mn = (double)m * (double)n;
	double ties = sig_ties(a, m, b, n);
	if (ties == 0 && m + n <= SIG_EXACT_MAX)
		return fmin(1.0, 2 * significance_u_cdf(m, n, fmin(u, mn - u)));
	double N = (double)(m + n);
	double var = mn / 12.0 * ((N + 1) - ties / (N * (N - 1)));
	if (var <= 0)
		return 1.0; /* every value equal */
	double z = (fabs(u - mn / 2) - 0.5) / sqrt(var);
	return z <= 0 ? 1.0 : erfc(z / sqrt(2.0));
}

/* splitmix64: a small, seeded generator, so an interval is reproducible. */
static uint64_t sig_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The median of n values drawn with replacement from v (scratch: n). */
static double sig_resample_median(const double *v, size_t n, double *scratch,
				  uint64_t *state)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = v[sig_next(state) % n];
	return stats_spread(scratch, n).median;
}

void significance_ratio_ci(const double *a, size_t m, const double *b, size_t n,
			   double *lo, double *hi)
{
	*lo = *hi = NAN;
	double *ratios = malloc(SIG_BOOTSTRAP_ROUNDS * sizeof(double));
	double *scratch = malloc((m > n ? m : n) * sizeof(double) + 1);
	uint64_t state = 0x636f6e637572ULL; /* "concur" */
	if (m && n && ratios && scratch) {
		for (int r = 0; r < SIG_BOOTSTRAP_ROUNDS; r++) {
			double ma = sig_resample_median(a, m, scratch, &state);
			double mb = sig_resample_median(b, n, scratch, &state);
			ratios[r] = mb / ma;
		}
		*lo = stats_percentile(ratios, SIG_BOOTSTRAP_ROUNDS, 2.5);
		*hi = stats_percentile(ratios, SIG_BOOTSTRAP_ROUNDS, 97.5);
	}
	free(ratios);
	free(scratch);
}

/* P(Binomial(n, 1/2) <= k). */
static double sig_binom_cdf(size_t n, size_t k)
{
	double term = pow(0.5, (double)n), sum = 0; /* C(n, 0) / 2^n */
	for (size_t i = 0; i <= k && i <= n; i++) {
		sum += term;
		term = term * (double)(n - i) / (double)(i + 1);
	}
	return sum;
}

int significance_median_ci(const double *v, size_t n, double level, double *lo,
			   double *hi)
{
	*lo = *hi = NAN;
	if (n == 0)
		return -1;
	double *s = malloc(n * sizeof(double));
	if (!s)
		return -1;
	memcpy(s, v, n * sizeof(double));
	qsort(s, n, sizeof(double), sig_cmp);
	size_t best = 0; /* 1-based k; 0: no k reaches the level */
	for (size_t k = 1; 2 * k <= n + 1; k++)
		if (1 - 2 * sig_binom_cdf(n, k - 1) >= level)
			best = k;
	*lo = s[best ? best - 1 : 0];
	*hi = s[best ? n - best : n - 1];
	free(s);
	return best ? 0 : -1;
}

/* A change is called when p is under the level and the interval leaves
 * out 1, on the side it lies. */
static enum significance_verdict significance_verdict_of(double p, double lo,
							 double hi)
{
	if (p < SIGNIFICANCE_ALPHA && hi < 1)
		return SIG_B_FASTER;
	if (p < SIGNIFICANCE_ALPHA && lo > 1)
		return SIG_B_SLOWER;
	return SIG_SAME;
}

struct significance significance_compare(const double *a, size_t m,
					 const double *b, size_t n)
{
	struct significance s;
	s.ratio = stats_spread(b, n).median / stats_spread(a, m).median;
	significance_ratio_ci(a, m, b, n, &s.lo, &s.hi);
	s.p = significance_mann_whitney(a, m, b, n);
	s.verdict = significance_min_p(m, n) >= SIGNIFICANCE_ALPHA
			    ? SIG_TOO_FEW
			    : significance_verdict_of(s.p, s.lo, s.hi);
	return s;
}

void significance_reverdict(struct significance *s, double p_adjusted)
{
	if (s->verdict != SIG_TOO_FEW)
		s->verdict = significance_verdict_of(p_adjusted, s->lo, s->hi);
}

void significance_holm(double *p, size_t n)
{
	size_t *order = malloc(n * sizeof(*order));
	if (!order || n < 2) {
		free(order);
		return;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* insertion sort by p: n is the number of cases, tens at most */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && p[order[j]] < p[order[j - 1]];
		     j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	double running = 0;
	for (size_t k = 0; k < n; k++) {
		double adj = fmin(1.0, (double)(n - k) * p[order[k]]);
		running = fmax(running, adj);
		p[order[k]] = running;
	}
	free(order);
}

const char *significance_words(enum significance_verdict v)
{
	switch (v) {
	case SIG_TOO_FEW:
		return "too few runs to tell";
	case SIG_B_FASTER:
		return "B is faster";
	case SIG_B_SLOWER:
		return "B is slower";
	case SIG_SAME:
	default:
		return "no measurable difference";
	}
}
