// SPDX-License-Identifier: MIT
/*
 * test_hostile_output.c - what concur shows of a hand-in runs nothing and
 * obeys nothing. A result set whose every field a page shows holds markup
 * (names, meta.json, lesson.json, the set's folder name) and whose SVG
 * pictures carry onload= and <script> gives a report.html and a class.html
 * on which headless Chromium runs nothing: the markup is text, the
 * pictures are images, and the pages' Content-Security-Policy stops even a
 * script put in by hand. A set with terminal control sequences in its
 * names, and a program that writes them on its stderr and in its results,
 * leave no raw control byte in what concur prints.
 *
 * The injected scripts would set the page's title to "PW" + "NED" (so the
 * word is in no source) and the injected elements have ids "pw...": the
 * DOM Chromium built must have neither. Screenshots are kept in
 * $BUILD/tests/report-shots/hostile-*.png for a person to look at.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char dir[128];	  /* the suite's scratch folder */
static char run_set[256]; /* a set as concur run made it */

/* ---- Making hostile sets --------------------------------------------- */

/* What a script injected into a page would do; the word is split so that
 * it is in no file, only in a page where a script ran. */
#define RUN "document.title='PW'+'NED'"

/* The markup the sets hold (no commas: the CSV files split at them). */
#define MARKUP_WORKLOAD "\"><b id=pw1>w"
#define MARKUP_MODEL "'\"><svg id=pw2 onload=" RUN ">"
#define MARKUP_SET_1 "s1<svg id=pw3 onload=" RUN ">"
#define MARKUP_SET_2 "s2\"><img id=pw4 src=x onerror=" RUN ">"

/* The text of path made by a function of the text (copied as is when fn
 * is NULL) into to. */
static void rewrite(const char *from, const char *to,
		    char *(*fn)(const char *text))
{
	char *text = files_read(from, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", from);
	char *out = fn ? fn(text) : text;
	FILE *f = fopen(to, "w");
	ck_assert_msg(f != NULL, "cannot write %s", to);
	fputs(out, f);
	fclose(f);
	if (out != text)
		free(out);
	free(text);
}

/* Every file of the set `from` copied into a new folder `to`. */
static void copy_set(const char *from, const char *to)
{
	ck_assert_int_eq(mkdir(to, 0755), 0);
	DIR *d = opendir(from);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char a[4096], b[4096];
		snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, e->d_name);
		struct stat st;
		if (stat(a, &st) == 0 && S_ISREG(st.st_mode))
			rewrite(a, b, NULL);
	}
	closedir(d);
}

/* A CSV file of the set with its names replaced: workload and model
 * (the first two fields; "threads" only), and every case noisy, slow on
 * its first run, with a timing difference and an estimated baseline, so
 * that the report's notes name each case. */
static void rename_cases(const char *set, const char *file,
			 const char *workload, const char *model)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", set, file);
	char *text = files_read(path, NULL);
	ck_assert_ptr_nonnull(text);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	const char *marks[] = {"noisy", "first_outlier", "timing_diffs",
			       "baseline"};
	const char *values[] = {"yes", "yes", "1", "estimated"};
	int cols[4] = {-1, -1, -1, -1};
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int header = strncmp(line, "workload,", 9) == 0;
		char *fsave = NULL;
		int k = 0;
		for (char *field = strtok_r(line, ",", &fsave); field;
		     field = strtok_r(NULL, ",", &fsave), k++) {
			const char *out = field;
			for (int m = 0; m < 4; m++) {
				if (header && strcmp(field, marks[m]) == 0)
					cols[m] = k;
				if (!header && cols[m] == k)
					out = values[m];
			}
			if (!header && k == 0)
				out = workload;
			if (!header && k == 1 && strcmp(field, "threads") == 0)
				out = model;
			fprintf(f, "%s%s", k ? "," : "", out);
		}
		fputc('\n', f);
	}
	fclose(f);
	free(text);
}

