// SPDX-License-Identifier: MIT
/*
 * test_lesson_scaling.c - lessons 15 (Amdahl's law), 16 (Open loop) and
 * 17 (Beyond one machine) judge their runs before they judge the
 * student: beside a CPU
 * hog (a child spinning on one core), --quick never marks the machine's
 * expected value wrong, lesson.json says what happened, every number
 * printed is recomputed from the result sets (a fit outside [0, 1]
 * predicts no law: tests/support/lesson_numbers_state.c and
 * lesson_beyond.c), and the skew part names a winner only when the runs'
 * ranges are apart.
 *
 * The right answers are this machine's, found by the test itself: for
 * lesson 15, s = 0.05 (the ideal times of its batch give 0 and a quiet
 * 2-core machine fits about 0.05; close is within 0.1); for lesson 16,
 * the stall plus one fetch (1.01 s with --quick: the tasks arriving as
 * the server stalls wait all of it); for lesson 17, the median trip of an 8-byte message over TCP, measured here beside
 * the same hog (a pipe's without Open MPI).
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/handoff_cost.h"
#include "harness/external/mpi.h"
#include "harness/base/stats.h"
#include "tests/support/csv.h"
#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/lesson_run.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define OUT_MAX (256 * 1024)

static char out[OUT_MAX], err[16384];

/* "close", or "close to what this machine should give". */
static bool accepted(const char *verdict)
{
	return strcmp(verdict, "close") == 0 ||
	       strcmp(verdict, "close to what this machine should give") == 0;
}

/* lesson.json agrees with the text, and the prediction was accepted. */
static void check_judged(int n, double right)
{
	char v[128];
	lesson_run_verdict(out, v, sizeof(v));
	ck_assert_msg(accepted(v),
		      "lesson %d marked the right prediction %g '%s':\n%s", n,
		      right, v, out);
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_msg(doc, "no lesson.json: %s", out);
	bool shows = json_is_true(json_object_get(doc, "run_shows_claim"));
	ck_assert_msg(shows == !strstr(out, "this run cannot show the claim"),
		      "lesson %d: run_shows_claim %d, the text disagrees:\n%s",
		      n, shows, out);
	ck_assert_msg(json_is_number(json_object_get(doc, "expected_value")),
		      "lesson %d has no expected value", n);
	ck_assert_int_ge(json_integer_value(json_object_get(doc, "attempts")),
			 1);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "verdict")), v);
	if (!shows)
		ck_assert_double_eq_tol(json_number_value(json_object_get(
						doc, "graded_against")),
					json_number_value(json_object_get(
						doc, "expected_value")),
					1e-9);
	json_decref(doc);
	const char *problem = lesson_check(n, out);
	ck_assert_msg(!problem, "%s\n--- output ---\n%s", problem, out);
}

START_TEST(amdahl_never_marks_the_expected_value_wrong_beside_a_hog)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "scaling");
	snprintf(args, sizeof(args),
		 "lesson 15 --quick --predict 0.05 --out %s", dir);
	pid_t hog = lesson_hog_start();
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	lesson_hog_stop(hog);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	check_judged(15, 0.05);
	files_rm_dir(dir);
}
END_TEST

/* The median one-way trip of this machine, beside the running hog. */
static double right_latency(void)
{
	char why[512];
	struct mpi_latency m;
	if (mpi_available(why, sizeof(why)) &&
	    mpi_latency_measure("self,tcp", &m, why, sizeof(why)) == 0)
		return m.median_us;
	double pipe[7];
	for (int i = 0; i < 7; i++) {
		struct handoff_cost h;
		ck_assert_int_eq(handoff_cost_measure(300, &h), 0);
		pipe[i] = h.pipe_us;
	}
	return stats_spread(pipe, 7).median;
}

/* The skew part's winner follows the ranges of its runs (set 2). */
static void check_skew_verdict(void)
{
	const char *p = out;
	char dir[4096] = "";
	for (int k = 0; k < 3 && (p = strstr(p, "  result set: ")); k++) {
		p += strlen("  result set: ");
		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(p, "\n"), p);
	}
	if (!strstr(dir, "-skew"))
		return; /* no Open MPI: no skew part */
	char path[4200];
	snprintf(path, sizeof(path), "%s/runs.csv", dir);
	struct csv runs;
	ck_assert_int_eq(csv_load(path, &runs), 0);
	double lo[2] = {INFINITY, INFINITY}, hi[2] = {0, 0};
	for (size_t r = 0; r < runs.rows; r++) {
		int k = strcmp(csv_cell(&runs, r, "model"), "mpi") == 0 ? 0 : 1;
		double w = csv_num(&runs, r, "wall_s");
		lo[k] = fmin(lo[k], w);
		hi[k] = fmax(hi[k], w);
	}
	csv_free(&runs);
	bool apart = hi[0] < lo[1] || hi[1] < lo[0];
	bool won =
		strstr(out, "The farm won") || strstr(out, "static split won");
	ck_assert_msg(won == false || apart,
		      "a winner named while the ranges overlap (farm "
		      "%.3f-%.3f s, static %.3f-%.3f s):\n%s",
		      lo[0], hi[0], lo[1], hi[1], out);
	if (!apart)
		ck_assert_msg(strstr(out, "Not shown this time: neither won"),
			      "%s", out);
}

START_TEST(open_loop_never_marks_the_expected_value_wrong_beside_a_hog)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "scaling");
	pid_t hog = lesson_hog_start();
	snprintf(args, sizeof(args),
		 "lesson 16 --quick --no-pause --predict 1.01 --out %s", dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	lesson_hog_stop(hog);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	check_judged(16, 1.01);
	files_rm_dir(dir);
}
END_TEST

START_TEST(beyond_never_marks_the_expected_value_wrong_beside_a_hog)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "scaling");
	pid_t hog = lesson_hog_start();
	double right = right_latency();
	snprintf(args, sizeof(args),
		 "lesson beyond --quick --predict %.3f --out %s", right, dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	lesson_hog_stop(hog);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	check_judged(17, right);
	check_skew_verdict();
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_scaling");
	TCase *tc = runner_tcase(s, "lessons 15 to 17 beside a hog", 300);
	tcase_add_test(
		tc, amdahl_never_marks_the_expected_value_wrong_beside_a_hog);
	tcase_add_test(
		tc,
		open_loop_never_marks_the_expected_value_wrong_beside_a_hog);
	tcase_add_test(
		tc, beyond_never_marks_the_expected_value_wrong_beside_a_hog);
	return s;
}
