// SPDX-License-Identifier: MIT
/*
 * io.c - lessons 1 and 2: where the time of a fetch goes, and how threads
 * win it back. (Lessons 3 and 4, the other ways of waiting, are in wait.c.)
 *
 * Each lesson is a plan (the experiment, sized for this machine) and an
 * explanation that reads the run's own numbers; lesson.c asks for the
 * prediction and compares it.
 */
#include "harness/lessons/io.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"

/* ---- Lesson 1: waiting ---- */

static void waiting_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 8 : 20;
	c->delay_ms = ctx->quick ? 50 : 100;
	c->work = ctx->quick ? 5 : 20;
	c->workloads[0] = TASK_FETCH;
	c->workloads[1] = TASK_COMPUTE;
	c->n_workloads = 2;
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "how many seconds will %ld fetches take, one after another, "
		 "when the server waits %ld ms before each answer?",
		 c->tasks, c->delay_ms);
}

/* The claim rests on the sequential fetches alone; what they should take
 * is the server's waits. */
static void waiting_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *f =
		lesson_case(s, "sequential", TASK_FETCH, 0);
	judge_spread(ctx, f, "the sequential fetches");
	judge_expect(ctx, (double)ctx->plan.tasks * ctx->plan.delay_ms / 1e3,
		     "%ld waits of %ld ms", ctx->plan.tasks,
		     ctx->plan.delay_ms);
}

static void waiting_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *f =
		lesson_case(s, "sequential", TASK_FETCH, 0);
	const struct case_summary *k =
		lesson_case(s, "sequential", TASK_COMPUTE, 0);
	if (!f || !k)
		return;
	long n = ctx->plan.tasks;
	lesson_heading("What happened");
	double wall = lesson_measured("fetch_wall", f->wall.median, "s");
	double waits = lesson_measured("fetch_waits", f->ideal_s, "s");
	double cpu = lesson_measured("fetch_cpu", f->user_s + f->sys_s, "s");
	double share = lesson_measured("fetch_cpu_share", cpu / wall, "");
	double extra = lesson_measured("fetch_overhead_per_task",
				       (wall - waits) / (double)n * 1e3, "ms");
	double kshare =
		lesson_measured("compute_cpu_share",
				(k->user_s + k->sys_s) / k->wall.median, "");
	ctx->actual = wall;
	lesson_say("The %ld fetches took %.3f s. The server's waits alone add "
		   "up to %ld x %ld ms = %.3f s, so %.0f%% of the wall time "
		   "was waiting for an answer; each fetch added %.2f ms of "
		   "its own (connect, request, reading the body).",
		   n, wall, n, ctx->plan.delay_ms, waits, waits / wall * 100,
		   extra);
	if (share < 0.25)
		lesson_say("Meanwhile the CPU worked %.3f s: %.1f%% of the "
			   "wall time. The process was asleep, not busy: that "
			   "idle time is what a concurrent model can overlap "
			   "(lesson 2).",
			   cpu, share * 100);
	else
		lesson_say("The CPU worked %.3f s, %.0f%% of the wall time: "
			   "more than a program that mostly waits should "
			   "need. %s",
			   cpu, share * 100,
			   judge_machine_busy(ctx)
				   ? "This machine was busy before the lesson "
				     "began (see the load average below), and "
				     "a busy machine makes every step slower: "
				     "run the lesson again when it is quiet."
				   : "Each fetch also connects, sends and "
				     "reads: on a short wait that work is a "
				     "visible share.");
	if (kshare > 0.8)
		lesson_say("The compute batch is the opposite: its CPU time "
			   "is %.0f%% of its wall time. Work that keeps the "
			   "CPU busy can only go faster on more cores "
			   "(lesson 5).",
			   kshare * 100);
	else
		lesson_say("The compute batch got only %.0f%% of a core, "
			   "although it never waits: something else was "
			   "running on this machine (load average %.2f), so "
			   "its wall time overstates the work.",
			   kshare * 100, judge_load());
}

static int waiting_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"sequential", NULL};
	return lesson_run_plan(ctx, models, NULL, waiting_explain);
}

const struct lesson lesson_waiting = {
	.title = "Waiting",
	.question = "sequential fetches: where does the time go?",
	.unit = "s",
	.plan = waiting_plan,
	.run = waiting_run,
	.judge = waiting_judge,
};

/* ---- Lesson 2: threads for I/O ---- */

/* The C the student predicts for. */
static int threads_io_c(const struct lesson_ctx *ctx)
{
	return ctx->quick ? 4 : 8;
}

