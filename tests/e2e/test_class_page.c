// SPDX-License-Identifier: MIT
/*
 * test_class_page.c - the class page a teacher reads at a glance, and
 * report.html's numbers against its pictures (issue 26). The test makes
 * a class of hand-ins from real runs: ten students, each with a sweep
 * (compute and fetch, five models at C = 1, 2, 4: crowded x labels) and
 * lesson 1's set (their predictions edited: five close, one the right
 * order, four off, one run that could not show the claim), one student
 * whose sweep ran other sizes, a racy set (--sync none: lost updates), a
 * lesson 11's set (racy on purpose), a set whose summary.csv was cut
 * mid-row and one whose meta.json says "partial". Then: the wrong and partial sets are named at the top and
 * marked, the speedup plots leave them out, each lesson opens with its
 * tally, the odd setting is blamed on the right set, the labels do not
 * run together, the glossary defines only the page's words; report.html
 * shows PSS in its table as memory.gp does, and names its speedup plot
 * after the workload.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char dir[128];	/* the class and its runs */
static char *page;	/* class.html */
static char out[65536]; /* what the last command printed */
static char said[8192]; /* what concur class printed (its refusals) */

/* The runs the hand-ins are copied from: a sweep, a racy set (tried up
 * to 5 times: one schedule may lose no update), lesson 1's set. */
static const char make_runs[] =
	"(set -e; B=$(realpath %s); cd %s\n"
	"$B run --models sequential,threads,processes,eventloop,hybrid "
	"--workloads compute,fetch --tasks 4 --work 1 --delay 5 --workers "
	"1,2,4 --repeat 2 --no-plot --quiet --out base >/dev/null\n"
	"for t in 1 2 3 4 5; do rm -rf racy\n"
	"  $B run --models sequential,threads --workloads shared --sync none "
	"--tasks 8 --work 20 --workers 2 --repeat 1 --quiet --out racy "
	">/dev/null 2>&1 || true\n"
	"  grep -q '\"results_verified\": false' racy/latest/meta.json && "
	"break; done\n"
	"grep -q '\"results_verified\": false' racy/latest/meta.json\n"
	"echo 0.4 | $B lesson 1 --quick --out les >/dev/null)";

/* The hand-ins: student i's threads C=2 compute speedup is 1 + i/10, and
 * its prediction the i-th of the list; student09's sweep ran 8 tasks. */
static const char make_class[] =
	"(set -e; cd %s; mkdir in; i=0\n"
	/* a noisy attempt the lesson ran again has no lesson.json */
	"L=$(dirname $(ls les/2*/lesson.json | head -n 1))\n"
	"for p in 0.4:close 0.4:close 0.4:close 0.6:right_order 0.05:off "
	"0.05:off 0.05:off 30:off 0.41:close 0.4:shown_no; do\n"
	"  d=in/student0$i; mkdir $d; cp -r base/2*/ $d/run; cp -r $L/ "
	"$d/lesson\n"
	"  v=$(awk -v i=$i 'BEGIN{printf \"%%.4f\", 1 + i / 10}')\n"
	"  awk -F, -v OFS=, -v v=$v '$1==\"compute\" && $2==\"threads\" && "
	"$3==2 {$19=v} {print}' base/2*/summary.csv > $d/run/summary.csv\n"
	"  verdict=$(echo ${p#*:} | tr _ ' ')\n"
	"  sed -i \"s/\\\"prediction\\\": [^,]*/\\\"prediction\\\": ${p%%:*}/; "
	"s/\\\"verdict\\\": \\\"[^\\\"]*\\\"/\\\"verdict\\\": "
	"\\\"$verdict\\\"/\" "
	"$d/lesson/lesson.json\n"
	"  i=$((i+1)); done\n"
	"sed -i 's/\"verdict\": \"shown no\"/\"verdict\": \"close to what this "
	"machine should give\"/; s/\"run_shows_claim\": true/"
	"\"run_shows_claim\": false/' in/student09/lesson/lesson.json\n"
	"sed -i 's/^    \"tasks\": 4,/    \"tasks\": 8,/' "
	"in/student09/run/meta.json\n"
	"cp -r racy/2*/ in/racy-rita\n"
	/* lesson 11's racy run loses updates on purpose */
	"cp -r racy/2*/ in/lena; cp $L/lesson.json in/lena/\n"
	"sed -i 's/\"lesson\": 1,/\"lesson\": 11,/' in/lena/lesson.json\n"
	"cp -r base/2*/ in/cut-carl; s=base/2*/summary.csv\n"
	"{ head -n 4 $s; sed -n 5p $s | cut -c1-40 | tr -d '\\n'; } > "
	"in/cut-carl/summary.csv\n"
	"cp -r base/2*/ in/stopped-sam\n"
	"sed -i 's/\"status\": \"complete\"/\"status\": \"partial\"/' "
	"in/stopped-sam/meta.json)";

