// SPDX-License-Identifier: MIT
/*
 * scenarios.c - the conformance scenarios (scenarios.h): each batch, and
 * which models it is for.
 */
#include "harness/grade/scenarios.h"

#include <stdio.h>
#include <string.h>

/* The shared scenarios' increments a task. A race needs two threads on
 * two cores at once, and a fast tally is done with 16 million increments
 * in a few ms: on a busy machine one run can miss. Runs that kept every
 * update are repeated until SCENARIO_SOAK_S has passed: a racy tally,
 * as fast as a right one, gets dozens of tries; a slow right one (a
 * mutex) runs once. ThreadSanitizer reports the first racing pair of
 * accesses whether or not an update was lost, and its locks are slow: a
 * few increments, once. */
#if defined(__SANITIZE_THREAD__)
#define SCENARIO_INCREMENTS 50000
#define SCENARIO_SOAK_S 0.0
#else
#define SCENARIO_INCREMENTS 1000000
#define SCENARIO_SOAK_S 0.5
#endif

/* A path on the server at base, or a whole URL. */
static void scenario_url(struct batch *b, size_t i, const char *base,
			 const char *path)
{
	char url[512];
	if (strncmp(path, "http", 4) == 0)
		snprintf(url, sizeof(url), "%s", path);
	else
		snprintf(url, sizeof(url), "%s%s", base, path);
	b->tasks[i].type = TASK_FETCH;
	if (batch_set_url(b, i, url) != 0)
		b->tasks[i].url = NULL; /* left out: the run fails it */
}

/* Mixed delays and sizes, 404 and 503, a refused port, a timeout. */
static void build_fetch(struct batch *b, size_t i, const char *base)
{
	static const char *const paths[] = {
		"/delay/0?bytes=100", "/delay/30?bytes=5000",
		"/bytes/0",	      "/bytes/70000",
		"/status/404",	      "/status/503",
		"/delay/10?bytes=1",  "http://127.0.0.1:1/refused",
		"/delay/5000",	      "/delay/5?bytes=333",
	};
	scenario_url(b, i, base, paths[i % (sizeof(paths) / sizeof(paths[0]))]);
}

/* The server's faults: a reset, a truncated body, an answer that never
 * comes (the timeout must fire), and a slow drip that still ends ok. */
static void build_faults(struct batch *b, size_t i, const char *base)
{
	static const char *const paths[] = {"/reset", "/truncate/1000", "/hang",
					    "/bytes/10", "/drip/5?ms=10"};
	scenario_url(b, i, base, paths[i % 5]);
}

static void build_compute(struct batch *b, size_t i, const char *base)
{
	(void)base;
	b->tasks[i].type = TASK_COMPUTE;
	b->tasks[i].seed = i;
	b->tasks[i].work = (uint32_t)(i % 3 + 1);
}

/* Fetch then compute seeded by the body; a failed fetch skips compute. */
static void build_mixed(struct batch *b, size_t i, const char *base)
{
	char path[64];
	if (i == 3)
		snprintf(path, sizeof(path), "/status/503");
	else
		snprintf(path, sizeof(path), "/delay/20?bytes=%zu", i * 100);
	scenario_url(b, i, base, path);
	b->tasks[i].type = TASK_MIXED;
	b->tasks[i].work = 2;
}

/* Alternating fetch and compute, for the edge cases. */
static void build_both(struct batch *b, size_t i, const char *base)
{
	if (i % 2)
		build_compute(b, i, base);
	else
		scenario_url(b, i, base, "/delay/5?bytes=64");
}

/* Increments of the one shared counter: a task is many of them. */
static void build_shared(struct batch *b, size_t i, const char *base)
{
	(void)base;
	b->tasks[i].type = TASK_SHARED;
	b->tasks[i].seed = i;
	b->tasks[i].work = SCENARIO_INCREMENTS;
}

/* The same, small: with one worker nothing can race, so only a total
 * that misses increments or counts some twice is wrong. */
static void build_shared_small(struct batch *b, size_t i, const char *base)
{
	build_shared(b, i, base);
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
	 SCENARIO_SOAK_S, 8, 0, 16, 5000, build_shared},
	{"shared: 16 workers, slots past one cache line", GROUP_SHARED,
	 SCENARIO_SOAK_S, 16, 0, 16, 5000, build_shared},
};

#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

const struct scenario *scenarios_all(size_t *count)
{
	*count = N_SCENARIOS;
	return scenarios;
}

const struct scenario *scenario_find(const char *name)
{
	for (size_t k = 0; k < N_SCENARIOS; k++)
		if (strcmp(scenarios[k].name, name) == 0)
			return &scenarios[k];
	return NULL;
}

/* The tally exercise is graded on the shared workload alone; models that
 * cannot run it skip it. */
int scenario_applies(unsigned model_flags, const struct scenario *sc)
{
	if (model_flags & MODEL_SHARED_ONLY)
		return sc->group == GROUP_SHARED;
	if (sc->group == GROUP_SHARED)
		return !(model_flags & (MODEL_NO_SHARED | MODEL_EXTERNAL));
	return 1;
}

struct batch *scenario_batch(const struct scenario *sc, const char *base)
{
	struct batch *b = batch_new(sc->tasks);
	if (!b)
		return NULL;
	for (size_t i = 0; i < sc->tasks; i++)
		sc->build(b, i, base);
	return b;
}

int scenario_kept_every_update(const struct batch *b)
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
