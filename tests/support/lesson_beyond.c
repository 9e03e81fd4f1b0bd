// SPDX-License-Identifier: MIT
/*
 * lesson_beyond.c - the numbers of the lesson "Beyond one machine"
 * recomputed from its result sets (set 0: fetch/compute/mixed, or compute
 * alone without Open MPI; set 1: weak scaling; set 2: the skewed batch).
 * Found by its title, not its number, so the lesson table may renumber it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/support/lesson_check.h"

/* The latencies agree with their ratios. */
static void lb_messages(struct lc *l, int mpi)
{
	double t, p, shm, tcp;
	if (lesson_measured_value(l->out, "thread_handoff_us", &t) ||
	    lesson_measured_value(l->out, "pipe_us", &p) || !(t > 0) ||
	    !(p > 0)) {
		lc_fail(l, "no positive thread_handoff_us and pipe_us");
		return;
	}
	lc_expect(l, "pipe_to_thread", p / t, 0.001 * p / t);
	if (!mpi)
		return;
	if (lesson_measured_value(l->out, "mpi_shm_us", &shm) ||
	    lesson_measured_value(l->out, "mpi_tcp_us", &tcp) || !(shm > 0) ||
	    !(tcp > 0)) {
		lc_fail(l, "no positive mpi_shm_us and mpi_tcp_us");
		return;
	}
	lc_expect(l, "tcp_to_shm", tcp / shm, 0.001 * tcp / shm);
	double median;
	if (lesson_measured_value(l->out, "mpi_tcp_median_us", &median) ||
	    !(median > 0))
		lc_fail(l, "no positive mpi_tcp_median_us");
}

static void lb_pay(struct lc *l, int c)
{
	const char *w[] = {"fetch", "compute", "mixed"};
	for (int k = 0; k < 3; k++) {
		char key[64];
		if (csv_find(&l->sum[0], 0, w[k], "mpi", 0) < 0)
			continue; /* --quick runs no mixed */
		snprintf(key, sizeof(key), "mpi_speedup_%s", w[k]);
		lc_expect(l, key, lc_sum(l, 0, w[k], "mpi", c, "speedup"),
			  1e-3);
		snprintf(key, sizeof(key), "threads_speedup_%s", w[k]);
		lc_expect(l, key, lc_sum(l, 0, w[k], "threads", c, "speedup"),
			  1e-3);
	}
	lc_expect(l, "mpi_fetch_cpu_s", lc_cpu(l, 0, "fetch", "mpi", c), 2e-3);
	lc_expect(l, "threads_fetch_cpu_s", lc_cpu(l, 0, "fetch", "threads", c),
		  2e-3);
	double setup = lc_sum(l, 0, "compute", "mpi", c, "setup_s");
	lc_expect(l, "mpi_setup_s", setup, 1e-4);
	if (c > 1)
		lc_expect(l, "break_even_serial_s", setup * c / (c - 1), 1e-3);
}

/* Strong and weak scaling, Amdahl and Gustafson: the weak set holds the
 * model at C = 1 and C = c on c times the batch, and Gustafson is
 * predicted only from an f that is a fraction. */
static void lb_scaling(struct lc *l, const char *m, int c)
{
	double w1 = lc_wall(l, 0, "compute", m, 1);
	double wc = lc_wall(l, 0, "compute", m, c);
	double s1 = lc_sum(l, 0, "compute", m, 1, "setup_s");
	double sc = lc_sum(l, 0, "compute", m, c, "setup_s");
	double sp = w1 / wc;
	lc_expect(l, "strong_speedup", sp, 1e-4);
	lc_expect(l, "strong_speedup_after_launch", (w1 - s1) / (wc - sc),
		  1e-3);
	double f = c > 1 ? (c / sp - 1) / (c - 1) : NAN;
	lc_expect(l, "amdahl_serial_fraction", f, 1e-3);
	int fraction = f >= 0 && f <= 1;
	double v;
	if (fraction)
		lc_expect(l, "amdahl_limit", 1 / f, 2e-3 / (f * f));
	else if (!lesson_measured_value(l->out, "amdahl_limit", &v))
		lc_fail(l, "f = %g is no fraction, yet a limit was given", f);
	if (l->sets < 2)
		return;
	double big = lc_wall(l, 1, "compute", m, c);
	lc_expect(l, "weak_efficiency", w1 / big, 1e-4);
	lc_expect(l, "scaled_speedup", lc_wall(l, 1, "compute", m, 1) / big,
		  1e-3);
	if (fraction)
		lc_expect(l, "gustafson_predicted", c - f * (c - 1), 1e-2);
	else if (!lesson_measured_value(l->out, "gustafson_predicted", &v))
		lc_fail(l, "Gustafson predicted from f = %g, no fraction", f);
}

static void lb_skew(struct lc *l, int c)
{
	double dw = lc_wall(l, 2, "compute", "mpi", c);
	double sw = lc_wall(l, 2, "compute", "mpi-static", c);
	lc_expect(l, "static_over_dynamic", sw / dw, 1e-4);
	lc_expect(l, "dynamic_x_ideal",
		  lc_sum(l, 2, "compute", "mpi", c, "ratio_to_ideal"), 1e-3);
	lc_expect(l, "static_x_ideal",
		  lc_sum(l, 2, "compute", "mpi-static", c, "ratio_to_ideal"),
		  1e-3);
	lc_expect(l, "static_over_dynamic_after_launch",
		  (sw - lc_sum(l, 2, "compute", "mpi-static", c, "setup_s")) /
			  (dw - lc_sum(l, 2, "compute", "mpi", c, "setup_s")),
		  1e-3);
	lc_expect(l, "farm_cpu_over_static",
		  lc_cpu(l, 2, "compute", "mpi", c) /
			  lc_cpu(l, 2, "compute", "mpi-static", c),
		  2e-3);
}

void lc_beyond(struct lc *l)
{
	int mpi = csv_find(&l->sum[0], 0, "compute", "mpi", 0) >= 0;
	lb_messages(l, mpi);
	if (mpi)
		lb_pay(l, l->cores);
	lb_scaling(l, mpi ? "mpi" : "processes", l->cores);
	if (mpi && l->sets >= 3)
		lb_skew(l, l->cores > 2 ? l->cores : 2);
	else if (mpi)
		lc_fail(l, "the skew part saved no result set");
}
