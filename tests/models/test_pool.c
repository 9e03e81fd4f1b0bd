// SPDX-License-Identifier: MIT
/*
 * test_pool.c - the blocking pool models (threads, processes, gil) beyond
 * what the conformance suite checks: the pool they really started, a
 * crashed worker's task reported and nothing else lost, no child left
 * behind, the GIL held by one thread at a time and by every thread in
 * turn, and the spawn cost figures. Compute batches only: no server.
 */
#include <check.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "harness/run/spawn_cost.h"
#include "harness/external/dispatch.h"
#include "models/model.h"
#include "tests/support/faults.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* Runs model `name` at C workers; returns run()'s status. */
static int run_model(const char *name, struct batch *b, int workers,
		     struct run_stats *stats)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.stats = stats;
	return support_run(name, b, &o);
}

/* Built with -fsanitize=address or thread (GCC defines these; clang's
 * __has_feature is not needed, the Makefile builds with cc). */
static int running_under_sanitizer(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return 1;
#else
	return getenv("CONCUR_TSAN") != NULL;
#endif
}

/* ---- every pool model, the edges ---------------------------------------- */

static const char *const pool_models[] = {"threads", "processes", "gil"};

/* C = 1, C < N, C > N, N = 0 and N = 1 for the three pool models. */
START_TEST(pool_models_match_sequential_on_compute)
{
	static const struct {
		int workers;
		size_t tasks;
	} edges[] = {{1, 5}, {3, 9}, {16, 3}, {4, 0}, {4, 1}};
	const char *name = pool_models[_i];
	for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++) {
		struct batch *b = support_compute_batch(edges[e].tasks, 2);
		struct run_stats stats = {0};
		ck_assert_int_eq(run_model(name, b, edges[e].workers, &stats),
				 0);
		support_assert_reference(b, 5000, name);
		size_t want = (size_t)edges[e].workers < edges[e].tasks
				      ? (size_t)edges[e].workers
				      : edges[e].tasks;
		ck_assert_int_eq(stats.workers_started, (int)want);
		batch_free(b);
	}
}
END_TEST

/* ---- threads ------------------------------------------------------------ */

START_TEST(threads_start_the_pool_they_were_asked_for)
{
	struct batch *b = support_compute_batch(40, 1);
	struct run_stats stats = {0};
	ck_assert_int_eq(run_model("threads", b, 8, &stats), 0);
	ck_assert_int_eq(stats.workers_started, 8);
	ck_assert(stats.setup_s >= 0);
	ck_assert_str_eq(stats.note, "");
	for (size_t i = 0; i < b->n; i++)
		ck_assert(b->results[i].worker >= 0 &&
			  b->results[i].worker < 8);
	support_assert_reference(b, 5000, "threads");
	batch_free(b);
}
END_TEST

/* The small explicit stack lets a thousand threads start. */
START_TEST(threads_fit_a_thousand_threads)
{
	struct batch *b = support_compute_batch(1000, 0);
	struct run_stats stats = {0};
	ck_assert_int_eq(run_model("threads", b, 1000, &stats), 0);
	ck_assert_int_eq(stats.workers_started, 1000);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].kind, RESULT_OK);
	batch_free(b);
}
END_TEST

/* Under an address-space limit pthread_create fails part-way: the run
 * goes on with the threads it has, says so, and records the real C. */
START_TEST(threads_go_on_with_fewer_when_a_limit_is_hit)
{
	if (running_under_sanitizer()) { /* they reserve terabytes */
		printf("skipped: RLIMIT_AS under a sanitizer's address "
		       "space\n");
		return;
	}
	struct batch *b = support_compute_batch(5000, 0);
	struct run_stats stats = {0};
	struct rlimit rl;
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long vm_kib = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %ld", &vm_kib) == 1)
			break;
	if (f)
		fclose(f);
	ck_assert(vm_kib > 0);
	/* This test runs in its own forked process: the limit dies with it. */
	rl.rlim_cur = rl.rlim_max = (rlim_t)(vm_kib + 64L * 1024) * 1024;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
	ck_assert_int_eq(run_model("threads", b, 5000, &stats), 0);
	ck_assert_msg(stats.workers_started > 0 && stats.workers_started < 5000,
		      "started %d", stats.workers_started);
	ck_assert_msg(strstr(stats.note, "limit") != NULL, "note: '%s'",
		      stats.note);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].kind, RESULT_OK);
	batch_free(b);
}
END_TEST

/* ---- processes ---------------------------------------------------------- */

