// SPDX-License-Identifier: MIT
/*
 * lesson_async.c - the checks of lesson "async/await" (found by its
 * title): its p99s recomputed from its result sets, in the order it
 * prints them: calm (no block), blocked (coroutines on the loop, hybrid's
 * pool), and Python's run_in_executor when Python ran.
 */
#include <string.h>

#include "tests/support/lesson_check.h"

/* The lesson's one value of C (harness/lessons/async.c). */
#define ASYNC_C 64

static double async_p99(struct lc *l, int set, const char *model)
{
	return lc_sum(l, set, "fetch", model, ASYNC_C, "corrected_p99_ms");
}

void lc_async(struct lc *l)
{
	if (l->sets < 2) {
		lc_fail(l, "async/await saved %d result sets, not 2 or 3",
			l->sets);
		return;
	}
	lc_expect(l, "calm_p99", async_p99(l, 0, "coroutines"), 0.01);
	lc_expect(l, "blocked_p99", async_p99(l, 1, "coroutines"), 0.01);
	lc_expect(l, "pooled_p99", async_p99(l, 1, "hybrid"), 0.01);
	if (l->sets < 3)
		return; /* no Python */
	lc_expect(l, "py_loop_p99", async_p99(l, 1, "py-asyncio"), 0.01);
	lc_expect(l, "py_executor_p99", async_p99(l, 2, "py-asyncio"), 0.01);
}
