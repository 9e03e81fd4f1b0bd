// SPDX-License-Identifier: MIT
/*
 * gil.c - the threads model under a simulated Global Interpreter Lock, as
 * CPython has had it since 3.2.
 *
 * The lesson: the pool of models/threads.c, run as it is, but a thread
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
 * the wait column in the timeline (tasks.csv's lock_wait_s), and at the
 * hand-over count in the summary.
 *
 * The GIL makes no Python statement atomic: under the shared workload
 * with --sync none a switch can fall between the read and the write of
 * `counter += 1` (gil_yield_cb), and updates are lost, as in CPython.
 *
 * Run it:  build/concur run --models threads,gil --workloads compute
 *          --workers 4   and see threads scale with the cores, gil not;
 *          then --workloads fetch: both scale. With --trace, every take
 *          and drop of the lock is a line: watch it change hands.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/kernel.h"
#include "common/shared.h"
#include "models/model.h"
#include "models/threads.h"

/* The holder checks for a drop request every GIL_SLICE iterations: 1/100
 * of a unit, about 10 us. CPython checks every few bytecodes; what
 * matters is that the check is much more frequent than the smallest
 * switch interval worth trying (0.05 ms), so the interval, not the slice,
 * decides when the lock moves. A relaxed atomic load every 10 us costs
 * nothing measurable. */
#define GIL_SLICE (KERNEL_ITERS_PER_UNIT / 100)

/* ---- state ---- */

/* The lock: all the gil model adds to the threads model's state. On
 * gil_run's stack; every thread of the pool points to it until the join. */
struct gil_state {
	pthread_mutex_t mutex;	  /* guards the fields below it */
	pthread_cond_t released;  /* signalled when the lock is dropped */
	pthread_cond_t taken;	  /* signalled when the lock is taken */
	bool locked;		  /* guarded by g->mutex */
	int holder;		  /* last holder, -1 at first; guarded by
				     g->mutex */
	unsigned long switches;	  /* takes so far; guarded by g->mutex */
	long handovers;		  /* takes by a new thread; guarded by
				     g->mutex */
	atomic_bool drop_request; /* shared: set by a waiter, polled by the
				     holder */
	double interval_s;	  /* read-only: the switch interval */
	bool trace;		  /* read-only: say each take and drop */
	double t0;		  /* read-only: the batch's start, for them */
};

/* ---- the lock ---- */

static int gil_init(struct gil_state *g, const struct run_opts *o, double t0)
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
	double ms = o->gil.switch_interval_ms > 0 ? o->gil.switch_interval_ms
						  : SWITCH_INTERVAL_DEFAULT_MS;
	g->interval_s = ms / 1000.0;
	g->trace = o->trace;
	g->t0 = t0;
	return rc;
}

/* --trace: "[gil w1] takes the lock at 12.345 ms" (and "drops"), one
 * line each, so a reader can draw who held the lock when. */
static void gil_trace(const struct gil_state *g, int worker, const char *what,
		      double at)
{
	if (g->trace)
		fprintf(stderr, "[gil w%d] %s the lock at %.3f ms\n", worker,
			what, (at - g->t0) * 1e3);
}

static void gil_destroy(struct gil_state *g)
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
static double gil_take(struct gil_state *g, int worker)
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
	double now = clock_now();
	gil_trace(g, worker, "takes", now);
	return now - t0;
}

/* Drops the lock. `forced`: because a waiter asked; then, like CPython's
 * FORCE_SWITCHING, wait until another thread has taken it. The asker is
 * still waiting (only taking the lock ends a wait), so this ends. */
static void gil_drop(struct gil_state *g, int worker, bool forced)
{
	gil_trace(g, worker, "drops", clock_now());
	pthread_mutex_lock(&g->mutex);
	g->locked = false;
	pthread_cond_signal(&g->released);
	while (forced && g->holder == worker)
		pthread_cond_wait(&g->taken, &g->mutex);
	pthread_mutex_unlock(&g->mutex);
}

/* ---- the worker ---- */

/* The kernel in slices, dropping the lock whenever a waiter asks. Called
 * and returns with the lock held; adds its waits to r->wait. */
static uint64_t gil_kernel(struct gil_state *g, int worker, uint64_t seed,
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

/* One thread's turn at a yield point of a shared task (common/shared.h). */
struct gil_turn {
	struct gil_state *g;
	int worker;
	struct result *r;
};

/* shared_yield_fn: a yield point is where CPython's eval loop would look
 * at eval_breaker, between bytecodes, so a waiter's drop request is
 * honoured here. Under --sync none this falls between the read and the
 * write of `counter += 1`: the GIL does not make it atomic. Never while
 * a lock of the state is held: a thread blocked on that lock would hold
 * the GIL (CPython releases it inside lock.acquire; this does not). */
static void gil_yield_cb(void *arg, bool locked)
{
	struct gil_turn *turn = arg;
	if (locked ||
	    !atomic_load_explicit(&turn->g->drop_request, memory_order_relaxed))
		return;
	gil_drop(turn->g, turn->worker, true);
	turn->r->wait += gil_take(turn->g, turn->worker);
}

/* What a thread of the threads model's pool does with task i here
 * (threads_task_fn): task_execute(), with the lock. Taken to start the
 * task (CPython runs the caller's code under it), dropped around the
 * fetch, held for the compute, dropped when the task is done so that
 * every wait belongs to a task. The compute half follows task_compute():
 * same seed, same kinds. */
static void gil_execute(void *arg, struct batch *b, size_t i, CURL *h,
			const struct run_opts *opts, int worker)
{
	struct gil_state *g = arg;
	const struct task *t = &b->tasks[i];
	struct result *r = &b->results[i];

	if (arrival_wait(b, i) != 0) /* open loop: its arrival */
		return;
	r->worker = worker;
	r->wait = 0;
	arrival_mark_start(b, i);
	trace_event(opts, "gil", worker, i, "start", r);
	r->wait += gil_take(g, worker);
	if (t->type == TASK_SHARED) {
		struct gil_turn turn = {.g = g, .worker = worker, .r = r};
		shared_task_run(b->shared, t, r, worker, gil_yield_cb, &turn);
	} else if (task_fetches(t)) {
		gil_drop(g, worker, false); /* Py_BEGIN_ALLOW_THREADS */
		if (h)
			fetch_blocking(h, t->url, &opts->fetch, r);
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
	trace_event(opts, "gil", worker, i, "done", r);
}

/* ---- the run function ---- */

static int gil_run(struct batch *batch, const struct run_opts *opts)
{
	struct gil_state g;
	int rc = gil_init(&g, opts, batch->t0);
	if (rc != 0) {
		fprintf(stderr, "gil: cannot set up the lock: %s\n",
			strerror(rc));
		return -1;
	}
	/* The threads model's pool and counter, each task under the lock. */
	rc = threads_pool_run(batch, opts, "gil", gil_execute, &g);
	/* After the join: no thread touches the lock any more. */
	if (opts->stats)
		opts->stats->handovers = g.handovers;
	run_stats_set(opts->stats, "handovers", (double)g.handovers);
	gil_destroy(&g);
	return rc;
}

const struct model model_gil = {
	.name = "gil",
	.summary = "threads under a simulated GIL (CPython 3.2+ new GIL)",
	.run = gil_run,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
