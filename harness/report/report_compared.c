// SPDX-License-Identifier: MIT
/* report_compared.c - report.html's comparison with another set. */
#include "harness/report/report_compared.h"

#include "harness/report/compare.h"
#include "harness/report/html.h"
#include "harness/report/significance.h"

static void report_diff_row(void *ctx, const char *setting, const char *a,
			    const char *b)
{
	FILE *f = ctx;
	fputs("<li><code>", f);
	html_text(f, setting);
	fputs("</code>: ", f);
	html_printf(f, "%s here, %s there", b, a);
	fputs("</li>\n", f);
}

static void report_compared_case(FILE *f, const struct set_case *x,
				 const struct set_case *y)
{
	struct significance s = significance_compare(x->walls, x->n_walls,
						     y->walls, y->n_walls);
	const char *cls = s.verdict == SIG_B_SLOWER   ? "slower"
			  : s.verdict == SIG_B_FASTER ? "faster"
						      : "";
	fprintf(f, "<tr class=\"%s\"><td>", cls);
	html_printf(f, "%s %s", x->workload, x->model);
	fprintf(f,
		"</td><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.2f</td>"
		"<td>%.2f&ndash;%.2f</td><td>%.3f</td><td class=\"l\">",
		x->workers, x->median, y->median, s.ratio, s.lo, s.hi, s.p);
	static const char *const words[] = {"too few runs to tell",
					    "no measurable difference",
					    "faster here", "slower here"};
	fprintf(f, "%s</td></tr>\n", words[s.verdict]);
}

/* This set (B) against other (A), as `concur compare OTHER DIR`. */
void report_compared(FILE *f, const struct set *s, const struct set *other)
{
	fputs("<h2 id=\"compared\">Compared with ", f);
	html_text(f, other->name);
	fputs("</h2>\n<p>Settings that differ (a ratio between different "
	      "settings is not a speedup):</p>\n<ul class=\"notes\">\n",
	      f);
	if (compare_settings_each(other->meta, s->meta, report_diff_row, f) ==
	    0)
		fputs("<li>none: same options, machine and versions</li>\n", f);
	fputs("</ul>\n<div class=\"scroll\"><table>\n<tr><th>case</th><th>", f);
	html_term(f, "C", "C");
	fputs("</th><th>there s</th><th>here s</th><th>here/there</th><th>", f);
	html_term(f, "95% interval", "interval");
	fputs("</th><th>", f);
	html_term(f, "p", "p");
	fputs("</th><th>verdict</th></tr>\n", f);
	int too_few = 0;
	for (size_t i = 0; i < other->n; i++) {
		const struct set_case *x = &other->cases[i];
		const struct set_case *y =
			set_find(s, x->workload, x->model, x->workers);
		if (!y)
			continue;
		report_compared_case(f, x, y);
		too_few |= x->n_walls < 4 || y->n_walls < 4;
	}
	fputs("</table></div>\n", f);
	if (too_few)
		fputs("<p class=\"banner warn\">Some cases had fewer than 4 "
		      "runs on a side: with 3 against 3 the smallest possible "
		      "p is 0.10, so no test can call a change real. Rerun "
		      "both with --repeat 5 or more.</p>\n",
		      f);
}
