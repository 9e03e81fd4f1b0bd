// SPDX-License-Identifier: MIT
/*
 * cost.c - lessons 9 and 10: what a worker costs, and how to
 * measure any of this without fooling yourself.
 */
#include "harness/lessons/cost.h"

#include <math.h>
#include <stdio.h>

#include "harness/run/spawn_cost.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"

/* Prints the spawn benchmark's figures (harness/run/spawn_cost.c, the code
 * behind `concur bench --cases spawn`); returns fork's median in us, or
 * NAN. */
double lesson_spawn_cost(const struct lesson_ctx *ctx)
{
	struct spawn_cost sc;
	if (spawn_cost_measure(ctx->quick ? 20 : 200, &sc) != 0)
		return NAN;
	double t = lesson_measured("thread_create_us", sc.thread_us, "us");
	double f = lesson_measured("fork_us", sc.process_us, "us");
	lesson_measured("fork_to_thread", f / t, "x");
	lesson_say("Creating and joining a thread took %.1f us (median of "
		   "%d); forking a process, letting it exit and reaping it "
		   "took %.1f us, %.1f times as long. %s",
		   t, sc.reps, f, f / t,
		   f / t >= 2 ? "Fork copies the parent's page tables, a "
				"thread only needs a stack."
		   : judge_machine_busy(ctx)
			   ? "They should be further apart (fork copies the "
			     "parent's page tables, a thread only needs a "
			     "stack): this machine was busy, and a busy "
			     "machine slows the thread's start as much."
			   : "They should be further apart (fork copies the "
			     "parent's page tables, a thread only needs a "
			     "stack): this process is small, so its page "
			     "tables are few.");
	return f;
}

/* ---- Lesson 9: the price of a worker ---- */

static void price_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	static const int quick[] = {4, 32, 0};
	static const int full[] = {8, 128, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	c->tasks = c->workers[1]; /* one round: every worker busy at once */
	c->delay_ms = 50;
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	c->no_baseline = true;
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "how many microseconds does it take here to fork a process "
		 "and reap it when it exits?");
}

/* One model's cost per extra worker between the two C. */
static void price_model(const struct sweep *s, const char *model,
			const char *what, int lo, int hi, double *kib,
			double *us)
{
	char name[64];
	snprintf(name, sizeof(name), "kib_per_%s", what);
	*kib = lesson_measured(
		name,
		lesson_per_worker(s, model, TASK_FETCH, lo, hi, COST_PSS_KIB),
		"KiB");
	snprintf(name, sizeof(name), "setup_per_%s", what);
	*us = lesson_measured(
		name,
		lesson_per_worker(s, model, TASK_FETCH, lo, hi, COST_SETUP_US),
		"us");
}

/* A process's price in pages: what it shares and what it alone holds. */
static void price_shared(const struct sweep *s, int lo, int hi)
{
	const struct case_summary *p =
		lesson_case(s, "processes", TASK_FETCH, hi);
	if (!p)
		return;
	double up =
		lesson_measured("uss_per_process",
				lesson_per_worker(s, "processes", TASK_FETCH,
						  lo, hi, COST_USS_KIB),
				"KiB");
	double rss = lesson_measured("processes_rss_sum_mib", p->rss_kib / 1024,
				     "MiB");
	double pss =
		lesson_measured("processes_pss_mib", p->pss_kib / 1024, "MiB");
	lesson_say("A process's pages are of two kinds. The ones it shares "
		   "with its parent and siblings since fork (the program, "
		   "the libraries, the heap the parent wrote before forking) "
		   "cost nothing more per worker: PSS divides them between "
		   "the processes that map them. The ones it writes are its "
		   "own (USS): %.0f KiB per extra process here. Adding up "
		   "each process's RSS would have said %.1f MiB for the %d "
		   "processes, against %.1f MiB of PSS: every shared page "
		   "counted %d times.",
		   up, rss, hi + 1, pss, hi + 1);
}

static void price_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int lo = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	const struct case_summary *loop =
		lesson_case(s, "eventloop", TASK_FETCH, hi);
	if (!loop)
		return;
	lesson_heading("What one more worker costs in a real run");
	double kt, ut, kp, up, kl, ul;
	price_model(s, "threads", "thread", lo, hi, &kt, &ut);
	price_model(s, "processes", "process", lo, hi, &kp, &up);
	price_model(s, "eventloop", "transfer", lo, hi, &kl, &ul);
	double per = lesson_measured("loop_us_per_transfer",
				     (loop->wall.median - loop->ideal_s) /
					     (double)ctx->plan.tasks * 1e6,
				     "us");
	lesson_say("Going from %d to %d workers in the models themselves: "
		   "each thread added %.0f KiB of peak memory (the PSS of the "
		   "whole process tree) and %.0f us of set-up, each process "
		   "%.0f KiB and %.0f us, each transfer in the event loop "
		   "%.0f KiB; the loop spent %.0f us per "
		   "transfer beyond the server's wait (connect, request, "
		   "parse: the price of adding one to the loop).",
		   lo, hi, kt, ut, kp, up, kl, per);
	price_shared(s, lo, hi);
	if (kp > kt && kt > kl)
		lesson_say("The order is the lesson's: a process costs more "
			   "than a thread, a thread more than a transfer. "
			   "That is why servers that hold 10,000 connections "
			   "use an event loop (see `concur serve`).");
	else
		lesson_say(
			"The order here is not the expected process > "
			"thread > transfer: memory is counted in pages "
			"and is noisy at these sizes; run the lesson without "
			"--quick, or compare at larger C with `concur run "
			"--workers 8,512 --no-plot`.");
}

