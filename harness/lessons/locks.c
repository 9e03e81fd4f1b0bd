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
#include <stdlib.h>

#include "harness/lessons/judge.h"
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

/* Runs threads with each sync in turn, the same plan otherwise; a sync
 * with a judge (judges[i] not NULL) is run judged (kit.h), and the
 * judgements of all of them add up in ctx->judge. 0 when every sweep
 * completed. */
static int locks_sweeps(struct lesson_ctx *ctx, const enum shared_sync *syncs,
			const lesson_judge_fn *judges, size_t n,
			struct sweep *sw)
{
	static const char *const models[] = {"threads", NULL};
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	c->no_baseline = true;
	int rc = 0, judged = 0;
	size_t done = 0;
	for (; done < n && rc == 0; done++) {
		struct run_plan one = *c;
		const char *part = shared_sync_name(syncs[done]);
		one.sync = syncs[done];
		if (!judges[done]) {
			rc = lesson_sweep(ctx, &one, part, &sw[done]);
			continue;
		}
		struct lesson_judge before = ctx->judge;
		rc = lesson_sweep_judged(ctx, &one, part, &sw[done],
					 judges[done]);
		if (judged++ > 0)
			judge_merge(ctx, &before);
	}
	for (size_t i = 0; rc != 0 && i < done; i++)
		run_release(&sw[i]);
	return rc;
}

/* The runs of threads at C = cores agree with each other. */
static void locks_judge_spread(struct lesson_ctx *ctx, const struct sweep *s)
{
	char what[64];
	snprintf(what, sizeof(what), "--sync %s at C = %d",
		 shared_sync_name(s->plan->sync), ctx->cores);
	judge_spread(ctx, lesson_case(s, "threads", TASK_SHARED, ctx->cores),
		     what);
}

/* ... and kept the cores busy at once: a claim about cores fighting over
 * a line needs them running at the same moment. */
static void locks_judge_cores(struct lesson_ctx *ctx, const struct sweep *s)
{
	char what[64];
	snprintf(what, sizeof(what), "--sync %s at C = %d",
		 shared_sync_name(s->plan->sync), ctx->cores);
	locks_judge_spread(ctx, s);
	judge_cores(ctx, lesson_case(s, "threads", TASK_SHARED, ctx->cores),
		    ctx->cores, what);
}

/* ... and the cores were free when it ended (the last sweep judged). */
static void locks_judge_busy(struct lesson_ctx *ctx, const struct sweep *s)
{
	locks_judge_cores(ctx, s);
	judge_probe(ctx, ctx->cores > 1 ? ctx->cores : 0);
}

/* ---- Lesson 12: the price of a lock ---- */

static const enum shared_sync lock_syncs[] = {SYNC_MUTEX, SYNC_SPIN,
					      SYNC_ATOMIC, SYNC_SHARDED};
#define N_LOCK_SYNCS 4

static void lock_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
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

/* What this machine should give, from the single-thread runs alone (no
 * contended run in it): `cores` threads each counting at the sharded
 * counter's single-thread rate, against a mutex that more threads cannot
 * make faster than its single thread. Both rates are medians, so that a
 * busy machine slows both alike (the fastest run of a short case is
 * luckier than that of a long one). */
static void lock_expect(struct lesson_ctx *ctx, const struct sweep *mutex,
			const struct sweep *sharded)
{
	double m1 = state_rate(mutex, "threads", 1);
	double s1 = state_rate(sharded, "threads", 1);
	judge_expect(ctx, ctx->cores * s1 / m1,
		     "%d thread%s each counting alone at the sharded "
		     "counter's %.0f M/s, against a mutex no faster than its "
		     "one thread's %.1f M/s (single-thread medians)",
		     ctx->cores, ctx->cores == 1 ? "" : "s", s1, m1);
	lesson_say("What this machine should give, from its single-thread "
		   "runs alone: %d thread%s each counting at the sharded "
		   "counter's %.0f M/s against a mutex no faster than its one "
		   "thread's %.1f M/s: %.1f times. Contention only widens the "
		   "gap: a mutex that several threads fight over is slower "
		   "than one thread's.",
		   ctx->cores, ctx->cores == 1 ? "" : "s", s1, m1,
		   ctx->judge.expected);
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
	lock_expect(ctx, &sw[0], &sw[3]);
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
	if (ctx->judge.invalid)
		lesson_say("Not shown this time: the run judged itself above "
			   "and cannot show the claim. The ratios are this "
			   "run's, not the machine's; your prediction is "
			   "compared with what this machine should give.");
	else if (sharded && atomic)
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
			   judge_load());
	if (!sharded && !ctx->judge.invalid) /* the claim graded is this one */
		judge_fail(
			ctx, true,
			"the sharded counter's runs and the mutex's overlap");
}

