// SPDX-License-Identifier: MIT
/*
 * compare.c - `concur compare DIR DIR`: two result sets side by side (a
 * student's laptop and the reference, before and after a change). The
 * settings that differ between the two sets (meta.json: options, machine,
 * versions) are listed first, one line each. Then per case: both medians,
 * B/A with its 95% interval, the Mann-Whitney p-value over the runs, and a
 * verdict (significance.h), as asv and criterion.rs judge a change.
 * Two bench files instead of two folders (`concur compare A.csv B.csv`)
 * are compared by bench_compare.c: ratio by ratio, same machine only.
 */
#include "harness/report/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/base/cli.h"
#include "harness/base/term.h"
#include "harness/report/bench_compare.h"
#include "harness/report/plot.h"
#include "harness/report/set_load.h"
#include "harness/report/significance.h"

/* One section's differing keys (a key missing on one side counts). */
static int compare_section(const char *section, json_t *a, json_t *b,
			   compare_diff_fn fn, void *ctx)
{
	json_t *sa = json_object_get(a, section),
	       *sb = json_object_get(b, section);
	int lines = 0;
	for (int pass = 0; pass < 2; pass++) {
		json_t *from = pass ? sb : sa, *other = pass ? sa : sb;
		const char *key;
		json_t *va;
		json_object_foreach(from, key, va)
		{
			json_t *vb = json_object_get(other, key);
			if (strcmp(key, "server") == 0 || (pass && vb) ||
			    (vb && json_equal(va, vb)))
				continue;
			char *ta = json_dumps(pass ? vb : va,
					      JSON_ENCODE_ANY | JSON_COMPACT);
			char *tb = json_dumps(pass ? va : vb,
					      JSON_ENCODE_ANY | JSON_COMPACT);
			char name[256];
			snprintf(name, sizeof(name), "%s.%s", section, key);
			fn(ctx, name, ta ? ta : "(none)", tb ? tb : "(none)");
			free(ta);
			free(tb);
			lines++;
		}
	}
	return lines;
}

int compare_settings_each(json_t *a, json_t *b, compare_diff_fn fn, void *ctx)
{
	return compare_section("options", a, b, fn, ctx) +
	       compare_section("machine", a, b, fn, ctx) +
	       compare_section("versions", a, b, fn, ctx);
}

static void compare_print_diff(void *ctx, const char *setting, const char *a,
			       const char *b)
{
	(void)ctx;
	term_line(stdout, "  %s: %s (A) vs %s (B)", setting, a, b);
}

static void compare_settings(const struct set *a, const struct set *b)
{
	printf("Settings that differ (meta.json; a ratio between different "
	       "settings is not a speed-up):\n");
	if (compare_settings_each(a->meta, b->meta, compare_print_diff, NULL) ==
	    0)
		printf("  none: same options, machine and versions\n");
	printf("\n");
}

/* One case of A against B: the sets' cases and its test. */
struct compare_case {
	const struct set_case *x, *y;
	struct significance s;
	double p_holm;
};

/* Prints one case; returns 1 when too few runs to tell. */
static int compare_case_print(const struct compare_case *c)
{
	char key[160];
	snprintf(key, sizeof(key), "%s,%s,%d", c->x->workload, c->x->model,
		 c->x->workers);
	term_line(stdout,
		  "%-32s %10.4f %10.4f %6.2f  [%5.2f, %5.2f] %6.3f %6.3f  %s%s",
		  key, c->x->median, c->y->median, c->y->median / c->x->median,
		  c->s.lo, c->s.hi, c->s.p, c->p_holm,
		  significance_words(c->s.verdict),
		  c->x->verified && c->y->verified ? "" : " (wrong results)");
	return c->s.verdict == SIG_TOO_FEW;
}

/* The cases both sets have, tested, their p-values adjusted together
 * (Holm); *n of them, NULL when there are none. */
static struct compare_case *compare_cases(const struct set *a,
					  const struct set *b, size_t *n)
{
	struct compare_case *cs = calloc(a->n ? a->n : 1, sizeof(*cs));
	double *p = calloc(a->n ? a->n : 1, sizeof(*p));
	*n = 0;
	for (size_t i = 0; cs && p && i < a->n; i++) {
		const struct set_case *x = &a->cases[i];
		const struct set_case *y =
			set_find(b, x->workload, x->model, x->workers);
		if (!y)
			continue;
		cs[*n] = (struct compare_case){
			x, y,
			significance_compare(x->walls, x->n_walls, y->walls,
					     y->n_walls),
			0};
		p[*n] = cs[*n].s.p;
		(*n)++;
	}
	significance_holm(p, *n);
	for (size_t i = 0; cs && p && i < *n; i++) {
		cs[i].p_holm = p[i];
		significance_reverdict(&cs[i].s, p[i]);
	}
	free(p);
	return cs;
}

/* The cases only one set has. */
static void compare_only_in(const struct set *a, const struct set *b,
			    const char *which)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct set_case *x = &a->cases[i];
		if (!set_find(b, x->workload, x->model, x->workers))
			term_line(stdout, "%s,%s,%d: only in %s", x->workload,
				  x->model, x->workers, which);
	}
}

/* Cases whose results were wrong (verified=no): their times are of
 * work that went wrong, not a speed. Said before the table. */
