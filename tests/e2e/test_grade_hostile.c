// SPDX-License-Identifier: MIT
/*
 * test_grade_hostile.c - hand-ins that cheat or harm, graded by the
 * teacher's grader: each is the exercise's answer with a hostile act
 * patched in (tests/e2e/fixtures/hostile-*.sed, built by `make fixtures`).
 * The grade comes only from what the grader saw: a model that exits 0 at
 * once scores nothing; one that forges results.json (from a constructor
 * and a destructor) and claims every task done scores nothing, and the
 * grade file is the grader's; a `setsid` child does not outlive the
 * grading and fails the run; 20 GiB is refused (the address-space limit)
 * and the model, otherwise right, passes; the speed check's baseline runs
 * where no student code is. A student's name that is not
 * UTF-8 is escaped, and the grade file still written.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/grade_file.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char out[64 * 1024], err[16 * 1024];
static char dir[64], args[2048], json[256];

/* Grades `solution` with the hostile fixture `name` patched in; returns
 * the grader's exit status (out, err hold what it printed). */
static int grade_hostile(const char *name, const char *more)
{
	grade_fixture_args(name, "solution", dir, sizeof(dir), args,
			   sizeof(args), json, sizeof(json));
	strncat(args, more, sizeof(args) - strlen(args) - 1);
	return support_run_bin(grade_teacher_bin(), args, out, sizeof(out), err,
			       sizeof(err));
}

/* The grader's log of the hosts' stderr, read whole (NULL: none). */
static char *grade_log(void)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/conformance.log", dir);
	return files_read(path, NULL);
}

START_TEST(a_model_that_exits_at_once_scores_nothing)
{
	int rc = grade_hostile("hostile-exit0",
			       " --student $(printf 'ana\\377\\376')");
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, out, err);
	double score;
	ck_assert_int_eq(grade_file_check(json, &score, 10), 11);
	ck_assert_msg(score <= 1.0, "score %g for nothing:\n%s", score, out);
	ck_assert_msg(strstr(out, "the run ended before reporting task 0"),
		      "%s", out);
	json_t *root = json_load_file(json, 0, NULL);
	const char *who = json_string_value(json_object_get(
		json_object_get(root, "extra_data"), "student"));
	ck_assert_str_eq(who, "ana\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(root);
	files_rm_dir(dir);
}
END_TEST

/* The forger writes full marks into the grade file's own path (passed
 * in its environment, as a student who read the Makefile would guess)
 * at every start and exit, and claims every task ok. The file left is
 * the grader's: its checks, its low score, no "forged" field. */
START_TEST(a_forged_grade_file_is_replaced_by_the_graders)
{
	grade_fixture_args("hostile-forge", "solution", dir, sizeof(dir), args,
			   sizeof(args), json, sizeof(json));
	setenv("CONCUR_FORGE_TARGET", json, 1);
	int rc = support_run_bin(grade_teacher_bin(), args, out, sizeof(out),
				 err, sizeof(err));
	unsetenv("CONCUR_FORGE_TARGET");
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, out, err);
	char *log = grade_log();
	ck_assert_msg(log && strstr(log, "forge: results.json written"),
		      "the forger never ran: %s", log ? log : "(no log)");
	free(log);
	double score;
	ck_assert_int_ge(grade_file_check(json, &score, 10), 10);
	ck_assert_msg(score <= 1.0, "score %g for forged results", score);
	char *file = files_read(json, NULL);
	ck_assert_msg(file && !strstr(file, "forged"), "%s", file);
	free(file);
	files_rm_dir(dir);
}
END_TEST

/* How many processes are named `comm` now. */
static int processes_named(const char *comm)
{
	DIR *d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9') {
			char path[300], name[64] = "";
			snprintf(path, sizeof(path), "/proc/%s/comm",
				 e->d_name);
			FILE *f = fopen(path, "r");
			if (f && fgets(name, sizeof(name), f))
				found += !strncmp(name, comm, strlen(comm));
			if (f)
				fclose(f);
		}
	closedir(d);
	return found;
}

START_TEST(a_setsid_child_is_killed_and_fails_the_run)
{
	ck_assert_int_eq(processes_named("concur-orphan"), 0);
	int rc = grade_hostile("hostile-setsid", "");
	ck_assert_msg(rc == 1, "exit %d, not 1: %s %s", rc, out, err);
	ck_assert_int_eq(processes_named("concur-orphan"), 0);
	ck_assert_msg(strstr(out, "it left 1 process(es) running after it "
				  "ended (killed by the grader)"),
		      "%s", out);
	files_rm_dir(dir);
}
END_TEST

/* A sanitized host has no address-space limit (its shadow memory needs
 * terabytes); its sanitizer refuses any one allocation over the same 4 GiB
 * instead (grade_host.c): the refusal is the same in every build. */
START_TEST(twenty_gib_are_refused_and_the_model_still_passes)
{
	int rc = grade_hostile("hostile-hog", "");
	ck_assert_msg(rc == 0, "exit %d, not 0: %s %s", rc, out, err);
	double score;
	ck_assert_int_eq(grade_file_check(json, &score, 10), 0);
	char *log = grade_log();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "hog: 20 GiB refused") &&
			      !strstr(log, "hog: holding"),
		      "%s", log);
	free(log);
	files_rm_dir(dir);
}
END_TEST

/* The speed check's baseline (threads) runs in the grader's reference
 * host, without student code: a constructor that slows threads down in
 * the student's host never runs there. */
START_TEST(the_speed_baseline_runs_without_student_code)
{
	int rc = grade_hostile("hostile-slow-baseline", "");
	ck_assert_msg(rc == 0, "exit %d, not 0: %s %s", rc, out, err);
	char *log = grade_log();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "slow-baseline: in the host of solution"),
		      "the fixture never ran: %s", log);
	ck_assert_msg(!strstr(log, "slow-baseline: slowing threads"), "%s",
		      log);
	free(log);
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("grade_hostile");
	TCase *tc = runner_tcase(s, "hostile", 240);
	tcase_add_test(tc, a_model_that_exits_at_once_scores_nothing);
	tcase_add_test(tc, a_forged_grade_file_is_replaced_by_the_graders);
	tcase_add_test(tc, a_setsid_child_is_killed_and_fails_the_run);
	tcase_add_test(tc, twenty_gib_are_refused_and_the_model_still_passes);
	tcase_add_test(tc, the_speed_baseline_runs_without_student_code);
	return s;
}
