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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "harness/base/stats.h"
#include "harness/run/verify.h"
#include "models/model.h"
#include "tests/support/csv.h"
#include "tests/support/files.h"
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

/* Overloaded, C = 2 at 40/s: the pool serves 2 tasks every s seconds (s
 * the measured fetch, 100 ms on a quiet machine), so task i starts near
 * i x s / 2 but arrived at i / 40: its corrected latency climbs s / 2 -
 * 1/40 a task (25 ms), while the naive one stays at s. */
static void queue_grows(const char *name)
{
	/* a long grace: on a loaded machine no task may be left not_run */
	struct batch *b = open_batch(40, 40, 60.0);
	open_run(name, b, 2);
	double corrected[40] = {0}, naive_sum = 0, naive_max = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		ck_assert_double_eq(r->intended, b->tasks[i].arrival);
		corrected[i] = r->end - r->intended;
		naive_sum += r->end - r->start;
		naive_max = fmax(naive_max, r->end - r->start);
	}
	double service = naive_sum / (double)b->n;
	double want = service / 2 - 1.0 / 40,
	       per_task = slope(corrected, 0, b->n);
	ck_assert_msg(want > 0.015 && fabs(per_task - want) < 0.3 * want,
		      "%s: corrected latency grew %.4f s a task; a fetch of "
		      "%.3f s predicts %.4f",
		      name, per_task, service, want);
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
 * before it) and waits for no worker. A queue would make the waits grow
 * task after task; a loaded machine may delay one start, not every one:
 * the median wait stays near 0 and none reaches a gap between arrivals
 * (0.1 s). */
static void no_queue(const char *name)
{
	struct batch *b = open_batch(10, 10, 60.0);
	open_run(name, b, 2);
	double waits[10];
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		waits[i] = r->start - b->tasks[i].arrival;
		ck_assert_msg(waits[i] > -0.001,
			      "%s: task %zu started %.4f s early", name, i,
			      -waits[i]);
		ck_assert_msg(waits[i] < 0.1, "%s: task %zu waited %.3f s",
			      name, i, waits[i]);
	}
	double median = stats_percentile(waits, b->n, 50);
	ck_assert_msg(median < 0.03, "%s: the median task waited %.3f s", name,
		      median);
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

/* `concur run --arrival open` as a user meets it: runs.csv says how tasks
 * arrived, the corrected tail is never below the naive one (and here,
 * offered 3 times what C = 1 serves, far above it), and report.html
 * shows both; a closed run's two tails are the same. */
START_TEST(an_open_run_records_both_tails)
{
	char dir[64], args[512], path[256];
	files_tmp_dir(dir, sizeof(dir), "open-loop");
	snprintf(args, sizeof(args),
		 "run --models threads --workloads fetch --workers 1 --tasks "
		 "12 --delay 50 --arrival open --rate 60 --arrival-dist fixed "
		 "--repeat 1 --baseline none --no-plot --quiet --out %s",
		 dir);
	char out[16384], err[4096];
	ck_assert_int_eq(
		support_concur(args, out, sizeof(out), err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/latest/runs.csv", dir);
	struct csv runs;
	ck_assert_int_eq(csv_load(path, &runs), 0);
	ck_assert_str_eq(csv_cell(&runs, 0, "arrival"), "open");
	ck_assert_double_eq(csv_num(&runs, 0, "offered_rate"), 60);
	double naive = csv_num(&runs, 0, "naive_max_ms");
	double corrected = csv_num(&runs, 0, "corrected_max_ms");
	/* task 11 arrives at 0.183 s and starts near 0.55 s */
	ck_assert_msg(corrected > naive + 200, "naive %g, corrected %g ms",
		      naive, corrected);
	csv_free(&runs);
	snprintf(args, sizeof(args), "report %s/latest", dir);
	ck_assert_int_eq(
		support_concur(args, out, sizeof(out), err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/latest/report.html", dir);
	char *html = files_read(path, NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_ptr_nonnull(strstr(html, "id=\"latency-tail\""));
	ck_assert_ptr_nonnull(strstr(html, "open, 60/s"));
	free(html);
	files_rm_dir(dir);
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
	tcase_add_test(tc, an_open_run_records_both_tails);
	tcase_add_loop_test(tc, bad_open_loop_flags_exit_2_with_one_line, 0,
			    sizeof(bad_flags) / sizeof(bad_flags[0]));
	return s;
}
