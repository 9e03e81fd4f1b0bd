// SPDX-License-Identifier: MIT
/*
 * shared.c - one counter, many workers, nine ways to add to it (--sync).
 *
 * Each strategy is one short loop below; read them side by side. `none`
 * loses updates: two workers read the same value, both add one, both
 * write it back, and one increment is gone. `mutex` and `spin` make the
 * read-add-write one step by locking around it; `atomic` lets the CPU do
 * it as one instruction; the sharded ones avoid sharing the counter at all
 * and pay only at the end, unless their slots share a cache line (packed),
 * where the cores fight over the line as if the counter were one.
 * `deadlock` takes two locks in opposite orders and stops for good.
 */
#include "common/shared.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static const char *const sync_names[SYNC_COUNT] = {
	[SYNC_MUTEX] = "mutex",
	[SYNC_NONE] = "none",
	[SYNC_SPIN] = "spin",
	[SYNC_ATOMIC] = "atomic",
	[SYNC_SHARDED] = "sharded",
	[SYNC_SHARDED_PACKED] = "sharded-packed",
	[SYNC_SHARDED_PADDED] = "sharded-padded",
	[SYNC_DEADLOCK] = "deadlock",
	[SYNC_ORDERED] = "ordered",
};

const char *shared_sync_name(enum shared_sync sync)
{
	return (unsigned)sync < SYNC_COUNT ? sync_names[sync] : "?";
}

int shared_sync_parse(const char *name, enum shared_sync *out)
{
	for (int i = 0; i < SYNC_COUNT; i++)
		if (strcmp(name, sync_names[i]) == 0) {
			*out = (enum shared_sync)i;
			return 0;
		}
	return -1;
}

const char *shared_sync_names(void)
{
	static char names[160];
	size_t used = 0;
	for (int i = 0; i < SYNC_COUNT && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "", sync_names[i]);
	return names;
}

/* ---- the state ---- */

size_t shared_state_size(int slots)
{
	return sizeof(struct shared_state) +
	       (size_t)(slots > 0 ? slots : 1) * sizeof(struct shared_line);
}

int shared_state_init(struct shared_state *s, int slots, enum shared_sync sync,
		      bool between_processes)
{
	memset(s, 0, shared_state_size(slots));
	s->sync = sync;
	s->slots = slots > 0 ? slots : 1;
	atomic_init(&s->atomic, 0);
	atomic_init(&s->spin, 0);
	for (int w = 0; w < s->slots; w++)
		for (int k = 0; k < 8; k++)
			atomic_init(&s->lines[w].v[k], 0);
	/* A mutex in memory shared between processes must say so, or
	 * each process may keep its own idea of who holds it. */
	pthread_mutexattr_t ma;
	int rc = pthread_mutexattr_init(&ma);
	if (rc == 0 && between_processes)
		rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (rc == 0)
		rc = pthread_mutex_init(&s->lock, &ma);
	if (rc == 0) {
		rc = pthread_mutex_init(&s->lock_b, &ma);
		if (rc != 0)
			pthread_mutex_destroy(&s->lock);
	}
	pthread_mutexattr_destroy(&ma);
	return rc;
}

void shared_state_destroy(struct shared_state *s)
{
	pthread_mutex_destroy(&s->lock_b);
	pthread_mutex_destroy(&s->lock);
}

struct shared_state *shared_state_new(int slots, enum shared_sync sync)
{
	size_t size = shared_state_size(slots);
	/* aligned_alloc wants a multiple of the alignment. */
	size = (size + 63) / 64 * 64;
	struct shared_state *s = aligned_alloc(64, size);
	if (s && shared_state_init(s, slots, sync, false) != 0) {
		free(s);
		s = NULL;
	}
	return s;
}

void shared_state_free(struct shared_state *s)
{
	if (!s)
		return;
	shared_state_destroy(s);
	free(s);
}

/* Worker w's slot, padded (a line of its own) or packed (8 a line). */
static atomic_uint_least64_t *shared_slot(struct shared_state *s, int w,
					  bool packed)
{
	int i = w % s->slots;
	return packed ? &s->lines[i / 8].v[i % 8] : &s->lines[i].v[0];
}

static uint64_t shared_sum_slots(const struct shared_state *s, bool packed)
{
	uint64_t sum = 0;
	for (int w = 0; w < s->slots; w++)
		sum += atomic_load(packed ? &s->lines[w / 8].v[w % 8]
					  : &s->lines[w].v[0]);
	return sum;
}

