// SPDX-License-Identifier: MIT
/* pool_probe.c - the link-time wrappers of pool_probe.h. */
#include "tests/support/pool_probe.h"

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a,
			  void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a,
			  void *(*fn)(void *), void *arg);
int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __wrap_pthread_mutex_lock(pthread_mutex_t *m);
int __real_pthread_mutex_trylock(pthread_mutex_t *m);
int __wrap_pthread_mutex_trylock(pthread_mutex_t *m);
int __real_pthread_mutex_unlock(pthread_mutex_t *m);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m);
int __real_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);

/* Set by pool_probe_arm before the run starts, read-only during it. */
static unsigned armed;
static int armed_workers;
static double armed_limit_s;

static atomic_int sleeping, lock_waiting, ended_holding;
static atomic_int started;     /* threads started since arm */
static atomic_int waited;      /* threads that called cond_wait since arm */
static atomic_int in_task;     /* barrier: tasks running now */
static atomic_int most;	       /* barrier: the most at once */
static atomic_bool gave_up;    /* barrier: gave up waiting */
static atomic_uint epoch;      /* bumped by each arm */
static _Thread_local int held; /* mutexes this thread holds */
static _Thread_local unsigned seen_epoch; /* this thread's first wait */

static void probe_nap(void)
{
	struct timespec ts = {0, 1000000}; /* 1 ms */
	nanosleep(&ts, NULL);
}

void pool_probe_arm(unsigned flags, int workers, double limit_s)
{
	atomic_fetch_add(&epoch, 1);
	atomic_store(&started, 0);
	atomic_store(&waited, 0);
	atomic_store(&ended_holding, 0);
	atomic_store(&in_task, 0);
	atomic_store(&most, 0);
	atomic_store(&gave_up, false);
	armed = flags;
	armed_workers = workers;
	armed_limit_s = limit_s;
}

int pool_probe_sleeping(void)
{
	return atomic_load(&sleeping);
}

int pool_probe_lock_waiting(void)
{
	return atomic_load(&lock_waiting);
}

int pool_probe_waited(void)
{
	return atomic_load(&waited);
}

int pool_probe_ended_holding(void)
{
	return atomic_load(&ended_holding);
}

int pool_probe_most_at_once(void)
{
	return atomic_load(&most);
}

bool pool_probe_barrier_gave_up(void)
{
	return atomic_load(&gave_up);
}

/* ---- threads: the gate, and the lock a thread ends with ------------------ */

struct probe_start {
	void *(*fn)(void *);
	void *arg;
};

static void *probe_thread(void *p)
{
	struct probe_start s = *(struct probe_start *)p;
	free(p);
	void *ret = s.fn(s.arg);
	if (held > 0) {
		fprintf(stderr,
			"pool probe: a thread returned holding %d mutex(es): "
			"a path that returns without pthread_mutex_unlock\n",
			held);
		atomic_fetch_add(&ended_holding, 1);
	}
	return ret;
}

/* The producer, after starting the last worker: wait until every worker
 * waits on a condition (has called it once, under PROBE_SPURIOUS). */
static void probe_gate(void)
{
	double until = clock_now() + armed_limit_s;
	const atomic_int *count = armed & PROBE_SPURIOUS ? &waited : &sleeping;
	while (atomic_load(count) < armed_workers && clock_now() < until)
		probe_nap();
}

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a,
			  void *(*fn)(void *), void *arg)
{
	struct probe_start *s = malloc(sizeof(*s));
	if (!s)
		return __real_pthread_create(t, a, fn, arg);
	*s = (struct probe_start){fn, arg};
	int rc = __real_pthread_create(t, a, probe_thread, s);
	if (rc != 0) {
		free(s);
		return rc;
	}
	if ((armed & PROBE_GATE) &&
	    atomic_fetch_add(&started, 1) + 1 == armed_workers)
		probe_gate();
	return rc;
}

/* ---- locks and conditions: counted -------------------------------------- */

