// SPDX-License-Identifier: MIT
/*
 * class.c - `concur class`: a class's result sets on one page. Each
 * machine's speedup is over its own sequential baseline, so machines of
 * different speeds can stand side by side; what differs between them is
 * then the cores, the load and the options, which the page lists first.
 */
#include "harness/report/class.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/term.h"
#include "harness/report/class_gather.h"
#include "harness/report/class_lessons.h"
#include "harness/report/class_plot.h"
#include "harness/report/class_tmp.h"
#include "harness/report/file_replace.h"
#include "harness/report/html.h"
#include "harness/run/stats.h"

struct class_page {
	const struct class_sets *sets;
	struct class_group *groups;
	size_t n_groups;
};

static int class_is_baseline(const char *model)
{
	return strcmp(model, "sequential") == 0 ||
	       strcmp(model, "py-sequential") == 0;
}

static struct class_group *class_group_of(struct class_page *p,
					  const struct set_case *c)
{
	for (size_t i = 0; i < p->n_groups; i++) {
		struct class_group *g = &p->groups[i];
		if (g->workers == c->workers &&
		    strcmp(g->workload, c->workload) == 0 &&
		    strcmp(g->model, c->model) == 0)
			return g;
	}
	struct class_group *grown =
		realloc(p->groups, (p->n_groups + 1) * sizeof(*p->groups));
	if (!grown)
		return NULL;
	p->groups = grown;
	struct class_group *g = &p->groups[p->n_groups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->workload, sizeof(g->workload), "%s", c->workload);
	snprintf(g->model, sizeof(g->model), "%s", c->model);
	g->workers = c->workers;
	return g;
}

static int class_group_add(struct class_group *g, double v, size_t who)
{
	double *nv = realloc(g->v, (g->n + 1) * sizeof(double));
	if (nv)
		g->v = nv;
	size_t *nw = realloc(g->who, (g->n + 1) * sizeof(size_t));
	if (nw)
		g->who = nw;
	if (!nv || !nw)
		return -1;
	g->v[g->n] = v;
	g->who[g->n++] = who;
	return 0;
}

/* Every non-baseline case with a speedup, grouped; then the quartiles. */
static int class_collect(struct class_page *p)
{
	for (size_t s = 0; s < p->sets->n; s++) {
		const struct set *set = &p->sets->sets[s];
		for (size_t i = 0; i < set->n; i++) {
			const struct set_case *c = &set->cases[i];
			if (class_is_baseline(c->model) || isnan(c->speedup))
				continue;
			struct class_group *g = class_group_of(p, c);
			if (!g || class_group_add(g, c->speedup, s) != 0)
				return -1;
		}
	}
	for (size_t i = 0; i < p->n_groups; i++) {
		struct class_group *g = &p->groups[i];
		g->q1 = stats_percentile(g->v, g->n, 25);
		g->median = stats_percentile(g->v, g->n, 50);
		g->q3 = stats_percentile(g->v, g->n, 75);
	}
	return 0;
}

/* The columns of the machines table: meta.json section and key. */
static const char *const class_cols[][3] = {
	{"machine", "host", "host"},	      {"machine", "cores", "cores"},
	{"machine", "cpu_model", "CPU"},      {"versions", "concur", "concur"},
	{"versions", "git_commit", "commit"}, {"options", "tasks", "tasks"},
	{"options", "delay_ms", "delay ms"},  {"options", "work", "work"},
	{"options", "repeat", "repeat"},      {"options", "workers", "C"},
	{"options", "sync", "--sync"},	      {NULL, "status", "status"},
};

#define CLASS_N_COLS (sizeof(class_cols) / sizeof(class_cols[0]))

/* The value most sets have in a column (the class's norm). */
static void class_norm(const struct class_sets *c, size_t col, char *out,
		       size_t len)
{
	size_t best = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->n; i++) {
		char v[256], w[256];
		set_meta(&c->sets[i], class_cols[col][0], class_cols[col][1], v,
			 sizeof(v));
		size_t same = 0;
		for (size_t j = 0; j < c->n; j++)
			same += strcmp(v,
				       set_meta(&c->sets[j], class_cols[col][0],
						class_cols[col][1], w,
						sizeof(w))) == 0;
		if (same > best) {
			best = same;
			snprintf(out, len, "%s", v);
		}
	}
}

