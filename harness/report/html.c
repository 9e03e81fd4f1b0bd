// SPDX-License-Identifier: MIT
/* html.c - the shared parts of concur's HTML pages: the style sheet and
 * the content security policy, the escaping, the definitions of the
 * numbers, and a set's SVG pictures as images. */
#include "harness/report/html.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/report/set_file.h"

/* Large type for a projector, one column on a phone, black on white on
 * paper; system fonts only, so nothing is fetched. */
static const char html_style[] =
	"body{font:18px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'DejaVu Sans',sans-serif;color:#111;background:#fff;margin:0 auto;"
	"max-width:1200px;padding:0 1rem 2rem}\n"
	"h1{font-size:2rem;margin:1rem 0 .25rem}h2{font-size:1.5rem;"
	"border-bottom:3px solid #2a6fb0;margin-top:2.5rem}\n"
	"h3{font-size:1.2rem}.sub{color:#444;margin:0 0 1rem}\n"
	".banner{font-size:1.25rem;font-weight:600;padding:.6rem 1rem;"
	"border-radius:6px;margin:1rem 0}.good{background:#e3f4e1;"
	"border-left:8px solid #2d8a34}.bad{background:#fbe3e1;border-left:8px "
	"solid #c0392b}.warn{background:#fff4d6;border-left:8px solid "
	"#d59400}\n"
	".scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem "
	"0 1rem;font-variant-numeric:tabular-nums}\n"
	"th,td{padding:.3rem .6rem;border-bottom:1px solid #ccc;text-align:"
	"right;white-space:nowrap}th{background:#eef3f8;vertical-align:bottom;"
	"white-space:normal}table{font-size:.95rem}"
	"\ntd:first-child,th:first-child,td.l,th.l{text-align:left}\n"
	".odd{background:#ffe9a8;font-weight:700}.wrong,tr.wrong td,td.wrong"
	"{background:#fbe3e1;color:#8b1a10;font-weight:700}td.partial,"
	"li.partial{background:#fff4d6}td.na{color:#999}\n"
	".tally span{display:inline-block;padding:.1rem .6rem;margin:0 .3rem "
	".3rem 0;border-radius:4px;font-weight:700}.v-close{background:#e3f4e1}"
	".v-order{background:#fff4d6}.v-off{background:#fbe3e1}\ntr.slower "
	"td{background:#fdeeee}tr.faster td{background:#eaf6ea}\n"
	"abbr{text-decoration:underline dotted;cursor:help}a{color:#1d5a94}\n"
	"figure{margin:1.5rem 0;break-inside:avoid}figcaption{color:#333;"
	"margin-top:.3rem}svg.plot,img.plot{width:100%;height:auto;"
	"max-width:1100px;"
	"border:1px solid #ddd}\n"
	"dl.defs dt{font-weight:700;margin-top:.6rem}dl.defs dd{margin-left:"
	"1.5rem}\n"
	"ul.notes li{margin:.3rem 0}code{background:#f2f2f2;padding:0 .2rem;"
	"overflow-wrap:anywhere}\nfooter{margin-top:3rem;color:#555;"
	"font-size:.9rem}\n"
	"@media (max-width:700px){body{font-size:16px}h1{font-size:1.5rem}}\n"
	"@media print{body{font-size:11pt;max-width:none}h2{break-after:avoid}"
	"a{color:#111}.scroll{overflow:visible}}\n";

/* What the page may load: its own style sheet and data: pictures, no
 * script at all, nothing from elsewhere. Every value from a set is
 * escaped; this is what still holds if an escape were ever missed. */
static const char html_policy[] =
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
	"base-uri 'none'; form-action 'none'";

void html_begin(FILE *f, const char *title)
{
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<meta "
		"http-equiv=\"Content-Security-Policy\" content=\"%s\">\n"
		"<meta name=\"viewport\" "
		"content=\"width=device-width, initial-scale=1\">\n<title>",
		html_policy);
	html_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
		html_style);
}

void html_end(FILE *f)
{
	fprintf(f,
		"<footer>Written by concur %s. One self-contained file: "
		"no script, nothing fetched; it opens offline and "
		"prints.</footer>\n</body>\n</html>\n",
		CONCUR_VERSION);
}

void html_text(FILE *f, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*p, f);
		}
	}
}

void html_printf(FILE *f, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_text(f, buf);
}

