// SPDX-License-Identifier: MIT
/*
 * pool_probe.h - what the conformance suite sees of a thread pool, and the
 * three situations it sets up so the classic pool bugs show every time
 * instead of now and then. The test binaries are linked with
 *     -Wl,--wrap=pthread_create,--wrap=pthread_mutex_lock,
 *      --wrap=pthread_mutex_trylock,--wrap=pthread_mutex_unlock,
 *      --wrap=pthread_cond_wait
 * so a model's calls pass through pool_probe.c first (calls inside the C
 * library and libcurl do not: the linker redirects only between object
 * files). With nothing armed the wrappers count and pass the call on.
 *
 * What it counts, always:
 *   - threads asleep in pthread_cond_wait, and threads waiting in
 *     pthread_mutex_lock, right now (what a hang is made of);
 *   - threads started by pthread_create that returned still holding a
 *     mutex (a path that forgot its unlock).
 * What it sets up, when armed for one run (pool_probe_arm):
 *   PROBE_GATE      after the run has started `workers` threads, the thread
 *                   that started them (the producer) waits, up to the
 *                   limit, until all of them wait on a condition: every
 *                   consumer asleep on an empty queue before any push.
 *   PROBE_SPURIOUS  each thread's first pthread_cond_wait returns at once
 *                   without waiting: a spurious wake-up, which POSIX allows
 *                   and a `while` around the wait survives.
 *   PROBE_BARRIER   each task waits in task_execute, up to the limit,
 *                   until `workers` tasks run at the same time: a pool
 *                   that runs tasks one at a time never gets there.
 */
#ifndef CONCUR_TEST_POOL_PROBE_H
#define CONCUR_TEST_POOL_PROBE_H

#include <stdbool.h>

#include "harness/grade/scenarios.h" /* the flags: enum scenario_probe */

/* Resets the counts and arms flags for a run of `workers` threads; the
 * gate and the barrier give up after limit_s seconds. flags 0: count
 * only. Call it before the run starts, from the thread that runs it. */
void pool_probe_arm(unsigned flags, int workers, double limit_s);

/* Threads asleep in pthread_cond_wait / waiting in pthread_mutex_lock. */
int pool_probe_sleeping(void);
int pool_probe_lock_waiting(void);
/* Threads that called pthread_cond_wait since the arm (under
 * PROBE_SPURIOUS: that were woken once for nothing). */
int pool_probe_waited(void);
/* Threads that returned from their start routine holding a mutex. */
int pool_probe_ended_holding(void);
/* The barrier: the most tasks that ran at once, and whether it gave up
 * (too few tasks ever ran together). */
int pool_probe_most_at_once(void);
bool pool_probe_barrier_gave_up(void);

/* A watchdog over the run, started after arming: it ends the test with a
 * message saying what the threads wait on when the run is still going
 * after hang_s seconds, and at once when a thread ended holding a lock
 * (the others would wait for that lock forever); hang_s 0: no limit of
 * its own. stop() before checking the results. */
void pool_probe_watch_start(const char *what, double hang_s);
void pool_probe_watch_stop(void);

/* Where the watchdog's verdict goes: NULL (the default) fails the Check
 * test; the grader's host (tests/conformance/host.c), which runs outside
 * Check, reports it and ends instead. fn must not return. */
void pool_probe_on_verdict(void (*fn)(const char *msg));

/* Called by the task_execute wrapper (faults.c) around each task. */
void pool_probe_task_begin(void);
void pool_probe_task_end(void);

#endif
