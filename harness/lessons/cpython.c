// SPDX-License-Identifier: MIT
/*
 * cpython.c - the Python side of lessons 5 and 6: what CPython's threads
 * and processes did beside the C models, and how Python's multiprocessing
 * starts its workers, measured. For the start methods, py-processes runs the lesson's Python batch once
 * under each start method (fork, forkserver, spawn), and reports how long
 * its pool took to have every worker ready and what pickling one task and
 * its result costs (models/python/py-processes.py).
 *
 * The runs go through measure_run as every run does (a forked child, the
 * watchdog, results checked against the sweep's reference), but are not
 * a sweep of their own: the start method is one option for the whole
 * run, and three tables would hide the one comparison that matters.
 */
#include "harness/lessons/cpython.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/run/measure.h"
#include "harness/run/verify.h"

/* ---- what py-threads and py-processes did ---- */

/* Why py-processes fell short of the cores, from its own figures. */
static void cpython_processes_short(const struct lesson_ctx *ctx,
				    const struct sweep *s, int cw, double sp)
{
	const struct case_summary *pp =
		lesson_case(s, "py-processes", TASK_COMPUTE, cw);
	double pool = lesson_figure(s, "py-processes", TASK_COMPUTE, cw,
				    "pool_start_s");
	if (!isnan(pool) && pool >= 0.15 * pp->wall.median)
		lesson_say("%d processes were %.2f times as fast here; getting "
			   "the pool's %d workers ready took %.0f ms more, "
			   "before the %.3f s run (it is counted apart, as "
			   "start-up): on a batch this short the start "
			   "outweighs what the cores save (the start methods "
			   "below compare that cost).",
			   cw, sp, cw, pool * 1e3, pp->wall.median);
	else if (ctx->judge.invalid || judge_machine_busy(ctx))
		lesson_say("%d processes were %.2f times as fast here: the "
			   "pool was ready in %.0f ms, so the cores, not the "
			   "start, were missing; this machine was busy.",
			   cw, sp, pool * 1e3);
	else
		lesson_say("%d processes were %.2f times as fast here, though "
			   "the pool was ready in %.0f ms: on a batch this "
			   "short, the pipes to and from the workers and the "
			   "baseline's own noise weigh; --repeat 5 tells "
			   "which.",
			   cw, sp, pool * 1e3);
}

void lesson_cpython_speedups(const struct lesson_ctx *ctx,
			     const struct sweep *s, int cw)
{
	int cores = ctx->cores;
	const struct case_summary *pt =
		lesson_case(s, "py-threads", TASK_COMPUTE, cw);
	const struct case_summary *pp =
		lesson_case(s, "py-processes", TASK_COMPUTE, cw);
	if (!pt || !pp)
		return;
	double st = lesson_measured("py_threads_speedup", pt->speedup, "x");
	double sp = lesson_measured("py_processes_speedup", pp->speedup, "x");
	double p = cw < cores ? cw : cores;
	if (st < 1.2)
		lesson_say("In CPython, %d threads ran the same kind of work "
			   "%.2f times as fast as one loop: the GIL lets one "
			   "thread run Python at a time, as the Python text "
			   "says.",
			   cw, st);
	else if (ctx->judge.invalid)
		lesson_say("In CPython, %d threads were %.2f times as fast as "
			   "one loop, which under the GIL only a slowed "
			   "baseline allows: this run cannot tell (see "
			   "above).",
			   cw, st);
	else if (cores > 1 && st < 0.7 * p)
		lesson_say("In CPython, %d threads were %.2f times as fast as "
			   "one loop: more than the GIL allows for pure "
			   "computing, far less than the cores. On a run this "
			   "short, noise on the py-sequential baseline does "
			   "that; run again with --repeat 5 before drawing a "
			   "conclusion.",
			   cw, st);
	else
		lesson_say("In this Python, threads sped CPU work up %.2f "
			   "times, against the Python text's claim: is it a "
			   "free-threaded build (python3.13t, without the "
			   "GIL)?",
			   st);
	if (cores > 1 && sp >= 0.6 * p)
		lesson_say("%d processes, each with its own interpreter and "
			   "its own GIL, were %.2f times as fast: the way "
			   "around the GIL for CPU work.",
			   cw, sp);
	else if (cores == 1)
		lesson_say("%d processes were %.2f times as fast here: on one "
			   "core no model can be faster.",
			   cw, sp);
	else
		cpython_processes_short(ctx, s, cw, sp);
}

/* ---- the start methods ---- */

/* What one start method gave (medians over its runs). */
struct py_start_row {
	const char *method;
	double run_s, pool_s, pickle_us, pickle_bytes;
	bool ok; /* every run matched the reference */
};

static double py_start_median2(const double *v, int n)
{
	return n == 1 ? v[0] : n == 2 ? (v[0] + v[1]) / 2 : NAN;
}

