// SPDX-License-Identifier: MIT
/*
 * async.c - lesson "async/await is a loop plus coroutines" (issue 29).
 *
 * Part 1 puts the same task side by side written as callbacks
 * (models/eventloop.c: start the transfer; when libcurl calls back,
 * compute) and as a coroutine (models/coroutines.c: fetch, then compute,
 * top to bottom, the fetch suspending the coroutine). Part 2 weighs what
 * makes the second possible: one coroutine switch (asm, glibc's
 * swapcontext) beside one hand-off between two threads. Part 3 is the
 * classic mistake: one task that blocks (--block-ms: task 0 sleeps after
 * its fetch, as time.sleep() inside an async def does) holds the only
 * thread, and every other task's latency grows by the block; the fix
 * hands the blocking part to a pool (hybrid's; Python's
 * loop.run_in_executor, --block-in executor) and the others' latency is a
 * fetch again. The prediction: the others' 99th percentile with the block
 * on the loop. The Python side runs when a Python with aiohttp is found.
 */
#include "harness/lessons/async.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/handoff_cost.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/run/run.h"
#include "models/coro_switch.h"

/* The blocking task: how long it sleeps on the loop, ms. */
#define ASYNC_BLOCK_MS 500
/* Requests a second, arriving evenly. */
#define ASYNC_RATE 200.0
/* Round trips timed per kind of switch. */
#define ASYNC_SWITCH_ROUNDS 200000L
#define ASYNC_HANDOFF_ROUNDS 20000

/* ---- the plan ---- */

/* Requests arrive on their own schedule (open loop, ASYNC_RATE a
 * second), as at a server: those arriving while task 0 blocks the loop
 * wait for it, and their latency counts from their arrival (a closed
 * loop would start them after the block and never see it). Task 0 is
 * one of many, under 1%: the p99 is the others'. */
static void async_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	c->no_baseline = true;
	c->delay_ms = ctx->quick ? 20 : 50;
	c->tasks = ctx->quick ? 200 : 400;
	c->block_ms = ASYNC_BLOCK_MS;
	c->open_loop = true;
	c->rate = ASYNC_RATE;
	c->arrival_dist = ARRIVAL_FIXED;
	static const int workers[] = {64, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%ld requests arrive, %.0f a second, at one loop of "
		 "coroutines; each fetches (%ld ms). The first then calls a "
		 "blocking sleep of %d ms. What will the 99th percentile of "
		 "latency be, from each request's arrival (ms)?",
		 c->tasks, c->rate, c->delay_ms, ASYNC_BLOCK_MS);
}

/* ---- part 1: the same task twice ---- */

