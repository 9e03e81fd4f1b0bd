// SPDX-License-Identifier: MIT
/*
 * bench_compare.c - two bench files, row by row, and only from the same
 * machine (bench_compare.h): `concur bench`'s warnings about the run
 * before and `concur compare A.csv B.csv`'s table. Every name and value
 * printed here comes from a file: it goes out through term_line.
 */
#include "harness/report/bench_compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/base/cli.h"
#include "harness/base/term.h"

int bench_target_direction(const char *target)
{
	if (strncmp(target, "<=", 2) == 0)
		return -1;
	if (strncmp(target, ">=", 2) == 0)
		return 1;
	return 0;
}

enum bench_move bench_move_of(const char *target, double a, double b,
			      double *change_pct)
{
	*change_pct = NAN;
	if (!isfinite(a) || !isfinite(b) || a <= 0)
		return BENCH_MOVE_NONE;
	*change_pct = (b - a) / a * 100.0;
	int dir = bench_target_direction(target);
	if (dir == 0)
		return BENCH_MOVE_NONE;
	/* the change the bad way; 1e-9: 1.00 -> 1.15 is 15%, not 14.99.. */
	double worse = dir < 0 ? *change_pct : -*change_pct;
	if (worse >= BENCH_CHANGE_PCT - 1e-9)
		return BENCH_MOVE_WORSE;
	if (worse <= -(BENCH_CHANGE_PCT - 1e-9))
		return BENCH_MOVE_BETTER;
	return BENCH_MOVE_SAME;
}

/* The word for a move; for none, why there is none. */
static const char *bench_move_word(enum bench_move m, const char *target,
				   double change_pct)
{
	static const char *const words[] = {"", "same", "worse", "better"};
	if (m != BENCH_MOVE_NONE)
		return words[m];
	if (isnan(change_pct))
		return "not judged: no ratio";
	return target[0] ? "not judged: a range" : "not judged: no target";
}

/* The row of f that measures what r does: same case, model, C, unit. */
static const struct bench_file_row *bench_find(const struct bench_file *f,
					       const struct bench_file_row *r)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct bench_file_row *x = &f->rows[i];
		if (x->workers == r->workers &&
		    strcmp(x->case_name, r->case_name) == 0 &&
		    strcmp(x->model, r->model) == 0 &&
		    strcmp(x->unit, r->unit) == 0)
			return x;
	}
	return NULL;
}

/* The target a pair is judged by: the newer row's, else the older's. */
static const char *bench_pair_target(const struct bench_file_row *a,
				     const struct bench_file_row *b)
{
	return b->target[0] ? b->target : a->target;
}

/* The value of the field bench_machine_differs named, into buf. */
static const char *bench_machine_value(const struct bench_machine *m,
				       const char *what, char *buf, size_t len)
{
	if (strcmp(what, "CPU model") == 0)
		return m->cpu_model;
	if (strcmp(what, "kernel") == 0)
		return m->kernel;
	if (strcmp(what, "mitigations") == 0) {
		snprintf(buf, len, "%s #%s", m->mitigations,
			 m->mitigations_hash);
		return buf;
	}
	snprintf(buf, len, "%d", m->cores);
	return buf;
}

const char *bench_files_differ(const struct bench_file *a,
			       const struct bench_file *b, const char *name_a,
			       const char *name_b, char *buf, size_t len)
{
	if (!a->has_machine || !b->has_machine) {
		snprintf(buf, len,
			 "%s records no machine (a bench file from before "
			 "the machine columns)",
			 a->has_machine ? name_b : name_a);
		return buf;
	}
	const char *what = bench_machine_differs(&a->machine, &b->machine);
	if (!what)
		return NULL;
	char va[512], vb[512];
	snprintf(buf, len, "%s: %s (%s) vs %s (%s)", what,
		 bench_machine_value(&a->machine, what, va, sizeof(va)), name_a,
		 bench_machine_value(&b->machine, what, vb, sizeof(vb)),
		 name_b);
	return buf;
}

/* A warning on out for each row of now BENCH_CHANGE_PCT or more worse
 * than in before; returns how many; *judged: the rows with a direction
 * found in both. */
static size_t bench_compare_warn(FILE *out, const struct bench_file *before,
				 const struct bench_file *now, size_t *judged)
{
	size_t worse = 0;
	*judged = 0;
	for (size_t i = 0; i < now->n; i++) {
		const struct bench_file_row *r = &now->rows[i];
		const struct bench_file_row *p = bench_find(before, r);
		double pct;
		if (!p)
			continue;
		const char *target = bench_pair_target(p, r);
		enum bench_move m =
			bench_move_of(target, p->ratio, r->ratio, &pct);
		*judged += m != BENCH_MOVE_NONE;
		if (m != BENCH_MOVE_WORSE)
			continue;
		worse++;
		term_line(out,
			  "warning: %s, %s, C=%d: ratio %.4g -> %.4g, %.1f%% "
			  "worse (target %s)",
			  r->case_name, r->model, r->workers, p->ratio,
			  r->ratio, fabs(pct), target);
	}
	return worse;
}

