// SPDX-License-Identifier: MIT
/*
 * scheduler.c - the lesson "Scheduler costs" (issue 31 item 4): the task
 * size below which distributing loses to one loop.
 *   1. overhead per task: N empty tasks at C = max(cores, 2) on py-dask
 *      (a central scheduler), mpi (a master-worker farm) and
 *      py-processes (a pool's queue); their run part (the start left out)
 *      over N is the overhead p, and the break-even task time is
 *      p x C / (C - 1), lesson 16's formula for the launch, per task;
 *   2. the same even and skewed batches with real tasks (1 unit, and 3
 *      without --quick), mpi-static (a static split) beside them: the
 *      overhead each run implies, p = T_C / N - t / C, and its break-even.
 * The student predicts py-dask's break-even (ms); it is graded against
 * the run's own figure, judged first (a wide spread is noise: the run is
 * repeated within the lesson's time). Models that cannot run here are
 * left out with one line saying how to add them. Dask's dashboard (a web
 * server) stays off: no port beyond 127.0.0.1.
 */
#include "harness/lessons/scheduler.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/external/dask.h"
#include "harness/external/external.h"
#include "harness/external/mpi.h"
#include "harness/external/python.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/run/run.h"

/* The models of part 1, in the order the prediction falls back on. */
static const char *const sched_all[] = {"py-dask", "py-processes", "mpi"};
#define SCHED_N 3

/* The C every part uses: distributing needs two workers at least. */
static int sched_workers(const struct lesson_ctx *ctx)
{
	return ctx->cores > 2 ? ctx->cores : 2;
}

/* Can model `name` run here? Says how to add it when not. */
static bool sched_usable(const char *name)
{
	char why[512] = "";
	const struct model *m = model_find(name);
	if (m && external_available(m, NULL, why, sizeof(why)))
		return true;
	const char *hint = strcmp(name, "py-dask") == 0 ? DASK_INSTALL_HINT
			   : strcmp(name, "mpi") == 0	? MPI_INSTALL_HINT
							: PYTHON_INSTALL_HINT;
	if (strstr(why, "install"))
		printf("  %s skipped: %s\n", name, why);
	else
		printf("  %s skipped (%s); to add it: %s\n", name,
		       why[0] ? why : "not in this build", hint);
	return false;
}

/* The usable models of part 1, NULL-ended, into names[SCHED_N + 1]. */
static size_t sched_usable_models(const char **names)
{
	size_t n = 0;
	for (size_t i = 0; i < SCHED_N; i++)
		if (sched_usable(sched_all[i]))
			names[n++] = sched_all[i];
	names[n] = NULL;
	return n;
}

static void sched_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	int workers[] = {sched_workers(ctx), 0};
	lesson_set_workers(c, workers);
	c->tasks = ctx->quick ? 60 : 400;
	c->work = 0;
	c->py_work = 0;
	c->workloads[0] = TASK_COMPUTE;
	c->n_workloads = 1;
	c->no_baseline = true; /* empty tasks: one loop takes no time */
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "below what task time, in milliseconds, does spreading a "
		 "batch over %d Dask workers lose to running it in one loop?",
		 sched_workers(ctx));
}

/* A case's run part. A launcher that counts its start in the wall time
 * (mpirun's launch, the Dask cluster's start: MODEL_MPI, MODEL_DASK)
 * shows it as startup_s, taken out here; the other models' wall time is
 * already their own run (the interpreter's start is outside it). */
static double sched_run_part(const struct sweep *s, const char *model, int c)
{
	const struct case_summary *cs = lesson_case(s, model, TASK_COMPUTE, c);
	if (!cs)
		return NAN;
	if (!(cs->model->flags & (MODEL_MPI | MODEL_DASK)))
		return cs->wall.median;
	double start = lesson_figure(s, model, TASK_COMPUTE, c, "startup_s");
	return cs->wall.median - (isnan(start) ? cs->setup_s : start);
}

/* "py-dask" + "_overhead_ms" -> "py_dask_overhead_ms", for a measured
 * line's name. */
static void sched_key(char *buf, size_t len, const char *model,
		      const char *rest)
{
	snprintf(buf, len, "%s%s", model, rest);
	for (char *k = buf; *k; k++)
		*k = *k == '-' ? '_' : *k;
}

/* p x C / (C - 1): the task time at which N tasks on C workers, each
 * paying p, take as long as one loop (N t / C + N p = N t). */
static double sched_break_even(double p, int c)
{
	return p * c / (c - 1);
}