static int price_run(struct lesson_ctx *ctx)
{
	lesson_heading("Starting a worker, alone (the spawn benchmark)");
	ctx->actual = lesson_spawn_cost(ctx);
	static const char *const models[] = {"threads", "processes",
					     "eventloop", NULL};
	return lesson_run_plan(ctx, models, NULL, price_explain);
}

const struct lesson lesson_worker_price = {
	.title = "The price of a worker",
	.question = "a thread, a process, a transfer: how many us and KiB?",
	.unit = "us",
	.plan = price_plan,
	.run = price_run,
};

/* ---- Lesson 10: measuring honestly ---- */

static void honest_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 8 : 16;
	c->delay_ms = ctx->quick ? 10 : 25;
	c->work = ctx->quick ? 3 : 10;
	c->repeat = ctx->quick ? 3 : 7;
	c->warmup = 0; /* on purpose: the first run is part of the lesson */
	int workers[] = {ctx->cores, 4 * ctx->cores, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "the same %ld compute tasks on %d threads are timed %d "
		 "times. By how many percent will the slowest run exceed "
		 "the fastest?",
		 c->tasks, ctx->cores, c->repeat);
}

/* The noise is this lesson's subject, so nothing here makes the run
 * unable to show it; the probe says how busy the machine was. */
static void honest_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	(void)s;
	judge_probe(ctx, 0);
}

static double honest_spread(const struct case_summary *cs)
{
	return cs ? (cs->wall.max / cs->wall.min - 1) * 100 : NAN;
}

static void honest_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int c1 = ctx->cores, c4 = 4 * ctx->cores;
	const struct case_summary *tc =
		lesson_case(s, "threads", TASK_COMPUTE, c1);
	const struct case_summary *tc4 =
		lesson_case(s, "threads", TASK_COMPUTE, c4);
	const struct case_summary *tf =
		lesson_case(s, "threads", TASK_FETCH, c1);
	const struct case_summary *sf =
		lesson_case(s, "sequential", TASK_FETCH, 0);
	const struct case_summary *sc =
		lesson_case(s, "sequential", TASK_COMPUTE, 0);
	if (!tc || !tc4 || !tf || !sf || !sc)
		return;
	lesson_heading("What happened");
	ctx->actual =
		lesson_measured("spread_compute_pct", honest_spread(tc), "%");
	double spf =
		lesson_measured("spread_fetch_pct", honest_spread(tf), "%");
	double first =
		lesson_measured("first_run_ratio",
				lesson_record_median(s, "threads", TASK_COMPUTE,
						     c1, RECORD_FIRST_WALL_S) /
					tc->wall.median,
				"x");
	double busy_f =
		lesson_measured("cpu_share_fetch",
				(sf->user_s + sf->sys_s) / sf->wall.median, "");
	double busy_c =
		lesson_measured("cpu_share_compute",
				(sc->user_s + sc->sys_s) / sc->wall.median, "");
	double gain = lesson_measured("gain_beyond_cores",
				      tc->wall.median / tc4->wall.median, "x");
	lesson_say("%d identical runs of the compute batch ranged from %.3f "
		   "to %.3f s: the slowest was %.1f%% above the fastest; the "
		   "fetch batch varied by %.1f%%. One run alone could have "
		   "been any of them: report the median of several and their "
		   "range, as the table does.",
		   ctx->plan.repeat, tc->wall.min, tc->wall.max, ctx->actual,
		   spf);
	lesson_say("The first run took %.2f times the median: %s", first,
		   first > 1.1	 ? "a cold start (caches, page faults, the "
				   "first connections). Warm up (--warmup 1) "
				   "or drop it."
		   : first < 0.9 ? "faster than the rest, so the machine's "
				   "load changed while the runs went on: "
				   "interleaving the models, as concur does, "
				   "spreads such drift over all of them."
				 : "no cold start to see here this time; on "
				   "a fresh boot or a cold cache there often "
				   "is one (--warmup 1 discards it).");
	lesson_say("Sleeping and busy work are measured differently: the "
		   "fetches kept the CPU busy %.0f%% of their time, the "
		   "compute %.0f%%. A sleeping run barely depends on the "
		   "machine; a busy one depends on its cores and on whatever "
		   "else runs (load average now: %.2f).",
		   busy_f * 100, busy_c * 100, judge_load());
	lesson_say("This machine has %d core%s: going from %d to %d threads "
		   "on the compute changed the time by a factor of %.2f. %s",
		   ctx->cores, ctx->cores == 1 ? "" : "s", c1, c4, gain,
		   gain < 1.15 ? "Past the core count nothing is gained: "
				 "always say how many cores a result came "
				 "from."
		   : ctx->judge.free_cores < 0.8 * ctx->cores
			   ? "More threads than cores still helped here: "
			     "something else held a core, and the "
			     "scheduler shares the CPUs among threads, so "
			     "more threads won a larger share of them."
			   : "More threads than cores still helped here, "
			     "which CPU-bound work should not allow on a "
			     "quiet machine: one of the two met a busier "
			     "moment (compare their min-max columns).");
}

static int honest_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	return lesson_run_plan(ctx, models, NULL, honest_explain);
}

const struct lesson lesson_honest = {
	.title = "Measuring honestly",
	.question = "why one timing lies: warm-up, spread, cores",
	.unit = "%",
	.plan = honest_plan,
	.run = honest_run,
	.judge = honest_judge,
	.grading = GRADE_DIFFERENCE, /* a spread: by points, not ratio */
	.close = 5,
};