static void make_class_page(void)
{
	char script[8192], path[256];
	files_tmp_dir(dir, sizeof(dir), "class-page");
	snprintf(script, sizeof(script), make_runs, support_bin(), dir);
	int rc = support_concur_sh(script, "--version >/dev/null", out,
				   sizeof(out));
	ck_assert_msg(rc == 0, "the runs failed (%d):\n%s", rc, out);
	snprintf(script, sizeof(script), make_class, dir);
	rc = support_concur_sh(script, "--version >/dev/null", out,
			       sizeof(out));
	ck_assert_msg(rc == 0, "making the class failed (%d):\n%s", rc, out);
	snprintf(script, sizeof(script), "class --out %s/class.html %s/in", dir,
		 dir);
	rc = support_concur_sh("", script, out, sizeof(out));
	ck_assert_msg(rc == 0, "class exited %d:\n%s", rc, out);
	memcpy(said, out, sizeof(said) - 1); /* said[last] stays 0 */
	snprintf(path, sizeof(path), "%s/class.html", dir);
	page = files_read(path, NULL);
	ck_assert_ptr_nonnull(page);
}

static void remove_class_page(void)
{
	free(page);
	files_rm_dir(dir);
}

/* The text of the page's table row that starts with cell `first`. */
static char *row_of(const char *first, char *buf, size_t len)
{
	char start[128];
	snprintf(start, sizeof(start), "<tr><td>%s</td>", first);
	const char *at = strstr(page, start);
	ck_assert_msg(at != NULL, "no row %s; concur class said:\n%s", first,
		      said);
	size_t n = strcspn(at, "\n");
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), at);
	return buf;
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

START_TEST(the_wrong_and_partial_sets_are_named_at_the_top)
{
	const char *alerts = strstr(page, "<div id=\"alerts\">");
	const char *machines = strstr(page, "id=\"machines\"");
	ck_assert_msg(alerts && machines && alerts < machines,
		      "no alerts before the machines");
	char top[8192];
	snprintf(top, sizeof(top), "%.*s", (int)(machines - alerts), alerts);
	ck_assert_msg(strstr(top, "banner bad") &&
			      strstr(top, "<li class=\"wrong\"><b>racy-rita"
					  "</b>: shared threads C=2: lost "
					  "updates: up to ") &&
			      strstr(top, "(--sync none)"),
		      "the racy student is not named, with why:\n%s", top);
	ck_assert_msg(strstr(top, "<b>cut-carl</b>: summary.csv is cut off") &&
			      strstr(top, "<b>stopped-sam</b>: meta.json says "
					  "the run is &quot;partial&quot;"),
		      "the partial sets are not named:\n%s", top);
	ck_assert_msg(!strstr(top, "student0") && !strstr(top, "lena"),
		      "a right set, or a lesson's racy run, is blamed:\n%s",
		      top);
	char row[4096];
	ck_assert(strstr(row_of("racy-rita", row, sizeof(row)),
			 "<span class=\"wrong\">1 case(s) wrong</span>"));
	ck_assert(strstr(row_of("lena", row, sizeof(row)),
			 "complete; 1 case(s) wrong (a lesson's run)</td>"));
	row_of("cut-carl", row, sizeof(row));
	ck_assert_msg(strstr(row, ">partial<") && !strstr(row, "complete"),
		      "%s", row);
	ck_assert(strstr(row_of("student03/run", row, sizeof(row)),
			 "<td class=\"l\">complete</td>"));
}
END_TEST

