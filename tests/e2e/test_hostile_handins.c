// SPDX-License-Identifier: MIT
/*
 * test_hostile_handins.c - `concur class` and `concur report` on what a
 * hostile student hands in (issue 25, item 4): a FIFO as summary.csv, a
 * lesson.json with fields missing or of the wrong type, an archive of
 * links to itself, a summary.csv of 8,000 rows, a file over the size cap,
 * an archive that unpacks to more than the cap (tar.gz and zip), an
 * archive whose only set is a link to a set elsewhere, members named
 * with ".." or from /, too many entries, too deep a set, and a SIGTERM or
 * SIGINT in the middle. Each hand-in is made here and put in a class
 * with one good hand-in: the page is written for the good one, the bad
 * one is refused in one line naming it and the cap, and the TMPDIR the
 * test gives concur is empty afterwards. Every command runs under
 * `timeout`, so a hang is a failure, not a stuck suite.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char dir[64];  /* this test's scratch folder */
static char tmp[128]; /* the TMPDIR concur is given: empty after */
static char out[65536], err[65536];

/* ---- making hand-ins --------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A small, valid result set at path, its machine called host. */
static void make_set(const char *path, const char *host)
{
	char file[512], meta[512];
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(meta, sizeof(meta),
		 "{\"machine\": {\"host\": \"%s\", \"cores\": 2}, "
		 "\"status\": \"complete\"}\n",
		 host);
	snprintf(file, sizeof(file), "%s/meta.json", path);
	write_file(file, meta);
	snprintf(file, sizeof(file), "%s/summary.csv", path);
	write_file(file,
		   "workload,model,workers,tasks,work,runs,wall_median_s,"
		   "wall_min_s,wall_max_s,speedup,verified\n"
		   "compute,sequential,1,4,1,2,0.010,0.009,0.012,1.0,yes\n"
		   "compute,threads,2,4,1,2,0.006,0.005,0.007,1.7,yes\n");
	snprintf(file, sizeof(file), "%s/runs.csv", path);
	write_file(file, "workload,model,workers,run,wall_s\n"
			 "compute,sequential,1,1,0.010\n"
			 "compute,threads,2,1,0.006\n");
}

/* Runs cmd through sh (stdout and stderr into out); asserts it exits 0. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char full[8300];
	snprintf(full, sizeof(full), "(%s\n) 2>&1 </dev/null", cmd);
	FILE *p = popen(full, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	while (fgetc(p) != EOF)
		;
	int st = pclose(p);
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	ck_assert_msg(rc == 0, "making the hand-in failed (%d): %s\n%s", rc,
		      cmd, out);
}

/* The scratch folder: dir/tmp (TMPDIR), dir/c/good (the good hand-in),
 * dir/secret/set (a set of the teacher's, never to be shown). */
