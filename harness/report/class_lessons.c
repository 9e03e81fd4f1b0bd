// SPDX-License-Identifier: MIT
/* class_lessons.c - the students' predictions against their machines. */
#include "harness/report/class_lessons.h"

#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/report/class_tally.h"
#include "harness/report/html.h"
#include "harness/report/set_file.h"

#define CLASS_LESSON_TEXT_MAX 2000 /* bytes of a title, question, verdict */

/* The fields the page shows, and the JSON types each may have: s text,
 * n a number, b true or false; null or absent are always allowed but
 * for the ones marked required. */
static const struct {
	const char *key;
	char type;
	int required;
} class_lesson_fields[] = {
	{"title", 's', 1},	    {"question", 's', 1},
	{"unit", 's', 0},	    {"verdict", 's', 0},
	{"prediction", 'n', 0},	    {"expected_value", 'n', 0},
	{"measured_value", 'n', 0}, {"run_shows_claim", 'b', 0},
	{"why_not", 's', 0},
};

/* Why doc is not a lesson.json the page can show, or NULL. */
static const char *class_lesson_bad(json_t *doc, char *why, size_t len)
{
	json_t *n = json_object_get(doc, "lesson");
	if (!json_is_object(doc))
		return "lesson.json: not a JSON object";
	if (!json_is_integer(n) || json_integer_value(n) < 1 ||
	    json_integer_value(n) >= CLASS_LESSONS_MAX)
		return "lesson.json: \"lesson\" is not a lesson's number";
	for (size_t i = 0;
	     i < sizeof(class_lesson_fields) / sizeof(class_lesson_fields[0]);
	     i++) {
		json_t *v = json_object_get(doc, class_lesson_fields[i].key);
		char type = class_lesson_fields[i].type;
		int ok = type == 's'   ? json_is_string(v)
			 : type == 'n' ? json_is_number(v)
				       : json_is_boolean(v);
		if (!ok && (class_lesson_fields[i].required ||
			    !(v == NULL || json_is_null(v)))) {
			snprintf(why, len, "lesson.json: \"%s\" is not %s",
				 class_lesson_fields[i].key,
				 type == 's'   ? "text"
				 : type == 'n' ? "a number"
					       : "true or false");
			return why;
		}
		if (ok && type == 's' &&
		    json_string_length(v) > CLASS_LESSON_TEXT_MAX) {
			snprintf(why, len,
				 "lesson.json: \"%s\" is longer than %d bytes",
				 class_lesson_fields[i].key,
				 CLASS_LESSON_TEXT_MAX);
			return why;
		}
	}
	return NULL;
}

int class_lesson_load(struct set *s, size_t max_bytes, char *why, size_t len)
{
	char path[4200], fwhy[128];
	struct stat st;
	size_t n;
	snprintf(path, sizeof(path), "%s/lesson.json", s->dir);
	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return 0; /* no lesson: a sweep's set */
	char *text = set_file_read(path, max_bytes, &n, fwhy, sizeof(fwhy));
	if (!text) {
		snprintf(why, len, "lesson.json %s", fwhy);
		return -1;
	}
	json_error_t err;
	json_t *doc = json_loadb(text, n, 0, &err);
	free(text);
	const char *bad = doc ? class_lesson_bad(doc, why, len) : NULL;
	if (!doc || bad) {
		if (!doc)
			snprintf(why, len, "lesson.json: %s", err.text);
		else if (bad != why)
			snprintf(why, len, "%s", bad);
		json_decref(doc);
		return -1;
	}
	s->lesson = doc;
	return 0;
}

