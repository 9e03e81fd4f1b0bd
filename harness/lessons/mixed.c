// SPDX-License-Identifier: MIT
/*
 * mixed.c - lessons 7 and 8: tasks that wait and then compute.
 * Which model overlaps both (asyncio's run_in_executor, here hybrid), and
 * how many workers a pool needs, checked against Little's law.
 */
#include "harness/lessons/mixed.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"

/* ---- Lesson 7: mixed work ---- */

static int mixed_c(const struct lesson_ctx *ctx)
{
	return ctx->quick ? 4 : 8;
}

static void mixed_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 8 : 24;
	c->delay_ms = ctx->quick ? 20 : 50;
	c->work = ctx->quick ? 5 : 20;
	c->workloads[0] = TASK_MIXED;
	c->n_workloads = 1;
	int workers[] = {mixed_c(ctx), 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%ld tasks each wait %ld ms for a fetch, then compute ~%ld "
		 "ms. How many times faster than the plain event loop will "
		 "hybrid (the loop plus a pool of %d threads for the compute) "
		 "finish?",
		 c->tasks, c->delay_ms, c->work, ctx->cores);
}

/* One model's line: its ratio to the ideal and the cores it kept busy
 * (CPU time over wall time). */
static void mixed_model(const struct sweep *s, const char *model, int cw,
			double *x_ideal, double *busy)
{
	const struct case_summary *cs = lesson_case(s, model, TASK_MIXED, cw);
	char name[64];
	snprintf(name, sizeof(name), "x_ideal_%s", model);
	*x_ideal = lesson_measured(name, cs ? cs->ratio_ideal : NAN, "x");
	snprintf(name, sizeof(name), "cores_busy_%s", model);
	*busy = lesson_measured(
		name, cs ? (cs->user_s + cs->sys_s) / cs->wall.median : NAN,
		"");
}

/* The claim rests on the loop and hybrid agreeing with themselves, and on
 * the cores hybrid's pool computes on; what to expect is the ratio of
 * their ideals, from the measured unit of compute. */
static void mixed_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cw = mixed_c(ctx);
	const struct case_summary *h = lesson_case(s, "hybrid", TASK_MIXED, cw);
	const struct case_summary *e =
		lesson_case(s, "eventloop", TASK_MIXED, cw);
	judge_spread(ctx, e, "the event loop");
	judge_spread(ctx, h, "hybrid");
	judge_probe(ctx, ctx->cores > 1 ? ctx->cores : 0);
	if (h && e)
		judge_expect(ctx, e->ideal_s / h->ideal_s,
			     "their ideal times, %.3f and %.3f s, with the "
			     "measured unit of %.2f ms",
			     e->ideal_s, h->ideal_s, s->unit_s * 1e3);
}

static void mixed_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cw = mixed_c(ctx);
	const struct case_summary *h = lesson_case(s, "hybrid", TASK_MIXED, cw);
	const struct case_summary *e =
		lesson_case(s, "eventloop", TASK_MIXED, cw);
	if (!h || !e)
		return;
	lesson_heading("What happened");
	ctx->actual = lesson_measured("hybrid_vs_eventloop",
				      e->wall.median / h->wall.median, "x");
	double xh, bh, xe, be, xt, bt, xg, bg, xp, bp;
	mixed_model(s, "hybrid", cw, &xh, &bh);
	mixed_model(s, "eventloop", cw, &xe, &be);
	mixed_model(s, "threads", cw, &xt, &bt);
	mixed_model(s, "gil", cw, &xg, &bg);
	mixed_model(s, "processes", cw, &xp, &bp);
	double pe = lesson_measured("p50_eventloop", e->lat_p50 * 1e3, "ms");
	double ph = lesson_measured("p50_hybrid", h->lat_p50 * 1e3, "ms");
	lesson_say("The ideal overlaps every wait and spreads the compute "
		   "over the %d cores. hybrid took %.2f times the ideal and "
		   "kept %.2f cores busy on average; the plain event loop "
		   "took %.2f times the ideal with %.2f cores busy.",
		   ctx->cores, xh, bh, xe, be);
	if (ctx->actual > 1.2)
		lesson_say("The loop computes on its only thread: while one "
			   "task computes, no socket is served, so it can "
			   "never keep more than one core busy. hybrid hands "
			   "the compute to a pool and signals the loop back "
			   "when it is done, as asyncio's run_in_executor "
			   "does, so the loop keeps fetching meanwhile. A "
			   "task's median time from start to end was %.1f ms "
			   "in the loop and %.1f ms in hybrid%s",
			   pe, ph,
			   pe > ph ? ": in the loop, finished fetches "
				     "waited behind other tasks' compute "
				     "(see the timeline PNG)."
				   : "; the loop's tasks are not slower one "
				     "by one, they simply cannot overlap "
				     "their compute.");
	else
		lesson_say("hybrid was not faster than the plain loop here "
			   "(%.2f times): %s",
			   ctx->actual,
			   ctx->cores == 1
				   ? "with one core, the pool has no second "
				     "core to compute on."
			   : ctx->judge.invalid
				   ? ctx->judge.why
				   : "the compute is too short against the "
				     "waits to matter; raise --work.");
	lesson_say("gil: %.2f times the ideal, %.2f cores busy: the fetches "
		   "overlap (I/O releases the lock) but the compute is "
		   "serialised, like CPython threads.",
		   xg, bg);
	lesson_say("A caveat for Python: run_in_executor's default executor "
		   "is a ThreadPoolExecutor, so pure-Python compute sent there "
		   "still runs under the GIL, one thread at a time: the gil "
		   "line, not the hybrid one. To compute in parallel, pass a "
		   "ProcessPoolExecutor (its tasks and results are pickled, "
		   "lesson 5) or call code that releases the GIL (zlib, "
		   "hashlib, numpy).");
	lesson_say("threads: %.2f times the ideal with %.2f cores busy. %s "
		   "processes took %.2f times the ideal, paying an address "
		   "space each.",
		   xt, bt,
		   xt <= xh * 1.2 ? "In C, without a GIL, a plain pool of "
				    "threads does about as well as hybrid, "
				    "at the price of one stack per task in "
				    "flight."
				  : "Here the plain thread pool did worse "
				    "than hybrid.",
		   xp);
}