START_TEST(the_speedup_plots_leave_out_wrong_partial_and_lesson_sets)
{
	/* 1.0 .. 1.9: the median of the ten students' sweeps; cut-carl and
	 * stopped-sam (copies of the same sweep) would make it 12 */
	ck_assert_msg(strstr(page, "<tr><td>threads</td><td>2</td><td>10</td>"
				   "<td>1.45</td><td>1.23&ndash;1.68</td>"),
		      "threads C=2 is not the ten complete sweeps");
	ck_assert_msg(
		strstr(page, "<tr class=\"wrong\"><td>threads (--sync "
			     "none)</td><td>2</td><td>0</td>") &&
			strstr(page, "<td class=\"l wrong\">1 wrong</td>"),
		"the racy case is plotted or not counted");
	ck_assert_msg(strstr(page, "the 11 set(s) a lesson made"),
		      "the lessons' sets are not said to be left out");
	/* the shared workload's only case was wrong: no dot, no empty
	 * frame, but a line that says so */
	const char *shared = strstr(page, "The shared workload");
	ck_assert_ptr_nonnull(shared);
	const char *end = strstr(shared, "<h2");
	char section[65536];
	snprintf(section, sizeof(section), "%.*s",
		 (int)(end ? end - shared : 60000), shared);
	ck_assert_int_eq(count(section, "<circle"), 0);
	ck_assert_msg(strstr(section, "Every case of this workload gave "
				      "wrong results"),
		      "%s", section);
}
END_TEST

START_TEST(each_lesson_section_opens_with_its_tally)
{
	const char *lesson = strstr(page, "<h3>Lesson 1: ");
	ck_assert_ptr_nonnull(lesson);
	const char *table = strstr(lesson, "<table>");
	char head[4096];
	snprintf(head, sizeof(head), "%.*s", (int)(table - lesson), lesson);
	ck_assert_msg(strstr(head, "<span class=\"v-close\">close 5</span>"
				   "<span class=\"v-order\">right order 1"
				   "</span><span class=\"v-off\">off 4</span>"),
		      "no tally:\n%s", head);
	ck_assert_msg(strstr(head, "Most common wrong answer: 0.05 s, given "
				   "by 3 of the 5 wrong."),
		      "%s", head);
	ck_assert_msg(strstr(head, "The machines should give 0.4 s"), "%s",
		      head);
	ck_assert_msg(strstr(head, "1 run(s) could not show the claim (run "
				   "valid: no): graded against what their "
				   "machine should give"),
		      "%s", head);
	ck_assert(strstr(page, "<td class=\"l v-off\">off</td>"));
}
END_TEST

START_TEST(an_odd_setting_is_blamed_on_the_set_that_has_it)
{
	char row[4096];
	ck_assert_int_eq(
		count(row_of("student09/run", row, sizeof(row)), "odd"), 1);
	ck_assert(strstr(row, "<td class=\"l odd\">8</td>"));
	/* the lessons ran their own sizes (delay 50, work 5): not odd */
	for (int i = 0; i < 10; i++) {
		char name[64];
		snprintf(name, sizeof(name), "student0%d/lesson", i);
		ck_assert_msg(count(row_of(name, row, sizeof(row)), "odd") == 0,
			      "%s", row);
		snprintf(name, sizeof(name), "student0%d/run", i);
		ck_assert_msg(i == 9 || count(row_of(name, row, sizeof(row)),
					      "odd") == 0,
			      "%s", row);
	}
}
END_TEST

