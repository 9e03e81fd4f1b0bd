// SPDX-License-Identifier: MIT
/*
 * student.c - EXERCISE: a pool of C threads fed through a bounded queue
 * (one producer, C consumers). Fill in the four TODOs.
 *
 * The lesson: threads.c hands out work with one atomic counter, which
 * works because every task index is known up front. A real server does not
 * know its work up front: requests arrive, a producer puts them in a
 * queue, and consumers take them out. Here the queue holds at most
 * QUEUE_CAPACITY indices, so a fast producer must wait for room (that is
 * back-pressure); a mutex guards it, and two condition variables let each
 * side sleep until the other has done something.
 *
 * Watch for: a lost wake-up. Wait on a condition variable only in a loop
 * that re-checks the condition under the lock (wake-ups can be spurious,
 * and another consumer may have taken the index first), and after closing
 * the queue wake *every* consumer (broadcast), or some sleep forever.
 *
 * Check it:  make check-model MODEL=student
 *            make check-model MODEL=student SANITIZE=thread   (data races)
 * Race it:   build/concur run --models threads,student --workers 8
 * TUTORIAL.md, "Write your own model", walks through it. As shipped, the
 * file compiles and runs no task at all: check-model says so.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "models/model.h"

#define QUEUE_CAPACITY 8 /* smaller than most batches, on purpose */

/* ---- state ---- */

/* The bounded queue of task indices: a ring buffer. The slots in use are
 * slots[head], slots[(head + 1) % QUEUE_CAPACITY], ... count of them. */
struct student_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty; /* an index was pushed, or the queue closed */
	pthread_cond_t not_full;  /* an index was popped: there is room */
	size_t slots[QUEUE_CAPACITY]; /* guarded by lock */
	size_t head;		      /* next slot to pop; guarded by lock */
	size_t count;		      /* indices waiting; guarded by lock */
	bool closed;		      /* no more pushes; guarded by lock */
};

/* What the consumers share. */
struct student_pool {
	struct student_queue queue;
	struct batch *batch;	     /* each result slot is written only by
					the consumer that popped its index */
	const struct run_opts *opts; /* read-only */
};

/* One consumer's arguments; owned by student_run until join. */
struct student_worker {
	struct student_pool *pool;
	int id;
};

/* ---- the queue ---- */

static int queue_init(struct student_queue *q)
{
	memset(q, 0, sizeof(*q));
	if (pthread_mutex_init(&q->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&q->not_empty, NULL) != 0) {
		pthread_mutex_destroy(&q->lock);
		return -1;
	}
	if (pthread_cond_init(&q->not_full, NULL) != 0) {
		pthread_cond_destroy(&q->not_empty);
		pthread_mutex_destroy(&q->lock);
		return -1;
	}
	return 0;
}

static void queue_destroy(struct student_queue *q)
{
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
}

/* Waits for room, then appends i. 0, or -1 when the queue is closed. */
static int queue_push(struct student_queue *q, size_t i)
{
	/* TODO 1: lock; while the queue is full (and not closed) wait on
	 * not_full; if it is closed, unlock and return -1; store i in the
	 * slot after the last one in use, count it, signal not_empty,
	 * unlock, return 0. */
	(void)q;
	(void)i;
	return -1; /* as shipped: the producer gives up at once */
}

/* Waits for an index. 0 with *i, or -1 when the queue is closed and
 * empty: only then is there nothing left to do. */
static int queue_pop(struct student_queue *q, size_t *i)
{
	/* TODO 2: lock; while the queue is empty and not closed, wait on
	 * not_empty; if it is still empty (so it was closed), unlock and
	 * return -1; take slots[head], advance head (wrapping around), count
	 * one less, signal not_full, unlock, return 0. */
	(void)q;
	(void)i;
	return -1; /* as shipped: every consumer finds nothing to do */
}

/* No more pushes: every sleeping consumer must wake to see it. */
static void queue_close(struct student_queue *q)
{
	/* TODO 3: under the lock, mark the queue closed and wake every
	 * thread waiting on either condition variable. */
	(void)q;
}

/* ---- worker ---- */

/* A consumer: pop and run until the queue is closed and empty. */
static void *student_consumer(void *arg)
{
	struct student_worker *w = arg;
	struct student_pool *pool = w->pool;
	CURL *h = fetch_handle_new(); /* this thread's own, kept alive */
	size_t i;
	while (queue_pop(&pool->queue, &i) == 0) {
		/* TODO 4: run task i on this thread and fill its result:
		 * task_execute() does both (common/execute.h); pass the
		 * handle h, the options, "student" and this worker's id. */
	}
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

/* ---- run function ---- */

/* Starts up to n consumers; returns how many started. */
static int student_start(pthread_t *tids, struct student_worker *ws, int n)
{
	for (int i = 0; i < n; i++) {
		int rc = pthread_create(&tids[i], NULL, student_consumer,
					&ws[i]);
		if (rc != 0) {
			fprintf(stderr, "student: pthread_create: %s\n",
				strerror(rc));
			return i;
		}
	}
	return n;
}

static int student_run(struct batch *batch, const struct run_opts *opts)
{
	struct student_pool pool = {.batch = batch, .opts = opts};
	int n = opts->workers > 0 ? opts->workers : 1;
	pthread_t *tids = calloc((size_t)n, sizeof(*tids));
	struct student_worker *ws = calloc((size_t)n, sizeof(*ws));
	if (!tids || !ws || queue_init(&pool.queue) != 0) {
		fprintf(stderr, "student: out of memory\n");
		free(tids);
		free(ws);
		return -1;
	}
	for (int i = 0; i < n; i++)
		ws[i] = (struct student_worker){.pool = &pool, .id = i};
	double setup_start = clock_now();
	int started = student_start(tids, ws, n);
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = started;
	}
	/* The producer: this thread. With no consumer at all nothing would
	 * ever pop, so it does not push. */
	for (size_t i = 0; started > 0 && i < batch->n; i++)
		if (queue_push(&pool.queue, i) != 0)
			break;
	queue_close(&pool.queue);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	queue_destroy(&pool.queue);
	free(tids);
	free(ws);
	return started > 0 ? 0 : -1;
}

/* ---- registration ---- */

const struct model model_student = {
	.name = "student",
	.summary = "exercise 1: a thread pool fed by a bounded queue (TODO)",
	.run = student_run,
	.flags = MODEL_EXERCISE | MODEL_NO_SHARED,
};
