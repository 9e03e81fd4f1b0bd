// SPDX-License-Identifier: MIT
/*
 * lesson_ctx.h - what a lesson is, and what one lesson run holds: the
 * types every lesson file (io.c ... beyond.c, the table in lesson.c), the
 * kit (kit.c) and the judge (judge.c) share. `concur lesson` itself:
 * lesson.h.
 *
 * A lesson asks one question, has the student predict a number, runs a
 * small experiment sized for this machine, and explains what happened with
 * the run's own numbers. The runner (lesson.c) does the asking and the
 * comparing; each lesson (one file each, listed in harness/README.md and in
 * lesson.c's table) only plans its experiment, runs it and explains it,
 * with the kit of kit.h.
 *
 * Every number an explanation derives is printed once in a stable form,
 *
 *     measured: NAME = VALUE UNIT
 *
 * so that a test can recompute it from the result set the run saved.
 *
 * A lesson judges its run before the runner judges the student (judge.c):
 * it repeats every case, the baseline too, reads the spread and the cores
 * the run really got, runs the experiment again within a bounded time when
 * that is not enough, and says so when the run still cannot show the
 * claim. The prediction is then compared with the value expected on this
 * machine (its cores, its measured unit of compute), never with a
 * measurement the lesson itself does not trust.
 *
 * Errors: a lesson's run() returns the exit status of the lesson: 0 done,
 * 1 the experiment could not run or found wrong results.
 */
#ifndef CONCUR_LESSON_CTX_H
#define CONCUR_LESSON_CTX_H

#include <stdbool.h>

#include "harness/run/plan.h"

struct sweep;

struct lesson;

/* A lesson's judgement of its own run (judge.c), made before the student's
 * prediction is judged. Reset before each attempt. */
struct lesson_judge {
	bool invalid;		/* the run cannot show the claim */
	bool noise;		/* some cause comes and goes (a wide spread) */
	bool steady;		/* some cause stays (the cores were taken all
			    along): another attempt would not help */
	char why[800];		/* why, in words ("threads kept 1.2 cores busy,
			    not the 2 the claim needs") */
	double expected;	/* the value this machine should give, from its
			    cores and its measured unit of compute; NAN:
			    no such value */
	char expected_how[200]; /* where expected comes from, in words */
	double spread;		/* the widest max/min - 1 among the cases
				   the claim uses, baseline included */
	double free_cores;	/* the probe's last reading (judge.h), or 0 */
};

/* The most runs a lesson grades one by one (lesson_ctx.each_run). */
#define LESSON_EACH_RUN_MAX 64

/* One lesson run: options, the plan, what happened. Owned by the runner;
 * a lesson fills plan, ask, actual and judge. */
struct lesson_ctx {
	int number;		     /* 1.. */
	const struct lesson *lesson; /* the lesson being run */
	bool quick;		     /* --quick: smaller still, for tests */
	int repeat;		     /* --repeat R, or 0: the lesson's own */
	const char *out_dir;	     /* --out: where result sets go */
	int cores;		     /* online CPUs, read with sysconf */
	char *cmdline;	      /* "concur lesson 2 --quick", for meta.json */
	struct run_plan plan; /* the experiment, filled by plan() */
	char ask[320];	      /* the prediction's question, with its sizes */
	double actual;	      /* what the prediction is compared with (NAN:
				 nothing to compare) */
	int parts;	      /* result sets saved so far */
	char label[48];	      /* the current result set's label */
	struct lesson_judge judge;   /* the run's own verdict on itself */
	int attempts;		     /* sweeps run by lesson_sweep_judged */
	double started;		     /* monotonic clock at the lesson's start */
	double load_before;	     /* load average before anything ran */
	char first_set[4096];	     /* the first result set explained: where
				      lesson.json goes */
	struct lesson_value *values; /* every "measured:" line, in order */
	size_t n_values, cap_values;
	bool wrong_is_the_lesson; /* wrong results (lost updates, a run the
				     watchdog ended) are what the lesson
				     shows, not its failure (11, 14) */
	/* The value of each run, when any run's outcome is a right answer
	 * (a race: answer.c grades against each run, not their median);
	 * n_each_run 0: graded against actual. */
	double each_run[LESSON_EACH_RUN_MAX];
	size_t n_each_run;
};

/* One "measured: NAME = VALUE UNIT" line, kept for lesson.json. */
struct lesson_value {
	char name[48];
	char unit[16];
	double value;
};

/* How a prediction is graded against a value. */
enum lesson_grading {
	GRADE_RATIO,	  /* by the factor between them (times, seconds) */
	GRADE_DIFFERENCE, /* by the difference (percentages, spreads) */
};

struct lesson {
	const char *title;    /* "Waiting" */
	const char *question; /* one line, for the list and the header */
	const char *unit;     /* of the prediction: "s", "x", "KiB", ... */
	/* Sizes the experiment for ctx->cores and ctx->quick into ctx->plan
	 * and writes the prediction's question into ctx->ask. */
	void (*plan)(struct lesson_ctx *ctx);
	/* Runs the experiment, prints the explanation, sets ctx->actual. */
	int (*run)(struct lesson_ctx *ctx);
	/* Optional: judges a finished sweep before it is explained (fills
	 * ctx->judge); lesson_run_plan runs the experiment again while it
	 * says invalid and time is left. NULL: the run is trusted. */
	void (*judge)(struct lesson_ctx *ctx, const struct sweep *s);
	enum lesson_grading grading; /* 0: GRADE_RATIO */
	/* Close: within this factor (ratio; 0: 1.25) or this many units
	 * (difference; 0: 5). */
	double close;
};

#endif
