// SPDX-License-Identifier: MIT
/* class_status.c - wrong and partial sets named at the top of the class
 * page, and the machines table with the settings that differ marked. */
#include "harness/report/class_status.h"

#include <stdlib.h>
#include <string.h>

#include "harness/report/class_lessons.h"
#include "harness/report/html.h"

/* ---- Wrong cases and partial sets -------------------------------------- */

int class_case_wrong(const struct set_case *c)
{
	return !c->verified || c->errors > 0 || c->lost_most > 0 ||
	       c->wrong_tasks > 0 || c->stopped > 0;
}

/* 798977 -> "798,977": a count a teacher reads at a glance. */
static const char *class_thousands(long v, char *buf, size_t len)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%ld", v < 0 ? -v : v);
	size_t at = 0;
	if (v < 0 && at + 1 < len)
		buf[at++] = '-';
	for (int i = 0; i < n && at + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = digits[i];
	}
	buf[at] = '\0';
	return buf;
}

void class_case_why(const struct set *s, const struct set_case *c, char *buf,
		    size_t len)
{
	char sync[64], n[32];
	if (c->stopped > 0)
		snprintf(buf, len,
			 "the watchdog had to stop %ld run(s): the model did "
			 "its tasks but never returned",
			 c->stopped);
	else if (c->lost_most > 0)
		snprintf(buf, len,
			 "lost updates: up to %s increments lost in one run "
			 "(--sync %s)",
			 class_thousands(c->lost_most, n, sizeof(n)),
			 set_meta(s, "options", "sync", sync, sizeof(sync)));
	else if (c->wrong_tasks > 0)
		snprintf(buf, len,
			 "%ld task result(s) differed from the sequential "
			 "reference",
			 c->wrong_tasks);
	else if (c->errors > 0)
		snprintf(buf, len, "%ld task(s) failed in its first run",
			 c->errors);
	else
		snprintf(buf, len,
			 "its results did not match the sequential reference");
}

int class_set_partial(const struct set *s, char *why, size_t len)
{
	char status[64], reason[256];
	set_meta(s, NULL, "status", status, sizeof(status));
	set_meta(s, NULL, "reason", reason, sizeof(reason));
	if (s->short_rows > 0)
		snprintf(why, len,
			 "summary.csv is cut off: %zu row(s) end short (a copy "
			 "or an archive that stopped mid-file); those rows "
			 "are not read",
			 s->short_rows);
	else if (strcmp(status, "complete") != 0)
		snprintf(why, len, "meta.json says the run is \"%s\"%s%s",
			 status[0] ? status : "(no status)",
			 reason[0] ? ": " : " (stopped before its end)",
			 reason);
	else
		return 0;
	return 1;
}

/* The wrong cases of one set as list items; how many. */
static size_t class_wrong_items(FILE *f, const struct set *s)
{
	size_t n = 0;
	char why[512];
	for (size_t i = 0; i < s->n; i++) {
		const struct set_case *c = &s->cases[i];
		if (!class_case_wrong(c))
			continue;
		class_case_why(s, c, why, sizeof(why));
		fputs(n++ ? "; " : "<li class=\"wrong\"><b>", f);
		if (n == 1) {
			html_text(f, s->name);
			fputs("</b>: ", f);
		}
		html_printf(f, "%s %s C=%d: %s", c->workload, c->model,
			    c->workers, why);
	}
	if (n)
		fputs("</li>\n", f);
	return n;
}