static void compare_wrong(const struct set *s, const char *which)
{
	size_t wrong = 0;
	for (size_t i = 0; i < s->n; i++)
		wrong += !s->cases[i].verified;
	if (wrong)
		printf("Warning: %s has wrong results in %zu case(s) "
		       "(verified=no in summary.csv): their times are of work "
		       "that went wrong, not a speed to compare.\n",
		       which, wrong);
}

static void compare_print(const struct set *a, const struct set *b)
{
	compare_wrong(a, "A");
	compare_wrong(b, "B");
	printf("%-32s %10s %10s %6s  %-14s %6s %6s  %s\n", "workload,model,C",
	       "A median s", "B median s", "B/A", "95% interval", "p", "p Holm",
	       "verdict");
	size_t n = 0, fewest = 0;
	int too_few = 0;
	struct compare_case *cs = compare_cases(a, b, &n);
	for (size_t i = 0; cs && i < n; i++) {
		too_few += compare_case_print(&cs[i]);
		size_t runs = cs[i].x->n_walls < cs[i].y->n_walls
				      ? cs[i].x->n_walls
				      : cs[i].y->n_walls;
		fewest = i == 0 || runs < fewest ? runs : fewest;
	}
	free(cs);
	compare_only_in(a, b, "A");
	compare_only_in(b, a, "B");
	if (too_few)
		printf("\n%d case(s): too few runs to tell. With %zu runs a "
		       "side the smallest possible p is %.2f, above 0.05: no "
		       "test can decide. Rerun both sets with --repeat 5 or "
		       "more.\n",
		       too_few, fewest, significance_min_p(fewest, fewest));
	printf("\nB/A is the ratio of the medians; the interval is a 95%% "
	       "bootstrap interval; p is the Mann-Whitney U test's. %zu "
	       "case(s) were tested at once, so each p is also adjusted for "
	       "the others (Holm: with 20 cases at 0.05, one would look "
	       "like a change by luck alone). A change is called real when "
	       "the adjusted p < 0.05 and the interval leaves out 1.\n",
	       n);
}

static int compare_usage(void)
{
	printf("usage: concur compare DIR_A DIR_B [--plot]\n"
	       "       concur compare A.csv B.csv [--any-machine]\n"
	       "Two result sets: the settings that differ, then per case: "
	       "both medians, B/A\nwith a 95%% interval, the Mann-Whitney "
	       "p-value over the runs and a verdict.\n--plot also draws both "
	       "sets side by side (compare.png/.svg in DIR_B).\n"
	       "Two bench files (results/bench-latest.csv, "
	       "results/bench-previous.csv):\nper case and model, A's ratio, "
	       "B's, the change and worse/better/same (%.0f%% or\nmore in the "
	       "target's direction). Files from different machines (CPU "
	       "model,\nkernel, mitigations, cores) are refused unless "
	       "--any-machine is given.\n",
	       BENCH_CHANGE_PCT);
	return 0;
}

/* A bench file rather than a result set: not a folder, and a file that
 * is there or a name ending in .csv. */
static int compare_is_bench_file(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	if (stat(path, &st) == 0)
		return !S_ISDIR(st.st_mode);
	return n >= 4 && strcmp(path + n - 4, ".csv") == 0;
}

/* Two bench files: no --plot, the machine check (bench_compare.c). */
static int compare_bench(const char *a, const char *b, int plot,
			 int any_machine)
{
	if (plot) {
		cli_error("compare: --plot draws result sets, not bench files");
		return EXIT_USAGE;
	}
	return bench_compare_main(a, b, any_machine);
}

int compare_main(int argc, char **argv)
{
	const char *dirs[2];
	int n = 0, plot = 0, any_machine = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0)
			return compare_usage();
		if (strcmp(argv[i], "--plot") == 0) {
			plot = 1;
		} else if (strcmp(argv[i], "--any-machine") == 0) {
			any_machine = 1;
		} else if (argv[i][0] == '-') {
			cli_error("compare: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		} else if (n < 2) {
			dirs[n++] = argv[i];
		} else {
			n = 3;
		}
	}
	if (n != 2) {
		cli_error("compare: needs two result sets (concur compare "
			  "DIR_A DIR_B) or two bench files (A.csv B.csv)");
		return EXIT_USAGE;
	}
	if (compare_is_bench_file(dirs[0]) && compare_is_bench_file(dirs[1]))
		return compare_bench(dirs[0], dirs[1], plot, any_machine);
	if (any_machine) {
		cli_error("compare: --any-machine is for bench files");
		return EXIT_USAGE;
	}
	struct set a, b;
	char why[512];
	if (set_load(dirs[0], &a, why, sizeof(why)) != 0) {
		cli_error("compare: '%s' is not a result set: %s", dirs[0],
			  why);
		return EXIT_USAGE;
	}
	if (set_load(dirs[1], &b, why, sizeof(why)) != 0) {
		cli_error("compare: '%s' is not a result set: %s", dirs[1],
			  why);
		set_free(&a);
		return EXIT_USAGE;
	}
	term_line(stdout, "A: %s", dirs[0]);
	term_line(stdout, "B: %s", dirs[1]);
	printf("\n");
	compare_settings(&a, &b);
	compare_print(&a, &b);
	int rc = plot && plot_compare(dirs[0], dirs[1]) != 0 ? 1 : 0;
	set_free(&a);
	set_free(&b);
	return rc;
}
