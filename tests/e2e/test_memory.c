// SPDX-License-Identifier: MIT
/*
 * test_memory.c - one measure of memory for every model: the peak PSS of
 * the run's whole process tree (harness/run/tree_memory.h), with CPU time
 * from every process of the tree. A model that touches a known number of
 * private MiB per worker shows them, as processes or as threads; C
 * processes share what fork shares; a Python pool of processes weighs more
 * than one interpreter.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/external/python.h"
#include "harness/run/measure.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- a model that touches a known amount of private memory ------------- */

#define TOUCH_MIB 24
#define TOUCH_WORKERS 4
#define TOUCH_HOLD_US 400000 /* long enough for many looks */
/* Under AddressSanitizer a worker's heap has a shadow too, one byte per
 * eight, which the worker writes and its PSS counts like any other page:
 * up to an eighth more than it touched. */
#ifdef __SANITIZE_ADDRESS__
#define TOUCH_SHADOW (1.0 + 1.0 / 8)
#else
#define TOUCH_SHADOW 1.0
#endif

/* MiB each worker touches; the child inherits it at fork. */
static size_t touch_mib;

/* Writes touch_mib MiB of pages of its own, holds them, frees them. */
static void *touch_worker(void *arg)
{
	(void)arg;
	size_t len = touch_mib << 20;
	char *p = len ? malloc(len) : NULL;
	if (p)
		memset(p, 0x5a, len);
	/* Keeps the compiler from dropping a buffer nobody reads. */
	__asm__ volatile("" : : "r"(p) : "memory");
	usleep(TOUCH_HOLD_US);
	free(p);
	return NULL;
}

static void touch_all_ok(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->results[i].kind = RESULT_OK;
}

/* TOUCH_WORKERS forked processes, each touching its own MiB. */
static int touch_processes_run(struct batch *b, const struct run_opts *o)
{
	(void)o;
	pid_t pids[TOUCH_WORKERS];
	for (int i = 0; i < TOUCH_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			touch_worker(NULL);
			_exit(0);
		}
	}
	for (int i = 0; i < TOUCH_WORKERS; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	touch_all_ok(b);
	return 0;
}

/* TOUCH_WORKERS threads, each touching its own MiB. */
static int touch_threads_run(struct batch *b, const struct run_opts *o)
{
	(void)o;
	pthread_t t[TOUCH_WORKERS];
	for (int i = 0; i < TOUCH_WORKERS; i++)
		pthread_create(&t[i], NULL, touch_worker, NULL);
	for (int i = 0; i < TOUCH_WORKERS; i++)
		pthread_join(t[i], NULL);
	touch_all_ok(b);
	return 0;
}

static const struct model touch_processes = {
	.name = "touch-processes",
	.summary = "test: workers touching known private memory",
	.run = touch_processes_run,
};
static const struct model touch_threads = {
	.name = "touch-threads",
	.summary = "test: threads touching known private memory",
	.run = touch_threads_run,
};

/* The run's tree peaks with each worker touching mib MiB. */
static struct measurement touch_measure(const struct model *m, size_t mib)
{
	struct batch *b = batch_new(1);
	ck_assert_ptr_nonnull(b);
	b->tasks[0].type = TASK_COMPUTE;
	struct run_opts o = run_opts_default();
	struct measurement out;
	touch_mib = mib;
	ck_assert_int_eq(measure_run(m, b, &o, NULL, &out), 0);
	batch_free(b);
	return out;
}

/* What each worker added, in MiB, between touching nothing and touching
 * TOUCH_MIB: the same forks and threads either way, so only the touched
 * pages differ. */
static void check_touched(const struct model *m)
{
	struct measurement none = touch_measure(m, 0);
	struct measurement some = touch_measure(m, TOUCH_MIB);
	double pss = (double)(some.tree.pss_kib - none.tree.pss_kib) / 1024 /
		     TOUCH_WORKERS;
	double uss = (double)(some.tree.uss_kib - none.tree.uss_kib) / 1024 /
		     TOUCH_WORKERS;
	ck_assert_msg(pss > TOUCH_MIB * 0.9 &&
			      pss < TOUCH_MIB * 1.1 * TOUCH_SHADOW,
		      "%s: %.2f MiB of PSS per worker, touched %d (%ld -> "
		      "%ld KiB, %ld samples)",
		      m->name, pss, TOUCH_MIB, none.tree.pss_kib,
		      some.tree.pss_kib, some.tree.samples);
	ck_assert_msg(uss > TOUCH_MIB * 0.9 &&
			      uss < TOUCH_MIB * 1.1 * TOUCH_SHADOW,
		      "%s: %.2f MiB of USS per worker, touched %d", m->name,
		      uss, TOUCH_MIB);
}

START_TEST(private_pages_of_processes_are_counted_within_10_percent)
{
	check_touched(&touch_processes);
	/* The workers were in the tree, at once, with the child. */
	struct measurement m = touch_measure(&touch_processes, 1);
	ck_assert_int_eq(m.tree.processes, TOUCH_WORKERS + 1);
}
END_TEST

START_TEST(private_pages_of_threads_are_counted_within_10_percent)
{
	check_touched(&touch_threads);
}
END_TEST

/* ---- the real models ------------------------------------------------ */

