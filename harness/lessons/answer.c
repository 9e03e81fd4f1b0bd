// SPDX-License-Identifier: MIT
/*
 * answer.c - the student's side of a lesson: the prediction read, graded
 * and saved (see answer.h).
 *
 * Grading follows the run's own judgement (judge.h). A run that shows the
 * claim is the measure of the prediction; a prediction that misses the
 * run but matches what this machine should give is never called wrong
 * (the gap is the run's, and the explanation says where it went); and
 * when the run could not show the claim, the prediction is compared with
 * the expected value alone, never with the measurement the lesson does
 * not trust. Times and ratios are graded by their factor, spreads and
 * percentages by their difference.
 */
#include "harness/lessons/answer.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/lessons/kit.h"
#include "harness/base/file_replace.h"
#include "harness/run/verify.h"

/* A piped prediction that has not come after this long is not coming. */
#define ANSWER_PIPE_WAIT_MS 10000

/* ---- reading ---- */

/* A number alone on the line (spaces around it allowed). */
static bool answer_parse(const char *line, double *out)
{
	char *end;
	double v = strtod(line, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == line || *end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* One line of stdin without its newline; false at the end of input (or
 * after ANSWER_PIPE_WAIT_MS of silence on a pipe). */
static bool answer_line(char *line, size_t len, bool terminal)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	if (!terminal && poll(&p, 1, ANSWER_PIPE_WAIT_MS) <= 0) {
		printf("  (nothing on standard input: no prediction)\n");
		return false;
	}
	if (!fgets(line, (int)len, stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return true;
}

void answer_ask(const struct lesson *l, bool no_pause, struct answer *a)
{
	if (a->given)
		return;
	bool terminal = isatty(STDIN_FILENO);
	if (no_pause) {
		printf("  (no prediction asked: --no-pause)\n");
		return;
	}
	char line[128];
	for (int tries = 0; tries < 3; tries++) {
		if (terminal)
			printf("  your prediction, in %s (Enter to skip): ",
			       l->unit);
		fflush(stdout);
		if (!answer_line(line, sizeof(line), terminal))
			break;
		if (terminal && line[0] == '\0')
			break;
		if (answer_parse(line, &a->predicted)) {
			a->given = true;
			a->from = terminal ? "terminal" : "standard input";
			break;
		}
		if (line[0] != '\0' || terminal)
			printf("  '%s' is not a number; %s\n", line,
			       terminal ? "type one like 1.5"
					: "reading the next line");
	}
	if (a->given && !terminal)
		printf("  your prediction (from standard input): %g %s\n",
		       a->predicted, l->unit);
	else if (!a->given && !terminal)
		printf("  (no prediction read from standard input)\n");
}

/* ---- grading ---- */

/* 0: close, 1: the right order, 2: off, as the lesson grades. */
static int answer_distance(const struct lesson *l, double predicted,
			   double value)
{
	if (predicted == value)
		return 0; /* 0 lost, predicted 0: no factor needed */
	if (l->grading == GRADE_DIFFERENCE) {
		double close = l->close > 0 ? l->close : 5;
		double d = fabs(predicted - value);
		return d <= close ? 0 : d <= 3 * close ? 1 : 2;
	}
	double close = l->close > 0 ? l->close : 1.25;
	double order = fmax(2, close * close);
	double factor = predicted > 0 && value > 0
				? fmax(predicted / value, value / predicted)
				: INFINITY;
	return factor <= close ? 0 : factor <= order ? 1 : 2;
}

/* A difference of percentages is in points. */
static const char *answer_points(const struct lesson *l)
{
	return strcmp(l->unit, "%") == 0 ? "points" : l->unit;
}

/* "within 25%", "within a factor of 2", "within 5 points". */
static void answer_tolerance(const struct lesson *l, int level, char *buf,
			     size_t len)
{
	if (l->grading == GRADE_DIFFERENCE) {
		double close = l->close > 0 ? l->close : 5;
		snprintf(buf, len, "within %g %s", level ? 3 * close : close,
			 answer_points(l));
		return;
	}
	double close = l->close > 0 ? l->close : 1.25;
	double f = level ? fmax(2, close * close) : close;
	if (f < 2)
		snprintf(buf, len, "within %.0f%%", (f - 1) * 100);
	else
		snprintf(buf, len, "within a factor of %g", f);
}

/* The prediction against a trusted run. */
static void answer_against_run(const struct lesson *l,
			       const struct lesson_ctx *ctx, struct answer *a)
{
	const struct lesson_judge *j = &ctx->judge;
	char tol[48];
	int d = answer_distance(l, a->predicted, ctx->actual);
	a->against = ctx->actual;
	if (d == 0) {
		a->grade = "close";
		answer_tolerance(l, 0, tol, sizeof(tol));
		printf("  verdict: %s\n", a->grade);
		lesson_say("Close: %s of the run. Your model of the machine "
			   "held.",
			   tol);
	} else if (!isnan(j->expected) &&
		   answer_distance(l, a->predicted, j->expected) == 0) {
		a->grade = "close to what this machine should give";
		a->against = j->expected;
		printf("  verdict: %s\n", a->grade);
		lesson_say("Your prediction is what this machine should give "
			   "(%.4g %s, from %s); the run measured %.4g %s. The "
			   "gap is the run's, not your reasoning's: the "
			   "explanation above says where the time went.",
			   j->expected, l->unit, j->expected_how, ctx->actual,
			   l->unit);
	} else {
		a->grade = d == 1 ? "right order" : "off";
		answer_tolerance(l, 1, tol, sizeof(tol));
		printf("  verdict: %s\n", a->grade);
		if (d == 1)
			lesson_say("The right order (%s), not close. Which "
				   "part of the explanation above did you not "
				   "count on?",
				   tol);
		else
			lesson_say("Off: not %s. Read the explanation again "
				   "and find the quantity you guessed "
				   "differently: that is this lesson.",
				   tol);
	}
}

/* The runs' values, "57,664, 398,977 and 596,579" (whole numbers, as
 * counts are). */
static void answer_run_list(const struct lesson_ctx *ctx, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ctx->n_each_run && used + 40 < len; i++) {
		char num[32];
		double v = ctx->each_run[i];
		verify_thousands(v > 0 ? (uint64_t)llround(v) : 0, num,
				 sizeof(num));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i == 0			   ? ""
					 : i + 1 < ctx->n_each_run ? ", "
								   : " and ",
					 num);
	}
}

/* The prediction against each run, when any run's outcome is a right
 * answer (a race loses a different number each time: the median of 0, 0
 * and 107,008 is 0, and no guess of a loss is "close" to it). Close to
 * one run is close; otherwise the expected value may still vouch for it. */
static void answer_against_each(const struct lesson *l,
				const struct lesson_ctx *ctx, struct answer *a)
{
	char tol[48], runs[1024];
	int order = 0, best = -1;
	double best_gap = INFINITY;
	for (size_t i = 0; i < ctx->n_each_run; i++) {
		double v = ctx->each_run[i];
		int d = answer_distance(l, a->predicted, v);
		double gap = fabs(log((a->predicted + 1) / (v + 1)));
		a->runs_close += d == 0;
		order += d <= 1;
		if (gap < best_gap) {
			best_gap = gap;
			best = (int)i;
		}
	}
	a->runs_graded = (int)ctx->n_each_run;
	a->against = best >= 0 ? ctx->each_run[best] : NAN;
	answer_tolerance(l, 0, tol, sizeof(tol));
	answer_run_list(ctx, runs, sizeof(runs));
	printf("  prediction: %g %s; the runs: %s %s\n", a->predicted, l->unit,
	       runs, l->unit);
	printf("  your guess was %s in %d of %d runs\n", tol, a->runs_close,
	       a->runs_graded);
	const struct lesson_judge *j = &ctx->judge;
	bool expected = !isnan(j->expected) &&
			answer_distance(l, a->predicted, j->expected) == 0;
	if (a->runs_close > 0)
		a->grade = "close";
	else if (expected)
		a->grade = "close to what this machine should give";
	else
		a->grade = order > 0 ? "right order" : "off";
	if (a->runs_close == 0 && expected)
		a->against = j->expected;
	printf("  verdict: %s\n", a->grade);
	if (a->runs_close > 0)
		lesson_say("Close: no run controls its outcome (a race loses "
			   "what the switches of threads decide), so each run "
			   "is a right answer, and %d of the %d came within "
			   "that of yours.",
			   a->runs_close, a->runs_graded);
	else if (expected)
		lesson_say("No run came within that of your guess, but it is "
			   "what this machine should give (%.4g %s, from %s): "
			   "the runs fell elsewhere this time.",
			   j->expected, l->unit, j->expected_how);
	else
		lesson_say("%s Read the explanation again for the quantity "
			   "you guessed differently.",
			   order > 0 ? "The right order in some run, not close."
				     : "Off in every run.");
}

/* The prediction when the run could not show the claim. */
static void answer_against_expected(const struct lesson *l,
				    const struct lesson_ctx *ctx,
				    struct answer *a)
{
	const struct lesson_judge *j = &ctx->judge;
	if (isnan(j->expected)) {
		a->grade = "not graded";
		printf("  verdict: %s\n", a->grade);
		lesson_say("This run could not show the claim (%s), and there "
			   "is nothing else to compare with: run the lesson "
			   "again when the machine is quieter.",
			   j->why);
		return;
	}
	char tol[48];
	int d = answer_distance(l, a->predicted, j->expected);
	a->against = j->expected;
	printf("  expected on this machine: %.4g %s (from %s)\n", j->expected,
	       l->unit, j->expected_how);
	a->grade = d == 0   ? "close to what this machine should give"
		   : d == 1 ? "right order"
			    : "off";
	printf("  verdict: %s\n", a->grade);
	answer_tolerance(l, d == 0 ? 0 : 1, tol, sizeof(tol));
	lesson_say("This run could not show the claim, so your prediction is "
		   "compared with what this machine should give when nothing "
		   "else runs, not with the %.4g %s it measured. %s",
		   ctx->actual, l->unit,
		   d == 0   ? "It is close: your reasoning holds."
		   : d == 1 ? "It is the right order, not close: which "
			      "quantity did you count differently?"
			    : "It is off: read the explanation again for "
			      "the quantity you guessed differently.");
}

void answer_grade(const struct lesson *l, const struct lesson_ctx *ctx,
		  struct answer *a)
{
	a->grade = NULL;
	a->against = NAN;
	a->runs_close = a->runs_graded = 0;
	if (!a->given)
		return;
	lesson_heading("Your prediction");
	if (ctx->n_each_run > 0 && !ctx->judge.invalid) {
		answer_against_each(l, ctx, a);
		return;
	}
	if (isnan(ctx->actual) && isnan(ctx->judge.expected)) {
		printf("  prediction: %g %s; the run did not measure it (the "
		       "part was skipped)\n",
		       a->predicted, l->unit);
		a->grade = "not graded";
		printf("  verdict: %s\n", a->grade);
		return;
	}
	if (!isnan(ctx->actual) && l->grading == GRADE_DIFFERENCE)
		printf("  prediction: %g %s; the run: %.4g %s; off by %+.1f "
		       "%s\n",
		       a->predicted, l->unit, ctx->actual, l->unit,
		       a->predicted - ctx->actual, answer_points(l));
	else if (!isnan(ctx->actual))
		printf("  prediction: %g %s; the run: %.4g %s; off by "
		       "%+.0f%%\n",
		       a->predicted, l->unit, ctx->actual, l->unit,
		       ctx->actual != 0 ? (a->predicted - ctx->actual) /
						  ctx->actual * 100
					: NAN);
	if (ctx->judge.invalid || isnan(ctx->actual))
		answer_against_expected(l, ctx, a);
	else
		answer_against_run(l, ctx, a);
}

/* ---- lesson.json ---- */

static json_t *answer_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *answer_values(const struct lesson_ctx *ctx)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < ctx->n_values; i++) {
		const struct lesson_value *v = &ctx->values[i];
		json_array_append_new(list, json_pack("{s:s, s:o, s:s}", "name",
						      v->name, "value",
						      answer_num(v->value),
						      "unit", v->unit));
	}
	return list;
}

