// SPDX-License-Identifier: MIT
/* scenario_run.c - one scenario on one model, with the probes
 * (scenario_run.h). */
#include "tests/support/scenario_run.h"

#include <stdio.h>

#include "common/clock.h"
#include "harness/external/dispatch.h"
#include "tests/support/pool_probe.h"

struct run_opts scenario_opts(const struct scenario *sc)
{
	struct run_opts o = run_opts_default();
	o.workers = sc->workers;
	o.fetch.timeout_ms = sc->timeout_ms;
	return o;
}

/* What the probes saw of an exercise's run, before the results are
 * compared (so the message names the cause, not only the effect). */
static int scenario_pool(const struct scenario *sc, const struct batch *b,
			 const char *who, char *why, size_t len)
{
	if (pool_probe_ended_holding() > 0) {
		snprintf(why, len,
			 "%s: a worker thread ended holding a lock: a path "
			 "returns without pthread_mutex_unlock",
			 who);
		return -1;
	}
	if ((sc->probe & PROBE_BARRIER) && pool_probe_barrier_gave_up()) {
		snprintf(why, len,
			 "%s: at most %d of %d workers ran a task at once, "
			 "however long they waited: the pool runs tasks one "
			 "at a time (parallelism far below C)",
			 who, pool_probe_most_at_once(), sc->workers);
		return -1;
	}
	/* Only a consumer that was woken for nothing can have left on it
	 * (a pool that never waits loses its tasks otherwise). */
	if (!(sc->probe & PROBE_SPURIOUS) || pool_probe_waited() == 0)
		return 0;
	size_t lost = 0;
	for (size_t i = 0; i < b->n; i++)
		lost += b->results[i].kind == RESULT_NOT_RUN;
	if (lost == 0)
		return 0;
	snprintf(why, len,
		 "%s: %zu of %zu tasks never ran: consumers left after a "
		 "wake-up that found the queue empty but still open (each "
		 "woke once for nothing here, as POSIX allows)",
		 who, lost, b->n);
	return -1;
}

/* One run under the watchdog. An external model's threads are in another
 * process, and CPython computes ~80 times slower: only the caller's time
 * limit bounds it. */
static int scenario_once(const struct model *m, struct batch *b,
			 const struct run_opts *o, const char *who)
{
	batch_reset_results(b);
	pool_probe_watch_start(who,
			       m->flags & MODEL_EXTERNAL ? 0 : SCENARIO_HANG_S);
	b->t0 = clock_now();
	int rc = model_run(m, b, o, NULL);
	pool_probe_watch_stop();
	return rc;
}

int scenario_run(const struct model *m, const struct scenario *sc,
		 struct batch *b, struct run_opts *o, const char *who,
		 char *why, size_t len)
{
	pool_probe_arm(m->flags & MODEL_EXERCISE ? sc->probe : 0, sc->workers,
		       SCENARIO_GATE_S);
	if (scenario_once(m, b, o, who) != 0) {
		snprintf(why, len, "%s could not run it", who);
		return -1;
	}
	if (scenario_pool(sc, b, who, why, len) != 0)
		return -1;
	/* The soak: the same batch again, while every update was kept and
	 * time is left. The last run is the one compared. */
	double until = clock_now() + sc->soak_s;
	while (scenario_kept_every_update(b) && clock_now() < until)
		if (scenario_once(m, b, o, who) != 0) {
			snprintf(why, len, "%s could not run it again", who);
			return -1;
		}
	return 0;
}
