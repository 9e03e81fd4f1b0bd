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

#include "harness/lessons/convoy.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/lockview.h"
#include "harness/lessons/cpython.h"
#include "harness/run/run.h"

/* C for the CPU lessons: one worker per core (two on a one-core machine,
 * so that there is still something to share). */
static int cpu_workers_for(const struct lesson_ctx *ctx)
{
	return ctx->cores > 1 ? ctx->cores : 2;
}

/* How many tasks compute at once at C = cw on this machine. */
static double cpu_parallel(const struct lesson_ctx *ctx)
{
	int cw = cpu_workers_for(ctx);
	return cw < ctx->cores ? cw : ctx->cores;
}

/* A compute batch of about 4 tasks per core, long enough (a tenth of a
 * second or more per run, even --quick) that the scheduler's time slices
 * do not decide the result. */
static void cpu_plan_batch(struct lesson_ctx *ctx, struct run_plan *c)
{
	int per = ctx->quick ? 2 : 4;
	c->tasks = (long)per * cpu_workers_for(ctx);
	c->work = ctx->quick ? 25 : 40;
	c->py_work = 1; /* one unit is ~0.25 s in CPython */
	c->workloads[0] = TASK_COMPUTE;
	c->n_workloads = 1;
}

/* The baseline must agree with itself and have had a core to itself:
 * every speed-up divides by it. */
static void cpu_judge_baseline(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *seq =
		lesson_case(s, "sequential", TASK_COMPUTE, 0);
	judge_spread(ctx, seq, "the sequential baseline");
	judge_cores(ctx, seq, 1, "the sequential baseline");
}

/* ---- Lesson 5: CPU-bound work ---- */

static void cpu_bound_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
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

/* The claim: threads and processes each as fast as the cores allow. */
static void cpu_bound_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cw = cpu_workers_for(ctx);
	double p = cpu_parallel(ctx);
	const struct case_summary *t =
		lesson_case(s, "threads", TASK_COMPUTE, cw);
	cpu_judge_baseline(ctx, s);
	judge_spread(ctx, t, "the threads");
	judge_spread(ctx, lesson_case(s, "processes", TASK_COMPUTE, cw),
		     "the processes");
	judge_cores(ctx, t, p, "the threads");
	judge_expect(ctx, p, "%.0f core%s computing at once", p,
		     p == 1 ? "" : "s");
}