static void class_machines(FILE *f, const struct class_sets *c)
{
	/* Which columns are settings a machine should share with the class. */
	static const int settings[] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	_Static_assert(sizeof(settings) / sizeof(settings[0]) == CLASS_N_COLS,
		       "a flag per column");
	char norm[CLASS_N_COLS][256], v[256];
	for (size_t k = 0; k < CLASS_N_COLS; k++)
		class_norm(c, k, norm[k], sizeof(norm[k]));
	fputs("<h2 id=\"machines\">The machines</h2>\n<p>One row per result "
	      "set. A <span class=\"odd\">marked</span> setting "
	      "differs from most of the class: that machine ran other "
	      "work, so its speedups are not the same experiment.</p>\n"
	      "<div class=\"scroll\"><table>\n<tr><th>set</th>",
	      f);
	for (size_t k = 0; k < CLASS_N_COLS; k++) {
		fputs("<th>", f);
		html_text(f, class_cols[k][2]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < c->n; i++) {
		fputs("<tr><td>", f);
		html_text(f, c->sets[i].name);
		fputs("</td>", f);
		for (size_t k = 0; k < CLASS_N_COLS; k++) {
			set_meta(&c->sets[i], class_cols[k][0],
				 class_cols[k][1], v, sizeof(v));
			int odd = settings[k] && strcmp(v, norm[k]) != 0;
			fputs(odd ? "<td class=\"l odd\">" : "<td class=\"l\">",
			      f);
			html_text(f, v);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

/* The group's table row: machines, quartiles, slowest and fastest. */
static void class_group_row(FILE *f, const struct class_page *p,
			    const struct class_group *g)
{
	size_t lo = 0, hi = 0;
	for (size_t i = 1; i < g->n; i++) {
		lo = g->v[i] < g->v[lo] ? i : lo;
		hi = g->v[i] > g->v[hi] ? i : hi;
	}
	fputs("<tr><td>", f);
	html_text(f, g->model);
	fprintf(f,
		"</td><td>%d</td><td>%zu</td><td>%.2f</td>"
		"<td>%.2f&ndash;%.2f</td><td class=\"l\">",
		g->workers, g->n, g->median, g->q1, g->q3);
	html_printf(f, "%.2f %s", g->v[lo], p->sets->sets[g->who[lo]].name);
	fputs("</td><td class=\"l\">", f);
	html_printf(f, "%.2f %s", g->v[hi], p->sets->sets[g->who[hi]].name);
	fputs("</td></tr>\n", f);
}

/* The machines far from the class in this workload, by name. */
static void class_outliers(FILE *f, const struct class_page *p,
			   const char *workload)
{
	int n = 0;
	for (size_t i = 0; i < p->n_groups; i++) {
		const struct class_group *g = &p->groups[i];
		for (size_t j = 0;
		     strcmp(g->workload, workload) == 0 && j < g->n; j++) {
			if (!class_is_outlier(g, g->v[j]))
				continue;
			fputs(n++ ? ""
				  : "<p>Far from the class (red dots): "
				    "look at these machines' cores, load "
				    "and options.</p><ul class=\"notes\">",
			      f);
			fputs("<li>", f);
			html_printf(f,
				    "%s: %s C=%d measured %.2f×, the class's "
				    "middle half %.2f–%.2f×",
				    p->sets->sets[g->who[j]].name, g->model,
				    g->workers, g->v[j], g->q1, g->q3);
			fputs("</li>\n", f);
		}
	}
	fputs(n ? "</ul>\n" : "<p>No machine is far from the rest.</p>\n", f);
}

static void class_workload(FILE *f, const struct class_page *p,
			   const char *workload)
{
	fputs("<h2>", f);
	html_printf(f, "The %s workload: speedup on each machine", workload);
	fputs("</h2>\n<figure>\n", f);
	class_plot(f, p->groups, p->n_groups, workload);
	fputs("<figcaption>Each dot is one machine's speedup over its own "
	      "sequential run. The box holds the middle half of the class, "
	      "the thick line is its median.</figcaption>\n</figure>\n",
	      f);
	class_outliers(f, p, workload);
	fputs("<div class=\"scroll\"><table>\n<tr><th>model</th><th>", f);
	html_term(f, "C", "C");
	fputs("</th><th>machines</th><th>", f);
	html_term(f, "median speedup", "speedup");
	fputs("</th><th>middle half</th><th class=\"l\">slowest</th>"
	      "<th class=\"l\">fastest</th></tr>\n",
	      f);
	for (size_t i = 0; i < p->n_groups; i++)
		if (strcmp(p->groups[i].workload, workload) == 0)
			class_group_row(f, p, &p->groups[i]);
	fputs("</table></div>\n", f);
}

static int class_write(const char *path, const char *title,
		       struct class_page *p)
{
	struct file_replace r = {0};
	if (file_replace_open(&r, path) != 0)
		return -1;
	class_tmp_watch_file(r.tmp);
	FILE *f = r.f;
	html_begin(f, title);
	fputs("<h1>", f);
	html_text(f, title);
	fprintf(f, "</h1>\n<p class=\"sub\">%zu result sets", p->sets->n);
	if (p->sets->refused)
		fprintf(f,
			"; %zu refused (not readable result sets: see the "
			"messages of concur class)",
			p->sets->refused);
	fputs(".</p>\n", f);
	class_machines(f, p->sets);
	class_lessons(f, p->sets);
	for (size_t i = 0; i < p->n_groups; i++) {
		size_t j = 0;
		while (j < i && strcmp(p->groups[j].workload,
				       p->groups[i].workload) != 0)
			j++;
		if (j == i)
			class_workload(f, p, p->groups[i].workload);
	}
	html_definitions(f);
	html_end(f);
	int rc = file_replace_commit(&r);
	class_tmp_watch_file(NULL);
	return rc;
}

static int class_usage(void)
{
	printf("usage: concur class [--out FILE] [--title TEXT] [--max-size "
	       "MB]\n"
	       "       [--max-rows N] [--max-unpacked MB] [--max-entries N]\n"
	       "       [--max-depth N] PATH...\n"
	       "Gathers many result sets (folders, folders of them, .tar.gz "
	       "or .zip archives)\ninto one page, FILE (default class.html): "
	       "the machines, and per model and C\nthe speedups across the "
	       "class. A set that cannot be read is named and skipped.\n"
	       "A hand-in is read as untrusted: only regular files, no link "
	       "followed or\nunpacked, and within these caps (a hand-in over "
	       "one is refused in one line):\n"
	       "  --max-size MB      each file of a set (default %d)\n"
	       "  --max-rows N       rows of a set's summary.csv (default %d; "
	       "runs.csv %dx)\n"
	       "  --max-unpacked MB  what an archive unpacks to (default %d)\n"
	       "  --max-entries N    files and folders in a hand-in (default "
	       "%d)\n"
	       "  --max-depth N      folders above a hand-in's set (default "
	       "%d)\n",
	       SET_FILE_MAX_MB, SET_MAX_ROWS, SET_RUNS_PER_ROW,
	       CLASS_MAX_UNPACKED_MB, CLASS_MAX_ENTRIES, CLASS_MAX_DEPTH);
	return 0;
}

/* --max-*: 1 when argv[i] is one (its value checked and stored, *rc set
 * to EXIT_USAGE when it is bad), else 0. */
static int class_cap_flag(struct class_limits *lim, const char *flag,
			  const char *value, int *rc)
{
	static const struct {
		const char *flag;
		long max;
	} caps[] = {{"--max-size", 4096},
		    {"--max-rows", 10000000},
		    {"--max-unpacked", 65536},
		    {"--max-entries", 10000000},
		    {"--max-depth", CLASS_MAX_DEPTH_CAP}};
	size_t k = 0;
	long v;
	while (k < sizeof(caps) / sizeof(caps[0]) &&
	       strcmp(flag, caps[k].flag) != 0)
		k++;
	if (k == sizeof(caps) / sizeof(caps[0]))
		return 0;
	if (!value || cli_long(flag, value, 1, caps[k].max, &v) != 0) {
		if (!value)
			cli_error("class: %s needs a value", flag);
		*rc = EXIT_USAGE;
		return 1;
	}
	size_t mb = (size_t)v * 1024 * 1024;
	if (k == 0)
		lim->set.max_bytes = mb;
	else if (k == 1)
		lim->set.max_rows = (size_t)v;
	else if (k == 2)
		lim->max_unpacked = mb;
	else if (k == 3)
		lim->max_entries = (size_t)v;
	else
		lim->max_depth = (int)v;
	return 1;
}

/* The options, then every hand-in gathered; the exit status so far. */
static int class_args(int argc, char **argv, struct class_sets *sets,
		      const char **out, const char **title)
{
	int rc = 0;
	/* the flags first, wherever they are: the caps hold for every path */
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (class_cap_flag(&sets->lim, argv[i], value, &rc)) {
			i++;
		} else if ((strcmp(argv[i], "--out") == 0 ||
			    strcmp(argv[i], "--title") == 0) &&
			   value) {
			*(argv[i][2] == 'o' ? out : title) = value;
			i++;
		} else if (argv[i][0] == '-') {
			cli_error("class: unknown option '%s'", argv[i]);
			rc = EXIT_USAGE;
		}
	}
	for (int i = 1; i < argc && rc == 0; i++) {
		if (argv[i][0] == '-')
			i++; /* a flag and its value */
		else if (class_gather(sets, argv[i]) != 0)
			rc = 1;
	}
	return rc;
}

int class_main(int argc, char **argv)
{
	const char *out = "class.html", *title = "The class's results";
	struct class_sets sets;
	memset(&sets, 0, sizeof(sets));
	/* --out is checked before any hand-in is read. */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--out") == 0 &&
		    file_replace_check_out("class", argv[i + 1]) != 0)
			return EXIT_USAGE;
	class_limits_default(&sets.lim);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0)
			return class_usage();
	/* from here a signal removes the temporary folder and page */
	class_tmp_arm();
	int rc = class_args(argc, argv, &sets, &out, &title);
	if (rc == 0 && sets.n == 0) {
		cli_error("class: no readable result set (concur class "
			  "DIR...)");
		rc = EXIT_USAGE;
	}
	struct class_page page = {&sets, NULL, 0};
	if (rc == 0 && (class_collect(&page) != 0 ||
			class_write(out, title, &page) != 0)) {
		cli_error("class: cannot write %s", out);
		rc = 1;
	}
	if (rc == 0)
		term_line(stdout, "class:   %s (%zu sets, %zu refused)", out,
			  sets.n, sets.refused);
	for (size_t i = 0; i < page.n_groups; i++) {
		free(page.groups[i].v);
		free(page.groups[i].who);
	}
	free(page.groups);
	class_gather_free(&sets);
	class_tmp_disarm();
	return rc;
}