/* A number of lesson.json, or NAN when it is absent or null. */
static double class_lesson_num(json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void class_lesson_cell(FILE *f, double v)
{
	if (isnan(v))
		fputs("<td>-</td>", f);
	else
		fprintf(f, "<td>%.3g</td>", v);
}

/* The verdict's colour: close (either kind) green, right order yellow,
 * off red. */
static const char *class_verdict_class(const char *verdict)
{
	if (!verdict)
		return "";
	return strncmp(verdict, "close", 5) == 0     ? "v-close"
	       : strcmp(verdict, "right order") == 0 ? "v-order"
	       : strcmp(verdict, "off") == 0	     ? "v-off"
						     : "";
}

/* One row: the machine, the prediction, expected, measured, verdict. */
static void class_lesson_row(FILE *f, const struct set *s, json_t *doc)
{
	char host[256];
	const char *verdict =
		json_string_value(json_object_get(doc, "verdict"));
	json_t *shows = json_object_get(doc, "run_shows_claim");
	fputs("<tr><td class=\"l\">", f);
	html_text(f, set_meta(s, "machine", "host", host, sizeof(host)));
	fputs(" <small>", f);
	html_text(f, s->name);
	fputs("</small></td>", f);
	class_lesson_cell(f, class_lesson_num(doc, "prediction"));
	class_lesson_cell(f, class_lesson_num(doc, "expected_value"));
	class_lesson_cell(f, class_lesson_num(doc, "measured_value"));
	const char *why = json_string_value(json_object_get(doc, "why_not"));
	if (json_is_false(shows)) {
		fputs("<td class=\"partial\" title=\"", f);
		html_text(f, why);
		fputs("\">no</td>", f);
	} else {
		fputs("<td>yes</td>", f);
	}
	fprintf(f, "<td class=\"l %s\">", class_verdict_class(verdict));
	html_text(f, verdict ? verdict : "no prediction");
	fputs("</td></tr>\n", f);
}

/* The table of lesson `number`: one row per set that ran it. */
static size_t class_lesson_table(FILE *f, const struct class_sets *c,
				 int number)
{
	size_t rows = 0;
	for (size_t i = 0; i < c->n; i++) {
		json_t *doc = c->sets[i].lesson;
		if (!doc || json_integer_value(
				    json_object_get(doc, "lesson")) != number)
			continue;
		if (rows++ == 0) {
			const char *title = json_string_value(
				json_object_get(doc, "title"));
			const char *unit =
				json_string_value(json_object_get(doc, "unit"));
			fprintf(f, "<h3>Lesson %d: ", number);
			html_text(f, title ? title : "");
			fputs("</h3>\n<p>", f);
			html_text(f, json_string_value(
					     json_object_get(doc, "question")));
			fputs(unit && unit[0] ? " (" : "", f);
			html_text(f, unit && unit[0] ? unit : "");
			fputs(unit && unit[0] ? ")" : "", f);
			fputs("</p>\n", f);
			class_tally(f, c, number, unit);
			fputs("<div class=\"scroll\"><table>\n<tr><th "
			      "class=\"l\">machine</th><th>predicted</th>"
			      "<th>this machine should give</th><th>measured"
			      "</th><th>run valid?</th><th class=\"l\">verdict"
			      "</th></tr>\n",
			      f);
		}
		class_lesson_row(f, &c->sets[i], doc);
	}
	if (rows)
		fputs("</table></div>\n", f);
	return rows;
}

size_t class_lessons(FILE *f, const struct class_sets *c)
{
	int seen[CLASS_LESSONS_MAX] = {0}, any = 0;
	size_t shown = 0;
	for (size_t i = 0; i < c->n; i++) {
		/* checked by class_lesson_load: 1 <= n < CLASS_LESSONS_MAX */
		json_int_t n = json_integer_value(
			json_object_get(c->sets[i].lesson, "lesson"));
		if (n > 0 && n < CLASS_LESSONS_MAX)
			seen[n] = any = 1;
	}
	if (any) {
		fputs("<h2>The lessons: predictions against each machine</h2>\n"
		      "<p>A prediction is judged against what the machine "
		      "should give when its own run was too noisy to show the "
		      "claim (run valid: no); a right answer is never marked "
		      "wrong because of a bad run.</p>\n",
		      f);
		for (int n = 1; n < CLASS_LESSONS_MAX; n++)
			if (seen[n])
				shown += class_lesson_table(f, c, n);
	}
	return shown;
}
