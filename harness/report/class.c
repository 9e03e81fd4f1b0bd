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

#include "harness/base/cli.h"
#include "harness/base/term.h"
#include "harness/report/class_gather.h"
#include "harness/report/class_lessons.h"
#include "harness/report/class_plot.h"
#include "harness/report/class_status.h"
#include "harness/report/class_workload.h"
#include "harness/report/class_tmp.h"
#include "harness/base/file_replace.h"
#include "harness/report/html.h"
#include "harness/base/stats.h"
#include "models/model.h"

struct class_page {
	const struct class_sets *sets;
	struct class_group *groups;
	size_t n_groups;
};

/* model is a name read from a set: the registry says what it is. */
static int class_is_baseline(const char *model)
{
	return (model_flags_of(model) & MODEL_BASELINE) != 0;
}

/* The --sync of a case's set, when it changes what the case measured. */
static void class_sync_of(const struct set *set, const struct set_case *c,
			  char *out, size_t len)
{
	out[0] = '\0';
	if (strcmp(c->workload, "shared") == 0)
		set_meta(set, "options", "sync", out, len);
}

static struct class_group *class_group_of(struct class_page *p,
					  const struct set *set,
					  const struct set_case *c)
{
	char sync[32];
	class_sync_of(set, c, sync, sizeof(sync));
	for (size_t i = 0; i < p->n_groups; i++) {
		struct class_group *g = &p->groups[i];
		if (g->workers == c->workers &&
		    strcmp(g->workload, c->workload) == 0 &&
		    strcmp(g->model, c->model) == 0 &&
		    strcmp(g->sync, sync) == 0)
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
	snprintf(g->sync, sizeof(g->sync), "%s", sync);
	g->workers = c->workers;
	return g;
}

/* Two sets of one hand-in ("ana/run1", "ana/run2") are one machine. */
static int class_same_handin(const char *a, const char *b)
{
	size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
	return la == lb && strncmp(a, b, la) == 0;
}

/* One dot per machine: a later set of the same hand-in (sets come in
 * name order, so a newer dated folder) replaces the earlier one. */
static int class_group_add(struct class_group *g, const struct class_sets *c,
			   double v, size_t who)
{
	for (size_t i = 0; i < g->n; i++)
		if (class_same_handin(c->sets[g->who[i]].name,
				      c->sets[who].name)) {
			g->v[i] = v;
			g->who[i] = who;
			return 0;
		}
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

/* A set whose speedups the plots take: a complete sweep. A lesson's set
 * ran the lesson's own sizes (its section shows it); a partial one is
 * named at the top. */
static int class_plots_set(const struct set *set)
{
	char why[512];
	return !set->lesson && !class_set_partial(set, why, sizeof(why));
}

/* Every right non-baseline case with a speedup, grouped (the wrong ones
 * counted); then the quartiles. */
static int class_collect(struct class_page *p)
{
	for (size_t s = 0; s < p->sets->n; s++) {
		const struct set *set = &p->sets->sets[s];
		for (size_t i = 0; class_plots_set(set) && i < set->n; i++) {
			const struct set_case *c = &set->cases[i];
			if (class_is_baseline(c->model) || isnan(c->speedup))
				continue;
			struct class_group *g = class_group_of(p, set, c);
			if (!g)
				return -1;
			if (class_case_wrong(c))
				g->wrong++;
			else if (class_group_add(g, p->sets, c->speedup, s) !=
				 0)
				return -1;
		}
	}
	for (size_t i = 0; i < p->n_groups; i++) {
		struct class_group *g = &p->groups[i];
		/* every case of a group may have been wrong */
		g->q1 = g->n ? stats_percentile(g->v, g->n, 25) : NAN;
		g->median = g->n ? stats_percentile(g->v, g->n, 50) : NAN;
		g->q3 = g->n ? stats_percentile(g->v, g->n, 75) : NAN;
	}
	return 0;
}

/* Sets the speedup plots leave out by design: the lessons' sets. */
static void class_lesson_sets_note(FILE *f, const struct class_sets *c)
{
	size_t lessons = 0;
	for (size_t i = 0; i < c->n; i++)
		lessons += c->sets[i].lesson != NULL;
	if (lessons && lessons < c->n)
		fprintf(f,
			"<p>The speedup plots below take the sweeps (<code>"
			"concur run</code>); the %zu set(s) a lesson made ran "
			"the lesson's own sizes and are in the lessons' "
			"section.</p>\n",
			lessons);
}

static int class_write(const char *path, const char *title,
		       struct class_page *p)
{
	/* the words the page uses, defined at its end */
	static const char *const terms[] = {"C",
					    "cores",
					    "speedup",
					    "median",
					    "middle half",
					    "far from the class",
					    "wrong results",
					    "partial",
					    "close",
					    "right order",
					    "off",
					    "run valid"};
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
	class_alerts(f, p->sets);
	class_machines(f, p->sets);
	size_t shown = class_lessons(f, p->sets);
	class_lesson_sets_note(f, p->sets);
	for (size_t i = 0; i < p->n_groups; i++) {
		size_t j = 0;
		while (j < i && strcmp(p->groups[j].workload,
				       p->groups[i].workload) != 0)
			j++;
		if (j == i)
			class_workload(f, p->sets, p->groups, p->n_groups,
				       p->groups[i].workload);
	}
	/* the lessons' words only when a lesson is shown */
	html_definitions_of(f, terms,
			    sizeof(terms) / sizeof(terms[0]) - (shown ? 0 : 4));
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
