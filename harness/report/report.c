// SPDX-License-Identifier: MIT
/*
 * report.c - `concur report DIR`: report.html, a result set on one page
 * that a teacher can project and a student can open on a phone. The page
 * reads top to bottom as the run went: what was run on which machine, was
 * every result right, the numbers, the pictures, what to be wary of, and
 * (with --compare) how it stands against another set. Every number links
 * to its definition at the end of the page (html.c).
 */
#include "harness/report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/base/term.h"
#include "harness/base/file_replace.h"
#include "harness/report/html.h"
#include "harness/report/report_compared.h"
#include "harness/report/report_latency.h"
#include "harness/report/set_load.h"
#include "harness/report/significance.h"

/* The pictures in the order a reader needs them, with what each shows. */
static const char *const report_plots[][3] = {
	{"wall", "Wall time per model",
	 "At the largest C, one panel per workload. Bars are medians; the "
	 "error bars span the fastest to the slowest run."},
	{"scaling", "Wall time as C grows",
	 "Log-log. The dotted level is the sequential baseline. The dashed "
	 "line is the ideal, in the panels of a workload that has one "
	 "(compute: the baseline's time / min(C, cores); fetch and mixed: "
	 "the case's ideal time); the shared workload has none, its speed "
	 "depends on --sync. A model that follows the dashed line gains all "
	 "it can from more workers."},
	{"speedup", "Speedup",
	 "Speedup against C, one panel per workload but fetch; compute's "
	 "ideal is min(C, cores), and the core count is marked: past it, "
	 "more workers cannot compute more. A case whose results were wrong "
	 "(its row is red) is left out: a speedup of wrong work means "
	 "nothing."},
	{"memory", "Peak memory (PSS)",
	 "Peak memory of the whole process tree against C, as PSS (MiB): a "
	 "page shared by k processes counts 1/k in each, the same measure "
	 "as the table's peak PSS column."},
	{"latency", "Per-task latency",
	 "p50, p95 and p99 of the time each task took, at the largest C."},
};

#define REPORT_N_PLOTS (sizeof(report_plots) / sizeof(report_plots[0]))

static void report_row(FILE *f, const char *name, const char *value)
{
	fputs("<tr><th class=\"l\">", f);
	html_text(f, name);
	fputs("</th><td class=\"l\">", f);
	html_text(f, value);
	fputs("</td></tr>\n", f);
}

static void report_header(FILE *f, const struct set *s)
{
	char date[64], status[32], host[128], reason[512];
	fputs("<h1>concur: ", f);
	html_text(f, s->name);
	fputs("</h1>\n<p class=\"sub\">", f);
	html_printf(f, "Run on %s, %s. Status: %s.",
		    set_meta(s, "machine", "host", host, sizeof(host)),
		    set_meta(s, NULL, "date", date, sizeof(date)),
		    set_meta(s, NULL, "status", status, sizeof(status)));
	fputs("</p>\n", f);
	long wrong = 0;
	for (size_t i = 0; i < s->n; i++)
		wrong += !s->cases[i].verified;
	if (wrong)
		fprintf(f,
			"<p class=\"banner bad\" id=\"verification\">%ld "
			"case(s) gave wrong results: a fast model that is "
			"wrong is not faster. See the table.</p>\n",
			wrong);
	else
		fputs("<p class=\"banner good\" id=\"verification\">Every "
		      "result was verified: each model gave exactly the "
		      "sequential reference's results.</p>\n",
		      f);
	if (strcmp(status, "complete") != 0) {
		fputs("<p class=\"banner warn\">This set is not complete: ", f);
		html_text(f,
			  set_meta(s, NULL, "reason", reason, sizeof(reason)));
		fputs(" The numbers below are what was measured before it "
		      "stopped.</p>\n",
		      f);
	}
}