/* The terms every page may use: name, then definition. */
static const char *const html_terms[][2] = {
	{"C", "the concurrency asked for: threads, processes or requests in "
	      "flight at once (--workers)"},
	{"wall", "wall time: seconds from the start of the batch to its end, "
		 "as a clock on the wall would show"},
	{"median", "the middle run: half the runs were faster, half slower; "
		   "one slow run does not move it"},
	{"spread", "the fastest and the slowest run of the case"},
	{"interval", "a 95% confidence interval: the range the true value "
		     "lies in, 19 times out of 20, given these runs"},
	{"speedup", "the baseline's median divided by this median: 2 means "
		    "twice as fast as running the tasks one after another"},
	{"efficiency", "speedup divided by the most this model could gain "
		       "here (C for waiting, the cores for computing); 100% "
		       "is its best"},
	{"ideal", "the time a perfect model would take: the waits overlap "
		  "fully and every core computes"},
	{"x ideal", "median divided by the ideal time; 1.0 is perfect"},
	{"peak PSS MiB",
	 "the most memory the run's process tree held at once, as its "
	 "proportional set size: a page shared by k processes counts 1/k "
	 "in each, so processes and threads are measured alike"},
	{"peak RSS MiB",
	 "the most memory held at once as resident set size: a page shared "
	 "by k processes counts once in each (shown where PSS was not "
	 "measured)"},
	{"verified", "every task's result matched the sequential reference"},
	{"noisy", "the slowest run took over 1.5 times the fastest: the "
		  "machine was busy with something else"},
	{"baseline", "the sequential run every speedup is measured "
		     "against; 'estimated' when only a sample was timed"},
	{"p", "the p-value of the Mann-Whitney U test: the chance of runs "
	      "this different if nothing had changed; under 0.05 counts "
	      "as real"},
	{"cores", "logical CPUs the machine had online"},
	{"middle half", "the box: a quarter of the machines measured less, "
			"a quarter more (the first to the third quartile)"},
	{"far from the class",
	 "beyond 1.5 box heights from the box (Tukey's fences): a machine "
	 "whose cores, load or options differ"},
	{"wrong results",
	 "a case whose results were not the sequential reference's (a lost "
	 "update, a wrong or failed task, a run the watchdog stopped): its "
	 "time is not a speedup, so the plots leave it out"},
	{"partial", "a set that is not complete: its summary.csv is cut "
		    "mid-row or its meta.json does not say \"complete\" "
		    "(the run was stopped); the plots leave it out"},
	{"close", "the lesson's verdict: the prediction was within the "
		  "lesson's tolerance of the run (or of what the machine "
		  "should give, when its run could not show the claim): "
		  "right"},
	{"right order", "the lesson's verdict: within a wider tolerance "
			"(a factor of 2 for most lessons), not close"},
	{"off", "the lesson's verdict: further than that: the student "
		"counted some quantity differently"},
	{"run valid", "the lesson judged its own run able to show its "
		      "claim; when not, the prediction was graded against "
		      "what the machine should give"},
};

#define HTML_N_TERMS (sizeof(html_terms) / sizeof(html_terms[0]))

static const char *html_definition(const char *term)
{
	for (size_t i = 0; i < HTML_N_TERMS; i++)
		if (strcmp(html_terms[i][0], term) == 0)
			return html_terms[i][1];
	return "";
}

/* "x ideal" -> "x-ideal", for an id. */
static void html_id(FILE *f, const char *term)
{
	for (const char *p = term; *p; p++)
		fputc(*p == ' ' ? '-' : *p, f);
}

void html_term(FILE *f, const char *label, const char *term)
{
	fputs("<a href=\"#def-", f);
	html_id(f, term);
	fputs("\"><abbr title=\"", f);
	html_text(f, html_definition(term));
	fputs("\">", f);
	html_text(f, label);
	fputs("</abbr></a>", f);
}

void html_definitions_of(FILE *f, const char *const *terms, size_t n)
{
	fputs("<h2 id=\"definitions\">What the numbers mean</h2>\n"
	      "<dl class=\"defs\">\n",
	      f);
	for (size_t i = 0; i < HTML_N_TERMS; i++) {
		size_t k = 0;
		while (terms && k < n &&
		       strcmp(terms[k], html_terms[i][0]) != 0)
			k++;
		if (terms && k == n)
			continue; /* a word this page does not use */
		fputs("<dt id=\"def-", f);
		html_id(f, html_terms[i][0]);
		fputs("\">", f);
		html_text(f, html_terms[i][0]);
		fputs("</dt><dd>", f);
		html_text(f, html_terms[i][1]);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n", f);
}

void html_definitions(FILE *f)
{
	html_definitions_of(f, NULL, 0);
}

/* ---- The set's pictures ------------------------------------------------ */

/* The bytes as base64 (RFC 4648), for a data: URL. */
static void html_base64(FILE *f, const unsigned char *p, size_t n)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
				     "mnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		fputc(digits[v >> 18 & 63], f);
		fputc(digits[v >> 12 & 63], f);
		fputc(i + 1 < n ? digits[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? digits[v & 63] : '=', f);
	}
}

int html_svg(FILE *f, const char *path, const char *alt)
{
	size_t len = 0;
	char why[128];
	char *svg = set_file_read(path, (size_t)SET_FILE_MAX_MB * 1024 * 1024,
				  &len, why, sizeof(why));
	if (!svg) /* a student's FIFO, link or gigabytes: said once */
		cli_error("%s %s: left out of the page", path, why);
	if (!svg || !strstr(svg, "<svg")) {
		fputs("<p class=\"banner warn\">This picture is not shown: ",
		      f);
		if (!svg)
			fputs("the file ", f);
		html_text(f, svg ? "it is not an SVG picture" : why);
		fputs(" (was gnuplot installed? see gnuplot.log).</p>\n", f);
		free(svg);
		return -1;
	}
	/* The set's file, so possibly a student's: as an image it runs no
	 * script and fetches nothing, whatever it holds. */
	fputs("<img class=\"plot\" alt=\"", f);
	html_text(f, alt);
	fputs("\" src=\"data:image/svg+xml;base64,", f);
	html_base64(f, (const unsigned char *)svg, len);
	fputs("\">\n", f);
	free(svg);
	return 0;
}