void class_alerts(FILE *f, const struct class_sets *c)
{
	size_t wrong_sets = 0, partial = 0;
	char why[512];
	for (size_t i = 0; i < c->n; i++) {
		/* a lesson's set may be wrong on purpose (lesson 11's lost
		 * updates): the lessons' section judges it, not this list */
		for (size_t k = 0; !c->sets[i].lesson && k < c->sets[i].n; k++)
			if (class_case_wrong(&c->sets[i].cases[k])) {
				wrong_sets++;
				break;
			}
		partial += class_set_partial(&c->sets[i], why, sizeof(why));
	}
	fputs("<div id=\"alerts\">\n", f);
	if (wrong_sets) {
		fprintf(f,
			"<p class=\"banner bad\">Wrong results in %zu set(s): "
			"their wrong cases are red below and left out of the "
			"speedup plots (a fast wrong answer is not a "
			"speedup).</p>\n<ul class=\"notes\">\n",
			wrong_sets);
		for (size_t i = 0; i < c->n; i++)
			if (!c->sets[i].lesson)
				class_wrong_items(f, &c->sets[i]);
		fputs("</ul>\n", f);
	}
	if (partial) {
		fprintf(f,
			"<p class=\"banner warn\">%zu set(s) are partial, not "
			"complete: shown in the machines table, left out of "
			"the speedup plots.</p>\n<ul class=\"notes\">\n",
			partial);
		for (size_t i = 0; i < c->n; i++) {
			if (!class_set_partial(&c->sets[i], why, sizeof(why)))
				continue;
			fputs("<li class=\"partial\"><b>", f);
			html_text(f, c->sets[i].name);
			fputs("</b>: ", f);
			html_text(f, why);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	if (!wrong_sets && !partial)
		fputs("<p class=\"banner good\">Every set is complete and "
		      "every result was verified against the sequential "
		      "reference.</p>\n",
		      f);
	fputs("</div>\n", f);
}

/* ---- The machines table ------------------------------------------------ */

/* The columns: meta.json section and key, heading, and whether it is a
 * setting a set should share with the sets of its kind. */
static const struct {
	const char *section, *key, *heading;
	int setting;
} class_cols[] = {
	{"machine", "host", "host", 0},
	{"machine", "cores", "cores", 0},
	{"machine", "cpu_model", "CPU", 0},
	{"versions", "concur", "concur", 1},
	{"versions", "git_commit", "commit", 1},
	{"options", "tasks", "tasks", 1},
	{"options", "delay_ms", "delay ms", 1},
	{"options", "work", "work", 1},
	{"options", "repeat", "repeat", 1},
	{"options", "workers", "C", 0},
	{"options", "sync", "--sync", 1},
};

#define CLASS_N_COLS (sizeof(class_cols) / sizeof(class_cols[0]))

/* A set's kind: 0 a sweep, N lesson N. Sets are compared within a kind:
 * a lesson runs its own sizes on purpose. */
static long class_kind(const struct set *s)
{
	return s->lesson ? (long)json_integer_value(
				   json_object_get(s->lesson, "lesson"))
			 : 0;
}

static int class_ran(const struct set *s, const char *workload)
{
	for (size_t i = 0; i < s->n; i++)
		if (strstr(s->cases[i].workload, workload))
			return 1;
	return 0;
}

/* Does the column change what this set measured? The delay only when it
 * fetched, --sync only when it ran the shared workload, the work only
 * when it computed. */
static int class_applies(const struct set *s, size_t col)
{
	const char *key = class_cols[col].key;
	if (strcmp(key, "delay_ms") == 0)
		return class_ran(s, "fetch") || class_ran(s, "mixed");
	if (strcmp(key, "sync") == 0)
		return class_ran(s, "shared");
	if (strcmp(key, "work") == 0) {
		for (size_t i = 0; i < s->n; i++)
			if (!strstr(s->cases[i].workload, "fetch"))
				return 1;
		return 0;
	}
	return 1;
}

/* The value most sets of set i's kind have in a column, among those it
 * applies to; "" when there is no single most common one (a tie marks
 * nobody: the page cannot tell who ran the other experiment). */
static void class_norm(const struct class_sets *c, size_t of, size_t col,
		       char *out, size_t len)
{
	size_t best = 0, tied = 0;
	char v[256], w[256];
	out[0] = '\0';
	for (size_t i = 0; i < c->n; i++) {
		const struct set *a = &c->sets[i];
		if (class_kind(a) != class_kind(&c->sets[of]) ||
		    !class_applies(a, col))
			continue;
		set_meta(a, class_cols[col].section, class_cols[col].key, v,
			 sizeof(v));
		size_t same = 0;
		for (size_t j = 0; j < c->n; j++) {
			const struct set *b = &c->sets[j];
			same += class_kind(b) == class_kind(a) &&
				class_applies(b, col) &&
				strcmp(v, set_meta(b, class_cols[col].section,
						   class_cols[col].key, w,
						   sizeof(w))) == 0;
		}
		if (same > best) {
			best = same;
			tied = 0;
			snprintf(out, len, "%s", v);
		} else if (same == best && strcmp(v, out) != 0) {
			tied = 1;
		}
	}
	if (tied)
		out[0] = '\0';
}

/* The status cell: wrong results (red), partial (yellow), complete. */
static void class_status_cell(FILE *f, const struct set *s)
{
	char why[512];
	size_t wrong = 0;
	for (size_t i = 0; i < s->n; i++)
		wrong += (size_t)class_case_wrong(&s->cases[i]);
	if (class_set_partial(s, why, sizeof(why))) {
		fputs("<td class=\"l partial\" title=\"", f);
		html_text(f, why);
		fputs("\">partial", f);
	} else {
		fputs("<td class=\"l\">complete", f);
	}
	if (wrong && s->lesson)
		fprintf(f, "; %zu case(s) wrong (a lesson's run)", wrong);
	else if (wrong)
		fprintf(f, "; <span class=\"wrong\">%zu case(s) wrong</span>",
			wrong);
	fputs("</td>", f);
}

/* The norms of each kind, worked out once per kind (a lesson's number is
 * checked below CLASS_LESSONS_MAX when lesson.json is read). */
struct class_norms {
	int known[CLASS_LESSONS_MAX];
	char value[CLASS_LESSONS_MAX][CLASS_N_COLS][256];
};

static void class_machine_row(FILE *f, const struct class_sets *c, size_t i,
			      struct class_norms *norms)
{
	char v[256];
	const struct set *s = &c->sets[i];
	long kind = class_kind(s);
	kind = kind >= 0 && kind < CLASS_LESSONS_MAX ? kind : 0;
	if (!norms->known[kind]++)
		for (size_t k = 0; k < CLASS_N_COLS; k++)
			class_norm(c, i, k, norms->value[kind][k], 256);
	fputs("<tr><td>", f);
	html_text(f, s->name);
	fputs("</td>", f);
	class_status_cell(f, s);
	for (size_t k = 0; k < CLASS_N_COLS; k++) {
		if (class_cols[k].setting && !class_applies(s, k)) {
			fputs("<td class=\"l na\" title=\"not used by this "
			      "set's workloads\">&ndash;</td>",
			      f);
			continue;
		}
		set_meta(s, class_cols[k].section, class_cols[k].key, v,
			 sizeof(v));
		const char *norm = norms->value[kind][k];
		int odd = class_cols[k].setting && norm[0] &&
			  strcmp(v, norm) != 0;
		fputs(odd ? "<td class=\"l odd\">" : "<td class=\"l\">", f);
		html_text(f, v);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

void class_machines(FILE *f, const struct class_sets *c)
{
	fputs("<h2 id=\"machines\">The machines</h2>\n<p>One row per result "
	      "set. A <span class=\"odd\">marked</span> setting differs from "
	      "most sets of its kind (the sweeps, or the sets of the same "
	      "lesson): that machine ran other work, so its numbers are not "
	      "the same experiment. A dash: the setting does not change what "
	      "the set measured.</p>\n"
	      "<div class=\"scroll\"><table>\n<tr><th>set</th>"
	      "<th class=\"l\">status</th>",
	      f);
	for (size_t k = 0; k < CLASS_N_COLS; k++) {
		fputs("<th>", f);
		if (strcmp(class_cols[k].heading, "C") == 0 ||
		    strcmp(class_cols[k].heading, "cores") == 0)
			html_term(f, class_cols[k].heading,
				  class_cols[k].heading);
		else
			html_text(f, class_cols[k].heading);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	struct class_norms *norms = calloc(1, sizeof(*norms));
	for (size_t i = 0; norms && i < c->n; i++)
		class_machine_row(f, c, i, norms);
	free(norms);
	fputs("</table></div>\n", f);
}
