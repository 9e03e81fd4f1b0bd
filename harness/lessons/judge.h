// SPDX-License-Identifier: MIT
/*
 * judge.h - a lesson judges its own run before it judges the student.
 *
 * A claim such as "two threads compute twice as fast on two cores" can
 * only be shown by a run that had two cores and whose timings agree with
 * each other. The judges below read a finished sweep for that: the spread
 * of each case the claim uses (the baseline's too), the cores a case kept
 * busy, and a short probe of how many cores this machine gives right now.
 * Each failed check says why in words (struct lesson_judge, lesson.h);
 * noise that comes and goes is worth another attempt (kit.h:
 * lesson_sweep_judged), a machine kept busy by something else is not.
 *
 * Errors: none; a check that cannot be made (a missing case) fails with
 * its reason.
 */
#ifndef CONCUR_LESSON_JUDGE_H
#define CONCUR_LESSON_JUDGE_H

#include <stdbool.h>

#include "harness/lessons/lesson_ctx.h"
#include "harness/run/sweep.h"

/* The widest spread (max/min) a case may have for a claim to rest on it:
 * more than 25% between the fastest and the slowest run is noise. */
#define JUDGE_SPREAD_MAX 1.25
/* A case shows a parallel claim when it kept at least this share of the
 * cores it should have busy (CPU time over wall time). */
#define JUDGE_CORES_SHARE 0.8

/* Clears ctx->judge for a new attempt (expected stays NAN until set). */
void judge_reset(struct lesson_ctx *ctx);

/* The run cannot show the claim, because of fmt. `noise`: the cause comes
 * and goes (a wide spread), so another attempt may succeed; otherwise
 * (the cores were taken all along) it would not. Reasons accumulate. */
void judge_fail(struct lesson_ctx *ctx, bool noise, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds the judgement of an earlier part (a sweep judged on its own, as
 * lessons 12 and 13 judge one sweep per --sync) to ctx->judge: either
 * part failing fails the run; the widest spread, the reasons and the
 * expected value (when ctx's has none) carry over. */
void judge_merge(struct lesson_ctx *ctx, const struct lesson_judge *earlier);

/* Is another attempt worth it (every failure was noise)? */
bool judge_retry_helps(const struct lesson_ctx *ctx);

/* The value this machine should give when nothing else runs, and where
 * it comes from ("2 cores", "the measured unit of 1.2 ms"). */
void judge_expect(struct lesson_ctx *ctx, double value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Checks that case cs exists and its runs agree within JUDGE_SPREAD_MAX;
 * `what` names it in the reason ("the sequential baseline"). */
bool judge_spread(struct lesson_ctx *ctx, const struct case_summary *cs,
		  const char *what);

/* Checks that cs kept at least JUDGE_CORES_SHARE x `want` cores busy. */
bool judge_cores(struct lesson_ctx *ctx, const struct case_summary *cs,
		 double want, const char *what);

/* Spins one thread per core for about 40 ms and returns how many cores'
 * worth of CPU time they got: `cores` on an idle machine, less when
 * something else runs. */
double judge_free_cores(int cores);

/* Probes the free cores now, prints them with the load average, keeps
 * them in ctx->judge.free_cores, and fails the judgement when fewer than
 * JUDGE_CORES_SHARE x `need` were free (need 0: never). Returns what it
 * measured. */
double judge_probe(struct lesson_ctx *ctx, double need);

/* Was the machine busy before the lesson began (1-minute load average at
 * least 3/4 of the cores)? Sentences that call a machine busy ask this. */
bool judge_machine_busy(const struct lesson_ctx *ctx);

/* The load average over the last minute, for the texts that say how busy
 * the machine was; NAN when it cannot be read. */
double judge_load(void);

#endif
