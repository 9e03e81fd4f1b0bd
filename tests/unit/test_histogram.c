// SPDX-License-Identifier: MIT
/* test_histogram.c - the log-linear latency histogram
 * (harness/base/histogram.h) against inputs whose percentiles are known,
 * and the open-loop schedule (common/arrival.h). */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "common/arrival.h"
#include "harness/base/histogram.h"
#include "tests/support/runner.h"

/* |got - want| / want, as a fraction. */
static double rel_error(uint64_t got, double want)
{
	return fabs((double)got - want) / want;
}

START_TEST(percentiles_of_one_to_a_thousand_are_exact)
{
	struct histogram h;
	ck_assert_int_eq(histogram_init(&h, 3600000000ULL), 0);
	for (uint64_t v = 1000; v >= 1; v--) /* any order */
		histogram_record(&h, v);
	ck_assert_uint_eq(h.total, 1000);
	ck_assert_uint_eq(histogram_percentile(&h, 50), 500);
	ck_assert_uint_eq(histogram_percentile(&h, 90), 900);
	ck_assert_uint_eq(histogram_percentile(&h, 99), 990);
	ck_assert_uint_eq(histogram_percentile(&h, 99.9), 999);
	ck_assert_uint_eq(histogram_percentile(&h, 100), 1000);
	ck_assert_uint_eq(histogram_percentile(&h, 0), 1);
	histogram_free(&h);
}
END_TEST

START_TEST(large_values_stay_within_a_tenth_of_a_percent)
{
	/* 1 ms .. 10 s in microseconds, each value k x 997 us: the true
	 * nearest-rank percentile is known for every p. */
	struct histogram h;
	ck_assert_int_eq(histogram_init(&h, 3600000000ULL), 0);
	const uint64_t n = 10000, step = 997;
	for (uint64_t k = 1; k <= n; k++)
		histogram_record(&h, k * step);
	const double ps[] = {1, 10, 50, 75, 90, 99, 99.9, 99.99};
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double rank = ceil(ps[i] / 100.0 * (double)n - 1e-9);
		double want = rank * (double)step;
		ck_assert_msg(
			rel_error(histogram_percentile(&h, ps[i]), want) <=
				0.001,
			"p%g: got %llu, want %.0f", ps[i],
			(unsigned long long)histogram_percentile(&h, ps[i]),
			want);
	}
	ck_assert_uint_eq(h.min, step); /* min and max exact */
	ck_assert_uint_eq(histogram_percentile(&h, 100), n * step);
	histogram_free(&h);
}
END_TEST

START_TEST(one_value_and_empty_and_clamped)
{
	struct histogram h;
	ck_assert_int_eq(histogram_init(&h, 1000000), 0);
	ck_assert_uint_eq(histogram_percentile(&h, 50), 0);
	histogram_record(&h, 123457);
	/* A single value is every percentile, exactly (min = max). */
	ck_assert_uint_eq(histogram_percentile(&h, 50), 123457);
	ck_assert_uint_eq(histogram_percentile(&h, 99.9), 123457);
	histogram_record(&h, 5000000); /* above highest: counted as it */
	ck_assert_uint_eq(histogram_percentile(&h, 100), 1000000);
	histogram_free(&h);
}
END_TEST

START_TEST(a_bimodal_tail_shows_in_p99_not_p50)
{
	/* 98 fast (100 ms) and 2 stalled (1 s): p50 stays fast, p99 sees
	 * the stall. */
	struct histogram h;
	ck_assert_int_eq(histogram_init(&h, 3600000000ULL), 0);
	for (int i = 0; i < 98; i++)
		histogram_record(&h, 100000);
	histogram_record(&h, 1000000);
	histogram_record(&h, 1000000);
	ck_assert(rel_error(histogram_percentile(&h, 50), 100000) <= 0.001);
	ck_assert(rel_error(histogram_percentile(&h, 99), 1000000) <= 0.001);
	histogram_free(&h);
}
END_TEST

START_TEST(open_schedules_keep_their_rate_and_seed)
{
	struct batch *a = batch_new(2000), *b = batch_new(2000);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(arrival_schedule(a, 100, ARRIVAL_FIXED, 1, 2.0), 0);
	ck_assert(a->open);
	ck_assert_double_eq_tol(a->tasks[100].arrival, 1.0, 1e-9);
	ck_assert_double_eq_tol(a->deadline, 1999 / 100.0 + 2.0, 1e-9);
	/* Poisson: the same seed, the same schedule; the mean gap 1/rate
	 * within 10% over 2,000 arrivals. */
	ck_assert_int_eq(arrival_schedule(a, 100, ARRIVAL_POISSON, 7, 2), 0);
	ck_assert_int_eq(arrival_schedule(b, 100, ARRIVAL_POISSON, 7, 2), 0);
	ck_assert_double_eq(a->tasks[1999].arrival, b->tasks[1999].arrival);
	double mean = a->tasks[1999].arrival / 1999.0;
	ck_assert_double_eq_tol(mean, 0.01, 0.001);
	ck_assert_int_eq(arrival_schedule(b, 100, ARRIVAL_POISSON, 8, 2), 0);
	ck_assert(a->tasks[1999].arrival != b->tasks[1999].arrival);
	ck_assert_int_eq(arrival_schedule(a, 0, ARRIVAL_FIXED, 1, 2), -1);
	batch_free(a);
	batch_free(b);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("histogram");
	TCase *tc = runner_tcase(s, "histogram", 0);
	tcase_add_test(tc, percentiles_of_one_to_a_thousand_are_exact);
	tcase_add_test(tc, large_values_stay_within_a_tenth_of_a_percent);
	tcase_add_test(tc, one_value_and_empty_and_clamped);
	tcase_add_test(tc, a_bimodal_tail_shows_in_p99_not_p50);
	tcase_add_test(tc, open_schedules_keep_their_rate_and_seed);
	return s;
}
