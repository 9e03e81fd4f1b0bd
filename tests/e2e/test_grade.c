// SPDX-License-Identifier: MIT
/*
 * test_grade.c - `make check-model` and the grade file it writes: every
 * built-in model passes, and so do the two exercises' answers, which only
 * the teacher's build has; each untouched exercise fails with the hint
 * that points at its mistake (and does not crash); the grade file parses
 * as Gradescope's results.json and its scores add up; bad MODEL and
 * SANITIZE values are one clear line and exit 2. Each classic bug of the
 * exercises (tests/e2e/fixtures/BUG.sed patched into an answer, built by
 * `make fixtures`) fails, every time, with the hint that names it (the
 * tallies that are right but slow: test_grade_tally); the grade file says
 * whose source it graded, where, and has the same checks with and without
 * a sanitizer.
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/external/python.h"
#include "models/model.h"
#include "tests/support/files.h"
#include "tests/support/grade_file.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char out[64 * 1024], err[16 * 1024];
static char grade_dir[64]; /* the last grade()'s directory */

/* `BIN grade NAME --quick` into a fresh directory; returns the exit
 * status and leaves the grade file's path in json. */
static int grade(const char *bin, const char *name, char *json, size_t len)
{
	char args[512];
	files_tmp_dir(grade_dir, sizeof(grade_dir), "grade");
	snprintf(json, len, "%s/results.json", grade_dir);
	snprintf(args, sizeof(args), "grade %s --quick --out %s", name, json);
	return support_run_bin(bin, args, out, sizeof(out), err, sizeof(err));
}

/* The hint names the skeleton's TODOs by their functions (numbers would
 * go stale when a TODO is added): they must still be in the skeleton. */
static void assert_hint_names(const char *skeleton_path,
			      const char *const *todos, size_t n)
{
	char *skeleton = files_read(skeleton_path, NULL);
	ck_assert_ptr_nonnull(skeleton);
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(strstr(out, todos[k]) &&
				      strstr(skeleton, todos[k]),
			      "%s: not in the hint or not in %s", todos[k],
			      skeleton_path);
	free(skeleton);
}

START_TEST(untouched_skeleton_fails_with_the_lost_task_hint)
{
	char json[256];
	int rc = grade(support_bin(), "student", json, sizeof(json));
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, out, err);
	ck_assert_msg(strstr(out, "hint: A task was lost"), "no hint: %s", out);
	ck_assert_msg(strstr(out, "SANITIZE=thread"), "no race advice: %s",
		      out);
	static const char *const todos[] = {"queue_push", "queue_pop",
					    "student_consumer"};
	assert_hint_names("models/exercises/student.c", todos, 3);
	double score;
	ck_assert_int_gt(grade_file_check(json, &score, 10), 0);
	ck_assert(score < 5);
	files_rm_dir(grade_dir);
}
END_TEST

/* Exercise 2 as shipped: the race. Every stress check loses updates, and
 * the hint says why and names the TODOs' functions. */
START_TEST(untouched_tally_loses_updates_and_says_so)
{
	char json[256];
	int rc = grade(support_bin(), "tally", json, sizeof(json));
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, out, err);
	ck_assert_msg(strstr(out, "FAIL conformance: shared: ") &&
			      strstr(out, "lost updates)"),
		      "no lost updates: %s", out);
	ck_assert_msg(strstr(out, "hint: Increments were lost"), "no hint: %s",
		      out);
	static const char *const todos[] = {"tally_add", "tally_total"};
	assert_hint_names("models/exercises/tally.c", todos, 2);
	double score;
	ck_assert_int_gt(grade_file_check(json, &score, 4), 0);
	files_rm_dir(grade_dir);
}
END_TEST

/* The answers pass in the teacher's build, timed against threads: the
 * pool on fetch and compute, the tally against its best strategy. */
static const struct {
	const char *model, *speed_check;
	size_t checks;
} answers[] = {
	{"solution", "speed: compute vs threads (C = 4)", 10},
	{"tally_solution", "speed: shared vs the grader's padded tally", 4},
};

START_TEST(each_answer_passes_and_is_timed)
{
	char json[256];
	int rc = grade(grade_teacher_bin(), answers[_i].model, json,
		       sizeof(json));
	ck_assert_msg(rc == 0, "%s: exit %d: %s %s", answers[_i].model, rc, out,
		      err);
	ck_assert_msg(strstr(out, answers[_i].speed_check) &&
			      strstr(out, "speed ratio"),
		      "%s: no speed ratio: %s", answers[_i].model, out);
	double score;
	ck_assert_int_eq(grade_file_check(json, &score, answers[_i].checks), 0);
	files_rm_dir(grade_dir);
}
END_TEST

