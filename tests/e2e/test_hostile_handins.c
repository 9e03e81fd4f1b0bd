// SPDX-License-Identifier: MIT
/*
 * test_hostile_handins.c - `concur class` and `concur report` on the
 * files a hostile student hands in (issue 25, item 4): a FIFO as
 * summary.csv, a lesson.json with fields missing or of the wrong type, a
 * summary.csv of 8,000 rows, a file over the size cap, and a bad cap
 * flag. Each hand-in is made here and put in a class with one good
 * hand-in: the page is written for the good one, the bad one is refused
 * in one line naming it and the cap, and the TMPDIR the test gives concur
 * is empty afterwards. Every command runs under `timeout`, so a hang is a
 * failure, not a stuck suite. Archives, links and signals are
 * test_hostile_archives.c; the helpers both share, tests/support/handin.h.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/handin.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* A FIFO as summary.csv blocked open() forever; now fstat refuses it. */
START_TEST(fifo_as_summary_csv_is_refused_not_waited_for)
{
	handin_scratch();
	handin_sh("cd %s/c && cp -r good fifo && rm fifo/summary.csv && "
		  "mkfifo fifo/summary.csv && mkfifo fifo/lesson.json",
		  handin_dir);
	handin_class_refuses(1, "");
	handin_assert_said("/c/fifo", "summary.csv is not a regular file");
	files_rm_dir(handin_dir);
}
END_TEST

/* {"lesson": 1} crashed the page (html_text(NULL)); every field the page
 * shows is checked, and meta.json of the wrong shapes is shown as text. */
START_TEST(lesson_json_missing_or_wrong_fields_are_refused)
{
	static const char *const bad[][2] = {
		{"{\"lesson\": 1}", "\"title\" is not text"},
		{"{\"lesson\": 1, \"title\": \"t\", \"question\": 5}",
		 "\"question\" is not text"},
		{"{\"lesson\": \"1\", \"title\": \"t\", \"question\": \"q\"}",
		 "\"lesson\" is not a lesson's number"},
		{"{\"lesson\": 99999999999, \"title\": \"t\"}",
		 "\"lesson\" is not a lesson's number"},
		{"{\"lesson\": 1, \"title\": \"t\", \"question\": \"q\", "
		 "\"prediction\": \"lots\"}",
		 "\"prediction\" is not a number"},
		{"[1, 2]", "not a JSON object"},
	};
	char path[256];
	handin_scratch();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		handin_sh("cp -r %s/c/good %s/c/lesson%zu", handin_dir,
			  handin_dir, i);
		snprintf(path, sizeof(path), "%s/c/lesson%zu/lesson.json",
			 handin_dir, i);
		handin_write_file(path, bad[i][0]);
	}
	/* a title of 100 KB: the page is not the place for it */
	handin_sh(
		"cp -r %s/c/good %s/c/lesson-huge && python3 -c \"import json; "
		"print(json.dumps({'lesson': 1, 'title': 'x' * 100000, "
		"'question': 'q'}))\" > %s/c/lesson-huge/lesson.json",
		handin_dir, handin_dir, handin_dir);
	/* meta.json with every field of the wrong type: read, not crashed on
	 * (the good set itself, so the page must still show good-host) */
	snprintf(path, sizeof(path), "%s/c/good/meta.json", handin_dir);
	handin_write_file(path,
			  "{\"machine\": {\"host\": \"good-host\", \"cores\": "
			  "[{\"a\": [1, {}]}], \"cpu_model\": {\"x\": 1}}, "
			  "\"options\": 7, \"versions\": [], \"status\": null, "
			  "\"date\": 1e308}");
	handin_class_refuses(7, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/c/lesson%zu", i);
		handin_assert_said(path, bad[i][1]);
	}
	handin_assert_said("/c/lesson-huge", "\"title\" is longer than");
	files_rm_dir(handin_dir);
}
END_TEST

/* An 8,000-row summary.csv took seconds and wrote a 20 MB page: over
 * --max-rows it is refused; the flag raises the cap. */
