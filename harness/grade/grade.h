// SPDX-License-Identifier: MIT
/*
 * grade.h - `concur grade MODEL`, what `make check-model MODEL=...` runs
 * (as build/concur-grade, the grader's build, which holds no student
 * code): the conformance scenarios against one model, each run in a
 * contained host process and judged by the grader alone, a hint when one
 * fails, the model's speed as a ratio to the built-in threads model on
 * the same batch, and a grade file in the layout of Gradescope's
 * results.json, written after every process of the student's is gone:
 *
 *     {"score": 9.5, "execution_time": 12.3, "output": "hints...",
 *      "tests": [{"name": ..., "score": 1, "max_score": 1,
 *                 "status": "passed", "output": ...}, ...]}
 *
 * The grade file also says whose work it graded and where, in Gradescope's
 * "extra_data": the student (--student, else $STUDENT, else $USER), the
 * machine and its cores, and the FNV-1a hash of the model's source file
 * (--source, else models/exercises/MODEL.c when there is one).
 *
 * Errors: bad usage (no model, an unknown one) is one line and exit 2; a
 * model that fails a check exits 1; the speed score never fails it.
 */
#ifndef CONCUR_GRADE_H
#define CONCUR_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/grade/grade_host.h"
#include "harness/grade/hints.h"
#include "models/model.h"

#define GRADE_MAX_TESTS 32

/* One check of the grade file. */
struct grade_test {
	char name[128];
	double score, max_score;
	char output[1024];
};

struct grade {
	const struct model *model;
	struct grade_host host; /* where the model runs: concur-host */
	struct grade_host ref;	/* where the threads baseline of the speed
				   check runs: concur-host-ref, built
				   without student code */
	char base[256];		/* the grader's server (reference) */
	const char *sanitize;	/* "thread", "address", ... or NULL */
	const char *student;	/* who, for the grade file (or NULL) */
	const char *source;	/* the model's source file (or NULL) */
	bool quick;		/* smaller speed batch (tests) */
	char dir[4096];		/* where results.json and the logs go */
	char out[4200];		/* results.json */
	struct grade_test tests[GRADE_MAX_TESTS];
	size_t n_tests;
	bool failed;	/* a check failed */
	unsigned hints; /* enum grade_hint (hints.h) */
	char hint_text[4096];
};

/* Adds a check; returns it (never NULL: the table is large enough). */
struct grade_test *grade_add(struct grade *g, const char *name, double score,
			     double max_score, const char *output);

/* `concur grade MODEL [--out FILE] [--host BIN] [--sanitize S]
 * [--student NAME] [--source FILE] [--quick]`: what `make check-model`
 * runs; returns the exit status. In a build with student code (concur),
 * it hands over to concur-grade beside it. */
int grade_main(int argc, char **argv);

#endif