static void scratch(void)
{
	char path[256];
	files_tmp_dir(dir, sizeof(dir), "hostile");
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	snprintf(path, sizeof(path), "%s/c", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/c/good", dir);
	make_set(path, "good-host");
	snprintf(path, sizeof(path), "%s/secret", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/secret/set", dir);
	make_set(path, "teachers-secret");
}

/* ---- running concur and judging what it left -------------------------- */

/* `concur ARGS` with TMPDIR=tmp, killed after 30 s (a hang fails the
 * test instead of stopping the suite); stdout and stderr apart. */
static int concur(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int concur(const char *fmt, ...)
{
	char args[4096], bin[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(bin, sizeof(bin), "TMPDIR=%s timeout -s KILL 30 %s", tmp,
		 support_bin());
	return support_run_bin(bin, args, out, sizeof(out), err, sizeof(err));
}

/* Nothing left in TMPDIR, and no page half-written beside the page. */
static void assert_no_temp_left(void)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "test -z \"$(ls -A %s)\" && test -z \"$(ls %s | grep "
		 "'\\.tmp\\.')\"",
		 tmp, dir);
	ck_assert_msg(system(cmd) == 0, "temp files left in %s or %s", tmp,
		      dir);
}

/* `concur class` on dir/c (the good hand-in and the bad ones, plus
 * flags): exit 0, the page written for the good one, each of the
 * `refused` bad ones in one line of stderr, no temp file left. */
static void class_refuses(int refused, const char *flags)
{
	char want[64];
	int rc = concur("class --out %s/class.html %s %s/c", dir, flags, dir);
	ck_assert_msg(rc == 0, "exit %d\nstdout: %s\nstderr: %s", rc, out, err);
	snprintf(want, sizeof(want), "(1 sets, %d refused)", refused);
	ck_assert_msg(strstr(out, want), "no '%s' in: %s\nstderr: %s", want,
		      out, err);
	ck_assert_msg(support_lines(err) == refused,
		      "%d refused but %d lines: %s", refused,
		      support_lines(err), err);
	char path[256];
	snprintf(path, sizeof(path), "%s/class.html", dir);
	char *page = files_read(path, NULL);
	ck_assert_msg(page && strstr(page, "good-host"),
		      "no page for the good hand-in");
	ck_assert_msg(!strstr(page, "teachers-secret"),
		      "the teacher's set is on the page");
	free(page);
	assert_no_temp_left();
}

/* The one line about hand-in `name` holds `why`. */
static void assert_said(const char *name, const char *why)
{
	char want[256];
	snprintf(want, sizeof(want), "%s refused: ", name);
	const char *line = strstr(err, want);
	ck_assert_msg(line, "'%s' not refused: %s", name, err);
	size_t n = strcspn(line, "\n");
	ck_assert_msg(memmem(line, n, why, strlen(why)),
		      "'%s' refused without '%s': %.*s", name, why, (int)n,
		      line);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the audit's findings ---------------------------------------------- */

/* A FIFO as summary.csv blocked open() forever; now fstat refuses it. */
START_TEST(fifo_as_summary_csv_is_refused_not_waited_for)
{
	scratch();
	sh("cd %s/c && cp -r good fifo && rm fifo/summary.csv && "
	   "mkfifo fifo/summary.csv && mkfifo fifo/lesson.json",
	   dir);
	class_refuses(1, "");
	assert_said("/c/fifo", "summary.csv is not a regular file");
	files_rm_dir(dir);
}
END_TEST

/* {"lesson": 1} crashed the page (html_text(NULL)); every field the page
 * shows is checked, and meta.json of the wrong shapes is shown as text. */
START_TEST(lesson_json_missing_or_wrong_fields_are_refused)
{
	static const char *const bad[][2] = {
		{"{\"lesson\": 1}", "\"title\" is not text"},
		{"{\"lesson\": 1, \"title\": \"t\", \"question\": 5}",
		 "\"question\" is not text"},
		{"{\"lesson\": \"1\", \"title\": \"t\", \"question\": \"q\"}",
		 "\"lesson\" is not a lesson's number"},
		{"{\"lesson\": 99999999999, \"title\": \"t\"}",
		 "\"lesson\" is not a lesson's number"},
		{"{\"lesson\": 1, \"title\": \"t\", \"question\": \"q\", "
		 "\"prediction\": \"lots\"}",
		 "\"prediction\" is not a number"},
		{"[1, 2]", "not a JSON object"},
	};
	char path[256];
	scratch();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sh("cp -r %s/c/good %s/c/lesson%zu", dir, dir, i);
		snprintf(path, sizeof(path), "%s/c/lesson%zu/lesson.json", dir,
			 i);
		write_file(path, bad[i][0]);
	}
	/* a title of 100 KB: the page is not the place for it */
	sh("cp -r %s/c/good %s/c/lesson-huge && python3 -c \"import json; "
	   "print(json.dumps({'lesson': 1, 'title': 'x' * 100000, "
	   "'question': 'q'}))\" > %s/c/lesson-huge/lesson.json",
	   dir, dir, dir);
	/* meta.json with every field of the wrong type: read, not crashed on
	 * (the good set itself, so the page must still show good-host) */
	snprintf(path, sizeof(path), "%s/c/good/meta.json", dir);
	write_file(path, "{\"machine\": {\"host\": \"good-host\", \"cores\": "
			 "[{\"a\": [1, {}]}], \"cpu_model\": {\"x\": 1}}, "
			 "\"options\": 7, \"versions\": [], \"status\": null, "
			 "\"date\": 1e308}");
	class_refuses(7, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/c/lesson%zu", i);
		assert_said(path, bad[i][1]);
	}
	assert_said("/c/lesson-huge", "\"title\" is longer than");
	files_rm_dir(dir);
}
END_TEST

/* 40 links to "." took ~N^4 (15 s): links are never unpacked, and a walk
 * never follows one. */
START_TEST(archive_of_links_to_itself_is_refused_at_once)
{
	scratch();
	sh("mkdir %s/links && cd %s/links && for i in $(seq 1 40); do "
	   "ln -s . l$i; done && mkfifo fifo && tar czf %s/c/links.tar.gz .",
	   dir, dir, dir);
	double t0 = now_s();
	class_refuses(1, "");
	double took = now_s() - t0;
	assert_said("links.tar.gz", "41 links or special files not unpacked");
	ck_assert_msg(took < 5, "took %.1f s", took);
	files_rm_dir(dir);
}
END_TEST

/* An 8,000-row summary.csv took seconds and wrote a 20 MB page: over
 * --max-rows it is refused; the flag raises the cap. */
START_TEST(summary_over_the_row_cap_is_refused_and_the_flag_raises_it)
{
	scratch();
	sh("cd %s/c && cp -r good big && (head -1 good/summary.csv; "
	   "for i in $(seq 1 8000); do echo \"w$i,threads,2,4,1,2,0.006,"
	   "0.005,0.007,1.7,yes\"; done) > big/summary.csv",
	   dir);
	class_refuses(1, "");
	assert_said("/c/big",
		    "more than 2000 rows (the cap; --max-rows raises it)");
	/* raised, the cap lets a big (2,500-row) set in */
	sh("cd %s/c/big && head -2501 summary.csv > s && mv s summary.csv",
	   dir);
	int rc = concur("class --max-rows 3000 --out %s/class.html %s/c", dir,
			dir);
	ck_assert_msg(rc == 0 && strstr(out, "(2 sets, 0 refused)"),
		      "exit %d: %s%s", rc, out, err);
	assert_no_temp_left();
	files_rm_dir(dir);
}
END_TEST

/* A set's file over --max-size (8 MB) is not read. */
START_TEST(file_over_the_size_cap_is_refused)
{
	scratch();
	sh("cd %s/c && cp -r good fat && python3 -c \"import json; "
	   "print(json.dumps({'machine': {'host': 'x' * (9 << 20)}}))\" > "
	   "fat/meta.json",
	   dir);
	class_refuses(1, "");
	assert_said("/c/fat",
		    "meta.json is larger than 8 MB (the cap; --max-size raises "
		    "it)");
	files_rm_dir(dir);
}
END_TEST

/* An 84 KB archive unpacked to 69 MB: the bytes that come out are
 * counted, and the archive stops at --max-unpacked (64 MB; 1 for the
 * zip). */
START_TEST(archive_bombs_stop_at_the_unpacked_cap)
{
	scratch();
	sh("mkdir -p %s/bomb/s && cp %s/c/good/* %s/bomb/s/ && "
	   "head -c 70000000 /dev/zero > %s/bomb/s/zeros && "
	   "cd %s/bomb && tar czf %s/c/bomb.tar.gz s",
	   dir, dir, dir, dir, dir, dir);
	class_refuses(1, "");
	assert_said("bomb.tar.gz",
		    "unpacks to more than 64 MB (the cap; --max-unpacked "
		    "raises it)");
	sh("cd %s/bomb && rm %s/c/bomb.tar.gz s/zeros && "
	   "head -c 3000000 /dev/zero > s/zeros && python3 -c \"import "
	   "shutil; shutil.make_archive('%s/c/bomb', 'zip', '.', 's')\"",
	   dir, dir, dir);
	class_refuses(1, "--max-unpacked 1");
	assert_said("bomb.zip", "unpacks to more than 1 MB");
	int rc = concur("class --max-unpacked 4 --out %s/class.html %s/c", dir,
			dir);
	ck_assert_msg(rc == 0 && strstr(out, "(2 sets, 0 refused)"),
		      "exit %d: %s%s", rc, out, err);
	assert_no_temp_left();
	files_rm_dir(dir);
}
END_TEST

/* An archive holding only a link to a set on the teacher's disk showed
 * that set as the student's: no link is unpacked, symbolic or hard, and
 * a folder hand-in's link is not followed. */
START_TEST(a_link_to_a_set_outside_is_never_followed)
{
	scratch();
	sh("cd %s && python3 - <<'PY'\n"
	   "import tarfile, io\n"
	   "with tarfile.open('c/sneaky.tar.gz', 'w:gz') as t:\n"
	   "    for kind, name in ((tarfile.SYMTYPE, 'myset'),\n"
	   "                       (tarfile.LNKTYPE, 'hard')):\n"
	   "        i = tarfile.TarInfo(name); i.type = kind\n"
	   "        i.linkname = '%s/secret/set'; t.addfile(i)\n"
	   "    i = tarfile.TarInfo('real/summary.csv'); i.type = "
	   "tarfile.LNKTYPE\n"
	   "    i.linkname = '%s/secret/set/summary.csv'; t.addfile(i)\n"
	   "PY\n"
	   "mkdir c/walker && ln -s %s/secret c/walker/sub && "
	   "ln -s %s/secret/set c/linked",
	   dir, dir, dir, dir, dir);
	class_refuses(3, "");
	assert_said("sneaky.tar.gz", "3 links or special files not unpacked");
	assert_said("/c/walker", "no summary.csv inside");
	assert_said("/c/linked", "is a symbolic link");
	files_rm_dir(dir);
}
END_TEST

/* As GNU tar and bsdtar refuse them: a member named with ".." or from /
 * refuses the archive, and nothing lands outside. */
START_TEST(dot_dot_and_absolute_members_refuse_the_archive)
{
	scratch();
	sh("cd %s && python3 - <<'PY'\n"
	   "import tarfile, io, zipfile\n"
	   "def add(t, name):\n"
	   "    i = tarfile.TarInfo(name); i.size = 4\n"
	   "    t.addfile(i, io.BytesIO(b'evil'))\n"
	   "with tarfile.open('c/up.tar.gz', 'w:gz') as t:\n"
	   "    add(t, 's/../../../evil-up')\n"
	   "with tarfile.open('c/abs.tgz', 'w:gz') as t:\n"
	   "    add(t, '%s/evil-abs')\n"
	   "with zipfile.ZipFile('c/up.zip', 'w') as z:\n"
	   "    z.writestr('../../evil-zip', 'evil')\n"
	   "PY",
	   dir, dir);
	class_refuses(3, "");
	assert_said("up.tar.gz", "named with \"..\"");
	assert_said("abs.tgz", "named from /");
	assert_said("up.zip", "named with \"..\"");
	sh("! ls %s/evil-* %s/../evil-* 2>/dev/null", dir, tmp);
	files_rm_dir(dir);
}
END_TEST

/* Entries and depth have caps, the folder hand-in's as the archive's. */
START_TEST(entries_and_depth_over_the_caps_are_refused)
{
	scratch();
	sh("cd %s && python3 - <<'PY'\n"
	   "import tarfile, io\n"
	   "with tarfile.open('c/many.tar.gz', 'w:gz') as t:\n"
	   "    for n in range(300):\n"
	   "        t.addfile(tarfile.TarInfo('s/f%%d' %% n), io.BytesIO())\n"
	   "with tarfile.open('c/deep.tar.gz', 'w:gz') as t:\n"
	   "    t.addfile(tarfile.TarInfo('/'.join('d' * 9) + "
	   "'/summary.csv'),\n"
	   "              io.BytesIO())\n"
	   "PY\n"
	   "mkdir c/wide && for i in $(seq 1 300); do mkdir c/wide/d$i; done",
	   dir);
	class_refuses(3, "--max-entries 200");
	assert_said("many.tar.gz",
		    "more than 200 entries (the cap; --max-entries raises it)");
	assert_said("/c/wide", "more than 200 entries");
	assert_said("deep.tar.gz",
		    "deeper than 6 folders (the cap; --max-depth raises it)");
	files_rm_dir(dir);
}
END_TEST

/* `concur report SET` with FIFOs in the set: one line, no hang. */
START_TEST(report_of_a_set_with_a_fifo_says_one_line)
{
	scratch();
	sh("cd %s/c && mkfifo good/wall.svg", dir);
	int rc = concur("report %s/c/good", dir);
	ck_assert_msg(rc == 0, "exit %d: %s%s", rc, out, err);
	ck_assert_msg(support_lines(err) == 1 &&
			      strstr(err, "wall.svg is not a regular file"),
		      "%s", err);
	sh("cd %s/c && rm good/summary.csv && mkfifo good/summary.csv", dir);
	rc = concur("report %s/c/good", dir);
	ck_assert_msg(rc == 2, "exit %d: %s%s", rc, out, err);
	ck_assert_msg(support_lines(err) == 1 &&
			      strstr(err, "summary.csv is not a regular file"),
		      "%s", err);
	assert_no_temp_left();
	files_rm_dir(dir);
}
END_TEST

/* A bad cap is one line and exit 2, like every bad flag. */
START_TEST(a_bad_cap_flag_is_one_line_and_exit_2)
{
	scratch();
	ck_assert_int_eq(concur("class --max-size 0 %s/c", dir), 2);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_int_eq(concur("class --max-depth 1000 %s/c", dir), 2);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_int_eq(concur("class %s/c --max-rows", dir), 2);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_int_eq(concur("class --help"), 0);
	ck_assert_msg(strstr(out, "--max-unpacked MB") &&
			      strstr(out, "--max-entries N"),
		      "%s", out);
	files_rm_dir(dir);
}
END_TEST

/* Signals: a teacher's Ctrl-C or a kill while archives are unpacked
 * ends concur by that signal, with its temporary folder gone. */
static void signal_leaves_no_temp(int sig)
{
	char path[256];
	scratch();
	/* 20 hand-ins of 40 MB each: seconds of unpacking to land in */
	sh("mkdir -p %s/big/s && cp %s/c/good/* %s/big/s/ && "
	   "head -c 40000000 /dev/zero > %s/big/s/zeros && cd %s/big && "
	   "tar czf %s/c/a00.tar.gz s && for i in $(seq 1 19); do "
	   "ln %s/c/a00.tar.gz %s/c/a$i.tar.gz; done",
	   dir, dir, dir, dir, dir, dir, dir, dir);
	char page[256];
	snprintf(path, sizeof(path), "%s/c", dir);
	snprintf(page, sizeof(page), "%s/class.html", dir);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("TMPDIR", tmp, 1);
		execl(support_bin(), "concur", "class", "--out", page, path,
		      (char *)NULL);
		_exit(127);
	}
	/* wait for the temporary folder, then signal */
	int seen = 0;
	for (int i = 0; i < 20000 && !seen; i++) {
		DIR *d = opendir(tmp);
		struct dirent *e;
		while (d && (e = readdir(d)))
			seen |= e->d_name[0] != '.';
		if (d)
			closedir(d);
		if (!seen)
			usleep(500);
	}
	ck_assert_msg(seen, "no temporary folder appeared");
	kill(pid, sig);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig,
		      "not ended by signal %d (status 0x%x)", sig, status);
	assert_no_temp_left();
	files_rm_dir(dir);
}

