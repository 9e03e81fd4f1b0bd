// SPDX-License-Identifier: MIT
/*
 * test_conformance.c - every registered model, on the same batches, must
 * produce exactly the sequential reference's results. One table of
 * scenarios, one loop over the registry: a model added later is tested by
 * this file unchanged. Exercises are left out unless named in the
 * CONCUR_MODELS environment variable (make check-model MODEL=student);
 * CONCUR_LIST_SCENARIOS=1 prints the names of the scenarios they run, one
 * a line, in the order their tests run (for `concur grade`, which names
 * one model).
 *
 * The "pool:" scenarios are where a queue-fed pool's classic bugs show
 * every time (tests/support/pool_probe.h sets them up for exercises):
 * every consumer asleep on an empty queue when it closes (a close that
 * signals instead of broadcasting leaves some asleep), a spurious wake-up
 * for each (an `if` around the wait lets the consumer leave), and tasks
 * that wait until C of them run at once (a pool that holds its lock while
 * running a task never gets there). Every run has a watchdog: a hang ends
 * in seconds, saying what the threads wait on, and a worker that ends
 * holding a lock ends the run at once.
 *
 * The "shared:" scenarios add to one counter from every worker (the
 * shared workload, common/shared.h): millions of increments, 8 and 16
 * workers at once, again for half a second while nothing is lost, so a
 * tally that loses updates is caught even on a busy machine, and
 * ThreadSanitizer sees the race in the first few increments.
 * Models that run no shared workload (external ones, hybrid, exercise 1)
 * skip them; the tally exercise (MODEL_SHARED_ONLY) runs only them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"
#include "models/model.h"
#include "tests/support/pool_probe.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* Which models a scenario is for (scenario_applies). */
enum scenario_group {
	GROUP_EVERY, /* every model but the tally exercise */
	GROUP_SHARED /* models that run the shared workload */
};

struct scenario {
	const char *name;
	enum scenario_group group;
	double soak_s; /* run again until this long has passed, unless a
			  run loses updates (0: once) */
	int workers;
	unsigned probe; /* pool_probe.h's flags, for exercises */
	size_t tasks;
	long timeout_ms;
	void (*build)(struct batch *b, size_t i);
};

/* How long a run may take before the watchdog calls it a hang, and how
 * long the gate and the barrier wait for the workers; longer under a
 * sanitizer, which slows threads down several times. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define CONFORMANCE_HANG_S 20.0
#define CONFORMANCE_GATE_S 6.0
#else
#define CONFORMANCE_HANG_S 10.0
#define CONFORMANCE_GATE_S 3.0
#endif

/* The shared scenarios' increments a task. A race needs two threads on
 * two cores at once, and a fast tally is done with 16 million increments
 * in a few ms: on a busy machine one run can miss. Runs that kept every
 * update are repeated until CONFORMANCE_SOAK_S has passed: a racy tally,
 * as fast as a right one, gets dozens of tries; a slow right one (a
 * mutex) runs once. ThreadSanitizer reports the first racing pair of
 * accesses whether or not an update was lost, and its locks are slow: a
 * few increments, once. */
#if defined(__SANITIZE_THREAD__)
#define CONFORMANCE_INCREMENTS 50000
#define CONFORMANCE_SOAK_S 0.0
#else
#define CONFORMANCE_INCREMENTS 1000000
#define CONFORMANCE_SOAK_S 0.5
#endif

/* Mixed delays and sizes, 404 and 503, a refused port, a timeout. */
static void build_fetch(struct batch *b, size_t i)
{
	static const char *const paths[] = {
		"/delay/0?bytes=100", "/delay/30?bytes=5000",
		"/bytes/0",	      "/bytes/70000",
		"/status/404",	      "/status/503",
		"/delay/10?bytes=1",  "http://127.0.0.1:1/refused",
		"/delay/5000",	      "/delay/5?bytes=333",
	};
	b->tasks[i].type = TASK_FETCH;
	support_set_url(b, i, paths[i % (sizeof(paths) / sizeof(paths[0]))]);
}

/* The server's faults: a reset, a truncated body, an answer that never
 * comes (the timeout must fire), and a slow drip that still ends ok. */
static void build_faults(struct batch *b, size_t i)
{
	static const char *const paths[] = {"/reset", "/truncate/1000", "/hang",
					    "/bytes/10", "/drip/5?ms=10"};
	b->tasks[i].type = TASK_FETCH;
	support_set_url(b, i, paths[i % 5]);
}

static void build_compute(struct batch *b, size_t i)
{
	b->tasks[i].type = TASK_COMPUTE;
	b->tasks[i].seed = i;
	b->tasks[i].work = (uint32_t)(i % 3 + 1);
}

/* Fetch then compute seeded by the body; a failed fetch skips compute. */
static void build_mixed(struct batch *b, size_t i)
{
	char path[64];
	b->tasks[i].type = TASK_MIXED;
	b->tasks[i].work = 2;
	if (i == 3)
		snprintf(path, sizeof(path), "/status/503");
	else
		snprintf(path, sizeof(path), "/delay/20?bytes=%zu", i * 100);
	support_set_url(b, i, path);
}

