// SPDX-License-Identifier: MIT
/*
 * options.h - what a model is told (struct run_opts) and what it reports
 * back about the run itself (struct run_stats), besides the per-task results.
 */
#ifndef CONCUR_OPTIONS_H
#define CONCUR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/shared.h"

/* Timeouts for one HTTP transfer. */
struct fetch_opts {
	long connect_timeout_ms; /* TCP connect */
	long timeout_ms;	 /* the whole transfer */
};

#define RUN_STATS_NOTE_MAX 160
#define RUN_FIGURE_NAME_MAX 24
#define RUN_FIGURES_MAX 12

/* A figure a model reports about its run, under a name the report prints
 * as it is: the processes model's "replacements", py-processes'
 * "pool_start_s". Any model may fill any name; the harness only shows them
 * (runs.csv's figures column) and reads none back by name: what it uses
 * is a typed field of struct run_stats. */
struct run_figure {
	char name[RUN_FIGURE_NAME_MAX]; /* lower_snake_case, unit suffix */
	double value;
};

/* What a model reports about the run as a whole. Plain data (no
 * pointers): the harness copies it out of the measured child. */
struct run_stats {
	double setup_s;	     /* creating the pool: threads, forks, handles */
	int workers_started; /* the real C: may be less than asked */
	bool external;	     /* the model is a program run through the
				protocol (harness/external/); then: */
	int external_status; /* how it ended: an enum external_status
				(harness/external/status.h) */
	/* What the harness reads back, 0 when the model has none. Each is
	 * also set as a named figure of the same name, so that the figures
	 * column shows it where it always did. */
	long workers_rss_kib; /* processes: its reaped workers' peaks, summed
				 (added to the run's peak RSS) */
	long handovers;	      /* gil: times the lock changed hands */
	double program_run_s; /* external: the run time the program measured
				 (MPI: the whole wall), the run's wall time */
	double startup_s;     /* external: the wall time outside it: the
				 interpreter's or mpirun's start-up */
	long largest_rss_kib; /* external: the program's peak RSS, the
				 run's */
	char note[RUN_STATS_NOTE_MAX]; /* a limit that was hit, said in words */
	char loop_backend[16]; /* eventloop, hybrid: the backend the loop
				  used ("epoll"; after a fallback, not the
				  one asked for); "" for other models */
	int n_figures;	       /* figures[0..n_figures) are set */
	struct run_figure figures[RUN_FIGURES_MAX];
};

/* Sets figure `name` to value (adds it the first time). Does nothing when
 * s is NULL or all RUN_FIGURES_MAX figures are taken. */
void run_stats_set(struct run_stats *s, const char *name, double value);

/* Figure `name`, or `otherwise` when nobody set it (s may be NULL). */
double run_stats_get(const struct run_stats *s, const char *name,
		     double otherwise);

/* How long a thread may hold an interpreter lock before a waiting thread
 * asks for it, when not told: CPython's default, in ms
 * (sys.getswitchinterval() is 0.005). */
#define SWITCH_INTERVAL_DEFAULT_MS 5.0

/* What the hybrid model alone reads (models/hybrid.c). */
struct hybrid_opts {
	int cpu_workers; /* threads for compute, kept apart from the I/O */
};

/* What the gil model alone reads (models/gil.c). */
struct gil_opts {
	double switch_interval_ms; /* the lock's turn, as in
				      sys.setswitchinterval; 0: the default */
};

/* The kernel interface an event loop waits with (--backend): libev's
 * backends. AUTO is libev's own choice (epoll on Linux); io_uring is
 * built into Debian's libev 4.33 but left out of that choice. */
enum loop_backend {
	LOOP_BACKEND_AUTO,     /* libev's choice (ev_recommended_backends) */
	LOOP_BACKEND_EPOLL,    /* epoll(7): the kernel keeps the watched set */
	LOOP_BACKEND_POLL,     /* poll(2): the whole set passed every turn */
	LOOP_BACKEND_SELECT,   /* select(2): bitmaps, descriptors < 1,024 */
	LOOP_BACKEND_IO_URING, /* io_uring(7): a ring of poll requests */
};

/* A name of --backend's ("epoll", "io_uring"; "auto" for AUTO). */
const char *loop_backend_name(enum loop_backend b);

/* Parses a --backend value; 0, or -1 when it is none of
 * loop_backend_names(). */
int loop_backend_parse(const char *name, enum loop_backend *out);

/* The values --backend takes, for messages: "epoll, poll, ...". */
const char *loop_backend_names(void);

/* What the event-loop models alone read (models/eventloop.c, hybrid.c). */
struct loop_opts {
	enum loop_backend backend; /* --backend */
};

/* How the coroutines model switches from one coroutine to another
 * (--switch; models/coro_switch.h). */
enum coro_switch {
	CORO_SWITCH_DEFAULT = 0, /* asm on x86-64, ucontext elsewhere */
	CORO_SWITCH_ASM,	 /* a few instructions of our own: x86-64 */
	CORO_SWITCH_UCONTEXT,	 /* glibc's swapcontext: POSIX, any CPU */
};

/* Each coroutine's stack when not told, in KiB (--stack-kib). */
#define CORO_STACK_KIB_DEFAULT 64

/* What the coroutines model alone reads (models/coroutines.c). */
struct coro_opts {
	enum coro_switch how; /* --switch */
	int stack_kib;	      /* --stack-kib: each coroutine's stack */
};

/* Everything a model needs besides the batch. Read-only for the model,
 * except *stats, which the model fills. */
struct run_opts {
	int workers; /* C: threads, processes or transfers */
	struct fetch_opts fetch;
	bool trace;		   /* print one line per task event */
	struct run_stats *stats;   /* may be NULL */
	enum shared_sync sync;	   /* shared tasks: how the workers keep the
				    counter right (--sync) */
	struct hybrid_opts hybrid; /* read by hybrid alone */
	struct gil_opts gil;	   /* read by gil alone */
	struct loop_opts loop;	   /* read by eventloop and hybrid */
	struct coro_opts coro;	   /* read by coroutines alone */
	long block_ms; /* --block-ms: task 0 sleeps this long, blocking, after
			  its fetch (eventloop, coroutines: on the loop;
			  hybrid: in its pool); 0: no task blocks */
	bool block_in_executor; /* --block-in executor: py-asyncio hands
				   the block to run_in_executor's threads */
};

/* Options with the defaults documented in `concur run --help`. */
struct run_opts run_opts_default(void);

#endif