/* meta.json's strings replaced by value (its sections' too), and a key of
 * options named key. */
static void poison_meta(const char *set, const char *value, const char *key)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/meta.json", set);
	json_t *meta = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(meta);
	const char *sections[] = {"machine", "versions", "options"};
	for (size_t i = 0; i < 3; i++) {
		json_t *s = json_object_get(meta, sections[i]);
		const char *k;
		json_t *v;
		json_object_foreach(s, k, v)
		{
			if (json_is_string(v))
				json_object_set_new(s, k, json_string(value));
		}
	}
	json_object_set_new(meta, "command", json_string(value));
	json_object_set_new(meta, "date", json_string(value));
	json_object_set_new(meta, "status", json_string(value));
	json_object_set_new(meta, "reason", json_string(value));
	json_object_set_new(json_object_get(meta, "options"), key,
			    json_string(value));
	ck_assert_int_eq(json_dump_file(meta, path, JSON_INDENT(2)), 0);
	json_decref(meta);
}

/* A picture that runs a script when it is inlined or opened on its own. */
static char *poison_svg(const char *svg)
{
	static const char onload[] = "<svg onload=\"" RUN "\" ";
	static const char script[] =
		"<script>" RUN "</script><foreignObject><div "
		"xmlns=\"http://www.w3.org/1999/xhtml\" id=\"pw20\">x</div>"
		"</foreignObject></svg>";
	const char *open = strstr(svg, "<svg ");
	const char *close = strstr(svg, "</svg>");
	ck_assert(open && close);
	char *out = malloc(strlen(svg) + sizeof(onload) + sizeof(script));
	ck_assert_ptr_nonnull(out);
	sprintf(out, "%.*s%s%.*s%s%s", (int)(open - svg), svg, onload,
		(int)(close - open - 5), open + 5, script, close + 6);
	return out;
}

/* A set of markup: its names, meta.json, lesson.json and pictures. */
static void make_markup_set(const char *to, const char *value)
{
	copy_set(run_set, to);
	rename_cases(to, "summary.csv", MARKUP_WORKLOAD, MARKUP_MODEL);
	rename_cases(to, "runs.csv", MARKUP_WORKLOAD, MARKUP_MODEL);
	poison_meta(to, value, "<b id=pw12>k");
	char path[4096];
	snprintf(path, sizeof(path), "%s/lesson.json", to);
	json_t *lesson = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:b}", "lesson", 1,
		"title", "<b id=pw13>t", "question",
		"<script id=pw14>" RUN "</script>", "unit", "\"><b id=pw15>u",
		"verdict", "<b id=pw16>javascript:" RUN, "prediction", 0.4,
		"expected_value", 0.5, "measured_value", 0.5, "run_shows_claim",
		1);
	ck_assert_int_eq(json_dump_file(lesson, path, 0), 0);
	json_decref(lesson);
	DIR *d = opendir(to);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".svg") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", to, e->d_name);
		rewrite(path, path, poison_svg);
	}
	closedir(d);
}

/* `concur ARGS` (a printf format; sh runs it, so more commands may
 * follow), stdout and stderr into out; the last one's exit status must
 * be want. */
static void concur_expect(int want, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void concur_expect(int want, char *out, size_t len, const char *fmt, ...)
{
	char args[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	int rc = support_concur_sh("", args, out, len);
	ck_assert_msg(rc == want, "concur %s: exit %d, not %d:\n%s", args, rc,
		      want, out);
}

static void make_sets(void)
{
	char out[65536];
	files_tmp_dir(dir, sizeof(dir), "hostile");
	concur_expect(0, out, sizeof(out),
		      "run --models sequential,threads --workloads compute "
		      "--tasks 4 --work 1 --workers 1,2 --repeat 2 --quiet "
		      "--out %s/run",
		      dir);
	snprintf(run_set, sizeof(run_set), "%s/run/latest", dir);
}

static void remove_sets(void)
{
	files_rm_dir(dir);
}

/* ---- Looking at the pages -------------------------------------------- */

/* s in single quotes for sh. */
static const char *sq(const char *s, char *buf, size_t len)
{
	size_t used = 0;
	buf[used++] = '\'';
	for (; *s && used + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + used, "'\\''", 4);
			used += 4;
		} else {
			buf[used++] = *s;
		}
	}
	buf[used++] = '\'';
	buf[used] = '\0';
	return buf;
}

