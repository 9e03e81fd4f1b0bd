// SPDX-License-Identifier: MIT
/*
 * plot_plan.c - what the plots/NAME.gp scripts need to know about a staged
 * set, computed here so that gnuplot never runs a shell (plot_plan.h).
 * From the checked copies in the stage (plot_stage.h) it writes:
 *
 *   plan.gp            gnuplot assignments: the lists of workloads and
 *                      models, the largest C, the ideal's model, the core
 *                      count, ... each a function of the workload built as
 *                      w eq 'compute' ? ... : ..., every string quoted here;
 *   summary-series/W/M.csv, tasks-series/W/M.csv
 *                      the rows of model M in workload W, header kept,
 *                      what the scripts plot (select(file, w, m)).
 *
 * The names are checked plain names (plot_stage_name_ok), so they are safe
 * as file names too; they are still quoted with ' doubled.
 */
#define _XOPEN_SOURCE 700
#include "harness/report/plot_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/report/plot_table.h"
#include "models/model.h"

/* Writes s as a gnuplot '...' string. */
static void plan_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		if (*s != '\n')
			fputc(*s, out);
	}
	fputc('\'', out);
}

/* m is a model's name read from the set: the registry says what it is
 * (a name it does not have is neither). */
static int is_baseline(const char *m)
{
	return (model_flags_of(m) & MODEL_BASELINE) != 0;
}

static int is_py(const char *m)
{
	return (model_flags_of(m) & MODEL_PYTHON) != 0;
}

/* Opens "PREFIXname(w) = " for a function of the workload. */
static void plan_begin(FILE *out, const char *prefix, const char *name,
		       const char *args)
{
	fprintf(out, "%s%s(%s) = ", prefix, name, args);
}

/* One branch of a chain: w eq 'W' ? */
static void plan_when(FILE *out, const char *w)
{
	fputs("w eq ", out);
	plan_quote(out, w);
	fputs(" ? ", out);
}

/* Which models of a workload a list names. */
enum plan_pick {
	PLAN_ALL,   /* every model: NAME_models(w) */
	PLAN_SWEPT, /* all but the baselines: NAME_swept(w) */
	PLAN_RIGHT, /* the swept ones with a case whose results were right
		       (verified is not "no"): NAME_right(w), what a speedup
		       panel can draw */
	PLAN_N_PICKS
};

static const char *const plan_pick_names[] = {"models", "swept", "right"};

/* The models of workload w in the table, in order, space-separated, as
 * pick says. */
static void plan_models(FILE *out, const struct plot_table *t, const char *w,
			enum plan_pick pick)
{
	struct plot_list l = {0};
	long verified = plot_column(t, "verified");
	for (size_t r = 0; r < t->n_rows; r++) {
		if (strcmp(plot_cell(t, r, 0), w) != 0 ||
		    (pick != PLAN_ALL && is_baseline(plot_cell(t, r, 1))))
			continue;
		if (pick == PLAN_RIGHT && verified >= 0 &&
		    strcmp(plot_cell(t, r, (size_t)verified), "no") == 0)
			continue;
		plot_list_add(&l, plot_cell(t, r, 1));
	}
	plan_quote(out, l.text ? l.text : "");
	plot_list_free(&l);
}

/* list_name = 'w1 w2 ...' and models/swept/right functions of a table. */
static void plan_lists(FILE *out, const char *prefix, const char *base,
		       const struct plot_table *t, const struct plot_list *ws)
{
	fprintf(out, "%s%s_workloads = ", prefix, base);
	plan_quote(out, ws->text ? ws->text : "");
	fputc('\n', out);
	for (int pick = 0; pick < PLAN_N_PICKS; pick++) {
		fprintf(out, "%s%s_%s(w) = ", prefix, base,
			plan_pick_names[pick]);
		for (size_t i = 0; i < ws->n; i++) {
			plan_when(out, ws->items[i]);
			plan_models(out, t, ws->items[i], (enum plan_pick)pick);
			fputs(" : ", out);
		}
		fputs("''\n", out);
	}
}

/* The model whose ideal_s is the ideal of workload w's group py: the first
 * with an ideal_s that is not hybrid, else hybrid, else ''. */
static const char *plan_ideal_ref(const struct plot_table *t, const char *w,
				  int py)
{
	long col = plot_column(t, "ideal_s");
	const char *hybrid = "";
	for (size_t r = 0; col >= 0 && r < t->n_rows; r++) {
		const char *m = plot_cell(t, r, 1);
		if (strcmp(plot_cell(t, r, 0), w) != 0 || is_py(m) != py ||
		    is_baseline(m) || plot_cell(t, r, (size_t)col)[0] == '\0')
			continue;
		if (strcmp(m, "hybrid") != 0)
			return m;
		hybrid = m;
	}
	return hybrid;
}

