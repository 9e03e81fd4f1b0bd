// SPDX-License-Identifier: MIT
/*
 * bench_file.c - a bench file written and read back without trusting it
 * (what it must be: bench_file.h). The reader is a small RFC 4180 parser
 * with a cap on every field, row and byte: a file made to be huge, to
 * hang the reader or to smuggle a quote is refused in one phrase.
 */
#include "harness/report/bench_file.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/set_file.h"

#define BENCH_FILE_MAX_COLS 32

/* A field as the reader holds it: at most the cap, then its NUL. */
typedef char bench_field[BENCH_FILE_MAX_FIELD + 1];

/* The columns a comparison reads; the first six are required, the
 * machine's five come all together or not at all, sizes and load may be
 * absent. */
enum bench_col {
	COL_CASE,
	COL_MODEL,
	COL_WORKERS,
	COL_RATIO,
	COL_TARGET,
	COL_UNIT,
	COL_CPU_MODEL,
	COL_KERNEL,
	COL_MITIGATIONS,
	COL_MITIGATIONS_HASH,
	COL_CORES,
	COL_SIZES,
	COL_LOAD,
	N_COLS
};

static const char *const bench_col_names[N_COLS] = {
	"case",	 "model",     "workers", "ratio",	"target",
	"unit",	 "cpu_model", "kernel",	 "mitigations", "mitigations_hash",
	"cores", "sizes",     "load",
};

/* Where the reader is: the text left and the row it is in (1: header). */
struct csv_cursor {
	const char *p, *end;
	int row;
};

/* ---- the CSV reader ---- */

/* Steps over the end of a field: 1 when it also ended the row. */
static int csv_field_end(struct csv_cursor *c)
{
	if (c->p == c->end)
		return 1;
	char sep = *c->p++;
	if (sep == '\r' && c->p < c->end && *c->p == '\n')
		c->p++;
	return sep != ',';
}

/* One field into out (NUL-terminated): 0 more fields follow, 1 the row
 * ended, -1 it is longer than the cap, -2 a quote is out of place. */
static int csv_field(struct csv_cursor *c, char *out)
{
	size_t n = 0;
	int quoted = c->p < c->end && *c->p == '"';
	c->p += quoted;
	while (c->p < c->end) {
		char ch = *c->p;
		if (quoted && ch == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"') {
				c->p++; /* "" inside quotes: one quote */
			} else {
				quoted = 0; /* the closing quote */
				c->p++;
				if (c->p < c->end && !strchr(",\r\n", *c->p))
					return -2;
				continue;
			}
		} else if (!quoted && strchr(",\r\n", ch)) {
			break;
		} else if (!quoted && ch == '"') {
			return -2;
		}
		if (n == BENCH_FILE_MAX_FIELD)
			return -1;
		out[n++] = ch;
		c->p++;
	}
	if (quoted)
		return -2; /* the text ended inside quotes */
	out[n] = '\0';
	return csv_field_end(c);
}

/* One row into fields (at most BENCH_FILE_MAX_COLS), its count in *n. */
static int csv_row(struct csv_cursor *c, bench_field *fields, size_t *n,
		   char *why, size_t len)
{
	*n = 0;
	for (;;) {
		if (*n == BENCH_FILE_MAX_COLS) {
			snprintf(why, len, "row %d has more than %d fields",
				 c->row, BENCH_FILE_MAX_COLS);
			return -1;
		}
		int rc = csv_field(c, fields[(*n)++]);
		if (rc == 1)
			return 0;
		if (rc == -1)
			snprintf(why, len,
				 "row %d has a field longer than %d bytes",
				 c->row, BENCH_FILE_MAX_FIELD);
		if (rc == -2)
			snprintf(why, len, "row %d has a quote out of place",
				 c->row);
		if (rc < 0)
			return -1;
	}
}

/* ---- columns and rows ---- */

/* Each column's index in the header (-1: absent); 0 or -1. */
static int bench_columns(const bench_field *head, size_t n, int *idx, char *why,
			 size_t len)
{
	int machine = 0;
	for (int k = 0; k < N_COLS; k++) {
		idx[k] = -1;
		for (size_t i = 0; i < n && idx[k] < 0; i++)
			if (strcmp(head[i], bench_col_names[k]) == 0)
				idx[k] = (int)i;
		if (k < COL_CPU_MODEL && idx[k] < 0) {
			snprintf(why, len, "has no column '%s'",
				 bench_col_names[k]);
			return -1;
		}
		machine += k >= COL_CPU_MODEL && k <= COL_CORES && idx[k] >= 0;
	}
	if (machine != 0 && machine != COL_CORES - COL_CPU_MODEL + 1) {
		snprintf(why, len, "has only some of the machine's columns");
		return -1;
	}
	return 0;
}