static int have_chromium(void)
{
	if (system("command -v chromium >/dev/null 2>&1") == 0)
		return 1;
	printf("skipped: chromium is not installed (apt-get install "
	       "chromium; CI installs it from .ci/packages-dev)\n");
	return 0;
}

/* The DOM headless Chromium built from page (malloc'd), and a screenshot
 * of it as shot (when not NULL). */
static char *chromium_dom(const char *page, const char *shot)
{
	const char *flags =
		"--headless --no-sandbox --disable-gpu --no-first-run "
		"--disable-dev-shm-usage --disable-background-networking "
		"--disable-component-update --disable-sync";
	char cmd[8192], dom[4200];
	snprintf(dom, sizeof(dom), "%s.dom", page);
	int n = snprintf(cmd, sizeof(cmd),
			 "u=$(mktemp -d); chromium %s --user-data-dir=$u "
			 "--dump-dom file://%s >%s 2>/dev/null; ",
			 flags, page, dom);
	if (shot)
		snprintf(cmd + n, sizeof(cmd) - (size_t)n,
			 "chromium %s --user-data-dir=$u --screenshot=%s "
			 "--window-size=1280,2400 file://%s >/dev/null 2>&1; ",
			 flags, shot, page);
	strncat(cmd, "rm -rf $u", sizeof(cmd) - strlen(cmd) - 1);
	ck_assert_int_eq(system(cmd), 0);
	char *text = files_read(dom, NULL);
	ck_assert_msg(text && strstr(text, "</html>"),
		      "chromium drew no DOM for %s", page);
	return text;
}

/* Nothing of the markup became an element, no script ran. */
static void assert_nothing_ran(const char *dom, const char *page)
{
	ck_assert_msg(!strstr(dom, "PWNED"), "a script ran on %s", page);
	const char *el = strstr(dom, "id=\"pw");
	ck_assert_msg(!el, "markup became an element on %s: %.80s", page, el);
	ck_assert_msg(strstr(dom, "<title>concur: ") ||
			      strstr(dom, "<title>The class"),
		      "the title of %s changed", page);
}

static const char *shots_dir(char *buf, size_t len)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	snprintf(buf, len, "%s/tests/report-shots", build);
	mkdir(buf, 0755);
	return buf;
}

/* ---- The pages -------------------------------------------------------- */

/* Every string of meta.json: a script, an element with a handler, a
 * javascript: URL, a way out of an attribute and of <code>, a style. */
#define MARKUP_META                                                            \
	"\"'></code><script>" RUN "</script><img id=pw5 src=x onerror=" RUN    \
	"><a id=pw6 href=javascript:" RUN ">j</a><style>body{display:none}"    \
	"</style>"

/* Two sets of markup in DIR/class (their folder names are markup too):
 * report.html of the first, compared with the second, and class.html of
 * both, each copied to a plain name for Chromium. */
