// SPDX-License-Identifier: MIT
/*
 * lesson_numbers_state.c - the numbers of lessons 11 to 15 (shared state
 * and Amdahl's law), recomputed from their result sets with the sizes of
 * --quick, written out again from the CSV columns as lesson_numbers.c
 * does for lessons 1 to 10.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "tests/support/lesson_check.h"

/* The fewest (most = 0) or most lost updates over the runs of a case. */
static double lc_lost_extreme(struct lc *l, const char *m, int c, int most)
{
	double v = NAN;
	for (long r = csv_find(&l->runs[0], 0, "shared", m, c); r >= 0;
	     r = csv_find(&l->runs[0], (size_t)r + 1, "shared", m, c)) {
		double x = csv_num(&l->runs[0], (size_t)r, "lost_updates");
		if (isnan(v) || (most ? x > v : x < v))
			v = x;
	}
	return v;
}

static double lc_increments(struct lc *l, int set, const char *w, const char *m,
			    int c)
{
	return lc_sum(l, set, w, m, c, "tasks") *
	       lc_sum(l, set, w, m, c, "work") * 10000;
}

static void lc_data_race(struct lc *l)
{
	int c = l->cores > 1 ? l->cores : 2;
	lc_expect(l, "increments", lc_increments(l, 0, "shared", "threads", c),
		  0);
	lc_expect(
		l, "lost_threads",
		lc_runs_median(l, 0, "shared", "threads", c, "lost_updates", 0),
		0.5);
	lc_expect(l, "lost_threads_fewest", lc_lost_extreme(l, "threads", c, 0),
		  0);
	lc_expect(l, "lost_threads_most", lc_lost_extreme(l, "threads", c, 1),
		  0);
	lc_expect(l, "lost_threads_many",
		  lc_runs_median(l, 0, "shared", "threads", 4 * c,
				 "lost_updates", 0),
		  0.5);
	const char *others[] = {"gil", "processes", "eventloop"};
	for (int i = 0; i < 3; i++) {
		char key[64];
		snprintf(key, sizeof(key), "lost_%s", others[i]);
		lc_expect(l, key,
			  lc_runs_median(l, 0, "shared", others[i], c,
					 "lost_updates", 0),
			  0.5);
	}
}

/* Millions of increments a second of threads at C in result set `set`. */
static double lc_rate(struct lc *l, int set, int c)
{
	return lc_increments(l, set, "shared", "threads", c) /
	       lc_wall(l, set, "shared", "threads", c) / 1e6;
}

/* Every run of set a's case beat every run of set b's, at C. */
static double lc_beats(struct lc *l, int a, int b, int c)
{
	return lc_sum(l, a, "shared", "threads", c, "wall_max_s") <
			       lc_sum(l, b, "shared", "threads", c,
				      "wall_min_s")
		       ? 1
		       : 0;
}

static void lc_lock_price(struct lc *l)
{
	static const char *const syncs[] = {"mutex", "spin", "atomic",
					    "sharded"};
	const int at[] = {1, l->cores, 4 * l->cores};
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k < 3; k++) {
			char key[64];
			snprintf(key, sizeof(key), "rate_%s_c%d", syncs[i],
				 at[k]);
			lc_expect(l, key, lc_rate(l, i, at[k]), 0.01);
		}
		if (i > 0) {
			char key[64];
			snprintf(key, sizeof(key), "%s_to_mutex", syncs[i]);
			lc_expect(l, key,
				  lc_rate(l, i, l->cores) /
					  lc_rate(l, 0, l->cores),
				  1e-4);
		}
	}
	lc_expect(l, "sharded_beats_mutex", lc_beats(l, 3, 0, l->cores), 0);
	lc_expect(l, "atomic_beats_mutex", lc_beats(l, 2, 0, l->cores), 0);
}

static void lc_false_sharing(struct lc *l)
{
	int c = l->cores;
	lc_expect(l, "rate_packed_c1", lc_rate(l, 0, 1), 0.01);
	lc_expect(l, "rate_padded_c1", lc_rate(l, 1, 1), 0.01);
	lc_expect(l, "rate_packed", lc_rate(l, 0, c), 0.01);
	lc_expect(l, "rate_padded", lc_rate(l, 1, c), 0.01);
	lc_expect(l, "padded_to_packed_c1", lc_rate(l, 1, 1) / lc_rate(l, 0, 1),
		  1e-4);
	lc_expect(l, "padded_to_packed", lc_rate(l, 1, c) / lc_rate(l, 0, c),
		  1e-4);
	lc_expect(l, "padded_beats_packed", lc_beats(l, 1, 0, c), 0);
}