/* The judge of part 1: the predicted model's runs must agree. */
static void sched_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int c = sched_workers(ctx);
	for (size_t i = 0; i < SCHED_N; i++) {
		const struct case_summary *cs =
			lesson_case(s, sched_all[i], TASK_COMPUTE, c);
		if (!cs)
			continue;
		judge_spread(ctx, cs, sched_all[i]);
		double be =
			sched_break_even(sched_run_part(s, sched_all[i], c) /
						 (double)ctx->plan.tasks,
					 c);
		judge_expect(ctx, be * 1e3,
			     "%s's break-even from its median run part: "
			     "what this machine gives now",
			     sched_all[i]);
		return; /* the first one is the predicted one */
	}
}

static const char *sched_kind(const char *model)
{
	if (strcmp(model, "py-dask") == 0)
		return "a central scheduler: each task a future sent to the "
		       "scheduler, which picks a worker and hears back";
	if (strcmp(model, "mpi") == 0)
		return "a master-worker farm: one message out and one back a "
		       "task";
	return "a pool's queue: each task and its result pickled through a "
	       "pipe";
}

static void sched_overhead_explain(struct lesson_ctx *ctx,
				   const struct sweep *s)
{
	int c = sched_workers(ctx);
	long n = ctx->plan.tasks;
	lesson_heading("What happened: the price of handing out a task");
	bool first = true;
	for (size_t i = 0; i < SCHED_N; i++) {
		const char *m = sched_all[i];
		if (!lesson_case(s, m, TASK_COMPUTE, c))
			continue;
		char name[64];
		sched_key(name, sizeof(name), m, "_overhead_ms");
		double p = lesson_measured(
			name, sched_run_part(s, m, c) / (double)n * 1e3, "ms");
		sched_key(name, sizeof(name), m, "_break_even_ms");
		double be = lesson_measured(name, sched_break_even(p, c), "ms");
		lesson_say("%s (%s): %ld empty tasks on %d workers took %.3f "
			   "ms each, start left out. With tasks of t ms the "
			   "batch takes about N t / %d + N x %.3f ms against N "
			   "t in one loop: distributing pays only when t > "
			   "%.3f x %d / %d = %.3f ms.",
			   m, sched_kind(m), n, c, p, c, p, p, c, c - 1, be);
		if (first)
			ctx->actual = be;
		first = false;
	}
	lesson_say("Dask's dashboard, the web page its scheduler would serve "
		   "by default, is left off: py-dask opens no port beyond "
		   "127.0.0.1. The cluster's start (a scheduler and %d worker "
		   "processes), like mpirun's launch, is shown apart as "
		   "start-up, and must be paid back on top.",
		   c);
}

/* ---- Part 2: real tasks, even and skewed ---- */

/* The models of part 2, and the break-even each batch of the first size
 * implied ([model][0: even, 1: skewed]; NAN: not run), for the close. */
static const char *const sched_part2[] = {"py-dask", "py-processes", "mpi",
					  "mpi-static"};
static double sched_seen[4][2];

/* The baseline one loop of model m's language took, per task, or NAN. */
static double sched_task_time(const struct sweep *s, const char *model, long n)
{
	const char *base =
		strncmp(model, "py-", 3) == 0 ? "py-sequential" : "sequential";
	const struct case_summary *cs = lesson_case(s, base, TASK_COMPUTE, 0);
	return cs ? cs->wall.median / (double)n : NAN;
}

static void sched_batch_explain(struct lesson_ctx *ctx, const struct sweep *s,
				const char *batch, long units)
{
	int c = sched_workers(ctx);
	long n = s->plan->tasks;
	for (size_t i = 0; i < 4; i++) {
		const char *m = sched_part2[i];
		const struct case_summary *cs =
			lesson_case(s, m, TASK_COMPUTE, c);
		double t = sched_task_time(s, m, n);
		if (!cs || isnan(t))
			continue;
		char key[80], rest[40];
		snprintf(rest, sizeof(rest), "_%s_%ld", batch, units);
		sched_key(key, sizeof(key), m, rest);
		char name[100];
		snprintf(name, sizeof(name), "%s_task_ms", key);
		double tm = lesson_measured(name, t * 1e3, "ms");
		snprintf(name, sizeof(name), "%s_speedup", key);
		double sp = lesson_measured(
			name, t * (double)n / sched_run_part(s, m, c), "x");
		snprintf(name, sizeof(name), "%s_break_even_ms", key);
		double p = sched_run_part(s, m, c) / (double)n - t / c;
		double be = lesson_measured(name, sched_break_even(p * 1e3, c),
					    "ms");
		if (units == 1)
			sched_seen[i][batch[0] == 's'] = be;
		lesson_say("%s, %s tasks of %.2f ms: %.2fx over one loop; the "
			   "overhead this run implies, T/N - t/C, gives a "
			   "break-even of %.3f ms%s",
			   m, batch, tm, sp, be,
			   be > 0 ? "."
				  : ": no overhead shows above the noise "
				    "(the run beat t/C: the one loop's own "
				    "time varies as much).");
	}
}

