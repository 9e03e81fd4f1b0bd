// SPDX-License-Identifier: MIT
/*
 * amdahl.c - lesson 15: Amdahl's law, 1/S = s + (1 - s)/P, with the
 * serial fraction s fitted by least squares to the speedups the compute
 * workload measured (P: the cores the threads could use, min(C, cores)),
 * the fitted curve written beside the result set (amdahl.csv) for
 * plots/speedup.gp to draw, and Gustafson's view: when the work grows
 * with P, one thread's time on the grown batch over P threads' time on
 * it is P - s (P - 1). The laws are in scaling.c; the run is judged
 * (judge.h) before the fit is called a serial fraction.
 */
#include "harness/lessons/amdahl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/scaling.h"
#include "harness/base/file_replace.h"
#include "harness/report/plot.h"
#include "harness/run/run.h"

/* Gustafson's sweeps: one per P = 2, 4, ... up to the cores, at most. */
#define AMDAHL_MAX_SCALED 4
/* Speedup points of the threads cases (C = 1, 2, 4, 8). */
#define AMDAHL_MAX_POINTS 8

static void amdahl_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->workloads[0] = TASK_COMPUTE;
	c->n_workloads = 1;
	c->tasks = ctx->quick ? 12 : 24;
	c->work = ctx->quick ? 5 : 10;
	c->repeat = 3;
	int workers[] = {1, 2, 4, 8, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%ld compute tasks on 1 to 8 threads, %d cores. Amdahl: "
		 "speedup = 1 / (s + (1 - s) / P). What serial fraction s "
		 "(between 0 and 1) will the fit find?",
		 c->tasks, ctx->cores);
}

/* The threads cases as points of the curve, P = min(C, cores): measured
 * times (ideal = false) or the batch's ideal times (true). */
static struct scaling_fit amdahl_fit(const struct sweep *s, int cores,
				     bool ideal)
{
	struct scaling_point pts[AMDAHL_MAX_POINTS];
	size_t n = 0;
	const struct case_summary *base =
		lesson_case(s, "sequential", TASK_COMPUTE, 1);
	for (size_t i = 0; base && i < s->n_cases && n < AMDAHL_MAX_POINTS;
	     i++) {
		const struct case_summary *cs = &s->cases[i];
		if (strcmp(cs->model->name, "threads") != 0)
			continue;
		pts[n].p = cs->workers < cores ? cs->workers : cores;
		pts[n].t1 = ideal ? base->ideal_s : base->wall.median;
		pts[n].t_p = ideal ? cs->ideal_s : cs->wall.median;
		n++;
	}
	return scaling_fit_amdahl(pts, n);
}

/* s from one speedup at P cores: (1/S - 1/P) / (1 - 1/P). */
static double amdahl_s_of(double speedup, int p)
{
	return p > 1 ? (1 / speedup - 1.0 / p) / (1 - 1.0 / p) : NAN;
}

/* Judges the run (judge.h): the baseline's and the threads' spread at C
 * = cores, the cores they kept busy, the probe, and a fit that is a
 * fraction. Expected: the s of the batch's ideal times. */
static void amdahl_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cores = ctx->cores;
	const struct case_summary *at =
		lesson_case(s, "threads", TASK_COMPUTE, cores);
	/* The probe and the cores first: when the machine is busy they say
	 * why in the fewest words (the reasons share one buffer). */
	if (cores > 1) {
		judge_probe(ctx, cores);
		judge_cores(ctx, at, cores, "the threads at C = cores");
	} else {
		judge_fail(ctx, false, "one core: no parallel part to fit");
	}
	judge_spread(ctx, lesson_case(s, "sequential", TASK_COMPUTE, 1),
		     "the sequential baseline");
	judge_spread(ctx, at, "the threads at C = cores");
	struct scaling_fit f = amdahl_fit(s, cores, false);
	if (f.status != SCALING_OK)
		judge_fail(ctx, true, "the fit gave s = %.3f, no fraction",
			   f.s);
	struct scaling_fit want = amdahl_fit(s, cores, true);
	if (want.status == SCALING_OK)
		judge_expect(ctx, want.s,
			     "the batch's ideal times: %ld equal tasks over "
			     "min(C, %d) cores, nothing serial but an uneven "
			     "last round",
			     ctx->plan.tasks, cores);
}

