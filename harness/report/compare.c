// SPDX-License-Identifier: MIT
/*
 * compare.c - `concur compare DIR DIR`: two result sets side by side (a
 * student's laptop and the reference, before and after a change). Per case:
 * both medians, their ratio, and whether the difference is larger than the
 * spread (min-max) of either set. Settings that differ between the two
 * sets (meta.json: options, machine, versions) are listed first, one line
 * each: a ratio between runs of different work says nothing.
 */
#include "harness/report/compare.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/report/plot.h"

struct compare_case {
	char key[128]; /* workload,model,workers */
	double median, min, max;
};

struct compare_set {
	struct compare_case *cases;
	size_t n;
};

/* Reads the columns compare needs from DIR/summary.csv. */
static int compare_load(const char *dir, struct compare_set *set)
{
	char path[4200], line[2048];
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_error("compare: '%s' is not a result set (no readable "
			  "summary.csv)",
			  dir);
		return -1;
	}
	if (!fgets(line, sizeof(line), f) ||
	    strncmp(line, "workload,model,workers,", 23) != 0) {
		cli_error("compare: %s does not start with concur's summary "
			  "header",
			  path);
		fclose(f);
		return -1;
	}
	set->cases = NULL;
	set->n = 0;
	while (fgets(line, sizeof(line), f)) {
		char w[32], m[64];
		int c;
		size_t tasks, runs;
		long work;
		double med, mn, mx;
		if (sscanf(line, "%31[^,],%63[^,],%d,%zu,%ld,%zu,%lf,%lf,%lf",
			   w, m, &c, &tasks, &work, &runs, &med, &mn, &mx) != 9)
			continue;
		struct compare_case *grown =
			realloc(set->cases, (set->n + 1) * sizeof(*set->cases));
		if (!grown)
			break;
		set->cases = grown;
		struct compare_case *cc = &set->cases[set->n++];
		snprintf(cc->key, sizeof(cc->key), "%s,%s,%d", w, m, c);
		cc->median = med;
		cc->min = mn;
		cc->max = mx;
	}
	fclose(f);
	return 0;
}

static const struct compare_case *compare_find(const struct compare_set *s,
					       const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->cases[i].key, key) == 0)
			return &s->cases[i];
	return NULL;
}

/* One line per key of section whose value differs between A and B (a key
 * missing on one side counts). Returns the number of lines. */
static int compare_section(const char *section, json_t *a, json_t *b)
{
	static const char *const ignored[] = {"server", NULL};
	json_t *sa = json_object_get(a, section),
	       *sb = json_object_get(b, section);
	int lines = 0;
	for (int pass = 0; pass < 2; pass++) {
		json_t *from = pass ? sb : sa, *other = pass ? sa : sb;
		const char *key;
		json_t *va;
		json_object_foreach(from, key, va)
		{
			int skip = 0;
			for (int k = 0; ignored[k]; k++)
				skip |= strcmp(key, ignored[k]) == 0;
			json_t *vb = json_object_get(other, key);
			if (skip || (pass && vb) || (vb && json_equal(va, vb)))
				continue;
			char *ta = json_dumps(pass ? vb : va,
					      JSON_ENCODE_ANY | JSON_COMPACT);
			char *tb = json_dumps(pass ? va : vb,
					      JSON_ENCODE_ANY | JSON_COMPACT);
			printf("  %s.%s: %s (A) vs %s (B)\n", section, key,
			       ta ? ta : "(none)", tb ? tb : "(none)");
			free(ta);
			free(tb);
			lines++;
		}
	}
	return lines;
}

/* Lists the settings that differ; says so when a meta.json is missing. */
static void compare_settings(const char *dir_a, const char *dir_b)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/meta.json", dir_a);
	json_t *a = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/meta.json", dir_b);
	json_t *b = json_load_file(path, 0, NULL);
	if (!a || !b) {
		printf("warning: no readable meta.json in %s: the settings "
		       "cannot be compared\n\n",
		       !a ? dir_a : dir_b);
	} else {
		printf("Settings that differ (meta.json; a ratio between "
		       "different settings is not a speed-up):\n");
		int n = compare_section("options", a, b);
		n += compare_section("machine", a, b);
		n += compare_section("versions", a, b);
		printf(n ? "\n"
			 : "  none: same options, machine and "
			   "versions\n\n");
	}
	json_decref(a);
	json_decref(b);
}

static void compare_print(const struct compare_set *a,
			  const struct compare_set *b)
{
	printf("%-36s %12s %12s %8s  %s\n", "workload,model,C", "A median s",
	       "B median s", "B/A", "beyond the noise?");
	for (size_t i = 0; i < a->n; i++) {
		const struct compare_case *x = &a->cases[i];
		const struct compare_case *y = compare_find(b, x->key);
		if (!y) {
			printf("%-36s %12.4f %12s\n", x->key, x->median, "-");
			continue;
		}
		double spread = (x->max - x->min) > (y->max - y->min)
					? x->max - x->min
					: y->max - y->min;
		double diff = y->median - x->median;
		int beyond = (diff < 0 ? -diff : diff) > spread;
		printf("%-36s %12.4f %12.4f %8.2f  %s\n", x->key, x->median,
		       y->median, y->median / x->median,
		       beyond ? (diff < 0 ? "yes: B is faster"
					  : "yes: B is slower")
			      : "no: within the spread");
	}
	for (size_t i = 0; i < b->n; i++)
		if (!compare_find(a, b->cases[i].key))
			printf("%-36s %12s %12.4f\n", b->cases[i].key, "-",
			       b->cases[i].median);
}

int compare_main(int argc, char **argv)
{
	const char *dirs[2];
	int n = 0, plot = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("usage: concur compare DIR_A DIR_B [--plot]\n"
			       "Per case: both medians, B/A, and whether the "
			       "difference is larger than the spread of either "
			       "set.\n--plot also draws both sets side by side "
			       "(compare.png/.svg in DIR_B).\n");
			return 0;
		}
		if (strcmp(argv[i], "--plot") == 0) {
			plot = 1;
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
			  "DIR_A DIR_B)");
		return EXIT_USAGE;
	}
	struct compare_set a = {0}, b = {0};
	int rc = EXIT_USAGE;
	if (compare_load(dirs[0], &a) == 0 && compare_load(dirs[1], &b) == 0) {
		printf("A: %s\nB: %s\n\n", dirs[0], dirs[1]);
		compare_settings(dirs[0], dirs[1]);
		compare_print(&a, &b);
		rc = plot && plot_compare(dirs[0], dirs[1]) != 0 ? 1 : 0;
	}
	free(a.cases);
	free(b.cases);
	return rc;
}