static int sched_batch(struct lesson_ctx *ctx, const char *const *models,
		       long units, bool skew)
{
	struct run_plan k;
	lesson_plan_defaults(ctx, &k);
	lesson_add_models(&k, models);
	int workers[] = {sched_workers(ctx), 0};
	lesson_set_workers(&k, workers);
	k.tasks = ctx->quick ? 8 : 24;
	k.work = units;
	k.py_work = units;
	k.skew = skew;
	k.workloads[0] = TASK_COMPUTE;
	k.n_workloads = 1;
	const char *batch = skew ? "skewed" : "even";
	char part[32];
	snprintf(part, sizeof(part), "%s-%ld", batch, units);
	lesson_heading(skew ? "Skewed tasks (a heavy tail, the same total)"
			    : "Even tasks");
	struct sweep s;
	int rc = lesson_sweep(ctx, &k, part, &s);
	if (rc == 0)
		sched_batch_explain(ctx, &s, batch, units);
	run_release(&s);
	return rc;
}

/* What the first size's runs showed of skew, for each model run: the
 * figures only, with how far they can be trusted. */
static void sched_skew_seen(const struct lesson_ctx *ctx)
{
	for (size_t i = 0; i < 4; i++)
		if (!isnan(sched_seen[i][0]) && !isnan(sched_seen[i][1]))
			lesson_say("%s: break-even %.3f ms on even tasks, %.3f "
				   "ms on skewed ones.",
				   sched_part2[i], sched_seen[i][0],
				   sched_seen[i][1]);
	lesson_say("Each figure is a median of %d runs at load average %.1f "
		   "on %d cores: a difference of less than a quarter is "
		   "noise, and a negative one means no overhead showed.",
		   ctx->plan.repeat, judge_load(), ctx->cores);
}

static void sched_closing(const struct lesson_ctx *ctx)
{
	lesson_heading("Three ways to hand out work");
	lesson_say("A central scheduler (Dask) knows every task and every "
		   "worker: it can retry a task a dead worker held, move "
		   "data, balance skewed work, across machines; each of those "
		   "services is paid per task, in messages and bookkeeping "
		   "(Dask's documentation says about 1 ms). A master-worker "
		   "farm (mpi) only hands the next task to whoever is free: "
		   "microseconds, and it balances skew too. A static split "
		   "(mpi-static) pays nothing per task, but a block that drew "
		   "the heavy tasks keeps its worker busy while the others "
		   "idle: on skewed batches its implied overhead should rise, "
		   "on even ones it is the cheapest. Give a scheduler tasks "
		   "well above its break-even (batch tiny ones into bigger).");
	sched_skew_seen(ctx);
}

static int sched_run(struct lesson_ctx *ctx)
{
	const char *names[SCHED_N + 1];
	for (size_t i = 0; i < 4; i++)
		sched_seen[i][0] = sched_seen[i][1] = NAN;
	if (sched_usable_models(names) == 0) {
		lesson_say("None of py-dask, py-processes and mpi can run "
			   "here: nothing to measure.");
		return 0;
	}
	if (strcmp(names[0], "py-dask") != 0)
		lesson_say("Without Dask, your prediction is graded against "
			   "%s's break-even instead.",
			   names[0]);
	int rc =
		lesson_run_plan(ctx, names, "overhead", sched_overhead_explain);
	const char *part2[SCHED_N + 2];
	size_t n = 0;
	for (size_t i = 0; names[i]; i++)
		part2[n++] = names[i];
	if (n > 0 && strcmp(part2[n - 1], "mpi") == 0)
		part2[n++] = "mpi-static";
	part2[n] = NULL;
	long sizes[] = {1, 3};
	size_t n_sizes = ctx->quick ? 1 : 2;
	for (size_t i = 0; rc == 0 && i < n_sizes; i++) {
		rc = sched_batch(ctx, part2, sizes[i], false);
		if (rc == 0)
			rc = sched_batch(ctx, part2, sizes[i], true);
	}
	if (rc == 0)
		sched_closing(ctx);
	return rc;
}

const struct lesson lesson_scheduler = {
	.title = "Scheduler costs",
	.question = "what handing out one task costs, and the task size "
		    "below which distributing loses",
	.unit = "ms",
	.plan = sched_plan,
	.run = sched_run,
	.judge = sched_judge,
	.close = 2.0,
};
