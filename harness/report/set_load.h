// SPDX-License-Identifier: MIT
/*
 * set_load.h - a result set read back from its files, for the commands
 * that look at sets after the run: `concur report`, `concur class` and
 * `concur compare`. Columns are found by their header names
 * (results/README.md), so columns added at the end change nothing here.
 *
 * A set may be a student's, so it is read as untrusted input: only
 * regular files, never through a link, each at most a cap of bytes and
 * rows (set_file.h); a value that is not a finite number is no number.
 *
 * Errors: set_load returns 0, or -1 with one line in `why` naming what is
 * wrong ("no summary.csv", "meta.json: not JSON"); nothing is printed.
 */
#ifndef CONCUR_SET_LOAD_H
#define CONCUR_SET_LOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "harness/report/set_file.h"

/* One case of summary.csv, with its runs' wall times from runs.csv. */
struct set_case {
	char workload[32], model[64];
	int workers;
	long tasks, work, runs, errors, timing_diffs;
	double median, min, max;			   /* wall time, s */
	double speedup, efficiency, ideal, ratio_to_ideal; /* NAN: none */
	double peak_rss_kib;
	double peak_pss_kib; /* the tree's PSS; NAN or 0: not measured */
	bool noisy, first_outlier, verified;
	/* from runs.csv, over the case's runs: why a case is wrong */
	long lost_most;	     /* the most increments one run lost (shared) */
	long wrong_tasks;    /* tasks whose result differed, summed */
	long stopped;	     /* runs the watchdog had to stop */
	char baseline[16];   /* measured, estimated, none ("" when absent) */
	char arrival[8];     /* closed or open ("" in a set before them) */
	double offered_rate; /* open loop: tasks/s; NAN: closed */
	double naive[5];     /* latency p50, p90, p99, p99.9, max in ms from
				the task's start; NAN: an older set */
	double corrected[5]; /* the same from its intended start */
	double *walls;	     /* every measured run's wall_s */
	size_t n_walls;
};

/* How much of a set is read: bytes of each file, rows of summary.csv
 * (runs.csv may hold SET_RUNS_PER_ROW times as many). */
struct set_limits {
	size_t max_bytes;
	size_t max_rows;
};

#define SET_MAX_ROWS 2000
#define SET_RUNS_PER_ROW 10
#define SET_LIMITS_DEFAULT                                                     \
	{                                                                      \
		(size_t) SET_FILE_MAX_MB * 1024 * 1024, SET_MAX_ROWS           \
	}

/* A result set: its cases in summary.csv's order and meta.json. */
struct set {
	char dir[4096];
	const char *name; /* the last part of dir */
	json_t *meta;	  /* owned */
	json_t *lesson;	  /* lesson.json, checked and owned (NULL: none) */
	struct set_case *cases;
	size_t n;
	size_t short_rows; /* summary.csv rows cut short (not read): a
			    * truncated file */
};

/* Reads dir's summary.csv, runs.csv and meta.json, within the default
 * limits. */
int set_load(const char *dir, struct set *s, char *why, size_t len);

/* The same within lim. */
int set_load_limited(const char *dir, const struct set_limits *lim,
		     struct set *s, char *why, size_t len);

void set_free(struct set *s);

/* The case, or NULL. */
const struct set_case *set_find(const struct set *s, const char *workload,
				const char *model, int workers);

/* meta.json's value at "section.key" as text ("" when absent); numbers
 * are written as JSON, arrays as "a, b, c", an object or an array in an
 * array as "{...}" or "[...]" (never a whole document written out). buf
 * holds the result. */
const char *set_meta(const struct set *s, const char *section, const char *key,
		     char *buf, size_t len);

#endif
