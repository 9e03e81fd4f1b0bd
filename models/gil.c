// SPDX-License-Identifier: MIT
/*
 * gil.c - the threads model under a simulated Global Interpreter Lock, as
 * CPython has had it since 3.2.
 *
 * The lesson: the same pool of threads as models/threads.c, but a thread
 * must hold one global lock to compute, so compute runs on one core at a
 * time however many threads there are, while fetches (which release the
 * lock around the blocking I/O, as CPython does around socket calls) still
 * overlap. This is why CPython threads speed up downloads and not number
 * crunching. The lock is Antoine Pitrou's "new GIL" (CPython 3.2,
 * Python/ceval_gil.c): a flag guarded by a mutex, a condition variable to
 * wait on, a switch interval (sys.setswitchinterval, default 5 ms) after
 * which a waiting thread asks the holder to drop it (gil_drop_request,
 * which CPython's eval loop polls through eval_breaker), and forced
 * switching: a holder that dropped on request waits until another thread
 * has taken the lock before it asks again, so it cannot grab it right
 * back.
 *
 * Watch for: the convoy. A thread coming back from I/O must wait for the
 * lock, up to a switch interval, behind a thread that computes: look at
 * the wait column in the timeline (tasks.csv's lock_wait_s), and at the hand-over count in the summary.
 *
 * Run it:  build/concur run --models threads,gil --workloads compute
 *          --workers 4   and see threads scale with the cores, gil not;
 *          then --workloads fetch: both scale.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/kernel.h"
#include "common/threadpool.h"
#include "models/model.h"

/* The holder checks for a drop request every GIL_SLICE iterations: 1/100
 * of a unit, about 10 us. CPython checks every few bytecodes; what
 * matters is that the check is much more frequent than the smallest
 * switch interval worth trying (0.05 ms), so the interval, not the slice,
 * decides when the lock moves. A relaxed atomic load every 10 us costs
 * nothing measurable. */
#define GIL_SLICE (KERNEL_ITERS_PER_UNIT / 100)

/* The lock itself. */
struct gil {
	pthread_mutex_t mutex;	  /* guards the fields below it */
	pthread_cond_t released;  /* signalled when the lock is dropped */
	pthread_cond_t taken;	  /* signalled when the lock is taken */
	bool locked;		  /* guarded by mutex */
	int holder;		  /* last holder, -1 at first; by mutex */
	unsigned long switches;	  /* takes so far; guarded by mutex */
	long handovers;		  /* takes by a new thread; by mutex */
	atomic_bool drop_request; /* set by a waiter, polled by the holder */
	double interval_s;	  /* read-only: the switch interval */
};

/* What all the threads share. */
struct gil_pool {
	struct batch *batch;	     /* result slots: one writer each */
	const struct run_opts *opts; /* read-only */
	atomic_size_t next;	     /* the next task index to hand out */
	struct gil gil;
};

struct gil_worker {
	struct gil_pool *pool;
	int id;
};

/* ---- the lock --------------------------------------------------------- */

static int gil_init(struct gil *g, const struct run_opts *o)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	/* Timed waits on the monotonic clock: immune to clock changes. */
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int rc = pthread_mutex_init(&g->mutex, NULL);
	if (rc == 0)
		rc = pthread_cond_init(&g->released, &ca);
	if (rc == 0)
		rc = pthread_cond_init(&g->taken, &ca);
	pthread_condattr_destroy(&ca);
	g->locked = false;
	g->holder = -1;
	g->switches = 0;
	g->handovers = 0;
	atomic_init(&g->drop_request, false);
	double ms = o->switch_interval_ms > 0 ? o->switch_interval_ms
					      : SWITCH_INTERVAL_DEFAULT_MS;
	g->interval_s = ms / 1000.0;
	return rc;
}

static void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->taken);
	pthread_cond_destroy(&g->released);
	pthread_mutex_destroy(&g->mutex);
}

static struct timespec gil_deadline(double after_s)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	long long ns = (long long)ts.tv_nsec + (long long)(after_s * 1e9);
	ts.tv_sec += (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	return ts;
}

/* Takes the lock; returns the seconds spent waiting. A waiter that sleeps
 * a whole interval while nobody else took the lock (switches unchanged)
 * asks the holder to drop it, then keeps waiting. */
static double gil_take(struct gil *g, int worker)
{
	double t0 = clock_now();
	pthread_mutex_lock(&g->mutex);
	while (g->locked) {
		unsigned long seen = g->switches;
		struct timespec until = gil_deadline(g->interval_s);
		int rc =
			pthread_cond_timedwait(&g->released, &g->mutex, &until);
		if (rc == ETIMEDOUT && g->locked && g->switches == seen)
			atomic_store(&g->drop_request, true);
	}
	g->locked = true;
	if (g->holder != worker && g->holder >= 0)
		g->handovers++;
	g->holder = worker;
	g->switches++;
	atomic_store(&g->drop_request, false); /* whoever asked got it */
	pthread_cond_broadcast(&g->taken);     /* for a forced dropper */
	pthread_mutex_unlock(&g->mutex);
	return clock_now() - t0;
}

