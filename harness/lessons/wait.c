// SPDX-License-Identifier: MIT
/*
 * wait.c - lessons 3 and 4: other ways to wait. Processes wait as
 * well as threads, at a price in memory and creation time; an event loop
 * waits for thousands of transfers on one thread.
 */
#include "harness/lessons/wait.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/cost.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/pollers.h"

/* The peak memory (PSS) each extra worker of model added on the fetches
 * between C = lo and C = hi, noted in lesson.json as `name`. */
static double wait_kib_per_worker(const struct sweep *s, const char *name,
				  const char *model, int lo, int hi)
{
	return lesson_measured(
		name,
		lesson_per_worker(s, model, TASK_FETCH, lo, hi, COST_PSS_KIB),
		"KiB");
}

/* ---- Lesson 3: processes for I/O ---- */

static void processes_io_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 12 : 32;
	c->delay_ms = ctx->quick ? 20 : 40;
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	static const int quick[] = {2, 12, 0};
	static const int full[] = {4, 32, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	int hi = c->workers[1];
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d processes and %d threads fetch the same %ld URLs. How "
		 "many times more memory (the peak PSS of the whole process "
		 "tree) will the processes use?",
		 hi, hi, c->tasks);
}

/* Shared pages, with the run's numbers: what RSS, PSS and USS say about
 * the same C processes. */
static void processes_io_shared(const struct case_summary *p, int hi,
				double uss_per)
{
	double rss = lesson_measured("processes_rss_sum_mib", p->rss_kib / 1024,
				     "MiB");
	double pss =
		lesson_measured("processes_pss_mib", p->pss_kib / 1024, "MiB");
	double uss =
		lesson_measured("processes_uss_mib", p->uss_kib / 1024, "MiB");
	double up = lesson_measured("uss_per_process", uss_per, "KiB");
	lesson_say("Pages shared through fork (the program, libc, libcurl, "
		   "whatever the parent had written before it forked) are in "
		   "every worker's resident set. Adding up the RSS of the %d "
		   "processes says %.1f MiB: each shared page counted once "
		   "per process. The tree's PSS, which divides a shared page "
		   "between the processes that map it, says %.1f MiB: what "
		   "they really hold. Their private pages (USS) come to %.1f "
		   "MiB, %.0f KiB more per extra worker: what one more "
		   "process really costs, and what ending it frees.",
		   hi + 1, rss, pss, uss, up);
}

static void processes_io_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int lo = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	const struct case_summary *t =
		lesson_case(s, "threads", TASK_FETCH, hi);
	const struct case_summary *p =
		lesson_case(s, "processes", TASK_FETCH, hi);
	if (!t || !p)
		return;
	lesson_heading("What happened");
	double same = lesson_measured("wall_ratio_processes_to_threads",
				      p->wall.median / t->wall.median, "x");
	ctx->actual = lesson_measured("memory_ratio_processes_to_threads",
				      p->pss_kib / t->pss_kib, "x");
	double kt = wait_kib_per_worker(s, "kib_per_thread", "threads", lo, hi);
	double kp =
		wait_kib_per_worker(s, "kib_per_process", "processes", lo, hi);
	double st = lesson_measured("setup_per_thread", t->setup_s / hi * 1e6,
				    "us");
	double sp = lesson_measured("setup_per_process", p->setup_s / hi * 1e6,
				    "us");
	double gap = p->wall.median - t->wall.median;
	if (same > 0.7 && same < 1.4)
		lesson_say("Both finished in about the same time (processes "
			   "took %.2f times the threads' %.3f s): waiting "
			   "costs the same whoever waits.",
			   same, t->wall.median);
	else if (gap > 0 && p->setup_s >= 0.5 * gap)
		lesson_say("Here the processes took %.2f times the threads' "
			   "%.3f s: creating %d processes took %.3f s of the "
			   "%.3f s difference; on a small batch the set-up is "
			   "a large share of the run.",
			   same, t->wall.median, hi, p->setup_s, gap);
	else
		lesson_say("Here the processes took %.2f times the threads' "
			   "%.3f s, and their set-up (%.3f s) does not explain "
			   "it: their runs ranged from %.3f to %.3f s, the "
			   "threads' from %.3f to %.3f s. On a batch this "
			   "short that is this machine's noise, not the "
			   "model.",
			   same, t->wall.median, p->setup_s, p->wall.min,
			   p->wall.max, t->wall.min, t->wall.max);
	lesson_say("The price is elsewhere. Between C = %d and C = %d, each "
		   "extra process added %.0f KiB of peak memory (PSS) and each "
		   "extra thread %.0f KiB; starting one took %.0f us for a "
		   "process and %.0f us for a thread.",
		   lo, hi, kp, kt, sp, st);
	if (kp > kt)
		lesson_say("A process carries its own address space: page "
			   "tables, its own copy of every page it writes, "
			   "its own libcurl state. What it buys is "
			   "isolation: a crashed worker cannot corrupt the "
			   "others.");
	else
		lesson_say("Here a process did not cost more memory than a "
			   "thread, against what the lesson expects: the "
			   "difference is below this machine's noise at "
			   "this size. Try `concur run --models threads,"
			   "processes --workloads fetch --workers 8,128 "
			   "--tasks 128`.");
	processes_io_shared(p, hi,
			    lesson_per_worker(s, "processes", TASK_FETCH, lo,
					      hi, COST_USS_KIB));
}

