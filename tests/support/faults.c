// SPDX-License-Identifier: MIT
/* faults.c - the link-time wrappers of faults.h. */
#include "tests/support/faults.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/kernel.h"
#include "tests/support/pool_probe.h"

void __real_task_execute(struct batch *b, size_t i, CURL *h,
			 const struct run_opts *o, const char *model,
			 int worker);
void __wrap_task_execute(struct batch *b, size_t i, CURL *h,
			 const struct run_opts *o, const char *model,
			 int worker);
void __real_task_compute(const struct task *t, struct result *r);
void __wrap_task_compute(const struct task *t, struct result *r);
void __real_kernel_advance(struct kernel *k, uint64_t n);
void __wrap_kernel_advance(struct kernel *k, uint64_t n);

/* Set before a run starts (threads and forks see it), read-only during. */
static long crash_task = -1;
static void (*before_compute)(void *);
static void *before_compute_arg;

void faults_crash_task(long task)
{
	crash_task = task;
}

void faults_before_compute(void (*fn)(void *arg), void *arg)
{
	before_compute = fn;
	before_compute_arg = arg;
}

void __wrap_task_execute(struct batch *b, size_t i, CURL *h,
			 const struct run_opts *o, const char *model,
			 int worker)
{
	if (crash_task >= 0 && (size_t)crash_task == i) {
		struct result *r = &b->results[i];
		r->worker = worker;
		r->start = clock_now() - b->t0;
		trace_event(o, model, worker, i, "start", r);
		raise(SIGKILL);
	}
	pool_probe_task_begin();
	__real_task_execute(b, i, h, o, model, worker);
	pool_probe_task_end();
}

void __wrap_task_compute(const struct task *t, struct result *r)
{
	if (before_compute)
		before_compute(before_compute_arg);
	__real_task_compute(t, r);
}

/* ---- kernel_advance: who computes when ---------------------------------- */

static atomic_int watching;
static atomic_int inside; /* threads inside a slice right now */
static atomic_int max_inside;
static atomic_int n_threads; /* distinct threads seen */
static double first_s[FAULTS_KERNEL_THREADS];
static _Thread_local int my_slot = -1; /* this thread's index, once seen */
static _Thread_local unsigned my_epoch;
static atomic_uint epoch; /* bumped by each watch, so slots are per run */

void faults_kernel_watch(int on)
{
	atomic_store(&watching, 0);
	if (on) {
		atomic_fetch_add(&epoch, 1);
		atomic_store(&inside, 0);
		atomic_store(&max_inside, 0);
		atomic_store(&n_threads, 0);
		for (int k = 0; k < FAULTS_KERNEL_THREADS; k++)
			first_s[k] = 0;
		atomic_store(&watching, 1);
	}
}

int faults_kernel_max_at_once(void)
{
	return atomic_load(&max_inside);
}

int faults_kernel_threads(void)
{
	return atomic_load(&n_threads);
}

double faults_kernel_first_s(int k)
{
	return k >= 0 && k < FAULTS_KERNEL_THREADS ? first_s[k] : 0;
}

static void kernel_note_thread(void)
{
	unsigned e = atomic_load(&epoch);
	if (my_slot >= 0 && my_epoch == e)
		return;
	my_epoch = e;
	my_slot = atomic_fetch_add(&n_threads, 1);
	/* Each slot is written once, by its own thread; the test reads it
	 * after pthread_join. */
	if (my_slot < FAULTS_KERNEL_THREADS)
		first_s[my_slot] = clock_now();
}

void __wrap_kernel_advance(struct kernel *k, uint64_t n)
{
	if (!atomic_load(&watching)) {
		__real_kernel_advance(k, n);
		return;
	}
	kernel_note_thread();
	int now = atomic_fetch_add(&inside, 1) + 1;
	int max = atomic_load(&max_inside);
	while (now > max &&
	       !atomic_compare_exchange_weak(&max_inside, &max, now))
		;
	__real_kernel_advance(k, n);
	atomic_fetch_sub(&inside, 1);
}