int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
	atomic_fetch_add(&lock_waiting, 1);
	int rc = __real_pthread_mutex_lock(m);
	atomic_fetch_sub(&lock_waiting, 1);
	if (rc == 0)
		held++;
	return rc;
}

int __wrap_pthread_mutex_trylock(pthread_mutex_t *m)
{
	int rc = __real_pthread_mutex_trylock(m);
	if (rc == 0)
		held++;
	return rc;
}

int __wrap_pthread_mutex_unlock(pthread_mutex_t *m)
{
	int rc = __real_pthread_mutex_unlock(m);
	if (rc == 0)
		held--;
	return rc;
}

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	unsigned e = atomic_load(&epoch);
	if (armed && seen_epoch != e) {
		seen_epoch = e;
		atomic_fetch_add(&waited, 1);
		if (armed & PROBE_SPURIOUS)
			return 0; /* woken for nothing: the mutex is held */
	}
	atomic_fetch_add(&sleeping, 1);
	int rc = __real_pthread_cond_wait(c, m);
	atomic_fetch_sub(&sleeping, 1);
	return rc;
}

/* ---- the barrier in task_execute ---------------------------------------- */

void pool_probe_task_begin(void)
{
	if (!(armed & PROBE_BARRIER))
		return;
	int now = atomic_fetch_add(&in_task, 1) + 1;
	int seen = atomic_load(&most);
	while (now > seen && !atomic_compare_exchange_weak(&most, &seen, now))
		;
	double until = clock_now() + armed_limit_s;
	while (atomic_load(&most) < armed_workers && !atomic_load(&gave_up)) {
		if (clock_now() >= until)
			atomic_store(&gave_up, true);
		probe_nap();
	}
}

void pool_probe_task_end(void)
{
	if (armed & PROBE_BARRIER)
		atomic_fetch_sub(&in_task, 1);
}

/* ---- the watchdog -------------------------------------------------------- */

static pthread_t watch_tid;
static atomic_bool watch_done;
static const char *watch_what;
static double watch_hang_s;
static void (*watch_verdict)(const char *msg);

void pool_probe_on_verdict(void (*fn)(const char *msg))
{
	watch_verdict = fn;
}

/* The watchdog's verdict: the Check test fails, or the host reports it. */
static void probe_verdict(const char *msg)
{
	if (watch_verdict)
		watch_verdict(msg);
	ck_abort_msg("%s", msg);
}

static void *probe_watch(void *arg)
{
	(void)arg;
	double until = clock_now() + watch_hang_s;
	char msg[512];
	while (!atomic_load(&watch_done)) {
		if (atomic_load(&ended_holding) > 0) {
			snprintf(msg, sizeof(msg),
				 "%s: a worker thread ended holding a lock: a "
				 "path returns without pthread_mutex_unlock",
				 watch_what);
			probe_verdict(msg);
		}
		if (watch_hang_s > 0 && clock_now() >= until) {
			snprintf(msg, sizeof(msg),
				 "%s: hung: still running after %.0f s, %d "
				 "thread(s) asleep in pthread_cond_wait, %d "
				 "waiting for a lock",
				 watch_what, watch_hang_s,
				 atomic_load(&sleeping),
				 atomic_load(&lock_waiting));
			probe_verdict(msg);
		}
		probe_nap();
	}
	return NULL;
}

void pool_probe_watch_start(const char *what, double hang_s)
{
	watch_what = what;
	watch_hang_s = hang_s;
	atomic_store(&watch_done, false);
	/* No ck_assert here: even a passing one reports progress to Check,
	 * which the host (outside Check) does not run. */
	if (__real_pthread_create(&watch_tid, NULL, probe_watch, NULL) != 0)
		probe_verdict("the probes' watchdog could not start");
}

void pool_probe_watch_stop(void)
{
	atomic_store(&watch_done, true);
	pthread_join(watch_tid, NULL);
}
