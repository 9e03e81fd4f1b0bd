// SPDX-License-Identifier: MIT
/*
 * test_lesson_judge_late.c - lessons 11 to 14 (shared state) judge their
 * runs as lessons 1 to 10 do: beside a CPU hog (a child spinning on one
 * core), --quick, they never mark the lesson's own expected value wrong,
 * lesson.json says whether the run showed the claim and why, no plot
 * fails, lesson 11 grades a prediction against each run's loss (the
 * median of 0, 0 and 107,008 is 0, and no guess of a loss is close to
 * 0) and names every model that lost updates, lesson 13 blames
 * hyperthreads only where cpu0 has some, and a missing ThreadSanitizer
 * build is one line.
 *
 * The predictions are the lessons' expected values where the plan alone
 * fixes them (lesson 11: C threads taking turns lose 1 - 1/C of the
 * increments; lesson 14: the watchdog's limit), else what the lesson's
 * own formula gives from a calibration run made here (lesson 12), else a
 * guess whose grading must follow lesson.json's judgement (lesson 13).
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/lessons/answer.h"
#include "harness/lessons/race.h"
#include "tests/support/csv.h"
#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/lesson_run.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static struct lesson_output lo;

/* The end of a lesson's output (its explanation and verdict), small
 * enough for a failure message. */
static const char *tail(const char *out)
{
	size_t n = strlen(out);
	return n > 3000 ? out + n - 3000 : out;
}

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* Does cpu0 share its core with a hyperthread ("0,2" or "0-1" in its
 * thread_siblings_list, not "0")? */
static bool has_smt_siblings(void)
{
	char list[128];
	files_read_into("/sys/devices/system/cpu/cpu0/topology/"
			"thread_siblings_list",
			list, sizeof(list));
	return strpbrk(list, ",-") != NULL;
}

/* The median run of threads at C = 1 with --sync sync over lesson 12's
 * --quick batch (8 tasks of 20 units), in increments a second. */
static double rate_c1(const char *sync, const char *dir)
{
	char args[512], path[512];
	snprintf(args, sizeof(args),
		 "run --models threads --workloads shared --sync %s "
		 "--workers 1 --tasks 8 --work 20 --repeat 3 --baseline none "
		 "--no-plot --quiet --out %s/%s",
		 sync, dir, sync);
	int rc = support_concur(args, lo.out, sizeof(lo.out), lo.err,
				sizeof(lo.err));
	ck_assert_msg(rc == 0, "%s: %s", args, lo.err);
	snprintf(path, sizeof(path), "%s/%s/latest/summary.csv", dir, sync);
	struct csv c;
	ck_assert_int_eq(csv_load(path, &c), 0);
	long r = csv_find(&c, 0, "shared", "threads", 1);
	ck_assert_int_ge(r, 0);
	double rate = 8 * 20 * 10000 / csv_num(&c, (size_t)r, "wall_median_s");
	csv_free(&c);
	return rate;
}

/* What each lesson's own expected value is (see the top of the file). */
static double right_answer(int lesson, const char *dir)
{
	int c = cores(), racers = c > 1 ? c : 2;
	if (lesson == 11)
		return 8 * 10 * 10000 * (1 - 1.0 / racers);
	if (lesson == 12)
		return c * rate_c1("sharded", dir) / rate_c1("mutex", dir);
	if (lesson == 14)
		return 1.5;
	return 1.5; /* lesson 13: any guess; lesson.json decides */
}

/* The grading follows the judgement: a run that cannot show the claim is
 * graded against the expected value (or not at all), never against its
 * own measurement; a prediction within the lesson's "close" of the
 * expected value is never called off or the right order. */
