// SPDX-License-Identifier: MIT
/*
 * plot_table.c - a staged CSV file in memory (plot_table.h): plot_stage.c
 * copied only rows of plain fields, all as many as the header's, so a row
 * is split at its commas. plot_plan.c reads the cells, lists the names,
 * and writes the rows of each (workload, model) to a file of its own.
 */
#define _XOPEN_SOURCE 700
#include "harness/report/plot_table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/report/plot_stage.h"

#define PLOT_TABLE_CAP (64L << 20) /* as plot_stage's cap */

/* The whole of dir/name, NUL-ended; NULL when it cannot be read. */
static char *plot_table_read(const char *dir, const char *name)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= PLOT_TABLE_CAP &&
	    (text = malloc((size_t)st.st_size + 1))) {
		ssize_t n = read(fd, text, (size_t)st.st_size);
		text[n > 0 ? n : 0] = '\0';
	}
	if (fd >= 0)
		close(fd);
	return text;
}

/* Splits line (NUL-ended, no newline) at its commas into cells. */
static size_t plot_table_split(char *line, char **cells, size_t max)
{
	size_t k = 0;
	for (char *f = line; k < max; k++) {
		cells[k] = f;
		char *comma = strchr(f, ',');
		if (!comma)
			return k + 1;
		*comma = '\0';
		f = comma + 1;
	}
	return k;
}

int plot_table_load(struct plot_table *t, const char *dir, const char *name)
{
	memset(t, 0, sizeof(*t));
	if (!(t->text = plot_table_read(dir, name)))
		return -1;
	size_t lines = 0;
	for (const char *p = t->text; *p; p++)
		lines += *p == '\n';
	char *line = t->text, *nl = strchr(line, '\n');
	if (!nl || nl == line) {
		plot_table_free(t);
		return -1;
	}
	*nl = '\0';
	t->header = strdup(line);
	for (const char *p = line; *p; p++)
		t->n_cols += *p == ',';
	t->n_cols++;
	t->cells = calloc(lines * t->n_cols + 1, sizeof(char *));
	if (!t->header || !t->cells) {
		plot_table_free(t);
		return -1;
	}
	for (line = nl + 1; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (plot_table_split(line, t->cells + t->n_rows * t->n_cols,
				     t->n_cols) == t->n_cols)
			t->n_rows++;
	}
	return 0;
}

void plot_table_free(struct plot_table *t)
{
	free(t->text);
	free((char *)t->header);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

const char *plot_cell(const struct plot_table *t, size_t row, size_t col)
{
	return row < t->n_rows && col < t->n_cols
		       ? t->cells[row * t->n_cols + col]
		       : "";
}

long plot_column(const struct plot_table *t, const char *name)
{
	size_t len = strlen(name), col = 0;
	for (const char *p = t->header; p && *p; col++) {
		size_t flen = strcspn(p, ",");
		if (flen == len && strncmp(p, name, len) == 0)
			return (long)col;
		p += flen + (p[flen] == ',');
	}
	return -1;
}

/* Writes dir/BASE-series/w/m.csv: the header and the rows of (w, m). */
static int plot_table_one_series(const struct plot_table *t, const char *dir,
				 const char *w, const char *m)
{
	char path[4600];
	snprintf(path, sizeof(path), "%s/%s", dir, w);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s.csv", dir, w, m);
	FILE *out = plot_stage_create(path);
	if (!out)
		return -1;
	fprintf(out, "%s\n", t->header);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (strcmp(plot_cell(t, r, 0), w) != 0 ||
		    strcmp(plot_cell(t, r, 1), m) != 0)
			continue;
		for (size_t c = 0; c < t->n_cols; c++)
			fprintf(out, "%s%s", c ? "," : "", plot_cell(t, r, c));
		fputc('\n', out);
	}
	return fclose(out) == 0 ? 0 : -1;
}

int plot_table_series(const struct plot_table *t, const char *dir,
		      const char *base)
{
	char top[4500], pair[200];
	snprintf(top, sizeof(top), "%s/%s-series", dir, base);
	if (mkdir(top, 0700) != 0)
		return -1;
	struct plot_list pairs = {0};
	int rc = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		size_t before = pairs.n;
		snprintf(pair, sizeof(pair), "%s/%s", plot_cell(t, r, 0),
			 plot_cell(t, r, 1));
		plot_list_add(&pairs, pair);
		if (pairs.n > before)
			rc |= plot_table_one_series(t, top, plot_cell(t, r, 0),
						    plot_cell(t, r, 1));
	}
	plot_list_free(&pairs);
	return rc;
}

void plot_list_add(struct plot_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], name) == 0)
			return;
	size_t len = l->text ? strlen(l->text) : 0;
	char **items = realloc(l->items, (l->n + 1) * sizeof(char *));
	if (!items)
		return; /* out of memory: the list stays as it was */
	l->items = items;
	char *text = realloc(l->text, len + strlen(name) + 2);
	if (!text)
		return;
	l->text = text;
	if (!(l->items[l->n] = strdup(name)))
		return;
	l->n++;
	snprintf(l->text + len, strlen(name) + 2, "%s%s", len ? " " : "", name);
}

void plot_list_free(struct plot_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	free(l->text);
	memset(l, 0, sizeof(*l));
}
