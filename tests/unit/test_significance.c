// SPDX-License-Identifier: MIT
/* test_significance.c - the statistics of `concur compare`, against values
 * from the tables and by hand. */
#include <check.h>
#include <math.h>

#include "tests/support/runner.h"
#include "harness/report/significance.h"

START_TEST(u_counts_the_pairs_where_a_is_larger)
{
	double a[] = {3, 5}, b[] = {1, 4, 5};
	/* 3>1, 5>1, 5>4, 5=5 (a half) */
	ck_assert_double_eq(significance_u(a, 2, b, 3), 3.5);
}
END_TEST

START_TEST(exact_u_matches_the_textbook_table)
{
	/* Critical U for n1 = n2 = 8, two-sided 0.05: 13 (one-sided 0.025). */
	ck_assert(significance_u_cdf(8, 8, 13) <= 0.025);
	ck_assert(significance_u_cdf(8, 8, 14) > 0.025);
	/* n1 = n2 = 5: critical U is 2. */
	ck_assert(significance_u_cdf(5, 5, 2) <= 0.025);
	ck_assert(significance_u_cdf(5, 5, 3) > 0.025);
	/* 3 against 3: 1 arrangement of 20 has U = 0. */
	ck_assert_double_eq_tol(significance_u_cdf(3, 3, 0), 1.0 / 20, 1e-12);
	ck_assert_double_eq_tol(significance_u_cdf(3, 3, 9), 1.0, 1e-12);
}
END_TEST

START_TEST(separated_samples_give_the_smallest_p)
{
	double a[] = {1.0, 1.1, 1.2, 1.3}, b[] = {2.0, 2.1, 2.2, 2.3};
	/* 2 of the 70 arrangements are this extreme. */
	ck_assert_double_eq_tol(significance_mann_whitney(a, 4, b, 4), 2.0 / 70,
				1e-12);
	ck_assert_double_eq_tol(significance_min_p(4, 4), 2.0 / 70, 1e-12);
	ck_assert_double_eq_tol(significance_min_p(3, 3), 0.1, 1e-12);
}
END_TEST

START_TEST(ties_use_the_corrected_normal_approximation)
{
	double a[] = {1, 1, 1, 1}, b[] = {1, 1, 1, 1};
	ck_assert_double_eq(significance_mann_whitney(a, 4, b, 4), 1.0);
	/* Ties across, separated otherwise: p well under 0.05 for 10 vs 10. */
	double c[10], d[10];
	for (int i = 0; i < 10; i++) {
		c[i] = 1 + (i % 3);
		d[i] = 5 + (i % 3);
	}
	double p = significance_mann_whitney(c, 10, d, 10);
	ck_assert(p > 0 && p < 0.001);
}
END_TEST

START_TEST(order_statistics_bound_the_median)
{
	double v[] = {10, 2, 9, 4, 7, 5, 3, 8, 6, 1};
	double lo, hi;
	/* n = 10, 95%: [x(2), x(9)], which covers 97.85%. */
	ck_assert_int_eq(significance_median_ci(v, 10, 0.95, &lo, &hi), 0);
	ck_assert_double_eq(lo, 2);
	ck_assert_double_eq(hi, 9);
	/* Five runs cannot give a 95% interval (the best covers 93.75%). */
	ck_assert_int_eq(significance_median_ci(v, 5, 0.95, &lo, &hi), -1);
	ck_assert_int_eq(significance_median_ci(v, 6, 0.95, &lo, &hi), 0);
}
END_TEST

START_TEST(bootstrap_interval_holds_the_ratio)
{
	double a[] = {1.0, 1.0, 1.0, 1.0}, b[] = {2.0, 2.0, 2.0, 2.0};
	double lo, hi;
	significance_ratio_ci(a, 4, b, 4, &lo, &hi);
	ck_assert_double_eq(lo, 2.0);
	ck_assert_double_eq(hi, 2.0);
	double x[] = {1.0, 1.1, 0.9, 1.05, 0.95}, y[] = {1.5, 1.6, 1.4, 1.55};
	significance_ratio_ci(x, 5, y, 4, &lo, &hi);
	ck_assert(lo <= 1.5 && hi >= 1.5 && lo > 1.2 && hi < 1.9);
}
END_TEST

START_TEST(verdicts_say_what_the_runs_allow)
{
	double a[] = {1.0, 1.1, 1.2, 1.3, 1.05},
	       b[] = {2.0, 2.1, 2.2, 2.3, 2.05};
	ck_assert_int_eq(significance_compare(a, 5, b, 5).verdict,
			 SIG_B_SLOWER);
	ck_assert_int_eq(significance_compare(b, 5, a, 5).verdict,
			 SIG_B_FASTER);
	double c[] = {1.0, 1.3, 1.1, 1.25, 1.05};
	ck_assert_int_eq(significance_compare(a, 5, c, 5).verdict, SIG_SAME);
	/* Three runs each: no test can reach 0.05. */
	ck_assert_int_eq(significance_compare(a, 3, b, 3).verdict, SIG_TOO_FEW);
	ck_assert_str_eq(significance_words(SIG_SAME),
			 "no measurable difference");
}
END_TEST

/* Holm's step-down: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1,
 * each at least the one before; one case is left as it is. */
START_TEST(holm_adjusts_the_cases_tested_together)
{
	double p[] = {0.01, 0.04, 0.03, 0.005};
	significance_holm(p, 4);
	ck_assert_double_eq_tol(p[3], 0.02, 1e-12);
	ck_assert_double_eq_tol(p[0], 0.03, 1e-12);
	ck_assert_double_eq_tol(p[2], 0.06, 1e-12);
	ck_assert_double_eq_tol(p[1], 0.06, 1e-12);
	double one[] = {0.3};
	significance_holm(one, 1);
	ck_assert_double_eq(one[0], 0.3);
	double big[] = {0.5, 0.6};
	significance_holm(big, 2);
	ck_assert_double_eq(big[0], 1.0);
	ck_assert_double_eq(big[1], 1.0);
	/* a change called at p = 0.01 is not one at its adjusted 0.2 */
	struct significance sig = {0.5, 0.4, 0.6, 0.01, SIG_B_FASTER};
	significance_reverdict(&sig, 0.2);
	ck_assert_int_eq(sig.verdict, SIG_SAME);
}
END_TEST

static Suite *significance_suite(void)
{
	Suite *s = suite_create("significance");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, u_counts_the_pairs_where_a_is_larger);
	tcase_add_test(tc, exact_u_matches_the_textbook_table);
	tcase_add_test(tc, separated_samples_give_the_smallest_p);
	tcase_add_test(tc, ties_use_the_corrected_normal_approximation);
	tcase_add_test(tc, order_statistics_bound_the_median);
	tcase_add_test(tc, bootstrap_interval_holds_the_ratio);
	tcase_add_test(tc, verdicts_say_what_the_runs_allow);
	tcase_add_test(tc, holm_adjusts_the_cases_tested_together);
	suite_add_tcase(s, tc);
	return s;
}

Suite *test_suite(void)
{
	return significance_suite();
}
