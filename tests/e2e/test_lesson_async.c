// SPDX-License-Identifier: MIT
/*
 * test_lesson_async.c - the lesson "async/await" and the option it rests
 * on: --block-ms (task 0 sleeps, blocking, after its fetch) and
 * --block-in. Bad values exit 2 with one line; one blocking task stalls
 * every other task of the coroutines model (their p99 grows by the
 * block) and not hybrid's (its pool takes the block); the lesson runs
 * --quick, judges the prediction and quotes its own result set.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/csv.h"
#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define OUT_MAX (256 * 1024)
#define BLOCK_MS 300

static char out[OUT_MAX], err[16384];

static const char *const bad_args[] = {
	"run --block-ms -1",   "run --block-ms 10001", "run --block-ms abc",
	"run --block-ms 1.5",  "run --block-ms",       "run --block-in x",
	"run --block-in LOOP",
};

START_TEST(bad_block_values_exit_2)
{
	const char *args = bad_args[_i];
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 2, "'concur %s' exited %d, not 2", args, rc);
	ck_assert_msg(strstr(err, "--block"), "'concur %s' said: %s", args,
		      err);
	ck_assert_int_eq(support_lines(err), 1);
}
END_TEST

/* The p99 (ms) of model's fetch row in the set under dir. */
static double p99_of(const char *dir, const char *model)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	struct csv c;
	ck_assert_int_eq(csv_load(path, &c), 0);
	long row = csv_find(&c, 0, "fetch", model, 0);
	ck_assert_msg(row >= 0, "no %s row in %s", model, path);
	double v = csv_num(&c, (size_t)row, "corrected_p99_ms");
	csv_free(&c);
	return v;
}

/* The result set `concur run` printed ("results: DIR/ (...)"). */
static void set_dir(char *dir, size_t len)
{
	const char *p = strstr(out, "results: ");
	ck_assert_msg(p, "no result set: %s", out);
	p += strlen("results: ");
	size_t n = strcspn(p, " \n");
	ck_assert(n > 0 && n < len);
	memcpy(dir, p, n);
	dir[n] = '\0';
}

/* `concur run` of `models`, 150 fetches of 20 ms arriving 200 a second,
 * C = 50, task 0 blocking block_ms in `where` (loop or executor), into
 * TMP/NAME; returns model's p99 from arrival (ms), and model2's in *p2
 * when model2 is not NULL. */
static double run_block(const char *tmp, const char *name, const char *models,
			long block_ms, const char *where, const char *model2,
			double *p2)
{
	char args[512], dir[512];
	snprintf(args, sizeof(args),
		 "run --models %s --workloads fetch --tasks 150 --workers 50 "
		 "--delay 20 --repeat 1 --baseline none --arrival open --rate "
		 "200 --arrival-dist fixed --no-plot --no-report --block-ms "
		 "%ld --block-in %s --out %s/%s",
		 models, block_ms, where, tmp, name);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "'concur %s' exited %d: %s", args, rc, err);
	set_dir(dir, sizeof(dir));
	if (model2)
		*p2 = p99_of(dir, model2);
	const char *first = strchr(models, ',') ? "coroutines" : models;
	return p99_of(dir, first);
}

START_TEST(one_blocking_task_stalls_the_others_on_the_loop_only)
{
	char tmp[64];
	files_tmp_dir(tmp, sizeof(tmp), "lesson-async");
	double calm_h, pooled;
	double calm = run_block(tmp, "calm", "coroutines,hybrid", 0, "loop",
				"hybrid", &calm_h);
	double blocked = run_block(tmp, "blocked", "coroutines,hybrid",
				   BLOCK_MS, "loop", "hybrid", &pooled);
	/* 60 of the 150 arrive during the block; task 0 is under 1%: the
	 * p99 is the others'. */
	ck_assert_msg(blocked >= calm + 0.8 * BLOCK_MS,
		      "coroutines' p99: %.1f ms calm, %.1f ms with one task "
		      "blocking %d ms",
		      calm, blocked, BLOCK_MS);
	ck_assert_msg(pooled < blocked - 0.5 * BLOCK_MS,
		      "hybrid's p99 %.1f ms, coroutines' %.1f ms: the pool "
		      "did not take the block",
		      pooled, blocked);
	files_rm_dir(tmp);
}
END_TEST

