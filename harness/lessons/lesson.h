// SPDX-License-Identifier: MIT
/*
 * lesson.h - what a lesson is, and `concur lesson`, the runner that asks
 * for a prediction and puts it next to what happened.
 *
 * A lesson asks one question, has the student predict a number, runs a
 * small experiment sized for this machine, and explains what happened with
 * the run's own numbers. The runner (lesson.c) does the asking and the
 * comparing; each lesson (io.c, wait.c, cpu.c, mixed.c, cost.c) only plans
 * its experiment, runs it and explains it, with the kit of kit.h.
 *
 * Every number an explanation derives is printed once in a stable form,
 *
 *     measured: NAME = VALUE UNIT
 *
 * so that a test can recompute it from the result set the run saved.
 *
 * Errors: a lesson's run() returns the exit status of the lesson: 0 done,
 * 1 the experiment could not run or found wrong results.
 */
#ifndef CONCUR_LESSON_H
#define CONCUR_LESSON_H

#include <stdbool.h>

#include "harness/cli/config.h"

/* One lesson run: options, the plan, what happened. Owned by the runner;
 * a lesson fills plan, ask and actual. */
struct lesson_ctx {
	int number;		/* 1.. */
	bool quick;		/* --quick: smaller still, for tests */
	const char *out_dir;	/* --out: where result sets go */
	int cores;		/* online CPUs, read with sysconf */
	char *cmdline;		/* "concur lesson 2 --quick", for meta.json */
	struct run_config plan; /* the experiment, filled by plan() */
	char ask[320];		/* the prediction's question, with its sizes */
	double actual;		/* what the prediction is compared with (NAN:
				 nothing to compare) */
	int parts;		/* result sets saved so far */
	char label[48];		/* the current result set's label */
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
};

/* `concur lesson [N] [--predict VALUE] [--no-pause] [--quick] [--out DIR]`;
 * returns the exit status. */
int lesson_main(int argc, char **argv);

#endif
