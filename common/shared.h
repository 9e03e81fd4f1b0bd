// SPDX-License-Identifier: MIT
/*
 * shared.h - the shared workload: one counter every task adds to, and the
 * ways its workers can keep it right (--sync), or fail to.
 *
 * A shared task makes `work` increments of one counter that every worker
 * of the run updates. The final value is known before the run starts (the
 * sum of the batch's increments), so a model that loses updates is caught
 * by the same verification as any other wrong result: after the run, the
 * model writes the counter's final value into every shared task's result
 * (shared_finish), and the harness compares it with the sequential
 * reference's.
 *
 * The state lives wherever the model puts it: on the heap of a threads
 * model (every thread sees it), in a MAP_SHARED mapping of the processes
 * model (after fork(), nothing else is shared), on the stack of a single
 * thread. The model points batch->shared at it for the run.
 *
 * Errors: shared_state_init returns 0 or a pthread error number.
 */
#ifndef CONCUR_SHARED_H
#define CONCUR_SHARED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/task.h"

/* Increments in one unit of --work for the shared workload. */
#define SHARED_INCREMENTS_PER_UNIT 10000

/* Every SHARED_YIELD_EVERY increments a worker reaches a yield point,
 * where another thread may run: a switch of the simulated GIL, between
 * increments. Under `none` the point falls between the read and the write
 * of the counter, and under `deadlock` between the two locks: there a
 * thread also calls sched_yield(), as a preemption at the worst moment
 * would, so the hazard shows on any machine, even one busy core. */
#define SHARED_YIELD_EVERY 1024

/* The sloppy counter's threshold (OSTEP chapter 29): a worker moves its
 * own count into the global one every SHARED_THRESHOLD increments. */
#define SHARED_THRESHOLD 1024

/* How the workers keep the counter right: --sync. */
enum shared_sync {
	SYNC_MUTEX,	     /* a pthread mutex around each increment */
	SYNC_NONE,	     /* read, add, write: no protection (the race) */
	SYNC_SPIN,	     /* a spin lock: test, then test-and-set */
	SYNC_ATOMIC,	     /* one atomic fetch-and-add an increment */
	SYNC_SHARDED,	     /* OSTEP's sloppy counter: a slot per worker,
				moved into the total under the mutex every
				SHARED_THRESHOLD increments */
	SYNC_SHARDED_PACKED, /* a slot per worker, 8 to a cache line,
				summed at the end: false sharing */
	SYNC_SHARDED_PADDED, /* a slot per worker, a cache line each,
				summed at the end */
	SYNC_DEADLOCK,	     /* two counters, two locks, taken in opposite
				orders by even and odd workers */
	SYNC_ORDERED,	     /* the same two locks, always a before b */
	SYNC_COUNT
};

/* "mutex", "none", ...: the names --sync takes. */
const char *shared_sync_name(enum shared_sync sync);
/* Parses a name back; returns -1 when unknown. */
int shared_sync_parse(const char *name, enum shared_sync *out);
/* "mutex, none, spin, ...": every name, for messages. Static storage. */
const char *shared_sync_names(void);

/* One cache line of per-worker slots. A padded slot is the first counter
 * of its own line; packed slots are side by side, 8 to a line. */
struct shared_line {
	_Alignas(64) atomic_uint_least64_t v[8];
};

/* The state. Set up once before the workers start; its fields are shared
 * by every worker, each guarded as its comment says. */
struct shared_state {
	enum shared_sync sync;	      /* read-only */
	int slots;		      /* read-only: per-worker slots */
	uint64_t plain;		      /* none: guarded by nothing at all */
	uint64_t guarded;	      /* mutex, sharded: guarded by lock;
					 spin: by spin */
	atomic_uint_least64_t atomic; /* atomic: atomic */
	uint64_t a, b;		      /* deadlock, ordered: a guarded by
					 lock, b by lock_b */
	pthread_mutex_t lock;	      /* "lock a" */
	pthread_mutex_t lock_b;	      /* "lock b" */
	atomic_int spin;	      /* the spin lock: 1 while held */
	struct shared_line lines[];   /* slot w: lines[w] (padded, sloppy)
					 or lines[w / 8].v[w % 8] (packed);
					 each written by worker w only */
};

/* Bytes of a state with slots for workers 0..slots-1. */
size_t shared_state_size(int slots);

/* Sets up a state in mem (shared_state_size(slots) bytes, 64-aligned).
 * between_processes: its locks work across fork() (the memory must be a
 * MAP_SHARED mapping). Returns 0 or a pthread error number. */
int shared_state_init(struct shared_state *s, int slots, enum shared_sync sync,
		      bool between_processes);
void shared_state_destroy(struct shared_state *s);

/* A state on the heap, for threads of one process; NULL when out of
 * memory. Free with shared_state_free. */
struct shared_state *shared_state_new(int slots, enum shared_sync sync);
void shared_state_free(struct shared_state *s);

/* The counter's value: what the workers added and kept. Call it after
 * the workers are done (the sums are not taken under the locks). */
uint64_t shared_state_total(const struct shared_state *s);

/* What a worker does at a yield point: `locked` says whether it holds a
 * lock of the state there (the simulated GIL never switches then). */
typedef void (*shared_yield_fn)(void *arg, bool locked);

/* Runs shared task t on worker `worker`: t->work increments of s by its
 * strategy, calling yield(arg, ...) at the yield points (yield NULL:
 * sched_yield). Sets r->kind; while it waits for a lock of the two-lock
 * strategies, r->message says which it holds and which it waits for. */
void shared_task_run(struct shared_state *s, const struct task *t,
		     struct result *r, int worker, shared_yield_fn yield,
		     void *arg);

/* After the run: every shared task that ended ok gets the counter's
 * final value as its checksum, the number verification compares. Does
 * nothing when b->shared is NULL. */
void shared_finish(struct batch *b);

/* The same for a model that keeps its own count (the tally exercise):
 * every shared task that ended ok gets `total`. */
void shared_finish_total(struct batch *b, uint64_t total);

/* Does the batch hold a shared task? */
bool shared_batch_has(const struct batch *b);

#endif
