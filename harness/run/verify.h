// SPDX-License-Identifier: MIT
/*
 * verify.h - checking a model's results against the sequential reference.
 *
 * The reference is the same batch run sequentially with every /delay/MS
 * under the timeout shortened to /delay/0: no result but the timing
 * depends on the delay, so verification costs seconds even when the timed
 * batch would take minutes sequentially.
 *
 * A task is right when kind, status, bytes and checksum all match. A
 * shared task's checksum is the shared counter's final value, so a run
 * that lost updates has every shared task wrong, said in one line:
 * "kept 1,734,211 of 2,000,000 increments (265,789 lost updates)". A
 * difference that timing alone can explain (a `timeout` under load where
 * the reference had none) is counted apart and warned about; it is not a
 * wrong result.
 */
#ifndef CONCUR_VERIFY_H
#define CONCUR_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/task.h"

#define VERIFY_MAX_LINES 5

struct verify_report {
	size_t checked;
	size_t wrong;	/* results that differ for no timing reason */
	size_t timing;	/* differences timing can explain */
	size_t late;	/* open loop: tasks that arrived too late to start
			   (not_run by the deadline: the overload) */
	size_t crashed; /* tasks whose worker died */
	char lines[VERIFY_MAX_LINES][256]; /* the first differences, said */
	size_t n_lines;
	int shared_noted; /* a line says the shared counter's total */
	int64_t lost;	  /* shared: increments the counter lost (the
			     reference's total minus this run's; negative
			     when counted twice); 0 otherwise */
	bool stopped;	  /* the run had to be stopped (the watchdog, a
			     program killed at its time limit): a failed
			     run whatever its tasks gave */
};

/* A copy of b for the reference run: same tasks, delays under timeout_ms
 * shortened to 0. NULL on failure. */
struct batch *verify_reference_batch(const struct batch *b, long timeout_ms);

/* Compares got with ref task by task. */
void verify_results(const struct batch *ref, const struct batch *got,
		    struct verify_report *rep);

/* The model itself hung (a program killed at its time limit): the run is
 * stopped, the tasks it left as timeouts are wrong, not timing; why is
 * said as a line. */
void verify_model_hung(struct verify_report *rep, const char *why);

/* v with a comma every three digits: 1734211 as "1,734,211" (lesson 11
 * says its losses the way these lines do). */
void verify_thousands(uint64_t v, char *buf, size_t len);

/* Is the report clean (nothing wrong, nothing crashed, not stopped)? */
static inline int verify_ok(const struct verify_report *rep)
{
	return rep->wrong == 0 && rep->crashed == 0 && !rep->stopped;
}

#endif
