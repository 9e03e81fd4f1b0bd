// SPDX-License-Identifier: MIT
/*
 * plan.h - the plan of a run: which models, workloads and values of C the
 * sweep measures, how big each batch is, how the baseline is timed and
 * where the result set goes. `concur run` fills it from its options
 * (harness/cli/config.c), a lesson from its own experiment
 * (harness/lessons/kit.c); run/ carries it out (run.h).
 *
 * Errors: none; defaults and questions about a plan.
 */
#ifndef CONCUR_PLAN_H
#define CONCUR_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arrival.h"
#include "common/options.h"
#include "common/shared.h"
#include "common/task.h"
#include "harness/external/external_opts.h"
#include "models/model.h"

#define PLAN_MAX_MODELS 32
#define PLAN_MAX_WORKERS 64

/* An open run's grace: no task starts later than this after the last
 * arrival; those still waiting are its overload, counted not_run. */
#define PLAN_ARRIVAL_GRACE_S 2.0

/* The longest label: it names the result set's directory. */
#define PLAN_LABEL_MAX 63

/* --baseline: how the baseline (sequential, py-sequential) is timed. */
enum baseline_mode {
	BASELINE_AUTO,	 /* full when asked for or cheap, else sample */
	BASELINE_FULL,	 /* the whole batch, every repetition */
	BASELINE_SAMPLE, /* the first tasks only, scaled to the batch */
	BASELINE_NONE,	 /* not timed: no speedup column */
};

struct run_plan {
	const struct model *models[PLAN_MAX_MODELS];
	size_t n_models;
	enum task_type workloads[4];
	size_t n_workloads;
	int workers[PLAN_MAX_WORKERS]; /* the sweep of C */
	size_t n_workers;
	long tasks;	  /* N */
	bool tasks_given; /* --tasks was on the command line */
	long delay_ms;	  /* /delay/MS of every fetch */
	long bytes;	  /* body size of every fetch */
	long work;	  /* kernel units per compute task */
	long py_work;	  /* units for py-* models on compute (0: = work) */
	long timeout_ms;  /* whole transfer */
	long connect_timeout_ms;
	int repeat;	 /* measured runs per case */
	int warmup;	 /* unmeasured runs per case first */
	int cpu_workers; /* hybrid's pool */
	double switch_interval_ms;
	struct coro_opts coro;	   /* coroutines: --switch, --stack-kib */
	long block_ms;		   /* --block-ms: task 0 blocks (run_opts) */
	bool block_in_executor;	   /* --block-in executor (py-asyncio) */
	enum shared_sync sync;	   /* --sync: the shared workload's strategy */
	enum loop_backend backend; /* --backend: eventloop's and hybrid's */
	double model_timeout_s;	   /* external models; 0: derived */
	const char *url_file;	/* real URLs instead of the embedded server */
	const char *server_url; /* a server already running */
	const char *out_dir;	/* results/ */
	const char *label;	/* name of the result set */
	const char *python;	/* --python */
	const char *py_start;	/* --py-start: fork, spawn, forkserver or
				   NULL (Python's default) */
	const char *hosts;	/* --hosts: MPI models across machines */
	const char *hostfile;	/* --hostfile */
	const char *listen;	/* --listen: the embedded server's address */
	bool open_loop;		/* --arrival open: tasks arrive at --rate */
	double rate;		/* --rate: tasks per second (open loop) */
	enum arrival_dist arrival_dist; /* --arrival-dist */
	long arrival_seed;		/* --seed: the arrivals' schedule */
	double arrival_grace_s;		/* no task starts later than this
					   after the last arrival */
	long stall_ms;	   /* lesson 16: the first task arriving at or
			      after stall_at_s fetches /stall/MS instead
			      (the embedded server stalls); 0: none */
	double stall_at_s; /* seconds after the run's start */
	bool skew;	   /* --skew: uneven task costs, same total */
	long skew_seed;	   /* --skew=SEED (default 1) */
	bool trace, quiet, plot;
	bool report;	  /* report.html beside the plots (--no-report) */
	bool models_all;  /* --models all (the default) */
	bool no_baseline; /* lessons: do not time the baseline (its
				   speedup columns stay empty) */
	enum baseline_mode baseline; /* --baseline */
	char *cmdline;		     /* the whole command line, for meta.json */
};

/* The defaults, before any option: a model's own (run_opts_default) and
 * the sweep's (fetch and compute, C = 1, 4, 16, 40 tasks, 3 runs). No
 * model is chosen yet. */
void plan_defaults(struct run_plan *p);

/* The run_opts a model gets under this plan at C = workers. */
struct run_opts plan_run_opts(const struct run_plan *p, int workers);

/* What a model that is a program also gets under this plan (the
 * watchdog's limit, model_timeout_s, applies to every model). */
struct external_opts plan_external_opts(const struct run_plan *p);

/* Does this plan include an external (py-*) model? */
bool plan_has_external(const struct run_plan *p);

#endif
