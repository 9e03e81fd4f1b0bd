// SPDX-License-Identifier: MIT
/*
 * amdahl.c - lesson 15: Amdahl's law, 1/S = s + (1 - s)/P, with the
 * serial fraction s fitted by least squares to the speedups the compute
 * workload measured (P: the cores the threads could use, min(C, cores)),
 * the fitted curve written beside the result set (amdahl.csv) for
 * plots/speedup.gp to draw, and Gustafson's view: when the work grows
 * with P, the time stays and the scaled speedup is P - s (P - 1).
 */
#include "harness/lessons/amdahl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/kit.h"
#include "harness/report/file_replace.h"
#include "harness/report/plot.h"
#include "harness/run/run.h"

/* Gustafson's sweeps: one per P = 2, 4, ... up to the cores, at most. */
#define AMDAHL_MAX_SCALED 4

static void amdahl_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
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

/* The least-squares s of 1/S = s + (1 - s) x, x = 1/P, over the threads
 * cases: minimising the sum of (y - x - s (1 - x))^2 gives
 * s = sum (1 - x)(y - x) / sum (1 - x)^2. NAN with no P > 1. */
static double amdahl_fit(const struct sweep *s, int cores, int *points)
{
	double num = 0, den = 0;
	*points = 0;
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *cs = &s->cases[i];
		if (strcmp(cs->model->name, "threads") != 0 ||
		    !(cs->speedup > 0))
			continue;
		int p = cs->workers < cores ? cs->workers : cores;
		double x = 1.0 / p, y = 1.0 / cs->speedup;
		num += (1 - x) * (y - x);
		den += (1 - x) * (1 - x);
		(*points)++;
	}
	return den > 0 ? num / den : NAN;
}

/* s from one speedup at P cores: (1/S - 1/P) / (1 - 1/P). */
static double amdahl_s_of(double speedup, int p)
{
	return p > 1 ? (1 / speedup - 1.0 / p) / (1 - 1.0 / p) : NAN;
}

/* amdahl.csv beside the set's CSVs: plots/speedup.gp draws the curve. */
static void amdahl_save(const char *dir, double s, int points)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/amdahl.csv", dir);
	struct file_replace out = {0};
	if (file_replace_open(&out, path) != 0)
		return;
	fprintf(out.f,
		"workload,model,serial_fraction,points\n"
		"compute,threads,%.6f,%d\n",
		s, points);
	if (file_replace_commit(&out) == 0)
		plot_result_set(dir, 0); /* again, with the fitted curve */
}

static double amdahl_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cores = ctx->cores, points;
	const struct case_summary *at =
		lesson_case(s, "threads", TASK_COMPUTE, cores);
	const struct case_summary *base =
		lesson_case(s, "sequential", TASK_COMPUTE, 1);
	if (!at || !base)
		return NAN;
	lesson_heading("What happened");
	double sf = lesson_measured("serial_fraction",
				    amdahl_fit(s, cores, &points), "");
	ctx->actual = sf;
	double sp = lesson_measured("speedup_at_cores", at->speedup, "x");
	/* The fastest and slowest runs at C = cores bound what s can be. */
	double s_lo = lesson_measured(
		"serial_fraction_low",
		amdahl_s_of(base->wall.median / at->wall.min, cores), "");
	double s_hi = lesson_measured(
		"serial_fraction_high",
		amdahl_s_of(base->wall.median / at->wall.max, cores), "");
	double limit = lesson_measured("amdahl_limit", 1 / sf, "x");
	double at64 =
		lesson_measured("amdahl_at_64", 1 / (sf + (1 - sf) / 64), "x");
	lesson_say("The %d cases fit 1/S = s + (1 - s)/P best with s = %.3f "
		   "(P = min(C, cores): past %d threads the cores, not the "
		   "serial part, cap the speedup). At C = %d the speedup was "
		   "%.2f; the fastest and the slowest runs there give s from "
		   "%.3f to %.3f.",
		   points, sf, cores, cores, sp, s_lo, s_hi);
	if (cores < 2)
		lesson_say("Not shown: with one core there is no parallel "
			   "part to measure, and s says nothing.");
	else if (!(sf >= 0 && sf < 1) || s_hi - s_lo > 0.25)
		lesson_say("Not shown this time: the runs at C = %d give s "
			   "anywhere from %.2f to %.2f, and a serial fraction "
			   "must lie between 0 and 1. The other core was busy "
			   "with other work (load average now %.1f): the "
			   "threads did not get %d cores, and no law can be "
			   "fitted to that. Rerun on a quiet machine.",
			   cores, s_lo, s_hi, lesson_load(), cores);
	else if (s_lo <= 0 && s_hi >= 0)
		lesson_say("Not shown this time: s = 0 is inside the runs' "
			   "spread, so this machine cannot tell the serial "
			   "part from noise. The law still holds: it only "
			   "matters at scale.");
	else if (sf > 0)
		lesson_say("If s stays %.3f, no number of cores makes this "
			   "batch more than %.0f times faster, and 64 cores "
			   "give %.1f. What is serial here: starting and "
			   "joining the threads, the last tasks when fewer "
			   "remain than cores, and whatever else held a core. "
			   "The speedup plot draws the fitted curve.",
			   sf, limit, at64);
	else
		lesson_say("s came out negative: the threads were faster than "
			   "perfect, which only noise (or a warmer cache) "
			   "does. Rerun the lesson.");
	amdahl_save(s->dir, sf, points);
	return sf;
}

