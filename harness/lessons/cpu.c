// SPDX-License-Identifier: MIT
/*
 * cpu.c - lessons 5 and 6: work that keeps the CPU busy. Threads
 * and processes use every core, the event loop cannot; under a global
 * interpreter lock threads cannot either, which is the Python text's claim
 * about CPython threads, tested here in C and, when Python is there, in
 * CPython itself.
 */
#include "harness/lessons/cpu.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/kit.h"
#include "harness/run/run.h"

/* C for the CPU lessons: one worker per core (two on a one-core machine,
 * so that there is still something to share). */
static int cpu_workers_for(const struct lesson_ctx *ctx)
{
	return ctx->cores > 1 ? ctx->cores : 2;
}

/* A compute batch of about 4 tasks per core. */
static void cpu_plan_batch(struct lesson_ctx *ctx, struct run_config *c)
{
	int per = ctx->quick ? 2 : 4;
	c->tasks = (long)per * cpu_workers_for(ctx);
	c->work = ctx->quick ? 10 : 40;
	c->py_work = 1; /* one unit is ~0.25 s in CPython */
	c->workloads[0] = TASK_COMPUTE;
	c->n_workloads = 1;
	c->repeat = ctx->quick ? 1 : 2;
}

/* What the Python models did, next to the claim. */
static void cpu_python(const struct sweep *s, int cw, int cores)
{
	const struct case_summary *pt =
		lesson_case(s, "py-threads", TASK_COMPUTE, cw);
	const struct case_summary *pp =
		lesson_case(s, "py-processes", TASK_COMPUTE, cw);
	if (!pt || !pp)
		return;
	double st = lesson_measured("py_threads_speedup", pt->speedup, "x");
	double sp = lesson_measured("py_processes_speedup", pp->speedup, "x");
	if (st < 1.2)
		lesson_say("In CPython, %d threads ran the same kind of work "
			   "%.2f times as fast as one loop: the GIL lets one "
			   "thread run Python at a time, as the Python text "
			   "says.",
			   cw, st);
	else if (cores > 1 && st < 0.7 * (cw < cores ? cw : cores))
		lesson_say("In CPython, %d threads were %.2f times as fast as "
			   "one loop: more than the GIL allows for pure "
			   "computing, far less than the cores. On a run this "
			   "short, noise on the py-sequential baseline does "
			   "that; rerun without --quick before drawing a "
			   "conclusion.",
			   cw, st);
	else
		lesson_say("In this Python, threads sped CPU work up %.2f "
			   "times, against the Python text's claim: is it a "
			   "free-threaded build (python3.13t)?",
			   st);
	if (cores > 1 && sp >= 0.6 * (cw < cores ? cw : cores))
		lesson_say("%d processes, each with its own interpreter and "
			   "its own GIL, were %.2f times as fast: the way "
			   "around the GIL for CPU work.",
			   cw, sp);
	else
		lesson_say("%d processes were %.2f times as fast here: %s", cw,
			   sp,
			   cores == 1 ? "on one core no model can be faster."
				      : "starting the interpreters took a "
					"large part of this short run.");
}

/* ---- Lesson 5: CPU-bound work ---- */

static void cpu_bound_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	cpu_plan_batch(ctx, c);
	int cw = cpu_workers_for(ctx);
	int workers[] = {cw, 2 * cw, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "this machine has %d core%s. How many times faster than "
		 "one after another will %d threads compute %ld tasks?",
		 ctx->cores, ctx->cores == 1 ? "" : "s", cw, c->tasks);
}

