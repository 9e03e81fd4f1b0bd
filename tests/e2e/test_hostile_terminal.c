// SPDX-License-Identifier: MIT
/*
 * test_hostile_terminal.c - what concur prints of a hand-in obeys
 * nothing. A set with terminal control sequences in its names, its
 * meta.json and its folder name, and a program that writes them on its
 * stderr and in its results, leave no raw control byte in what
 * `concur compare`, `report`, `class` and `run` print: each escape is
 * shown as text. What the pages show is test_hostile_pages.c; the sets
 * both make, tests/support/hostile_set.h.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tests/support/hostile_set.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* No byte in out that a terminal obeys: C0 controls but \n and \t, DEL,
 * and the C1 CSI (UTF-8 c2 9b); and the escapes shown as text. */
static void assert_no_control(const char *out, const char *what)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		int control = (*p < 0x20 && *p != '\n' && *p != '\t') ||
			      *p == 0x7f || (p[0] == 0xc2 && p[1] == 0x9b);
		ck_assert_msg(!control,
			      "%s: a raw control byte 0x%02x at offset %ld",
			      what, *p, (long)(p - (const unsigned char *)out));
	}
	ck_assert_msg(strstr(out, "\\x1b"), "%s: the escape is not shown:\n%s",
		      what, out);
}

#define ESC_WORKLOAD "c\033]0;PWNED\007"
#define ESC_MODEL "t\033[2J\302\2332J\177"

START_TEST(control_bytes_in_a_set_reach_no_terminal)
{
	char a[512], b[512], qa[1200], qb[1200], out[65536];
	snprintf(a, sizeof(a), "%s/e1\033]0;PWNED\007", hostile_dir);
	snprintf(b, sizeof(b), "%s/e2\033[2J", hostile_dir);
	hostile_copy_set(hostile_run_set, a);
	hostile_copy_set(hostile_run_set, b);
	const char *sets[] = {a, b};
	for (size_t i = 0; i < 2; i++) {
		hostile_rename_cases(sets[i], "summary.csv", ESC_WORKLOAD,
				     ESC_MODEL);
		hostile_rename_cases(sets[i], "runs.csv", ESC_WORKLOAD,
				     ESC_MODEL);
		/* a key (printed as it is) and a value that differ */
		hostile_poison_meta(sets[i],
				    i ? "\302\233"
					"2J"
				      : "\033[2J",
				    "k\033]0;PWNED\007");
	}
	/* the only-in-A and only-in-B lines */
	hostile_rename_cases(b, "summary.csv", "d\033[2J", ESC_MODEL);
	hostile_sq(a, qa, sizeof(qa));
	hostile_sq(b, qb, sizeof(qb));
	hostile_concur_expect(
		2, out, sizeof(out),
		"compare %s %s; %s report %s; %s class --out %s/e.html "
		"%s %s; %s compare %s %s/none\033[2J",
		qa, qb, support_bin(), qa, support_bin(), hostile_dir, qa, qb,
		support_bin(), qa, hostile_dir);
	assert_no_control(out, "compare, report and class");
	ck_assert_msg(strstr(out, "only in A") && strstr(out, "only in B") &&
			      strstr(out, "report: ") &&
			      strstr(out, "class: ") &&
			      strstr(out, "not a result set"),
		      "a command said less than it should:\n%s", out);
}
END_TEST

/* A model program (a fake Python: tests/e2e/fake-models/escapes.sh)
 * writes escapes on its stderr, in a task's message and in a line that
 * is not JSON: the run passes on its stderr and prints the note and the
 * wrong result, all made safe. */
START_TEST(control_bytes_from_a_program_reach_no_terminal)
{
	char out[65536];
	hostile_concur_expect(
		1, out, sizeof(out), /* 1: the results are wrong */
		"run --python tests/e2e/fake-models/escapes.sh --models "
		"py-threads --workloads compute --tasks 2 --work 1 "
		"--workers 1 --repeat 1 --no-plot --out %s/fake",
		hostile_dir);
	assert_no_control(out, "concur run of a hostile program");
	ck_assert_msg(
		strstr(out, "\\x1b]0;PWNED\\x07\\x1b[2Jstderr: cleared") &&
			strstr(out, "CSI \\xc2\\x9b2J and DEL \\x7f") &&
			strstr(out, "the first: \\x1b[31mnot JSON") &&
			strstr(out, "sum 0000000000000000: "
				    "\\x1b]0;PWNED\\x07"),
		"the program's words are not all shown:\n%s", out);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_terminal");
	TCase *tc = runner_tcase(s, "hostile terminal", 300);
	tcase_add_unchecked_fixture(tc, hostile_sets_make, hostile_sets_remove);
	tcase_add_test(tc, control_bytes_in_a_set_reach_no_terminal);
	tcase_add_test(tc, control_bytes_from_a_program_reach_no_terminal);
	return s;
}