static int lock_run(struct lesson_ctx *ctx)
{
	static const lesson_judge_fn judges[N_LOCK_SYNCS] = {
		locks_judge_spread, NULL, NULL, locks_judge_busy};
	struct sweep sw[N_LOCK_SYNCS];
	int rc = locks_sweeps(ctx, lock_syncs, judges, N_LOCK_SYNCS, sw);
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
	.judge = locks_judge_busy,
	.close = 1.5, /* a ratio of two rates, each noisy */
};

/* ---- Lesson 13: false sharing ---- */

static void sharing_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	state_plan(ctx, c, SYNC_SHARDED_PACKED, 4L * ctx->cores,
		   ctx->quick ? 300 : 1000, 3);
	int workers[] = {1, ctx->cores, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d threads each count in a slot of their own, never "
		 "touching another's. How many times faster will they be "
		 "when each slot has a cache line (64 bytes) to itself than "
		 "when the slots sit side by side in one line?",
		 ctx->cores);
}

/* How many CPUs share cpu0's core (its hyperthreads, itself included),
 * from /sys/devices/system/cpu/cpu0/topology/thread_siblings_list ("0",
 * "0,2", "0-1"); 1 when it cannot be read. */
static int sharing_siblings(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/topology/"
			"thread_siblings_list",
			"r");
	char list[128] = "";
	if (!f)
		return 1;
	if (!fgets(list, sizeof(list), f))
		list[0] = '\0';
	fclose(f);
	int n = 0;
	for (char *p = list; *p && *p != '\n';) {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += b >= a && b - a < 4096 ? (int)(b - a + 1) : 1;
		p = *end == ',' ? end + 1 : end;
	}
	return n > 0 ? n : 1;
}

/* The claim needs two cores with caches of their own: on one core (or
 * hyperthreads of one core, which share its cache) no line moves, and
 * the two layouts should run alike (expected 1). Elsewhere the size of
 * the gap is the hardware's, with no figure to expect but the run's. */
static void sharing_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	locks_judge_busy(ctx, s);
	int siblings = sharing_siblings();
	if (ctx->cores < 2)
		judge_fail(ctx, false,
			   "this machine has one core: no two threads write "
			   "the line at the same moment");
	else if (siblings >= ctx->cores)
		judge_fail(ctx, false,
			   "its %d CPUs are hyperthreads of one core "
			   "(thread_siblings_list): they share its cache, so "
			   "no line moves between them",
			   ctx->cores);
	if (ctx->cores < 2 || siblings >= ctx->cores)
		judge_expect(ctx, 1, "one core's cache: no line to fight over");
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
	if (ctx->judge.invalid && !isnan(ctx->judge.expected))
		lesson_say("Not shown here: %s. The two layouts should run "
			   "alike on this machine.",
			   ctx->judge.why);
	else if (shown && !ctx->judge.invalid)
		lesson_say("Shown: every padded run beat every packed one. No "
			   "thread reads another's slot, yet the cores share "
			   "the line: a core must own a line to write it, so "
			   "each write takes the line from the other core's "
			   "cache. The data is not shared; the line is. Pad "
			   "what different threads write to separate lines "
			   "(struct shared_line in common/shared.h is "
			   "_Alignas(64)).");
	else
		lesson_say("Not shown this time: %s (load average now %.1f). "
			   "False sharing needs the threads writing the line "
			   "at the same moment, and a busy machine runs them "
			   "in turns. `make bench` (case false-sharing) "
			   "measures it with more work.",
			   ctx->judge.invalid ? "the run judged itself above "
						"and cannot show the claim"
					      : "the padded and packed runs' "
						"times overlap",
			   judge_load());
	if (!shown && !ctx->judge.invalid)
		judge_fail(ctx, true,
			   "the padded and packed runs' times overlap");
}

static int sharing_run(struct lesson_ctx *ctx)
{
	static const enum shared_sync syncs[] = {SYNC_SHARDED_PACKED,
						 SYNC_SHARDED_PADDED};
	static const lesson_judge_fn judges[] = {locks_judge_cores,
						 sharing_judge};
	struct sweep sw[2];
	int rc = locks_sweeps(ctx, syncs, judges, 2, sw);
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
	.judge = sharing_judge,
};
