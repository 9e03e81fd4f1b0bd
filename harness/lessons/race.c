// SPDX-License-Identifier: MIT
/*
 * race.c - lessons 11 and 14: a counter every worker adds to with no lock
 * (updates are lost, a different number each run, and ThreadSanitizer
 * names the two lines), and two locks taken in opposite orders (the
 * watchdog ends the deadlock and says who waited for which lock; one
 * order for everybody is the fix).
 */
#include "harness/lessons/race.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/state_kit.h"
#include "harness/run/run.h"

/* ---- Lesson 11: the data race ---- */

static void race_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	state_plan(ctx, c, SYNC_NONE, ctx->quick ? 8 : 16, ctx->quick ? 10 : 20,
		   3);
	/* CPython's 5 ms would outlast a task: no switch, nothing shown. */
	c->switch_interval_ms = 0.1;
	int lo = ctx->cores > 1 ? ctx->cores : 2;
	int workers[] = {lo, 4 * lo, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%ld tasks each add %ld to one counter with no lock, on %d "
		 "threads: %ld increments in all. How many of them will be "
		 "lost?",
		 c->tasks, c->work * SHARED_INCREMENTS_PER_UNIT, lo,
		 c->tasks * c->work * SHARED_INCREMENTS_PER_UNIT);
}

/* What the other models did to the same counter without a lock. */
static void race_models(const struct sweep *s, int c)
{
	double gil = lesson_measured("lost_gil", state_lost(s, "gil", c, 'm'),
				     "increments");
	double proc = lesson_measured("lost_processes",
				      state_lost(s, "processes", c, 'm'),
				      "increments");
	double loop = lesson_measured("lost_eventloop",
				      state_lost(s, "eventloop", c, 'm'),
				      "increments");
	lesson_say("%s", loop == 0 ? "The event loop lost nothing: one "
				     "thread runs every task, one after "
				     "another, so no read and write of the "
				     "counter can interleave. No threads, "
				     "no data race."
			 : isnan(loop)
				 ? "The event loop did not run here."
				 : "The event loop lost updates, which one "
				   "thread cannot do: that is a bug in "
				   "concur, please report it.");
	if (gil > 0)
		lesson_say("The simulated GIL (switching every 0.1 ms here, "
			   "not CPython's 5 ms, so that a switch falls inside "
			   "these short tasks) lost %.0f: it let one thread "
			   "at a time run, but it switched between a read and "
			   "its write. CPython's `counter += 1` is a read, an "
			   "add and a write too; the GIL makes each step "
			   "atomic, not the three together.",
			   gil);
	else if (gil == 0)
		lesson_say("The simulated GIL lost nothing this time: no "
			   "switch of its lock fell between a read and its "
			   "write. It can (CPython's `counter += 1` is three "
			   "steps); the GIL makes each step atomic, not the "
			   "three together.");
	if (proc > 0)
		lesson_say("The processes lost %.0f: their counter lives in a "
			   "MAP_SHARED mapping, and memory shared between "
			   "processes races exactly like memory shared between "
			   "threads. (Nothing else is shared after fork: a "
			   "counter on the heap would have stayed at 0 in the "
			   "parent.)",
			   proc);
}

static void race_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int c = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	lesson_heading("What happened");
	double total = lesson_measured("increments", state_total(s), "");
	ctx->actual = lesson_measured(
		"lost_threads", state_lost(s, "threads", c, 'm'), "increments");
	double lo =
		lesson_measured("lost_threads_fewest",
				state_lost(s, "threads", c, 'l'), "increments");
	double most =
		lesson_measured("lost_threads_most",
				state_lost(s, "threads", c, 'h'), "increments");
	double many = lesson_measured("lost_threads_many",
				      state_lost(s, "threads", hi, 'm'),
				      "increments");
	if (!(ctx->actual > 0 || most > 0)) {
		lesson_say("Not shown this time: %d threads lost no update "
			   "in %d runs. A race is a possibility, not a "
			   "promise; on another run, or a busier machine, "
			   "the same code loses thousands.",
			   c, ctx->plan.repeat);
	} else {
		lesson_say("With %d threads, %.0f of the %.0f increments were "
			   "lost (the median of %d runs, %.1f%%); with %d "
			   "threads %.0f. Each increment reads the counter, "
			   "adds one and writes it back; when another thread "
			   "writes between the read and the write, its "
			   "increments are overwritten. Verification caught "
			   "it like any wrong result: the run exits 1.",
			   c, ctx->actual, total, ctx->plan.repeat,
			   ctx->actual / total * 100, hi, many);
		lesson_say(
			"%s",
			lo != most
				? "The loss changed from run to run: it "
				  "depends on where the kernel switched the "
				  "threads, which no run controls. A test "
				  "that passed once proves nothing."
				: "The loss was the same in every run here: "
				  "the threads yield at fixed points and, on a "
				  "quiet machine, fall into the same rhythm. "
				  "It still depends on the scheduling: run "
				  "the lesson while the machine is busy and "
				  "watch it change.");
		if (lo != most)
			printf("  (from %.0f to %.0f lost over the runs)\n", lo,
			       most);
	}
	race_models(s, c);
	lesson_heading("What ThreadSanitizer says");
	if (state_tsan("threads", SYNC_NONE, "data race"))
		lesson_say("ThreadSanitizer saw the race in a small run, "
			   "whatever it lost: it watches every access, not "
			   "the result. The two lines it names are the read "
			   "and the write of shared_add_none in "
			   "common/shared.c.");
}

