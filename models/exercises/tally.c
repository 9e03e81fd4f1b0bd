// SPDX-License-Identifier: MIT
/*
 * tally.c - EXERCISE 2: a tally many threads add to, made right, then
 * fast. Fill in the three TODOs.
 *
 * The lesson: threads share memory, so sharing a counter is as easy as
 * passing a pointer, and as easy to get wrong. `total = total + 1` is
 * three steps (read, add, write); two threads that read the same value
 * both write value + 1, and one increment is gone. Making the three steps
 * one (a mutex, an atomic) makes the tally right but slow: every
 * increment now waits for the others, and the cores pass the counter's
 * cache line back and forth. The fast way is not to share at all: each
 * worker counts in its own slot, and the slots are summed once, after the
 * join. (The built-in strategies do all of this in common/shared.c:
 * `--sync mutex`, `atomic`, `sharded-padded`; lessons 11-13 measure them.
 * Write yours before you read theirs.)
 *
 * Watch for: false sharing. Slots side by side in one 64-byte cache line
 * are not shared by the program, but the hardware moves whole lines, so
 * the cores fight over the line as if the counter were one. Give each
 * slot a line of its own.
 *
 * Check it:  make check-model MODEL=tally
 *            make check-model MODEL=tally SANITIZE=thread   (data races)
 * Race it:   build/concur run --workloads shared --models threads,tally \
 *              --sync sharded-padded --workers 4
 * TUTORIAL.md, "Exercise 2: a tally that loses nothing", walks through it.
 * As shipped, the file compiles and runs, and loses updates: check-model
 * says how many.
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

/* One worker's own count. TODO 2: as declared, eight slots share one
 * 64-byte cache line; give each its own line (C11's _Alignas(64) on the
 * field pads the struct to 64 bytes). */
struct tally_slot {
	uint64_t count; /* written only by its own worker */
};

/* What every worker adds to. */
struct tally {
	uint64_t total;		  /* shared by every worker: guarded by
				     NOTHING, which is the bug */
	pthread_mutex_t lock;	  /* yours to use, if you want a lock */
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
	/* TODO 1: make this lose nothing. As shipped it is the race: two
	 * workers can read the same total, and one write undoes the other.
	 * First make it right (a mutex around the read and the write, or
	 * one atomic add: <stdatomic.h>), and run check-model: right, but
	 * slow. Then make it fast: add to this worker's own slot,
	 * t->slots[worker].count, with no lock at all: no other thread
	 * writes it, and tally_total reads it only after the join. */
	(void)worker;
	uint64_t seen = t->total; /* read */
	t->total = seen + 1;	  /* write: what others added meanwhile is
				     lost */
}

/* The tally's value, read once every worker has been joined. */
static uint64_t tally_total(const struct tally *t)
{
	/* TODO 3: if the workers count in their slots, the total is the
	 * sum of every worker's slot. */
	return t->total;
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
		task_execute(batch, i, h, opts, "tally", worker);
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
		fprintf(stderr, "tally: out of memory for %d slots\n", workers);
		return -1;
	}
	int rc = threads_pool_run(batch, opts, "tally", tally_task, &t);
	/* After the join every worker is done: the total is final, and it
	 * is what verification compares with the sequential reference. */
	shared_finish_total(batch, tally_total(&t));
	tally_destroy(&t);
	return rc;
}

/* ---- registration ---- */

const struct model model_tally = {
	.name = "tally",
	.summary = "exercise 2: a shared tally, right then fast (TODO)",
	.run = tally_run,
	.flags = MODEL_EXERCISE | MODEL_SHARED_ONLY,
};
