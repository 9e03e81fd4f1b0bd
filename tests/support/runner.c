// SPDX-License-Identifier: MIT
/* runner.c - main for every suite: build it, run it, say how it went. */
#include "tests/support/runner.h"

TCase *runner_tcase(Suite *s, const char *name, double timeout_s)
{
	TCase *tc = tcase_create(name);
	if (timeout_s > 0)
		tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
	return tc;
}

int main(void)
{
	SRunner *sr = srunner_create(test_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
