// SPDX-License-Identifier: MIT
/*
 * scenarios.h - the conformance scenarios: the batches every model must
 * run exactly as the sequential reference does. One table, compiled into
 * the conformance suite (tests/conformance/test_conformance.c, which runs
 * every model in its own process) and into the grader (grade.c, which
 * sends each batch to the student's model in a contained host process and
 * checks the results itself), so the tests and the grades agree.
 *
 * The "pool:" scenarios are where a queue-fed pool's classic bugs show
 * every time (tests/support/pool_probe.h sets them up for exercises);
 * the "shared:" scenarios add to one counter from every worker (the
 * shared workload, common/shared.h), again for half a second while
 * nothing is lost, so that a tally that loses updates is caught even on a
 * busy machine. Models that run no shared workload skip them; the tally
 * exercise (MODEL_SHARED_ONLY) runs only them.
 *
 * Errors: scenario_batch returns NULL when out of memory.
 */
#ifndef CONCUR_GRADE_SCENARIOS_H
#define CONCUR_GRADE_SCENARIOS_H

#include <stddef.h>

#include "common/task.h"
#include "models/model.h"

/* How long a run may take before the watchdog calls it a hang, and how
 * long the gate and the barrier wait for the workers; longer under a
 * sanitizer, which slows threads down several times. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SCENARIO_HANG_S 20.0
#define SCENARIO_GATE_S 6.0
#else
#define SCENARIO_HANG_S 10.0
#define SCENARIO_GATE_S 3.0
#endif

/* What the probes set up for an exercise's run (the test binaries'
 * pthread wrappers, tests/support/pool_probe.h, say how). */
enum scenario_probe {
	PROBE_GATE = 1 << 0,	 /* every consumer asleep before any push */
	PROBE_SPURIOUS = 1 << 1, /* each thread's first wait returns at once */
	PROBE_BARRIER = 1 << 2,	 /* tasks wait until C of them run at once */
};

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
	unsigned probe; /* enum scenario_probe, for exercises */
	size_t tasks;
	long timeout_ms;
	/* Task i of the batch; URLs are paths on the server at base. */
	void (*build)(struct batch *b, size_t i, const char *base);
};

/* The table, in the order the checks run. */
const struct scenario *scenarios_all(size_t *count);

/* The scenario called name, or NULL. */
const struct scenario *scenario_find(const char *name);

/* Is the scenario for a model with these flags? */
int scenario_applies(unsigned model_flags, const struct scenario *sc);

/* A new batch of the scenario's tasks, fetching from the server at base
 * ("http://127.0.0.1:PORT"); NULL when out of memory. */
struct batch *scenario_batch(const struct scenario *sc, const char *base);

/* Did every shared task of the run see every increment made? */
int scenario_kept_every_update(const struct batch *b);

#endif