/* Copies a field into a row's buffer, refusing one that does not fit. */
static int bench_copy(char *dst, size_t cap, const char *src, int col, int row,
		      char *why, size_t len)
{
	if (strlen(src) >= cap) {
		snprintf(why, len, "row %d: %s is longer than %zu bytes", row,
			 bench_col_names[col], cap - 1);
		return -1;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* A whole-field number: "" is NAN when empty_ok; 0 or -1. */
static int bench_number(const char *s, int empty_ok, double *out)
{
	char *end;
	if (!s[0]) {
		*out = NAN;
		return empty_ok ? 0 : -1;
	}
	errno = 0;
	*out = strtod(s, &end);
	return *end || errno || !isfinite(*out) ? -1 : 0;
}

/* The row's numbers: workers, ratio and, with the machine, cores. */
static int bench_numbers(const bench_field *fld, const int *idx,
			 struct bench_file_row *r, int *cores, int row,
			 char *why, size_t len)
{
	double w, c = 0;
	int col = COL_WORKERS;
	if (bench_number(fld[idx[COL_WORKERS]], 0, &w) == 0 && w >= 0 &&
	    w <= 1e9 && w == floor(w)) {
		col = COL_RATIO;
		if (bench_number(fld[idx[COL_RATIO]], 1, &r->ratio) == 0) {
			col = COL_CORES;
			if (idx[COL_CORES] < 0 ||
			    (bench_number(fld[idx[COL_CORES]], 0, &c) == 0 &&
			     c >= 0 && c <= 1e6 && c == floor(c)))
				col = -1;
		}
	}
	if (col >= 0) {
		snprintf(why, len, "row %d: %s is not a number", row,
			 bench_col_names[col]);
		return -1;
	}
	r->workers = (int)w;
	*cores = (int)c;
	return 0;
}

/* The row's machine into m; 0 or -1. */
static int bench_row_machine(const bench_field *fld, const int *idx,
			     struct bench_machine *m, int row, char *why,
			     size_t len)
{
	return bench_copy(m->cpu_model, sizeof(m->cpu_model),
			  fld[idx[COL_CPU_MODEL]], COL_CPU_MODEL, row, why,
			  len) ||
	       bench_copy(m->kernel, sizeof(m->kernel), fld[idx[COL_KERNEL]],
			  COL_KERNEL, row, why, len) ||
	       bench_copy(m->mitigations, sizeof(m->mitigations),
			  fld[idx[COL_MITIGATIONS]], COL_MITIGATIONS, row, why,
			  len) ||
	       bench_copy(m->mitigations_hash, sizeof(m->mitigations_hash),
			  fld[idx[COL_MITIGATIONS_HASH]], COL_MITIGATIONS_HASH,
			  row, why, len);
}

/* The row's sizes, "full" or "quick", the same in every row; 0 or -1. */
static int bench_row_sizes(struct bench_file *f, const char *sizes, int row,
			   char *why, size_t len)
{
	if (strcmp(sizes, "full") != 0 && strcmp(sizes, "quick") != 0) {
		snprintf(why, len, "row %d: sizes is neither full nor quick",
			 row);
		return -1;
	}
	if (f->n == 0)
		snprintf(f->sizes, sizeof(f->sizes), "%s", sizes);
	if (strcmp(f->sizes, sizes) != 0) {
		snprintf(why, len, "row %d ran other sizes than row 2", row);
		return -1;
	}
	return 0;
}

/* Room for one more row; 0 or -1. */
static int bench_file_grow(struct bench_file *f, size_t *cap)
{
	if (f->n < *cap)
		return 0;
	size_t more = *cap ? *cap * 2 : 64;
	struct bench_file_row *grown = realloc(f->rows, more * sizeof(*grown));
	if (!grown)
		return -1;
	f->rows = grown;
	*cap = more;
	return 0;
}

/* Adds the row in fld; every row's machine must be the first one's. */
static int bench_file_add(struct bench_file *f, size_t *cap,
			  const bench_field *fld, const int *idx, int row,
			  char *why, size_t len)
{
	if (f->n == BENCH_FILE_MAX_ROWS) {
		snprintf(why, len, "has more than %d rows",
			 BENCH_FILE_MAX_ROWS);
		return -1;
	}
	if (bench_file_grow(f, cap) != 0) {
		snprintf(why, len, "cannot be read: out of memory");
		return -1;
	}
	struct bench_file_row *r = &f->rows[f->n];
	struct bench_machine m = {0};
	double load = NAN;
	if (bench_copy(r->case_name, sizeof(r->case_name), fld[idx[COL_CASE]],
		       COL_CASE, row, why, len) ||
	    bench_copy(r->model, sizeof(r->model), fld[idx[COL_MODEL]],
		       COL_MODEL, row, why, len) ||
	    bench_copy(r->target, sizeof(r->target), fld[idx[COL_TARGET]],
		       COL_TARGET, row, why, len) ||
	    bench_copy(r->unit, sizeof(r->unit), fld[idx[COL_UNIT]], COL_UNIT,
		       row, why, len) ||
	    bench_numbers(fld, idx, r, &m.cores, row, why, len))
		return -1;
	if (idx[COL_SIZES] >= 0 &&
	    bench_row_sizes(f, fld[idx[COL_SIZES]], row, why, len) != 0)
		return -1;
	if (idx[COL_LOAD] >= 0 &&
	    (bench_number(fld[idx[COL_LOAD]], 1, &load) != 0 || load < 0)) {
		snprintf(why, len, "row %d: load is not a number", row);
		return -1;
	}
	if (f->n == 0)
		f->load = load;
	if (f->has_machine) {
		if (bench_row_machine(fld, idx, &m, row, why, len))
			return -1;
		if (f->n == 0)
			f->machine = m;
		const char *d = bench_machine_differs(&f->machine, &m);
		if (d) {
			snprintf(why, len,
				 "row %d is from another machine than row 2 "
				 "(its %s differs)",
				 row, d);
			return -1;
		}
	}
	f->n++;
	return 0;
}

/* ---- the file ---- */

int bench_file_parse(const char *text, size_t n, struct bench_file *f,
		     char *why, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->load = NAN;
	if (memchr(text, '\0', n)) {
		snprintf(why, len, "holds a NUL byte: it is not a CSV file");
		return -1;
	}
	bench_field *fld = malloc(BENCH_FILE_MAX_COLS * sizeof(*fld));
	struct csv_cursor c = {text, text + n, 1};
	int idx[N_COLS];
	size_t cap = 0, nf, n_head;
	int rc = -1;
	if (!fld) {
		snprintf(why, len, "cannot be read: out of memory");
		return -1;
	}
	if (csv_row(&c, fld, &n_head, why, len) != 0 ||
	    bench_columns(fld, n_head, idx, why, len) != 0)
		goto out;
	f->has_machine = idx[COL_CPU_MODEL] >= 0;
	while (c.p < c.end) {
		c.row++;
		if (csv_row(&c, fld, &nf, why, len) != 0)
			goto out;
		if (nf == 1 && !fld[0][0])
			continue; /* a blank line */
		if (nf != n_head) {
			snprintf(why, len,
				 "row %d has %zu fields, the header %zu", c.row,
				 nf, n_head);
			goto out;
		}
		if (bench_file_add(f, &cap, fld, idx, c.row, why, len) != 0)
			goto out;
	}
	rc = 0;
out:
	free(fld);
	if (rc != 0)
		bench_file_free(f);
	return rc;
}

int bench_file_load(const char *path, struct bench_file *f, char *why,
		    size_t len)
{
	size_t n;
	memset(f, 0, sizeof(*f));
	char *text = set_file_read(path, BENCH_FILE_MAX_BYTES, &n, why, len);
	if (!text)
		return -1;
	int rc = bench_file_parse(text, n, f, why, len);
	free(text);
	return rc;
}

void bench_file_free(struct bench_file *f)
{
	free(f->rows);
	f->rows = NULL;
	f->n = 0;
}

/* ---- writing, and the machine ---- */

void bench_file_put_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void bench_file_put_machine(FILE *out, const struct bench_machine *m)
{
	const char *fields[] = {m->cpu_model, m->kernel, m->mitigations,
				m->mitigations_hash};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		fputc(',', out);
		bench_file_put_field(out, fields[i]);
	}
	fprintf(out, ",%d", m->cores);
}

const char *bench_machine_differs(const struct bench_machine *a,
				  const struct bench_machine *b)
{
	if (strcmp(a->cpu_model, b->cpu_model) != 0)
		return "CPU model";
	if (strcmp(a->kernel, b->kernel) != 0)
		return "kernel";
	if (strcmp(a->mitigations, b->mitigations) != 0 ||
	    strcmp(a->mitigations_hash, b->mitigations_hash) != 0)
		return "mitigations";
	if (a->cores != b->cores)
		return "cores";
	return NULL;
}
