// SPDX-License-Identifier: MIT
/*
 * lesson_scheduler.c - the numbers of the lesson "Scheduler costs"
 * (harness/lessons/scheduler.c), whatever its number, recomputed from its
 * first result set: each model's overhead per task, its run part (mpi's
 * and py-dask's start, startup_s, taken out) over N, and its break-even
 * p x C / (C - 1).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/support/lesson_check.h"

void lc_scheduler(struct lc *l)
{
	static const char *const models[] = {"py-dask", "py-processes", "mpi"};
	static const char *const keys[] = {"py_dask", "py_processes", "mpi"};
	for (size_t i = 0; i < 3; i++) {
		long r = csv_find(&l->sum[0], 0, "compute", models[i], 0);
		if (r < 0)
			continue; /* skipped here: said so in the text */
		double c = csv_num(&l->sum[0], (size_t)r, "workers");
		double n = csv_num(&l->sum[0], (size_t)r, "tasks");
		double run = csv_num(&l->sum[0], (size_t)r, "wall_median_s");
		if (strcmp(models[i], "py-processes") != 0)
			run -= lc_runs_median(l, 0, "compute", models[i],
					      (int)c, "startup_s", 0);
		double p = run / n * 1e3;
		char key[64];
		snprintf(key, sizeof(key), "%s_overhead_ms", keys[i]);
		lc_expect(l, key, p, 1e-3);
		snprintf(key, sizeof(key), "%s_break_even_ms", keys[i]);
		lc_expect(l, key, p * c / (c - 1), 1e-3);
	}
}
