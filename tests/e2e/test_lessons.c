// SPDX-License-Identifier: MIT
/*
 * test_lessons.c - `concur lesson` as a student meets it: the list, bad
 * input (exit 2 with the list), every lesson run to the end without a
 * terminal, each number of its explanation recomputed from the result set
 * it saved (tests/support/lesson_check.c), and a prediction put next to
 * what the run measured.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define OUT_MAX (256 * 1024)
#define N_LESSONS 16

static char out[OUT_MAX], err[16384];

START_TEST(list_names_every_lesson)
{
	int rc = support_concur("lesson", out, sizeof(out), err, sizeof(err));
	ck_assert_int_eq(rc, 0);
	for (int n = 1; n <= N_LESSONS; n++) {
		char num[32];
		snprintf(num, sizeof(num), "\n  %2d  ", n);
		ck_assert_msg(strstr(out, num), "lesson %d not listed: %s", n,
			      out);
	}
	/* "Beyond one machine" is listed (its number is its place in the
	 * table; a tutorial names it by title: `concur lesson beyond`). */
	ck_assert_msg(strstr(out, "  Beyond one machine "), "%s", out);
	/* ... then "Python threads in parallel", "async/await" and
	 * "Scheduler costs" (`concur lesson scheduler`): the last ones, after
	 * the N_LESSONS numbered here. */
	ck_assert_msg(strstr(out, "  Python threads in parallel "), "%s", out);
	ck_assert_msg(strstr(out, "  async/await "), "%s", out);
	ck_assert_msg(strstr(out, "  Scheduler costs "), "%s", out);
	char next[32];
	snprintf(next, sizeof(next), "\n  %2d  ", N_LESSONS + 5);
	ck_assert_ptr_null(strstr(out, next));
}
END_TEST

static const char *const bad_args[] = {
	"lesson 0",	      "lesson 99",
	"lesson x",	      "lesson -1",
	"lesson 1.5",	      "lesson 1 --predict x",
	"lesson 1 --predict", "lesson 1 --predict 1e999",
	"lesson 1 --bogus",   "lesson 1 2",
};

START_TEST(bad_input_exits_2)
{
	const char *args = bad_args[_i];
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 2, "'concur %s' exited %d, not 2", args, rc);
	ck_assert_msg(strncmp(err, "concur: ", 8) == 0,
		      "'concur %s' did not say what is wrong: %s", args, err);
	ck_assert_msg(out[0] == '\0', "'concur %s' printed on stdout: %s", args,
		      out);
	/* A wrong lesson number shows the list to choose from. */
	if (!strstr(args, "--") && strcmp(args, "lesson 1 2") != 0)
		ck_assert_msg(strstr(err, "Measuring honestly"),
			      "'concur %s' did not list the lessons: %s", args,
			      err);
}
END_TEST

/* Every lesson, --quick, to the end, its numbers checked. Lesson 1 runs
 * without --no-pause: stdin is /dev/null, which must not make it wait. */
START_TEST(lesson_runs_and_its_numbers_match_its_run)
{
	int n = _i;
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "lessons");
	snprintf(args, sizeof(args), "lesson %d --quick%s --out %s", n,
		 n == 1 ? "" : " --no-pause", dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "'concur %s' exited %d: %s", args, rc, err);
	char head[32];
	snprintf(head, sizeof(head), "Lesson %d: ", n);
	ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "Predict: "), "no question: %s", out);
	ck_assert_msg(strstr(out, "What"), "no explanation: %s", out);
	const char *problem = lesson_check(n, out);
	/* check refuses a message over a few KiB (and then says only "Early
	 * exit"): the problem, then the output's end. */
	size_t len = strlen(out);
	ck_assert_msg(problem == NULL, "%s\n--- output's end ---\n%s", problem,
		      out + (len > 2500 ? len - 2500 : 0));
	files_rm_dir(dir);
}
END_TEST