START_TEST(sigterm_during_class_leaves_no_temp_folder)
{
	signal_leaves_no_temp(SIGTERM);
}
END_TEST

START_TEST(sigint_during_class_leaves_no_temp_folder)
{
	signal_leaves_no_temp(SIGINT);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_handins");
	TCase *tc = runner_tcase(s, "hostile_handins", 120);
	tcase_add_test(tc, fifo_as_summary_csv_is_refused_not_waited_for);
	tcase_add_test(tc, lesson_json_missing_or_wrong_fields_are_refused);
	tcase_add_test(tc, archive_of_links_to_itself_is_refused_at_once);
	tcase_add_test(
		tc, summary_over_the_row_cap_is_refused_and_the_flag_raises_it);
	tcase_add_test(tc, file_over_the_size_cap_is_refused);
	tcase_add_test(tc, archive_bombs_stop_at_the_unpacked_cap);
	tcase_add_test(tc, a_link_to_a_set_outside_is_never_followed);
	tcase_add_test(tc, dot_dot_and_absolute_members_refuse_the_archive);
	tcase_add_test(tc, entries_and_depth_over_the_caps_are_refused);
	tcase_add_test(tc, report_of_a_set_with_a_fifo_says_one_line);
	tcase_add_test(tc, a_bad_cap_flag_is_one_line_and_exit_2);
	tcase_add_test(tc, sigterm_during_class_leaves_no_temp_folder);
	tcase_add_test(tc, sigint_during_class_leaves_no_temp_folder);
	return s;
}