static int processes_io_run(struct lesson_ctx *ctx)
{
	lesson_heading("Starting one worker, alone (the spawn benchmark)");
	lesson_spawn_cost(ctx);
	static const char *const models[] = {"threads", "processes", NULL};
	return lesson_run_plan(ctx, models, NULL, processes_io_explain);
}

const struct lesson lesson_processes_io = {
	.title = "Processes for I/O",
	.question = "processes fetch as fast as threads: at what cost?",
	.unit = "x",
	.plan = processes_io_plan,
	.run = processes_io_run,
};

/* ---- Lesson 4: the event loop ---- */

static void event_loop_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->tasks = ctx->quick ? 100 : 1000;
	c->delay_ms = 100;
	c->repeat = 2;
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	c->no_baseline = true; /* 1000 x 100 ms one by one: minutes */
	static const int quick[] = {10, 100, 0};
	static const int full[] = {100, 1000, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "one thread runs an event loop with %d transfers in flight. "
		 "How many seconds will %ld fetches of %ld ms take?",
		 c->workers[1], c->tasks, c->delay_ms);
}

/* The Python part: py-asyncio beside the C loop. */
static void event_loop_python(const struct sweep *s, int hi,
			      const struct case_summary *loop)
{
	const struct case_summary *py =
		lesson_case(s, "py-asyncio", TASK_FETCH, hi);
	if (!py)
		return;
	double w = lesson_measured("py_asyncio_wall", py->wall.median, "s");
	double r = lesson_measured("py_asyncio_to_c_loop",
				   py->wall.median / loop->wall.median, "x");
	double n = (double)s->plan->tasks;
	double extra = (py->wall.median - loop->wall.median) / n * 1e3;
	if (r < 1.25)
		lesson_say("asyncio with aiohttp, the Python text's own "
			   "example, took %.3f s for the same fetches: %.2f "
			   "times the C loop. The waiting dominates, so the "
			   "language matters little here: the model does the "
			   "work.",
			   w, r);
	else
		lesson_say("asyncio with aiohttp, the Python text's own "
			   "example, took %.3f s for the same fetches: %.2f "
			   "times the C loop, %.2f ms more per fetch. The "
			   "waits are the same; the difference is the "
			   "interpreter's own work per request (building it, "
			   "parsing the answer, switching coroutines), done "
			   "on the loop's one thread, so it adds up over the "
			   "%.0f fetches. The model decides whether waits "
			   "overlap; the language decides what each request "
			   "costs.",
			   w, r, extra, n);
}

