// SPDX-License-Identifier: MIT
/*
 * test_grade_bugs.c - `make check-model` fails what is wrong, and says
 * why: each untouched exercise fails with the hint that points at its
 * mistake (and does not crash); each classic bug of the exercises
 * (tests/e2e/fixtures/BUG.sed patched into an answer, built by `make
 * fixtures`) fails, every time, with the hint that names it (the tallies
 * that are right but slow: test_grade_tally); the students' build does not
 * have the answers; bad MODEL and SANITIZE values are one clear line and
 * exit 2. No check here is timed, so the suite runs in the pool; what
 * passes, timed against threads, is test_grade (alone).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/grade_file.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static struct grade_said said;

/* The hint names the skeleton's TODOs by their functions (numbers would
 * go stale when a TODO is added): they must still be in the skeleton. */
static void assert_hint_names(const char *skeleton_path,
			      const char *const *todos, size_t n)
{
	char *skeleton = files_read(skeleton_path, NULL);
	ck_assert_ptr_nonnull(skeleton);
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(strstr(said.out, todos[k]) &&
				      strstr(skeleton, todos[k]),
			      "%s: not in the hint or not in %s", todos[k],
			      skeleton_path);
	free(skeleton);
}

START_TEST(untouched_skeleton_fails_with_the_lost_task_hint)
{
	int rc = grade_quick(support_bin(), "student", &said);
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, said.out, said.err);
	ck_assert_msg(strstr(said.out, "hint: A task was lost"), "no hint: %s",
		      said.out);
	ck_assert_msg(strstr(said.out, "SANITIZE=thread"), "no race advice: %s",
		      said.out);
	static const char *const todos[] = {"queue_push", "queue_pop",
					    "student_consumer"};
	assert_hint_names("models/exercises/student.c", todos, 3);
	double score;
	ck_assert_int_gt(grade_file_check(said.json, &score, 10), 0);
	ck_assert(score < 5);
	files_rm_dir(said.dir);
}
END_TEST

/* Exercise 2 as shipped: the race. Every stress check loses updates, and
 * the hint says why and names the TODOs' functions. */
START_TEST(untouched_tally_loses_updates_and_says_so)
{
	int rc = grade_quick(support_bin(), "tally", &said);
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, said.out, said.err);
	ck_assert_msg(strstr(said.out, "FAIL conformance: shared: ") &&
			      strstr(said.out, "lost updates)"),
		      "no lost updates: %s", said.out);
	ck_assert_msg(strstr(said.out, "hint: Increments were lost"),
		      "no hint: %s", said.out);
	static const char *const todos[] = {"tally_add", "tally_total"};
	assert_hint_names("models/exercises/tally.c", todos, 2);
	double score;
	ck_assert_int_gt(grade_file_check(said.json, &score, 4), 0);
	files_rm_dir(said.dir);
}
END_TEST

/* Students' concur neither lists nor grades the answer; the teacher's
 * lists it next to the exercise. */
START_TEST(the_solution_is_only_in_the_teachers_build)
{
	ck_assert_int_eq(
		support_concur("models", said.out, sizeof(said.out), NULL, 0),
		0);
	ck_assert_ptr_nonnull(strstr(said.out, "student"));
	ck_assert_msg(!strstr(said.out, "solution"), "listed: %s", said.out);
	ck_assert_int_eq(support_concur("grade solution", NULL, 0, said.err,
					sizeof(said.err)),
			 2);
	ck_assert_msg(strstr(said.err, "unknown model 'solution'"), "%s",
		      said.err);
	char teacher[4200];
	snprintf(teacher, sizeof(teacher), "%s", grade_teacher_bin());
	teacher[strlen(teacher) - strlen("-grade")] = '\0'; /* its concur */
	ck_assert_int_eq(support_run_bin(teacher, "models", said.out,
					 sizeof(said.out), NULL, 0),
			 0);
	ck_assert_msg(strstr(said.out, "solution") &&
			      strstr(said.out, "tally_solution"),
		      "not listed: %s", said.out);
}
END_TEST

/* A classic bug, the check it must fail and the hint it must get; the
 * hint it must not get (the effect its cause explains). */