/* Runs py-processes on g's batch under one method, `reps` times. */
static void py_start_measure(const struct sweep *s, struct sweep_group *g,
			     int workers, int reps, struct py_start_row *row)
{
	const struct model *m = model_find("py-processes");
	double run[2], pool[2], us[2], bytes[2];
	int n = 0;
	row->ok = m != NULL;
	for (int i = 0; m && i < reps && i < 2; i++) {
		struct run_stats stats;
		memset(&stats, 0, sizeof(stats));
		struct run_opts o = plan_run_opts(s->plan, workers);
		struct external_opts x = plan_external_opts(s->plan);
		x.start_method = row->method;
		o.stats = &stats;
		struct measurement me;
		batch_reset_results(g->batch);
		if (measure_run(m, g->batch, &o, &x, &me) != 0 ||
		    me.model_rc != 0)
			break;
		struct verify_report rep;
		verify_results(g->reference, g->batch, &rep);
		row->ok = row->ok && verify_ok(&rep);
		run[n] = me.wall_s;
		pool[n] = run_stats_get(&me.stats, "pool_start_s", NAN);
		us[n] = run_stats_get(&me.stats, "pickle_us_per_task", NAN);
		bytes[n] =
			run_stats_get(&me.stats, "pickle_bytes_per_task", NAN);
		n++;
	}
	row->ok = row->ok && n > 0;
	row->run_s = py_start_median2(run, n);
	row->pool_s = py_start_median2(pool, n);
	row->pickle_us = py_start_median2(us, n);
	row->pickle_bytes = py_start_median2(bytes, n);
}

/* The Python compute group of s, or NULL. */
static struct sweep_group *py_start_group(struct sweep *s)
{
	for (size_t i = 0; i < s->n_groups; i++)
		if (s->groups[i].python &&
		    s->groups[i].workload == TASK_COMPUTE)
			return &s->groups[i];
	return NULL;
}

static void py_start_explain(const struct py_start_row *rows, int workers,
			     double work_s)
{
	const struct py_start_row *fork = &rows[0], *spawn = &rows[2];
	if (spawn->pool_s < 1.5 * fork->pool_s)
		lesson_say("Here spawn (%.0f ms) was not clearly slower than "
			   "fork (%.0f ms) to get %d workers ready, against "
			   "what starting a fresh interpreter costs: this "
			   "machine's load blurred it; run the lesson again "
			   "when it is quieter.",
			   spawn->pool_s * 1e3, fork->pool_s * 1e3, workers);
	else
		lesson_say(
			"fork copies the parent as it is, so a worker is ready "
			"almost at once (%.0f ms for all %d); spawn starts a "
			"fresh "
			"interpreter that imports the program again (%.0f ms, "
			"%.1f times as long); forkserver forks each worker "
			"from a "
			"small server started once (%.0f ms). Linux used fork "
			"by "
			"default up to Python 3.13 and forkserver from 3.14; "
			"macOS and Windows use spawn, so the same program "
			"starts "
			"slower there.",
			fork->pool_s * 1e3, workers, spawn->pool_s * 1e3,
			spawn->pool_s / fork->pool_s, rows[1].pool_s * 1e3);
	lesson_say("Every task goes to a worker and every result comes back "
		   "pickled: %.0f bytes and %.0f us a task here, against "
		   "%.0f ms of compute per task, so pickling is not what "
		   "limits this batch. It is when the arguments are large (a "
		   "big list or array is copied through a pipe each time): "
		   "then send less, or share memory.",
		   fork->pickle_bytes, fork->pickle_us, work_s * 1e3);
}

void lesson_py_start(struct lesson_ctx *ctx, struct sweep *s, int workers)
{
	struct sweep_group *g = py_start_group(s);
	if (!g || !model_find("py-processes"))
		return;
	lesson_heading("How Python starts its worker processes");
	struct py_start_row rows[3] = {{.method = "fork"},
				       {.method = "forkserver"},
				       {.method = "spawn"}};
	printf("  %-11s %8s %14s %16s %12s\n", "start", "run s",
	       "pool ready ms", "pickle us/task", "bytes/task");
	for (int i = 0; i < 3; i++) {
		/* Two runs each; one under --quick (the figures compared
		 * are far apart: tens against hundreds of ms). */
		py_start_measure(s, g, workers, ctx->quick ? 1 : 2, &rows[i]);
		printf("  %-11s %8.3f %14.1f %16.1f %12.0f%s\n", rows[i].method,
		       rows[i].run_s, rows[i].pool_s * 1e3, rows[i].pickle_us,
		       rows[i].pickle_bytes,
		       rows[i].ok ? "" : "  (did not run or results differ)");
	}
	for (int i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof(name), "py_start_%s_run", rows[i].method);
		lesson_measured(name, rows[i].run_s, "s");
		snprintf(name, sizeof(name), "py_start_%s_pool_ready",
			 rows[i].method);
		lesson_measured(name, rows[i].pool_s * 1e3, "ms");
	}
	lesson_measured("pickle_us_per_task", rows[0].pickle_us, "us");
	lesson_measured("pickle_bytes_per_task", rows[0].pickle_bytes, "B");
	if (!rows[0].ok || !rows[2].ok || !(rows[0].pool_s > 0)) {
		lesson_say("Not every start method could run here, so the "
			   "comparison is left out.");
		return;
	}
	const struct case_summary *seq =
		lesson_case(s, "py-sequential", TASK_COMPUTE, 0);
	double task_s = seq ? seq->wall.median / (double)g->batch->n : NAN;
	py_start_explain(rows, workers, task_s);
}
