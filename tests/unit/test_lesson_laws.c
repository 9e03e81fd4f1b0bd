// SPDX-License-Identifier: MIT
/*
 * test_lesson_laws.c - what lessons 15 and 16 may conclude from their
 * times, with made-up times: Amdahl's serial fraction fitted, a fit
 * outside [0, 1] reported as failed with no prediction from it,
 * Gustafson compared with the quantity it predicts, and a text's verdict
 * that follows the figures ("not shown" when the ranges overlap).
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "harness/lessons/scaling.h"
#include "harness/lessons/verdict.h"
#include "tests/support/runner.h"

START_TEST(a_known_serial_fraction_is_fitted_back)
{
	/* 10 s on one worker, 10% serial: P workers take 1 + 9/P. */
	struct scaling_point pts[] = {
		{1, 10, 10}, {2, 10, 5.5}, {4, 10, 3.25}, {8, 10, 2.125}};
	struct scaling_fit f = scaling_fit_amdahl(pts, 4);
	ck_assert_int_eq(f.status, SCALING_OK);
	ck_assert_int_eq(f.points, 3); /* P = 1 says nothing */
	ck_assert_double_eq_tol(f.s, 0.1, 1e-12);
	ck_assert_double_eq_tol(scaling_amdahl(&f, 64), 1 / (0.1 + 0.9 / 64),
				1e-9);
	ck_assert_double_eq_tol(scaling_gustafson(&f, 2), 1.9, 1e-12);
}
END_TEST

/* Lesson 16 on a busy machine: 2 ranks took longer than 1 (0.82x), which
 * no fraction explains (s = 1.45). */
START_TEST(slower_with_more_workers_is_a_failed_fit_with_no_prediction)
{
	struct scaling_point pts[] = {{2, 1.314, 1.609}};
	struct scaling_fit f = scaling_fit_amdahl(pts, 1);
	ck_assert_int_eq(f.status, SCALING_OUT_OF_RANGE);
	ck_assert(f.s > 1);
	ck_assert(isnan(scaling_gustafson(&f, 2)));
	ck_assert(isnan(scaling_amdahl(&f, 64)));
	char why[512];
	scaling_failure_words(&f, why, sizeof(why));
	ck_assert_msg(strstr(why, "The fit failed") && strstr(why, "1.449") &&
			      strstr(why, "No law is predicted"),
		      "%s", why);
}
END_TEST

START_TEST(faster_than_perfect_is_a_failed_fit_with_no_prediction)
{
	struct scaling_point pts[] = {{2, 1.0, 0.45}, {4, 1.0, 0.2}};
	struct scaling_fit f = scaling_fit_amdahl(pts, 2);
	ck_assert_int_eq(f.status, SCALING_OUT_OF_RANGE);
	ck_assert(f.s < 0);
	ck_assert(isnan(scaling_gustafson(&f, 4)));
	char why[512];
	scaling_failure_words(&f, why, sizeof(why));
	ck_assert_msg(strstr(why, "The fit failed"), "%s", why);
}
END_TEST

START_TEST(no_parallel_point_is_no_fit)
{
	struct scaling_point pts[] = {{1, 1.0, 1.0}, {2, 0, 0.5}};
	struct scaling_fit f = scaling_fit_amdahl(pts, 2);
	ck_assert_int_eq(f.status, SCALING_NO_POINTS);
	ck_assert(isnan(f.s));
	ck_assert(isnan(scaling_gustafson(&f, 2)));
}
END_TEST

/* Gustafson predicts T1(PN)/T_P(PN). With a serial part of 1 s and 9 s
 * of parallel work per base batch (s = 0.1), 2 workers on twice the work
 * take 1 + 9 = 10 s, one worker on it 1 + 18 = 19 s: 1.9 = 2 - 0.1. The
 * old quantity, P x T1(N)/T_P(PN) = 2 x 10 / 10 = 2, is not it. */
START_TEST(gustafson_is_compared_with_the_quantity_it_predicts)
{
	struct scaling_point pts[] = {{2, 10, 5.5}};
	struct scaling_fit f = scaling_fit_amdahl(pts, 1);
	ck_assert_double_eq_tol(f.s, 0.1, 1e-12);
	double measured = scaling_scaled_speedup(19, 10);
	ck_assert_double_eq_tol(measured, scaling_gustafson(&f, 2), 1e-12);
	ck_assert(fabs(2 * 10.0 / 10 - scaling_gustafson(&f, 2)) > 0.05);
	ck_assert(isnan(scaling_scaled_speedup(0, 10)));
}
END_TEST

/* Lesson 16's skew part on a busy machine: the static split's runs
 * (1.596-3.478 s) contain the farm's (2.066-2.737 s). */
START_TEST(overlapping_ranges_are_not_shown)
{
	double farm[] = {2.066, 2.737}, split[] = {1.596, 3.478};
	struct verdict v = verdict_compare(farm, 2, split, 2);
	ck_assert_int_eq(v.kind, VERDICT_NOT_SHOWN_OVERLAP);
	ck_assert(!verdict_shown(&v));
	char why[256];
	verdict_why_not(&v, "s", why, sizeof(why));
	ck_assert_msg(strstr(why, "overlap") && strstr(why, "2.066-2.737 s"),
		      "%s", why);
	/* Many runs do not help ranges that overlap. */
	double a[] = {1.0, 1.1, 1.2, 1.3, 1.4, 2.0};
	double b[] = {1.9, 2.1, 2.2, 2.3, 2.4, 2.5};
	v = verdict_compare(a, 6, b, 6);
	ck_assert_int_eq(v.kind, VERDICT_NOT_SHOWN_OVERLAP);
}
END_TEST

START_TEST(apart_ranges_need_enough_runs)
{
	double a[] = {1.0, 1.1}, b[] = {2.0, 2.1};
	struct verdict v = verdict_compare(a, 2, b, 2);
	ck_assert_int_eq(v.kind, VERDICT_NOT_SHOWN_FEW);
	char why[256];
	verdict_why_not(&v, "s", why, sizeof(why));
	ck_assert_msg(strstr(why, "too few runs"), "%s", why);
	double a4[] = {1.0, 1.1, 1.2, 1.05}, b4[] = {2.0, 2.1, 2.2, 2.05};
	v = verdict_compare(a4, 4, b4, 4);
	ck_assert_int_eq(v.kind, VERDICT_B_SLOWER);
	ck_assert(verdict_shown(&v));
	v = verdict_compare(b4, 4, a4, 4);
	ck_assert_int_eq(v.kind, VERDICT_B_FASTER);
	verdict_why_not(&v, "s", why, sizeof(why));
	ck_assert_str_eq(why, "");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lesson_laws");
	TCase *tc = runner_tcase(s, "laws", 0);
	tcase_add_test(tc, a_known_serial_fraction_is_fitted_back);
	tcase_add_test(
		tc,
		slower_with_more_workers_is_a_failed_fit_with_no_prediction);
	tcase_add_test(tc,
		       faster_than_perfect_is_a_failed_fit_with_no_prediction);
	tcase_add_test(tc, no_parallel_point_is_no_fit);
	tcase_add_test(tc, gustafson_is_compared_with_the_quantity_it_predicts);
	tcase_add_test(tc, overlapping_ranges_are_not_shown);
	tcase_add_test(tc, apart_ranges_need_enough_runs);
	return s;
}