START_TEST(summary_over_the_row_cap_is_refused_and_the_flag_raises_it)
{
	handin_scratch();
	handin_sh("cd %s/c && cp -r good big && (head -1 good/summary.csv; "
		  "for i in $(seq 1 8000); do echo \"w$i,threads,2,4,1,2,0.006,"
		  "0.005,0.007,1.7,yes\"; done) > big/summary.csv",
		  handin_dir);
	handin_class_refuses(1, "");
	handin_assert_said(
		"/c/big",
		"more than 2000 rows (the cap; --max-rows raises it)");
	/* raised, the cap lets a big (2,500-row) set in */
	handin_sh(
		"cd %s/c/big && head -2501 summary.csv > s && mv s summary.csv",
		handin_dir);
	int rc = handin_concur("class --max-rows 3000 --out %s/class.html %s/c",
			       handin_dir, handin_dir);
	ck_assert_msg(rc == 0 && strstr(handin_out, "(2 sets, 0 refused)"),
		      "exit %d: %s%s", rc, handin_out, handin_err);
	handin_assert_no_temp_left();
	files_rm_dir(handin_dir);
}
END_TEST

/* A set's file over --max-size (8 MB) is not read. */
START_TEST(file_over_the_size_cap_is_refused)
{
	handin_scratch();
	handin_sh(
		"cd %s/c && cp -r good fat && python3 -c \"import json; "
		"print(json.dumps({'machine': {'host': 'x' * (9 << 20)}}))\" > "
		"fat/meta.json",
		handin_dir);
	handin_class_refuses(1, "");
	handin_assert_said(
		"/c/fat",
		"meta.json is larger than 8 MB (the cap; --max-size raises "
		"it)");
	files_rm_dir(handin_dir);
}
END_TEST

/* `concur report SET` with FIFOs in the set: one line, no hang. */
START_TEST(report_of_a_set_with_a_fifo_says_one_line)
{
	handin_scratch();
	handin_sh("cd %s/c && mkfifo good/wall.svg", handin_dir);
	int rc = handin_concur("report %s/c/good", handin_dir);
	ck_assert_msg(rc == 0, "exit %d: %s%s", rc, handin_out, handin_err);
	ck_assert_msg(
		support_lines(handin_err) == 1 &&
			strstr(handin_err, "wall.svg is not a regular file"),
		"%s", handin_err);
	handin_sh("cd %s/c && rm good/summary.csv && mkfifo good/summary.csv",
		  handin_dir);
	rc = handin_concur("report %s/c/good", handin_dir);
	ck_assert_msg(rc == 2, "exit %d: %s%s", rc, handin_out, handin_err);
	ck_assert_msg(
		support_lines(handin_err) == 1 &&
			strstr(handin_err, "summary.csv is not a regular file"),
		"%s", handin_err);
	handin_assert_no_temp_left();
	files_rm_dir(handin_dir);
}
END_TEST

/* A bad cap is one line and exit 2, like every bad flag. */
START_TEST(a_bad_cap_flag_is_one_line_and_exit_2)
{
	handin_scratch();
	ck_assert_int_eq(handin_concur("class --max-size 0 %s/c", handin_dir),
			 2);
	ck_assert_int_eq(support_lines(handin_err), 1);
	ck_assert_int_eq(
		handin_concur("class --max-depth 1000 %s/c", handin_dir), 2);
	ck_assert_int_eq(support_lines(handin_err), 1);
	ck_assert_int_eq(handin_concur("class %s/c --max-rows", handin_dir), 2);
	ck_assert_int_eq(support_lines(handin_err), 1);
	ck_assert_int_eq(handin_concur("class --help"), 0);
	ck_assert_msg(strstr(handin_out, "--max-unpacked MB") &&
			      strstr(handin_out, "--max-entries N"),
		      "%s", handin_out);
	files_rm_dir(handin_dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_handins");
	TCase *tc = runner_tcase(s, "hostile_handins", 120);
	tcase_add_test(tc, fifo_as_summary_csv_is_refused_not_waited_for);
	tcase_add_test(tc, lesson_json_missing_or_wrong_fields_are_refused);
	tcase_add_test(
		tc, summary_over_the_row_cap_is_refused_and_the_flag_raises_it);
	tcase_add_test(tc, file_over_the_size_cap_is_refused);
	tcase_add_test(tc, report_of_a_set_with_a_fifo_says_one_line);
	tcase_add_test(tc, a_bad_cap_flag_is_one_line_and_exit_2);
	return s;
}
