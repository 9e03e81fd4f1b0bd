// SPDX-License-Identifier: MIT
/*
 * grade_file.c - the grading suites' shared helpers (grade_file.h).
 */
#include "tests/support/grade_file.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/support.h"

static const char *grade_build(void)
{
	const char *build = getenv("BUILD");
	return build && build[0] ? build : "build";
}

const char *grade_teacher_bin(void)
{
	static char path[4200];
	snprintf(path, sizeof(path), "%s/teacher/concur-grade", grade_build());
	return path;
}

int grade_quick(const char *bin, const char *model, struct grade_said *g)
{
	char args[512];
	files_tmp_dir(g->dir, sizeof(g->dir), "grade");
	snprintf(g->json, sizeof(g->json), "%s/results.json", g->dir);
	snprintf(args, sizeof(args), "grade %s --quick --out %s", model,
		 g->json);
	return support_run_bin(bin, args, g->out, sizeof(g->out), g->err,
			       sizeof(g->err));
}

void grade_fixture_args(const char *name, const char *answer, char *dir,
			size_t dir_len, char *args, size_t args_len, char *json,
			size_t json_len)
{
	char fixture[512];
	snprintf(fixture, sizeof(fixture), "%s/fixtures/%s", grade_build(),
		 name);
	files_tmp_dir(dir, dir_len, "grade-fixture");
	snprintf(json, json_len, "%s/results.json", dir);
	snprintf(args, args_len,
		 "grade %s --quick --out %s --host %s/concur-host --source "
		 "%s/answer.c",
		 answer, json, fixture, fixture);
}

/* One check of the file: its fields well formed; adds its score. */
static int grade_file_test(json_t *t, double *sum)
{
	json_t *s = json_object_get(t, "score");
	json_t *m = json_object_get(t, "max_score");
	ck_assert(json_is_string(json_object_get(t, "name")));
	ck_assert(json_is_string(json_object_get(t, "output")));
	ck_assert(json_is_number(s) && json_is_number(m));
	ck_assert(json_number_value(s) >= 0 &&
		  json_number_value(s) <= json_number_value(m));
	*sum += json_number_value(s);
	return strstr(json_string_value(json_object_get(t, "name")),
		      "conformance") &&
	       json_number_value(s) < json_number_value(m);
}

int grade_file_check(const char *path, double *score, size_t min_tests)
{
	json_error_t e;
	json_t *root = json_load_file(path, 0, &e);
	ck_assert_msg(root, "%s does not parse: %s", path, e.text);
	json_t *tests = json_object_get(root, "tests");
	ck_assert(json_is_array(tests) && json_array_size(tests) >= min_tests);
	ck_assert(json_is_string(json_object_get(root, "output")));
	double sum = 0;
	int failed = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tests, i, t) failed += grade_file_test(t, &sum);
	*score = json_number_value(json_object_get(root, "score"));
	ck_assert_msg(fabs(*score - sum) < 1e-9,
		      "score %g, checks add up to %g", *score, sum);
	json_decref(root);
	return failed;
}
