// SPDX-License-Identifier: MIT
/*
 * arrival.h - open-loop arrivals: tasks that arrive on their own schedule
 * (lesson 16, "closed loop, open loop, and the missing samples").
 *
 * In a closed run (the default) C workers each start the next task when
 * the last one ends: a slow system is simply sent less work. In an open
 * run (`--arrival open --rate R`) task i arrives at its own time, whether
 * or not a worker is free; a task that finds the pool full waits, and its
 * latency counts from its arrival (struct result's `intended`), so the
 * queue is measured instead of hidden (coordinated omission).
 *
 * Every model goes through here: the blocking ones in task_execute()
 * (common/execute.c) sleep until their task's arrival; the event loop
 * feeds a transfer when its arrival is due (arrival_due_in). Overload is a
 * result, not a hang: no task starts after the batch's deadline (the last
 * arrival plus a grace); those stay not_run.
 *
 * Errors: arrival_schedule returns 0 or -1 (a rate that is not positive).
 */
#ifndef CONCUR_ARRIVAL_H
#define CONCUR_ARRIVAL_H

#include <stdint.h>

#include "common/task.h"

/* How the gaps between arrivals are drawn. */
enum arrival_dist {
	ARRIVAL_POISSON, /* exponential gaps of mean 1/rate: a Poisson
			    process, as independent users arrive */
	ARRIVAL_FIXED,	 /* exactly 1/rate apart: a metronome */
};

/* Makes b an open-loop batch: task i arrives at rate tasks per second
 * (seeded: the same schedule for every model and every run), and no task
 * starts later than grace_s after the last arrival. */
int arrival_schedule(struct batch *b, double rate, enum arrival_dist dist,
		     uint64_t seed, double grace_s);

/* "poisson" or "fixed"; and back (-1 when unknown). */
const char *arrival_dist_name(enum arrival_dist dist);
int arrival_dist_parse(const char *name, enum arrival_dist *out);

/* Seconds until task i of b is due (<= 0: due now; always 0 when the
 * batch is closed). */
double arrival_due_in(const struct batch *b, size_t i);

/* Has the open batch's deadline passed? (Never for a closed batch.) */
bool arrival_too_late(const struct batch *b);

/* Blocking models: waits until task i is due. Returns 0 to run it, -1
 * when the deadline has passed (its result is left not_run, saying so). */
int arrival_wait(const struct batch *b, size_t i);

/* Task i starts now: sets its result's start and intended times. */
void arrival_mark_start(const struct batch *b, size_t i);

/* Leaves task i not_run, saying it arrived after the deadline. */
void arrival_mark_late(const struct batch *b, size_t i);

/* Is it too late to start task i? If so, marks it (arrival_mark_late):
 * the event loop's test before it starts a task. */
bool arrival_late(const struct batch *b, size_t i);

#endif
