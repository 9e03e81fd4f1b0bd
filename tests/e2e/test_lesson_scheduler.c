// SPDX-License-Identifier: MIT
/*
 * test_lesson_scheduler.c - lesson 20, "Scheduler costs" (issue 31 item
 * 4), called by name as TUTORIAL.md calls it:
 *   - with --quick it runs and is judged: lesson.json holds the expected
 *     value and grades against the run's own break-even; the overhead it
 *     printed is recomputed from the result set (run part / N, the start
 *     left out); a prediction a thousand times off is never "close";
 *   - without Dask (a distributed.py on PYTHONPATH that fails to import)
 *     py-dask is skipped with the line saying how to add it, and the
 *     prediction is graded against py-processes' figure.
 * Where Dask is missing anyway, the first test leaves it to the second.
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/csv.h"
#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/lesson_run.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char out[256 * 1024], err[16384];

/* The first "result set:" the output names (the overhead part). */
static void first_set(char *dir, size_t len)
{
	const char *p = strstr(out, "  result set: ");
	ck_assert_msg(p, "no result set:\n%s", out);
	p += strlen("  result set: ");
	snprintf(dir, len, "%.*s", (int)strcspn(p, "\n"), p);
}

/* The median of the runs' startup_s of one model. */
static double median_startup(const struct csv *runs, const char *model)
{
	double v[64];
	size_t n = 0;
	for (size_t r = 0; r < runs->rows && n < 64; r++)
		if (strcmp(csv_cell(runs, r, "model"), model) == 0)
			v[n++] = csv_num(runs, r, "startup_s");
	ck_assert_uint_gt(n, 0);
	for (size_t i = 1; i < n; i++) /* insertion sort: a few runs */
		for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* py-dask's overhead, printed, against (wall - start) / N from the set. */
static void check_overhead_recomputed(void)
{
	char dir[4096], path[4200];
	first_set(dir, sizeof(dir));
	struct csv sum, runs;
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	ck_assert_int_eq(csv_load(path, &sum), 0);
	snprintf(path, sizeof(path), "%s/runs.csv", dir);
	ck_assert_int_eq(csv_load(path, &runs), 0);
	size_t r = 0;
	while (r < sum.rows &&
	       strcmp(csv_cell(&sum, r, "model"), "py-dask") != 0)
		r++;
	ck_assert_msg(r < sum.rows, "no py-dask row in %s", dir);
	double want = (csv_num(&sum, r, "wall_median_s") -
		       median_startup(&runs, "py-dask")) /
		      csv_num(&sum, r, "tasks") * 1e3;
	double said = NAN, be = NAN;
	ck_assert_int_eq(
		lesson_measured_value(out, "py_dask_overhead_ms", &said), 0);
	ck_assert_int_eq(
		lesson_measured_value(out, "py_dask_break_even_ms", &be), 0);
	ck_assert_msg(fabs(said - want) <= 1e-3 * fabs(want) + 1e-3,
		      "py_dask_overhead_ms %g, the set gives %g", said, want);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double c = cores > 2 ? (double)cores : 2; /* the lesson's C */
	ck_assert_double_eq_tol(be, said * c / (c - 1), 1e-3 * fabs(be) + 1e-3);
	csv_free(&sum);
	csv_free(&runs);
}

/* lesson.json grades against the run's figure (or, when the run could
 * not show it, what the machine should give). */
static void check_graded(const char *name)
{
	json_t *doc = lesson_run_saved_json(out);
	ck_assert_msg(doc, "no lesson.json: %s", out);
	double graded =
		json_number_value(json_object_get(doc, "graded_against"));
	double expected =
		json_number_value(json_object_get(doc, "expected_value"));
	bool shows = json_is_true(json_object_get(doc, "run_shows_claim"));
	double measured = NAN;
	ck_assert_int_eq(lesson_measured_value(out, name, &measured), 0);
	ck_assert_msg(json_is_number(json_object_get(doc, "expected_value")),
		      "no expected value: %s", out);
	ck_assert_double_eq_tol(graded, shows ? measured : expected,
				1e-3 * fabs(graded) + 1e-6);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "title")),
			 "Scheduler costs");
	json_decref(doc);
	char v[128];
	lesson_run_verdict(out, v, sizeof(v));
	ck_assert_msg(v[0] && strncmp(v, "close", 5) != 0,
		      "a prediction of 1e6 ms judged '%s':\n%s", v, out);
}

START_TEST(quick_run_is_judged_and_recomputed)
{
	char dir[64], args[256];
	files_tmp_dir(dir, sizeof(dir), "scheduler");
	snprintf(args, sizeof(args),
		 "lesson scheduler --quick --predict 1000000 --out %s", dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d: %s\n%s", rc, err, out);
	ck_assert_msg(strstr(out, "Lesson 20: Scheduler costs\n") ||
			      strstr(out, ": Scheduler costs\n"),
		      "%s", out);
	if (strstr(out, "py-dask skipped")) {
		files_rm_dir(dir);
		return; /* no Dask here: the other test covers that path */
	}
	check_overhead_recomputed();
	check_graded("py_dask_break_even_ms");
	const char *problem = lesson_check(-1, out); /* as test_tutorial */
	ck_assert_msg(!problem, "%s\n%s", problem, out);
	ck_assert_msg(strstr(out, "dashboard"), "%s", out);
	ck_assert_msg(strstr(out, "skewed"), "%s", out);
	files_rm_dir(dir);
}
END_TEST

START_TEST(without_dask_says_how_to_add_it)
{
	char dir[64], fake[200], prefix[512], args[256];
	files_tmp_dir(dir, sizeof(dir), "nodask");
	snprintf(fake, sizeof(fake), "%s/distributed.py", dir);
	FILE *f = fopen(fake, "w");
	ck_assert_ptr_nonnull(f);
	fputs("raise ImportError('hidden by test_lesson_scheduler')\n", f);
	fclose(f);
	snprintf(prefix, sizeof(prefix), "export PYTHONPATH=%s", dir);
	snprintf(args, sizeof(args),
		 "lesson scheduler --quick --predict 1000000 --out %s", dir);
	int rc = support_concur_sh(prefix, args, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	ck_assert_msg(
		strstr(out, "py-dask skipped: ") &&
			strstr(out, "apt-get install python3-distributed"),
		"%s", out);
	if (!strstr(out, "py-processes skipped")) {
		ck_assert_msg(strstr(out, "graded against py-processes"), "%s",
			      out);
		check_graded("py_processes_break_even_ms");
	}
	ck_assert_msg(!strstr(out, "measured: py_dask_"), "%s", out);
	const char *problem = lesson_check(-1, out);
	ck_assert_msg(!problem, "%s\n%s", problem, out);
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_scheduler");
	TCase *tc = runner_tcase(s, "scheduler", 240);
	tcase_add_test(tc, quick_run_is_judged_and_recomputed);
	tcase_add_test(tc, without_dask_says_how_to_add_it);
	return s;
}
