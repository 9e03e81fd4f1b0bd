// SPDX-License-Identifier: MIT
/*
 * options.h - what a model is told (struct run_opts) and what it reports
 * back about the run itself (struct run_stats), besides the per-task results.
 */
#ifndef CONCUR_OPTIONS_H
#define CONCUR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Timeouts for one HTTP transfer. */
struct fetch_opts {
	long connect_timeout_ms; /* TCP connect */
	long timeout_ms;	 /* the whole transfer */
};

/* Test-only hooks; NULL in normal runs. */
struct test_hooks {
	/* processes: the worker running this task index raises SIGKILL in the
	 * middle of it (-1: never). */
	long crash_task;
	/* hybrid: called on a pool thread before each compute; may block. */
	void (*before_compute)(void *arg);
	void *before_compute_arg;
	/* gil: called with +1 when a thread takes the lock, -1 when it drops
	 * it, from the thread that does it. */
	void (*gil_event)(void *arg, int worker, int delta);
	void *gil_event_arg;
};

#define RUN_STATS_NOTE_MAX 160

/* What a model reports about the run as a whole. */
struct run_stats {
	double setup_s;	     /* creating the pool: threads, forks, handles */
	int workers_started; /* the real C: may be less than asked */
	long handovers;	     /* gil: times the lock changed hands */
	long worker_rss_kib; /* processes: sum of the workers' peak RSS */
	long replacements;   /* processes: workers started after a crash */
	double startup_s;    /* external models: interpreter start-up */
	char note[RUN_STATS_NOTE_MAX]; /* a limit that was hit, said in words */
	/* External models (harness/external/external.h). wait4's CPU and memory
	 * include the interpreter's start-up. */
	double external_run_s;	/* the run time the program measured */
	int external_status;	/* enum external_status */
	double external_user_s; /* wait4: user CPU, children included */
	double external_sys_s;	/* wait4: system CPU, children included */
	long external_rss_kib;	/* wait4: peak RSS of the largest process */
};

/* Everything a model needs besides the batch. Read-only for the model,
 * except *stats, which the model fills. */
struct run_opts {
	int workers;		   /* C: threads, processes or transfers */
	int cpu_workers;	   /* hybrid: the compute pool's size */
	double switch_interval_ms; /* gil: like sys.setswitchinterval */
	struct fetch_opts fetch;
	bool trace;			/* print one line per task event */
	struct run_stats *stats;	/* may be NULL */
	const struct test_hooks *hooks; /* may be NULL */
	double model_timeout_s; /* external: kill after this; 0: derived */
	const char *python;	/* external .py: the interpreter; NULL:
				      python_find() chooses */
};

/* Options with the defaults documented in `concur run --help`. */
struct run_opts run_opts_default(void);

#endif
