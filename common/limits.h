// SPDX-License-Identifier: MIT
/*
 * limits.h - how many workers a pool starts, and why a thread or a process
 * could not be created.
 *
 * pthread_create() and fork() fail with EAGAIN (or ENOMEM) for several
 * different reasons, and the error number does not say which. A model that
 * asked for more workers than the machine allows goes on with the workers
 * it has, and uses these functions to tell the student which limit it hit:
 *
 *   kernel.threads-max     every thread on the machine (/proc/sys/kernel)
 *   kernel.pid_max         every thread needs a task id (less 300 reserved)
 *   cgroup pids.max        the container's share
 *   RLIMIT_NPROC           the user's threads and processes (ulimit -u);
 *                          root is exempt
 *   vm.max_map_count       each thread stack is a mapping (and its guard)
 *   memory                 none of the above: stacks or page tables
 *
 * Errors: the functions never fail; at worst they say "memory".
 */
#ifndef CONCUR_LIMITS_H
#define CONCUR_LIMITS_H

#include <stddef.h>

#include "common/options.h"

/* The number of workers a run of n tasks at C workers starts: C, but never
 * more than n (a worker with no task would only cost its creation), and at
 * least 1 when there is work. */
int limits_pool_size(int workers, size_t n);

/* Writes into buf the names of the limits that most likely made the
 * creation of a thread or process fail with err, e.g. "RLIMIT_NPROC
 * (4096)"; several, comma-separated, when several are reached at once.
 * Reads /proc, so call it once, after the failure. */
void limits_explain(int err, char *buf, size_t len);

/* Says on stderr and in stats->note (when stats is not NULL) that `model`
 * started only `started` of `wanted` workers because `call` failed with
 * err, names the limit, and that the run goes on with what it has. */
void limits_report(const char *model, const char *call, int err, int started,
		   int wanted, struct run_stats *stats);

#endif
