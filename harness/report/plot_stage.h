// SPDX-License-Identifier: MIT
/*
 * plot_stage.h - where gnuplot works: a private folder inside the set
 * (SET/.plot-XXXXXX, made by mkdtemp) holding checked copies of the set's
 * files, where the scripts write their pictures; then the pictures are
 * moved into the set by rename() and the folder is removed. A set's files
 * may come from someone else (a student's hand-in): only regular files are
 * read, up to a size cap, and only rows whose fields are plain names and
 * numbers are copied, so no value of the set can be a command for the
 * scripts; and a symbolic link in the set is replaced by the picture,
 * never written through.
 *
 * Errors: 0 or -1 with errno; plot_stage_remove always removes the folder.
 */
#ifndef CONCUR_PLOT_STAGE_H
#define CONCUR_PLOT_STAGE_H

#include <stddef.h>
#include <stdio.h>

struct plot_stage {
	char set[4096]; /* the result set, where the pictures go */
	char dir[4200]; /* SET/.plot-XXXXXX (absolute), mode 0700 */
	size_t refused; /* rows of the set's files not copied */
	char name[64];	/* the set's name, for titles: plain characters */
};

/* Makes the folder inside set; 0 or -1. */
int plot_stage_open(struct plot_stage *st, const char *set);

/* Copies the checked files of the set in from (summary.csv, tasks.csv,
 * lock.csv, amdahl.csv, meta.json, those that exist) into the
 * stage's folder, or into its subfolder sub when sub is not NULL; counts
 * the rows refused. 0, or -1 when summary.csv cannot be read. */
int plot_stage_copy_set(struct plot_stage *st, const char *from,
			const char *sub);

/* Moves every NAME.png, NAME.svg and gnuplot.log of the folder into the
 * set (rename: a link by that name is replaced, not followed); 0 or -1
 * after saying which could not be moved. */
int plot_stage_deliver(struct plot_stage *st);

/* Removes the folder and all in it (links are removed, never followed). */
void plot_stage_remove(struct plot_stage *st);

/* The set's name for titles into name: the last part of its real path,
 * every character but [A-Za-z0-9_.+-] made '_'. */
void plot_stage_name(char *name, size_t len, const char *set);

/* Is s a plain name ([A-Za-z0-9][A-Za-z0-9_.+-]{0,63})? */
int plot_stage_name_ok(const char *s, size_t len);

/* A new file at path for the stage, opened for writing (never an existing
 * name, never through a link); NULL with errno. */
FILE *plot_stage_create(const char *path);

#endif
