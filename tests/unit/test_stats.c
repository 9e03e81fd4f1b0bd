// SPDX-License-Identifier: MIT
/* test_stats.c - the statistics concur reports, against known values. */
#include <check.h>
#include <math.h>

#include "harness/bench/rows.h"
#include "harness/base/cli.h"
#include "harness/base/stats.h"
#include "tests/support/runner.h"

START_TEST(median_min_max_of_odd_and_even_counts)
{
	double odd[] = {5, 1, 3};
	struct spread s = stats_spread(odd, 3);
	ck_assert_double_eq(s.median, 3);
	ck_assert_double_eq(s.min, 1);
	ck_assert_double_eq(s.max, 5);
	double even[] = {4, 1, 3, 2};
	ck_assert_double_eq(stats_spread(even, 4).median, 2.5);
	ck_assert(isnan(stats_spread(even, 0).median));
}
END_TEST

START_TEST(percentiles_interpolate_like_numpy)
{
	double v[] = {10, 20, 30, 40, 50};
	ck_assert_double_eq_tol(stats_percentile(v, 5, 0), 10, 1e-9);
	ck_assert_double_eq_tol(stats_percentile(v, 5, 50), 30, 1e-9);
	ck_assert_double_eq_tol(stats_percentile(v, 5, 95), 48, 1e-9);
	ck_assert_double_eq_tol(stats_percentile(v, 5, 99), 49.6, 1e-9);
	ck_assert_double_eq_tol(stats_percentile(v, 5, 100), 50, 1e-9);
	ck_assert_double_eq_tol(stats_percentile(v, 1, 99), 10, 1e-9);
}
END_TEST

START_TEST(a_cold_first_run_is_an_outlier)
{
	double cold[] = {2.0, 1.00, 1.01, 0.99, 1.02};
	double warm[] = {1.01, 1.00, 1.01, 0.99, 1.02};
	double few[] = {9.0, 1.0};
	ck_assert(stats_first_is_outlier(cold, 5));
	ck_assert(!stats_first_is_outlier(warm, 5));
	ck_assert(!stats_first_is_outlier(few, 2));
}
END_TEST

START_TEST(bench_targets_are_read_as_bounds)
{
	ck_assert_int_eq(bench_target_met("<=1.10", 1.05), 1);
	ck_assert_int_eq(bench_target_met("<=1.10", 1.2), 0);
	ck_assert_int_eq(bench_target_met(">=1.9", 1.95), 1);
	ck_assert_int_eq(bench_target_met(">=1.9", 1.5), 0);
	ck_assert_int_eq(bench_target_met("0.9..1.1", 1.0), 1);
	ck_assert_int_eq(bench_target_met("0.9..1.1", 1.2), 0);
	ck_assert_int_eq(bench_target_met("", 1.0), -1);
}
END_TEST

START_TEST(worker_lists_and_doubling_ranges)
{
	int w[64];
	size_t n;
	ck_assert_int_eq(
		cli_int_list("--workers", "1-64x2", 1, 1000, w, 64, &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(w[0], 1);
	ck_assert_int_eq(w[6], 64);
	ck_assert_int_eq(
		cli_int_list("--workers", "1,3,10-90x3", 1, 1000, w, 64, &n),
		0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(w[4], 90);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = runner_tcase(s, "stats", 0);
	tcase_add_test(tc, median_min_max_of_odd_and_even_counts);
	tcase_add_test(tc, percentiles_interpolate_like_numpy);
	tcase_add_test(tc, a_cold_first_run_is_an_outlier);
	tcase_add_test(tc, bench_targets_are_read_as_bounds);
	tcase_add_test(tc, worker_lists_and_doubling_ranges);
	return s;
}
