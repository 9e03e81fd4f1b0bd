// SPDX-License-Identifier: MIT
/*
 * test_open_loop.c - open-loop arrivals (common/arrival.h) against models
 * of known capacity: C = 2 workers on 100 ms fetches serve 20 tasks/s.
 * Offered 40 tasks/s, the queue grows and each task's corrected latency
 * (from its arrival) grows with it, by 1/40 s a task, while the naive one
 * (from its start) stays at 100 ms; offered 10 tasks/s, nothing queues
 * and no task starts before it arrives. Overload ends at the deadline
 * with the late tasks not_run, and the bad values of the flags exit 2.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "harness/run/verify.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* n fetches of /delay/100 at `rate` a second, evenly spaced. */
static struct batch *open_batch(size_t n, double rate, double grace_s)
{
	struct batch *b = support_fetch_batch(n, "/delay/100");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(arrival_schedule(b, rate, ARRIVAL_FIXED, 1, grace_s),
			 0);
	return b;
}

/* Runs model `name` with C = workers on b; every task must end ok. */
static void open_run(const char *name, struct batch *b, int workers)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	ck_assert_int_eq(support_run(name, b, &o), 0);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_msg(b->results[i].kind == RESULT_OK,
			      "%s: task %zu %s: %s", name, i,
			      result_kind_name(b->results[i].kind),
			      b->results[i].message);
}

/* The least-squares slope of y over the task index, tasks from..n-1. */
static double slope(const double *y, size_t from, size_t n)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, k = (double)(n - from);
	for (size_t i = from; i < n; i++) {
		sx += (double)i;
		sy += y[i];
		sxx += (double)i * (double)i;
		sxy += (double)i * y[i];
	}
	return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* Overloaded twice over, C = 2 at 40/s: task i waits about i/40 s, so the
 * corrected latency climbs 25 ms a task; the naive one does not. */
static void queue_grows(const char *name)
{
	struct batch *b = open_batch(40, 40, 2.0);
	open_run(name, b, 2);
	double corrected[40], naive_max = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		ck_assert_double_eq(r->intended, b->tasks[i].arrival);
		corrected[i] = r->end - r->intended;
		naive_max = fmax(naive_max, r->end - r->start);
	}
	double per_task = slope(corrected, 0, b->n);
	ck_assert_msg(per_task > 0.018 && per_task < 0.035,
		      "%s: corrected latency grew %.4f s a task, not ~0.025",
		      name, per_task);
	ck_assert_msg(corrected[39] > 0.8, "%s: the last task waited %.3f s",
		      name, corrected[39]);
	ck_assert_msg(naive_max < 0.5 * corrected[39],
		      "%s: naive latency %.3f s should not see the queue", name,
		      naive_max);
	batch_free(b);
}

START_TEST(threads_queue_grows_past_capacity)
{
	queue_grows("threads");
}
END_TEST

START_TEST(eventloop_queue_grows_past_capacity)
{
	queue_grows("eventloop");
}
END_TEST

/* Under capacity, C = 2 at 10/s: every task starts at its arrival (never
 * before it), and its corrected latency is its fetch. */
static void no_queue(const char *name)
{
	struct batch *b = open_batch(10, 10, 2.0);
	open_run(name, b, 2);
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		double late = r->start - b->tasks[i].arrival;
		ck_assert_msg(late > -0.001,
			      "%s: task %zu started %.4f s early", name, i,
			      -late);
		ck_assert_msg(late < 0.06, "%s: task %zu waited %.3f s", name,
			      i, late);
	}
	batch_free(b);
}

START_TEST(threads_do_not_queue_under_capacity)
{
	no_queue("threads");
}
END_TEST

START_TEST(eventloop_does_not_queue_under_capacity)
{
	no_queue("eventloop");
}
END_TEST

/* sequential (10 tasks/s) offered 100/s for 0.2 s with a grace of 0.2 s:
 * the run ends by its deadline, not after 2 s of fetches; the tasks it
 * could not start are not_run, counted late by verification, not wrong. */
START_TEST(overload_ends_at_the_deadline)
{
	struct batch *b = open_batch(20, 100, 0.2);
	struct run_opts o = run_opts_default();
	o.workers = 1;
	double t = clock_now();
	ck_assert_int_eq(support_run("sequential", b, &o), 0);
	t = clock_now() - t;
	ck_assert_msg(t < 1.2, "the overloaded run took %.2f s", t);
	size_t ok = 0, late = 0;
	for (size_t i = 0; i < b->n; i++) {
		ok += b->results[i].kind == RESULT_OK;
		late += b->results[i].kind == RESULT_NOT_RUN &&
			strstr(b->results[i].message, "overload");
	}
	ck_assert_uint_eq(ok + late, b->n);
	ck_assert_msg(ok >= 2 && late >= 8, "ok %zu, late %zu", ok, late);
	struct verify_report rep;
	support_verify(b, o.fetch.timeout_ms, &rep);
	ck_assert_uint_eq(rep.wrong, 0);
	ck_assert_uint_eq(rep.late, late);
	batch_free(b);
}
END_TEST

static const char *const bad_flags[][2] = {
	{"run --arrival open", "--rate"},
	{"run --arrival sideways", "--arrival"},
	{"run --arrival open --rate 0", "--rate"},
	{"run --arrival open --rate -5", "--rate"},
	{"run --arrival open --rate fast", "--rate"},
	{"run --rate 10", "--rate"},
	{"run --arrival open --rate 10 --arrival-dist gauss", "--arrival-dist"},
	{"run --arrival open --rate 10 --seed -1", "--seed"},
};

START_TEST(bad_open_loop_flags_exit_2_with_one_line)
{
	char out[4096], err[4096];
	int rc = support_concur(bad_flags[_i][0], out, sizeof(out), err,
				sizeof(err));
	ck_assert_msg(rc == 2, "'concur %s' exited %d: %s", bad_flags[_i][0],
		      rc, err);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_msg(strstr(err, bad_flags[_i][1]), "'%s' said: %s",
		      bad_flags[_i][0], err);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("open_loop");
	TCase *tc = runner_tcase(s, "open loop", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, threads_queue_grows_past_capacity);
	tcase_add_test(tc, eventloop_queue_grows_past_capacity);
	tcase_add_test(tc, threads_do_not_queue_under_capacity);
	tcase_add_test(tc, eventloop_does_not_queue_under_capacity);
	tcase_add_test(tc, overload_ends_at_the_deadline);
	tcase_add_loop_test(tc, bad_open_loop_flags_exit_2_with_one_line, 0,
			    sizeof(bad_flags) / sizeof(bad_flags[0]));
	return s;
}
