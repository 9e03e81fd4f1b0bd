// SPDX-License-Identifier: MIT
/* runner.c - main for every suite: build it, run it, say how it went. */
#include "tests/support/runner.h"

#include <stdio.h>
#include <stdlib.h>

TCase *runner_tcase(Suite *s, const char *name, double timeout_s)
{
	TCase *tc = tcase_create(name);
	if (timeout_s > 0)
		tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
	return tc;
}

bool runner_in_part(size_t i)
{
	const char *part = getenv("CONCUR_TEST_PART");
	unsigned k, n;
	char end;
	if (!part || !part[0])
		return true;
	if (sscanf(part, "%u/%u%c", &k, &n, &end) != 2 || n == 0 || k == 0 ||
	    k > n) {
		fprintf(stderr, "CONCUR_TEST_PART='%s': not k/n, 1 <= k <= n\n",
			part);
		exit(2);
	}
	return i % n == k - 1;
}

void runner_loop_test(TCase *tc, const TTest *fn, int start, int end)
{
	for (int i = start; i < end; i++)
		if (runner_in_part((size_t)(i - start)))
			tcase_add_loop_test(tc, fn, i, i + 1);
}

void runner_test(TCase *tc, const TTest *fn)
{
	if (runner_in_part(0))
		tcase_add_test(tc, fn);
}

int main(void)
{
	SRunner *sr = srunner_create(test_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