static void make_pages(char *report, char *class_page, size_t len)
{
	char a[512], b[512], qa[1200], qb[1200], qc[512];
	char out[65536];
	snprintf(a, sizeof(a), "%s/class", dir);
	ck_assert_int_eq(mkdir(a, 0755), 0);
	snprintf(a, sizeof(a), "%s/class/%s", dir, MARKUP_SET_1);
	snprintf(b, sizeof(b), "%s/class/%s", dir, MARKUP_SET_2);
	make_markup_set(a, MARKUP_META);
	make_markup_set(b, MARKUP_META "2"); /* a setting differs */
	snprintf(class_page, len, "%s/class.html", dir);
	snprintf(qc, sizeof(qc), "%s/class", dir);
	concur_expect(0, out, sizeof(out),
		      "report %s --compare %s && %s class --out %s %s",
		      sq(a, qa, sizeof(qa)), sq(b, qb, sizeof(qb)),
		      support_bin(), class_page, qc);
	char from[1024];
	snprintf(from, sizeof(from), "%s/report.html", a);
	snprintf(report, len, "%s/report.html", dir);
	rewrite(from, report, NULL);
}

START_TEST(markup_in_a_set_runs_nothing_on_its_pages)
{
	char report[512], class_page[512], shots[512], shot[700];
	make_pages(report, class_page, sizeof(report));
	char *html = files_read(report, NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_msg(!strstr(html, "<script") && !strstr(html, "<svg") &&
			      !strstr(html, "<b id=pw") &&
			      !strstr(html, "<img id=pw") &&
			      strstr(html, "<img class=\"plot\" alt=\"") &&
			      strstr(html, "src=\"data:image/svg+xml;base64,"),
		      "the report inlines markup or pictures");
	ck_assert_msg(strstr(html, "&lt;b id=pw1&gt;w ") &&
			      strstr(html, "&lt;svg id=pw2 onload="),
		      "the notes do not name the cases, escaped");
	free(html);
	if (!have_chromium())
		return;
	const char *pages[][2] = {{report, "hostile-report.png"},
				  {class_page, "hostile-class.png"}};
	for (size_t i = 0; i < 2; i++) {
		snprintf(shot, sizeof(shot), "%s/%s",
			 shots_dir(shots, sizeof(shots)), pages[i][1]);
		unlink(shot);
		char *dom = chromium_dom(pages[i][0], shot);
		assert_nothing_ran(dom, pages[i][0]);
		ck_assert_msg(strstr(dom, "&lt;script&gt;document.title="),
			      "the markup is not shown as text on %s",
			      pages[i][0]);
		free(dom);
		struct stat st;
		ck_assert_msg(stat(shot, &st) == 0 && st.st_size > 20000,
			      "no screenshot of %s", pages[i][0]);
		printf("screenshot: %s\n", shot);
	}
}
END_TEST

/* The policy alone: a page with a script and handlers put in by hand
 * (as a missed escape would) still runs none of them. */
START_TEST(the_pages_policy_stops_a_script_an_escape_missed)
{
	if (!have_chromium())
		return;
	static const char injected[] =
		"<body>\n<script>" RUN "</script><img src=x onerror=\"" RUN
		"\"><svg onload=\"" RUN "\"></svg><iframe srcdoc=\"<script>"
		"parent." RUN "</script>\"></iframe>";
	char page[512], from[512];
	snprintf(from, sizeof(from), "%s/report.html", run_set);
	snprintf(page, sizeof(page), "%s/injected.html", dir);
	char *html = files_read(from, NULL);
	ck_assert_ptr_nonnull(html);
	char *body = strstr(html, "<body>\n");
	ck_assert_ptr_nonnull(body);
	FILE *f = fopen(page, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s%s%s", (int)(body - html), html, injected,
		body + strlen("<body>\n"));
	fclose(f);
	free(html);
	char *dom = chromium_dom(page, NULL);
	ck_assert_msg(!strstr(dom, "PWNED"), "an injected script ran");
	free(dom);
}
END_TEST

/* ---- The terminal ----------------------------------------------------- */

/* No byte in out that a terminal obeys: C0 controls but \n and \t, DEL,
 * and the C1 CSI (UTF-8 c2 9b); and the escapes shown as text. */
static void assert_no_control(const char *out, const char *what)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		int control = (*p < 0x20 && *p != '\n' && *p != '\t') ||
			      *p == 0x7f || (p[0] == 0xc2 && p[1] == 0x9b);
		ck_assert_msg(!control,
			      "%s: a raw control byte 0x%02x at offset %ld",
			      what, *p, (long)(p - (const unsigned char *)out));
	}
	ck_assert_msg(strstr(out, "\\x1b"), "%s: the escape is not shown:\n%s",
		      what, out);
}