/* The loop's case must agree with itself; it should take ceil(N / C)
 * waits. */
static void event_loop_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int hi = ctx->plan.workers[1];
	judge_spread(ctx, lesson_case(s, "eventloop", TASK_FETCH, hi),
		     "the event loop");
	long rounds = (ctx->plan.tasks + hi - 1) / hi;
	judge_expect(ctx, (double)rounds * ctx->plan.delay_ms / 1e3,
		     "ceil(%ld/%d) = %ld rounds of %ld ms", ctx->plan.tasks, hi,
		     rounds, ctx->plan.delay_ms);
}

static void event_loop_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int lo = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	const struct case_summary *loop =
		lesson_case(s, "eventloop", TASK_FETCH, hi);
	const struct case_summary *thr =
		lesson_case(s, "threads", TASK_FETCH, hi);
	if (!loop || !thr)
		return;
	lesson_heading("What happened");
	ctx->actual = lesson_measured("loop_wall", loop->wall.median, "s");
	double x =
		lesson_measured("loop_ratio_to_ideal", loop->ratio_ideal, "x");
	double cpu =
		lesson_measured("loop_cpu", loop->user_s + loop->sys_s, "s");
	double kl = wait_kib_per_worker(s, "kib_per_transfer_loop", "eventloop",
					lo, hi);
	double kt = wait_kib_per_worker(s, "kib_per_transfer_threads",
					"threads", lo, hi);
	double kp = wait_kib_per_worker(s, "kib_per_transfer_processes",
					"processes", lo, hi);
	lesson_say("One thread kept %d transfers in flight and finished %ld "
		   "fetches in %.3f s, %.2f times the ideal of %.3f s; its "
		   "CPU worked %.3f s in all. Nothing waited in a thread of "
		   "its own: the loop sleeps in epoll until some socket is "
		   "ready.",
		   hi, ctx->plan.tasks, loop->wall.median, x, loop->ideal_s,
		   cpu);
	if (kl < kt && (isnan(kp) || kl < kp))
		lesson_say("Each transfer in flight cost the loop %.1f KiB "
			   "of memory, against %.1f KiB per thread and %.1f "
			   "KiB per process: a transfer is a socket and a "
			   "small state, a thread is a stack, a process is "
			   "an address space.",
			   kl, kt, kp);
	else
		lesson_say("Here a transfer in the loop cost %.1f KiB, not "
			   "less than a thread's %.1f KiB (process: %.1f "
			   "KiB): at this size, libcurl's buffers per "
			   "transfer weigh as much as a thread's touched "
			   "stack, and memory is counted in pages. The loop's "
			   "advantage "
			   "shows at tens of thousands in flight, where "
			   "threads run out first.",
			   kl, kt, kp);
}

static void event_loop_explain_all(struct lesson_ctx *ctx,
				   const struct sweep *s)
{
	event_loop_explain(ctx, s);
	const struct case_summary *loop =
		lesson_case(s, "eventloop", TASK_FETCH, ctx->plan.workers[1]);
	if (loop)
		event_loop_python(s, ctx->plan.workers[1], loop);
	pollers_section(ctx->quick);
}

static int event_loop_run(struct lesson_ctx *ctx)
{
	bool required;
	bool python = lesson_python(ctx, &required);
	if (!python && required)
		return 1;
	static const char *const c_only[] = {"eventloop", "threads",
					     "processes", NULL};
	static const char *const with_py[] = {"eventloop", "threads",
					      "processes", "py-asyncio", NULL};
	return lesson_run_plan(ctx, python ? with_py : c_only, NULL,
			       event_loop_explain_all);
}

const struct lesson lesson_event_loop = {
	.title = "The event loop",
	.question = "one thread, thousands in flight: what does one cost?",
	.unit = "s",
	.plan = event_loop_plan,
	.run = event_loop_run,
	.judge = event_loop_judge,
};
