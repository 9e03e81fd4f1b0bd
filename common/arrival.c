// SPDX-License-Identifier: MIT
/* arrival.c - open-loop schedules, and a task waiting for its arrival. */
#include "common/arrival.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "common/clock.h"

/* splitmix64: a small seeded generator, the same on every machine. */
static uint64_t arrival_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* One gap: exponential of mean 1/rate by inverse transform (u in (0, 1]),
 * or exactly 1/rate. */
static double arrival_gap(double rate, enum arrival_dist dist, uint64_t *st)
{
	if (dist == ARRIVAL_FIXED)
		return 1.0 / rate;
	double u = (double)((arrival_next(st) >> 11) + 1) / 9007199254740992.0;
	return -log(u) / rate;
}

int arrival_schedule(struct batch *b, double rate, enum arrival_dist dist,
		     uint64_t seed, double grace_s)
{
	if (!(rate > 0) || !isfinite(rate) || grace_s < 0)
		return -1;
	uint64_t state = seed;
	double t = 0;
	/* The first task arrives at 0: the run starts with work. */
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].arrival = t;
		t += arrival_gap(rate, dist, &state);
	}
	b->open = true;
	b->deadline = (b->n ? b->tasks[b->n - 1].arrival : 0) + grace_s;
	return 0;
}

const char *arrival_dist_name(enum arrival_dist dist)
{
	return dist == ARRIVAL_FIXED ? "fixed" : "poisson";
}

int arrival_dist_parse(const char *name, enum arrival_dist *out)
{
	if (strcmp(name, "poisson") == 0)
		*out = ARRIVAL_POISSON;
	else if (strcmp(name, "fixed") == 0)
		*out = ARRIVAL_FIXED;
	else
		return -1;
	return 0;
}

double arrival_due_in(const struct batch *b, size_t i)
{
	if (!b->open)
		return 0;
	return b->t0 + b->tasks[i].arrival - clock_now();
}

bool arrival_too_late(const struct batch *b)
{
	return b->open && clock_now() - b->t0 > b->deadline;
}

/* Sleeps until the monotonic clock reads `when` (seconds), through
 * signals. */
static void arrival_sleep_until(double when)
{
	struct timespec ts = {.tv_sec = (time_t)when};
	ts.tv_nsec = (long)((when - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

bool arrival_late(const struct batch *b, size_t i)
{
	if (!arrival_too_late(b))
		return false;
	arrival_mark_late(b, i);
	return true;
}

int arrival_wait(const struct batch *b, size_t i)
{
	if (!b->open)
		return 0;
	if (arrival_due_in(b, i) > 0)
		arrival_sleep_until(b->t0 + b->tasks[i].arrival);
	return arrival_late(b, i) ? -1 : 0;
}

void arrival_mark_start(const struct batch *b, size_t i)
{
	struct result *r = &b->results[i];
	r->start = clock_now() - b->t0;
	r->intended = b->open ? b->tasks[i].arrival : r->start;
}

void arrival_mark_late(const struct batch *b, size_t i)
{
	struct result *r = &b->results[i];
	r->kind = RESULT_NOT_RUN;
	r->intended = b->tasks[i].arrival;
	result_set_message(r,
			   "arrived at %.3f s; not started by the open "
			   "run's deadline, %.3f s (overload)",
			   b->tasks[i].arrival, b->deadline);
}