static void check_grading(int n, json_t *doc, double close)
{
	bool shows = json_is_true(json_object_get(doc, "run_shows_claim"));
	const char *verdict =
		json_string_value(json_object_get(doc, "verdict"));
	double p = json_number_value(json_object_get(doc, "prediction"));
	json_t *e = json_object_get(doc, "expected_value");
	ck_assert_msg(verdict, "lesson %d: no verdict", n);
	if (!shows) {
		ck_assert_msg(strlen(json_string_value(
				      json_object_get(doc, "why_not"))) > 0,
			      "lesson %d: not shown, and no why", n);
		ck_assert_msg(
			json_is_null(e)
				? strcmp(verdict, "not graded") == 0
				: json_equal(json_object_get(doc,
							     "graded_against"),
					     e),
			"lesson %d: not shown, yet graded '%s' against "
			"the run",
			n, verdict);
	}
	if (json_is_number(e)) {
		double x = json_number_value(e);
		bool near = p > 0 && x > 0 && fmax(p / x, x / p) <= close;
		ck_assert_msg(!near || strncmp(verdict, "close", 5) == 0,
			      "lesson %d marked %g '%s' where this machine "
			      "should give %g",
			      n, p, verdict, x);
	}
}

static const int late_lessons[] = {11, 12, 13, 14};

START_TEST(expected_value_is_never_marked_wrong_beside_a_hog)
{
	int n = late_lessons[_i];
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "judge-late");
	double right = right_answer(n, dir);
	snprintf(args, sizeof(args),
		 "lesson %d --quick --predict %.6g --out %s", n, right, dir);
	pid_t hog = lesson_hog_start();
	int rc = lesson_run_piped("", args, dir, &lo);
	lesson_hog_stop(hog);
	ck_assert_msg(rc == 0, "lesson %d exited %d: %s", n, rc, lo.err);
	ck_assert_msg(!strstr(lo.err, "gnuplot failed"),
		      "lesson %d: a plot failed: %s", n, lo.err);
	json_t *doc = lesson_run_saved_json(lo.out);
	ck_assert_msg(doc, "lesson %d saved no lesson.json:\n%s", n,
		      tail(lo.out));
	ck_assert_int_ge(json_integer_value(json_object_get(doc, "attempts")),
			 1);
	check_grading(n, doc, n == 11 ? 2 : n == 12 ? 1.5 : 1.25);
	if (n == 11 || n == 14) { /* the plan fixes what to expect */
		char v[128];
		lesson_run_verdict(lo.out, v, sizeof(v));
		ck_assert_msg(strncmp(v, "close", 5) == 0,
			      "lesson %d marked the right prediction %g '%s':"
			      "\n%s",
			      n, right, v, tail(lo.out));
	}
	json_decref(doc);
	if (n == 13 && !has_smt_siblings())
		ck_assert_msg(!strstr(lo.out, "hyperthread"),
			      "one thread per core here, yet:\n%s",
			      tail(lo.out));
	const char *problem = lesson_check(n, lo.out);
	ck_assert_msg(!problem, "%s", problem);
	files_rm_dir(dir);
}
END_TEST

/* ---- lesson 11: every run, every model ---- */

/* The result set the output names ("  result set: DIR"). */
static void result_set(const char *out, char *dir, size_t len)
{
	const char *p = strstr(out, "  result set: ");
	ck_assert_msg(p, "no result set in:\n%s", out);
	p += strlen("  result set: ");
	snprintf(dir, len, "%.*s", (int)strcspn(p, "\n"), p);
}

/* Lesson 11 says its loss as verify.c does ("kept K of M (L lost)"), and
 * names every model that lost updates in any of its runs, whatever the
 * median of them. */
