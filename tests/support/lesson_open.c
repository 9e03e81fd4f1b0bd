// SPDX-License-Identifier: MIT
/*
 * lesson_open.c - the numbers of lesson 16, "Open loop", recomputed from
 * its result sets (sets 0 to 2: the pool of threads offered half its
 * capacity, 90% of it, one and a half times it; sets 3 to 5: eventloop
 * and coroutines offered the same; the last: the server's stall, the one
 * kept after any attempt set aside), and the picture's load.csv: a row
 * per model and rate, the pool's tail past its knee well above the
 * loop's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/support/lesson_check.h"

/* The knee: what the pool served over its busy time, and the corrected
 * p99 of each rate. */
static void lo_knee(struct lc *l, int set, const char *served, const char *p99)
{
	/* C 0: the set's one row of threads, whatever its C. */
	double tasks = lc_sum(l, set, "fetch", "threads", 0, "tasks");
	double errors = lc_sum(l, set, "fetch", "threads", 0, "errors");
	double wall = lc_wall(l, set, "fetch", "threads", 0);
	double want = (tasks - errors) / (wall - 0.1);
	lc_expect(l, served, want, 0.002 * want + 0.01);
	lc_expect(l, p99,
		  lc_sum(l, set, "fetch", "threads", 0, "corrected_p99_ms"),
		  0.01);
}

/* The loops at the three rates (sets 3 to 5): their printed p99s. */
static void lo_loops(struct lc *l)
{
	static const char *const loops[] = {"eventloop", "coroutines"};
	static const char *const rates[] = {"under", "near", "over"};
	for (int m = 0; m < 2; m++)
		for (int i = 0; i < 3; i++) {
			char key[64];
			snprintf(key, sizeof(key), "p99_%s_%s", rates[i],
				 loops[m]);
			lc_expect(l, key,
				  lc_sum(l, 3 + i, "fetch", loops[m], 0,
					 "corrected_p99_ms"),
				  0.01);
		}
}

/* load.csv's row of model m at offered rate `rate`, or -1. */
static long lo_row(const struct csv *c, const char *m, double rate)
{
	for (size_t r = 0; r < c->rows; r++) {
		const char *cell = csv_cell(c, r, "model");
		if (cell && strcmp(cell, m) == 0 &&
		    fabs(csv_num(c, r, "rate") - rate) < 1e-6 * rate)
			return (long)r;
	}
	return -1;
}

/* The picture's data, in the first result set: three rates for each of
 * the three models, the rates the sweeps ran; past the knee the pool's
 * corrected p99 at least twice the event loop's (a fetch, in the loop;
 * a fetch and a growing queue, in the pool). */
static void lo_load_csv(struct lc *l, const char *dir)
{
	char path[4200];
	struct csv c;
	snprintf(path, sizeof(path), "%s/load.csv", dir);
	if (csv_load(path, &c) != 0) {
		lc_fail(l, "lesson 16 wrote no %s", path);
		return;
	}
	static const char *const models[] = {"threads", "eventloop",
					     "coroutines"};
	double cap = c.rows ? csv_num(&c, 0, "capacity") : NAN;
	const double share[] = {0.5, 0.9, 1.5};
	for (int m = 0; m < 3 && !l->err; m++)
		for (int i = 0; i < 3; i++)
			if (lo_row(&c, models[m], cap * share[i]) < 0) {
				lc_fail(l,
					"load.csv has no %s row at %.0f%% "
					"of the capacity %g",
					models[m], share[i] * 100, cap);
				break;
			}
	long t = lo_row(&c, "threads", cap * 1.5);
	long e = lo_row(&c, "eventloop", cap * 1.5);
	if (!l->err && t >= 0 && e >= 0) {
		double pool = csv_num(&c, (size_t)t, "corrected_p99_ms");
		double loop = csv_num(&c, (size_t)e, "corrected_p99_ms");
		if (!(pool > 2 * loop))
			lc_fail(l,
				"at 150%% of capacity threads' corrected "
				"p99 was %g ms, not over twice eventloop's %g",
				pool, loop);
		lc_expect(l, "p99_over", pool, 0.01);
		lc_expect(l, "p99_over_eventloop", loop, 0.01);
	}
	csv_free(&c);
}

/* The first result set's directory, as the lesson printed it. */
static int lo_first_set(const struct lc *l, char *dir, size_t size)
{
	const char *p = strstr(l->out, "  result set: ");
	if (!p)
		return -1;
	p += strlen("  result set: ");
	snprintf(dir, size, "%.*s", (int)strcspn(p, "\n"), p);
	return 0;
}

void lc_open_loop(struct lc *l)
{
	if (l->sets < 7) {
		lc_fail(l, "lesson 16 saved %d result sets, not 7", l->sets);
		return;
	}
	char dir[4096];
	if (lo_first_set(l, dir, sizeof(dir)) == 0)
		lo_load_csv(l, dir);
	lo_loops(l);
	lo_knee(l, 0, "served_under", "p99_under");
	lc_expect(l, "p99_near",
		  lc_sum(l, 1, "fetch", "threads", 0, "corrected_p99_ms"),
		  0.01);
	lo_knee(l, 2, "served_over", "p99_over");
	int last = l->sets - 1;
	static const char *const keys[][2] = {
		{"naive_p99", "naive_p99_ms"},
		{"corrected_p99", "corrected_p99_ms"},
		{"naive_p50", "naive_p50_ms"},
		{"corrected_p50", "corrected_p50_ms"},
		{"corrected_max", "corrected_max_ms"},
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		lc_expect(l, keys[k][0],
			  lc_sum(l, last, "fetch", "threads", 0, keys[k][1]) /
				  1e3,
			  1e-5);
}
