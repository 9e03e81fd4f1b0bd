// SPDX-License-Identifier: MIT
/* csv.c - concur's own CSV files, read back for the tests. */
#include "tests/support/csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"

int csv_load(const char *path, struct csv *c)
{
	memset(c, 0, sizeof(*c));
	char *text = files_read(path, NULL);
	if (!text)
		return -1;
	size_t lines = 0;
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	size_t cols = 1;
	for (char *p = text; *p && *p != '\n'; p++)
		cols += *p == ',';
	/* cells[0] keeps the text itself, so csv_free can release it. */
	c->cells = calloc((lines + 1) * cols + 1, sizeof(char *));
	if (!c->cells) {
		free(text);
		return -1;
	}
	c->cells[0] = text;
	c->cols = cols;
	char *line = text;
	size_t row = 0;
	while (*line && row <= lines) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char **out = c->cells + 1 + row * cols;
		char *p = line;
		for (size_t i = 0; i < cols && p; i++) {
			out[i] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		row++;
		if (!end)
			break;
		line = end + 1;
	}
	c->rows = row ? row - 1 : 0;
	return 0;
}

void csv_free(struct csv *c)
{
	if (c->cells)
		free(c->cells[0]);
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

const char *csv_cell(const struct csv *c, size_t row, const char *col)
{
	if (!c->cells || row >= c->rows)
		return NULL;
	char **header = c->cells + 1;
	for (size_t i = 0; i < c->cols; i++)
		if (header[i] && strcmp(header[i], col) == 0)
			return c->cells[1 + (row + 1) * c->cols + i];
	return NULL;
}

double csv_num(const struct csv *c, size_t row, const char *col)
{
	const char *s = csv_cell(c, row, col);
	if (!s || !s[0])
		return NAN;
	return strtod(s, NULL);
}

long csv_find(const struct csv *c, size_t from, const char *workload,
	      const char *model, int workers)
{
	for (size_t r = from; r < c->rows; r++) {
		const char *w = csv_cell(c, r, "workload");
		const char *m = csv_cell(c, r, "model");
		if (!w || !m || strcmp(w, workload) != 0 ||
		    strcmp(m, model) != 0)
			continue;
		if (workers == 0 || (int)csv_num(c, r, "workers") == workers)
			return (long)r;
	}
	return -1;
}
