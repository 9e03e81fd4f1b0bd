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

#include "harness/lessons/judge.h"
#include "harness/lessons/state_kit.h"
#include "harness/run/run.h"
#include "harness/run/verify.h"

/* ---- Lesson 11: the data race ---- */

static void race_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
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

/* "kept 401,023 of 800,000 (398,977 lost)" for a loss out of total. */
static void race_kept(double lost, double total, char *buf, size_t len)
{
	char kept[32], all[32], gone[32];
	verify_thousands((uint64_t)llround(total - lost), kept, sizeof(kept));
	verify_thousands((uint64_t)llround(total), all, sizeof(all));
	verify_thousands((uint64_t)llround(lost), gone, sizeof(gone));
	snprintf(buf, len, "kept %s of %s (%s lost)", kept, all, gone);
}

/* The claim: without a lock, updates are lost. It rests on counts, not
 * times, so no spread is judged; a run where no update was lost cannot
 * show it, and another attempt may (where the kernel switches threads
 * comes and goes). The expected loss: C threads taking turns at each
 * yield point between a read and its write (common/shared.c), each turn
 * overwriting what the other C - 1 added: (1 - 1/C) of the increments. */
static void race_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	int c = ctx->plan.workers[0];
	judge_probe(ctx, 0);
	judge_expect(ctx, state_total(s) * (1 - 1.0 / c),
		     "%d threads taking turns at each yield point between a "
		     "read and its write, each turn overwriting what the "
		     "other%s added: %.0f%% of the increments",
		     c, c > 2 ? "s" : "", (1 - 1.0 / c) * 100);
	if (!(state_lost(s, "threads", c, LOST_MOST) > 0))
		judge_fail(ctx, true, "no run of the %d threads lost an update",
			   c);
}

/* One model's paragraph, from every run of it (all C): a model that lost
 * updates in any run is said, whatever its median. `who` starts the
 * sentence; `lost_why` or `none_why` ends it. */
static void race_model(const struct sweep *s, const char *model,
		       const char *who, const char *lost_why,
		       const char *none_why)
{
	size_t lost_in;
	double most;
	size_t runs = state_lost_runs(s, model, &lost_in, &most);
	char most_s[32];
	verify_thousands((uint64_t)llround(most), most_s, sizeof(most_s));
	if (runs == 0)
		lesson_say("%s did not run here.", who);
	else if (lost_in > 0)
		lesson_say("%s lost updates in %zu of %zu runs (up to %s): %s",
			   who, lost_in, runs, most_s, lost_why);
	else
		lesson_say("%s lost nothing in %zu runs: %s", who, runs,
			   none_why);
}

/* What the other models did to the same counter without a lock. */
static void race_models(const struct sweep *s, int c)
{
	lesson_measured("lost_gil", state_lost(s, "gil", c, LOST_MEDIAN),
			"increments");
	lesson_measured("lost_processes",
			state_lost(s, "processes", c, LOST_MEDIAN),
			"increments");
	lesson_measured("lost_eventloop",
			state_lost(s, "eventloop", c, LOST_MEDIAN),
			"increments");
	race_model(s, "eventloop", "The event loop",
		   "one thread cannot do that: it is a bug in concur, please "
		   "report it.",
		   "one thread runs every task, one after another, so no read "
		   "and write of the counter can interleave. No threads, no "
		   "data race.");
	race_model(s, "gil", "The simulated GIL",
		   "it let one thread at a time run, but it switched between "
		   "a read and its write (every 0.1 ms here, not CPython's "
		   "5 ms, so that a switch falls inside these short tasks). "
		   "CPython's `counter += 1` is a read, an add and a write "
		   "too; the GIL makes each step atomic, not the three "
		   "together.",
		   "no switch of its lock fell between a read and its write. "
		   "It can (CPython's `counter += 1` is three steps); the GIL "
		   "makes each step atomic, not the three together.");
	race_model(s, "processes", "The processes",
		   "their counter lives in a MAP_SHARED mapping, and memory "
		   "shared between processes races exactly like memory shared "
		   "between threads. (Nothing else is shared after fork: a "
		   "counter on the heap would have stayed at 0 in the "
		   "parent.)",
		   "their counter lives in a MAP_SHARED mapping, which races "
		   "like memory shared between threads, but their workers "
		   "did not overlap this time.");
}

