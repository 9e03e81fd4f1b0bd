// SPDX-License-Identifier: MIT
/* test_kernel.c - the kernel gives the checksums common/README.md states,
 * in one call or in slices. */
#include <check.h>

#include "common/kernel.h"
#include "tests/support/runner.h"

START_TEST(kernel_matches_the_documented_values)
{
	ck_assert_uint_eq(kernel_run(0, 1), 0xa809112664cd1dd9ULL);
	ck_assert_uint_eq(kernel_run(7, 3), 0xbfe63dcef7f8abf8ULL);
	ck_assert_uint_eq(kernel_run(0xdeadbeef, 0), 0x9e3779b9a1e7c2faULL);
	struct kernel k;
	kernel_start(&k, 5);
	kernel_advance(&k, 10);
	ck_assert_uint_eq(kernel_read(&k), 0x11e98651533b81a2ULL);
}
END_TEST

START_TEST(kernel_in_slices_equals_kernel_in_one_go)
{
	struct kernel k;
	kernel_start(&k, 7);
	for (int i = 0; i < 60; i++)
		kernel_advance(&k, 3 * KERNEL_ITERS_PER_UNIT / 60);
	ck_assert_uint_eq(kernel_read(&k), kernel_run(7, 3));
}
END_TEST

START_TEST(kernel_depends_on_the_seed)
{
	ck_assert_uint_ne(kernel_run(1, 1), kernel_run(2, 1));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = runner_tcase(s, "kernel", 0);
	tcase_add_test(tc, kernel_matches_the_documented_values);
	tcase_add_test(tc, kernel_in_slices_equals_kernel_in_one_go);
	tcase_add_test(tc, kernel_depends_on_the_seed);
	return s;
}