static void threads_io_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 12 : 32;
	c->delay_ms = ctx->quick ? 20 : 40;
	c->repeat = 2;
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	static const int quick[] = {1, 4, 12, 24, 0};
	static const int full[] = {1, 2, 4, 8, 16, 32, 64, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "how many seconds will %ld fetches of %ld ms take with %d "
		 "threads?",
		 c->tasks, c->delay_ms, threads_io_c(ctx));
}

/* The fastest threads case, and the knee: the smallest C within 10% of
 * the fastest time. */
static void threads_io_best(const struct sweep *s,
			    const struct case_summary **best,
			    const struct case_summary **knee)
{
	*best = *knee = NULL;
	for (size_t i = 0; i < s->plan->n_workers; i++) {
		const struct case_summary *cs = lesson_case(
			s, "threads", TASK_FETCH, s->plan->workers[i]);
		if (cs && (!*best || cs->wall.median < (*best)->wall.median))
			*best = cs;
	}
	for (size_t i = 0; *best && i < s->plan->n_workers; i++) {
		const struct case_summary *cs = lesson_case(
			s, "threads", TASK_FETCH, s->plan->workers[i]);
		if (cs && cs->wall.median <= (*best)->wall.median * 1.1) {
			*knee = cs;
			break;
		}
	}
}

/* The prediction's case must agree with itself; it should take its
 * ideal, ceil(N / C) waits. */
static void threads_io_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cp = threads_io_c(ctx);
	const struct case_summary *at =
		lesson_case(s, "threads", TASK_FETCH, cp);
	judge_spread(ctx, at, "the threads at the predicted C");
	long rounds = (ctx->plan.tasks + cp - 1) / cp;
	judge_expect(ctx, (double)rounds * ctx->plan.delay_ms / 1e3,
		     "ceil(%ld/%d) = %ld rounds of %ld ms", ctx->plan.tasks, cp,
		     rounds, ctx->plan.delay_ms);
}

static void threads_io_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct run_plan *c = &ctx->plan;
	int cp = threads_io_c(ctx);
	const struct case_summary *at =
		lesson_case(s, "threads", TASK_FETCH, cp);
	const struct case_summary *best, *knee;
	threads_io_best(s, &best, &knee);
	int cmax = c->workers[c->n_workers - 1];
	const struct case_summary *top =
		lesson_case(s, "threads", TASK_FETCH, cmax);
	if (!at || !best || !knee || !top)
		return;
	lesson_heading("What happened");
	ctx->actual =
		lesson_measured("wall_at_prediction", at->wall.median, "s");
	double speedup =
		lesson_measured("speedup_at_prediction", at->speedup, "x");
	double kc = lesson_measured("knee_workers", knee->workers, "");
	double eff =
		lesson_measured("efficiency_at_knee", knee->efficiency, "");
	double over =
		lesson_measured("ratio_to_ideal_at_max", top->ratio_ideal, "x");
	lesson_measured("workers_started_at_max", top->real_workers, "");
	lesson_say("With %d threads, %d fetches wait at the same time: the "
		   "%ld fetches took %.3f s, %.2f times faster than one after "
		   "another (the ideal is ceil(%ld/%d) x %ld ms = %.3f s).",
		   cp, cp, c->tasks, at->wall.median, speedup, c->tasks, cp,
		   c->delay_ms, at->ideal_s);
	if (kc >= (double)c->tasks * 0.5)
		lesson_say("The time fell until C = %.0f and then stopped: "
			   "with N = %ld tasks there are never more than %ld "
			   "waits to overlap, so threads beyond N have nothing "
			   "to do (at C = %d the model started %d). At the "
			   "knee each thread still gave %.0f%% of a perfect "
			   "overlap; at C = %d the run took %.2f times the "
			   "ideal: creating threads and connections is the "
			   "price that is left.",
			   kc, c->tasks, c->tasks, cmax, top->real_workers,
			   eff * 100, cmax, over);
	else
		lesson_say("Here the time stopped falling early, at C = %.0f, "
			   "long before C reached N = %ld: something else "
			   "limits the overlap (%s). At C = %d the run took "
			   "%.2f times the ideal.",
			   kc, c->tasks,
			   judge_machine_busy(ctx)
				   ? "this machine was busy before the lesson "
				     "began, so threads waited for a core as "
				     "well as for the server"
				   : "the server, or setting up a connection "
				     "per thread",
			   cmax, over);
}

static int threads_io_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	return lesson_run_plan(ctx, models, NULL, threads_io_explain);
}

const struct lesson lesson_threads_io = {
	.title = "Threads for I/O",
	.question = "N fetches, C threads: time falls as C grows, until what?",
	.unit = "s",
	.plan = threads_io_plan,
	.run = threads_io_run,
	.judge = threads_io_judge,
};
