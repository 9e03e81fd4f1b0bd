// SPDX-License-Identifier: MIT
/*
 * plot_table.h - a staged CSV file in memory, and the lists and per-series
 * files plot_plan.c makes of it (plot_table.c).
 */
#ifndef CONCUR_PLOT_TABLE_H
#define CONCUR_PLOT_TABLE_H

#include <stddef.h>

struct plot_table {
	char *text;	    /* the file, its commas and newlines made NULs */
	const char *header; /* its first line, as it was */
	char **cells;	    /* n_rows * n_cols fields, header excluded */
	size_t n_rows, n_cols;
};

/* A list of names without repeats, in the order added: text is them
 * space-separated. */
struct plot_list {
	char **items;
	size_t n;
	char *text;
};

/* Loads dir/name (a checked copy: a header, rows of as many fields); 0,
 * or -1 when it is missing or has no header. */
int plot_table_load(struct plot_table *t, const char *dir, const char *name);
void plot_table_free(struct plot_table *t);
const char *plot_cell(const struct plot_table *t, size_t row, size_t col);
/* The index of the column named name, -1 if none. */
long plot_column(const struct plot_table *t, const char *name);
/* Writes dir/BASE-series/W/M.csv: the header and the rows of each pair. */
int plot_table_series(const struct plot_table *t, const char *dir,
		      const char *base);

void plot_list_add(struct plot_list *l, const char *name);
void plot_list_free(struct plot_list *l);

#endif