/* n fetches of /delay/ms from the test server. */
static struct batch *fetch_batch(size_t n, int ms)
{
	struct batch *b = batch_new(n);
	ck_assert_ptr_nonnull(b);
	char url[512];
	snprintf(url, sizeof(url), "%s/delay/%d", support_server_url, ms);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(batch_set_url(b, i, url), 0);
	return b;
}

static struct measurement run_model(const char *name, struct batch *b,
				    int workers)
{
	const struct model *m = model_find(name);
	ck_assert_ptr_nonnull(m);
	struct run_opts o = run_opts_default();
	o.workers = workers;
	struct measurement out;
	ck_assert_int_eq(measure_run(m, b, &o, NULL, &out), 0);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_msg(b->results[i].kind == RESULT_OK,
			      "%s task %zu: %s", name, i,
			      result_kind_name(b->results[i].kind));
	return out;
}

/* 16 forked workers share the program, the libraries and the parent's
 * heap: the tree's PSS is far below 16 times a worker's RSS, as RSS added
 * up would say, and above what the workers hold privately. */
START_TEST(processes_share_what_fork_shares)
{
	struct batch *b = fetch_batch(32, 300);
	struct measurement m = run_model("processes", b, 16);
	double worker_rss = (double)m.stats.workers_rss_kib / 16;
	ck_assert_msg(worker_rss > 0, "no worker RSS");
	ck_assert_int_eq(m.tree.processes, 17);
	ck_assert_msg((double)m.tree.pss_kib < 0.5 * 16 * worker_rss,
		      "PSS %ld KiB, one worker's RSS %.0f KiB", m.tree.pss_kib,
		      worker_rss);
	/* Each worker writes pages of its own (its stack, its curl handle):
	 * the tree's USS holds all of them, and the PSS holds the USS. */
	ck_assert_msg(m.tree.uss_kib > 16L * 32, "USS %ld KiB", m.tree.uss_kib);
	ck_assert_msg(m.tree.pss_kib >= m.tree.uss_kib,
		      "PSS %ld KiB < USS %ld KiB", m.tree.pss_kib,
		      m.tree.uss_kib);
	/* RSS summed counts the shared pages once per process. */
	ck_assert_msg(m.tree.rss_kib > 3 * m.tree.pss_kib,
		      "tree RSS %ld KiB, PSS %ld KiB", m.tree.rss_kib,
		      m.tree.pss_kib);
	batch_free(b);
}
END_TEST

/* A run shorter than the sampler's interval still has its memory: the
 * child's own last look. */
START_TEST(a_run_shorter_than_the_interval_has_a_peak)
{
	struct batch *b = batch_new(1);
	b->tasks[0].type = TASK_COMPUTE;
	struct measurement m = run_model("sequential", b, 1);
	ck_assert_msg(m.tree.pss_kib > 0 && m.tree.samples >= 1,
		      "PSS %ld KiB in %ld samples", m.tree.pss_kib,
		      m.tree.samples);
	batch_free(b);
}
END_TEST

/* The CPU the workers used is in the run's, as wait4 reports it once the
 * model has reaped them. */
static void check_cpu_of_workers(const char *seq, const char *par,
				 uint32_t work)
{
	struct batch *b = support_compute_batch(4, work);
	struct measurement s = run_model(seq, b, 1);
	struct measurement p = run_model(par, b, 2);
	double cs = s.usage.user_s + s.usage.system_s;
	double cp = p.usage.user_s + p.usage.system_s;
	ck_assert_msg(cp > 0.7 * cs, "%s used %.3f s of CPU, %s %.3f s", par,
		      cp, seq, cs);
	batch_free(b);
}

START_TEST(the_cpu_of_forked_workers_is_counted)
{
	check_cpu_of_workers("sequential", "processes", 50);
}
END_TEST

/* Is there a Python for the py-* models? */
static int have_python(void)
{
	char why[512];
	if (python_find(NULL, why, sizeof(why)))
		return 1;
	fprintf(stderr, "test_memory: py-* tests skipped: %s\n", why);
	return 0;
}

/* Four interpreters weigh more than one: the memory of the whole tree, not
 * of its largest process. */
START_TEST(python_processes_weigh_more_than_one_interpreter)
{
	if (!have_python())
		return;
	struct batch *b = fetch_batch(8, 300);
	struct measurement seq = run_model("py-sequential", b, 1);
	struct measurement par = run_model("py-processes", b, 4);
	ck_assert_msg(par.tree.processes >= 5, "%d processes",
		      par.tree.processes);
	ck_assert_msg(par.tree.pss_kib > 1.5 * (double)seq.tree.pss_kib,
		      "py-processes %ld KiB, py-sequential %ld KiB",
		      par.tree.pss_kib, seq.tree.pss_kib);
	batch_free(b);
	check_cpu_of_workers("py-sequential", "py-processes", 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("memory");
	TCase *tc = runner_tcase(s, "memory", 300);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(
		tc, private_pages_of_processes_are_counted_within_10_percent);
	tcase_add_test(tc,
		       private_pages_of_threads_are_counted_within_10_percent);
	tcase_add_test(tc, processes_share_what_fork_shares);
	tcase_add_test(tc, a_run_shorter_than_the_interval_has_a_peak);
	tcase_add_test(tc, the_cpu_of_forked_workers_is_counted);
	tcase_add_test(tc, python_processes_weigh_more_than_one_interpreter);
	return s;
}
