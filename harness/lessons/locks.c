// SPDX-License-Identifier: MIT
/*
 * locks.c - lessons 12 and 13: the price of a lock (one counter kept
 * right by a mutex, a spin lock, an atomic add or per-worker shards, as
 * the threads grow) and false sharing (per-worker slots packed into one
 * cache line or a line each). One sweep per --sync, the same batch.
 *
 * A difference is called shown only when every run of one case beat
 * every run of the other: the lesson judges its noise before it judges
 * the student.
 */
#include "harness/lessons/locks.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/state_kit.h"
#include "harness/run/run.h"

/* 1 when every run of case a (threads at C in sweep sa) was faster than
 * every run of case b: the ranges do not overlap, so no noise of these
 * runs can explain the difference. Printed as NAME = 1 or 0. */
static double locks_beats(const char *name, const struct sweep *sa,
			  const struct sweep *sb, int c)
{
	const struct case_summary *a =
		lesson_case(sa, "threads", TASK_SHARED, c);
	const struct case_summary *b =
		lesson_case(sb, "threads", TASK_SHARED, c);
	return lesson_measured(name,
			       a && b && a->wall.max < b->wall.min ? 1 : 0, "");
}

/* Runs threads with each sync in turn, the same plan otherwise. 0 when
 * every sweep completed. */
static int locks_sweeps(struct lesson_ctx *ctx, const enum shared_sync *syncs,
			size_t n, struct sweep *sw)
{
	static const char *const models[] = {"threads", NULL};
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, models);
	c->no_baseline = true;
	int rc = 0;
	size_t done = 0;
	for (; done < n && rc == 0; done++) {
		struct run_config one = *c;
		one.sync = syncs[done];
		rc = lesson_sweep(ctx, &one, shared_sync_name(syncs[done]),
				  &sw[done]);
	}
	for (size_t i = 0; rc != 0 && i < done; i++)
		run_release(&sw[i]);
	return rc;
}

/* ---- Lesson 12: the price of a lock ---- */

static const enum shared_sync lock_syncs[] = {SYNC_MUTEX, SYNC_SPIN,
					      SYNC_ATOMIC, SYNC_SHARDED};
#define N_LOCK_SYNCS 4

static void lock_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	state_plan(ctx, c, SYNC_MUTEX, ctx->quick ? 8 : 16,
		   ctx->quick ? 20 : 40, 3);
	int workers[] = {1, ctx->cores, 4 * ctx->cores, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d threads add to one counter, %ld increments in all. How "
		 "many times the mutex's throughput will the sharded counter "
		 "(a count per thread, moved into the total every %d) reach?",
		 ctx->cores, c->tasks * c->work * SHARED_INCREMENTS_PER_UNIT,
		 SHARED_THRESHOLD);
}

static void lock_explain(struct lesson_ctx *ctx, struct sweep *sw)
{
	int c1 = 1, c = ctx->cores, many = 4 * ctx->cores;
	double rate[N_LOCK_SYNCS][3];
	lesson_heading("What happened");
	for (size_t i = 0; i < N_LOCK_SYNCS; i++) {
		const char *name = shared_sync_name(lock_syncs[i]);
		const int at[3] = {c1, c, many};
		for (size_t k = 0; k < 3; k++) {
			char key[64];
			snprintf(key, sizeof(key), "rate_%s_c%d", name, at[k]);
			rate[i][k] = lesson_measured(
				key, state_rate(&sw[i], "threads", at[k]),
				"M/s");
		}
	}
	double r[N_LOCK_SYNCS];
	for (size_t i = 1; i < N_LOCK_SYNCS; i++) {
		char key[64];
		snprintf(key, sizeof(key), "%s_to_mutex",
			 shared_sync_name(lock_syncs[i]));
		r[i] = lesson_measured(key, rate[i][1] / rate[0][1], "x");
	}
	ctx->actual = r[3];
	lesson_say("With %d thread%s, a counter guarded by a mutex took %.1f "
		   "million increments a second; with one thread alone %.1f, "
		   "and with %d threads %.1f. %s",
		   c, c == 1 ? "" : "s", rate[0][1], rate[0][0], many,
		   rate[0][2],
		   rate[0][1] < rate[0][0]
			   ? "Every increment takes the lock and gives it "
			     "back, and when another thread holds it the line "
			     "holding the lock travels between the cores (or "
			     "the waiter sleeps in the kernel): more threads "
			     "do not add throughput, they fight."
			   : "More threads did not slow the mutex down here: "
			     "on a busy machine they seldom ran at the same "
			     "moment, so the lock was seldom contended. On a "
			     "quiet one, the line holding the lock travels "
			     "between the cores at every increment.");
	lesson_say("At %d threads: the spin lock reached %.2f times the "
		   "mutex's throughput, one atomic add %.2f times, the sharded "
		   "counter %.2f times. The sharded counter touches shared "
		   "memory once every %d increments; the others every time.",
		   c, r[1], r[2], r[3], SHARED_THRESHOLD);
	double sharded = locks_beats("sharded_beats_mutex", &sw[3], &sw[0], c);
	double atomic = locks_beats("atomic_beats_mutex", &sw[2], &sw[0], c);
	if (sharded && atomic)
		lesson_say(
			"Every run of the sharded counter and of the atomic "
			"one beat every run of the mutex: no noise of these "
			"runs explains that. Shown. The cheapest lock is the "
			"one not taken.");
	else
		lesson_say("Not shown this time: the %s's runs and the mutex's "
			   "overlap, so the difference is within the noise of "
			   "this machine (load average now %.1f). Run `make "
			   "bench` (case lock-cost) on a quieter machine.",
			   sharded ? "atomic counter" : "sharded counter",
			   lesson_load());
}