static void cpu_bound_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cw = cpu_workers_for(ctx), cores = ctx->cores;
	const struct case_summary *t =
		lesson_case(s, "threads", TASK_COMPUTE, cw);
	const struct case_summary *p =
		lesson_case(s, "processes", TASK_COMPUTE, cw);
	const struct case_summary *e =
		lesson_case(s, "eventloop", TASK_COMPUTE, cw);
	const struct case_summary *t2 =
		lesson_case(s, "threads", TASK_COMPUTE, 2 * cw);
	if (!t || !p || !e || !t2)
		return;
	lesson_heading("What happened");
	lesson_measured("cores", cores, "");
	ctx->actual = lesson_measured("threads_speedup", t->speedup, "x");
	double sp = lesson_measured("processes_speedup", p->speedup, "x");
	double se = lesson_measured("eventloop_speedup", e->speedup, "x");
	double gain = lesson_measured("gain_beyond_cores",
				      t->wall.median / t2->wall.median, "x");
	double expect = cw < cores ? cw : cores;
	if (cores == 1)
		lesson_say("This machine has one core, so no model can make "
			   "CPU work faster here: threads ran %.2f times and "
			   "processes %.2f times as fast as one after "
			   "another. Run this lesson on a machine with more "
			   "cores to see the claim.",
			   t->speedup, sp);
	else if (t->speedup >= 0.7 * expect && sp >= 0.7 * expect)
		lesson_say("%d threads were %.2f times and %d processes %.2f "
			   "times as fast as one after another, close to the "
			   "%d cores: in C, threads run on every core at "
			   "once.",
			   cw, t->speedup, cw, sp, cores);
	else
		lesson_say("Threads were %.2f and processes %.2f times as "
			   "fast, well below the %d cores this machine has: "
			   "something else was using the CPUs (load average "
			   "%.2f). The claim is not shown by this run; try "
			   "again on a quiet machine.",
			   t->speedup, sp, cores, lesson_load());
	if (se < 1.3)
		lesson_say("The event loop was %.2f times as fast: one thread "
			   "computes one task at a time, however many it has "
			   "in flight. An event loop overlaps waiting, not "
			   "work.",
			   se);
	else
		lesson_say("The event loop was %.2f times as fast, which one "
			   "thread cannot be: look at the CPU column.",
			   se);
	lesson_say("Doubling the threads to %d changed the time by a factor "
		   "of %.2f: past the number of cores, more threads only "
		   "take turns.",
		   2 * cw, gain);
	cpu_python(s, cw, cores);
}

static int cpu_bound_run(struct lesson_ctx *ctx)
{
	bool required;
	bool python = lesson_python(ctx, &required);
	if (!python && required)
		return 1;
	static const char *const c_only[] = {"threads", "processes",
					     "eventloop", NULL};
	static const char *const with_py[] = {"threads",      "processes",
					      "eventloop",    "py-threads",
					      "py-processes", NULL};
	return lesson_run_plan(ctx, python ? with_py : c_only, NULL,
			       cpu_bound_explain);
}

const struct lesson lesson_cpu_bound = {
	.title = "CPU-bound work",
	.question = "threads and processes use every core: can a loop?",
	.unit = "x",
	.plan = cpu_bound_plan,
	.run = cpu_bound_run,
};

/* ---- Lesson 6: the GIL ---- */

#define GIL_SHORT_MS 0.5 /* part 2's switch interval; part 1 uses 5 ms */

static void gil_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	cpu_plan_batch(ctx, c);
	c->switch_interval_ms = 5.0; /* CPython's default */
	int workers[] = {cpu_workers_for(ctx), 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d threads compute %ld tasks, but must hold one global lock "
		 "to compute. How many times faster than one after another "
		 "will they be?",
		 cpu_workers_for(ctx), c->tasks);
}

/* Hand-overs per second and the share of the threads' time spent
 * waiting for the lock, in one part. */
static void gil_part(const struct sweep *s, int cw, const char *tag,
		     double *per_s, double *wait_share)
{
	const struct case_summary *g = lesson_case(s, "gil", TASK_COMPUTE, cw);
	char name[64];
	double h = lesson_record_median(s, "gil", TASK_COMPUTE, cw, 'h');
	double l = lesson_record_median(s, "gil", TASK_COMPUTE, cw, 'l');
	snprintf(name, sizeof(name), "handovers_per_s_%s", tag);
	*per_s = lesson_measured(name, g ? h / g->wall.median : NAN, "/s");
	snprintf(name, sizeof(name), "lock_wait_share_%s", tag);
	*wait_share =
		lesson_measured(name, g ? l / (g->wall.median * cw) : NAN, "");
}

