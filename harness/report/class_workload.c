// SPDX-License-Identifier: MIT
/* class_workload.c - a workload's speedups across the class. */
#include "harness/report/class_workload.h"

#include <string.h>

#include "harness/report/html.h"

/* "threads" or, for the shared workload, "threads (--sync mutex)". */
static void class_group_name(FILE *f, const struct class_group *g)
{
	html_text(f, g->model);
	if (g->sync[0])
		html_printf(f, " (--sync %s)", g->sync);
}

/* The group's table row: machines, quartiles, slowest and fastest, and
 * the wrong cases left out. */
static void class_group_row(FILE *f, const struct class_sets *sets,
			    const struct class_group *g)
{
	size_t lo = 0, hi = 0;
	for (size_t i = 1; i < g->n; i++) {
		lo = g->v[i] < g->v[lo] ? i : lo;
		hi = g->v[i] > g->v[hi] ? i : hi;
	}
	fputs(g->n ? "<tr><td>" : "<tr class=\"wrong\"><td>", f);
	class_group_name(f, g);
	fprintf(f, "</td><td>%d</td><td>%zu</td>", g->workers, g->n);
	if (g->n) {
		fprintf(f,
			"<td>%.2f</td><td>%.2f&ndash;%.2f</td><td "
			"class=\"l\">",
			g->median, g->q1, g->q3);
		html_printf(f, "%.2f %s", g->v[lo],
			    sets->sets[g->who[lo]].name);
		fputs("</td><td class=\"l\">", f);
		html_printf(f, "%.2f %s", g->v[hi],
			    sets->sets[g->who[hi]].name);
		fputs("</td>", f);
	} else {
		fputs("<td>-</td><td>-</td><td>-</td><td>-</td>", f);
	}
	if (g->wrong)
		fprintf(f, "<td class=\"l wrong\">%zu wrong</td></tr>\n",
			g->wrong);
	else
		fputs("<td class=\"l\"></td></tr>\n", f);
}

/* The machines far from the class in this workload, by name. */
static void class_outliers(FILE *f, const struct class_sets *sets,
			   const struct class_group *groups, size_t n_groups,
			   const char *workload)
{
	int named = 0;
	for (size_t i = 0; i < n_groups; i++) {
		const struct class_group *g = &groups[i];
		for (size_t j = 0;
		     strcmp(g->workload, workload) == 0 && j < g->n; j++) {
			if (!class_is_outlier(g, g->v[j]))
				continue;
			fputs(named++ ? ""
				      : "<p>Far from the class (red dots): "
					"look at these machines' cores, load "
					"and options.</p><ul class=\"notes\">",
			      f);
			fputs("<li>", f);
			html_printf(f, "%s: ", sets->sets[g->who[j]].name);
			class_group_name(f, g);
			html_printf(f,
				    " C=%d measured %.2f×, the class's "
				    "middle half %.2f–%.2f×",
				    g->workers, g->v[j], g->q1, g->q3);
			fputs("</li>\n", f);
		}
	}
	fputs(named ? "</ul>\n" : "<p>No machine is far from the rest.</p>\n",
	      f);
}

static void class_workload_plot(FILE *f, const struct class_group *groups,
				size_t n, const char *workload)
{
	fputs("<figure>\n", f);
	class_plot(f, groups, n, workload);
	fputs("<figcaption>Each dot is one machine's speedup over its own "
	      "sequential run (the newest sweep of its hand-in). The box "
	      "holds the middle half of the class, the thick line is its "
	      "median. Cases with wrong results are left out: the last "
	      "column counts them.</figcaption>\n</figure>\n",
	      f);
}

void class_workload(FILE *f, const struct class_sets *sets,
		    const struct class_group *groups, size_t n,
		    const char *workload)
{
	fputs("<h2>", f);
	html_printf(f, "The %s workload: speedup on each machine", workload);
	fputs("</h2>\n", f);
	size_t plotted = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(groups[i].workload, workload) == 0)
			plotted += groups[i].n;
	if (!plotted) /* an empty frame would say nothing */
		fputs("<p class=\"banner bad\">Every case of this workload "
		      "gave "
		      "wrong results: there is no speedup to plot.</p>\n",
		      f);
	else
		class_workload_plot(f, groups, n, workload);
	class_outliers(f, sets, groups, n, workload);
	/* the headings, and the term each defines itself by (NULL: none) */
	static const char *const cols[][2] = {{"model", NULL},
					      {"C", "C"},
					      {"machines", NULL},
					      {"median speedup", "speedup"},
					      {"middle half", "middle half"},
					      {"slowest", NULL},
					      {"fastest", NULL},
					      {"left out", "wrong results"}};
	fputs("<div class=\"scroll\"><table>\n<tr>", f);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputs(i == 0 || i >= 5 ? "<th class=\"l\">" : "<th>", f);
		if (cols[i][1])
			html_term(f, cols[i][0], cols[i][1]);
		else
			html_text(f, cols[i][0]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < n; i++)
		if (strcmp(groups[i].workload, workload) == 0)
			class_group_row(f, sets, &groups[i]);
	fputs("</table></div>\n", f);
}