static const struct {
	const char *bug, *answer, *check, *hint, *not_hint;
} classic[] = {
	{"signal-at-close", "solution",
	 "FAIL conformance: pool: more workers than tasks",
	 "hint: A hang, most likely a lost wake-up", "A lock is never"},
	{"if-not-while", "solution",
	 "FAIL conformance: pool: many consumers on an empty",
	 "hint: A consumer left too early", "A task was lost"},
	{"no-unlock-when-closed", "solution", "FAIL conformance: edge: C = 1",
	 "hint: A lock is never released", "lost wake-up"},
	{"lock-held-while-running", "solution",
	 "FAIL conformance: pool: every worker takes part",
	 "hint: Tasks ran one at a time", "differs from the sequential"},
	{"tally-one-slot", "tally_solution",
	 "FAIL conformance: shared: 8 workers at once",
	 "hint: Increments were lost", "wrong with one worker"},
	{"tally-sum-off-by-one", "tally_solution",
	 "FAIL conformance: shared: one worker",
	 "hint: The total is wrong with one worker", "Increments were lost"},
};

START_TEST(each_classic_bug_fails_with_its_hint)
{
	char args[2048], json[256];
	grade_fixture_args(classic[_i].bug, classic[_i].answer, said.dir,
			   sizeof(said.dir), args, sizeof(args), json,
			   sizeof(json));
	int rc = support_run_bin(grade_teacher_bin(), args, said.out,
				 sizeof(said.out), said.err, sizeof(said.err));
	ck_assert_msg(rc == 1, "%s: exit %d, not 1 (make fixtures?): %s %s",
		      classic[_i].bug, rc, said.out, said.err);
	ck_assert_msg(strstr(said.out, classic[_i].check), "%s: not '%s':\n%s",
		      classic[_i].bug, classic[_i].check, said.out);
	ck_assert_msg(strstr(said.out, classic[_i].hint), "%s: no '%s':\n%s",
		      classic[_i].bug, classic[_i].hint, said.out);
	ck_assert_msg(!strstr(said.out, classic[_i].not_hint), "%s: '%s':\n%s",
		      classic[_i].bug, classic[_i].not_hint, said.out);
	double score;
	ck_assert_int_gt(grade_file_check(json, &score, 4), 0);
	files_rm_dir(said.dir);
}
END_TEST

START_TEST(grade_help_is_usage_and_exit_0)
{
	ck_assert_int_eq(support_concur("grade --help", said.out,
					sizeof(said.out), NULL, 0),
			 0);
	ck_assert_msg(strstr(said.out, "usage: concur grade MODEL") &&
			      strstr(said.out, "--student"),
		      "%s", said.out);
}
END_TEST

static const char *const bad[][2] = {
	{"grade", "MODEL=name"},
	{"grade nosuch", "sequential"},
	{"grade threads --bogus", "--bogus"},
};

START_TEST(bad_model_exits_2_listing_the_models)
{
	int rc = support_concur(bad[_i][0], said.out, sizeof(said.out),
				said.err, sizeof(said.err));
	ck_assert_int_eq(rc, 2);
	ck_assert_int_eq(support_lines(said.err), 1);
	ck_assert_msg(strstr(said.err, bad[_i][1]), "%s: %s", bad[_i][0],
		      said.err);
}
END_TEST

START_TEST(bad_sanitize_exits_2_before_building)
{
	int rc = system("env -u MAKEFLAGS -u MAKELEVEL make -s "
			"--no-print-directory check-model MODEL=solution "
			"SANITIZE=memory >/dev/null 2>/tmp/concur-cm-said.err");
	ck_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
	FILE *f = fopen("/tmp/concur-cm-said.err", "r");
	ck_assert_ptr_nonnull(f);
	char line[512] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	unlink("/tmp/concur-cm-said.err");
	ck_assert_msg(strstr(line, "SANITIZE must be thread, address or "
				   "undefined"),
		      "%s", line);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("grade_bugs");
	TCase *tc = runner_tcase(s, "check-model", 240);
	tcase_add_loop_test(tc, bad_model_exits_2_listing_the_models, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, bad_sanitize_exits_2_before_building);
	tcase_add_test(tc, grade_help_is_usage_and_exit_0);
	tcase_add_test(tc, the_solution_is_only_in_the_teachers_build);
	tcase_add_test(tc, untouched_skeleton_fails_with_the_lost_task_hint);
	tcase_add_test(tc, untouched_tally_loses_updates_and_says_so);
	tcase_add_loop_test(tc, each_classic_bug_fails_with_its_hint, 0,
			    (int)(sizeof(classic) / sizeof(classic[0])));
	return s;
}
