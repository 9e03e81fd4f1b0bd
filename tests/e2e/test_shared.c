// SPDX-License-Identifier: MIT
/*
 * test_shared.c - the shared workload: every --sync strategy gives the
 * right total under every model that runs it; `none` under threads loses
 * updates and `concur run` says so through its own verification (exit
 * 1); one thread (sequential, eventloop) never does; opposite lock orders
 * deadlock, the watchdog ends the run and the report names who waited on
 * which lock, while the one-order fix finishes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/shared.h"
#include "harness/run/measure.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define SHARED_TASKS 8
#define SHARED_EACH 20000
#define SHARED_TOTAL ((uint64_t)SHARED_TASKS * SHARED_EACH)

static struct batch *shared_batch(size_t n, uint32_t each)
{
	struct batch *b = batch_new(n);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < n; i++) {
		b->tasks[i].type = TASK_SHARED;
		b->tasks[i].work = each;
		b->tasks[i].seed = i;
	}
	return b;
}

/* Runs model `name` on a shared batch with `sync`; returns the total
 * every task reported, after checking they all agree and are ok. */
static uint64_t shared_run(const char *name, enum shared_sync sync, int workers)
{
	const struct model *m = model_find(name);
	ck_assert_ptr_nonnull(m);
	struct batch *b = shared_batch(SHARED_TASKS, SHARED_EACH);
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.sync = sync;
	b->t0 = clock_now();
	ck_assert_int_eq(m->run(b, &o), 0);
	ck_assert_ptr_null(b->shared);
	uint64_t total = b->results[0].checksum;
	for (size_t i = 0; i < b->n; i++) {
		ck_assert_msg(b->results[i].kind == RESULT_OK,
			      "%s %s task %zu: %s %s", name,
			      shared_sync_name(sync), i,
			      result_kind_name(b->results[i].kind),
			      b->results[i].message);
		ck_assert_uint_eq(b->results[i].checksum, total);
	}
	batch_free(b);
	return total;
}

static const char *const shared_models[] = {"sequential", "threads",
					    "processes", "gil", "eventloop"};

/* _i: the model; each runs every strategy but none and deadlock. */
START_TEST(every_strategy_keeps_every_increment)
{
	const char *name = shared_models[_i];
	for (int s = 0; s < SYNC_COUNT; s++) {
		if (s == SYNC_NONE || s == SYNC_DEADLOCK)
			continue;
		uint64_t total = shared_run(name, (enum shared_sync)s, 3);
		ck_assert_msg(total == SHARED_TOTAL, "%s --sync %s: %llu", name,
			      shared_sync_name((enum shared_sync)s),
			      (unsigned long long)total);
	}
}
END_TEST

START_TEST(one_thread_needs_no_lock)
{
	ck_assert_uint_eq(shared_run("sequential", SYNC_NONE, 1), SHARED_TOTAL);
	ck_assert_uint_eq(shared_run("eventloop", SYNC_NONE, 4), SHARED_TOTAL);
}
END_TEST

/* The race must show on 2 busy cores: the racy increment yields between
 * its read and its write every SHARED_YIELD_EVERY increments, so a run
 * of 2 threads loses updates whenever they interleave at all. Up to 5
 * tries, so one unlucky schedule cannot fail the test; a model that
 * locked (or a verification that missed it) fails all 5. */
/* The note "kept K of 1,600,000 increments (L lost updates)": K + L is
 * every increment made (the note says what was kept and what was lost,
 * not one number a student could read either way). */
static long long number_at(const char **p)
{
	long long v = 0;
	for (; (**p >= '0' && **p <= '9') || **p == ','; (*p)++)
		if (**p != ',')
			v = v * 10 + (**p - '0');
	return v;
}

static int kept_and_lost_add_up(const char *out, long long made)
{
	const char *p = strstr(out, "kept ");
	if (!p)
		return 0;
	p += strlen("kept ");
	long long kept = number_at(&p);
	if (strncmp(p, " of ", 4) != 0)
		return 0;
	p += 4;
	if (number_at(&p) != made || strncmp(p, " increments (", 13) != 0)
		return 0;
	p += 13;
	long long lost = number_at(&p);
	return strncmp(p, " lost updates)", 14) == 0 && lost > 0 &&
	       kept + lost == made;
}

START_TEST(none_under_threads_is_reported_as_lost_updates)
{
	char out[16384], err[4096];
	int shown = 0, rc = 0;
	for (int t = 0; t < 5 && !shown; t++) {
		rc = support_concur("run --models threads --workloads shared "
				    "--sync none --workers 2 --tasks 8 "
				    "--work 20 --repeat 1 --no-plot --quiet "
				    "--out /tmp/concur-test-shared",
				    out, sizeof(out), err, sizeof(err));
		shown = rc == 1 && kept_and_lost_add_up(out, 1600000);
	}
	ck_assert_msg(shown, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_int_eq(system("rm -rf /tmp/concur-test-shared"), 0);
}
END_TEST

START_TEST(a_right_strategy_exits_0)
{
	char out[16384], err[4096];
	int rc = support_concur("run --models sequential,threads,processes "
				"--workloads shared --sync atomic --workers 2 "
				"--tasks 8 --work 2 --repeat 1 --no-plot "
				"--quiet --out /tmp/concur-test-shared2",
				out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(strstr(out, "--sync atomic") != NULL, "%s", out);
	ck_assert_int_eq(system("rm -rf /tmp/concur-test-shared2"), 0);
}
END_TEST

START_TEST(an_unknown_sync_is_bad_usage)
{
	char err[1024];
	int rc = support_concur("run --workloads shared --sync lockless", NULL,
				0, err, sizeof(err));
	ck_assert_int_eq(rc, 2);
	ck_assert_msg(strstr(err, "--sync: 'lockless'") != NULL, "%s", err);
	ck_assert_int_eq(support_lines(err), 1);
}
END_TEST

/* Opposite orders: the run never ends by itself. The watchdog kills it
 * at its limit, and the tasks left running say which lock their worker
 * held and which it waited for. */
START_TEST(opposite_lock_orders_deadlock_and_say_who_waits)
{
	struct batch *b = shared_batch(4, 1000000);
	struct run_opts o = run_opts_default();
	o.workers = 2;
	o.sync = SYNC_DEADLOCK;
	struct external_opts x = {.model_timeout_s = 1.0}; /* the watchdog */
	struct measurement m;
	ck_assert_int_eq(measure_run(model_find("threads"), b, &o, &x, &m), 0);
	ck_assert_int_eq(m.timed_out, 1);
	int waits = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->results[i].kind == RESULT_TIMEOUT &&
		    strstr(b->results[i].message, "waits for lock"))
			waits++;
	ck_assert_msg(waits == 2, "%s | %s", b->results[0].message,
		      b->results[1].message);
	batch_free(b);
	/* The fix: the same two locks, one order. */
	ck_assert_uint_eq(shared_run("threads", SYNC_ORDERED, 2), SHARED_TOTAL);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("shared");
	TCase *tc = runner_tcase(s, "shared", 120);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_loop_test(
		tc, every_strategy_keeps_every_increment, 0,
		(int)(sizeof(shared_models) / sizeof(shared_models[0])));
	tcase_add_test(tc, one_thread_needs_no_lock);
	tcase_add_test(tc, none_under_threads_is_reported_as_lost_updates);
	tcase_add_test(tc, a_right_strategy_exits_0);
	tcase_add_test(tc, an_unknown_sync_is_bad_usage);
	tcase_add_test(tc, opposite_lock_orders_deadlock_and_say_who_waits);
	return s;
}