static void report_settings(FILE *f, const struct set *s)
{
	static const char *const rows[][3] = {
		{"options", "models", "models"},
		{"options", "workloads", "workloads"},
		{"options", "workers", "C (workers)"},
		{"options", "tasks", "tasks per batch"},
		{"options", "delay_ms", "delay per fetch (ms)"},
		{"options", "work", "compute per task (units)"},
		{"options", "sync", "shared counter's strategy (--sync)"},
		{"options", "backend", "event loop's backend (--backend)"},
		{"options", "repeat", "runs per case (--repeat)"},
		{"options", "warmup", "warm-up runs"},
		{"machine", "cores", "cores"},
		{"machine", "cpu_model", "CPU"},
		{"machine", "kernel", "kernel"},
		{"machine", "arch", "architecture"},
		{"versions", "concur", "concur"},
		{"versions", "git_commit", "commit"},
		{"versions", "compiler", "compiler"},
	};
	char buf[1024];
	fputs("<h2 id=\"settings\">What was run, and where</h2>\n<p>The "
	      "command:</p>\n<p><code>",
	      f);
	html_text(f, set_meta(s, NULL, "command", buf, sizeof(buf)));
	fputs("</code></p>\n<div class=\"scroll\"><table>\n", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		report_row(
			f, rows[i][2],
			set_meta(s, rows[i][0], rows[i][1], buf, sizeof(buf)));
	fputs("</table></div>\n", f);
}

/* A number, or an empty cell when there is none. */
static void report_num(FILE *f, const char *fmt, double v)
{
	fputs("<td>", f);
	if (!isnan(v))
		fprintf(f, fmt, v);
	fputs("</td>", f);
}

static void report_case(FILE *f, const struct set_case *c)
{
	double lo, hi;
	int ci = significance_median_ci(c->walls, c->n_walls, 0.95, &lo, &hi);
	/* a wrong case in red, as on the class page: its time is no speed */
	fputs(c->verified ? "<tr><td>" : "<tr class=\"wrong\"><td>", f);
	html_text(f, c->model);
	fprintf(f, "</td><td>%d</td><td>%.4f</td><td>%.4f&ndash;%.4f</td>",
		c->workers, c->median, c->min, c->max);
	if (ci == 0)
		fprintf(f, "<td>%.4f&ndash;%.4f</td>", lo, hi);
	else
		fputs("<td title=\"a 95% interval of the median needs at "
		      "least 6 runs\">needs 6 runs</td>",
		      f);
	report_num(f, "%.2f", c->speedup);
	report_num(f, "%.0f%%", c->efficiency * 100);
	report_num(f, "%.4f", c->ideal);
	report_num(f, "%.2f", c->ratio_to_ideal);
	if (c->peak_pss_kib > 0) /* the tree's PSS, as memory.gp draws */
		report_num(f, "%.1f", c->peak_pss_kib / 1024);
	else
		fprintf(f, "<td>%.1f RSS</td>", c->peak_rss_kib / 1024);
	fprintf(f, "<td>%s</td><td class=\"l\">%s%s</td></tr>\n",
		c->verified ? "yes" : "<strong>NO</strong>",
		c->noisy ? "noisy " : "",
		c->first_outlier ? "first run slow" : "");
}

static void report_table_head(FILE *f)
{
	static const char *const cols[][2] = {
		{"C", "C"},
		{"median s", "median"},
		{"fastest–slowest", "spread"},
		{"95% interval", "interval"},
		{"speedup", "speedup"},
		{"efficiency", "efficiency"},
		{"ideal s", "ideal"},
		{"x ideal", "x ideal"},
		{"peak PSS MiB", "peak PSS MiB"},
		{"verified", "verified"},
		{"notes", "noisy"},
	};
	fputs("<div class=\"scroll\"><table>\n<tr><th>model</th>", f);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputs("<th>", f);
		html_term(f, cols[i][0], cols[i][1]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
}

static void report_summary(FILE *f, const struct set *s)
{
	fputs("<h2 id=\"summary\">The numbers</h2>\n<p>One row per model "
	      "and C; times are wall times in seconds over the case's "
	      "runs. Hover over or click a column's name for what it "
	      "means.</p>\n",
	      f);
	for (size_t i = 0; i < s->n; i++) {
		const struct set_case *c = &s->cases[i];
		if (i > 0 && strcmp(c->workload, s->cases[i - 1].workload) == 0)
			continue;
		fputs("<h3>", f);
		html_printf(f, "%s: %ld tasks, %ld runs per case, baseline %s",
			    c->workload, c->tasks, c->runs,
			    c->baseline[0] ? c->baseline : "measured");
		fputs("</h3>\n", f);
		report_table_head(f);
		for (size_t j = i; j < s->n; j++)
			if (strcmp(s->cases[j].workload, c->workload) == 0)
				report_case(f, &s->cases[j]);
		fputs("</table></div>\n", f);
	}
}

/* A workload's name that can be part of a file's name: concur's own
 * (compute, py-fetch), never "../x" from a hostile summary.csv. */
static int report_plain_name(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
	return n > 0 && name[n] == '\0';
}

/* One picture of the set, if gnuplot drew it. */
static void report_figure(FILE *f, const struct set *s, const char *name,
			  const char *title, const char *caption)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s.svg", s->dir, name);
	if (access(path, F_OK) != 0)
		return;
	fputs("<figure>\n<h3>", f);
	html_text(f, title);
	fputs("</h3>\n", f);
	html_svg(f, path, title);
	fputs("<figcaption>", f);
	html_text(f, caption);
	fputs("</figcaption>\n</figure>\n", f);
}

/* "Speedup of the compute and shared workloads": speedup.gp draws every
 * workload but fetch, so the title names them. */
static void report_speedup_title(const struct set *s, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "Speedup of the");
	int n = 0;
	for (size_t i = 0; i < s->n && used < len; i++) {
		const char *w = s->cases[i].workload;
		if (strcmp(w, "fetch") == 0 ||
		    (i > 0 && strcmp(w, s->cases[i - 1].workload) == 0))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s %s",
					 n++ ? " and" : "", w);
	}
	if (used < len)
		snprintf(buf + used, len - used, " workload%s",
			 n > 1 ? "s" : "");
}

