// SPDX-License-Identifier: MIT
/*
 * grade.h - `concur grade MODEL`, what `make check-model MODEL=...` runs:
 * the conformance suite against one model, a hint when it fails, the
 * model's speed as a ratio to the built-in threads model on the same
 * batch, and a grade file in the layout of Gradescope's results.json:
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

#include "models/model.h"

#define GRADE_MAX_TESTS 32

/* One check of the grade file. */
struct grade_test {
	char name[128];
	double score, max_score;
	char output[1024];
};

/* Likely mistakes, as bits: what the hint explains. */
enum grade_hint {
	HINT_LOST = 1 << 0,	     /* a result left not_run */
	HINT_ORDER = 1 << 1,	     /* a result in another task's slot */
	HINT_HANG = 1 << 2,	     /* a check ran out of time */
	HINT_CRASH = 1 << 3,	     /* a signal killed the check */
	HINT_RACE = 1 << 4,	     /* ThreadSanitizer reported a race */
	HINT_MEMORY = 1 << 5,	     /* AddressSanitizer reported an error */
	HINT_UB = 1 << 6,	     /* UBSan reported undefined behaviour */
	HINT_NO_RUN = 1 << 7,	     /* run() returned -1 */
	HINT_FIELDS = 1 << 8,	     /* no worker, or end before start */
	HINT_OTHER = 1 << 9,	     /* a result differs otherwise */
	HINT_HELD = 1 << 10,	     /* a lock never released: a thread ended
				 holding it, or a locked mutex destroyed */
	HINT_WAKEUP = 1 << 11,	     /* a consumer left on a wake-up for nothing
				  (an if, not a while, around the wait) */
	HINT_SERIAL = 1 << 12,	     /* tasks ran one at a time (the lock held
				  while running one) */
	HINT_LOST_UPDATES = 1 << 13, /* the shared total came out short */
	HINT_TALLY_SUM = 1 << 14,    /* wrong with one worker, or too high:
					the sum, not a race */
	HINT_SLOW_TALLY = 1 << 15,   /* right, but far slower than
					--sync sharded-padded */
	HINT_FEW_AT_ONCE = 1 << 16,  /* the speed run's parallelism far
					below threads' */
};

struct grade {
	const struct model *model;
	const char *conformance; /* the test_conformance binary */
	const char *sanitize;	 /* "thread", "address", ... or NULL */
	const char *student;	 /* who, for the grade file (or NULL) */
	const char *source;	 /* the model's source file (or NULL) */
	bool quick;		 /* smaller speed batch (tests) */
	char dir[4096];		 /* where results.json and the logs go */
	char out[4200];		 /* results.json */
	struct grade_test tests[GRADE_MAX_TESTS];
	size_t n_tests;
	bool failed;	/* a conformance check failed */
	unsigned hints; /* enum grade_hint */
	char hint_text[4096];
};

/* Adds a check; returns it (never NULL: the table is large enough). */
struct grade_test *grade_add(struct grade *g, const char *name, double score,
			     double max_score, const char *output);

/* `concur grade MODEL [--out FILE] [--conformance BIN] [--sanitize S]
 * [--student NAME] [--source FILE] [--quick]`: what `make check-model`
 * runs; returns the exit status. */
int grade_main(int argc, char **argv);

#endif
