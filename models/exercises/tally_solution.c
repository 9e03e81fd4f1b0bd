// SPDX-License-Identifier: MIT
/*
 * tally_solution.c - the teacher's answer to models/exercises/tally.c: a
 * tally many threads add to, right and fast.
 *
 * The lesson: threads share memory, so sharing a counter is as easy as
 * passing a pointer, and as easy to get wrong. `total = total + 1` is
 * three steps (read, add, write); two threads that read the same value
 * both write value + 1, and one increment is gone. A mutex or an atomic
 * makes the tally right but slow: every increment waits for the others,
 * and the cores pass the counter's cache line back and forth. The answer
 * does not share at all: each worker counts in its own slot, on its own
 * cache line, and the slots are summed once, after the join.
 *
 * Watch for: false sharing. Slots side by side in one 64-byte cache line
 * are not shared by the program, but the hardware moves whole lines, so
 * the cores fight over the line as if the counter were one: _Alignas(64)
 * gives each slot a line of its own.
 *
 * Run it:  make check-model MODEL=tally_solution
 *          build/teacher/concur run --workloads shared --sync sharded-padded \
 *            --models threads,tally_solution --workers 4
 * Teachers: this file is the answer; hand out tally.c. It is built only
 * into the teacher's binary (build/teacher/concur, `make teacher`).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/shared.h"
#include "models/model.h"
#include "models/threads.h"

/* ---- state ---- */

/* One worker's own count, alone on its 64-byte cache line: _Alignas(64)
 * on the field pads the struct to 64 bytes. */
struct tally_slot {
	_Alignas(64) uint64_t count; /* written only by its own worker */
};

/* What every worker adds to. */
struct tally {
	uint64_t total;		  /* the right-but-slow answers' counter, */
	pthread_mutex_t lock;	  /* and their lock: this one needs neither */
	struct tally_slot *slots; /* one per worker, slots[0..workers-1] */
	int workers;
};

static int tally_init(struct tally *t, int workers)
{
	t->total = 0;
	t->workers = workers;
	/* aligned_alloc: a slot array that starts on a cache line, so a
	 * padded slot really has its line to itself. The size must be a
	 * multiple of the alignment. */
	size_t bytes = (size_t)workers * sizeof(struct tally_slot);
	bytes = (bytes + 63) / 64 * 64;
	t->slots = aligned_alloc(64, bytes ? bytes : 64);
	if (!t->slots)
		return -1;
	for (int w = 0; w < workers; w++)
		t->slots[w].count = 0;
	if (pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t->slots);
		return -1;
	}
	return 0;
}

static void tally_destroy(struct tally *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
}

/* ---- worker ---- */

/* Worker `worker` adds one. Called millions of times, by every worker at
 * once. */
static void tally_add(struct tally *t, int worker)
{
	/* Only this worker writes its slot, and tally_total reads it after
	 * the join, which orders memory: no lock, no atomic. */
	t->slots[worker].count++;
}

/* The tally's value, read once every worker has been joined. */
static uint64_t tally_total(const struct tally *t)
{
	uint64_t sum = 0;
	for (int w = 0; w < t->workers; w++)
		sum += t->slots[w].count;
	return sum;
}

/* A task on this pool's thread: a shared task adds to the tally, one
 * increment at a time; any other task runs as in threads.c. */
static void tally_task(void *arg, struct batch *batch, size_t i, CURL *h,
		       const struct run_opts *opts, int worker)
{
	struct tally *t = arg;
	const struct task *task = &batch->tasks[i];
	struct result *r = &batch->results[i];
	if (task->type != TASK_SHARED) {
		task_execute(batch, i, h, opts, "tally_solution", worker);
		return;
	}
	r->worker = worker;
	r->start = clock_now() - batch->t0;
	for (uint64_t k = 0; k < task->work; k++) {
		tally_add(t, worker);
		/* A compiler barrier: each increment happens on its own, as
		 * separate requests would, and is not merged by the
		 * compiler into one big addition. It costs no instruction. */
		atomic_signal_fence(memory_order_seq_cst);
	}
	r->kind = RESULT_OK;
	r->end = clock_now() - batch->t0;
}

/* ---- run function ---- */

/* The pool is threads.c's (models/threads.h): C threads, each taking the
 * next task index from one atomic counter. Your work is the tally. */
static int tally_run(struct batch *batch, const struct run_opts *opts)
{
	struct tally t;
	int workers = opts->workers > 0 ? opts->workers : 1;
	if (tally_init(&t, workers) != 0) {
		fprintf(stderr, "tally_solution: out of memory for %d slots\n",
			workers);
		return -1;
	}
	int rc =
		threads_pool_run(batch, opts, "tally_solution", tally_task, &t);
	/* After the join every worker is done: the total is final, and it
	 * is what verification compares with the sequential reference. */
	shared_finish_total(batch, tally_total(&t));
	tally_destroy(&t);
	return rc;
}

/* ---- registration ---- */

const struct model model_tally_solution = {
	.name = "tally_solution",
	.summary = "exercise 2's answer: a slot per worker, a line each",
	.run = tally_run,
	.flags = MODEL_EXERCISE | MODEL_SHARED_ONLY,
};