/* A number with its decimals into buf, or `none` when it is NAN. */
static const char *bench_value_text(double v, int decimals, const char *none,
				    char *buf, size_t len)
{
	if (isnan(v))
		return none;
	snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

/* Did a and b run other sizes (one of them --quick)? */
static int bench_sizes_differ(const struct bench_file *a,
			      const struct bench_file *b)
{
	return a->sizes[0] && b->sizes[0] && strcmp(a->sizes, b->sizes) != 0;
}

size_t bench_compare_previous(FILE *out, const struct bench_file *before,
			      const struct bench_file *now)
{
	char diff[1200], then[32], nowload[32];
	size_t judged, worse;
	if (bench_files_differ(before, now, "previous", "this run", diff,
			       sizeof(diff))) {
		term_line(out,
			  "previous bench from another machine: not compared "
			  "(%s)",
			  diff);
		return 0;
	}
	if (bench_sizes_differ(before, now)) {
		term_line(out,
			  "previous bench ran other sizes: not compared (%s "
			  "(previous) vs %s (this run); --quick runs smaller "
			  "batches)",
			  before->sizes, now->sizes);
		return 0;
	}
	worse = bench_compare_warn(out, before, now, &judged);
	fprintf(out,
		"compared with the previous bench (same machine; load average "
		"%s then, %s now): %zu of %zu ratios %.0f%% or more worse\n",
		bench_value_text(before->load, 2, "not recorded", then,
				 sizeof(then)),
		bench_value_text(now->load, 2, "not recorded", nowload,
				 sizeof(nowload)),
		worse, judged, BENCH_CHANGE_PCT);
	return worse;
}

/* One line of the table; returns its move. */
static enum bench_move bench_compare_line(const struct bench_file_row *a,
					  const struct bench_file_row *b)
{
	char ra[32], rb[32], change[32] = "-";
	double pct;
	const char *target = bench_pair_target(a, b);
	enum bench_move m = bench_move_of(target, a->ratio, b->ratio, &pct);
	if (!isnan(pct))
		snprintf(change, sizeof(change), "%+.1f%%", pct);
	term_line(stdout, "%-22s %-20s %6d %10s %10s %8s  %s%s%s%s",
		  b->case_name, b->model, b->workers,
		  bench_value_text(a->ratio, 4, "-", ra, sizeof(ra)),
		  bench_value_text(b->ratio, 4, "-", rb, sizeof(rb)), change,
		  bench_move_word(m, target, pct), target[0] ? " (" : "",
		  target, target[0] ? ")" : "");
	return m;
}

/* The rows of x that y lacks. */
static void bench_only_in(const struct bench_file *x,
			  const struct bench_file *y, const char *which)
{
	for (size_t i = 0; i < x->n; i++)
		if (!bench_find(y, &x->rows[i]))
			term_line(stdout, "%s, %s, C=%d: only in %s",
				  x->rows[i].case_name, x->rows[i].model,
				  x->rows[i].workers, which);
}

static void bench_compare_table(const struct bench_file *a,
				const struct bench_file *b)
{
	size_t count[4] = {0};
	printf("\n%-22s %-20s %6s %10s %10s %8s  %s\n", "case", "model", "C",
	       "A ratio", "B ratio", "change", "verdict (target)");
	for (size_t i = 0; i < b->n; i++) {
		const struct bench_file_row *x = bench_find(a, &b->rows[i]);
		if (x)
			count[bench_compare_line(x, &b->rows[i])]++;
	}
	bench_only_in(a, b, "A");
	bench_only_in(b, a, "B");
	printf("\n%zu worse, %zu better, %zu the same, %zu not judged. A "
	       "change is (B - A) / A; it counts as worse or better at "
	       "%.0f%% or more in the target's direction (\"<=\": lower is "
	       "better, \">=\": higher is better).\n",
	       count[BENCH_MOVE_WORSE], count[BENCH_MOVE_BETTER],
	       count[BENCH_MOVE_SAME], count[BENCH_MOVE_NONE],
	       BENCH_CHANGE_PCT);
}

/* "A: path" and the machine under it. */
static void bench_compare_head(const char *which, const char *path,
			       const struct bench_file *f)
{
	char load[32];
	term_line(stdout, "%s: %s (load average %s at the start)", which, path,
		  bench_value_text(f->load, 2, "not recorded", load,
				   sizeof(load)));
	if (!f->has_machine)
		printf("   machine not recorded\n");
	else
		term_line(stdout,
			  "   %s; kernel %s; %d cores; mitigations %s "
			  "#%s",
			  f->machine.cpu_model, f->machine.kernel,
			  f->machine.cores, f->machine.mitigations,
			  f->machine.mitigations_hash);
}

int bench_compare_main(const char *path_a, const char *path_b, int any_machine)
{
	struct bench_file a, b;
	char why[256], diff[1200];
	if (bench_file_load(path_a, &a, why, sizeof(why)) != 0) {
		cli_error("compare: '%s' is not a bench file: %s", path_a, why);
		return EXIT_USAGE;
	}
	if (bench_file_load(path_b, &b, why, sizeof(why)) != 0) {
		cli_error("compare: '%s' is not a bench file: %s", path_b, why);
		bench_file_free(&a);
		return EXIT_USAGE;
	}
	const char *differ =
		bench_files_differ(&a, &b, "A", "B", diff, sizeof(diff));
	int rc = 0;
	if (differ && !any_machine) {
		cli_error("compare: A and B were measured on different "
			  "machines (%s): a ratio from one is not read as the "
			  "other's (--any-machine compares them anyway)",
			  differ);
		rc = EXIT_USAGE;
		goto out;
	}
	bench_compare_head("A", path_a, &a);
	bench_compare_head("B", path_b, &b);
	if (differ)
		term_line(stdout,
			  "WARNING: different machines (%s): compared "
			  "anyway (--any-machine); a change may be the "
			  "machine's, not the code's.",
			  differ);
	if (bench_sizes_differ(&a, &b))
		term_line(stdout,
			  "WARNING: A ran %s sizes, B %s (--quick runs "
			  "smaller batches): a ratio may move with the size.",
			  a.sizes, b.sizes);
	bench_compare_table(&a, &b);
out:
	bench_file_free(&a);
	bench_file_free(&b);
	return rc;
}
