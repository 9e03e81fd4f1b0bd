// SPDX-License-Identifier: MIT
/*
 * procfs.h - what /proc says about another process: its memory, the CPU
 * time it has used and who its parent is. The benchmarks, the soak and the
 * server tests use it to watch the embedded server from outside; the
 * harness uses it to weigh a run's whole process tree.
 */
#ifndef CONCUR_PROCFS_H
#define CONCUR_PROCFS_H

#include <sys/types.h>

/* A KiB figure from /proc/PID/status ("VmRSS", "VmHWM"); -1 if none. */
long proc_status_kib(pid_t pid, const char *field);

/* CPU seconds (user + system) the process has used so far; -1 if it
 * cannot be read. */
double proc_cpu_seconds(pid_t pid);

/* A process's memory now, in KiB, from /proc/PID/smaps_rollup (what smem
 * reports). RSS counts every resident page the process maps, PSS divides
 * each page by the number of processes that map it (a page shared by 16
 * workers counts 1/16 in each, so the PSS of a group adds up to what it
 * really holds), USS counts only pages no other process maps (Private_Clean
 * + Private_Dirty: what ending this process would free). */
struct proc_memory {
	long rss_kib;
	long pss_kib;
	long uss_kib;
};

/* Fills *m for pid; 0, or -1 when it cannot be read (the process is gone,
 * or the kernel has no smaps_rollup: Linux < 4.14). */
int proc_memory_read(pid_t pid, struct proc_memory *m);

/* The resident set of pid now, in KiB, from /proc/PID/statm: a tenth of
 * the cost of smaps_rollup, which walks every mapping; -1 when gone. */
long proc_rss_kib(pid_t pid);

/* The parent and the process group of pid, from /proc/PID/stat; 0, or -1
 * when the process is gone. */
int proc_parent(pid_t pid, pid_t *ppid, pid_t *pgid);

#endif
