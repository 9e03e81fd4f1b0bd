// SPDX-License-Identifier: MIT
/*
 * test_tutorial.c - TUTORIAL.md cannot go stale: its command blocks marked
 * for testing are extracted and run, and every lesson section must have
 * one.
 *
 * A marked block is fenced with the info string `sh test` (must succeed)
 * or `sh test fails` (must exit non-zero, as `make check-model` does on
 * the untouched exercise). Before running, `build/concur` becomes the
 * binary under test, lesson commands get `--quick --no-pause --out TMP`
 * (a lesson's numbers are then checked against its result set, as in
 * test_lessons.c), and `make check-model` writes its grade file to TMP.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/support/files.h"
#include "tests/support/lesson_check.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define MAX_BLOCKS 96
/* "Write your own model" and "Exercise 2: ...": found by their titles,
 * numbered past any lesson. */
#define SECTION_EXERCISE 1000
#define SECTION_EXERCISE2 1001

struct block {
	int section;	 /* lesson number, SECTION_EXERCISE, or 0 */
	int must_fail;	 /* `sh test fails` */
	int line;	 /* where it starts in TUTORIAL.md */
	char text[2048]; /* the commands */
};

static struct block blocks[MAX_BLOCKS];
static size_t n_blocks;
static int last_lesson; /* the highest "## Lesson N" */

/* The section a "## " heading opens. */
static int section_of(const char *heading)
{
	int n;
	if (sscanf(heading, "## Lesson %d", &n) == 1 && n > 0 &&
	    n < SECTION_EXERCISE) {
		if (n > last_lesson)
			last_lesson = n;
		return n;
	}
	if (strstr(heading, "Write your own model"))
		return SECTION_EXERCISE;
	if (strstr(heading, "Exercise 2"))
		return SECTION_EXERCISE2;
	return 0;
}

/* Collects the marked blocks; -1 when there is no TUTORIAL.md here. */
static int read_tutorial(void)
{
	FILE *f = fopen("TUTORIAL.md", "r");
	if (!f)
		return -1;
	char line[1024];
	int section = 0, lineno = 0;
	struct block *b = NULL;
	n_blocks = 0;
	last_lesson = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (b && strncmp(line, "```", 3) == 0) {
			b = NULL;
		} else if (b) {
			strncat(b->text, line,
				sizeof(b->text) - strlen(b->text) - 1);
		} else if (strncmp(line, "## ", 3) == 0) {
			section = section_of(line);
		} else if (strncmp(line, "```sh test", 10) == 0 &&
			   n_blocks < MAX_BLOCKS) {
			b = &blocks[n_blocks++];
			memset(b, 0, sizeof(*b));
			b->section = section;
			b->must_fail = strstr(line + 10, "fails") != NULL;
			b->line = lineno;
		}
	}
	fclose(f);
	return 0;
}

/* Section s has at least one marked block. */
static void expect_block(int s)
{
	int found = 0;
	for (size_t i = 0; i < n_blocks; i++)
		found += blocks[i].section == s;
	ck_assert_msg(found,
		      "TUTORIAL.md: section %s %d has no block marked ```sh "
		      "test",
		      s == SECTION_EXERCISE    ? "'Write your own model'"
		      : s == SECTION_EXERCISE2 ? "'Exercise 2'"
					       : "Lesson",
		      s);
}

START_TEST(every_lesson_has_a_tested_block)
{
	ck_assert_msg(read_tutorial() == 0,
		      "cannot read TUTORIAL.md (run from the source tree)");
	ck_assert_msg(last_lesson >= 10, "TUTORIAL.md: no '## Lesson N' found");
	for (int s = 1; s <= last_lesson; s++)
		expect_block(s);
	expect_block(SECTION_EXERCISE);
	expect_block(SECTION_EXERCISE2);
}
END_TEST

/* The lessons `concur lesson` lists; their count is what TUTORIAL.md
 * ("Twenty lessons") and README.md ("lesson N of twenty") say, in
 * words, and each has its "## Lesson N" here, but those called by name
 * ("Beyond one machine", ...), whose sections say "(Lesson N in `build/
 * concur lesson`'s list". */
