// SPDX-License-Identifier: MIT
/*
 * sequential.c - one task after another, on one thread.
 *
 * The lesson: this is the baseline every speedup is measured against. For
 * fetches the wall time is the sum of the waits, while the CPU sits idle
 * (compare wall time with user + system time in the table); for compute it
 * is the sum of the work on one core.
 *
 * Watch for: nothing can go wrong concurrently here, which is the point:
 * its results are the reference the other models are checked against.
 *
 * Run it:  build/concur run --models sequential --tasks 20 --delay 100
 *          and see about 20 x 100 ms of wall time and almost no CPU time.
 */
#include <stdio.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/shared.h"
#include "models/model.h"

/* ---- the run function ---- */

/* No state to share and no worker: the caller's thread runs every task. */
static int sequential_run(struct batch *batch, const struct run_opts *opts)
{
	double setup_start = clock_now();
	/* One handle for the whole run: its connection is kept alive. */
	CURL *h = fetch_handle_new();
	if (!h) {
		fprintf(stderr, "sequential: cannot create a CURL handle\n");
		return -1;
	}
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = 1;
	}
	/* The shared workload's counter: one thread, so any --sync is
	 * right here (the reference is computed this way). */
	batch->shared = shared_batch_has(batch)
				? shared_state_new(1, opts->sync)
				: NULL;
	for (size_t i = 0; i < batch->n; i++)
		task_execute(batch, i, h, opts, "sequential", 0);
	shared_finish(batch);
	shared_state_free(batch->shared);
	batch->shared = NULL;
	curl_easy_cleanup(h);
	return 0;
}

const struct model model_sequential = {
	.name = "sequential",
	.summary = "one task after another on one thread: the baseline",
	.run = sequential_run,
	.flags = MODEL_BASELINE,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
