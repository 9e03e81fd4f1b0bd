// SPDX-License-Identifier: MIT
/*
 * test_lesson_judge.c - a lesson judges its run before it judges the
 * student: a prediction piped in is read line by line, `--repeat R` runs
 * R runs per case, lesson.json holds the prediction, every measured value
 * and the verdict the terminal showed, `--py-start` reaches py-processes,
 * and, beside a CPU hog (a child
 * spinning on one core), lessons 5, 6 and 8 never mark a right prediction
 * wrong: either the run shows the claim, or it says it cannot and grades
 * against what this machine should give.
 *
 * Nothing here depends on the machine's speed: the right predictions are
 * the lessons' own expected values (cores, one task per core; the gil's
 * 1; the knee of the ideal times), which the grading must accept whether
 * the run shows the claim or not.
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/lesson_run.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define OUT_MAX sizeof(((struct lesson_output *)0)->out)

static char out[OUT_MAX], err[16384];

static void tmp_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/concur-judge-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs `printf INPUT | concur ARGS` in dir; returns the exit status. */
static int run_piped(const char *input, const char *args, const char *dir)
{
	static struct lesson_output lo;
	int rc = lesson_run_piped(input, args, dir, &lo);
	memcpy(out, lo.out, sizeof(out));
	memcpy(err, lo.err, sizeof(err));
	return rc;
}

START_TEST(piped_prediction_is_read_line_by_line)
{
	char dir[64], args[256];
	tmp_dir(dir, sizeof(dir));
	snprintf(args, sizeof(args), "lesson 1 --quick --out %s", dir);
	int rc = run_piped("two\\n0.25\\n", args, dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "'two' is not a number"), "%s", out);
	ck_assert_msg(strstr(out, "your prediction (from standard input): "
				  "0.25 s"),
		      "%s", out);
	ck_assert_msg(strstr(out, "prediction: 0.25 s; the run: "), "%s", out);
	char v[128];
	lesson_run_verdict(out, v, sizeof(v));
	ck_assert_msg(v[0], "no verdict line: %s", out);
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_msg(doc, "no lesson.json saved: %s", out);
	ck_assert_double_eq_tol(
		json_real_value(json_object_get(doc, "prediction")), 0.25,
		1e-9);
	ck_assert_str_eq(
		json_string_value(json_object_get(doc, "prediction_from")),
		"standard input");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "verdict")), v);
	json_decref(doc);
	rm_dir(dir);
}
END_TEST

START_TEST(lesson_json_holds_every_measured_value)
{
	char dir[64], args[256];
	tmp_dir(dir, sizeof(dir));
	snprintf(args, sizeof(args), "lesson 2 --quick --predict 0.1 --out %s",
		 dir);
	ck_assert_int_eq(run_piped("", args, dir), 0);
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_msg(doc, "no lesson.json saved: %s", out);
	json_t *list = json_object_get(doc, "measured");
	size_t i, printed = 0;
	json_t *item;
	for (const char *p = out; (p = strstr(p, "  measured: ")); p++)
		printed++;
	ck_assert_uint_eq(json_array_size(list), printed);
	json_array_foreach(list, i, item)
	{
		const char *name =
			json_string_value(json_object_get(item, "name"));
		double said, kept = json_number_value(
				     json_object_get(item, "value"));
		ck_assert_int_eq(lesson_measured_value(out, name, &said), 0);
		ck_assert_msg(fabs(said - kept) <= 1e-3 * fabs(kept) + 1e-9,
			      "%s: printed %g, saved %g", name, said, kept);
	}
	ck_assert(json_is_boolean(json_object_get(doc, "run_shows_claim")));
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "lesson")), 2);
	json_decref(doc);
	rm_dir(dir);
}
END_TEST

START_TEST(repeat_sets_the_runs_per_case)
{
	char dir[64], args[256];
	tmp_dir(dir, sizeof(dir));
	snprintf(args, sizeof(args),
		 "lesson 1 --quick --no-pause --repeat 3 --out %s", dir);
	ck_assert_int_eq(run_piped("", args, dir), 0);
	/* A retry adds runs; never fewer than asked. */
	ck_assert_msg(strstr(out, " runs per case"), "%s", out);
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_ge(json_integer_value(json_object_get(doc, "repeat")), 3);
	ck_assert(json_is_null(json_object_get(doc, "prediction")));
	json_decref(doc);
	const char *problem = lesson_check(1, out);
	ck_assert_msg(!problem, "%s", problem);
	rm_dir(dir);
}
END_TEST

static const char *const bad_args[] = {
	"lesson 1 --repeat 0",	"lesson 1 --repeat x",	  "lesson 1 --repeat",
	"lesson 1 --repeat 51", "run --py-start threads", "run --py-start",
};

START_TEST(bad_input_exits_2)
{
	int rc = support_concur(bad_args[_i], out, sizeof(out), err,
				sizeof(err));
	ck_assert_msg(rc == 2, "'concur %s' exited %d", bad_args[_i], rc);
	ck_assert_msg(strncmp(err, "concur: ", 8) == 0, "%s", err);
}
END_TEST

