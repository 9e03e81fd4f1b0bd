// SPDX-License-Identifier: MIT
/*
 * tally_ref.c - the grader's own tallies (tally_ref.h): the yardsticks
 * exercise 2's speed check holds a student's tally against. Each way of
 * adding is one short function below; the loop that calls it is the
 * answer's loop (models/exercises/tally_solution.c), one increment at a
 * time behind a compiler barrier, so a student's padded slots and these
 * padded slots run the same instructions.
 */
#include "harness/grade/tally_ref.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/shared.h"
#include "models/threads.h"

/* A slot alone on its cache line. */
struct ref_line {
	_Alignas(64) uint64_t count; /* written only by its own worker */
};

/* One tally, the four ways' state side by side; only `sync`'s is used. */
struct ref_tally {
	enum shared_sync sync;	/* read-only: which way */
	struct ref_line *lines; /* padded: slot w is lines[w].count */
	uint64_t *packed;	/* packed: slot w is packed[w], 8 a line */
	uint64_t one;		/* atomic, mutex: the one counter */
	pthread_mutex_t lock;	/* mutex: guards one */
	int workers;
};

/* ---- The four ways to add one ---- */

static void ref_add_padded(struct ref_tally *t, int worker)
{
	t->lines[worker].count++;
}

static void ref_add_packed(struct ref_tally *t, int worker)
{
	t->packed[worker]++;
}

static void ref_add_atomic(struct ref_tally *t, int worker)
{
	(void)worker;
	__atomic_fetch_add(&t->one, 1, __ATOMIC_SEQ_CST);
}

static void ref_add_mutex(struct ref_tally *t, int worker)
{
	(void)worker;
	pthread_mutex_lock(&t->lock);
	t->one++;
	pthread_mutex_unlock(&t->lock);
}

/* The answer's loop around one way of adding: one increment at a time,
 * none merged by the compiler. */
#define REF_COUNT(add, t, worker, n)                                           \
	for (uint64_t k = 0; k < (n); k++) {                                   \
		add(t, worker);                                                \
		atomic_signal_fence(memory_order_seq_cst);                     \
	}

static void ref_count(struct ref_tally *t, int worker, uint64_t n)
{
	switch (t->sync) {
	case SYNC_SHARDED_PACKED:
		REF_COUNT(ref_add_packed, t, worker, n);
		break;
	case SYNC_ATOMIC:
		REF_COUNT(ref_add_atomic, t, worker, n);
		break;
	case SYNC_MUTEX:
		REF_COUNT(ref_add_mutex, t, worker, n);
		break;
	default:
		REF_COUNT(ref_add_padded, t, worker, n);
	}
}

/* ---- The pool's task, the total, the run ---- */

static void ref_task(void *arg, struct batch *batch, size_t i, CURL *h,
		     const struct run_opts *opts, int worker)
{
	struct ref_tally *t = arg;
	const struct task *task = &batch->tasks[i];
	struct result *r = &batch->results[i];
	if (task->type != TASK_SHARED) {
		task_execute(batch, i, h, opts, TALLY_REF_MODEL, worker);
		return;
	}
	r->worker = worker;
	r->start = clock_now() - batch->t0;
	ref_count(t, worker, task->work);
	r->kind = RESULT_OK;
	r->end = clock_now() - batch->t0;
}

static uint64_t ref_total(const struct ref_tally *t)
{
	uint64_t sum = t->one;
	for (int w = 0; w < t->workers; w++)
		sum += t->lines[w].count + t->packed[w];
	return sum;
}

static bool ref_sync_known(enum shared_sync sync)
{
	return sync == SYNC_SHARDED_PADDED || sync == SYNC_SHARDED_PACKED ||
	       sync == SYNC_ATOMIC || sync == SYNC_MUTEX;
}

static int ref_run(struct batch *batch, const struct run_opts *opts)
{
	struct ref_tally t = {.sync = opts->sync};
	t.workers = opts->workers > 0 ? opts->workers : 1;
	size_t n = (size_t)t.workers;
	t.lines = aligned_alloc(64, n * sizeof(*t.lines));
	t.packed = aligned_alloc(64, (n * sizeof(uint64_t) + 63) / 64 * 64);
	int rc = -1;
	if (!ref_sync_known(opts->sync) || !t.lines || !t.packed ||
	    pthread_mutex_init(&t.lock, NULL) != 0) {
		fprintf(stderr, "%s: cannot run --sync %s\n", TALLY_REF_MODEL,
			shared_sync_name(opts->sync));
		goto done;
	}
	memset(t.lines, 0, n * sizeof(*t.lines));
	memset(t.packed, 0, n * sizeof(uint64_t));
	rc = threads_pool_run(batch, opts, TALLY_REF_MODEL, ref_task, &t);
	shared_finish_total(batch, ref_total(&t)); /* after the join */
	pthread_mutex_destroy(&t.lock);
done:
	free(t.lines);
	free(t.packed);
	return rc;
}

static const struct model tally_ref_model = {
	.name = TALLY_REF_MODEL,
	.summary = "the grader's tallies: padded, packed, atomic, mutex",
	.run = ref_run,
	.flags = MODEL_SHARED_ONLY,
};

const struct model *tally_ref_find(const char *name)
{
	return strcmp(name, TALLY_REF_MODEL) == 0 ? &tally_ref_model : NULL;
}
