// SPDX-License-Identifier: MIT
/*
 * test_grade.c - `make check-model` passes what is right, timed: every
 * built-in model passes, and so do the two exercises' answers, which only
 * the teacher's build has, each with its speed check against threads; the
 * grade file says whose source it graded, where, and has the same checks
 * with and without a sanitizer. These grades time the models, so this
 * suite runs alone (Makefile TESTS_ALONE); what fails and why, with no
 * timing at stake, is test_grade_bugs, which runs in the pool.
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/external/python.h"
#include "models/model.h"
#include "tests/support/files.h"
#include "tests/support/grade_file.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static struct grade_said said;

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
	int rc = grade_quick(grade_teacher_bin(), answers[_i].model, &said);
	ck_assert_msg(rc == 0, "%s: exit %d: %s %s", answers[_i].model, rc,
		      said.out, said.err);
	ck_assert_msg(strstr(said.out, answers[_i].speed_check) &&
			      strstr(said.out, "speed ratio"),
		      "%s: no speed ratio: %s", answers[_i].model, said.out);
	double score;
	ck_assert_int_eq(
		grade_file_check(said.json, &score, answers[_i].checks), 0);
	files_rm_dir(said.dir);
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
		files_tmp_dir(said.dir, sizeof(said.dir), "grade-scale");
		snprintf(json, sizeof(json), "%s/results.json", said.dir);
		snprintf(args, sizeof(args),
			 "grade solution --quick --out %s --student ana%s",
			 json, k ? " --sanitize thread" : "");
		int rc = support_run_bin(grade_teacher_bin(), args, said.out,
					 sizeof(said.out), said.err,
					 sizeof(said.err));
		ck_assert_msg(rc == 0, "exit %d: %s %s", rc, said.out,
			      said.err);
		grade_scale(json, &n[k], &max[k], &extra[k]);
		files_rm_dir(said.dir);
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

/* The models `make check-model` must pass: every one that is not an
 * exercise (Python ones only where Python can run them), and not py-dask:
 * its cluster start costs this suite, which runs alone, over a minute,
 * and test_conformance already runs it through every scenario. */
static const struct model *builtin[32];
static size_t n_builtin;

static void choose_builtin(void)
{
	const char *ci = getenv("CI");
	char why[512];
	int python = (ci && !strcmp(ci, "true")) ||
		     python_find(NULL, why, sizeof(why)) != NULL;
	n_builtin = support_models(builtin, 32,
				   MODEL_EXERCISE | MODEL_DASK |
					   (python ? 0 : MODEL_EXTERNAL));
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
		files_read_into(path, said.out, sizeof(said.out));
		ck_assert_msg(rc == 0, "check-model %s: exit %d:\n%s", name, rc,
			      said.out);
		snprintf(path, sizeof(path), "%s/%s/results.json", dir, name);
		double score;
		ck_assert_int_eq(grade_file_check(path, &score, 10), 0);
	}
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	choose_builtin();
	Suite *s = suite_create("grade");
	TCase *tc = runner_tcase(s, "check-model", 240);
	tcase_add_loop_test(tc, each_answer_passes_and_is_timed, 0,
			    (int)(sizeof(answers) / sizeof(answers[0])));
	tcase_add_test(tc, every_builtin_model_passes);
	tcase_add_test(tc, grade_file_names_the_student_and_keeps_its_scale);
	return s;
}