/* py-processes under a start method: the batch says it, the program
 * reports its pool's start and pickling as figures, meta.json keeps it. */
START_TEST(py_start_reaches_py_processes)
{
	char dir[64], args[512], path[256];
	tmp_dir(dir, sizeof(dir));
	snprintf(args, sizeof(args),
		 "run --models py-processes --workloads compute --work 1 "
		 "--tasks 2 --workers 2 --py-start spawn --baseline none "
		 "--repeat 1 --no-plot --quiet --out %s",
		 dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	if (rc == 2 && strstr(err, "unavailable")) {
		rm_dir(dir); /* no Python with aiohttp here */
		return;
	}
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	snprintf(path, sizeof(path), "%s/latest/runs.csv", dir);
	files_read_into(path, out, sizeof(out));
	ck_assert_msg(strstr(out, "pool_start_s=") &&
			      strstr(out, "pickle_us_per_task=") &&
			      strstr(out, "pickle_bytes_per_task="),
		      "no start-up figures in runs.csv: %s", out);
	snprintf(path, sizeof(path), "%s/latest/meta.json", dir);
	json_error_t e;
	json_t *meta = json_load_file(path, 0, &e);
	ck_assert_ptr_nonnull(meta);
	json_t *opt = json_object_get(meta, "options");
	ck_assert_str_eq(json_string_value(json_object_get(opt, "py_start")),
			 "spawn");
	json_decref(meta);
	rm_dir(dir);
}
END_TEST

/* ---- beside a CPU hog ---- */

/* The right answer each lesson expects on this machine: lesson 5, one
 * task per core at once; lesson 6, one at a time under the lock; lesson
 * 8, the knee of the ideal times of its --quick batch (16 tasks, 10 ms
 * waits, 5 units of about 1 ms, C = 1, 2, 4, 8, 16), which a measured
 * unit off by half either way leaves within one doubling; lesson 18,
 * two threads hashing on two cores, the GIL let go. */
static double right_answer(int lesson, int cores)
{
	if (lesson == 5)
		return cores > 1 ? cores : 1;
	if (lesson == 6)
		return 1;
	if (lesson == 18) /* 2 threads hashing, the GIL let go */
		return cores > 1 ? 2 : 1;
	static const int cs[] = {1, 2, 4, 8, 16};
	double ideal[5], best = INFINITY;
	for (int i = 0; i < 5; i++) {
		double rounds = ceil(16.0 / cs[i]);
		double per_slot = rounds * (10 + 5) / 1e3;
		double compute = 16 * 5 / 1e3 / (cs[i] < cores ? cs[i] : cores);
		ideal[i] = per_slot > compute ? per_slot : compute;
		best = ideal[i] < best ? ideal[i] : best;
	}
	for (int i = 0; i < 5; i++)
		if (ideal[i] <= best * 1.1)
			return cs[i];
	return 0;
}

static const int hog_lessons[] = {5, 6, 8, 18};

START_TEST(right_prediction_is_never_marked_wrong_beside_a_hog)
{
	int n = hog_lessons[_i];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double right = right_answer(n, cores > 0 ? (int)cores : 1);
	char dir[64], args[256], v[128];
	tmp_dir(dir, sizeof(dir));
	snprintf(args, sizeof(args), "lesson %d --quick --predict %g --out %s",
		 n, right, dir);
	pid_t hog = lesson_hog_start();
	int rc = run_piped("", args, dir);
	lesson_hog_stop(hog);
	ck_assert_msg(rc == 0, "lesson %d exited %d: %s", n, rc, err);
	lesson_run_verdict(out, v, sizeof(v));
	ck_assert_msg(
		strcmp(v, "close") == 0 ||
			strcmp(v, "close to what this machine should give") ==
				0,
		"lesson %d marked the right prediction %g '%s':\n%s", n, right,
		v, out);
	/* Either the run shows the claim, or it says it cannot. */
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_ptr_nonnull(doc);
	bool shows = json_is_true(json_object_get(doc, "run_shows_claim"));
	ck_assert_msg(shows == !strstr(out, "this run cannot show the claim"),
		      "lesson %d: lesson.json says run_shows_claim %d, the "
		      "text disagrees:\n%s",
		      n, shows, out);
	json_decref(doc);
	const char *problem = lesson_check(n, out);
	ck_assert_msg(!problem, "%s", problem);
	rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_judge");
	TCase *tc = runner_tcase(s, "the lesson judges its run", 600);
	tcase_add_test(tc, piped_prediction_is_read_line_by_line);
	tcase_add_test(tc, lesson_json_holds_every_measured_value);
	tcase_add_test(tc, repeat_sets_the_runs_per_case);
	tcase_add_loop_test(tc, bad_input_exits_2, 0,
			    (int)(sizeof(bad_args) / sizeof(bad_args[0])));
	tcase_add_test(tc, py_start_reaches_py_processes);
	tcase_add_loop_test(
		tc, right_prediction_is_never_marked_wrong_beside_a_hog, 0,
		(int)(sizeof(hog_lessons) / sizeof(hog_lessons[0])));
	return s;
}