/* The first field col of workload w's rows of group py ('' if none). */
static const char *plan_first_of(const struct plot_table *t, const char *w,
				 int py, size_t col)
{
	for (size_t r = 0; r < t->n_rows; r++)
		if (strcmp(plot_cell(t, r, 0), w) == 0 &&
		    is_py(plot_cell(t, r, 1)) == py)
			return plot_cell(t, r, col);
	return "";
}

/* The largest number in column col of workload w's rows (and group py
 * when py >= 0), 0 when none; gnuplot gets it as awk printed it. */
static double plan_max_of(const struct plot_table *t, const char *w, int py,
			  size_t col, double add)
{
	double best = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		double v = atof(plot_cell(t, r, col)) + add;
		if (strcmp(plot_cell(t, r, 0), w) == 0 &&
		    (py < 0 || is_py(plot_cell(t, r, 1)) == py) && v > best)
			best = v;
	}
	return best;
}

/* name(w, py) = per workload, the string pick(w, py). */
static void
plan_by_group(FILE *out, const char *prefix, const char *name,
	      const struct plot_table *t, const struct plot_list *ws,
	      const char *(*pick)(const struct plot_table *, const char *, int))
{
	plan_begin(out, prefix, name, "w, py");
	for (size_t i = 0; i < ws->n; i++) {
		plan_when(out, ws->items[i]);
		fputs("(py ? ", out);
		plan_quote(out, pick(t, ws->items[i], 1));
		fputs(" : ", out);
		plan_quote(out, pick(t, ws->items[i], 0));
		fputs(") : ", out);
	}
	fputs("''\n", out);
}

static const char *plan_units(const struct plot_table *t, const char *w, int py)
{
	return plan_first_of(t, w, py, 4);
}

/* wall_at_one(w, m): wall_median_s of model m at C = 1 ('' if none). */
static void plan_wall_at_one(FILE *out, const char *prefix,
			     const struct plot_table *t)
{
	long col = plot_column(t, "wall_median_s");
	plan_begin(out, prefix, "wall_at_one", "w, m");
	for (size_t r = 0; col >= 0 && r < t->n_rows; r++) {
		if (atof(plot_cell(t, r, 2)) != 1)
			continue;
		fputs("w eq ", out);
		plan_quote(out, plot_cell(t, r, 0));
		fputs(" && m eq ", out);
		plan_quote(out, plot_cell(t, r, 1));
		fputs(" ? ", out);
		plan_quote(out, plot_cell(t, r, (size_t)col));
		fputs(" : ", out);
	}
	fputs("''\n", out);
}

/* What the scripts read of summary.csv. */
static void plan_summary(FILE *out, const char *prefix,
			 const struct plot_table *t)
{
	struct plot_list ws = {0};
	int any_swept = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		plot_list_add(&ws, plot_cell(t, r, 0));
		any_swept |= !is_baseline(plot_cell(t, r, 1));
	}
	plan_lists(out, prefix, "summary", t, &ws);
	fprintf(out, "%sany_swept = %d\n", prefix, any_swept);
	plan_begin(out, prefix, "largest_c", "w");
	for (size_t i = 0; i < ws.n; i++) {
		plan_when(out, ws.items[i]);
		fprintf(out, "%.0f : ", plan_max_of(t, ws.items[i], -1, 2, 0));
	}
	fputs("0\n", out);
	plan_by_group(out, prefix, "ideal_ref", t, &ws, plan_ideal_ref);
	plan_by_group(out, prefix, "units_of", t, &ws, plan_units);
	plan_wall_at_one(out, prefix, t);
	plot_list_free(&ws);
}

/* "rows C failed" per model of workload w in tasks.csv, in model order. */
static void plan_shape(FILE *out, const struct plot_table *t, const char *w)
{
	struct plot_list models = {0};
	for (size_t r = 0; r < t->n_rows; r++)
		if (strcmp(plot_cell(t, r, 0), w) == 0)
			plot_list_add(&models, plot_cell(t, r, 1));
	fputc('\'', out);
	for (size_t j = 0; j < models.n; j++) {
		double rows = 0;
		long c = 0, bad = 0;
		for (size_t r = 0; r < t->n_rows; r++) {
			if (strcmp(plot_cell(t, r, 0), w) != 0 ||
			    strcmp(plot_cell(t, r, 1), models.items[j]) != 0)
				continue;
			double row = atof(plot_cell(t, r, 4)) + 1;
			rows = row > rows ? row : rows;
			c = atol(plot_cell(t, r, 2));
			bad += strcmp(plot_cell(t, r, 7), "ok") != 0;
		}
		fprintf(out, "%s%.6g %ld %ld", j ? " " : "", rows, c, bad);
	}
	fputc('\'', out);
	plot_list_free(&models);
}

