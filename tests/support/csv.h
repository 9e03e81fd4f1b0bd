// SPDX-License-Identifier: MIT
/*
 * csv.h - reading a result set's CSV files (runs.csv, summary.csv) in the
 * tests, to check what a command printed against what it saved. The files
 * are concur's own: a header line, plain comma-separated cells, no quotes.
 */
#ifndef CONCUR_TEST_CSV_H
#define CONCUR_TEST_CSV_H

#include <stddef.h>

struct csv {
	char **cells; /* rows x cols, row 0 is the header; owned */
	size_t rows;  /* data rows, header excluded */
	size_t cols;
};

/* Loads path; 0, or -1 when it cannot be read. */
int csv_load(const char *path, struct csv *c);
void csv_free(struct csv *c);

/* The cell of a data row (0..rows-1) in the named column; NULL when the
 * column does not exist. */
const char *csv_cell(const struct csv *c, size_t row, const char *col);
/* The same as a number (NAN when empty or missing). */
double csv_num(const struct csv *c, size_t row, const char *col);

/* The first data row at or after `from` whose workload and model columns
 * match and whose workers column equals workers (any when workers is 0);
 * -1 when there is none. */
long csv_find(const struct csv *c, size_t from, const char *workload,
	      const char *model, int workers);

#endif
