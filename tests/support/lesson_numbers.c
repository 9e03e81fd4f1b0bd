// SPDX-License-Identifier: MIT
/*
 * lesson_numbers.c - each lesson's numbers, recomputed from its result
 * sets with the sizes of --quick. The formulas are written out again here
 * on purpose, from the CSV columns (results/README.md), not shared with
 * the lessons in harness/lessons/: a lesson that derives a number wrongly
 * disagrees with this file.
 */
#include <math.h>
#include <stdio.h>

#include "tests/support/lesson_check.h"

static void lc_waiting(struct lc *l)
{
	double w = lc_wall(l, 0, "fetch", "sequential", 1);
	double ideal = lc_sum(l, 0, "fetch", "sequential", 1, "ideal_s");
	double n = lc_sum(l, 0, "fetch", "sequential", 1, "tasks");
	double cpu = lc_cpu(l, 0, "fetch", "sequential", 1);
	lc_expect(l, "fetch_wall", w, 1e-6);
	lc_expect(l, "fetch_waits", ideal, 1e-6);
	lc_expect(l, "fetch_cpu", cpu, 2e-6);
	lc_expect(l, "fetch_cpu_share", cpu / w, 1e-5);
	lc_expect(l, "fetch_overhead_per_task", (w - ideal) / n * 1e3, 0.01);
	lc_expect(l, "compute_cpu_share",
		  lc_cpu(l, 0, "compute", "sequential", 1) /
			  lc_wall(l, 0, "compute", "sequential", 1),
		  1e-5);
}

static void lc_threads_io(struct lc *l)
{
	int cs[32], best = 0;
	size_t n = lc_workers(l, "fetch", "threads", cs, 32);
	int knee = lc_knee(l, "fetch", "threads", &best), top = cs[n - 1];
	lc_expect(l, "wall_at_prediction", lc_wall(l, 0, "fetch", "threads", 4),
		  1e-6);
	lc_expect(l, "speedup_at_prediction",
		  lc_sum(l, 0, "fetch", "threads", 4, "speedup"), 1e-4);
	lc_expect(l, "knee_workers", knee, 0);
	lc_expect(l, "efficiency_at_knee",
		  lc_sum(l, 0, "fetch", "threads", knee, "efficiency"), 1e-4);
	lc_expect(l, "ratio_to_ideal_at_max",
		  lc_sum(l, 0, "fetch", "threads", top, "ratio_to_ideal"),
		  1e-4);
	lc_expect(l, "workers_started_at_max",
		  lc_sum(l, 0, "fetch", "threads", top, "workers_started"), 0);
}

/* The shared-pages paragraph of lessons 3 and 9: RSS added up, the
 * tree's PSS, and the USS one more process adds. */
static void lc_shared_pages(struct lc *l, int lo, int hi)
{
	lc_expect(l, "processes_rss_sum_mib",
		  lc_sum(l, 0, "fetch", "processes", hi, "peak_rss_kib") / 1024,
		  1e-3);
	lc_expect(l, "processes_pss_mib",
		  lc_sum(l, 0, "fetch", "processes", hi, "peak_pss_kib") / 1024,
		  1e-3);
	lc_expect(l, "uss_per_process",
		  lc_per(l, "fetch", "processes", lo, hi, "peak_uss_kib", 1),
		  0.6);
}

static void lc_processes_io(struct lc *l)
{
	int cs[8];
	size_t n = lc_workers(l, "fetch", "threads", cs, 8);
	int lo = cs[0], hi = cs[n - 1];
	lc_spawn(l);
	lc_expect(l, "wall_ratio_processes_to_threads",
		  lc_wall(l, 0, "fetch", "processes", hi) /
			  lc_wall(l, 0, "fetch", "threads", hi),
		  1e-5);
	lc_expect(l, "memory_ratio_processes_to_threads",
		  lc_sum(l, 0, "fetch", "processes", hi, "peak_pss_kib") /
			  lc_sum(l, 0, "fetch", "threads", hi, "peak_pss_kib"),
		  1e-3);
	lc_expect(l, "kib_per_thread",
		  lc_per(l, "fetch", "threads", lo, hi, "peak_pss_kib", 1),
		  0.6);
	lc_expect(l, "kib_per_process",
		  lc_per(l, "fetch", "processes", lo, hi, "peak_pss_kib", 1),
		  0.6);
	lc_expect(l, "setup_per_thread",
		  lc_sum(l, 0, "fetch", "threads", hi, "setup_s") / hi * 1e6,
		  1.0 / hi + 0.01);
	lc_expect(l, "setup_per_process",
		  lc_sum(l, 0, "fetch", "processes", hi, "setup_s") / hi * 1e6,
		  1.0 / hi + 0.01);
	lc_shared_pages(l, lo, hi);
}

