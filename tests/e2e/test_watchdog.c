// SPDX-License-Identifier: MIT
/*
 * test_watchdog.c - every measured run has a time limit: a model that
 * deadlocks (two threads taking two locks in opposite orders, as a
 * student's model might) is killed within its limit, its tasks are
 * recorded (`timeout` if started, `not_run` if not), and `concur run`
 * says so, goes on with the sweep and exits 1.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/run/measure.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- a model that deadlocks ---------------------------------------------- */

struct deadlock_state {
	struct batch *batch;
	pthread_mutex_t a, b;
	pthread_barrier_t both_hold_one; /* each holds its first lock */
};

struct deadlock_worker {
	struct deadlock_state *st;
	int id; /* 0 takes a then b; 1 takes b then a */
};

static void *deadlock_worker_main(void *arg)
{
	struct deadlock_worker *w = arg;
	struct deadlock_state *st = w->st;
	pthread_mutex_t *first = w->id == 0 ? &st->a : &st->b;
	pthread_mutex_t *second = w->id == 0 ? &st->b : &st->a;
	struct result *r = &st->batch->results[w->id];
	r->worker = w->id; /* started */
	pthread_mutex_lock(first);
	pthread_barrier_wait(&st->both_hold_one);
	pthread_mutex_lock(second); /* never returns */
	r->kind = RESULT_OK;
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
	return NULL;
}

static int deadlock_run(struct batch *batch, const struct run_opts *opts)
{
	(void)opts;
	struct deadlock_state st = {.batch = batch};
	pthread_mutex_init(&st.a, NULL);
	pthread_mutex_init(&st.b, NULL);
	pthread_barrier_init(&st.both_hold_one, NULL, 2);
	pthread_t tids[2];
	struct deadlock_worker ws[2] = {{&st, 0}, {&st, 1}};
	for (int i = 0; i < 2; i++)
		pthread_create(&tids[i], NULL, deadlock_worker_main, &ws[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(tids[i], NULL);
	return 0;
}

static const struct model model_deadlock = {
	.name = "deadlock",
	.summary = "two threads, two locks, opposite orders",
	.run = deadlock_run,
};

/* ---- the tests ------------------------------------------------------------ */

START_TEST(a_deadlocked_model_is_killed_and_its_tasks_recorded)
{
	struct batch *b = batch_new(3);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = TASK_COMPUTE;
		b->tasks[i].work = 1;
		b->tasks[i].seed = i;
	}
	struct run_opts o = run_opts_default();
	struct external_opts x = {.model_timeout_s = 1.0};
	struct measurement m;
	double t0 = clock_now();
	ck_assert_int_eq(measure_run(&model_deadlock, b, &o, &x, &m), 0);
	double took = clock_now() - t0;
	ck_assert_int_eq(m.timed_out, 1);
	ck_assert_msg(took >= 1.0 && took < 5.0, "took %.2f s", took);
	ck_assert_double_eq_tol(m.limit_s, 1.0, 1e-9);
	/* Tasks 0 and 1 had started (their threads hold a lock each); task
	 * 2 never did. */
	ck_assert_int_eq(b->results[0].kind, RESULT_TIMEOUT);
	ck_assert_int_eq(b->results[1].kind, RESULT_TIMEOUT);
	ck_assert_int_eq(b->results[2].kind, RESULT_NOT_RUN);
	ck_assert_msg(strstr(b->results[2].message, "watchdog") != NULL, "%s",
		      b->results[2].message);
	batch_free(b);
}
END_TEST

START_TEST(a_run_without_limit_is_not_stopped)
{
	struct batch *b = batch_new(2);
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = TASK_COMPUTE;
		b->tasks[i].work = 1;
	}
	struct run_opts o = run_opts_default();
	struct external_opts x = {.model_timeout_s = 30};
	struct measurement m;
	ck_assert_int_eq(measure_run(model_find("threads"), b, &o, &x, &m), 0);
	ck_assert_int_eq(m.timed_out, 0);
	ck_assert_int_eq(b->results[0].kind, RESULT_OK);
	batch_free(b);
}
END_TEST

