// SPDX-License-Identifier: MIT
/*
 * procfs.h - what /proc says about another process: its memory and the
 * CPU time it has used. The benchmarks, the soak and the server tests use
 * it to watch the embedded server from outside.
 */
#ifndef CONCUR_PROCFS_H
#define CONCUR_PROCFS_H

#include <sys/types.h>

/* A KiB figure from /proc/PID/status ("VmRSS", "VmHWM"); -1 if none. */
long proc_status_kib(pid_t pid, const char *field);

/* CPU seconds (user + system) the process has used so far; -1 if it
 * cannot be read. */
double proc_cpu_seconds(pid_t pid);

#endif