/* The threads' loss, run by run. */
static void race_threads(struct lesson_ctx *ctx, double total, double lo,
			 double most, double many)
{
	int c = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	char mid[128], at_hi[128];
	if (!(most > 0)) {
		lesson_say("Not shown this time: %d threads lost no update "
			   "in %d runs. A race is a possibility, not a "
			   "promise; on another run, or a busier machine, "
			   "the same code loses thousands.",
			   c, ctx->plan.repeat);
		return;
	}
	race_kept(ctx->actual, total, mid, sizeof(mid));
	race_kept(many, total, at_hi, sizeof(at_hi));
	lesson_say("With %d threads the counter %s, the median of %d runs "
		   "(%.1f%% lost); with %d threads it %s. Each increment "
		   "reads the counter, adds one and writes it back; when "
		   "another thread writes between the read and the write, "
		   "its increments are overwritten. Verification caught it "
		   "like any wrong result: the run exits 1.",
		   c, mid, ctx->plan.repeat, ctx->actual / total * 100, hi,
		   at_hi);
	lesson_say("%s", lo != most
				 ? "The loss changed from run to run: it "
				   "depends on where the kernel switched the "
				   "threads, which no run controls. A test "
				   "that passed once proves nothing."
				 : "The loss was the same in every run here: "
				   "the threads yield at fixed points and, on "
				   "a quiet machine, fall into the same "
				   "rhythm. It still depends on the "
				   "scheduling: run the lesson while the "
				   "machine is busy and watch it change.");
	if (lo != most) {
		char a[32], b[32];
		verify_thousands((uint64_t)llround(lo), a, sizeof(a));
		verify_thousands((uint64_t)llround(most), b, sizeof(b));
		printf("  (from %s to %s lost over the runs)\n", a, b);
	}
}

static void race_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int c = ctx->plan.workers[0], hi = ctx->plan.workers[1];
	lesson_heading("What happened");
	double total = lesson_measured("increments", state_total(s), "");
	ctx->actual = lesson_measured("lost_threads",
				      state_lost(s, "threads", c, LOST_MEDIAN),
				      "increments");
	double lo = lesson_measured("lost_threads_fewest",
				    state_lost(s, "threads", c, LOST_FEWEST),
				    "increments");
	double most = lesson_measured("lost_threads_most",
				      state_lost(s, "threads", c, LOST_MOST),
				      "increments");
	double many = lesson_measured("lost_threads_many",
				      state_lost(s, "threads", hi, LOST_MEDIAN),
				      "increments");
	race_threads(ctx, total, lo, most, many);
	state_each_lost(ctx, s, "threads", c);
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
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	struct sweep s;
	int rc = state_sweep_judged(ctx, c, NULL, &s, race_judge);
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
	.judge = race_judge,
	.close = 2, /* a race's loss changes by more than 25% run to run */
};

/* ---- Lesson 14: deadlock ---- */

static void deadlock_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
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

/* Did the case deadlock: tasks left unfinished, a run as long as the
 * watchdog's limit? */
static bool deadlock_happened(const struct lesson_ctx *ctx,
			      const struct case_summary *d)
{
	return d->kinds[RESULT_TIMEOUT] + d->kinds[RESULT_NOT_RUN] > 0 &&
	       d->wall.median >= ctx->plan.model_timeout_s * 0.9;
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

/* The claim: the run deadlocks and lasts until the watchdog ends it. A
 * run that finished (the threads never held one lock each at once) cannot
 * show it, and another attempt may. Expected: the watchdog's limit. */
static void deadlock_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *d =
		lesson_case(s, "threads", TASK_SHARED, 2);
	double limit = ctx->plan.model_timeout_s;
	judge_probe(ctx, 0);
	judge_expect(ctx, limit,
		     "the watchdog's limit, --model-timeout %.1f s: a "
		     "deadlock never ends by itself",
		     limit);
	if (!d) {
		judge_fail(ctx, false, "the run of the two orders is missing");
		return;
	}
	if (!deadlock_happened(ctx, d))
		judge_fail(ctx, true,
			   "the two threads never held one lock each at the "
			   "same moment: the run finished in %.2f s",
			   d->wall.median);
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
	if (stuck > 0 && deadlock_happened(ctx, d)) {
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
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	c->no_baseline = true;
	struct run_plan fixed = *c;
	fixed.sync = SYNC_ORDERED;
	struct sweep dl, ok;
	int rc = state_sweep_judged(ctx, c, "opposite", &dl, deadlock_judge);
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
		   "run finishes, and the bug is still there.");
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
	.judge = deadlock_judge,
};
