// SPDX-License-Identifier: MIT
/*
 * test_conformance.c - every registered model, on the same batches, must
 * produce exactly the sequential reference's results. One table of
 * scenarios (harness/grade/scenarios.c, which the grader reads too), one
 * loop over the registry: a model added later is tested by this file
 * unchanged. Exercises are left out unless named in the CONCUR_MODELS
 * environment variable (CONCUR_MODELS=student build/tests/test_conformance).
 *
 * Each run goes through tests/support/scenario_run.c: the probes set up
 * the "pool:" scenarios so that a queue-fed pool's classic bugs show every
 * time (every consumer asleep on an empty queue when it closes, a
 * spurious wake-up for each, tasks that wait until C of them run at once),
 * a watchdog ends a hang in seconds saying what the threads wait on, and
 * the "shared:" scenarios run again for half a second while nothing is
 * lost, so a tally that loses updates is caught even on a busy machine.
 * Models that run no shared workload (external ones, hybrid, exercise 1)
 * skip them; the tally exercise (MODEL_SHARED_ONLY) runs only them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/external/external.h"
#include "harness/grade/scenarios.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/scenario_run.h"
#include "tests/support/support.h"

static const struct scenario *scenarios;
static size_t n_scenarios;

static const struct model *tested[64];
static size_t n_tested;

/* What the loop test runs: (model, scenario), model by model. */
struct pairing {
	const struct model *model;
	const struct scenario *scenario;
};
static struct pairing pairs[64 * 32];
static size_t n_pairs;

/* In a suite run in parts (tests/run-tests.sh, TESTS_SPLIT), this part's
 * share: every n-th pair, so that each part has its share of the slow
 * external models. */
static void choose_pairs(void)
{
	size_t seen = 0;
	scenarios = scenarios_all(&n_scenarios);
	for (size_t i = 0; i < n_tested; i++)
		for (size_t k = 0; k < n_scenarios &&
				   n_pairs < sizeof(pairs) / sizeof(pairs[0]);
		     k++)
			if (scenario_applies(tested[i]->flags, &scenarios[k]) &&
			    runner_in_part(seen++))
				pairs[n_pairs++] = (struct pairing){
					tested[i], &scenarios[k]};
}

/* An optional model (Open MPI's, Dask's) that cannot run here is left out
 * with the reason; under CI=true, where everything is installed, it is
 * not. */
static int conformance_available(const struct model *m)
{
	char why[512];
	const char *ci = getenv("CI");
	if (!(m->flags & (MODEL_MPI | MODEL_DASK)) ||
	    (ci && strcmp(ci, "true") == 0) ||
	    external_available(m, NULL, why, sizeof(why)))
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

/* One (model, scenario): run it, then compare with the reference. */
START_TEST(model_matches_reference)
{
	const struct model *m = pairs[_i].model;
	const struct scenario *sc = pairs[_i].scenario;
	struct batch *b = scenario_batch(sc, support_server_url);
	ck_assert_ptr_nonnull(b);
	struct run_opts o = scenario_opts(sc);
	struct run_stats stats = {0};
	o.stats = &stats;
	char who[256], why[512];
	snprintf(who, sizeof(who), "%s on '%s'", m->name, sc->name);
	ck_assert_msg(scenario_run(m, sc, b, &o, who, why, sizeof(why)) == 0,
		      "%s", why);
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