static int mixed_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {
		"threads", "processes", "eventloop", "hybrid", "gil", NULL};
	return lesson_run_plan(ctx, models, NULL, mixed_explain);
}

const struct lesson lesson_mixed = {
	.title = "Mixed work",
	.question = "fetch then compute: which model overlaps both?",
	.unit = "x",
	.plan = mixed_plan,
	.run = mixed_run,
	.judge = mixed_judge,
};

/* ---- Lesson 8: how many workers? ---- */

static void how_many_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	/* The compute must be the bottleneck (N x work / cores longer than
	 * the waits), or the knee is only where C reaches N. */
	c->tasks = ctx->quick ? 16 : 32;
	c->delay_ms = ctx->quick ? 10 : 20;
	c->work = ctx->quick ? 5 : 10;
	c->repeat = 2;
	c->workloads[0] = TASK_MIXED;
	c->n_workloads = 1;
	static const int quick[] = {1, 2, 4, 8, 16, 0};
	static const int full[] = {1, 2, 4, 8, 16, 32, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%ld tasks each wait %ld ms, then compute ~%ld ms, on %d "
		 "core%s. From how many threads on will adding more stop "
		 "helping?",
		 c->tasks, c->delay_ms, c->work, ctx->cores,
		 ctx->cores == 1 ? "" : "s");
}

/* The fastest case and the knee (smallest C within 10% of it). */
static void how_many_knee(const struct sweep *s,
			  const struct case_summary **best,
			  const struct case_summary **knee)
{
	const struct run_plan *c = s->plan;
	*best = *knee = NULL;
	for (size_t i = 0; i < c->n_workers; i++) {
		const struct case_summary *cs =
			lesson_case(s, "threads", TASK_MIXED, c->workers[i]);
		if (cs && (!*best || cs->wall.median < (*best)->wall.median))
			*best = cs;
	}
	for (size_t i = 0; *best && i < c->n_workers && !*knee; i++) {
		const struct case_summary *cs =
			lesson_case(s, "threads", TASK_MIXED, c->workers[i]);
		if (cs && cs->wall.median <= (*best)->wall.median * 1.1)
			*knee = cs;
	}
}

/* The knee of the ideal times: what this machine should give when
 * nothing else runs (the measured unit of compute, its cores). */
static int how_many_ideal_knee(const struct sweep *s)
{
	const struct run_plan *c = s->plan;
	double best = INFINITY;
	for (size_t i = 0; i < c->n_workers; i++) {
		const struct case_summary *cs =
			lesson_case(s, "threads", TASK_MIXED, c->workers[i]);
		if (cs && cs->ideal_s < best)
			best = cs->ideal_s;
	}
	for (size_t i = 0; i < c->n_workers; i++) {
		const struct case_summary *cs =
			lesson_case(s, "threads", TASK_MIXED, c->workers[i]);
		if (cs && cs->ideal_s <= best * 1.1)
			return cs->workers;
	}
	return 0;
}

