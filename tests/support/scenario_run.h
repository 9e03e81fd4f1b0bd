// SPDX-License-Identifier: MIT
/*
 * scenario_run.h - one conformance scenario (harness/grade/scenarios.h)
 * run on one model with the probes (pool_probe.h): armed for an exercise,
 * a watchdog over the run, what the probes saw checked, and the soak of
 * the shared scenarios. The conformance suite runs it inside a Check
 * test; the grader's host (tests/conformance/host.c) runs it in a
 * contained process and reports what it says.
 *
 * Errors: returns 0, or -1 with the reason in why (the model could not
 * run, or the probes saw a classic pool bug). The watchdog's verdict (a
 * hang, a lock never released) goes through pool_probe_on_verdict.
 */
#ifndef CONCUR_TEST_SCENARIO_RUN_H
#define CONCUR_TEST_SCENARIO_RUN_H

#include <stddef.h>

#include "harness/grade/scenarios.h"
#include "models/model.h"

/* Runs m on b (the scenario's batch, results reset) with o; who names the
 * run in messages ("student on 'compute'"). */
int scenario_run(const struct model *m, const struct scenario *sc,
		 struct batch *b, struct run_opts *o, const char *who,
		 char *why, size_t len);

/* The run_opts a scenario gives a model. */
struct run_opts scenario_opts(const struct scenario *sc);

#endif