/* The doubling of threads past the cores, said by its number. */
static void cpu_bound_doubling(const struct lesson_ctx *ctx, int cw,
			       double gain)
{
	if (gain >= 0.9 && gain <= 1.1)
		lesson_say("Doubling the threads to %d changed the time by a "
			   "factor of %.2f: past the number of cores, more "
			   "threads only take turns.",
			   2 * cw, gain);
	else if (gain > 1.1 && (ctx->judge.invalid || judge_machine_busy(ctx)))
		lesson_say("%d threads were %.2f times as fast as %d, which "
			   "the cores alone cannot explain: the scheduler "
			   "shares the CPUs among threads, not programs, so "
			   "while another program runs, more threads win a "
			   "larger share of the machine. On a quiet machine "
			   "the factor is near 1.",
			   2 * cw, gain, cw);
	else if (gain > 1.1)
		lesson_say("%d threads were %.2f times as fast as %d, which "
			   "past the cores only noise can do: with %d tasks "
			   "a thread, one slow moment weighs; look at the "
			   "min-max column.",
			   2 * cw, gain, cw, ctx->quick ? 2 : 4);
	else if (gain >= 0.8)
		lesson_say("%d threads took %.2f times as long as %d: past the "
			   "cores, more threads only take turns, and each "
			   "turn costs a little switching.",
			   2 * cw, 1 / gain, cw);
	else
		lesson_say("%d threads took %.2f times as long as %d, more "
			   "than switching between them costs: one of the two "
			   "cases met a busier moment of this machine "
			   "(compare their min-max columns).",
			   2 * cw, 1 / gain, cw);
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
	double expect = cpu_parallel(ctx);
	if (cores == 1)
		lesson_say("This machine has one core, so no model can make "
			   "CPU work faster here: threads ran %.2f times and "
			   "processes %.2f times as fast as one after "
			   "another. Run this lesson on a machine with more "
			   "cores to see the claim.",
			   t->speedup, sp);
	else if (ctx->judge.invalid)
		lesson_say("Threads were %.2f and processes %.2f times as "
			   "fast, where %d cores should give %.0f: this run "
			   "cannot show the claim (%s).",
			   t->speedup, sp, cores, expect, ctx->judge.why);
	else if (t->speedup >= 0.7 * expect && sp >= 0.7 * expect)
		lesson_say("%d threads were %.2f times and %d processes %.2f "
			   "times as fast as one after another, close to the "
			   "%d cores: in C, threads run on every core at "
			   "once.",
			   cw, t->speedup, cw, sp, cores);
	else
		lesson_say("Threads were %.2f and processes %.2f times as "
			   "fast, where %d cores should give %.0f; the "
			   "processes spent %.1f ms forking their workers of "
			   "a %.3f s run. The slower one paid for its start "
			   "or for a noisy moment: compare the min-max "
			   "column.",
			   t->speedup, sp, cores, expect, p->setup_s * 1e3,
			   p->wall.median);
	if (se < 1.3)
		lesson_say("The event loop was %.2f times as fast: one thread "
			   "computes one task at a time, however many it has "
			   "in flight. An event loop overlaps waiting, not "
			   "work.",
			   se);
	else
		lesson_say("The event loop was %.2f times as fast, which one "
			   "thread cannot be: the baseline it is divided by "
			   "was slowed (compare their min-max columns).",
			   se);
	cpu_bound_doubling(ctx, cw, gain);
	lesson_cpython_speedups(ctx, s, cw);
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
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, python ? with_py : c_only);
	struct sweep s;
	int rc = lesson_sweep_judged(ctx, c, NULL, &s, cpu_bound_judge);
	if (rc == 0) {
		cpu_bound_explain(ctx, &s);
		lesson_py_start(ctx, &s, cpu_workers_for(ctx));
	}
	run_release(&s);
	return rc;
}

const struct lesson lesson_cpu_bound = {
	.title = "CPU-bound work",
	.question = "threads and processes use every core: can a loop?",
	.unit = "x",
	.plan = cpu_bound_plan,
	.run = cpu_bound_run,
	.judge = cpu_bound_judge,
};

/* ---- Lesson 6: the GIL ---- */

#define GIL_SHORT_MS 0.5 /* part 2's switch interval; part 1 uses 5 ms */

static void gil_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
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
	double h = lesson_record_median(s, "gil", TASK_COMPUTE, cw,
					RECORD_HANDOVERS);
	double l = lesson_record_median(s, "gil", TASK_COMPUTE, cw,
					RECORD_LOCK_WAIT_S);
	snprintf(name, sizeof(name), "handovers_per_s_%s", tag);
	*per_s = lesson_measured(name, g ? h / g->wall.median : NAN, "/s");
	snprintf(name, sizeof(name), "lock_wait_share_%s", tag);
	*wait_share =
		lesson_measured(name, g ? l / (g->wall.median * cw) : NAN, "");
}

/* The claim: under the lock the threads are no faster than one loop. It
 * rests on the baseline and the gil case; the threads beside them only
 * show what the lock takes away, and the probe says how many cores the
 * run could have had. */
static void gil_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	cpu_judge_baseline(ctx, s);
	judge_spread(ctx,
		     lesson_case(s, "gil", TASK_COMPUTE, cpu_workers_for(ctx)),
		     "the gil model");
	judge_probe(ctx, 0);
	judge_expect(ctx, 1, "one thread computing at a time");
}

