// SPDX-License-Identifier: MIT
/*
 * report.h - what `concur run` leaves behind: the terminal table and the
 * result set <out>/<timestamp>-<label>/ with runs.csv, summary.csv,
 * tasks.csv and meta.json (columns in results/README.md), every file
 * written atomically as each run finishes, and results/latest pointing at
 * the newest set.
 */
#ifndef CONCUR_REPORT_H
#define CONCUR_REPORT_H

#include "harness/run/sweep.h"

/* mkdir -p path; 0 or -1 (errno set). */
int report_mkdirs(const char *path);

/* Creates the result set's directory and checks it is writable, before
 * anything is measured. 0, or -1 after one line (exit 2). */
int report_open_dir(struct sweep *s);

/* Keeps one run's per-task results for tasks.csv (the timeline). */
void report_keep_tasks(struct sweep *s, const struct run_record *r,
		       const struct batch *b);

/* Rewrites runs.csv, summary.csv, tasks.csv and meta.json; 0 or -1. */
int report_write_runs(struct sweep *s);

/* Final files, the table, the plots; returns the exit status. */
int report_finish(struct sweep *s);

/* Prints the table of a summarized sweep on stdout. */
void report_table(const struct sweep *s);

void report_free(struct sweep *s);

#endif