static void async_side_by_side(void)
{
	lesson_heading("Part 1: one task, as callbacks and as a coroutine");
	static const char *const rows[][2] = {
		{"callbacks (models/eventloop.c)",
		 "coroutine (models/coroutines.c)"},
		{"eventloop_start_task(s, i):", "coroutines_task(c):"},
		{"  eventloop_fetch_start(s, i);",
		 "  coroutines_fetch(c); /* suspends */"},
		{"  return; /* the loop goes on */", "  if (computes)"},
		{"eventloop_fetch_done(s, i): /* later */",
		 "    eventloop_compute(el, i, 0);"},
		{"  eventloop_run_compute(s, i);",
		 "  eventloop_task_done(el, i);"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("  %-41s%s\n", rows[i][0], rows[i][1]);
	lesson_say("Both run on eventloop.c's one loop. On the left the task "
		   "is cut in two at the wait: the first half starts the "
		   "transfer and returns, and libcurl's callback runs the "
		   "second half later; whatever the halves share must live "
		   "in a struct. On the right the task reads top to bottom: "
		   "coroutines_fetch hands the transfer to the loop and "
		   "switches away (coro_yield), and the loop switches back "
		   "(coro_resume) when the transfer ends, the locals still on "
		   "the coroutine's own small stack. That is what `await` "
		   "does in Python: the seed's aiohttp example maps line by "
		   "line onto it (TUTORIAL.md, \"async/await\").");
}

/* ---- part 2: what a switch costs ---- */

static void async_switch_cost(void)
{
	lesson_heading("Part 2: what one switch costs");
	enum coro_switch asm_how;
	bool have_asm = coro_switch_parse("asm", &asm_how) == 0;
	double as =
		have_asm ? coro_switch_ns(asm_how, ASYNC_SWITCH_ROUNDS) : NAN;
	double uc = coro_switch_ns(CORO_SWITCH_UCONTEXT, ASYNC_SWITCH_ROUNDS);
	struct handoff_cost h = {0};
	double th = handoff_cost_measure(ASYNC_HANDOFF_ROUNDS, &h) == 0
			    ? h.thread_us * 1e3
			    : NAN;
	as = lesson_measured("switch_asm", as, "ns");
	uc = lesson_measured("switch_ucontext", uc, "ns");
	th = lesson_measured("thread_handoff", th, "ns");
	lesson_say("A coroutine switch of our own (a dozen instructions: "
		   "save the callee-saved registers and the stack pointer, "
		   "load the other side's) took %.0f ns; glibc's swapcontext, "
		   "which also saves the signal mask with a system call, "
		   "%.0f ns; handing a turn to another thread (a mutex and a "
		   "condition variable: the kernel puts one thread to sleep "
		   "and wakes the other) %.0f ns, %.0f times the asm switch. "
		   "`concur bench` measures the same (case coro-switch).",
		   as, uc, th, th / as);
}

/* ---- part 3: one task blocks ---- */

/* The p99 of model's case in s, from each task's arrival, ms (NAN when
 * missing). */
static double async_p99_ms(const struct sweep *s, const char *model,
			   int workers)
{
	const struct case_summary *cs =
		lesson_case(s, model, TASK_FETCH, workers);
	return cs ? cs->corrected.p99 * 1e3 : NAN;
}

/* One sweep of models under ctx's plan with block_ms and block_in set;
 * returns the p99s (ms) in p99[] in the models' order, NAN when missing.
 * Returns the sweep's status. */
static int async_part(struct lesson_ctx *ctx, const char *const *models,
		      long block_ms, bool executor, const char *part,
		      double *p99)
{
	struct run_plan c = ctx->plan;
	c.n_models = 0;
	c.block_ms = block_ms;
	c.block_in_executor = executor;
	lesson_add_models(&c, models);
	struct sweep s;
	int rc = lesson_sweep(ctx, &c, part, &s);
	for (size_t i = 0; models[i]; i++)
		p99[i] = rc ? NAN : async_p99_ms(&s, models[i], c.workers[0]);
	run_release(&s);
	return rc;
}

/* The blocked run: coroutines' others wait for the block, hybrid's do
 * not. The prediction is graded against block + fetch. */
static void async_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct run_plan *c = &ctx->plan;
	double blocked = async_p99_ms(s, "coroutines", c->workers[0]);
	double pooled = async_p99_ms(s, "hybrid", c->workers[0]);
	judge_expect(ctx, (double)(ASYNC_BLOCK_MS + c->delay_ms),
		     "a block of %d ms after a fetch of %ld ms", ASYNC_BLOCK_MS,
		     c->delay_ms);
	if (isnan(blocked) || isnan(pooled)) {
		judge_fail(ctx, false, "the blocked run has no result");
		return;
	}
	if (!(blocked >= 0.9 * ASYNC_BLOCK_MS))
		judge_fail(ctx, false,
			   "coroutines' p99 was %.0f ms, under the %d ms "
			   "block: the block did not hold the loop",
			   blocked, ASYNC_BLOCK_MS);
	if (!(pooled < 0.5 * ASYNC_BLOCK_MS))
		judge_fail(ctx, true,
			   "hybrid's p99 was %.0f ms, not under %d ms: the "
			   "pool did not keep the loop free",
			   pooled, ASYNC_BLOCK_MS / 2);
}

static void async_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct run_plan *c = &ctx->plan;
	lesson_heading("What happened");
	ctx->actual = lesson_measured(
		"blocked_p99", async_p99_ms(s, "coroutines", c->workers[0]),
		"ms");
	double pooled = lesson_measured(
		"pooled_p99", async_p99_ms(s, "hybrid", c->workers[0]), "ms");
	lesson_say("With task 0 sleeping %d ms on the loop, the 99th "
		   "percentile was %.0f ms: the requests that arrived "
		   "meanwhile were not started, and those in flight were not "
		   "resumed, until the sleep returned, though a fetch takes "
		   "%ld ms. One thread runs every task, and a task gives the "
		   "thread back only where "
		   "it awaits: a sleep, a long computation or a blocking "
		   "read is not an await. Hybrid hands the same sleep to its "
		   "pool (the idea of asyncio's run_in_executor) and the "
		   "loop goes on: %.0f ms.",
		   ASYNC_BLOCK_MS, ctx->actual, c->delay_ms, pooled);
	double py = async_p99_ms(s, "py-asyncio", c->workers[0]);
	if (!isnan(py))
		lesson_say("py-asyncio's task 0 calling time.sleep(%.1f) in "
			   "its coroutine did the same to its loop: %.0f ms.",
			   ASYNC_BLOCK_MS / 1e3,
			   lesson_measured("py_loop_p99", py, "ms"));
}

