// SPDX-License-Identifier: MIT
/*
 * state_kit.h - what the shared-state lessons (11 to 14) use beside kit.h:
 * a plan of the shared workload, a sweep whose wrong results are the
 * lesson (a race, a deadlock) rather than its failure, the lost updates
 * and the throughput of a case, and ThreadSanitizer's report of a tiny
 * run, when a ThreadSanitizer build of concur sits beside this one.
 */
#ifndef CONCUR_LESSON_STATE_KIT_H
#define CONCUR_LESSON_STATE_KIT_H

#include "common/shared.h"
#include "harness/lessons/kit.h"

/* A plan of the shared workload with `sync`: n tasks of `work` units
 * (SHARED_INCREMENTS_PER_UNIT increments each), repeat runs a case. */
void state_plan(struct lesson_ctx *ctx, struct run_plan *c,
		enum shared_sync sync, long n, long work, int repeat);

/* Runs c with lesson_sweep. A run that lost updates or was stopped by
 * the watchdog is what these lessons show, so the status is 0 whenever
 * the sweep completed (every case measured, its result set saved), else
 * run_execute's. *s must be released with run_release. */
int state_sweep(struct lesson_ctx *ctx, struct run_plan *c, const char *part,
		struct sweep *s);

/* state_sweep judged (kit.h: lesson_sweep_judged): a noisy run is run
 * again, and wrong results do not end the attempts. */
int state_sweep_judged(struct lesson_ctx *ctx, struct run_plan *c,
		       const char *part, struct sweep *s,
		       lesson_judge_fn judge);

/* Over every run of `model` (all its C): how many runs there were, in
 * how many it lost updates (*lost_in) and the most it lost (*most). */
size_t state_lost_runs(const struct sweep *s, const char *model,
		       size_t *lost_in, double *most);

/* Puts the loss of each run of (model, C) into ctx->each_run, for the
 * prediction to be graded against each (answer.c). */
void state_each_lost(struct lesson_ctx *ctx, const struct sweep *s,
		     const char *model, int workers);

/* Which of the runs' losses state_lost gives. */
enum lost_pick {
	LOST_MEDIAN, /* the median run's */
	LOST_FEWEST, /* the run that lost fewest */
	LOST_MOST    /* the run that lost most */
};

/* Over the runs of (model, C) of the shared workload: the increments lost,
 * as `pick` says. NAN when there is none. */
double state_lost(const struct sweep *s, const char *model, int workers,
		  enum lost_pick pick);

/* Millions of increments a second of a case: the batch's increments over
 * its median wall time. NAN when the case is missing. */
double state_rate(const struct sweep *s, const char *model, int workers);

/* The increments of the shared batch of s (the counter's right total). */
double state_total(const struct sweep *s);

/* Max/min - 1 of the case's wall times, in %: the spread of its runs. */
double state_spread_pct(const struct sweep *s, const char *model, int workers);

/* Runs the ThreadSanitizer build of concur (build/tsan/concur beside
 * build/concur: `make tsan-concur`) on a tiny shared run of `model` with
 * `sync` and prints the lines of its report that say what and where.
 * Says in one line how to build it when it is not there. Returns 1 when
 * a report of the kind `kind` ("data race", "lock-order-inversion") was
 * printed. */
int state_tsan(const char *model, enum shared_sync sync, const char *kind);

#endif