static void lc_event_loop(struct lc *l)
{
	int cs[8];
	size_t n = lc_workers(l, "fetch", "eventloop", cs, 8);
	int lo = cs[0], hi = cs[n - 1];
	double loop = lc_wall(l, 0, "fetch", "eventloop", hi);
	lc_expect(l, "loop_wall", loop, 1e-6);
	lc_expect(l, "loop_ratio_to_ideal",
		  lc_sum(l, 0, "fetch", "eventloop", hi, "ratio_to_ideal"),
		  1e-4);
	lc_expect(l, "loop_cpu", lc_cpu(l, 0, "fetch", "eventloop", hi), 2e-6);
	lc_expect(l, "kib_per_transfer_loop",
		  lc_per(l, "fetch", "eventloop", lo, hi, "peak_pss_kib", 1),
		  0.6);
	lc_expect(l, "kib_per_transfer_threads",
		  lc_per(l, "fetch", "threads", lo, hi, "peak_pss_kib", 1),
		  0.6);
	lc_expect(l, "kib_per_transfer_processes",
		  lc_per(l, "fetch", "processes", lo, hi, "peak_pss_kib", 1),
		  0.6);
	lc_pollers(l);
	if (csv_find(&l->sum[0], 0, "fetch", "py-asyncio", hi) < 0)
		return;
	double py = lc_wall(l, 0, "fetch", "py-asyncio", hi);
	lc_expect(l, "py_asyncio_wall", py, 1e-6);
	lc_expect(l, "py_asyncio_to_c_loop", py / loop, 1e-4);
}

/* C for the CPU lessons: one per core, two on a one-core machine. */
static int lc_cw(const struct lc *l)
{
	return l->cores > 1 ? l->cores : 2;
}

static void lc_python_speedups(struct lc *l, int cw)
{
	if (csv_find(&l->sum[0], 0, "compute", "py-threads", cw) < 0)
		return;
	lc_expect(l, "py_threads_speedup",
		  lc_sum(l, 0, "compute", "py-threads", cw, "speedup"), 1e-4);
	lc_expect(l, "py_processes_speedup",
		  lc_sum(l, 0, "compute", "py-processes", cw, "speedup"), 1e-4);
}

static void lc_cpu_bound(struct lc *l)
{
	int cw = lc_cw(l);
	lc_expect(l, "cores", l->cores, 0);
	lc_expect(l, "threads_speedup",
		  lc_sum(l, 0, "compute", "threads", cw, "speedup"), 1e-4);
	lc_expect(l, "processes_speedup",
		  lc_sum(l, 0, "compute", "processes", cw, "speedup"), 1e-4);
	lc_expect(l, "eventloop_speedup",
		  lc_sum(l, 0, "compute", "eventloop", cw, "speedup"), 1e-4);
	lc_expect(l, "gain_beyond_cores",
		  lc_wall(l, 0, "compute", "threads", cw) /
			  lc_wall(l, 0, "compute", "threads", 2 * cw),
		  1e-5);
	lc_python_speedups(l, cw);
}

static void lc_gil_part(struct lc *l, int set, const char *tag, int cw)
{
	char key[64];
	double wall = lc_wall(l, set, "compute", "gil", cw);
	snprintf(key, sizeof(key), "handovers_per_s_%s", tag);
	lc_expect(l, key,
		  lc_runs_median(l, set, "compute", "gil", cw, "handovers", 0) /
			  wall,
		  0.01);
	snprintf(key, sizeof(key), "lock_wait_share_%s", tag);
	lc_expect(
		l, key,
		lc_runs_median(l, set, "compute", "gil", cw, "lock_wait_s", 0) /
			(wall * cw),
		1e-4);
}

static void lc_gil(struct lc *l)
{
	int cw = lc_cw(l);
	if (l->sets < 2) {
		lc_fail(l, "two result sets expected, %d printed", l->sets);
		return;
	}
	lc_expect(l, "gil_speedup",
		  lc_sum(l, 0, "compute", "gil", cw, "speedup"), 1e-4);
	lc_expect(l, "threads_speedup",
		  lc_sum(l, 0, "compute", "threads", cw, "speedup"), 1e-4);
	lc_gil_part(l, 0, "5ms", cw);
	lc_gil_part(l, 1, "0.5ms", cw);
	lc_python_speedups(l, cw);
}

