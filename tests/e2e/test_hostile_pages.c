// SPDX-License-Identifier: MIT
/*
 * test_hostile_pages.c - what concur's pages show of a hand-in runs
 * nothing. A result set whose every field a page shows holds markup
 * (names, meta.json, lesson.json, the set's folder name) and whose SVG
 * pictures carry onload= and <script> gives a report.html and a class.html
 * on which headless Chromium runs nothing: the markup is text, the
 * pictures are images, and the pages' Content-Security-Policy stops even a
 * script put in by hand. What reaches the terminal is
 * test_hostile_terminal.c; the sets both make, tests/support/hostile_set.h.
 *
 * The injected scripts would set the page's title to "PW" + "NED" (so the
 * word is in no source) and the injected elements have ids "pw...": the
 * DOM Chromium built must have neither. Screenshots are kept in
 * $BUILD/tests/report-shots/hostile-*.png for a person to look at.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/hostile_set.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- Making sets of markup ------------------------------------------- */

/* What a script injected into a page would do; the word is split so that
 * it is in no file, only in a page where a script ran. */
#define RUN "document.title='PW'+'NED'"

/* The markup the sets hold (no commas: the CSV files split at them). */
#define MARKUP_WORKLOAD "\"><b id=pw1>w"
#define MARKUP_MODEL "'\"><svg id=pw2 onload=" RUN ">"
#define MARKUP_SET_1 "s1<svg id=pw3 onload=" RUN ">"
#define MARKUP_SET_2 "s2\"><img id=pw4 src=x onerror=" RUN ">"

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
	hostile_copy_set(hostile_run_set, to);
	hostile_rename_cases(to, "summary.csv", MARKUP_WORKLOAD, MARKUP_MODEL);
	hostile_rename_cases(to, "runs.csv", MARKUP_WORKLOAD, MARKUP_MODEL);
	hostile_poison_meta(to, value, "<b id=pw12>k");
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
		hostile_rewrite(path, path, poison_svg);
	}
	closedir(d);
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
	snprintf(a, sizeof(a), "%s/class", hostile_dir);
	ck_assert_int_eq(mkdir(a, 0755), 0);
	snprintf(a, sizeof(a), "%s/class/%s", hostile_dir, MARKUP_SET_1);
	snprintf(b, sizeof(b), "%s/class/%s", hostile_dir, MARKUP_SET_2);
	make_markup_set(a, MARKUP_META);
	make_markup_set(b, MARKUP_META "2"); /* a setting differs */
	snprintf(class_page, len, "%s/class.html", hostile_dir);
	snprintf(qc, sizeof(qc), "%s/class", hostile_dir);
	hostile_concur_expect(0, out, sizeof(out),
			      "report %s --compare %s && %s class --out %s %s",
			      hostile_sq(a, qa, sizeof(qa)),
			      hostile_sq(b, qb, sizeof(qb)), support_bin(),
			      class_page, qc);
	char from[1024];
	snprintf(from, sizeof(from), "%s/report.html", a);
	snprintf(report, len, "%s/report.html", hostile_dir);
	hostile_rewrite(from, report, NULL);
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
	snprintf(from, sizeof(from), "%s/report.html", hostile_run_set);
	snprintf(page, sizeof(page), "%s/injected.html", hostile_dir);
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

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_pages");
	TCase *tc = runner_tcase(s, "hostile pages", 300);
	tcase_add_unchecked_fixture(tc, hostile_sets_make, hostile_sets_remove);
	tcase_add_test(tc, markup_in_a_set_runs_nothing_on_its_pages);
	tcase_add_test(tc, the_pages_policy_stops_a_script_an_escape_missed);
	return s;
}
