// SPDX-License-Identifier: MIT
/*
 * tree_memory.h - the memory of a run's whole process tree, measured the
 * same way for every model: the measured child and every process it starts
 * (the processes model's workers, a Python interpreter and its
 * multiprocessing workers), each page shared between them counted once.
 *
 * A thread in the harness (never in the measured child, whose own threads
 * and page faults it must not join) looks every TREE_MEMORY_INTERVAL_S at
 * /proc: which processes descend from the child (their parent is in the
 * tree, or they are in the child's process group), and what each holds
 * (harness/run/procfs.h: smaps_rollup). The run's figure is the peak, over the
 * samples, of the tree's sums: PSS (a shared page divided between the
 * processes that map it: what the tree really holds), USS (private pages
 * only: what ending the processes would free) and RSS (every resident page
 * in every process: shared pages counted once per process, an
 * overstatement kept for comparison).
 *
 * Errors: tree_sampler_start returns NULL (and the run goes on without
 * samples) when memory or a thread is short.
 */
#ifndef CONCUR_TREE_MEMORY_H
#define CONCUR_TREE_MEMORY_H

#include <sys/types.h>

/* How often the sampler looks, at most. A look that costs more CPU than
 * 1/TREE_MEMORY_MAX_SHARE of this waits that many times its own cost
 * instead, so the sampler never takes more than about 1/20 of one core. */
#define TREE_MEMORY_INTERVAL_S 0.010
#define TREE_MEMORY_MAX_SHARE 20

/* The peaks of one run, in KiB, over every sample. */
struct tree_memory {
	long pss_kib;	      /* the tree's proportional set size */
	long uss_kib;	      /* its unique (private) pages */
	long rss_kib;	      /* the sum of its processes' resident sets */
	int processes;	      /* the most processes seen at once */
	long samples;	      /* looks taken */
	double sampler_cpu_s; /* CPU the sampler thread itself used */
};

struct tree_sampler;

/* Starts sampling the tree under root (the measured child) in a thread of
 * the caller's; NULL if it could not start. The thread blocks every
 * signal, so the caller's wait4 still sees its alarms. */
struct tree_sampler *tree_sampler_start(pid_t root);

/* Stops the sampler, fills *peak and frees it. s may be NULL (then *peak
 * is all zero). */
void tree_sampler_stop(struct tree_sampler *s, struct tree_memory *peak);

/* Raises each peak of *peak to at least the same figure of *other. */
void tree_memory_merge(struct tree_memory *peak,
		       const struct tree_memory *other);

#endif