/* Drops the lock. `forced`: because a waiter asked; then, like CPython's
 * FORCE_SWITCHING, wait until another thread has taken it. The asker is
 * still waiting (only taking the lock ends a wait), so this ends. */
static void gil_drop(struct gil *g, int worker, bool forced)
{
	pthread_mutex_lock(&g->mutex);
	g->locked = false;
	pthread_cond_signal(&g->released);
	while (forced && g->holder == worker)
		pthread_cond_wait(&g->taken, &g->mutex);
	pthread_mutex_unlock(&g->mutex);
}

/* ---- a task under the lock -------------------------------------------- */

/* The kernel in slices, dropping the lock whenever a waiter asks. Called
 * and returns with the lock held; adds its waits to r->wait. */
static uint64_t gil_kernel(struct gil *g, int worker, uint64_t seed,
			   uint64_t units, struct result *r)
{
	struct kernel k;
	uint64_t left = units * KERNEL_ITERS_PER_UNIT;
	kernel_start(&k, seed);
	while (left > 0) {
		uint64_t n = left < GIL_SLICE ? left : GIL_SLICE;
		kernel_advance(&k, n);
		left -= n;
		if (atomic_load_explicit(&g->drop_request,
					 memory_order_relaxed)) {
			gil_drop(g, worker, true);
			r->wait += gil_take(g, worker);
		}
	}
	return kernel_read(&k);
}

/* Like task_execute(), with the lock: taken to start the task (CPython
 * runs the caller's code under it), dropped around the fetch, held for the
 * compute, dropped when the task is done so that every wait belongs to a
 * task. The compute half follows task_compute(): same seed, same kinds. */
static void gil_execute(struct gil_pool *pool, size_t i, CURL *h, int worker)
{
	struct batch *b = pool->batch;
	const struct task *t = &b->tasks[i];
	struct result *r = &b->results[i];
	struct gil *g = &pool->gil;

	r->worker = worker;
	r->wait = 0;
	r->start = clock_now() - b->t0;
	trace_event(pool->opts, "gil", worker, i, "start", r);
	r->wait += gil_take(g, worker);
	if (t->type != TASK_COMPUTE) {
		gil_drop(g, worker, false); /* Py_BEGIN_ALLOW_THREADS */
		if (h)
			fetch_blocking(h, t->url, &pool->opts->fetch, r);
		else {
			r->kind = RESULT_OTHER;
			result_set_message(r, "no HTTP handle");
		}
		r->wait += gil_take(g, worker); /* Py_END_ALLOW_THREADS */
	}
	if (task_needs_compute(t, r)) {
		uint64_t seed = t->type == TASK_COMPUTE ? t->seed : r->checksum;
		r->checksum = gil_kernel(g, worker, seed, t->work, r);
		if (t->type == TASK_COMPUTE)
			r->kind = RESULT_OK;
	}
	gil_drop(g, worker, false);
	r->end = clock_now() - b->t0;
	trace_event(pool->opts, "gil", worker, i, "done", r);
}

/* ---- the pool --------------------------------------------------------- */

static void *gil_worker_main(void *arg)
{
	struct gil_worker *w = arg;
	struct gil_pool *pool = w->pool;
	CURL *h = fetch_handle_new(); /* this thread's, for the whole run */
	for (;;) {
		/* The same counter as the threads model, so the lock is the
		 * only difference between the two. */
		size_t i = atomic_fetch_add_explicit(&pool->next, 1,
						     memory_order_relaxed);
		if (i >= pool->batch->n)
			break;
		gil_execute(pool, i, h, w->id);
	}
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

static int gil_run(struct batch *batch, const struct run_opts *opts)
{
	struct gil_pool pool = {.batch = batch, .opts = opts};
	atomic_init(&pool.next, 0);
	int want = threadpool_size(opts->workers, batch->n); /* C > N: N */
	pthread_t *tids = calloc((size_t)want + 1, sizeof(*tids));
	struct gil_worker *ws = calloc((size_t)want + 1, sizeof(*ws));
	if (!tids || !ws || gil_init(&pool.gil, opts) != 0) {
		fprintf(stderr, "gil: cannot set up %d threads\n", want);
		free(tids);
		free(ws);
		return -1;
	}
	for (int i = 0; i < want; i++)
		ws[i] = (struct gil_worker){.pool = &pool, .id = i};

	double setup_start = clock_now();
	int started = threadpool_start(tids, want, gil_worker_main, ws,
				       sizeof(*ws), "gil", opts->stats);
	if (opts->stats) {
		opts->stats->setup_s = clock_now() - setup_start;
		opts->stats->workers_started = started;
	}
	threadpool_join(tids, started);
	/* After the join: no thread touches the lock any more. */
	run_stats_set(opts->stats, "handovers", (double)pool.gil.handovers);
	gil_destroy(&pool.gil);
	free(tids);
	free(ws);
	return started > 0 || want == 0 ? 0 : -1;
}

const struct model model_gil = {
	.name = "gil",
	.summary = "threads under a simulated GIL (CPython 3.2+ new GIL)",
	.run = gil_run,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