/* Students' concur neither lists nor grades the answer; the teacher's
 * lists it next to the exercise. */
START_TEST(the_solution_is_only_in_the_teachers_build)
{
	ck_assert_int_eq(support_concur("models", out, sizeof(out), NULL, 0),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "student"));
	ck_assert_msg(!strstr(out, "solution"), "listed: %s", out);
	ck_assert_int_eq(
		support_concur("grade solution", NULL, 0, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "unknown model 'solution'"), "%s", err);
	char teacher[4200];
	snprintf(teacher, sizeof(teacher), "%s", grade_teacher_bin());
	teacher[strlen(teacher) - strlen("-grade")] = '\0'; /* its concur */
	ck_assert_int_eq(
		support_run_bin(teacher, "models", out, sizeof(out), NULL, 0),
		0);
	ck_assert_msg(strstr(out, "solution") && strstr(out, "tally_solution"),
		      "not listed: %s", out);
}
END_TEST

/* The models `make check-model` must pass: every one that is not an
 * exercise (Python ones only where Python can run them). */
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
	grade_fixture_args(classic[_i].bug, classic[_i].answer, grade_dir,
			   sizeof(grade_dir), args, sizeof(args), json,
			   sizeof(json));
	int rc = support_run_bin(grade_teacher_bin(), args, out, sizeof(out),
				 err, sizeof(err));
	ck_assert_msg(rc == 1, "%s: exit %d, not 1 (make fixtures?): %s %s",
		      classic[_i].bug, rc, out, err);
	ck_assert_msg(strstr(out, classic[_i].check), "%s: not '%s':\n%s",
		      classic[_i].bug, classic[_i].check, out);
	ck_assert_msg(strstr(out, classic[_i].hint), "%s: no '%s':\n%s",
		      classic[_i].bug, classic[_i].hint, out);
	ck_assert_msg(!strstr(out, classic[_i].not_hint), "%s: '%s':\n%s",
		      classic[_i].bug, classic[_i].not_hint, out);
	double score;
	ck_assert_int_gt(grade_file_check(json, &score, 4), 0);
	files_rm_dir(grade_dir);
}
END_TEST

/* The number of checks and the most they can score. */
static void grade_scale(const char *path, size_t *n, double *max,
			json_t **extra)
{
	json_t *root = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(root);
	json_t *tests = json_object_get(root, "tests"), *t;
	size_t i;
	*n = json_array_size(tests);
	*max = 0;
	json_array_foreach(tests, i, t) *max +=
		json_number_value(json_object_get(t, "max_score"));
	*extra = json_incref(json_object_get(root, "extra_data"));
	json_decref(root);
}

/* The same checks under a sanitizer (here only said, not built: the
 * scale is what is compared); the grade file names the student, the
 * machine, its cores and the source's hash. */
START_TEST(grade_file_names_the_student_and_keeps_its_scale)
{
	char json[256], args[512];
	size_t n[2];
	double max[2];
	json_t *extra[2];
	for (int k = 0; k < 2; k++) {
		files_tmp_dir(grade_dir, sizeof(grade_dir), "grade-scale");
		snprintf(json, sizeof(json), "%s/results.json", grade_dir);
		snprintf(args, sizeof(args),
			 "grade solution --quick --out %s --student ana%s",
			 json, k ? " --sanitize thread" : "");
		int rc = support_run_bin(grade_teacher_bin(), args, out,
					 sizeof(out), err, sizeof(err));
		ck_assert_msg(rc == 0, "exit %d: %s %s", rc, out, err);
		grade_scale(json, &n[k], &max[k], &extra[k]);
		files_rm_dir(grade_dir);
	}
	ck_assert_uint_eq(n[0], n[1]);
	ck_assert(fabs(max[0] - max[1]) < 1e-9);
	json_t *e = extra[0];
	ck_assert_str_eq(json_string_value(json_object_get(e, "student")),
			 "ana");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "cores")),
			 sysconf(_SC_NPROCESSORS_ONLN));
	ck_assert(json_is_string(json_object_get(e, "machine")));
	ck_assert_str_eq(json_string_value(json_object_get(e, "source")),
			 "models/exercises/solution.c");
	ck_assert_uint_eq(
		strlen(json_string_value(json_object_get(e, "source_fnv1a64"))),
		16);
	json_decref(extra[0]);
	json_decref(extra[1]);
}
END_TEST