static void assert_no_child_left(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* The hooked task dies with SIGKILL; it alone is crashed, a replacement
 * finishes the rest, and every child has been reaped. */
static void crash_one(int workers, long task)
{
	struct batch *b = support_compute_batch(12, 1);
	struct run_stats stats = {0};
	faults_crash_task(task);
	int rc = run_model("processes", b, workers, &stats);
	faults_crash_task(-1);
	ck_assert_int_eq(rc, 0);
	assert_no_child_left();
	const struct result *r = &b->results[task];
	ck_assert_int_eq(r->kind, RESULT_CRASHED);
	ck_assert_msg(strstr(r->message, "signal 9") != NULL, "message '%s'",
		      r->message);
	struct verify_report rep;
	support_verify(b, 5000, &rep);
	ck_assert_int_eq(rep.crashed, 1);
	ck_assert_int_eq(rep.wrong, 0);
	/* A replacement starts only if tasks were left to run: always with
	 * one worker, not always with three. */
	if (workers == 1)
		ck_assert(run_stats_get(&stats, "replacements", -1) == 1);
	ck_assert(run_stats_get(&stats, "replacements", -1) <= 1);
	ck_assert_int_eq(stats.workers_started, workers);
	ck_assert(stats.workers_rss_kib > 0);
	ck_assert(run_stats_get(&stats, "workers_rss_kib", 0) ==
		  (double)stats.workers_rss_kib);
	batch_free(b);
}

START_TEST(processes_report_a_crashed_task_and_lose_nothing_else)
{
	crash_one(3, 5);
}
END_TEST

START_TEST(processes_with_one_worker_finish_after_a_crash)
{
	crash_one(1, 0);
}
END_TEST

START_TEST(processes_leave_no_child_behind)
{
	struct batch *b = support_compute_batch(20, 1);
	struct run_stats stats = {0};
	ck_assert_int_eq(run_model("processes", b, 4, &stats), 0);
	assert_no_child_left();
	support_assert_reference(b, 5000, "processes");
	ck_assert(run_stats_get(&stats, "replacements", -1) == 0);
	batch_free(b);
}
END_TEST

/* Tasks are handed out as workers free up, not split in advance: while
 * one worker computes a long task, the other runs every short one. */
START_TEST(processes_take_tasks_as_they_free_up)
{
	struct batch *b = support_compute_batch(12, 1);
	b->tasks[0].work = 300; /* ~0.3 s; the other eleven ~1 ms each */
	struct run_stats stats = {0};
	ck_assert_int_eq(run_model("processes", b, 2, &stats), 0);
	assert_no_child_left();
	support_assert_reference(b, 5000, "processes");
	int slow = b->results[0].worker;
	for (size_t i = 1; i < b->n; i++)
		ck_assert_msg(b->results[i].worker != slow,
			      "task %zu ran on the slow task's worker %d", i,
			      slow);
	ck_assert(stats.setup_s > 0);
	batch_free(b);
}
END_TEST

/* ---- gil ---------------------------------------------------------------- */

#define GIL_THREADS 8

/* 8 threads on tasks of ~80 switch intervals each (40 units at 0.5 ms):
 * one holder at a time (never two threads inside a kernel slice at once,
 * as tests/support/faults.c watches it), and every thread gets the lock
 * before any task can finish, because a waiter asks for it after one
 * interval. */
START_TEST(gil_has_one_holder_and_starves_nobody)
{
	struct batch *b = support_compute_batch(GIL_THREADS, 40);
	struct run_stats stats = {0};
	const struct model *m = model_find("gil");
	struct run_opts o = run_opts_default();
	o.workers = GIL_THREADS;
	o.gil.switch_interval_ms = 0.5;
	o.stats = &stats;
	b->t0 = clock_now();
	faults_kernel_watch(1);
	int rc = model_run(m, b, &o, NULL);
	faults_kernel_watch(0);
	ck_assert_int_eq(rc, 0);

	ck_assert_int_eq(faults_kernel_max_at_once(), 1);
	ck_assert_int_eq(faults_kernel_threads(), GIL_THREADS);
	double first_end = b->results[0].end;
	double lock_wait = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->results[i].end < first_end)
			first_end = b->results[i].end;
		lock_wait += b->results[i].wait;
	}
	for (int w = 0; w < GIL_THREADS; w++) {
		double first = faults_kernel_first_s(w);
		ck_assert_msg(first > 0 && first < b->t0 + first_end,
			      "thread %d first computed %.1f ms after the "
			      "first task ended",
			      w, (first - b->t0 - first_end) * 1e3);
	}
	ck_assert(stats.handovers >= GIL_THREADS - 1);
	ck_assert(lock_wait > 0);
	support_assert_reference(b, 5000, "gil");
	batch_free(b);
}
END_TEST

/* ---- spawn cost --------------------------------------------------------- */

START_TEST(spawn_cost_gives_ordered_positive_figures)
{
	struct spawn_cost c;
	ck_assert_int_eq(spawn_cost_measure(15, &c), 0);
	ck_assert_int_eq(c.reps, 15);
	ck_assert(c.thread_min_us > 0);
	ck_assert(c.thread_min_us <= c.thread_us &&
		  c.thread_us <= c.thread_max_us);
	ck_assert(c.process_min_us > 0);
	ck_assert(c.process_min_us <= c.process_us &&
		  c.process_us <= c.process_max_us);
	assert_no_child_left();
}
END_TEST

Suite *test_suite(void)
{
	fetch_global_init(); /* as concur's main does, before any thread */
	Suite *s = suite_create("pool");
	TCase *tc = runner_tcase(s, "pool models", 60);
	tcase_add_loop_test(tc, pool_models_match_sequential_on_compute, 0, 3);
	tcase_add_test(tc, threads_start_the_pool_they_were_asked_for);
	tcase_add_test(tc, threads_fit_a_thousand_threads);
	tcase_add_test(tc, threads_go_on_with_fewer_when_a_limit_is_hit);
	tcase_add_test(tc,
		       processes_report_a_crashed_task_and_lose_nothing_else);
	tcase_add_test(tc, processes_with_one_worker_finish_after_a_crash);
	tcase_add_test(tc, processes_leave_no_child_behind);
	tcase_add_test(tc, processes_take_tasks_as_they_free_up);
	tcase_add_test(tc, gil_has_one_holder_and_starves_nobody);
	tcase_add_test(tc, spawn_cost_gives_ordered_positive_figures);
	return s;
}