/* The knee rests on the baseline (W) and on the cases around it; the
 * compute needs every core. */
static void how_many_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *best, *knee;
	how_many_knee(s, &best, &knee);
	judge_spread(ctx, lesson_case(s, "sequential", TASK_MIXED, 0),
		     "the sequential baseline");
	judge_spread(ctx, knee, "the threads at the knee");
	if (best != knee)
		judge_spread(ctx, best, "the fastest threads");
	judge_probe(ctx, ctx->cores);
	int k = how_many_ideal_knee(s);
	if (k > 0)
		judge_expect(ctx, k,
			     "the knee of the ideal times: %d cores, a "
			     "measured unit of %.2f ms",
			     ctx->cores, s->unit_s * 1e3);
}

static void how_many_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct run_plan *c = &ctx->plan;
	const struct case_summary *best, *knee;
	how_many_knee(s, &best, &knee);
	const struct case_summary *seq =
		lesson_case(s, "sequential", TASK_MIXED, 0);
	int cmax = c->workers[c->n_workers - 1];
	const struct case_summary *top =
		lesson_case(s, "threads", TASK_MIXED, cmax);
	if (!best || !knee || !seq || !top)
		return;
	double n = (double)c->tasks;
	lesson_heading("What happened");
	ctx->actual = lesson_measured("knee_workers", knee->workers, "");
	double lambda = lesson_measured("best_throughput",
					n / best->wall.median, "tasks/s");
	double w =
		lesson_measured("task_time_alone", seq->wall.median / n, "s");
	double little = lesson_measured("littles_law_workers", lambda * w, "");
	double p_knee =
		lesson_measured("p50_at_knee", knee->lat_p50 * 1e3, "ms");
	double p_top = lesson_measured("p50_at_max", top->lat_p50 * 1e3, "ms");
	lesson_say("Alone, a task takes W = %.1f ms (the sequential run "
		   "divided by N). The best throughput was %.0f tasks/s, at "
		   "C = %d. Little's law says a system that finishes lambda "
		   "tasks a second, each in the system W seconds, holds L = "
		   "lambda x W tasks at once: to reach %.0f tasks/s you need "
		   "about %.1f workers busy.",
		   w * 1e3, lambda, best->workers, lambda, little);
	if (ctx->actual >= little / 2 && ctx->actual <= little * 4)
		lesson_say("The time stopped falling at C = %d, within two "
			   "doublings of the law's %.1f. The law counts the "
			   "workers a steady stream keeps busy; a short batch "
			   "needs a few more to cover its start (everyone "
			   "waiting at once) and its end (few tasks left), "
			   "and the sweep only tries powers of two. Past the "
			   "knee the cores are the limit: more threads only "
			   "queue for them.",
			   knee->workers, little);
	else if (ctx->judge.invalid)
		lesson_say("The time stopped falling at C = %d, far from the "
			   "law's %.1f, in a run that cannot show the claim "
			   "(%s).",
			   knee->workers, little, ctx->judge.why);
	else
		lesson_say("The time stopped falling at C = %d, far from the "
			   "law's %.1f: a batch this short starts with every "
			   "task waiting at once and ends with few left, so "
			   "its knee strays from a steady stream's; `concur "
			   "lesson 8 --repeat 5`, or more --tasks with `concur "
			   "run`, tells noise from that.",
			   knee->workers, little);
	if (knee == top)
		lesson_say("The time fell until the largest C tried (%d): the "
			   "knee is not inside this sweep, so nothing here "
			   "was past it.",
			   cmax);
	else if (p_top > p_knee * 1.2)
		lesson_say("Past the knee the throughput no longer grows, so "
			   "by the same law each task's time must: the median "
			   "task took %.1f ms at C = %d and %.1f ms at C = %d. "
			   "Extra workers buy latency, not speed.",
			   p_knee, knee->workers, p_top, cmax);
	else
		lesson_say("A task's median time was %.1f ms at the knee and "
			   "%.1f ms at C = %d: here the extra workers did not "
			   "queue long enough for it to grow.",
			   p_knee, p_top, cmax);
}

static int how_many_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	return lesson_run_plan(ctx, models, NULL, how_many_explain);
}

const struct lesson lesson_how_many = {
	.title = "How many workers?",
	.question = "a sweep, the knee of the curve, and Little's law",
	.unit = "threads",
	.plan = how_many_plan,
	.run = how_many_run,
	.judge = how_many_judge,
	.close = 2, /* the sweep doubles C: one step is close */
};
