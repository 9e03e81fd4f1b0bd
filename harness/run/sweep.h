// SPDX-License-Identifier: MIT
/*
 * sweep.h - what `concur run` measures and keeps: one record per measured
 * run, one summary per case (model x workload x C), grouped by the batch
 * they ran. The result set (result_set.c) prints and writes them.
 */
#ifndef CONCUR_SWEEP_H
#define CONCUR_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "common/task.h"
#include "harness/run/plan.h"
#include "harness/run/measure.h"
#include "harness/base/stats.h"
#include "harness/run/verify.h"
#include "harness/run/workload.h"

/* Is m one of the py-* models? They go in a group of their own. */
static inline bool sweep_python_model(const struct model *m)
{
	return m->flags & MODEL_PYTHON;
}

/* A batch and everything that is compared on it. C models and Python
 * models run different amounts of compute (--py-work), so they get
 * different groups, each with its own baseline. */
struct sweep_group {
	enum task_type workload;
	long work;			/* kernel units per task */
	struct batch *batch;		/* the timed batch */
	struct batch *reference;	/* its results: the reference */
	const struct model *baseline;	/* sequential or py-sequential */
	bool python;			/* the py-* models' group */
	enum baseline_mode how;		/* FULL, SAMPLE or NONE (never AUTO) */
	struct batch *sample;		/* SAMPLE: the first tasks of batch */
	struct batch *sample_reference; /* and of reference */
	double estimate_s; /* what one full baseline run would cost, as
			      guessed before it ran; NAN when unknown */
};

/* A run's latency tail from the histogram (harness/base/histogram.h),
 * seconds; NAN when no task ended. */
struct latency_tail {
	double p50, p90, p99, p999, max;
};

/* One measured run. */
struct run_record {
	size_t group; /* index into sweep->groups */
	const struct model *model;
	int workers; /* C asked for */
	int rep;     /* 0.. */
	struct measurement m;
	struct verify_report verify;
	size_t kinds[RESULT_KIND_COUNT];
	double lat_p50, lat_p95, lat_p99, lat_max; /* seconds */
	double wait_s;				   /* sum of the tasks' waits */
	struct latency_tail naive;     /* end - start: what the model saw */
	struct latency_tail corrected; /* end - intended: what a user saw
					  (open loop: the queue included;
					  closed: the same as naive) */
	size_t sample_tasks; /* a sampled baseline: tasks it ran (its wall and
				CPU times are scaled by batch->n / this);
				0: the whole batch */
};

/* One case: the records of one (group, model, C). */
struct case_summary {
	size_t group;
	const struct model *model;
	int workers;
	struct spread wall;   /* seconds */
	double user_s, sys_s; /* medians */
	double pss_kib;	      /* median of the tree's PSS peaks */
	double uss_kib;	      /* median of the tree's USS peaks */
	double rss_kib;	      /* median of the older RSS figure */
	int processes;	      /* the most processes in the tree (first run) */
	double p_compute;     /* compute tasks at once: sweep_compute_at_once */
	double setup_s;	      /* median */
	double lat_p50, lat_p95, lat_p99, lat_max; /* medians, seconds */
	struct latency_tail naive, corrected;	   /* medians, seconds */
	long errors;			 /* non-ok tasks in the first run */
	size_t kinds[RESULT_KIND_COUNT]; /* the first run's kinds */
	double tasks_per_s;		 /* N / median wall time */
	double speedup;			 /* baseline median / this median */
	double efficiency;  /* speedup / C (compute: / min(C, cores)) */
	double ideal_s;	    /* NAN when there is none */
	double ratio_ideal; /* median / ideal */
	bool noisy, first_outlier;
	bool verified;	   /* every run matched the reference */
	long timing_diffs; /* timeouts under load, all runs */
	int real_workers;  /* what the model really started */
};

/* The per-task results of one run per (group, model), for the timeline:
 * the run at the largest C, first repetition. */
struct kept_tasks {
	size_t group;
	const struct model *model;
	int workers;
	struct result *results; /* n, owned */
	size_t n;
};

#define SWEEP_MAX_KEPT 64

struct sweep {
	struct run_plan *plan; /* what to run (plan.h) */
	int cores;
	double unit_s;	      /* one unit of compute in C, measured at the start
			  (kernel_unit_seconds); 0: not measured */
	char server_url[256]; /* empty with --url-file */
	pid_t server_pid;     /* the embedded server, 0 if none */
	struct url_list urls; /* --url-file's URLs */
	struct sweep_group groups[8];
	size_t n_groups;
	struct run_record *records;
	size_t n_records, cap_records;
	struct case_summary *cases;
	size_t n_cases;
	struct kept_tasks kept[SWEEP_MAX_KEPT];
	size_t n_kept;
	bool partial;	       /* interrupted before the end */
	bool wrong;	       /* some result differed or crashed */
	bool finished;	       /* the set's last files were written: it can
				  be drawn (result_set_finish) */
	char write_error[256]; /* the first file that could not be written
				  and why ("tasks.csv: No space left on
				  device"); empty while all went well */
	char dir[4096];	       /* the result set's directory */
	double started;	       /* wall clock (time(NULL)) of the start */
};

/* How the group's baseline was timed, as the CSV and meta.json say it:
 * "measured", "estimated" (a sample scaled to the batch) or "none". */
static inline const char *sweep_baseline_how(const struct sweep_group *g)
{
	return g->how == BASELINE_SAMPLE ? "estimated"
	       : g->how == BASELINE_NONE ? "none"
					 : "measured";
}

/* Recomputes sweep->cases from the records. */
int sweep_summarize(struct sweep *s);

/* How many compute tasks model m runs at once with C = workers, from
 * where it computes (models/model.h): min(C, cores) on its workers, 1 one
 * at a time, min(--cpu-workers, cores) on a pool. The table's P. */
double sweep_compute_at_once(const struct sweep *s, const struct model *m,
			     int workers);

/* The ideal time of a case, or NAN: the time the model would take if
 * nothing but its waits and its compute cost anything, given where it
 * computes (models/model.h: enum model_compute). With n tasks, C workers,
 * a wait of d and compute of w units of u seconds each:
 *   fetch    ceil(n / C) x d
 *   compute  n x w x u / P,  P = how many compute at once: min(C, cores),
 *            1, or min(cpu workers, cores)
 *   mixed    max(ceil(n / C) x (d + w x u), n x w x u / P); a model with
 *            a compute pool frees its fetch slot at once: d alone.
 * With --skew, n / C replaces ceil(n / C), and the ideal is never less
 * than the heaviest task alone (d_i + w_i x u): max(total / C, heaviest).
 * u is measured, never the nominal 1 ms: in C by timing the kernel at the
 * start of the run; in Python from the baseline's compute time. */
double sweep_ideal(const struct sweep *s, const struct sweep_group *g,
		   const struct model *m, int workers, double baseline_s);

#endif
