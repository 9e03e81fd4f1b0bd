// SPDX-License-Identifier: MIT
/*
 * grade_file.h - what the grading suites (test_grade, test_grade_bugs,
 * test_grade_hostile) share: one quick grade and what it said, the
 * teacher's grader, the arguments that grade a fixture (an answer with a
 * bug or a hostile act patched in, built by `make fixtures` into
 * $BUILD/fixtures/NAME/), and the grade file checked as Gradescope's
 * results.json whose scores add up.
 */
#ifndef CONCUR_TESTS_GRADE_FILE_H
#define CONCUR_TESTS_GRADE_FILE_H

#include <stddef.h>

/* $BUILD/teacher/concur-grade, which `make test` builds: the only grader
 * that knows the models `solution` and `tally_solution`. */
const char *grade_teacher_bin(void);

/* What one `BIN grade MODEL --quick` said: its grade file's directory
 * (fresh) and path, and its output. */
struct grade_said {
	char dir[64];
	char json[256];
	char out[64 * 1024];
	char err[16 * 1024];
};

/* Runs `bin grade model --quick --out g->json` into a fresh directory;
 * returns the exit status. */
int grade_quick(const char *bin, const char *model, struct grade_said *g);

/* Makes a fresh directory (into dir) and the arguments grading `answer`
 * in fixture `name`'s host, with the grade file at dir/results.json
 * (into json). */
void grade_fixture_args(const char *name, const char *answer, char *dir,
			size_t dir_len, char *args, size_t args_len, char *json,
			size_t json_len);

/* Parses the grade file; checks its layout (at least min_tests checks)
 * and that the scores add up (ck_assert). Returns the number of
 * conformance checks that failed; the total score into *score. */
int grade_file_check(const char *path, double *score, size_t min_tests);

#endif
