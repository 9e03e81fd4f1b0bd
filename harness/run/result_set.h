// SPDX-License-Identifier: MIT
/*
 * result_set.h - what `concur run` leaves behind: the result set
 * <out>/<timestamp>-<label>/ with runs.csv, summary.csv, tasks.csv and
 * meta.json (columns in results/README.md), every file replaced whole
 * (file_replace.h) as each run finishes, results/latest pointing at the
 * newest set, and at the end the table (table.h). The plots and the
 * report are drawn from the files by the command (harness/cli/run_cmd.c).
 *
 * Errors: 0 or -1 after one line on stderr, except result_set_finish,
 * which returns the exit status of the run.
 */
#ifndef CONCUR_RESULT_SET_H
#define CONCUR_RESULT_SET_H

#include "harness/run/sweep.h"

/* Creates the result set's directory and checks it is writable, before
 * anything is measured. 0, or -1 after one line (exit 2). */
int result_set_open(struct sweep *s);

/* Keeps one run's per-task results for tasks.csv (the timeline). */
void result_set_keep_tasks(struct sweep *s, const struct run_record *r,
			   const struct batch *b);

/* Rewrites runs.csv, summary.csv, tasks.csv and meta.json; 0 or -1. */
int result_set_write(struct sweep *s);

/* The table and the final files (s->finished when they were written);
 * returns the exit status. */
int result_set_finish(struct sweep *s);

/* Frees the kept per-task results. */
void result_set_free(struct sweep *s);

#endif