/* What timeline.gp reads of tasks.csv. */
static void plan_tasks(FILE *out, const char *prefix,
		       const struct plot_table *t)
{
	struct plot_list ws = {0};
	for (size_t r = 0; r < t->n_rows; r++)
		plot_list_add(&ws, plot_cell(t, r, 0));
	plan_lists(out, prefix, "tasks", t, &ws);
	plan_begin(out, prefix, "shape_of", "w");
	for (size_t i = 0; i < ws.n; i++) {
		plan_when(out, ws.items[i]);
		plan_shape(out, t, ws.items[i]);
		fputs(" : ", out);
	}
	fputs("''\n", out);
	plan_begin(out, prefix, "last_end", "w, py");
	for (size_t i = 0; i < ws.n; i++) {
		plan_when(out, ws.items[i]);
		fprintf(out, "(py ? %.6g : %.6g) : ",
			plan_max_of(t, ws.items[i], 1, 6, 0),
			plan_max_of(t, ws.items[i], 0, 6, 0));
	}
	fputs("0\n", out);
	plot_list_free(&ws);
}

/* What lock.gp and speedup.gp read of lock.csv and amdahl.csv. */
static void plan_extras(FILE *out, const char *prefix,
			const struct plot_table *lock,
			const struct plot_table *amdahl)
{
	struct plot_list intervals = {0};
	double rows = 0;
	for (size_t r = 0; lock && r < lock->n_rows; r++) {
		double row = atof(plot_cell(lock, r, 1)) + 1;
		plot_list_add(&intervals, plot_cell(lock, r, 0));
		rows = row > rows ? row : rows;
	}
	fprintf(out, "%slock_ok = %d\n%slock_intervals = ", prefix,
		lock && lock->n_rows > 0, prefix);
	plan_quote(out, intervals.text ? intervals.text : "");
	fprintf(out, "\n%slock_rows = %.6g\n", prefix, rows);
	plot_list_free(&intervals);
	plan_begin(out, prefix, "amdahl_s", "w");
	for (size_t r = 0; amdahl && r < amdahl->n_rows; r++) {
		plan_when(out, plot_cell(amdahl, r, 0));
		plan_quote(out,
			   amdahl->n_cols > 2 ? plot_cell(amdahl, r, 2) : "");
		fputs(" : ", out);
	}
	fputs("''\n", out);
}

/* The core count the stage's meta.json holds (plot_stage wrote it). */
static long plan_cores(const char *stage)
{
	char path[4400];
	long cores = 0;
	snprintf(path, sizeof(path), "%s/meta.json", stage);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "{\"machine\": {\"cores\": %ld", &cores) != 1)
			cores = 0;
		fclose(f);
	}
	return cores;
}

/* Whether table t's header names column col (load.csv's `model`, which
 * lesson 16's older sets lack). */
static int plan_has_column(const struct plot_table *t, const char *col)
{
	size_t n = strlen(col);
	for (const char *h = t->header; h; h = strchr(h, ',')) {
		h += *h == ',';
		if (strncmp(h, col, n) == 0 && (h[n] == ',' || h[n] == '\0'))
			return 1;
	}
	return 0;
}

int plot_plan_write(const char *stage, const char *prefix)
{
	struct plot_table summary, tasks, lock, amdahl;
	if (plot_table_load(&summary, stage, "summary.csv") != 0)
		return -1;
	int has_tasks = plot_table_load(&tasks, stage, "tasks.csv") == 0;
	int has_lock = plot_table_load(&lock, stage, "lock.csv") == 0;
	int has_amdahl = plot_table_load(&amdahl, stage, "amdahl.csv") == 0;
	/* lesson 16's latency against offered load (load.gp): its rows */
	struct plot_table load;
	int has_load = plot_table_load(&load, stage, "load.csv") == 0;
	char path[4400], tmp[4500];
	snprintf(path, sizeof(path), "%s/plan.gp", stage);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *out = fopen(tmp, "wx");
	int rc = out ? 0 : -1;
	if (out) {
		fprintf(out, "# plan.gp - written by concur plot\n");
		fprintf(out, "%scores = %ld\n", prefix, plan_cores(stage));
		plan_summary(out, prefix, &summary);
		struct plot_table empty = {0};
		plan_tasks(out, prefix, has_tasks ? &tasks : &empty);
		plan_extras(out, prefix, has_lock ? &lock : NULL,
			    has_amdahl ? &amdahl : NULL);
		fprintf(out, "%sload_ok = %d\n", prefix,
			has_load && load.n_rows > 0);
		fprintf(out, "%sload_has_model = %d\n", prefix,
			has_load && plan_has_column(&load, "model"));
		rc = fclose(out) == 0 && rename(tmp, path) == 0 ? 0 : -1;
	}
	rc |= plot_table_series(&summary, stage, "summary");
	if (has_tasks)
		rc |= plot_table_series(&tasks, stage, "tasks");
	plot_table_free(&summary);
	if (has_tasks)
		plot_table_free(&tasks);
	if (has_lock)
		plot_table_free(&lock);
	if (has_amdahl)
		plot_table_free(&amdahl);
	if (has_load)
		plot_table_free(&load);
	return rc;
}