START_TEST(the_lesson_count_is_said_right)
{
	static const char *const words[] = {
		"zero",	   "one",     "two",	   "three",    "four",
		"five",	   "six",     "seven",	   "eight",    "nine",
		"ten",	   "eleven",  "twelve",	   "thirteen", "fourteen",
		"fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
		"twenty"};
	static char list[16384], err[4096];
	ck_assert_int_eq(
		support_concur("lesson", list, sizeof(list), err, sizeof(err)),
		0);
	int count = 0, n;
	for (const char *p = list; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (sscanf(p, " %d ", &n) == 1 && n == count + 1)
			count++;
	}
	ck_assert_int_ge(count, 16);
	ck_assert_int_le(count, 20);
	char want[64];
	char *tutorial = files_read("TUTORIAL.md", NULL);
	char *readme = files_read("README.md", NULL);
	ck_assert_ptr_nonnull(tutorial);
	ck_assert_ptr_nonnull(readme);
	snprintf(want, sizeof(want), "%s lessons,", words[count]);
	want[0] = (char)(want[0] - 'a' + 'A');
	ck_assert_msg(strstr(tutorial, want), "TUTORIAL.md does not say '%s'",
		      want);
	snprintf(want, sizeof(want), "lesson N of %s", words[count]);
	ck_assert_msg(strstr(readme, want), "README.md does not say '%s'",
		      want);
	int named = 0;
	for (const char *p = tutorial;
	     (p = strstr(p, " in `build/concur lesson`'s list")); p++)
		named++;
	free(tutorial);
	free(readme);
	ck_assert_int_eq(read_tutorial(), 0);
	ck_assert_int_eq(last_lesson + named, count);
}
END_TEST

/* Rewrites one command line for the test (see the top comment); returns
 * the lesson number it runs, -1 for a lesson named by a word (`concur
 * lesson beyond`), or 0. */
static int rewrite(const char *cmd, const char *tmp, char *out, size_t len)
{
	const char *build = getenv("BUILD");
	int lesson = 0;
	if (strncmp(cmd, "build/concur ", 13) == 0) {
		int n = snprintf(out, len, "%s %s", support_bin(), cmd + 13);
		char word[32];
		if (sscanf(cmd + 13, "lesson %d", &lesson) != 1 &&
		    sscanf(cmd + 13, "lesson %31[a-z]", word) == 1)
			lesson =
				-1; /* by name: lesson_check finds it by title */
		if (lesson)
			snprintf(out + n, len - (size_t)n,
				 " --quick --no-pause --out %s", tmp);
	} else if (strncmp(cmd, "make check-model", 16) == 0) {
		snprintf(out, len,
			 "env -u MAKEFLAGS -u MAKELEVEL make -s "
			 "--no-print-directory BUILD=%s %s GRADE_OUT=%s/grade."
			 "json",
			 build ? build : "build", cmd + 5, tmp);
	} else {
		snprintf(out, len, "%s", cmd);
	}
	return lesson;
}

/* Writes the block as a script; returns the lesson it runs when it runs
 * exactly one, else 0. */
static int write_script(const struct block *b, const char *tmp,
			const char *path)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	char copy[2048], cmd[4096];
	snprintf(copy, sizeof(copy), "%s", b->text);
	int lessons = 0, lesson = 0;
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		while (*line == ' ')
			line++;
		if (!line[0] || line[0] == '#')
			continue;
		int n = rewrite(line, tmp, cmd, sizeof(cmd));
		if (n) {
			lessons++;
			lesson = n;
		}
		fprintf(f, "%s\n", cmd);
	}
	fclose(f);
	return lessons == 1 ? lesson : 0;
}

static char out[256 * 1024];

START_TEST(tested_block_runs)
{
	ck_assert_int_eq(read_tutorial(), 0);
	if ((size_t)_i >= n_blocks)
		return; /* fewer blocks than the loop's upper bound */
	const struct block *b = &blocks[_i];
	char tmp[64], script[128], log[128], cmd[512];
	files_tmp_dir(tmp, sizeof(tmp), "tutorial");
	snprintf(script, sizeof(script), "%s/block.sh", tmp);
	snprintf(log, sizeof(log), "%s/stdout", tmp);
	int lesson = write_script(b, tmp, script);
	snprintf(cmd, sizeof(cmd), "sh -e %s >%s 2>%s/stderr </dev/null",
		 script, log, tmp);
	int status = system(cmd);
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	files_read_into(log, out, sizeof(out));
	if (b->must_fail)
		ck_assert_msg(
			rc > 0 && strstr(out, "hint: "),
			"TUTORIAL.md:%d should fail with a hint; exit %d: "
			"%s",
			b->line, rc, out);
	else
		ck_assert_msg(rc == 0, "TUTORIAL.md:%d exited %d:\n%s\n%s",
			      b->line, rc, b->text, out);
	if (lesson) {
		const char *problem = lesson_check(lesson, out);
		ck_assert_msg(!problem, "TUTORIAL.md:%d: %s", b->line, problem);
	}
	files_rm_dir(tmp);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tutorial");
	TCase *counts = runner_tcase(s, "counts", 30);
	runner_test(counts, the_lesson_count_is_said_right);
	TCase *tc = runner_tcase(s, "TUTORIAL.md", 240);
	runner_test(tc, every_lesson_has_a_tested_block);
	read_tutorial();
	/* In parts (TESTS_SPLIT): each part runs every other block. */
	runner_loop_test(tc, tested_block_runs, 0, (int)n_blocks);
	return s;
}
