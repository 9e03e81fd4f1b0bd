// SPDX-License-Identifier: MIT
/* class_tally.c - a lesson's predictions counted, for the class page. */
#include "harness/report/class_tally.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/html.h"
#include "harness/base/stats.h"

/* The counts of one lesson across the class. */
struct class_count {
	size_t close, order, off, not_graded, none;
	size_t not_shown; /* runs that could not show the claim */
	double *wrong;	  /* the predictions graded right order or off */
	double *expected; /* each machine's expected value */
	size_t n_wrong, n_expected;
};

static double class_num(json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* One student's lesson.json counted; -1 when memory runs out. */
static int class_count_one(struct class_count *t, json_t *doc)
{
	const char *verdict =
		json_string_value(json_object_get(doc, "verdict"));
	double predicted = class_num(doc, "prediction");
	double expected = class_num(doc, "expected_value");
	int wrong = 0;
	if (!verdict || isnan(predicted))
		t->none++;
	else if (strncmp(verdict, "close", 5) == 0)
		t->close++;
	else if (strcmp(verdict, "right order") == 0)
		wrong = (int)++t->order;
	else if (strcmp(verdict, "off") == 0)
		wrong = (int)++t->off;
	else
		t->not_graded++;
	t->not_shown += json_is_false(json_object_get(doc, "run_shows_claim"));
	if (wrong) {
		double *grown =
			realloc(t->wrong, (t->n_wrong + 1) * sizeof(*t->wrong));
		if (!grown)
			return -1;
		t->wrong = grown;
		t->wrong[t->n_wrong++] = predicted;
	}
	if (!isnan(expected)) {
		double *grown = realloc(t->expected,
					(t->n_expected + 1) * sizeof(double));
		if (!grown)
			return -1;
		t->expected = grown;
		t->expected[t->n_expected++] = expected;
	}
	return 0;
}

/* The wrong answer given most often, to 2 significant digits (students
 * type 0.05 or 0.050 for the same idea); how many gave it. */
static size_t class_common_wrong(const struct class_count *t, char *out,
				 size_t len)
{
	size_t best = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->n_wrong; i++) {
		char a[32], b[32];
		snprintf(a, sizeof(a), "%.2g", t->wrong[i]);
		size_t same = 0;
		for (size_t j = 0; j < t->n_wrong; j++) {
			snprintf(b, sizeof(b), "%.2g", t->wrong[j]);
			same += strcmp(a, b) == 0;
		}
		if (same > best) {
			best = same;
			snprintf(out, len, "%s", a);
		}
	}
	return best;
}

/* "close 12, right order 8, off 15", coloured as the table's verdicts. */
static void class_tally_counts(FILE *f, const struct class_count *t)
{
	fprintf(f,
		"<p class=\"tally\"><span class=\"v-close\">close %zu</span>"
		"<span class=\"v-order\">right order %zu</span>"
		"<span class=\"v-off\">off %zu</span>",
		t->close, t->order, t->off);
	if (t->not_graded)
		fprintf(f, "<span>not graded %zu</span>", t->not_graded);
	if (t->none)
		fprintf(f, "<span>no prediction %zu</span>", t->none);
	fputs("</p>\n", f);
}

/* The most common wrong answer, and what the machines should give. */
static void class_tally_words(FILE *f, const struct class_count *t,
			      const char *unit)
{
	char common[32];
	const char *sp = unit[0] ? " " : ""; /* "0.4 s", "3" */
	size_t given = class_common_wrong(t, common, sizeof(common));
	fputs("<ul class=\"notes\">\n<li>", f);
	if (given >= 2)
		html_printf(f,
			    "Most common wrong answer: %s%s%s, given by %zu "
			    "of the %zu wrong.",
			    common, sp, unit, given, t->n_wrong);
	else if (t->n_wrong)
		html_printf(f, "No wrong answer was given twice (%zu wrong).",
			    t->n_wrong);
	else
		fputs("No wrong answer.", f);
	fputs("</li>\n<li>", f);
	if (t->n_expected) {
		double lo = stats_percentile(t->expected, t->n_expected, 0);
		double mid = stats_percentile(t->expected, t->n_expected, 50);
		double hi = stats_percentile(t->expected, t->n_expected, 100);
		if (hi - lo <= 0.005 * fabs(mid))
			html_printf(f,
				    "The machines should give %.3g%s%s (every "
				    "machine alike).",
				    mid, sp, unit);
		else
			html_printf(f,
				    "The machines should give %.3g to %.3g%s%s "
				    "(median %.3g): it depends on each "
				    "machine's cores and speed.",
				    lo, hi, sp, unit, mid);
	} else {
		fputs("This lesson has no expected value for a machine: only "
		      "a run that shows the claim is graded.",
		      f);
	}
	if (t->not_shown)
		fprintf(f,
			"</li>\n<li>%zu run(s) could not show the claim "
			"(run valid: no): %s",
			t->not_shown,
			t->n_expected ? "graded against what their machine "
					"should give, never against the bad "
					"run."
				      : "not graded.");
	fputs("</li>\n</ul>\n", f);
}

void class_tally(FILE *f, const struct class_sets *c, int number,
		 const char *unit)
{
	struct class_count t;
	memset(&t, 0, sizeof(t));
	int rc = 0;
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		json_t *doc = c->sets[i].lesson;
		if (doc && json_integer_value(json_object_get(doc, "lesson")) ==
				   number)
			rc = class_count_one(&t, doc);
	}
	if (rc == 0) {
		class_tally_counts(f, &t);
		class_tally_words(f, &t, unit ? unit : "");
	}
	free(t.wrong);
	free(t.expected);
}
