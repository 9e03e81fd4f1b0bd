// SPDX-License-Identifier: MIT
/*
 * measure.h - one measured run: the model runs in a freshly forked child of
 * the harness, so wait4() gives that run's own CPU times and context
 * switches (with every process it started and reaped), a sampler weighs its
 * whole process tree's memory (tree_memory.h), and nothing from one run
 * leaks into the next. The results come back through memory shared with
 * the child.
 */
#ifndef CONCUR_MEASURE_H
#define CONCUR_MEASURE_H

#include "common/clock.h"
#include "common/options.h"
#include "common/task.h"
#include "harness/external/external_opts.h"
#include "harness/run/tree_memory.h"
#include "models/model.h"

struct measurement {
	double wall_s;		 /* model_run, set-up included; NAN when the
				    model could not run or the child died */
	struct usage usage;	 /* the child's own, from wait4 */
	struct tree_memory tree; /* the process tree's peaks: PSS, USS, RSS */
	long peak_rss_kib;	 /* the older RSS figure: the child's peak + its
			       workers' (processes), the largest process's
			       (external models) */
	long start_rss_kib; /* the child's resident set as the model began */
	struct run_stats stats;
	int model_rc;	   /* what model_run returned */
	int died_signal;   /* the run's process died of this signal, or 0 */
	int interrupted;   /* SIGINT/SIGTERM reached the harness */
	int timed_out;	   /* the watchdog killed the run */
	double limit_s;	   /* the limit it passed, when timed_out */
	size_t unfinished; /* tasks the watchdog's kill left unfinished */
};

/* Seconds the watchdog adds to an external model's own time limit. */
#define MEASURE_EXTERNAL_GRACE_S 10.0

/* Runs m on b (results are written into b->results) with o and, for an
 * external model, x (NULL: none; dispatch.h) in a forked child, killed
 * with its process group if it runs past x->model_timeout_s (NULL or 0:
 * no limit). Returns 0 when a measurement was made, -1 when the child could
 * not be started. Tasks left unfinished by a child that died are
 * `crashed`; by one the watchdog stopped, `timeout` (started) or
 * `not_run`. */
int measure_run(const struct model *m, struct batch *b,
		const struct run_opts *o, const struct external_opts *x,
		struct measurement *out);

/* Set by the harness's SIGINT/SIGTERM handler; measure_run stops early. */
extern volatile int measure_stop_requested;

#endif
