// SPDX-License-Identifier: MIT
/*
 * runner.h - the one `main` of every test suite (tests/support/runner.c).
 * A suite file defines test_suite(), which builds its Check suite; the
 * runner runs it (each test in a forked process, Check's default), prints
 * Check's summary line, which tests/run-tests.sh adds up, and exits 0 when
 * every test passed, else 1.
 */
#ifndef CONCUR_TEST_RUNNER_H
#define CONCUR_TEST_RUNNER_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/* Defined by each suite file: its tests. It may print one line and exit
 * when the suite cannot be built. */
Suite *test_suite(void);

/* A new test case of s called name, with a time limit of timeout_s
 * seconds for each of its tests (0: Check's default, 4 s); scaled by
 * CK_TIMEOUT_MULTIPLIER, as every Check limit is. */
TCase *runner_tcase(Suite *s, const char *name, double timeout_s);

/* A long suite can be run in parts at once (TESTS_SPLIT in the Makefile):
 * tests/run-tests.sh runs its binary n times with CONCUR_TEST_PART="k/n",
 * k = 1..n. Is item i of the suite's own list (e.g. its loop's pairs) in
 * this part? Item i is in part i % n + 1, so each item runs in exactly
 * one part; without the variable every item is in. A bad value ends the
 * suite with exit status 2. */
bool runner_in_part(size_t i);

/* tcase_add_loop_test for the suite's part: of _i = start .. end - 1, the
 * ones in this part (runner_in_part(_i - start)), each added as a loop of
 * one, so that Check counts only this part's checks. */
void runner_loop_test(TCase *tc, const TTest *fn, int start, int end);

/* tcase_add_test in part 1 only (the whole suite when not in parts). */
void runner_test(TCase *tc, const TTest *fn);

#endif