#define ESC_WORKLOAD "c\033]0;PWNED\007"
#define ESC_MODEL "t\033[2J\302\2332J\177"

START_TEST(control_bytes_in_a_set_reach_no_terminal)
{
	char a[512], b[512], qa[1200], qb[1200], out[65536];
	snprintf(a, sizeof(a), "%s/e1\033]0;PWNED\007", dir);
	snprintf(b, sizeof(b), "%s/e2\033[2J", dir);
	copy_set(run_set, a);
	copy_set(run_set, b);
	const char *sets[] = {a, b};
	for (size_t i = 0; i < 2; i++) {
		rename_cases(sets[i], "summary.csv", ESC_WORKLOAD, ESC_MODEL);
		rename_cases(sets[i], "runs.csv", ESC_WORKLOAD, ESC_MODEL);
		/* a key (printed as it is) and a value that differ */
		poison_meta(sets[i],
			    i ? "\302\233"
				"2J"
			      : "\033[2J",
			    "k\033]0;PWNED\007");
	}
	/* the only-in-A and only-in-B lines */
	rename_cases(b, "summary.csv", "d\033[2J", ESC_MODEL);
	sq(a, qa, sizeof(qa));
	sq(b, qb, sizeof(qb));
	concur_expect(2, out, sizeof(out),
		      "compare %s %s; %s report %s; %s class --out %s/e.html "
		      "%s %s; %s compare %s %s/none\033[2J",
		      qa, qb, support_bin(), qa, support_bin(), dir, qa, qb,
		      support_bin(), qa, dir);
	assert_no_control(out, "compare, report and class");
	ck_assert_msg(strstr(out, "only in A") && strstr(out, "only in B") &&
			      strstr(out, "report: ") &&
			      strstr(out, "class: ") &&
			      strstr(out, "not a result set"),
		      "a command said less than it should:\n%s", out);
}
END_TEST

/* A model program (a fake Python: tests/e2e/fake-models/escapes.sh)
 * writes escapes on its stderr, in a task's message and in a line that
 * is not JSON: the run passes on its stderr and prints the note and the
 * wrong result, all made safe. */
START_TEST(control_bytes_from_a_program_reach_no_terminal)
{
	char out[65536];
	concur_expect(1, out, sizeof(out), /* 1: the results are wrong */
		      "run --python tests/e2e/fake-models/escapes.sh --models "
		      "py-threads --workloads compute --tasks 2 --work 1 "
		      "--workers 1 --repeat 1 --no-plot --out %s/fake",
		      dir);
	assert_no_control(out, "concur run of a hostile program");
	ck_assert_msg(
		strstr(out, "\\x1b]0;PWNED\\x07\\x1b[2Jstderr: cleared") &&
			strstr(out, "CSI \\xc2\\x9b2J and DEL \\x7f") &&
			strstr(out, "the first: \\x1b[31mnot JSON") &&
			strstr(out, "sum 0000000000000000: "
				    "\\x1b]0;PWNED\\x07"),
		"the program's words are not all shown:\n%s", out);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_output");
	TCase *tc = runner_tcase(s, "hostile output", 300);
	tcase_add_unchecked_fixture(tc, make_sets, remove_sets);
	tcase_add_test(tc, markup_in_a_set_runs_nothing_on_its_pages);
	tcase_add_test(tc, the_pages_policy_stops_a_script_an_escape_missed);
	tcase_add_test(tc, control_bytes_in_a_set_reach_no_terminal);
	tcase_add_test(tc, control_bytes_from_a_program_reach_no_terminal);
	return s;
}
