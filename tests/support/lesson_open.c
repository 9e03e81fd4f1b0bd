// SPDX-License-Identifier: MIT
/*
 * lesson_open.c - the numbers of lesson 16, "Open loop", recomputed from
 * its result sets (set 0: offered half the pool's capacity; set 1: 90%
 * of it; set 2: one and a half times it; the last: the server's stall,
 * the one kept after any attempt set aside).
 */
#include <math.h>
#include <stdio.h>

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

void lc_open_loop(struct lc *l)
{
	if (l->sets < 4) {
		lc_fail(l, "lesson 16 saved %d result sets, not 4", l->sets);
		return;
	}
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