/* Alternating fetch and compute, for the edge cases. */
static void build_both(struct batch *b, size_t i)
{
	if (i % 2)
		build_compute(b, i);
	else
		support_set_url(b, i, "/delay/5?bytes=64");
}

/* Increments of the one shared counter: a task is many of them. */
static void build_shared(struct batch *b, size_t i)
{
	b->tasks[i].type = TASK_SHARED;
	b->tasks[i].seed = i;
	b->tasks[i].work = CONFORMANCE_INCREMENTS;
}

/* The same, small: with one worker nothing can race, so only a total
 * that misses increments or counts some twice is wrong. */
static void build_shared_small(struct batch *b, size_t i)
{
	build_shared(b, i);
	b->tasks[i].work = 10000;
}

static const struct scenario scenarios[] = {
	{"fetch: delays, sizes, 404, 503, refused, timeout", GROUP_EVERY, 0, 4,
	 0, 20, 800, build_fetch},
	{"faults: reset, truncated, hang, drip", GROUP_EVERY, 0, 3, 0, 10, 600,
	 build_faults},
	{"compute", GROUP_EVERY, 0, 3, 0, 10, 5000, build_compute},
	{"mixed", GROUP_EVERY, 0, 4, 0, 8, 5000, build_mixed},
	{"edge: C = 1", GROUP_EVERY, 0, 1, 0, 6, 5000, build_both},
	{"edge: C > N", GROUP_EVERY, 0, 16, 0, 3, 5000, build_both},
	{"edge: N = 0", GROUP_EVERY, 0, 4, 0, 0, 5000, build_both},
	{"edge: N = 1", GROUP_EVERY, 0, 4, 0, 1, 5000, build_both},
	{"pool: more workers than tasks, then close", GROUP_EVERY, 0, 8,
	 PROBE_GATE, 2, 5000, build_both},
	{"pool: many consumers on an empty queue", GROUP_EVERY, 0, 8,
	 PROBE_GATE | PROBE_SPURIOUS, 6, 5000, build_both},
	{"pool: every worker takes part", GROUP_EVERY, 0, 4, PROBE_BARRIER, 12,
	 5000, build_both},
	{"shared: one worker, the total is right", GROUP_SHARED, 0, 1, 0, 4,
	 5000, build_shared_small},
	{"shared: 8 workers at once, nothing lost", GROUP_SHARED,
	 CONFORMANCE_SOAK_S, 8, 0, 16, 5000, build_shared},
	{"shared: 16 workers, slots past one cache line", GROUP_SHARED,
	 CONFORMANCE_SOAK_S, 16, 0, 16, 5000, build_shared},
};

#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static const struct model *tested[64];
static size_t n_tested;

/* What the loop test runs: (model, scenario), model by model. */
struct pairing {
	const struct model *model;
	const struct scenario *scenario;
};
static struct pairing pairs[64 * N_SCENARIOS];
static size_t n_pairs;

/* Is the scenario for this model? The tally exercise is graded on the
 * shared workload alone; models that cannot run it skip it. */
static int scenario_applies(const struct model *m, const struct scenario *sc)
{
	if (m->flags & MODEL_SHARED_ONLY)
		return sc->group == GROUP_SHARED;
	if (sc->group == GROUP_SHARED)
		return !(m->flags & (MODEL_NO_SHARED | MODEL_EXTERNAL));
	return 1;
}

static void choose_pairs(void)
{
	for (size_t i = 0; i < n_tested; i++)
		for (size_t k = 0; k < N_SCENARIOS; k++)
			if (scenario_applies(tested[i], &scenarios[k]))
				pairs[n_pairs++] = (struct pairing){
					tested[i], &scenarios[k]};
}

/* An optional model (Open MPI's) that cannot run here is left out with
 * the reason; under CI=true, where everything is installed, it is not. */
static int conformance_available(const struct model *m)
{
	char why[512];
	struct run_opts o = run_opts_default();
	const char *ci = getenv("CI");
	if (!(m->flags & MODEL_MPI) || (ci && strcmp(ci, "true") == 0) ||
	    external_available(m, &o, why, sizeof(why)))
		return 1;
	fprintf(stderr, "conformance: %s left out: %s\n", m->name, why);
	return 0;
}

/* The models under test: CONCUR_MODELS if set, else every non-exercise. */
static void choose_models(void)
{
	const char *only = getenv("CONCUR_MODELS");
	if (!only || !only[0]) {
		const struct model *all[64];
		size_t n = support_models(all, 64, MODEL_EXERCISE);
		for (size_t i = 0; i < n; i++)
			if (conformance_available(all[i]))
				tested[n_tested++] = all[i];
		return;
	}
	size_t n;
	const struct model *const *all = model_list(&n);
	char pad[256];
	snprintf(pad, sizeof(pad), ",%s,", only);
	for (size_t i = 0; i < n && n_tested < 64; i++) {
		char key[80];
		snprintf(key, sizeof(key), ",%s,", all[i]->name);
		if (strstr(pad, key))
			tested[n_tested++] = all[i];
	}
}

