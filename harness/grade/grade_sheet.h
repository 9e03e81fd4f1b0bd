// SPDX-License-Identifier: MIT
/*
 * grade_sheet.h - the grade being built: the model, the two hosts, and the
 * checks so far, each with its score; what grade.c fills and the halves of
 * a grade (grade_check.c, grade_report.c, speed_tally.c) add checks to.
 * In a header of its own so that those files need not include the
 * command's header, nor the command theirs both ways (make check-layers).
 */
#ifndef CONCUR_GRADE_SHEET_H
#define CONCUR_GRADE_SHEET_H

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

#endif