/* A C model whose fetches hang (the server's /hang, a 60 s transfer
 * timeout) under --model-timeout 2: each run is killed at 2 s, the sweep
 * goes on to the next model, the tasks are recorded, and the exit status
 * is 1. */
START_TEST(concur_run_stops_a_hung_model_and_goes_on)
{
	char path[] = "/tmp/concur-watchdog-XXXXXX",
	     dir[] = "/tmp/concur-wd-out-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	FILE *f = fdopen(fd, "w");
	fprintf(f, "%s/hang\n%s/hang\n", support_server_url,
		support_server_url);
	fclose(f);
	char args[1024], out[16384], err[8192];
	snprintf(args, sizeof(args),
		 "run --models sequential,threads --url-file %s --workers 2 "
		 "--timeout 60000 --model-timeout 2 --repeat 1 --no-plot "
		 "--quiet --out %s",
		 path, dir);
	double t0 = clock_now();
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	double took = clock_now() - t0;
	ck_assert_msg(rc == 1, "exit %d\n%s\n%s", rc, out, err);
	ck_assert_msg(took < 30, "took %.1f s", took);
	ck_assert_msg(
		strstr(err, "threads fetch C=2 ran past its time limit") !=
			NULL,
		"%s", err);
	ck_assert_msg(strstr(out, "stopped by the watchdog") != NULL, "%s",
		      out);
	char cmd[8400];
	snprintf(cmd, sizeof(cmd),
		 "grep -c ',threads,2,[01],[01],.*,timeout,' "
		 "%s/latest/tasks.csv "
		 "| grep -qx 2",
		 dir);
	ck_assert_msg(system(cmd) == 0, "tasks.csv lacks the timeouts");
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, path);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Exercise 1's answer with consumers that wait while the queue is empty,
 * closed or not (tests/e2e/fixtures/consumer-misses-close.sed): every task
 * is done, then the model never returns. A run the watchdog had to stop
 * is a failed run: FAILED in the table, `verified` no and `stopped` yes
 * in runs.csv, exit 1, and the note says the tasks were done. */
START_TEST(a_model_that_never_returns_fails_though_its_tasks_are_done)
{
	const char *build = getenv("BUILD");
	char bin[512], dir[] = "/tmp/concur-wd-out-XXXXXX";
	snprintf(bin, sizeof(bin), "%s/fixtures/consumer-misses-close/concur",
		 build && build[0] ? build : "build");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char args[1024], out[16384], err[8192];
	snprintf(args, sizeof(args),
		 "run --models solution --workloads compute --tasks 8 "
		 "--workers 2 --repeat 1 --model-timeout 2 --no-plot --out %s",
		 dir);
	int rc = support_run_bin(bin, args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 1, "exit %d (make fixtures?)\n%s\n%s", rc, out,
		      err);
	ck_assert_msg(strstr(out, "FAILED: solution compute C=2 rep 1: "
				  "stopped"),
		      "%s", out);
	ck_assert_msg(strstr(out, "all 8 tasks done, but the model never "
				  "returned"),
		      "%s", out);
	const char *row = support_table_row(out, "solution");
	ck_assert_msg(row && strstr(row, " NO"), "the table says ok: %s", out);
	char cmd[8400];
	snprintf(cmd, sizeof(cmd),
		 /* stopped, then late and arrival (results/README.md) */
		 "grep -q '^compute,solution,2,.*,no,.*,yes,0,closed,' "
		 "%s/latest/runs.csv",
		 dir);
	ck_assert_msg(system(cmd) == 0, "runs.csv: not verified=no, "
					"stopped=yes");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("watchdog");
	TCase *tc = runner_tcase(s, "watchdog", 120);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, a_deadlocked_model_is_killed_and_its_tasks_recorded);
	tcase_add_test(tc, a_run_without_limit_is_not_stopped);
	tcase_add_test(tc, concur_run_stops_a_hung_model_and_goes_on);
	tcase_add_test(
		tc, a_model_that_never_returns_fails_though_its_tasks_are_done);
	return s;
}