START_TEST(race_names_every_model_that_lost_updates)
{
	static const char *const models[] = {"gil", "processes", "eventloop"};
	static const char *const who[] = {"The simulated GIL", "The processes",
					  "The event loop"};
	char dir[64], set[4096], path[4200];
	files_tmp_dir(dir, sizeof(dir), "judge-race");
	char args[256];
	snprintf(args, sizeof(args), "lesson 11 --quick --no-pause --out %s",
		 dir);
	ck_assert_int_eq(lesson_run_piped("", args, dir, &lo), 0);
	ck_assert_msg(strstr(lo.out, "the counter kept ") &&
			      strstr(lo.out, " of 800,000 ("),
		      "no 'kept K of M (L lost)':\n%s", tail(lo.out));
	result_set(lo.out, set, sizeof(set));
	snprintf(path, sizeof(path), "%s/runs.csv", set);
	struct csv c;
	ck_assert_int_eq(csv_load(path, &c), 0);
	for (size_t m = 0; m < 3; m++) {
		int lost = 0;
		for (size_t r = 0; r < c.rows; r++)
			lost += strcmp(csv_cell(&c, r, "model"), models[m]) ==
					0 &&
				csv_num(&c, r, "lost_updates") > 0;
		char said[96];
		snprintf(said, sizeof(said), "%s lost updates in %d of", who[m],
			 lost);
		ck_assert_msg(!lost || strstr(lo.out, said),
			      "%s lost updates in %d runs; the lesson did not "
			      "say '%s':\n%s",
			      models[m], lost, said, tail(lo.out));
	}
	csv_free(&c);
	if (access("build/tsan/concur", X_OK) != 0) {
		const char *line = strstr(lo.out, "make tsan-concur");
		ck_assert_msg(line, "no word of make tsan-concur:\n%s",
			      tail(lo.out));
		ck_assert_msg(!strstr(lo.out, "There is no ThreadSanitizer"),
			      "a paragraph where one line says how:\n%s",
			      tail(lo.out));
	}
	files_rm_dir(dir);
}
END_TEST

/* A lesson 11 whose threads lost 0, 0 and 107,008 (median 0). */
static void race_ctx(struct lesson_ctx *ctx)
{
	static const double lost[] = {0, 0, 107008};
	memset(ctx, 0, sizeof(*ctx));
	ctx->number = 11;
	ctx->actual = 0;
	ctx->judge.expected = 400000;
	for (size_t i = 0; i < 3; i++)
		ctx->each_run[i] = lost[i];
	ctx->n_each_run = 3;
}

static const struct {
	double predicted;
	const char *grade;
	int runs_close;
} race_guesses[] = {
	{107008, "close", 1}, /* the run that lost: a factor from 0 */
	{60000, "close", 1},  /* within 2x of it */
	{0, "close", 2},      /* nothing lost, as two runs did */
	{400000, "close to what this machine should give", 0},
	{5, "off", 0},
};

START_TEST(race_is_graded_against_each_run)
{
	static struct lesson_ctx ctx;
	race_ctx(&ctx);
	struct answer a = {.given = true,
			   .predicted = race_guesses[_i].predicted,
			   .from = "command line"};
	answer_grade(&lesson_data_race, &ctx, &a);
	ck_assert_msg(a.grade && strcmp(a.grade, race_guesses[_i].grade) == 0,
		      "%g lost, against runs of 0, 0 and 107,008: '%s', not "
		      "'%s'",
		      a.predicted, a.grade, race_guesses[_i].grade);
	ck_assert_int_eq(a.runs_close, race_guesses[_i].runs_close);
	ck_assert_int_eq(a.runs_graded, 3);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_judge_late");
	TCase *tc = runner_tcase(s, "lessons 11 to 14 judge their runs", 300);
	tcase_add_loop_test(
		tc, expected_value_is_never_marked_wrong_beside_a_hog, 0,
		(int)(sizeof(late_lessons) / sizeof(late_lessons[0])));
	tcase_add_test(tc, race_names_every_model_that_lost_updates);
	TCase *grade = runner_tcase(s, "a race graded run by run", 0);
	tcase_add_loop_test(
		grade, race_is_graded_against_each_run, 0,
		(int)(sizeof(race_guesses) / sizeof(race_guesses[0])));
	return s;
}
