// SPDX-License-Identifier: MIT
/*
 * solution.c - the teacher's answer to models/exercises/student.c: a pool
 * of C threads fed through a bounded queue (producer and consumers).
 *
 * The lesson: threads.c hands out work with one atomic counter, which
 * works because every task index is known up front. A real server does not
 * know its work up front: requests arrive, a producer puts them in a
 * queue, and consumers take them out. The queue holds at most
 * QUEUE_CAPACITY indices, so a fast producer must wait for room (that is
 * back-pressure); a mutex guards it, and two condition variables let each
 * side sleep until the other has done something.
 *
 * Watch for: a lost wake-up. Wait on a condition variable only in a loop
 * that re-checks the condition under the lock (wake-ups can be spurious,
 * and another consumer may have taken the index first), and after closing
 * the queue wake *every* consumer (broadcast), or some sleep forever.
 *
 * Run it:  make check-model MODEL=solution
 *          make teacher
 *          build/teacher/concur run --models threads,solution --workers 8
 * Teachers: this file is the answer; hand out student.c. It is built only
 * into the teacher's binary (build/teacher/concur, `make teacher`), so the
 * students' build/concur neither lists nor runs it.
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

/* The bounded queue of task indices: a ring buffer. */
struct solution_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty; /* an index was pushed, or the queue closed */
	pthread_cond_t not_full;  /* an index was popped: there is room */
	size_t slots[QUEUE_CAPACITY]; /* guarded by lock */
	size_t head;		      /* next slot to pop; guarded by lock */
	size_t count;		      /* indices waiting; guarded by lock */
	bool closed;		      /* no more pushes; guarded by lock */
};

/* What the consumers share. */
struct solution_pool {
	struct solution_queue queue;
	struct batch *batch;	     /* each result slot is written only by
					the consumer that popped its index */
	const struct run_opts *opts; /* read-only */
};

/* One consumer's arguments; owned by solution_run until join. */
struct solution_worker {
	struct solution_pool *pool;
	int id;
};

/* ---- the queue ---- */

static int queue_init(struct solution_queue *q)
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

static void queue_destroy(struct solution_queue *q)
{
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
}

/* Waits for room, then appends i. 0, or -1 when the queue is closed. */
static int queue_push(struct solution_queue *q, size_t i)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == QUEUE_CAPACITY && !q->closed)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (q->closed) {
		pthread_mutex_unlock(&q->lock);
		return -1;
	}
	q->slots[(q->head + q->count) % QUEUE_CAPACITY] = i;
	q->count++;
	pthread_cond_signal(&q->not_empty); /* one index: one consumer */
	pthread_mutex_unlock(&q->lock);
	return 0;
}

/* Waits for an index. 0 with *i, or -1 when the queue is closed and
 * empty: only then is there nothing left to do. */
static int queue_pop(struct solution_queue *q, size_t *i)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->count == 0) {
		pthread_mutex_unlock(&q->lock);
		return -1;
	}
	*i = q->slots[q->head];
	q->head = (q->head + 1) % QUEUE_CAPACITY;
	q->count--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

/* No more pushes: every sleeping consumer must wake to see it. */
static void queue_close(struct solution_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

/* ---- worker ---- */

/* A consumer: pop and run until the queue is closed and empty. */
static void *solution_consumer(void *arg)
{
	struct solution_worker *w = arg;
	struct solution_pool *pool = w->pool;
	CURL *h = fetch_handle_new(); /* this thread's own, kept alive */
	size_t i;
	while (queue_pop(&pool->queue, &i) == 0)
		task_execute(pool->batch, i, h, pool->opts, "solution", w->id);
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

/* ---- run function ---- */

/* Starts up to n consumers; returns how many started. */
static int solution_start(pthread_t *tids, struct solution_worker *ws, int n)
{
	for (int i = 0; i < n; i++) {
		int rc = pthread_create(&tids[i], NULL, solution_consumer,
					&ws[i]);
		if (rc != 0) {
			fprintf(stderr, "solution: pthread_create: %s\n",
				strerror(rc));
			return i;
		}
	}
	return n;
}

static int solution_run(struct batch *batch, const struct run_opts *opts)
{
	struct solution_pool pool = {.batch = batch, .opts = opts};
	int n = opts->workers > 0 ? opts->workers : 1;
	pthread_t *tids = calloc((size_t)n, sizeof(*tids));
	struct solution_worker *ws = calloc((size_t)n, sizeof(*ws));
	if (!tids || !ws || queue_init(&pool.queue) != 0) {
		fprintf(stderr, "solution: out of memory\n");
		free(tids);
		free(ws);
		return -1;
	}
	for (int i = 0; i < n; i++)
		ws[i] = (struct solution_worker){.pool = &pool, .id = i};
	double setup_start = clock_now();
	int started = solution_start(tids, ws, n);
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

const struct model model_solution = {
	.name = "solution",
	.summary = "exercise answer: a thread pool fed by a bounded queue",
	.run = solution_run,
	.flags = MODEL_EXERCISE | MODEL_NO_SHARED,
};