START_TEST(grade_help_is_usage_and_exit_0)
{
	ck_assert_int_eq(
		support_concur("grade --help", out, sizeof(out), NULL, 0), 0);
	ck_assert_msg(strstr(out, "usage: concur grade MODEL") &&
			      strstr(out, "--student"),
		      "%s", out);
}
END_TEST

static const struct model *builtin[32];
static size_t n_builtin;

static void choose_builtin(void)
{
	const char *ci = getenv("CI");
	char why[512];
	int python = (ci && !strcmp(ci, "true")) ||
		     python_find(NULL, why, sizeof(why)) != NULL;
	n_builtin = support_models(
		builtin, 32, MODEL_EXERCISE | (python ? 0 : MODEL_EXTERNAL));
}

/* Three grades at a time: they mostly wait on the server's delays, and
 * the conformance suite's timeouts leave a wide margin. */
START_TEST(every_builtin_model_passes)
{
	char dir[64], cmd[8192];
	files_tmp_dir(dir, sizeof(dir), "grade-all");
	int k = snprintf(cmd, sizeof(cmd), "printf '%%s\\n'");
	for (size_t i = 0; i < n_builtin; i++)
		k += snprintf(cmd + k, sizeof(cmd) - (size_t)k, " %s",
			      builtin[i]->name);
	snprintf(cmd + k, sizeof(cmd) - (size_t)k,
		 " | xargs -P 3 -I{} sh -c '%s grade {} --quick --out "
		 "%s/{}/results.json >%s/{}.out 2>&1; echo $? >%s/{}.rc'",
		 support_bin(), dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	for (size_t i = 0; i < n_builtin; i++) {
		const char *name = builtin[i]->name;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.rc", dir, name);
		FILE *f = fopen(path, "r");
		int rc = -1;
		ck_assert_msg(f && fscanf(f, "%d", &rc) == 1, "%s: no status",
			      name);
		fclose(f);
		snprintf(path, sizeof(path), "%s/%s.out", dir, name);
		files_read_into(path, out, sizeof(out));
		ck_assert_msg(rc == 0, "check-model %s: exit %d:\n%s", name, rc,
			      out);
		snprintf(path, sizeof(path), "%s/%s/results.json", dir, name);
		double score;
		ck_assert_int_eq(grade_file_check(path, &score, 10), 0);
	}
	files_rm_dir(dir);
}
END_TEST

static const char *const bad[][2] = {
	{"grade", "MODEL=name"},
	{"grade nosuch", "sequential"},
	{"grade threads --bogus", "--bogus"},
};

START_TEST(bad_model_exits_2_listing_the_models)
{
	int rc = support_concur(bad[_i][0], out, sizeof(out), err, sizeof(err));
	ck_assert_int_eq(rc, 2);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_msg(strstr(err, bad[_i][1]), "%s: %s", bad[_i][0], err);
}
END_TEST

START_TEST(bad_sanitize_exits_2_before_building)
{
	int rc = system("env -u MAKEFLAGS -u MAKELEVEL make -s "
			"--no-print-directory check-model MODEL=solution "
			"SANITIZE=memory >/dev/null 2>/tmp/concur-cm-err");
	ck_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
	FILE *f = fopen("/tmp/concur-cm-err", "r");
	ck_assert_ptr_nonnull(f);
	char line[512] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	unlink("/tmp/concur-cm-err");
	ck_assert_msg(strstr(line, "SANITIZE must be thread, address or "
				   "undefined"),
		      "%s", line);
}
END_TEST

Suite *test_suite(void)
{
	choose_builtin();
	Suite *s = suite_create("grade");
	TCase *tc = runner_tcase(s, "check-model", 240);
	tcase_add_loop_test(tc, bad_model_exits_2_listing_the_models, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, bad_sanitize_exits_2_before_building);
	tcase_add_test(tc, untouched_skeleton_fails_with_the_lost_task_hint);
	tcase_add_loop_test(tc, each_answer_passes_and_is_timed, 0,
			    (int)(sizeof(answers) / sizeof(answers[0])));
	tcase_add_test(tc, untouched_tally_loses_updates_and_says_so);
	tcase_add_test(tc, the_solution_is_only_in_the_teachers_build);
	tcase_add_test(tc, every_builtin_model_passes);
	tcase_add_test(tc, grade_help_is_usage_and_exit_0);
	tcase_add_test(tc, grade_file_names_the_student_and_keeps_its_scale);
	tcase_add_loop_test(tc, each_classic_bug_fails_with_its_hint, 0,
			    (int)(sizeof(classic) / sizeof(classic[0])));
	return s;
}