static json_t *answer_doc(const struct lesson *l, const struct lesson_ctx *ctx,
			  const struct answer *a)
{
	const struct lesson_judge *j = &ctx->judge;
	json_t *doc = json_pack(
		"{s:i, s:s, s:s, s:s, s:s?, s:b, s:i, s:i, s:i, s:o}", "lesson",
		ctx->number, "title", l->title, "question", ctx->ask, "unit",
		l->unit, "command", ctx->cmdline, "quick", ctx->quick, "repeat",
		ctx->plan.repeat, "attempts", ctx->attempts, "cores",
		ctx->cores, "load_before", answer_num(ctx->load_before));
	if (!doc)
		return NULL;
	json_object_set_new(doc, "prediction",
			    a->given ? json_real(a->predicted) : json_null());
	json_object_set_new(doc, "prediction_from",
			    a->given ? json_string(a->from) : json_null());
	json_object_set_new(doc, "measured_value", answer_num(ctx->actual));
	json_object_set_new(doc, "expected_value", answer_num(j->expected));
	json_object_set_new(doc, "expected_from", json_string(j->expected_how));
	json_object_set_new(doc, "run_shows_claim", json_boolean(!j->invalid));
	json_object_set_new(doc, "why_not", json_string(j->why));
	json_object_set_new(doc, "widest_spread", answer_num(j->spread));
	json_object_set_new(doc, "verdict",
			    a->grade ? json_string(a->grade) : json_null());
	json_object_set_new(doc, "graded_against", answer_num(a->against));
	if (a->runs_graded > 0) {
		json_t *each = json_array();
		for (size_t i = 0; each && i < ctx->n_each_run; i++)
			json_array_append_new(each,
					      answer_num(ctx->each_run[i]));
		json_object_set_new(doc, "each_run", each);
		json_object_set_new(doc, "runs_close",
				    json_integer(a->runs_close));
	}
	json_object_set_new(doc, "measured", answer_values(ctx));
	return doc;
}

int answer_save(const struct lesson *l, const struct lesson_ctx *ctx,
		const struct answer *a)
{
	if (!ctx->first_set[0])
		return 0;
	char path[4200];
	snprintf(path, sizeof(path), "%s/lesson.json", ctx->first_set);
	json_t *doc = answer_doc(l, ctx, a);
	struct file_replace r = {0};
	int rc = -1;
	if (doc && file_replace_open(&r, path) == 0) {
		int w = json_dumpf(doc, r.f, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', r.f);
		rc = file_replace_commit(&r);
		rc = w == 0 ? rc : -1;
	}
	json_decref(doc);
	if (rc != 0)
		fprintf(stderr, "concur: cannot write %s\n", path);
	else
		printf("  saved: %s\n", path);
	return rc;
}