static int race_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", "gil", "processes",
					     "eventloop", NULL};
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, models);
	struct sweep s;
	int rc = state_sweep(ctx, c, NULL, &s);
	if (rc == 0)
		race_explain(ctx, &s);
	run_release(&s);
	return rc;
}

const struct lesson lesson_data_race = {
	.title = "The data race",
	.question = "no lock around a shared counter: how many updates lost?",
	.unit = "increments",
	.plan = race_plan,
	.run = race_run,
};

/* ---- Lesson 14: deadlock ---- */

static void deadlock_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	state_plan(ctx, c, SYNC_DEADLOCK, 4, ctx->quick ? 2 : 10, 1);
	int workers[] = {2, 0};
	lesson_set_workers(c, workers);
	c->model_timeout_s = ctx->quick ? 1.5 : 3;
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "two threads take locks a and b, one a then b, the other b "
		 "then a, %ld times each. The watchdog stops a run after "
		 "%.1f s. How many seconds will the run last?",
		 c->work * SHARED_INCREMENTS_PER_UNIT * 2, c->model_timeout_s);
}

/* The watchdog's lines: who held which lock and waited for which. */
static int deadlock_waits(const struct sweep *s)
{
	int n = 0;
	for (size_t i = 0; i < s->n_records; i++)
		for (size_t l = 0; l < s->records[i].verify.n_lines; l++)
			if (strstr(s->records[i].verify.lines[l],
				   "waits for")) {
				printf("    %s\n",
				       s->records[i].verify.lines[l]);
				n++;
			}
	return n;
}

static void deadlock_explain(struct lesson_ctx *ctx, const struct sweep *dl,
			     const struct sweep *ok)
{
	const struct case_summary *d =
		lesson_case(dl, "threads", TASK_SHARED, 2);
	const struct case_summary *o =
		lesson_case(ok, "threads", TASK_SHARED, 2);
	if (!d || !o)
		return;
	lesson_heading("What happened");
	ctx->actual = lesson_measured("deadlock_wall", d->wall.median, "s");
	double stuck = lesson_measured(
		"deadlock_stopped_tasks",
		(double)(d->kinds[RESULT_TIMEOUT] + d->kinds[RESULT_NOT_RUN]),
		"tasks");
	double fixed = lesson_measured("ordered_wall", o->wall.median, "s");
	if (stuck > 0 && d->wall.median >= ctx->plan.model_timeout_s * 0.9) {
		lesson_say("The run stopped making progress and lasted "
			   "%.2f s: the watchdog's limit. It killed the run "
			   "with %.0f tasks unfinished and read what each "
			   "worker had written before its lock:",
			   d->wall.median, stuck);
		deadlock_waits(dl);
		lesson_say("Each thread holds the lock the other waits for, "
			   "and neither lets go: a cycle of waiting, the "
			   "deadlock. Nothing fails, nothing crashes; the "
			   "program just stops, and only a watchdog notices.");
	} else {
		lesson_say("Not shown this time: the run finished in %.2f s "
			   "without deadlocking. The two threads never held "
			   "one lock each at the same moment; with more "
			   "increments (or a busier machine) they do.",
			   d->wall.median);
	}
	lesson_say("The fix: one order for everybody (--sync ordered: "
		   "always a, then b). The same work then %s in %.3f s: "
		   "whoever holds a may wait for b, but nobody holding b ever "
		   "waits for a, so no cycle can form.",
		   o->verified ? "finished, verified," : "ran, NOT verified,",
		   fixed);
}

static int deadlock_run(struct lesson_ctx *ctx)
{
	static const char *const models[] = {"threads", NULL};
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, models);
	c->no_baseline = true;
	struct run_config fixed = *c;
	fixed.sync = SYNC_ORDERED;
	struct sweep dl, ok;
	int rc = state_sweep(ctx, c, "opposite", &dl);
	int rc2 = rc == 0 ? lesson_sweep(ctx, &fixed, "ordered", &ok) : rc;
	if (rc == 0 && rc2 == 0)
		deadlock_explain(ctx, &dl, &ok);
	lesson_heading("What ThreadSanitizer says");
	lesson_say("A deadlock that happens is easy to see; one that did not "
		   "happen yet is not. ThreadSanitizer records the order in "
		   "which each thread takes locks and reports a cycle even "
		   "when the threads never overlapped. Under the simulated "
		   "GIL the two orders are taken one after the other (it "
		   "never switches threads while one holds a lock), so that "
		   "run finishes, and the bug is still there:");
	if (state_tsan("gil", SYNC_DEADLOCK, "lock-order-inversion"))
		lesson_say("The two stacks are the two orders: a then b in "
			   "one thread, b then a in the other "
			   "(shared_add_two_locks in common/shared.c).");
	run_release(&dl);
	if (rc == 0)
		run_release(&ok);
	return rc ? rc : rc2;
}

const struct lesson lesson_deadlock = {
	.title = "Deadlock",
	.question = "two locks in opposite orders: who notices, and the fix",
	.unit = "s",
	.plan = deadlock_plan,
	.run = deadlock_run,
};
