// SPDX-License-Identifier: MIT
/*
 * lesson_check.c - reading a lesson's output and result sets, and the kit
 * lesson_numbers.c recomputes each lesson's numbers with.
 */
#include "tests/support/lesson_check.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char lc_msg[1024];

void lc_fail(struct lc *l, const char *fmt, ...)
{
	if (l->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = snprintf(lc_msg, sizeof(lc_msg), "lesson %d: ", l->n);
	vsnprintf(lc_msg + k, sizeof(lc_msg) - (size_t)k, fmt, ap);
	va_end(ap);
	l->err = lc_msg;
}

int lesson_measured_value(const char *out, const char *key, double *v)
{
	char pat[160];
	snprintf(pat, sizeof(pat), "measured: %s = ", key);
	const char *p = strstr(out, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	if (!strncmp(p, "nan", 3) || !strncmp(p, "-nan", 4)) {
		*v = NAN;
		return 0;
	}
	char *end;
	*v = strtod(p, &end);
	return end == p ? -1 : 0;
}

/* Compares a printed number with the one recomputed: 4 significant
 * digits are printed, so 0.1% plus the CSV's own rounding (abs). */
void lc_expect(struct lc *l, const char *key, double want, double abs)
{
	double got;
	if (lesson_measured_value(l->out, key, &got) != 0) {
		lc_fail(l, "no 'measured: %s' line", key);
		return;
	}
	l->checked++;
	if (isnan(want) && isnan(got))
		return;
	double tol = abs + 1e-3 * fmax(fabs(want), fabs(got));
	if (!(fabs(got - want) <= tol))
		lc_fail(l, "%s printed %.6g, but the result set gives %.6g",
			key, got, want);
}

/* A summary.csv cell of (workload, model, C) in result set `set`. */
double lc_sum(struct lc *l, int set, const char *w, const char *m, int c,
	      const char *col)
{
	long r = csv_find(&l->sum[set], 0, w, m, c);
	if (r < 0) {
		lc_fail(l, "no summary row for %s %s C=%d", w, m, c);
		return NAN;
	}
	return csv_num(&l->sum[set], (size_t)r, col);
}

double lc_wall(struct lc *l, int set, const char *w, const char *m, int c)
{
	return lc_sum(l, set, w, m, c, "wall_median_s");
}

double lc_cpu(struct lc *l, int set, const char *w, const char *m, int c)
{
	return lc_sum(l, set, w, m, c, "user_s") +
	       lc_sum(l, set, w, m, c, "sys_s");
}

/* (col(hi) - col(lo)) / (hi - lo) * scale. */
double lc_per(struct lc *l, const char *w, const char *m, int lo, int hi,
	      const char *col, double scale)
{
	return (lc_sum(l, 0, w, m, hi, col) - lc_sum(l, 0, w, m, lo, col)) /
	       (hi - lo) * scale;
}

static int lc_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of a runs.csv column over the runs of (w, m, C); rep0 keeps
 * only the first repetition. */
double lc_runs_median(struct lc *l, int set, const char *w, const char *m,
		      int c, const char *col, int rep0)
{
	double v[64];
	size_t n = 0;
	for (long r = csv_find(&l->runs[set], 0, w, m, c); r >= 0 && n < 64;
	     r = csv_find(&l->runs[set], (size_t)r + 1, w, m, c))
		if (!rep0 || csv_num(&l->runs[set], (size_t)r, "rep") == 0)
			v[n++] = csv_num(&l->runs[set], (size_t)r, col);
	if (n == 0) {
		lc_fail(l, "no runs of %s %s C=%d", w, m, c);
		return NAN;
	}
	qsort(v, n, sizeof(v[0]), lc_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The C values of a model's rows, in file order (ascending). */
size_t lc_workers(struct lc *l, const char *w, const char *m, int *out,
		  size_t cap)
{
	size_t n = 0;
	for (long r = csv_find(&l->sum[0], 0, w, m, 0); r >= 0 && n < cap;
	     r = csv_find(&l->sum[0], (size_t)r + 1, w, m, 0))
		out[n++] = (int)csv_num(&l->sum[0], (size_t)r, "workers");
	if (n == 0)
		lc_fail(l, "no rows for %s %s", w, m);
	return n;
}

/* The knee: the smallest C within 10% of the fastest time. */
int lc_knee(struct lc *l, const char *w, const char *m, int *best_c)
{
	int cs[32];
	size_t n = lc_workers(l, w, m, cs, 32);
	double best = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (lc_wall(l, 0, w, m, cs[i]) < best) {
			best = lc_wall(l, 0, w, m, cs[i]);
			*best_c = cs[i];
		}
	for (size_t i = 0; i < n; i++)
		if (lc_wall(l, 0, w, m, cs[i]) <= best * 1.1)
			return cs[i];
	return 0;
}

/* The spawn benchmark's figures agree with each other. */
void lc_spawn(struct lc *l)
{
	double t, f;
	if (lesson_measured_value(l->out, "thread_create_us", &t) ||
	    lesson_measured_value(l->out, "fork_us", &f) || !(t > 0) ||
	    !(f > 0)) {
		lc_fail(l, "no positive thread_create_us and fork_us");
		return;
	}
	lc_expect(l, "fork_to_thread", f / t, 0.001 * f / t);
}

const char *lesson_check(int n, const char *out)
{
	struct lc l;
	memset(&l, 0, sizeof(l));
	l.n = n;
	l.out = out;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	l.cores = cores > 0 ? (int)cores : 1;
	const char *p = out;
	while (l.sets < LC_MAX_SETS && (p = strstr(p, "  result set: "))) {
		char dir[4096], path[4200];
		p += strlen("  result set: ");
		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(p, "\n"), p);
		snprintf(path, sizeof(path), "%s/summary.csv", dir);
		int rc = csv_load(path, &l.sum[l.sets]);
		snprintf(path, sizeof(path), "%s/runs.csv", dir);
		rc |= csv_load(path, &l.runs[l.sets]);
		if (rc != 0)
			lc_fail(&l, "cannot read the result set %s", dir);
		l.sets++;
	}
	if (l.sets == 0)
		lc_fail(&l, "printed no 'result set:' line");
	bool by_title = strstr(out, ": Beyond one machine\n") ||
			strstr(out, ": Python threads in parallel\n");
	if (!l.err && strstr(out, ": Beyond one machine\n"))
		lc_beyond(&l);
	else if (!l.err && strstr(out, ": Open loop\n"))
		lc_open_loop(&l);
	else if (!l.err && strstr(out, ": Python threads in parallel\n"))
		lc_pythreads(&l);
	else if (!l.err && strstr(out, ": async/await\n"))
		lc_async(&l);
	else if (!l.err && strstr(out, ": Scheduler costs\n"))
		lc_scheduler(&l);
	else if (!l.err && n >= 1 && n <= 10)
		lc_lesson(&l);
	if (!l.err && n >= 11 && !by_title)
		lc_lesson_state(&l);
	if (!l.err && l.checked < 2)
		lc_fail(&l,
			"only %d measured numbers; an explanation needs "
			"two",
			l.checked);
	for (int i = 0; i < l.sets; i++) {
		csv_free(&l.sum[i]);
		csv_free(&l.runs[i]);
	}
	return l.err;
}