static void lc_deadlock(struct lc *l)
{
	lc_expect(l, "deadlock_wall", lc_wall(l, 0, "shared", "threads", 2),
		  1e-6);
	lc_expect(l, "deadlock_stopped_tasks",
		  lc_runs_median(l, 0, "shared", "threads", 2, "timeout", 1) +
			  lc_runs_median(l, 0, "shared", "threads", 2,
					 "not_run", 1),
		  0);
	if (l->sets < 2)
		lc_fail(l, "no result set of the ordered run");
	else
		lc_expect(l, "ordered_wall",
			  lc_wall(l, 1, "shared", "threads", 2), 1e-6);
}

/* Amdahl's s by least squares on 1/S = s + (1 - s)/P, P = min(C, cores),
 * from summary.csv's speedup column (4 decimals: abs tolerance). */
static double lc_serial_fraction(struct lc *l)
{
	int cs[32];
	size_t n = lc_workers(l, "compute", "threads", cs, 32);
	double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		int p = cs[i] < l->cores ? cs[i] : l->cores;
		double x = 1.0 / p, y = 1 / lc_sum(l, 0, "compute", "threads",
						   cs[i], "speedup");
		num += (1 - x) * (y - x);
		den += (1 - x) * (1 - x);
	}
	return den > 0 ? num / den : NAN;
}

/* Lesson 15: the fit, and its laws only when s is a fraction; the
 * scaled sets (one per P) hold threads at C = 1 and C = P on P times the
 * batch: the scaled speedup is T1(PN) / T_P(PN). */
static void lc_amdahl(struct lc *l)
{
	int c = l->cores;
	double s = lc_serial_fraction(l);
	bool fraction = s >= 0 && s <= 1;
	double base = lc_wall(l, 0, "compute", "sequential", 1);
	lc_expect(l, "serial_fraction", s, 2e-3);
	lc_expect(l, "speedup_at_cores",
		  lc_sum(l, 0, "compute", "threads", c, "speedup"), 1e-4);
	double lo = base / lc_sum(l, 0, "compute", "threads", c, "wall_min_s");
	double hi = base / lc_sum(l, 0, "compute", "threads", c, "wall_max_s");
	lc_expect(l, "serial_fraction_low", (1 / lo - 1.0 / c) / (1 - 1.0 / c),
		  1e-4);
	lc_expect(l, "serial_fraction_high", (1 / hi - 1.0 / c) / (1 - 1.0 / c),
		  1e-4);
	double unused;
	if (fraction) {
		lc_expect(l, "amdahl_limit", 1 / s, 2e-3 / (s * s));
		lc_expect(l, "amdahl_at_64", 1 / (s + (1 - s) / 64), 0.2);
	} else if (lesson_measured_value(l->out, "amdahl_limit", &unused) ==
		   0) {
		lc_fail(l, "s = %g is no fraction, yet a limit was predicted",
			s);
	}
	for (int p = 2, set = 1; p <= c && set < l->sets; p *= 2, set++) {
		char key[64];
		snprintf(key, sizeof(key), "scaled_speedup_%d", p);
		lc_expect(l, key,
			  lc_wall(l, set, "compute", "threads", 1) /
				  lc_wall(l, set, "compute", "threads", p),
			  1e-4);
		snprintf(key, sizeof(key), "gustafson_%d", p);
		if (fraction)
			lc_expect(l, key, p - s * (p - 1), 2e-3 * p);
		else if (lesson_measured_value(l->out, key, &unused) == 0)
			lc_fail(l, "%s predicted from s = %g, no fraction", key,
				s);
	}
}

static void (*const lc_state_lessons[5])(struct lc *) = {
	lc_data_race, lc_lock_price, lc_false_sharing, lc_deadlock, lc_amdahl,
};

void lc_lesson_state(struct lc *l)
{
	if (l->n >= 11 && l->n <= 15)
		lc_state_lessons[l->n - 11](l);
}