static void gil_explain(struct lesson_ctx *ctx, const struct sweep *a,
			const struct sweep *b)
{
	int cw = cpu_workers_for(ctx);
	const struct case_summary *g = lesson_case(a, "gil", TASK_COMPUTE, cw);
	const struct case_summary *t =
		lesson_case(a, "threads", TASK_COMPUTE, cw);
	const struct case_summary *g2 =
		b ? lesson_case(b, "gil", TASK_COMPUTE, cw) : NULL;
	if (!g || !t)
		return;
	lesson_heading("What happened");
	ctx->actual = lesson_measured("gil_speedup", g->speedup, "x");
	double ts = lesson_measured("threads_speedup", t->speedup, "x");
	double h5, w5, h05 = NAN, w05 = NAN;
	gil_part(a, cw, "5ms", &h5, &w5);
	if (g2)
		gil_part(b, cw, "0.5ms", &h05, &w05);
	if (g->speedup < 1.3 && ts > g->speedup * 1.3)
		lesson_say("Under the lock, %d threads were %.2f times as "
			   "fast as one after another, while the same threads "
			   "without it were %.2f times as fast: only the "
			   "thread holding the lock computes. Each thread "
			   "spent %.0f%% of its time waiting for the lock.",
			   cw, g->speedup, ts, w5 * 100);
	else if (g->speedup < 1.3)
		lesson_say("Under the lock, %d threads were %.2f times as "
			   "fast as one after another; but the same threads "
			   "without it were only %.2f times as fast, so this "
			   "run cannot show what the lock takes away: no "
			   "second core was free (load average %.2f). The "
			   "waiting still shows: each thread spent %.0f%% of "
			   "its time waiting for the lock.",
			   cw, g->speedup, ts, lesson_load(), w5 * 100);
	else
		lesson_say("Under the lock the threads were still %.2f times "
			   "as fast, which a real GIL would not allow: look "
			   "at the gil model's lock_wait column.",
			   g->speedup);
	lesson_say("With a switch interval of 5 ms the lock changed hands "
		   "%.0f times a second: a holder gives it up when another "
		   "thread has waited one interval.",
		   h5);
	if (g2) {
		double longer = g2->wall.median / g->wall.median;
		lesson_say("At %.1f ms it changed hands %.0f times a second "
			   "(%.1f times as often) and the run took %.2f times "
			   "as long. %s",
			   GIL_SHORT_MS, h05, h05 / h5, longer,
			   longer > 0.9 ? "Shorter turns make every thread "
					  "progress more evenly (see the "
					  "timeline PNG) and add hand-overs; "
					  "they never add parallelism."
					: "Shorter turns cannot make the work "
					  "itself faster: a difference this "
					  "large is this machine's noise (a "
					  "short run on a busy machine).");
	}
	cpu_python(a, cw, ctx->cores);
}

static int gil_run(struct lesson_ctx *ctx)
{
	bool required;
	bool python = lesson_python(ctx, &required);
	if (!python && required)
		return 1;
	static const char *const c_only[] = {"threads", "gil", NULL};
	static const char *const with_py[] = {"threads", "gil", "py-threads",
					      "py-processes", NULL};
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, python ? with_py : c_only);
	struct sweep a, b;
	int rc = lesson_sweep(ctx, c, "5ms", &a);
	if (rc != 0) {
		run_release(&a);
		return rc;
	}
	/* Part 2: the gil model alone at a shorter interval. */
	struct run_config c2 = *c;
	c2.n_models = 0;
	static const char *const gil_only[] = {"gil", NULL};
	lesson_add_models(&c2, gil_only);
	c2.switch_interval_ms = GIL_SHORT_MS;
	c2.no_baseline = true;
	c2.server_url = a.server_url; /* part 1's server, still running */
	rc = lesson_sweep(ctx, &c2, "0.5ms", &b);
	gil_explain(ctx, &a, rc == 0 ? &b : NULL);
	run_release(&b);
	run_release(&a);
	return rc;
}

const struct lesson lesson_gil = {
	.title = "The GIL",
	.question = "why do CPython threads not speed up CPU work?",
	.unit = "x",
	.plan = gil_plan,
	.run = gil_run,
};