static int lock_run(struct lesson_ctx *ctx)
{
	struct sweep sw[N_LOCK_SYNCS];
	int rc = locks_sweeps(ctx, lock_syncs, N_LOCK_SYNCS, sw);
	if (rc != 0)
		return rc;
	lock_explain(ctx, sw);
	for (size_t i = 0; i < N_LOCK_SYNCS; i++)
		run_release(&sw[i]);
	return 0;
}

const struct lesson lesson_lock_price = {
	.title = "The price of a lock",
	.question = "mutex, spin, atomic, sharded: increments/s as C grows",
	.unit = "x",
	.plan = lock_plan,
	.run = lock_run,
};

/* ---- Lesson 13: false sharing ---- */

static void sharing_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	state_plan(ctx, c, SYNC_SHARDED_PACKED, 4L * ctx->cores,
		   ctx->quick ? 100 : 300, 3);
	int workers[] = {1, ctx->cores, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d threads each count in a slot of their own, never "
		 "touching another's. How many times faster will they be "
		 "when each slot has a cache line (64 bytes) to itself than "
		 "when the slots sit side by side in one line?",
		 ctx->cores);
}

static void sharing_explain(struct lesson_ctx *ctx, struct sweep *sw)
{
	int c = ctx->cores;
	lesson_heading("What happened");
	double p1 = lesson_measured("rate_packed_c1",
				    state_rate(&sw[0], "threads", 1), "M/s");
	double d1 = lesson_measured("rate_padded_c1",
				    state_rate(&sw[1], "threads", 1), "M/s");
	double p = lesson_measured("rate_packed",
				   state_rate(&sw[0], "threads", c), "M/s");
	double d = lesson_measured("rate_padded",
				   state_rate(&sw[1], "threads", c), "M/s");
	double alone = lesson_measured("padded_to_packed_c1", d1 / p1, "x");
	ctx->actual = lesson_measured("padded_to_packed", d / p, "x");
	double shown = locks_beats("padded_beats_packed", &sw[1], &sw[0], c);
	lesson_say("With %d threads, slots side by side in one line counted "
		   "%.0f million increments a second, slots a line each %.0f: "
		   "%.2f times as fast. With one thread the two layouts gave "
		   "%.2f (%.0f and %.0f M/s): nothing to share, nothing lost.",
		   c, p, d, ctx->actual, alone, p1, d1);
	if (c < 2)
		lesson_say("Not shown: this machine has one core, so no two "
			   "threads ever write the line at the same time.");
	else if (shown)
		lesson_say("Shown: every padded run beat every packed one. No "
			   "thread "
			   "reads another's slot, yet the cores share the "
			   "line: a core must own a line to write it, so each "
			   "write takes the line from the other core's cache. "
			   "The data is not shared; the line is. Pad what "
			   "different threads write to separate lines "
			   "(struct shared_line in common/shared.h is "
			   "_Alignas(64)).");
	else
		lesson_say("Not shown this time: the padded and packed runs' "
			   "times overlap (load average now %.1f). Either the "
			   "threads did "
			   "not run at the same moment (a busy machine runs "
			   "them in turns), or the two virtual cores share one "
			   "physical core and its cache, where there is no "
			   "line to fight over. `make bench` (case "
			   "false-sharing) measures it with more work.",
			   lesson_load());
}

static int sharing_run(struct lesson_ctx *ctx)
{
	static const enum shared_sync syncs[] = {SYNC_SHARDED_PACKED,
						 SYNC_SHARDED_PADDED};
	struct sweep sw[2];
	int rc = locks_sweeps(ctx, syncs, 2, sw);
	if (rc != 0)
		return rc;
	sharing_explain(ctx, sw);
	run_release(&sw[0]);
	run_release(&sw[1]);
	return 0;
}

const struct lesson lesson_false_sharing = {
	.title = "False sharing",
	.question = "slots of their own, one cache line: how much slower?",
	.unit = "x",
	.plan = sharing_plan,
	.run = sharing_run,
};