/* amdahl.csv beside the set's CSVs: plots/speedup.gp draws the curve. */
static void amdahl_save(const char *dir, const struct scaling_fit *f)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/amdahl.csv", dir);
	struct file_replace out = {0};
	if (file_replace_open(&out, path) != 0)
		return;
	fprintf(out.f,
		"workload,model,serial_fraction,points\n"
		"compute,threads,%.6f,%d\n",
		f->s, f->points);
	if (file_replace_commit(&out) == 0)
		plot_result_set(dir, 0); /* again, with the fitted curve */
}

/* What the fit means, once it is a fraction the run can show. */
static void amdahl_say_fit(const struct lesson_ctx *ctx,
			   const struct scaling_fit *f, double s_lo,
			   double s_hi)
{
	double limit = lesson_measured("amdahl_limit", 1 / f->s, "x");
	double at64 =
		lesson_measured("amdahl_at_64", scaling_amdahl(f, 64), "x");
	if (ctx->judge.invalid)
		lesson_say("Not shown this time (judged above): the s this run "
			   "gives is what the busy machine did to the threads, "
			   "not the batch's serial part. On a quiet machine "
			   "the fit comes close to the %.3f of the ideal "
			   "times.",
			   ctx->judge.expected);
	else if (s_lo <= 0 && s_hi >= 0)
		lesson_say("Not shown this time: s = 0 is inside the runs' "
			   "spread, so this machine cannot tell the serial "
			   "part from noise. The law still holds: it only "
			   "matters at scale.");
	else
		lesson_say("If s stays %.3f, no number of cores makes this "
			   "batch more than %.0f times faster, and 64 cores "
			   "give %.1f. What is serial here: starting and "
			   "joining the threads, the last tasks when fewer "
			   "remain than cores, and whatever else held a core. "
			   "The speedup plot draws the fitted curve.",
			   f->s, limit, at64);
}

static struct scaling_fit amdahl_explain(struct lesson_ctx *ctx,
					 const struct sweep *s)
{
	int cores = ctx->cores;
	struct scaling_fit f = amdahl_fit(s, cores, false);
	const struct case_summary *at =
		lesson_case(s, "threads", TASK_COMPUTE, cores);
	const struct case_summary *base =
		lesson_case(s, "sequential", TASK_COMPUTE, 1);
	if (!at || !base)
		return f;
	lesson_heading("What happened");
	lesson_measured("serial_fraction", f.s, "");
	ctx->actual = f.status == SCALING_OK ? f.s : NAN;
	double sp = lesson_measured("speedup_at_cores", at->speedup, "x");
	/* The fastest and slowest runs at C = cores bound what s can be. */
	double s_lo = lesson_measured(
		"serial_fraction_low",
		amdahl_s_of(base->wall.median / at->wall.min, cores), "");
	double s_hi = lesson_measured(
		"serial_fraction_high",
		amdahl_s_of(base->wall.median / at->wall.max, cores), "");
	lesson_say("The %d cases fit 1/S = s + (1 - s)/P best with s = %.3f "
		   "(P = min(C, cores): past %d threads the cores, not the "
		   "serial part, cap the speedup). At C = %d the speedup was "
		   "%.2f; the fastest and the slowest runs there give s from "
		   "%.3f to %.3f.",
		   f.points, f.s, cores, cores, sp, s_lo, s_hi);
	char why[512];
	scaling_failure_words(&f, why, sizeof(why));
	if (cores < 2)
		lesson_say("Not shown: with one core there is no parallel "
			   "part to measure, and s says nothing.");
	else if (f.status != SCALING_OK)
		lesson_say("%s The threads did not get %d cores to themselves "
			   "(load average now %.1f); rerun on a quiet "
			   "machine.",
			   why, cores, judge_load());
	else
		amdahl_say_fit(ctx, &f, s_lo, s_hi);
	if (f.status == SCALING_OK)
		amdahl_save(s->dir, &f);
	return f;
}

