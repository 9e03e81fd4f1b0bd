// SPDX-License-Identifier: MIT
/*
 * test_coroutines.c - the coroutines model keeps its promises beyond the
 * conformance suite: both switches (asm, ucontext) give the reference's
 * results with many tasks suspended at once on one thread; a task that
 * overflows its coroutine's stack is reported as crashed and every other
 * task still comes out right; the switch itself keeps the registers a
 * caller relies on.
 *
 * The overflow is injected through tests/support/faults.h (a function run
 * before a compute half, on the computing coroutine's stack): the model
 * has no hook of its own.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "harness/run/verify.h"
#include "models/coro_switch.h"
#include "models/model.h"
#include "tests/support/faults.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static const enum coro_switch switches[] = {CORO_SWITCH_ASM,
					    CORO_SWITCH_UCONTEXT};
#define N_SWITCHES (sizeof(switches) / sizeof(switches[0]))

/* Does this build have switch _i? (asm: x86-64 only) */
static bool switch_available(enum coro_switch how)
{
	enum coro_switch parsed;
	return coro_switch_parse(coro_switch_name(how), &parsed) == 0 &&
	       parsed == how;
}

/* ---- results ------------------------------------------------------------- */

START_TEST(both_switches_match_sequential)
{
	enum coro_switch how = switches[_i];
	if (!switch_available(how))
		return;
	/* 60 tasks, 30 in flight: 30 coroutines suspended in fetch at once,
	 * a mix of fetch, mixed and compute tasks. */
	struct batch *b = support_fetch_batch(60, "/delay/200?bytes=%zu");
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = i % 3 == 0	? TASK_FETCH
				   : i % 3 == 1 ? TASK_MIXED
						: TASK_COMPUTE;
		b->tasks[i].work = 1;
		b->tasks[i].seed = i;
	}
	struct run_opts o = run_opts_default();
	o.workers = 30;
	o.coro.how = how;
	double t = clock_now();
	ck_assert_int_eq(support_run("coroutines", b, &o), 0);
	t = clock_now() - t;
	/* 40 waits of 0.2 s, 30 at once: 2 rounds, not 40. */
	ck_assert_msg(t < 4.0, "%s: %.1f s: the fetches did not overlap",
		      coro_switch_name(how), t);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].worker, 0); /* one thread */
	support_assert_reference(b, o.fetch.timeout_ms, "coroutines");
	batch_free(b);
}
END_TEST

/* ---- stack overflow ------------------------------------------------------- */

/* Recurses far deeper than any coroutine stack; each frame keeps a buffer
 * the compiler cannot drop. */
static int recurse(volatile char *above, int depth)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	frame[511] = above ? above[0] : 0;
	if (depth == 0)
		return frame[0];
	return recurse(frame, depth - 1) + frame[511];
}

/* faults_before_compute: the first compute half overflows, the others
 * run normally. */
static void overflow_once(void *arg)
{
	int *calls = arg;
	if ((*calls)++ == 0)
		recurse(NULL, 1 << 20); /* 512 MiB of frames */
}

START_TEST(overflow_is_one_crashed_task)
{
	enum coro_switch how = switches[_i];
	if (!switch_available(how))
		return;
	struct batch *b = support_compute_batch(12, 2);
	struct run_opts o = run_opts_default();
	struct run_stats stats = {0};
	o.workers = 4;
	o.coro.how = how;
	o.coro.stack_kib = 32;
	o.stats = &stats;
	int calls = 0;
	faults_before_compute(overflow_once, &calls);
	int rc = support_run("coroutines", b, &o);
	faults_before_compute(NULL, NULL);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(calls, 12); /* the run went on after the crash */
	size_t crashed = 0;
	for (size_t i = 0; i < b->n; i++)
		crashed += b->results[i].kind == RESULT_CRASHED;
	ck_assert_int_eq(crashed, 1);
	ck_assert_int_eq(b->results[0].kind, RESULT_CRASHED);
	ck_assert_ptr_nonnull(strstr(b->results[0].message, "stack overflow"));
	ck_assert_int_eq((int)run_stats_get(&stats, "crashed_coroutines", 0),
			 1);
	struct verify_report rep;
	support_verify(b, o.fetch.timeout_ms, &rep);
	ck_assert_msg(rep.wrong == 0 && rep.crashed == 1,
		      "%s: %zu wrong, %zu crashed: %s", coro_switch_name(how),
		      rep.wrong, rep.crashed, rep.n_lines ? rep.lines[0] : "");
	batch_free(b);
}
END_TEST

/* ---- the switch itself ------------------------------------------------------ */

struct ping {
	struct coro coro;
	long turns; /* counted inside the coroutine */
};

static void ping_body(void *arg)
{
	struct ping *p = arg;
	double keep = 1.5; /* lives across every switch */
	for (int i = 0; i < 1000; i++) {
		p->turns++;
		keep *= 1.0;
		coro_yield(&p->coro);
	}
	p->turns += keep == 1.5 ? 1 : 1000000;
}

START_TEST(switch_keeps_callers_values)
{
	enum coro_switch how = switches[_i];
	if (!switch_available(how))
		return;
	struct ping p = {0};
	ck_assert_int_eq(
		coro_start(&p.coro, how, (size_t)16 * 1024, ping_body, &p), 0);
	/* Values in callee-saved registers across the resumes. */
	volatile long a = 11;
	long b = 22, c = 33, resumes = 0;
	while (p.coro.state == CORO_SUSPENDED) {
		coro_resume(&p.coro);
		resumes++;
		b += 1;
		c -= 1;
	}
	ck_assert_int_eq(p.coro.state, CORO_FINISHED);
	ck_assert_int_eq(resumes, 1001);
	ck_assert_int_eq(p.turns, 1001); /* its local survived */
	ck_assert_int_eq(a + b + c, 11 + 22 + 33);
	coro_free(&p.coro);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("coroutines");
	TCase *tc = runner_tcase(s, "coroutines", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_loop_test(tc, both_switches_match_sequential, 0,
			    (int)N_SWITCHES);
	tcase_add_loop_test(tc, overflow_is_one_crashed_task, 0,
			    (int)N_SWITCHES);
	tcase_add_loop_test(tc, switch_keeps_callers_values, 0,
			    (int)N_SWITCHES);
	return s;
}