uint64_t shared_state_total(const struct shared_state *s)
{
	switch (s->sync) {
	case SYNC_NONE:
		return s->plain;
	case SYNC_ATOMIC:
		return atomic_load(&s->atomic);
	case SYNC_SHARDED: /* what was moved, plus what was not yet */
		return s->guarded + shared_sum_slots(s, false);
	case SYNC_SHARDED_PACKED:
		return shared_sum_slots(s, true);
	case SYNC_SHARDED_PADDED:
		return shared_sum_slots(s, false);
	case SYNC_DEADLOCK:
	case SYNC_ORDERED: /* both counters must hold every increment */
		return s->a < s->b ? s->a : s->b;
	default:
		return s->guarded;
	}
}

/* ---- the strategies ---- */

/* Where a worker may be switched out; see SHARED_YIELD_EVERY. */
struct shared_yield {
	shared_yield_fn fn; /* NULL: sched_yield() */
	void *arg;
};

/* Inside a window another thread must not enter (the race's read and
 * write, between the two locks): give the core away, so the window is
 * hit on any machine. */
static void shared_yield_now(const struct shared_yield *y, bool locked)
{
	if (y->fn)
		y->fn(y->arg, locked);
	else
		sched_yield();
}

/* Between two increments: only a model that switches threads itself
 * (the gil) does anything here; the kernel switches threads as it
 * likes, and a yield would only add a system call to what is timed. */
static void shared_yield_between(const struct shared_yield *y)
{
	if (y->fn)
		y->fn(y->arg, false);
}

static bool shared_at_yield(uint64_t k)
{
	return k % SHARED_YIELD_EVERY == 0;
}

/* The race: a read and a write with room between them. volatile only
 * keeps the compiler from merging the n increments into one addition;
 * it makes nothing atomic. */
static void shared_add_none(struct shared_state *s, uint64_t n,
			    const struct shared_yield *y)
{
	volatile uint64_t *counter = &s->plain;
	for (uint64_t k = 1; k <= n; k++) {
		uint64_t v = *counter; /* read */
		if (shared_at_yield(k))
			shared_yield_now(y, false); /* others add meanwhile */
		*counter = v + 1; /* write: what they added is lost */
	}
}

static void shared_add_mutex(struct shared_state *s, uint64_t n,
			     const struct shared_yield *y)
{
	for (uint64_t k = 1; k <= n; k++) {
		pthread_mutex_lock(&s->lock);
		s->guarded++;
		pthread_mutex_unlock(&s->lock);
		if (shared_at_yield(k))
			shared_yield_between(y);
	}
}

/* Spins this many times before giving the core away: with more spinners
 * than cores, the holder may be waiting for the very core we spin on. */
#define SHARED_SPINS_BEFORE_YIELD 1000

/* Test-and-test-and-set: spin reading (the line stays in our cache)
 * until the lock looks free, then try to take it with one exchange. */
static void shared_spin_lock(atomic_int *spin)
{
	int tries = 0;
	while (atomic_exchange_explicit(spin, 1, memory_order_acquire))
		while (atomic_load_explicit(spin, memory_order_relaxed))
			if (++tries % SHARED_SPINS_BEFORE_YIELD == 0)
				sched_yield();
}

static void shared_add_spin(struct shared_state *s, uint64_t n,
			    const struct shared_yield *y)
{
	for (uint64_t k = 1; k <= n; k++) {
		shared_spin_lock(&s->spin);
		s->guarded++;
		atomic_store_explicit(&s->spin, 0, memory_order_release);
		if (shared_at_yield(k))
			shared_yield_between(y);
	}
}

static void shared_add_atomic(struct shared_state *s, uint64_t n,
			      const struct shared_yield *y)
{
	for (uint64_t k = 1; k <= n; k++) {
		atomic_fetch_add_explicit(&s->atomic, 1, memory_order_relaxed);
		if (shared_at_yield(k))
			shared_yield_between(y);
	}
}

/* A slot only its worker writes: a relaxed load and store are plain
 * moves, with no lock prefix; the final sum is read after the join. */
static void shared_slot_add(atomic_uint_least64_t *slot, uint64_t d)
{
	atomic_store_explicit(
		slot, atomic_load_explicit(slot, memory_order_relaxed) + d,
		memory_order_relaxed);
}

/* sharded-packed and sharded-padded: count alone, sum at the end. */
static void shared_add_slot(struct shared_state *s, int worker, bool packed,
			    uint64_t n, const struct shared_yield *y)
{
	atomic_uint_least64_t *slot = shared_slot(s, worker, packed);
	for (uint64_t k = 1; k <= n; k++) {
		shared_slot_add(slot, 1);
		if (shared_at_yield(k))
			shared_yield_between(y);
	}
}

/* The sloppy counter: count alone, and every SHARED_THRESHOLD move the
 * count into the global one under the lock. */