static void lc_mixed(struct lc *l)
{
	static const char *const models[] = {"hybrid", "eventloop", "threads",
					     "gil", "processes"};
	lc_expect(l, "hybrid_vs_eventloop",
		  lc_wall(l, 0, "mixed", "eventloop", 4) /
			  lc_wall(l, 0, "mixed", "hybrid", 4),
		  1e-5);
	for (size_t i = 0; i < 5; i++) {
		char key[64];
		snprintf(key, sizeof(key), "x_ideal_%s", models[i]);
		lc_expect(l, key,
			  lc_sum(l, 0, "mixed", models[i], 4, "ratio_to_ideal"),
			  1e-4);
		snprintf(key, sizeof(key), "cores_busy_%s", models[i]);
		lc_expect(l, key,
			  lc_cpu(l, 0, "mixed", models[i], 4) /
				  lc_wall(l, 0, "mixed", models[i], 4),
			  1e-4);
	}
	lc_expect(l, "p50_eventloop",
		  lc_sum(l, 0, "mixed", "eventloop", 4, "lat_p50_ms"), 0.002);
	lc_expect(l, "p50_hybrid",
		  lc_sum(l, 0, "mixed", "hybrid", 4, "lat_p50_ms"), 0.002);
}

static void lc_how_many(struct lc *l)
{
	int cs[32], best = 0;
	size_t n = lc_workers(l, "mixed", "threads", cs, 32);
	int knee = lc_knee(l, "mixed", "threads", &best), top = cs[n - 1];
	double tasks = lc_sum(l, 0, "mixed", "threads", top, "tasks");
	double lambda = tasks / lc_wall(l, 0, "mixed", "threads", best);
	double w = lc_wall(l, 0, "mixed", "sequential", 1) / tasks;
	lc_expect(l, "knee_workers", knee, 0);
	lc_expect(l, "best_throughput", lambda, 1e-3);
	lc_expect(l, "task_time_alone", w, 1e-6);
	lc_expect(l, "littles_law_workers", lambda * w, 1e-3);
	lc_expect(l, "p50_at_knee",
		  lc_sum(l, 0, "mixed", "threads", knee, "lat_p50_ms"), 0.002);
	lc_expect(l, "p50_at_max",
		  lc_sum(l, 0, "mixed", "threads", top, "lat_p50_ms"), 0.002);
}

static void lc_worker_price(struct lc *l)
{
	static const char *const m[] = {"threads", "processes", "eventloop"};
	static const char *const what[] = {"thread", "process", "transfer"};
	int cs[8];
	size_t n = lc_workers(l, "fetch", "threads", cs, 8);
	int lo = cs[0], hi = cs[n - 1];
	lc_spawn(l);
	for (size_t i = 0; i < 3; i++) {
		char key[64];
		snprintf(key, sizeof(key), "kib_per_%s", what[i]);
		lc_expect(l, key,
			  lc_per(l, "fetch", m[i], lo, hi, "peak_pss_kib", 1),
			  0.6);
		snprintf(key, sizeof(key), "setup_per_%s", what[i]);
		lc_expect(l, key,
			  lc_per(l, "fetch", m[i], lo, hi, "setup_s", 1e6),
			  0.1);
	}
	lc_shared_pages(l, lo, hi);
	lc_expect(l, "loop_us_per_transfer",
		  (lc_wall(l, 0, "fetch", "eventloop", hi) -
		   lc_sum(l, 0, "fetch", "eventloop", hi, "ideal_s")) /
			  lc_sum(l, 0, "fetch", "eventloop", hi, "tasks") * 1e6,
		  0.1);
}

static void lc_honest(struct lc *l)
{
	int c1 = l->cores, c4 = 4 * l->cores;
	const char *w[] = {"compute", "fetch"};
	for (int i = 0; i < 2; i++) {
		char key[64];
		snprintf(key, sizeof(key), "spread_%s_pct", w[i]);
		lc_expect(l, key,
			  (lc_sum(l, 0, w[i], "threads", c1, "wall_max_s") /
				   lc_sum(l, 0, w[i], "threads", c1,
					  "wall_min_s") -
			   1) * 100,
			  0.01);
		snprintf(key, sizeof(key), "cpu_share_%s", w[i]);
		lc_expect(l, key,
			  lc_cpu(l, 0, w[i], "sequential", 1) /
				  lc_wall(l, 0, w[i], "sequential", 1),
			  1e-4);
	}
	lc_expect(l, "first_run_ratio",
		  lc_runs_median(l, 0, "compute", "threads", c1, "wall_s", 1) /
			  lc_wall(l, 0, "compute", "threads", c1),
		  1e-5);
	lc_expect(l, "gain_beyond_cores",
		  lc_wall(l, 0, "compute", "threads", c1) /
			  lc_wall(l, 0, "compute", "threads", c4),
		  1e-5);
}

static void (*const lc_lessons[10])(struct lc *) = {
	lc_waiting,	 lc_threads_io, lc_processes_io, lc_event_loop,
	lc_cpu_bound,	 lc_gil,	lc_mixed,	 lc_how_many,
	lc_worker_price, lc_honest,
};

void lc_lesson(struct lc *l)
{
	if (l->n >= 1 && l->n <= 10)
		lc_lessons[l->n - 1](l);
}
