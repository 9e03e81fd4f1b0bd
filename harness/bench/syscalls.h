// SPDX-License-Identifier: MIT
/*
 * syscalls.h - how many system calls a piece of work makes: the work runs
 * in a forked child, held at a gate until a counter is attached: `perf
 * stat -e raw_syscalls:sys_enter -p` (a kernel counter: the work runs at
 * full speed), or where perf cannot (not installed, not allowed),
 * `strace -c -f -p`. The c10k case divides the total by the transfers
 * (bench/loop.c's c10k-syscalls row).
 *
 * Under strace the work runs several times slower, so what depends on
 * timing changes: the raw epoll client of bench/rawclient.c gets to reuse
 * half its connections, 5.4 calls per transfer instead of perf's 8.0.
 *
 * Errors: syscalls_count returns -1 and says why in `why` (neither tool,
 * the attach failed, the work failed).
 */
#ifndef CONCUR_BENCH_SYSCALLS_H
#define CONCUR_BENCH_SYSCALLS_H

#include <stddef.h>

/* The work to count: 0 when it went right. Runs in the forked child. */
typedef int (*syscalls_work_fn)(void *arg);

/* Runs work(arg) in a child under perf or strace and returns the system
 * calls it made (its threads' too), or -1 (reason in why). */
long syscalls_count(syscalls_work_fn work, void *arg, char *why, size_t len);

#endif
