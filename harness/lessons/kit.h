// SPDX-License-Identifier: MIT
/*
 * kit.h - what every lesson uses: a plan with concur's defaults, a sweep
 * run as `concur run` runs it with a terminal chart, finding a case in the
 * results, and printing numbers and explanations in one form.
 */
#ifndef CONCUR_LESSON_KIT_H
#define CONCUR_LESSON_KIT_H

#include <stdbool.h>

#include "harness/lessons/lesson_ctx.h"
#include "harness/run/plan.h"
#include "harness/run/sweep.h"

/* A plan with concur's defaults, the lesson's label, quiet progress off a
 * terminal, plots left to the lesson (they are drawn with a terminal
 * chart by lesson_sweep). */
void lesson_plan_defaults(struct lesson_ctx *ctx, struct run_plan *c);

/* Adds models by name to c; a model this build does not have is left out
 * with a note on stdout. Returns how many were missing. */
int lesson_add_models(struct run_plan *c, const char *const *names);

/* Sets c's sweep of C from a list ending in 0 (values above 64 are
 * dropped, duplicates kept out). */
void lesson_set_workers(struct run_plan *c, const int *workers);

/* Runs c as `concur run` would (table, result set), then draws the plots
 * with a terminal chart and prints "  result set: DIR". The result set is
 * named lesson-N[-part]. Returns run_execute's status; *s must be
 * released with run_release. */
int lesson_sweep(struct lesson_ctx *ctx, struct run_plan *c, const char *part,
		 struct sweep *s);

/* What judges a finished sweep (judge.h), filling ctx->judge. */
typedef void (*lesson_judge_fn)(struct lesson_ctx *ctx, const struct sweep *s);

/* lesson_sweep, judged: while `judge` finds the run noisy (judge.h) and
 * the lesson's time budget allows, the experiment runs again with more
 * repetitions; a set put aside is printed as "  set aside: DIR". The
 * last attempt is the one kept and explained; ctx->judge says whether it
 * shows the claim. Wrong results end the attempts unless
 * ctx->wrong_is_the_lesson (lessons 11 and 14: state_sweep_judged).
 * Returns run_execute's status. */
int lesson_sweep_judged(struct lesson_ctx *ctx, struct run_plan *c,
			const char *part, struct sweep *s,
			lesson_judge_fn judge);

/* What a lesson says about a finished sweep. */
typedef void (*lesson_explain_fn)(struct lesson_ctx *ctx,
				  const struct sweep *s);

/* The usual lesson: adds the models (NULL-ended) to ctx->plan, runs it
 * with lesson_sweep (lesson_sweep_judged when the lesson has a judge),
 * explains when it completed. Returns the status. */
int lesson_run_plan(struct lesson_ctx *ctx, const char *const *models,
		    const char *part, lesson_explain_fn explain);

/* The case of (model, workload, C) in s, or NULL. workers 0: the first
 * case of that model and workload. */
const struct case_summary *lesson_case(const struct sweep *s, const char *model,
				       enum task_type w, int workers);

/* What lesson_per_worker measures of a case. */
enum worker_cost {
	COST_PSS_KIB, /* the process tree's peak PSS, KiB */
	COST_USS_KIB, /* its peak USS, KiB */
	COST_SETUP_US /* set-up time, microseconds */
};

/* What one more worker costs between C = lo and C = hi, from the two
 * cases' medians: (value(hi) - value(lo)) / (hi - lo). NAN when a case is
 * missing. */
double lesson_per_worker(const struct sweep *s, const char *model,
			 enum task_type w, int lo, int hi,
			 enum worker_cost what);

/* What lesson_record_median reads of each record. */
enum record_figure {
	RECORD_HANDOVERS,   /* the interpreter lock's hand-overs */
	RECORD_LOCK_WAIT_S, /* time waiting for a lock, seconds */
	RECORD_FIRST_WALL_S /* wall time, first repetition only */
};

/* The median of `what` over the records of a case. */
double lesson_record_median(const struct sweep *s, const char *model,
			    enum task_type w, int workers,
			    enum record_figure what);

/* The median over the records of a case of the figure `name` a model
 * reported (run_stats: "pool_start_s", ...); NAN when none did. */
double lesson_figure(const struct sweep *s, const char *model, enum task_type w,
		     int workers, const char *name);

/* Prints "  measured: NAME = VALUE UNIT" (VALUE with 4 significant
 * digits; "nan" when it could not be measured) and keeps it for
 * lesson.json. Returns value. */
double lesson_measured(const char *name, double value, const char *unit);

/* Where lesson_measured keeps its values: the lesson being run (one per
 * process; the runner attaches it before the lesson and detaches it
 * after, so that the lessons' many calls need not pass it). */
void lesson_keep_values(struct lesson_ctx *ctx);

/* Prints a paragraph of explanation, indented and wrapped at 76 columns. */
void lesson_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a section heading ("What happened", ...). */
void lesson_heading(const char *title);

/* Can the py-* models run here? True when they are in this build and a
 * Python with aiohttp is found; otherwise says why and that the Python
 * part is skipped. Under CI=true a missing Python is an error: *required
 * is set and the caller fails the lesson. */
bool lesson_python(struct lesson_ctx *ctx, bool *required);

#endif