/* The calm run first: no task blocks. */
static int async_calm(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"coroutines", NULL};
	double p99[1] = {NAN};
	int rc = async_part(ctx, models, 0, false, "calm", p99);
	double calm = lesson_measured("calm_p99", p99[0], "ms");
	lesson_say("No task blocks: the 99th percentile is a fetch and the "
		   "loop's own work, %.0f ms.",
		   calm);
	return rc;
}

/* Python's fix: the same sleep awaited through run_in_executor. The
 * blocked Python run is in the judged sweep (time.sleep on the loop). */
static int async_python_fix(struct lesson_ctx *ctx)
{
	static const char *const py[] = {"py-asyncio", NULL};
	double p99[1] = {NAN};
	int rc = async_part(ctx, py, ASYNC_BLOCK_MS, true, "py-executor", p99);
	double fixed = lesson_measured("py_executor_p99", p99[0], "ms");
	lesson_say("py-asyncio, the same task 0 awaiting "
		   "loop.run_in_executor(None, time.sleep, %.1f) instead of "
		   "calling time.sleep(%.1f): %.0f ms (the blocked run's "
		   "py-asyncio row above is time.sleep on the loop).",
		   ASYNC_BLOCK_MS / 1e3, ASYNC_BLOCK_MS / 1e3, fixed);
	return rc;
}

static int async_run(struct lesson_ctx *ctx)
{
	bool required;
	bool python = lesson_python(ctx, &required);
	if (!python && required)
		return 1;
	async_side_by_side();
	async_switch_cost();
	lesson_heading("Part 3: one task blocks the loop");
	int rc = async_calm(ctx);
	if (rc != 0)
		return rc;
	static const char *const c_only[] = {"coroutines", "hybrid", NULL};
	static const char *const with_py[] = {"coroutines", "hybrid",
					      "py-asyncio", NULL};
	rc = lesson_run_plan(ctx, python ? with_py : c_only, "blocked",
			     async_explain);
	if (rc == 0 && python)
		rc = async_python_fix(ctx);
	return rc;
}

const struct lesson lesson_async = {
	.title = "async/await",
	.question = "one task sleeps on the loop: who waits?",
	.unit = "ms",
	.plan = async_plan,
	.run = async_run,
	.judge = async_judge,
};