static void report_plots_section(FILE *f, const struct set *s)
{
	char title[256];
	fputs("<h2 id=\"plots\">The pictures</h2>\n", f);
	for (size_t i = 0; i < REPORT_N_PLOTS; i++) {
		int speedup = strcmp(report_plots[i][0], "speedup") == 0;
		if (speedup)
			report_speedup_title(s, title, sizeof(title));
		report_figure(f, s, report_plots[i][0],
			      speedup ? title : report_plots[i][1],
			      report_plots[i][2]);
	}
	fputs("<h2 id=\"timeline\">Timelines: who ran what, when</h2>\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const char *w = s->cases[i].workload;
		if ((i > 0 && strcmp(w, s->cases[i - 1].workload) == 0) ||
		    !report_plain_name(w))
			continue;
		char name[64], title[96];
		snprintf(name, sizeof(name), "timeline-%s", w);
		snprintf(title, sizeof(title), "Timeline of the %s workload",
			 w);
		report_figure(f, s, name, title,
			      "One run per model: each task is a bar from its "
			      "start to its end, on the row of the worker that "
			      "ran it. Red, hatched bars failed.");
	}
}

/* "<li><b>kind</b>: workload model C=n: ", the names escaped. */
static void report_note_start(FILE *f, const char *kind,
			      const struct set_case *c)
{
	fprintf(f, "<li><b>%s</b>: ", kind);
	html_printf(f, "%s %s C=%d: ", c->workload, c->model, c->workers);
}

static void report_notes(FILE *f, const struct set *s)
{
	fputs("<h2 id=\"notes\">Notes and warnings</h2>\n<ul "
	      "class=\"notes\">\n",
	      f);
	int n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct set_case *c = &s->cases[i];
		if (c->noisy && ++n) {
			report_note_start(f, "noisy", c);
			fprintf(f,
				"the slowest run took %.2f&times; the fastest; "
				"the machine was busy. Rerun with more "
				"--repeat on a quieter machine.</li>\n",
				c->max / c->min);
		}
		if (c->first_outlier && ++n) {
			report_note_start(f, "first run slow", c);
			fputs("a cold cache or a first connection; --warmup "
			      "1 leaves it out.</li>\n",
			      f);
		}
		if (c->timing_diffs > 0 && ++n) {
			report_note_start(f, "timing", c);
			fprintf(f,
				"%ld result(s) differed for a timing reason "
				"(a timeout under load).</li>\n",
				c->timing_diffs);
		}
		if (strcmp(c->baseline, "estimated") == 0 && ++n) {
			report_note_start(f, "estimated baseline", c);
			fputs("only a sample of the batch was timed and scaled "
			      "(--baseline full times it all).</li>\n",
			      f);
		}
	}
	if (n == 0)
		fputs("<li>None: no noisy case, no slow first run, no timing "
		      "difference.</li>\n",
		      f);
	fputs("</ul>\n", f);
}

int report_write(const char *dir, const char *other_dir)
{
	struct set s, other;
	char why[512], path[4400];
	if (set_load(dir, &s, why, sizeof(why)) != 0) {
		cli_error("report: '%s' is not a result set: %s", dir, why);
		return -1;
	}
	if (other_dir && set_load(other_dir, &other, why, sizeof(why)) != 0) {
		cli_error("report: '%s' is not a result set: %s", other_dir,
			  why);
		set_free(&s);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/report.html", s.dir);
	struct file_replace r = {0};
	int rc = file_replace_open(&r, path);
	if (rc == 0) {
		char title[300];
		snprintf(title, sizeof(title), "concur: %s", s.name);
		html_begin(r.f, title);
		report_header(r.f, &s);
		report_settings(r.f, &s);
		report_summary(r.f, &s);
		report_latency(r.f, &s);
		report_plots_section(r.f, &s);
		report_notes(r.f, &s);
		if (other_dir)
			report_compared(r.f, &s, &other);
		html_definitions(r.f);
		html_end(r.f);
		rc = file_replace_commit(&r);
	}
	if (rc != 0)
		cli_error("report: cannot write %s", path);
	else
		term_line(stdout, "report:  %s", path);
	if (other_dir)
		set_free(&other);
	set_free(&s);
	return rc;
}

int report_main(int argc, char **argv)
{
	const char *dir = NULL, *other = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("usage: concur report DIR [--compare OTHER]\n"
			       "Writes DIR/report.html: the result set on one "
			       "self-contained page (inline\npictures, no "
			       "script, nothing fetched). --compare adds how "
			       "DIR stands against\nOTHER, as `concur compare "
			       "OTHER DIR` judges it.\n");
			return 0;
		}
		if (strcmp(argv[i], "--compare") == 0 && i + 1 < argc) {
			other = argv[++i];
		} else if (argv[i][0] == '-') {
			cli_error("report: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		} else if (!dir) {
			dir = argv[i];
		} else {
			cli_error("report: one result set at a time ('%s'); "
				  "for many, concur class",
				  argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!dir) {
		cli_error("report: which result set? (concur report DIR)");
		return EXIT_USAGE;
	}
	return report_write(dir, other) == 0 ? 0 : EXIT_USAGE;
}