/* Run by name, --quick, its numbers checked against its result sets; it
 * works with or without Open MPI (then its MPI parts say so and skip). */
START_TEST(beyond_one_machine_runs_by_name_and_its_numbers_match)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "lessons");
	snprintf(args, sizeof(args),
		 "lesson beyond --quick --no-pause --predict 20 --out %s", dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "'concur %s' exited %d: %s", args, rc, err);
	ck_assert_msg(strstr(out, ": Beyond one machine\n"), "%s", out);
	ck_assert_msg(strstr(out, "prediction: 20 us; the run: "), "%s", out);
	const char *problem = lesson_check(0, out);
	ck_assert_msg(problem == NULL, "%s\n--- output ---\n%s", problem, out);
	files_rm_dir(dir);
}
END_TEST

/* Run by name, --quick: five kinds of work with 1 and 2 threads, every
 * speed-up recomputed from the set's summary.csv and pythreads.csv. */
START_TEST(python_threads_runs_by_name_and_its_numbers_match)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "lessons");
	snprintf(args, sizeof(args),
		 "lesson python --quick --no-pause --predict 2 --out %s", dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "'concur %s' exited %d: %s", args, rc, err);
	ck_assert_msg(strstr(out, ": Python threads in parallel\n"), "%s", out);
	if (strstr(out, "Python part of this lesson is skipped")) {
		files_rm_dir(dir);
		return; /* no Python here, and not under CI */
	}
	ck_assert_msg(strstr(out, "prediction: 2 x; the run: "), "%s", out);
	ck_assert_msg(!strstr(out, "did not run or results differ"), "%s", out);
	const char *problem = lesson_check(0, out);
	ck_assert_msg(problem == NULL, "%s\n--- output ---\n%s", problem, out);
	files_rm_dir(dir);
}
END_TEST

START_TEST(prediction_is_compared_with_the_run)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "lessons");
	snprintf(args, sizeof(args), "lesson 1 --quick --predict 0.25 --out %s",
		 dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	double wall;
	ck_assert_int_eq(lesson_measured_value(out, "fetch_wall", &wall), 0);
	const char *p = strstr(out, "prediction: 0.25 s; the run: ");
	ck_assert_msg(p, "prediction not compared: %s", out);
	double said = strtod(p + strlen("prediction: 0.25 s; the run: "), NULL);
	ck_assert_msg(fabs(said - wall) <= 1e-3 * wall,
		      "compared with %g, but the run measured %g", said, wall);
	const char *off = strstr(p, "off by ");
	ck_assert_ptr_nonnull(off);
	double pct = strtod(off + strlen("off by "), NULL);
	ck_assert_msg(fabs(pct - (0.25 - wall) / wall * 100) <= 0.6,
		      "off by %g%%, expected %g%%", pct,
		      (0.25 - wall) / wall * 100);
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lessons");
	TCase *tc = runner_tcase(s, "the lesson runner", 180);
	tcase_add_test(tc, list_names_every_lesson);
	tcase_add_loop_test(tc, bad_input_exits_2, 0,
			    (int)(sizeof(bad_args) / sizeof(bad_args[0])));
	/* 1 to 15 here; 16, Open loop, in a case of its own */
	tcase_add_loop_test(tc, lesson_runs_and_its_numbers_match_its_run, 1,
			    N_LESSONS);
	tcase_add_test(tc, prediction_is_compared_with_the_run);
	TCase *open = runner_tcase(s, "open loop", 120);
	tcase_add_loop_test(open, lesson_runs_and_its_numbers_match_its_run, 16,
			    17);
	TCase *beyond = runner_tcase(s, "beyond", 240);
	tcase_add_test(beyond,
		       beyond_one_machine_runs_by_name_and_its_numbers_match);
	TCase *py = runner_tcase(s, "python threads", 240);
	tcase_add_test(py, python_threads_runs_by_name_and_its_numbers_match);
	return s;
}
