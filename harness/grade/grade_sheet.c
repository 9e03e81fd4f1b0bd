// SPDX-License-Identifier: MIT
/* grade_sheet.c - adding a check to the grade being built. */
#include "harness/grade/grade_sheet.h"

#include <stdio.h>

struct grade_test *grade_add(struct grade *g, const char *name, double score,
			     double max_score, const char *output)
{
	struct grade_test *t = &g->tests[g->n_tests];
	if (g->n_tests < GRADE_MAX_TESTS - 1)
		g->n_tests++;
	snprintf(t->name, sizeof(t->name), "%.*s", (int)sizeof(t->name) - 1,
		 name);
	t->score = score;
	t->max_score = max_score;
	snprintf(t->output, sizeof(t->output), "%.*s",
		 (int)sizeof(t->output) - 1, output);
	return t;
}