static void shared_add_sloppy(struct shared_state *s, int worker, uint64_t n,
			      const struct shared_yield *y)
{
	atomic_uint_least64_t *slot = shared_slot(s, worker, false);
	for (uint64_t k = 1; k <= n; k++) {
		shared_slot_add(slot, 1);
		uint64_t mine =
			atomic_load_explicit(slot, memory_order_relaxed);
		if (mine >= SHARED_THRESHOLD) {
			pthread_mutex_lock(&s->lock);
			s->guarded += mine;
			pthread_mutex_unlock(&s->lock);
			atomic_store_explicit(slot, 0, memory_order_relaxed);
		}
		if (shared_at_yield(k))
			shared_yield_between(y);
	}
}

/* What a worker of the two-lock strategies says while it waits for a
 * lock, written before each pthread_mutex_lock (a copy, not a printf: it
 * happens twice an increment), so that a run the watchdog kills still
 * tells who waited for what. A blocking lock, never a trylock first:
 * ThreadSanitizer learns the order of two locks only from a lock that
 * may block, and lesson 14 shows it the two orders. */
struct shared_waits {
	char first[RESULT_MESSAGE_MAX];	 /* "worker 1 waits for lock b" */
	char second[RESULT_MESSAGE_MAX]; /* "... holds lock b, waits for a" */
};

static void shared_lock_noting(pthread_mutex_t *m, struct result *r,
			       const char *saying)
{
	memcpy(r->message, saying, RESULT_MESSAGE_MAX);
	pthread_mutex_lock(m);
	r->message[0] = '\0';
}

/* Two counters, two locks. `opposite`: odd workers take b first, so
 * worker 0 can hold a waiting for b while worker 1 holds b waiting for
 * a, for ever. The fix is one order for everybody: a, then b. */
static void shared_add_two_locks(struct shared_state *s, int worker,
				 bool opposite, uint64_t n, struct result *r,
				 const struct shared_yield *y)
{
	bool b_first = opposite && worker % 2 == 1;
	pthread_mutex_t *first = b_first ? &s->lock_b : &s->lock;
	pthread_mutex_t *second = b_first ? &s->lock : &s->lock_b;
	char one = b_first ? 'b' : 'a', two = b_first ? 'a' : 'b';
	struct shared_waits w;
	snprintf(w.first, sizeof(w.first), "worker %d waits for lock %c",
		 worker, one);
	snprintf(w.second, sizeof(w.second),
		 "worker %d holds lock %c, waits for lock %c", worker, one,
		 two);
	for (uint64_t k = 1; k <= n; k++) {
		shared_lock_noting(first, r, w.first);
		if (shared_at_yield(k))
			shared_yield_now(y, true); /* holding the first */
		shared_lock_noting(second, r, w.second);
		s->a++;
		s->b++;
		pthread_mutex_unlock(second);
		pthread_mutex_unlock(first);
	}
}

void shared_task_run(struct shared_state *s, const struct task *t,
		     struct result *r, int worker, shared_yield_fn yield,
		     void *arg)
{
	if (!s) {
		r->kind = RESULT_OTHER;
		result_set_message(r, "no shared state: the model runs no "
				      "shared workload");
		return;
	}
	struct shared_yield y = {.fn = yield, .arg = arg};
	uint64_t n = t->work;
	switch (s->sync) {
	case SYNC_NONE:
		shared_add_none(s, n, &y);
		break;
	case SYNC_SPIN:
		shared_add_spin(s, n, &y);
		break;
	case SYNC_ATOMIC:
		shared_add_atomic(s, n, &y);
		break;
	case SYNC_SHARDED:
		shared_add_sloppy(s, worker, n, &y);
		break;
	case SYNC_SHARDED_PACKED:
	case SYNC_SHARDED_PADDED:
		shared_add_slot(s, worker, s->sync == SYNC_SHARDED_PACKED, n,
				&y);
		break;
	case SYNC_DEADLOCK:
	case SYNC_ORDERED:
		shared_add_two_locks(s, worker, s->sync == SYNC_DEADLOCK, n, r,
				     &y);
		break;
	default:
		shared_add_mutex(s, n, &y);
	}
	r->kind = RESULT_OK;
}

/* ---- after the run ---- */

void shared_finish(struct batch *b)
{
	if (b->shared)
		shared_finish_total(b, shared_state_total(b->shared));
}

void shared_finish_total(struct batch *b, uint64_t total)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->tasks[i].type == TASK_SHARED &&
		    b->results[i].kind == RESULT_OK)
			b->results[i].checksum = total;
}

bool shared_batch_has(const struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->tasks[i].type == TASK_SHARED)
			return true;
	return false;
}