/* What the 0.5 ms part showed, said by its numbers. */
static void gil_short_interval(const struct lesson_ctx *ctx,
			       const struct case_summary *g,
			       const struct case_summary *g2, double h5,
			       double h05)
{
	double often = h05 / h5;
	lesson_say("At %.1f ms it changed hands %.0f times a second, %.1f "
		   "times as often as at 5 ms, and the gil model was %.2f "
		   "times as fast as one loop (%.2f at 5 ms).",
		   GIL_SHORT_MS, h05, often, g2->speedup, g->speedup);
	if (often >= 5)
		lesson_say("Ten times shorter turns, about ten times the "
			   "hand-overs, and no speed-up: shorter turns make "
			   "every thread progress more evenly (see where the "
			   "lock moves in lock.png, below); they never add "
			   "parallelism.");
	else
		lesson_say("Only %.1f times as often, not the ten times the "
			   "intervals suggest: a hand-over needs both threads "
			   "on a core, the waiter to ask and the holder to "
			   "notice, and with %.2f of %d cores free each also "
			   "waits for the scheduler, whose time slices (a few "
			   "ms) then set the pace, not the %.1f ms interval. "
			   "It still adds no parallelism.",
			   often, ctx->judge.free_cores, ctx->cores,
			   GIL_SHORT_MS);
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
	if (ctx->judge.invalid)
		lesson_say("Under the lock, %d threads were %.2f times as "
			   "fast as one after another, but this run cannot "
			   "show the claim (%s): a lock cannot make threads "
			   "faster than one loop, so a figure far from 1 here "
			   "is the run's noise, not the model's.",
			   cw, g->speedup, ctx->judge.why);
	else if (g->speedup < 1.3 && ts > g->speedup * 1.3)
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
			   "run cannot show what the lock takes away: %.2f of "
			   "the %d cores were free. The waiting still shows: "
			   "each thread spent %.0f%% of its time waiting for "
			   "the lock.",
			   cw, g->speedup, ts, ctx->judge.free_cores,
			   ctx->cores, w5 * 100);
	else
		lesson_say("Under the lock the threads were still %.2f times "
			   "as fast, which a real GIL would not allow: look "
			   "at the gil model's lock_wait column.",
			   g->speedup);
	lesson_say("With a switch interval of 5 ms the lock changed hands "
		   "%.0f times a second: a holder gives it up when another "
		   "thread has waited one interval.",
		   h5);
	if (g2)
		gil_short_interval(ctx, g, g2, h5, h05);
	lesson_cpython_speedups(ctx, a, cw);
	lesson_say("Code that runs outside Python's bytecode can drop the "
		   "GIL, as gil.c's fetches do: zlib, hashlib and numpy "
		   "release it around their long loops, so threads calling "
		   "them do compute in parallel. A free-threaded CPython "
		   "(3.13t, PEP 703) has no GIL at all: there py-threads "
		   "would scale like the C threads here, and code must lock "
		   "its own shared data.");
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
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, python ? with_py : c_only);
	struct sweep a, b;
	int rc = lesson_sweep_judged(ctx, c, "5ms", &a, gil_judge);
	if (rc != 0) {
		run_release(&a);
		return rc;
	}
	/* Part 2: the gil model at a shorter interval, with its own
	 * baseline (timed in the same minutes, and what its plots need). */
	struct run_plan c2 = *c;
	c2.n_models = 0;
	static const char *const gil_only[] = {"gil", NULL};
	lesson_add_models(&c2, gil_only);
	c2.switch_interval_ms = GIL_SHORT_MS;
	c2.server_url = a.server_url; /* part 1's server, still running */
	struct lesson_judge part1 = ctx->judge;
	rc = lesson_sweep(ctx, &c2, "0.5ms", &b);
	ctx->judge = part1;
	gil_explain(ctx, &a, rc == 0 ? &b : NULL);
	lesson_gil_convoy(ctx, a.server_url);
	lesson_gil_lockview(ctx, cpu_workers_for(ctx));
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
	.judge = gil_judge,
};