/* What the probes saw of an exercise's run, before the results are
 * compared (so the message names the cause, not only the effect). */
static void check_pool(const struct scenario *sc, const struct batch *b,
		       const char *who)
{
	ck_assert_msg(pool_probe_ended_holding() == 0,
		      "%s: a worker thread ended holding a lock: a path "
		      "returns without pthread_mutex_unlock",
		      who);
	if (sc->probe & PROBE_BARRIER)
		ck_assert_msg(!pool_probe_barrier_gave_up(),
			      "%s: at most %d of %d workers ran a task at "
			      "once, however long they waited: the pool runs "
			      "tasks one at a time (parallelism far below C)",
			      who, pool_probe_most_at_once(), sc->workers);
	/* Only a consumer that was woken for nothing can have left on it
	 * (a pool that never waits loses its tasks otherwise). */
	if (!(sc->probe & PROBE_SPURIOUS) || pool_probe_waited() == 0)
		return;
	size_t lost = 0;
	for (size_t i = 0; i < b->n; i++)
		lost += b->results[i].kind == RESULT_NOT_RUN;
	ck_assert_msg(lost == 0,
		      "%s: %zu of %zu tasks never ran: consumers left after "
		      "a wake-up that found the queue empty but still open "
		      "(each woke once for nothing here, as POSIX allows)",
		      who, lost, b->n);
}

/* Did every shared task of the run see every increment made? */
static int kept_every_update(const struct batch *b)
{
	uint64_t made = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->tasks[i].type == TASK_SHARED)
			made += b->tasks[i].work;
	for (size_t i = 0; i < b->n; i++)
		if (b->tasks[i].type == TASK_SHARED &&
		    b->results[i].checksum != made)
			return 0;
	return 1;
}

/* A scenario with soak_s: the same batch again, while every update was
 * kept and time is left (CONFORMANCE_SOAK_S). The last run is the one
 * compared with the reference. */
static void soak(const struct model *m, const struct scenario *sc,
		 struct batch *b, const struct run_opts *o, const char *who)
{
	double until = clock_now() + sc->soak_s;
	while (kept_every_update(b) && clock_now() < until) {
		batch_reset_results(b);
		pool_probe_watch_start(who, CONFORMANCE_HANG_S);
		b->t0 = clock_now();
		int rc = model_run(m, b, o);
		pool_probe_watch_stop();
		ck_assert_msg(rc == 0, "%s could not run it again", who);
	}
}

/* One (model, scenario): run it, then compare with the reference. */
START_TEST(model_matches_reference)
{
	const struct model *m = pairs[_i].model;
	const struct scenario *sc = pairs[_i].scenario;
	struct batch *b = batch_new(sc->tasks);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < sc->tasks; i++)
		sc->build(b, i);
	struct run_opts o = run_opts_default();
	struct run_stats stats = {0};
	o.workers = sc->workers;
	o.fetch.timeout_ms = sc->timeout_ms;
	o.stats = &stats;
	char who[256];
	snprintf(who, sizeof(who), "%s on '%s'", m->name, sc->name);
	pool_probe_arm(m->flags & MODEL_EXERCISE ? sc->probe : 0, sc->workers,
		       CONFORMANCE_GATE_S);
	/* An external model's threads are in another process, and CPython
	 * computes ~80 times slower: only the suite's timeout bounds it. */
	pool_probe_watch_start(
		who, m->flags & MODEL_EXTERNAL ? 0 : CONFORMANCE_HANG_S);
	b->t0 = clock_now();
	int rc = model_run(m, b, &o);
	pool_probe_watch_stop();
	ck_assert_msg(rc == 0, "%s could not run '%s'", m->name, sc->name);
	check_pool(sc, b, who);
	soak(m, sc, b, &o, who);
	support_assert_reference(b, sc->timeout_ms, who);
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		ck_assert_msg(r->worker >= 0 && r->end >= r->start,
			      "%s on '%s': task %zu has no worker or runs "
			      "backwards",
			      m->name, sc->name, i);
	}
	batch_free(b);
}
END_TEST

Suite *test_suite(void)
{
	choose_models();
	choose_pairs();
	/* `concur grade` names its checks after the scenarios. */
	if (getenv("CONCUR_LIST_SCENARIOS")) {
		for (size_t i = 0; i < n_pairs; i++)
			printf("%s\n", pairs[i].scenario->name);
		exit(0);
	}
	if (n_tested == 0) {
		fprintf(stderr,
			"conformance: no model matches CONCUR_MODELS="
			"'%s'\n",
			getenv("CONCUR_MODELS"));
		exit(1);
	}
	Suite *s = suite_create("conformance");
	TCase *tc = runner_tcase(s, "every model, every scenario", 120);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_loop_test(tc, model_matches_reference, 0, (int)n_pairs);
	return s;
}