START_TEST(py_asyncio_blocks_in_the_loop_not_in_the_executor)
{
	if (!support_python("test_lesson_async"))
		return;
	char tmp[64];
	files_tmp_dir(tmp, sizeof(tmp), "lesson-async");
	/* time.sleep in the coroutine, or awaited through run_in_executor */
	double loop = run_block(tmp, "loop", "py-asyncio", BLOCK_MS, "loop",
				NULL, NULL);
	double executor = run_block(tmp, "executor", "py-asyncio", BLOCK_MS,
				    "executor", NULL, NULL);
	ck_assert_msg(loop >= 0.8 * BLOCK_MS &&
			      executor < loop - 0.5 * BLOCK_MS,
		      "py-asyncio's p99: %.1f ms with time.sleep, %.1f ms "
		      "with run_in_executor (block %d ms)",
		      loop, executor, BLOCK_MS);
	files_rm_dir(tmp);
}
END_TEST

/* --quick, by name, with a prediction: graded, and the numbers it quotes
 * are its result sets' (the blocked set's p99s). */
START_TEST(lesson_runs_judges_and_quotes_its_run)
{
	char tmp[64], args[256];
	files_tmp_dir(tmp, sizeof(tmp), "lesson-async");
	snprintf(args, sizeof(args),
		 "lesson async --quick --no-pause --predict 520 --out %s", tmp);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "'concur %s' exited %d: %s", args, rc, err);
	ck_assert_msg(strstr(out, ": async/await\n"), "%s", out);
	ck_assert_msg(strstr(out, "prediction: 520 ms; the run: "), "%s", out);
	/* Block + fetch (500 + 20 ms) is right whatever the machine's load:
	 * the lesson grades against that expected value too. */
	ck_assert_msg(strstr(out, "verdict: close"), "%s", out);
	double blocked, pooled, calm, as, th;
	ck_assert_int_eq(lesson_measured_value(out, "blocked_p99", &blocked),
			 0);
	ck_assert_int_eq(lesson_measured_value(out, "pooled_p99", &pooled), 0);
	ck_assert_int_eq(lesson_measured_value(out, "calm_p99", &calm), 0);
	ck_assert_int_eq(lesson_measured_value(out, "switch_ucontext", &as), 0);
	ck_assert_int_eq(lesson_measured_value(out, "thread_handoff", &th), 0);
	ck_assert_msg(blocked > calm + 300 && pooled < blocked - 250,
		      "calm %.1f, blocked %.1f, pooled %.1f ms", calm, blocked,
		      pooled);
	ck_assert_msg(as > 0 && th > 0, "switch %g ns, hand-off %g ns", as, th);
	/* Every p99 it quotes, recomputed from its sets (lesson_async.c). */
	const char *problem = lesson_check(0, out);
	ck_assert_msg(problem == NULL, "%s\n--- output ---\n%s", problem, out);
	/* The blocked set's own p99s, as printed (4 significant digits). */
	const char *p = strstr(out, "-blocked\n");
	ck_assert_msg(p, "no blocked set: %s", out);
	const char *start = p;
	while (start > out && start[-1] != ' ')
		start--;
	char dir[512];
	size_t n = (size_t)(p - start) + strlen("-blocked");
	ck_assert(n < sizeof(dir));
	memcpy(dir, start, n);
	dir[n] = '\0';
	ck_assert_double_eq_tol(p99_of(dir, "coroutines"), blocked,
				1e-3 * blocked + 0.05);
	ck_assert_double_eq_tol(p99_of(dir, "hybrid"), pooled,
				1e-3 * pooled + 0.05);
	files_rm_dir(tmp);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_async");
	TCase *tc = runner_tcase(s, "--block-ms", 60);
	tcase_add_loop_test(tc, bad_block_values_exit_2, 0,
			    (int)(sizeof(bad_args) / sizeof(bad_args[0])));
	tcase_add_test(tc,
		       one_blocking_task_stalls_the_others_on_the_loop_only);
	tcase_add_test(tc, py_asyncio_blocks_in_the_loop_not_in_the_executor);
	TCase *lesson = runner_tcase(s, "the lesson", 120);
	tcase_add_test(lesson, lesson_runs_judges_and_quotes_its_run);
	return s;
}
