// SPDX-License-Identifier: MIT
/*
 * test_report.c - the pages a teacher projects: `concur report` writes one
 * self-contained report.html (no http: or https: anywhere, every section,
 * SVG pictures as data: images) that headless Chromium opens and draws;
 * `concur compare` gives an interval, a p-value and a verdict, and says
 * when the runs are too few; `concur class` gathers 21 synthetic sets
 * (folders, a .tar.gz, a .zip) into one page with the right medians and
 * the outlier named, refusing the three broken ones in one line each.
 *
 * Chromium is Debian's `chromium` (.ci/packages-dev); without it the
 * browser test says why and passes. Screenshots are kept in
 * $BUILD/tests/report-shots/ for a person to look at.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/runner.h"

static char dir[64]; /* this run's temporary folder */
static char set_a[256], set_b[256];

static const char *bin(void)
{
	return getenv("CONCUR_BIN") ? getenv("CONCUR_BIN") : "build/concur";
}

/* Runs cmd through sh, stdout and stderr into out; the exit status. */
static int run_sh(const char *cmd, char *out, size_t len)
{
	char full[16384];
	snprintf(full, sizeof(full), "(%s) 2>&1 </dev/null", cmd);
	FILE *p = popen(full, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	while (fgetc(p) != EOF)
		;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The whole of a file (malloc'd), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
	if (buf)
		buf[got] = '\0';
	fclose(f);
	return buf;
}

/* Two small sets, 4 runs a case (enough for a test), A with plots. */
static void make_sets(void)
{
	char cmd[4096], out[65536];
	snprintf(dir, sizeof(dir), "/tmp/concur-report-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	const char *common = "--models sequential,threads --workloads "
			     "compute,fetch --tasks 4 --work 1 --delay 5 "
			     "--repeat 4 --quiet";
	snprintf(cmd, sizeof(cmd),
		 "%s run %s --workers 1,2 --out %s/a && "
		 "%s run %s --workers 1,4 --no-plot --out %s/b",
		 bin(), common, dir, bin(), common, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "runs failed (%d):\n%s", rc, out);
	snprintf(set_a, sizeof(set_a), "%s/a/latest", dir);
	snprintf(set_b, sizeof(set_b), "%s/b/latest", dir);
}

static void remove_sets(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

START_TEST(run_writes_a_self_contained_report)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/report.html", set_a);
	char *html = slurp(path);
	ck_assert_msg(html != NULL, "concur run wrote no %s", path);
	ck_assert_msg(!strstr(html, "http:") && !strstr(html, "https:"),
		      "the page refers to the network");
	ck_assert_msg(!strstr(html, "<script") && !strstr(html, "<link") &&
			      !strstr(html, "@import") &&
			      !strstr(html, "src=\"http") &&
			      strstr(html, "Content-Security-Policy"),
		      "the page loads something");
	static const char *const sections[] = {
		"id=\"verification\"", "id=\"settings\"",
		"id=\"summary\"",      "id=\"plots\"",
		"id=\"timeline\"",     "id=\"notes\"",
		"id=\"definitions\"",  "<img class=\"plot\"",
		"id=\"def-speedup\"",  "href=\"#def-speedup\""};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		ck_assert_msg(strstr(html, sections[i]), "no %s", sections[i]);
	free(html);
	/* --no-plot: no pictures, so no page either */
	snprintf(path, sizeof(path), "%s/report.html", set_b);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(report_compares_with_another_set)
{
	char cmd[1024], out[65536], path[512];
	snprintf(cmd, sizeof(cmd), "%s report %s --compare %s", bin(), set_b,
		 set_a);
	ck_assert_int_eq(run_sh(cmd, out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/report.html", set_b);
	char *html = slurp(path);
	ck_assert_ptr_nonnull(html);
	ck_assert_msg(strstr(html, "id=\"compared\""), "no comparison");
	ck_assert_msg(strstr(html, "options.workers"), "no settings listed");
	ck_assert(!strstr(html, "http:") && !strstr(html, "https:"));
	free(html);
	snprintf(cmd, sizeof(cmd), "%s report %s/nothing", bin(), dir);
	ck_assert_int_eq(run_sh(cmd, out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, "not a result set"), "%s", out);
}
END_TEST

START_TEST(compare_gives_an_interval_a_test_and_a_verdict)
{
	char cmd[1024], out[65536];
	snprintf(cmd, sizeof(cmd), "%s compare %s %s", bin(), set_a, set_b);
	ck_assert_int_eq(run_sh(cmd, out, sizeof(out)), 0);
	char *settings = strstr(out, "options.workers:");
	char *table = strstr(out, "95% interval");
	ck_assert_msg(settings && table && settings < table, "%s", out);
	ck_assert_msg(strstr(out, "compute,threads,1 ") &&
			      (strstr(out, "no measurable difference") ||
			       strstr(out, "B is faster") ||
			       strstr(out, "B is slower")),
		      "%s", out);
	ck_assert_msg(!strstr(out, "too few runs"), "%s", out);
}
END_TEST

START_TEST(compare_says_when_the_runs_are_too_few)
{
	char cmd[2048], out[65536];
	snprintf(cmd, sizeof(cmd),
		 "%s run --models threads --workloads compute --work 1 "
		 "--tasks 2 --workers 2 --repeat 2 --no-plot --quiet --out "
		 "%s/few >/dev/null && %s compare %s/few/latest %s/few/latest",
		 bin(), dir, bin(), dir, dir);
	ck_assert_int_eq(run_sh(cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "too few runs to tell") &&
			      strstr(out, "--repeat 5"),
		      "%s", out);
}
END_TEST

/* 21 copies of A and B: hosts, cores and threads' speedups edited (set i
 * gets 1 + i/10, the last one 40), 2 of them handed in as archives, and 3
 * broken sets. */
static const char make_class[] =
	"set -e; cd %s; mkdir in; i=0; for s in a/2* b/2*; do\n"
	"  for k in 1 2 3 4 5 6 7 8 9 10 11; do [ $i -le 20 ] || break\n"
	"    d=in/student$(printf %%02d $i); cp -r $s $d\n"
	"    sed -i \"s/\\\"host\\\": \\\"[^\\\"]*\\\"/\\\"host\\\": "
	"\\\"laptop-$i\\\"/; s/\\\"cores\\\": [0-9]*/\\\"cores\\\": "
	"$((2 + i %% 3 * 2))/\" $d/meta.json\n"
	"    v=$(awk -v i=$i 'BEGIN{printf \"%%.4f\", i==20 ? 40 : 1+i/10}')\n"
	"    awk -F, -v OFS=, -v v=$v 'NR>1 && $2==\"threads\" {$19=v} "
	"{print}' $s/summary.csv > $d/summary.csv\n"
	"    i=$((i+1)); done; done\n"
	"mv in/student20 in/zz-outlier\n"
	"(cd in && tar czf alice.tar.gz student03 && rm -r student03)\n"
	"(command -v zip >/dev/null && cd in && zip -qr bob.zip student04 "
	"&& rm -r student04) || "
	"mv in/student04 in/bob\n"
	"mkdir in/broken-json; echo '{' > in/broken-json/meta.json\n"
	"echo x > in/broken-json/summary.csv\n"
	"mkdir in/broken-csv; cp in/student00/meta.json in/broken-csv/\n"
	"echo a,b > in/broken-csv/summary.csv\n"
	"echo not-an-archive > in/broken.tar.gz\n";

START_TEST(class_page_gathers_twenty_one_machines)
{
	char cmd[8192], out[65536], path[512];
	if (system("command -v zip >/dev/null 2>&1") != 0)
		printf("the .zip hand-in is a folder: zip is not "
		       "installed (CI installs them from .ci/packages-dev)\n");
	snprintf(cmd, sizeof(cmd), make_class, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "making the class failed:\n%s", out);
	snprintf(cmd, sizeof(cmd), "%s class --out %s/class.html %s/in", bin(),
		 dir, dir);
	rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "class exited %d:\n%s", rc, out);
	ck_assert_msg(strstr(out, "(21 sets, 3 refused)"), "%s", out);
	ck_assert_msg(strstr(out, "broken-json refused: meta.json") &&
			      strstr(out, "broken-csv refused: summary.csv") &&
			      strstr(out, "broken.tar.gz refused: is not a "
					  "readable .tar.gz"),
		      "%s", out);
	snprintf(path, sizeof(path), "%s/class.html", dir);
	char *html = slurp(path);
	ck_assert_ptr_nonnull(html);
	/* threads at C=1: 1.0 .. 2.9 and 40: median 2.00, quartiles
	 * 1.50-2.50; 40 is beyond the fence and named */
	ck_assert_msg(strstr(html, "<td>threads</td><td>1</td><td>21</td>"
				   "<td>2.00</td><td>1.50&ndash;2.50</td>"),
		      "wrong distribution for threads C=1");
	ck_assert_msg(strstr(html, "zz-outlier: threads C=1 measured 40.00"),
		      "the outlier is not named");
	ck_assert_msg(strstr(html, "alice.tar.gz") && strstr(html, "laptop-7"),
		      "a machine is missing");
	ck_assert(!strstr(html, "http:") && !strstr(html, "https:"));
	free(html);
	snprintf(cmd, sizeof(cmd), "%s class %s/in/broken-csv", bin(), dir);
	ck_assert_int_eq(run_sh(cmd, out, sizeof(out)), 2);
}
END_TEST

/* Opens page in headless Chromium: a screenshot, and the DOM it built. */
/* Two students answer lesson 1 (one right, one far off): the class page
 * shows each prediction beside what the machine should give, what it
 * measured and the verdict, read from the lesson.json in each set. */
START_TEST(class_page_shows_the_lesson_predictions)
{
	char cmd[4096], out[65536];
	snprintf(cmd, sizeof(cmd),
		 "echo 0.4 | %s lesson 1 --quick --out %s/lessons/right && "
		 "echo 30 | %s lesson 1 --quick --out %s/lessons/far && "
		 "%s class --out %s/lessons.html %s/lessons",
		 bin(), dir, bin(), dir, bin(), dir, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	char path[300];
	snprintf(path, sizeof(path), "%s/lessons.html", dir);
	char *page = slurp(path);
	ck_assert_ptr_nonnull(page);
	ck_assert_msg(strstr(page, "predictions against each machine") &&
			      strstr(page, "<h3>Lesson 1: ") &&
			      strstr(page, "<td>0.4</td>") &&
			      strstr(page, "<td>30</td>") &&
			      strstr(page, ">close") && strstr(page, ">off<"),
		      "%s", page);
	free(page);
}
END_TEST

/* A hand-in with a run and a lesson's set side by side (as TEACHING.md
 * advises) gives both, each named by the hand-in and its folder; only
 * the first was taken, the other lost at random by directory order. */
START_TEST(class_takes_every_set_of_a_hand_in)
{
	char cmd[4096], out[65536];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/both/ana && cp -r %s/a/2* %s/both/ana/ && "
		 "echo 0.4 | %s lesson 1 --quick --out %s/both/ana/lesson && "
		 "%s class --out %s/both.html %s/both",
		 dir, dir, dir, bin(), dir, bin(), dir, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	ck_assert_msg(strstr(out, "(2 sets, 0 refused)"), "%s", out);
	char path[300];
	snprintf(path, sizeof(path), "%s/both.html", dir);
	char *page = slurp(path);
	ck_assert_ptr_nonnull(page);
	ck_assert_msg(strstr(page, "<h3>Lesson 1: ") &&
			      strstr(page, "ana/lesson/") &&
			      strstr(page, "ana/2"),
		      "a set of the hand-in is missing");
	free(page);
}
END_TEST

/* --sync changes what the shared workload measures: meta.json records
 * it, report.html shows it, and compare lists it among the settings that
 * differ (it said "none" between mutex and sharded-padded). */
START_TEST(the_sync_strategy_is_recorded_shown_and_compared)
{
	char cmd[4096], out[65536];
	snprintf(cmd, sizeof(cmd),
		 "for s in mutex sharded-padded; do %s run --models threads "
		 "--workloads shared --sync $s --workers 2 --tasks 4 --work 1 "
		 "--repeat 1 --no-plot --quiet --out %s/sync-$s >/dev/null "
		 "|| exit 1; done; %s report %s/sync-mutex/latest >/dev/null "
		 "&& %s compare %s/sync-mutex/latest "
		 "%s/sync-sharded-padded/latest",
		 bin(), dir, bin(), dir, bin(), dir, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	ck_assert_msg(strstr(out, "options.sync: \"mutex\" (A) vs "
				  "\"sharded-padded\" (B)"),
		      "%s", out);
	char path[300];
	snprintf(path, sizeof(path), "%s/sync-mutex/latest/report.html", dir);
	char *page = slurp(path);
	ck_assert_ptr_nonnull(page);
	ck_assert_msg(strstr(page, "(--sync)</th><td class=\"l\">mutex<"),
		      "report.html does not show --sync");
	free(page);
}
END_TEST

/* A set with wrong results (a racy counter) is said before the table,
 * and its cases marked: their times are not a speed to compare. */
START_TEST(compare_warns_of_wrong_results)
{
	char cmd[4096], out[65536];
	snprintf(cmd, sizeof(cmd),
		 "%s run --models threads --workloads shared --sync none "
		 "--workers 2 --tasks 8 --work 20 --repeat 1 --no-plot "
		 "--quiet --out %s/racy >/dev/null; %s compare "
		 "%s/sync-mutex/latest %s/racy/latest",
		 bin(), dir, bin(), dir, dir);
	/* Up to 5 tries: one schedule may interleave nowhere. */
	int rc = 0;
	for (int t = 0; t < 5; t++) {
		rc = run_sh(cmd, out, sizeof(out));
		if (rc != 0 || strstr(out, "Warning: B"))
			break;
	}
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	ck_assert_msg(
		strstr(out, "Warning: B has wrong results in 1 case(s)") &&
			!strstr(out, "Warning: A") &&
			strstr(out, " (wrong results)"),
		"%s", out);
	ck_assert_msg(strstr(out, "case(s) were tested at once") &&
			      strstr(out, "p Holm"),
		      "%s", out);
}
END_TEST

START_TEST(chromium_draws_the_report_and_the_class_page)
{
	if (system("command -v chromium >/dev/null 2>&1") != 0) {
		printf("skipped: chromium is not installed (apt-get install "
		       "chromium; CI installs it from .ci/packages-dev)\n");
		return;
	}
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char shots[512], cmd[4096], out[1 << 20];
	snprintf(shots, sizeof(shots), "%s/tests/report-shots", build);
	mkdir(shots, 0755);
	const char *pages[][3] = {{set_a, "report.html", "report"},
				  {dir, "class.html", "class"}};
	for (int i = 0; i < 2; i++) {
		char page[512], png[600];
		snprintf(page, sizeof(page), "%s/%s", pages[i][0], pages[i][1]);
		if (access(page, R_OK) != 0)
			continue; /* the class test did not run first */
		snprintf(png, sizeof(png), "%s/%s.png", shots, pages[i][2]);
		unlink(png);
		const char *flags =
			"--headless --no-sandbox --disable-gpu --no-first-run "
			"--disable-dev-shm-usage " /* containers: a small /dev/shm */
			"--disable-background-networking "
			"--disable-component-update --disable-sync";
		snprintf(cmd, sizeof(cmd),
			 "u=$(mktemp -d); chromium %s --user-data-dir=$u "
			 "--screenshot=%s --window-size=1280,2000 "
			 "file://$(realpath %s) >/dev/null 2>&1; "
			 "chromium %s --user-data-dir=$u --dump-dom "
			 "file://$(realpath %s) 2>/dev/null; rm -rf $u",
			 flags, png, page, flags, page);
		run_sh(cmd, out, sizeof(out));
		struct stat st;
		ck_assert_msg(stat(png, &st) == 0 && st.st_size > 20000,
			      "no screenshot of %s", page);
		ck_assert_msg((strstr(out, "<svg class=\"plot\"") ||
			       strstr(out, "<img class=\"plot\"")) &&
				      strstr(out, "id=\"definitions\"") &&
				      strstr(out, "<table>"),
			      "the DOM of %s lacks its sections", page);
		printf("screenshot: %s\n", png);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = runner_tcase(s, "report", 600);
	tcase_add_unchecked_fixture(tc, make_sets, remove_sets);
	tcase_add_test(tc, run_writes_a_self_contained_report);
	tcase_add_test(tc, report_compares_with_another_set);
	tcase_add_test(tc, compare_gives_an_interval_a_test_and_a_verdict);
	tcase_add_test(tc, compare_says_when_the_runs_are_too_few);
	tcase_add_test(tc, class_page_gathers_twenty_one_machines);
	tcase_add_test(tc, class_page_shows_the_lesson_predictions);
	tcase_add_test(tc, class_takes_every_set_of_a_hand_in);
	tcase_add_test(tc, the_sync_strategy_is_recorded_shown_and_compared);
	tcase_add_test(tc, compare_warns_of_wrong_results);
	tcase_add_test(tc, chromium_draws_the_report_and_the_class_page);
	return s;
}
