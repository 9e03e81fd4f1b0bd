// SPDX-License-Identifier: MIT
/* report_latency.c - naive and corrected latency tails on report.html
 * (see report_latency.h). */
#include "harness/report/report_latency.h"

#include <math.h>
#include <stdbool.h>

#include "harness/report/html.h"

/* Does any case carry the histogram's figures? */
static bool report_latency_any(const struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->cases[i].naive[0]))
			return true;
	return false;
}

/* Five cells of milliseconds, an empty one where there is no figure. */
static void report_latency_cells(FILE *f, const double *v)
{
	for (int k = 0; k < 5; k++) {
		fputs("<td>", f);
		if (!isnan(v[k]))
			fprintf(f, "%.1f", v[k]);
		fputs("</td>", f);
	}
}

static void report_latency_row(FILE *f, const struct set_case *c)
{
	fputs("<tr><td>", f);
	html_text(f, c->workload);
	fputs("</td><td>", f);
	html_text(f, c->model);
	fprintf(f, "</td><td>%d</td><td>", c->workers);
	if (!isnan(c->offered_rate))
		fprintf(f, "open, %g/s", c->offered_rate);
	else
		html_text(f, c->arrival);
	fputs("</td>", f);
	report_latency_cells(f, c->naive);
	report_latency_cells(f, c->corrected);
	fputs("</tr>\n", f);
}

void report_latency(FILE *f, const struct set *s)
{
	if (!report_latency_any(s))
		return;
	fputs("<h2 id=\"latency-tail\">Latency: from the start, and from "
	      "the intended start</h2>\n<p>Milliseconds, medians over the "
	      "case's runs. <em>Naive</em> counts each task from when a "
	      "worker started it; <em>corrected</em> from when it was meant "
	      "to start (its arrival, with <code>--arrival open</code>). "
	      "In a closed run they are the same; in an open run the "
	      "difference is the time tasks waited for a free worker, which "
	      "a naive measurement leaves out (coordinated omission).</p>\n"
	      "<div class=\"scroll\"><table>\n<tr><th>workload</th>"
	      "<th>model</th><th>C</th><th>arrival</th>"
	      "<th>naive p50</th><th>p90</th><th>p99</th><th>p99.9</th>"
	      "<th>max</th><th>corrected p50</th><th>p90</th><th>p99</th>"
	      "<th>p99.9</th><th>max</th></tr>\n",
	      f);
	for (size_t i = 0; i < s->n; i++)
		report_latency_row(f, &s->cases[i]);
	fputs("</table></div>\n", f);
}