START_TEST(crowded_labels_are_turned_and_the_glossary_is_the_pages)
{
	/* 12 slots of compute: "processes" is wider than its slot */
	const char *compute = strstr(page, "The compute workload");
	ck_assert_ptr_nonnull(compute);
	ck_assert_msg(strstr(compute, "transform='rotate(-35") &&
			      strstr(compute, ">processes C=4</text>"),
		      "the labels are not turned");
	static const char *const unused[] = {
		"interval", "x-ideal", "efficiency",  "p",
		"noisy",    "wall",    "peak-PSS-MiB"};
	for (size_t i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		char id[64];
		snprintf(id, sizeof(id), "id=\"def-%s\"", unused[i]);
		ck_assert_msg(!strstr(page, id), "%s defined", id);
	}
	/* and every word that links to the glossary is in it */
	for (const char *p = page; (p = strstr(p, "href=\"#def-")); p++) {
		char id[64], want[80];
		sscanf(p + 7, "%63[^\"]", id);
		snprintf(want, sizeof(want), "<dt id=\"%s\">", id);
		ck_assert_msg(strstr(page, want), "%s is not defined", id);
	}
}
END_TEST

START_TEST(report_shows_pss_in_the_table_as_in_the_plot)
{
	char args[512], path[300], csv[65536];
	snprintf(args, sizeof(args), "report %s/base/latest", dir);
	ck_assert_int_eq(support_concur_sh("", args, out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/base/latest/report.html", dir);
	char *html = files_read(path, NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert(strstr(html, ">peak PSS MiB</abbr>"));
	/* every case's cell is its peak_pss_kib (column 29), not its RSS */
	snprintf(path, sizeof(path), "%s/base/latest/summary.csv", dir);
	files_read_into(path, csv, sizeof(csv));
	int rows = 0;
	for (char *line = strchr(csv, '\n'); line && line[1];
	     line = strchr(line + 1, '\n')) {
		double rss = 0, pss = 0;
		char *f = line + 1;
		for (int col = 1; col <= 29 && f; col++, f = strchr(f, ',')) {
			f += col > 1;
			if (col == 12)
				rss = atof(f);
			if (col == 29)
				pss = atof(f);
		}
		char want[64];
		snprintf(want, sizeof(want), "<td>%.1f</td><td>yes</td>",
			 pss / 1024);
		ck_assert_msg(pss > 0 && strstr(html, want), "no %s", want);
		rows += (int)(rss - pss > 200);
	}
	ck_assert_msg(rows > 0, "RSS and PSS never differ: proves nothing");
	free(html);
	files_read_into("plots/memory.gp", csv, sizeof(csv));
	ck_assert(strstr(csv, "column('peak_pss_kib')"));
}
END_TEST

/* ... and marks its wrong case red, as the class page does. */
START_TEST(report_names_its_plots_after_what_they_draw)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/racy/latest/report.html", dir);
	char *html = files_read(path, NULL);
	ck_assert_ptr_nonnull(html);
	ck_assert_msg(strstr(html, "<h3>Speedup of the shared workload</h3>") &&
			      !strstr(html, "compute work"),
		      "the shared set's speedup plot is not titled after it");
	ck_assert_msg(strstr(html, "the shared workload has none") &&
			      strstr(html, "Peak memory (PSS)"),
		      "a caption promises what is not drawn");
	ck_assert_msg(strstr(html, "<tr class=\"wrong\"><td>threads</td>"
				   "<td>2</td>"),
		      "the racy case is not red in report.html");
	free(html);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("class_page");
	TCase *tc = runner_tcase(s, "class_page", 120);
	tcase_add_unchecked_fixture(tc, make_class_page, remove_class_page);
	tcase_add_test(tc, the_wrong_and_partial_sets_are_named_at_the_top);
	tcase_add_test(
		tc, the_speedup_plots_leave_out_wrong_partial_and_lesson_sets);
	tcase_add_test(tc, each_lesson_section_opens_with_its_tally);
	tcase_add_test(tc, an_odd_setting_is_blamed_on_the_set_that_has_it);
	tcase_add_test(tc,
		       crowded_labels_are_turned_and_the_glossary_is_the_pages);
	tcase_add_test(tc, report_shows_pss_in_the_table_as_in_the_plot);
	tcase_add_test(tc, report_names_its_plots_after_what_they_draw);
	return s;
}
