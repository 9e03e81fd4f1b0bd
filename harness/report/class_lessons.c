// SPDX-License-Identifier: MIT
/* class_lessons.c - the students' predictions against their machines. */
#include "harness/report/class_lessons.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/html.h"

#define CLASS_LESSONS_MAX 64
#define CLASS_LESSON_MAX (1L << 20) /* lesson.json writes a few hundred B */

/* One set's lesson.json (NULL: none, or not a lesson's). */
struct class_lesson_doc {
	json_t *doc;
};

/* A set's lesson.json (NULL: none, or not a regular file of JSON of at
 * most CLASS_LESSON_MAX bytes). */
static json_t *class_lesson_load(const char *path)
{
	size_t len;
	const char *why;
	char *text = html_read_file(path, CLASS_LESSON_MAX, &len, &why);
	json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
	free(text);
	return doc;
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
	fprintf(f, "<td>%s</td><td class=\"l\">",
		json_is_false(shows) ? "no" : "yes");
	html_text(f, verdict ? verdict : "no prediction");
	fputs("</td></tr>\n", f);
}

/* The table of lesson `number`: one row per set that ran it. */
static size_t class_lesson_table(FILE *f, const struct class_sets *c,
				 const struct class_lesson_doc *docs,
				 int number)
{
	size_t rows = 0;
	for (size_t i = 0; i < c->n; i++) {
		json_t *doc = docs[i].doc;
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
			fputs("</p>\n<div class=\"scroll\"><table>\n<tr><th "
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
	struct class_lesson_doc *docs =
		calloc(c->n ? c->n : 1, sizeof(struct class_lesson_doc));
	int seen[CLASS_LESSONS_MAX] = {0};
	size_t shown = 0;
	if (!docs)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/lesson.json", c->sets[i].dir);
		docs[i].doc = class_lesson_load(path);
		json_int_t n = json_integer_value(
			json_object_get(docs[i].doc, "lesson"));
		if (n > 0 && n < CLASS_LESSONS_MAX)
			seen[n] = 1;
		else if (docs[i].doc) {
			json_decref(docs[i].doc);
			docs[i].doc = NULL;
		}
	}
	int any = 0;
	for (int n = 1; n < CLASS_LESSONS_MAX; n++)
		any |= seen[n];
	if (any) {
		fputs("<h2>The lessons: predictions against each machine</h2>\n"
		      "<p>A prediction is judged against what the machine "
		      "should give when its own run was too noisy to show the "
		      "claim (run valid: no); a right answer is never marked "
		      "wrong because of a bad run.</p>\n",
		      f);
		for (int n = 1; n < CLASS_LESSONS_MAX; n++)
			if (seen[n])
				shown += class_lesson_table(f, c, docs, n);
	}
	for (size_t i = 0; i < c->n; i++)
		json_decref(docs[i].doc);
	free(docs);
	return shown;
}