/* One Gustafson sweep: threads at C = 1 and C = p on p times the batch;
 * the scaled speedup is T1(pN) / T_p(pN), what Gustafson predicts. */
static int amdahl_scaled_at(struct lesson_ctx *ctx, int p,
			    const struct scaling_fit *f)
{
	struct run_plan c = ctx->plan;
	int workers[] = {1, p, 0};
	lesson_set_workers(&c, workers);
	c.tasks = ctx->plan.tasks * p;
	c.n_models = 0;
	static const char *const models[] = {"threads", NULL};
	lesson_add_models(&c, models);
	c.no_baseline = true;
	char part[32], key[64];
	snprintf(part, sizeof(part), "scaled-%d", p);
	struct sweep s;
	int rc = lesson_sweep(ctx, &c, part, &s);
	const struct case_summary *one =
		rc ? NULL : lesson_case(&s, "threads", TASK_COMPUTE, 1);
	const struct case_summary *cs =
		rc ? NULL : lesson_case(&s, "threads", TASK_COMPUTE, p);
	if (one && cs) {
		snprintf(key, sizeof(key), "scaled_speedup_%d", p);
		double g =
			lesson_measured(key,
					scaling_scaled_speedup(one->wall.median,
							       cs->wall.median),
					"x");
		double want = scaling_gustafson(f, p);
		char said[96] = " (the fit failed: no prediction)";
		if (!isnan(want)) {
			snprintf(key, sizeof(key), "gustafson_%d", p);
			lesson_measured(key, want, "x");
			snprintf(said, sizeof(said),
				 "; Gustafson's law with the same s says %.2f",
				 want);
		}
		lesson_say("One thread took %.3f s on %d times the batch (%ld "
			   "tasks), %d threads %.3f s: a scaled speedup of "
			   "%.2f%s%s. Amdahl fixes the work and asks how much "
			   "faster; Gustafson fixes the time and asks how "
			   "much more work: with the work growing, the serial "
			   "part shrinks in proportion, and more cores keep "
			   "paying.",
			   one->wall.median, p, c.tasks, p, cs->wall.median, g,
			   said,
			   ctx->judge.invalid ? " (from a run judged above as "
						"unable to show the claim)"
					      : "");
	}
	run_release(&s);
	return rc;
}

static int amdahl_scaled(struct lesson_ctx *ctx, const struct scaling_fit *f)
{
	int rc = 0;
	lesson_heading("Gustafson: the work grows with the cores");
	for (int p = 2, k = 0; p <= ctx->cores && k < AMDAHL_MAX_SCALED && !rc;
	     p *= 2, k++)
		rc = amdahl_scaled_at(ctx, p, f);
	if (ctx->cores < 2)
		lesson_say("Not shown: one core, nothing to scale to.");
	return rc;
}

static int amdahl_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	struct sweep s;
	int rc = lesson_sweep_judged(ctx, c, NULL, &s, amdahl_judge);
	struct scaling_fit f = {.s = NAN, .status = SCALING_NO_POINTS};
	if (rc == 0)
		f = amdahl_explain(ctx, &s);
	run_release(&s);
	if (rc == 0 && f.status != SCALING_NO_POINTS)
		rc = amdahl_scaled(ctx, &f);
	return rc;
}

const struct lesson lesson_amdahl = {
	.title = "Amdahl's law",
	.question = "the serial fraction, fitted from a speedup curve",
	.unit = "fraction",
	.plan = amdahl_plan,
	.run = amdahl_run,
	.judge = amdahl_judge,
	/* s is a fraction: graded by the difference, close within 0.1. */
	.grading = GRADE_DIFFERENCE,
	.close = 0.1,
};