/* Gustafson: P threads on P times the work; the scaled speedup is P x
 * the time of one thread on the base batch over this time. */
static int amdahl_scaled(struct lesson_ctx *ctx, double t1, double sf)
{
	int rc = 0;
	lesson_heading("Gustafson: the work grows with the cores");
	for (int p = 2, k = 0; p <= ctx->cores && k < AMDAHL_MAX_SCALED && !rc;
	     p *= 2, k++) {
		struct run_config c = ctx->plan;
		int workers[] = {p, 0};
		lesson_set_workers(&c, workers);
		c.tasks = ctx->plan.tasks * p;
		c.n_models = 0;
		static const char *const models[] = {"threads", NULL};
		lesson_add_models(&c, models);
		c.no_baseline = true;
		char part[32], key[64];
		snprintf(part, sizeof(part), "scaled-%d", p);
		struct sweep s;
		rc = lesson_sweep(ctx, &c, part, &s);
		const struct case_summary *cs =
			rc ? NULL : lesson_case(&s, "threads", TASK_COMPUTE, p);
		if (cs) {
			snprintf(key, sizeof(key), "scaled_speedup_%d", p);
			double g = lesson_measured(
				key, p * t1 / cs->wall.median, "x");
			snprintf(key, sizeof(key), "gustafson_%d", p);
			double want =
				lesson_measured(key, p - sf * (p - 1), "x");
			lesson_say(
				"%d threads ran %d times the batch (%ld "
				"tasks) in %.3f s, against %.3f s for one "
				"thread on the base batch: a scaled speedup "
				"of %.2f. Gustafson's law with the same s "
				"says %.2f%s. Amdahl fixes the work and asks "
				"how much faster; Gustafson fixes the time "
				"and asks how much more work: with the work "
				"growing, the serial part shrinks in "
				"proportion, and more cores keep paying.",
				p, p, c.tasks, cs->wall.median, t1, g, want,
				sf >= 0 && sf < 1 ? ""
						  : " (from an s that is no "
						    "fraction: no prediction)");
		}
		run_release(&s);
	}
	if (ctx->cores < 2)
		lesson_say("Not shown: one core, nothing to scale to.");
	return rc;
}

static int amdahl_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, models);
	struct sweep s;
	int rc = lesson_sweep(ctx, c, NULL, &s);
	double sf = NAN, t1 = NAN;
	if (rc == 0) {
		sf = amdahl_explain(ctx, &s);
		const struct case_summary *one =
			lesson_case(&s, "threads", TASK_COMPUTE, 1);
		t1 = one ? one->wall.median : NAN;
	}
	run_release(&s);
	if (rc == 0 && !isnan(sf) && !isnan(t1))
		rc = amdahl_scaled(ctx, t1, sf);
	return rc;
}

const struct lesson lesson_amdahl = {
	.title = "Amdahl's law",
	.question = "the serial fraction, fitted from a speedup curve",
	.unit = "fraction",
	.plan = amdahl_plan,
	.run = amdahl_run,
};
