// SPDX-License-Identifier: MIT
/*
 * test_hostile_archives.c - `concur class` on the archives and links a
 * hostile student hands in (issue 25, item 4): an archive of links to
 * itself, an archive that unpacks to more than the cap (tar.gz and zip),
 * an archive whose only set is a link to a set elsewhere, members named
 * with ".." or from /, too many entries, too deep a set, and a SIGTERM or
 * SIGINT in the middle of unpacking. Each hand-in is made here and put in
 * a class with one good hand-in: the page is written for the good one,
 * the bad one is refused in one line naming it and the cap, and the
 * TMPDIR the test gives concur is empty afterwards. Every command runs
 * under `timeout`, so a hang is a failure, not a stuck suite. Hand-ins
 * that are plain files are test_hostile_handins.c; the helpers both
 * share, tests/support/handin.h.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/handin.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 40 links to "." took ~N^4 (15 s): links are never unpacked, and a walk
 * never follows one. */
START_TEST(archive_of_links_to_itself_is_refused_at_once)
{
	handin_scratch();
	handin_sh("mkdir %s/links && cd %s/links && for i in $(seq 1 40); do "
		  "ln -s . l$i; done && mkfifo fifo && tar czf "
		  "%s/c/links.tar.gz .",
		  handin_dir, handin_dir, handin_dir);
	double t0 = now_s();
	handin_class_refuses(1, "");
	double took = now_s() - t0;
	handin_assert_said("links.tar.gz",
			   "41 links or special files not unpacked");
	ck_assert_msg(took < 5, "took %.1f s", took);
	files_rm_dir(handin_dir);
}
END_TEST

/* An 84 KB archive unpacked to 69 MB: the bytes that come out are
 * counted, and the archive stops at --max-unpacked (64 MB; 1 for the
 * zip). */
START_TEST(archive_bombs_stop_at_the_unpacked_cap)
{
	handin_scratch();
	handin_sh("mkdir -p %s/bomb/s && cp %s/c/good/* %s/bomb/s/ && "
		  "head -c 70000000 /dev/zero > %s/bomb/s/zeros && "
		  "cd %s/bomb && tar czf %s/c/bomb.tar.gz s",
		  handin_dir, handin_dir, handin_dir, handin_dir, handin_dir,
		  handin_dir);
	handin_class_refuses(1, "");
	handin_assert_said(
		"bomb.tar.gz",
		"unpacks to more than 64 MB (the cap; --max-unpacked "
		"raises it)");
	handin_sh("cd %s/bomb && rm %s/c/bomb.tar.gz s/zeros && "
		  "head -c 3000000 /dev/zero > s/zeros && python3 -c \"import "
		  "shutil; shutil.make_archive('%s/c/bomb', 'zip', '.', 's')\"",
		  handin_dir, handin_dir, handin_dir);
	handin_class_refuses(1, "--max-unpacked 1");
	handin_assert_said("bomb.zip", "unpacks to more than 1 MB");
	int rc =
		handin_concur("class --max-unpacked 4 --out %s/class.html %s/c",
			      handin_dir, handin_dir);
	ck_assert_msg(rc == 0 && strstr(handin_out, "(2 sets, 0 refused)"),
		      "exit %d: %s%s", rc, handin_out, handin_err);
	handin_assert_no_temp_left();
	files_rm_dir(handin_dir);
}
END_TEST

/* An archive holding only a link to a set on the teacher's disk showed
 * that set as the student's: no link is unpacked, symbolic or hard, and
 * a folder hand-in's link is not followed. */
START_TEST(a_link_to_a_set_outside_is_never_followed)
{
	handin_scratch();
	handin_sh("cd %s && python3 - <<'PY'\n"
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
		  handin_dir, handin_dir, handin_dir, handin_dir, handin_dir);
	handin_class_refuses(3, "");
	handin_assert_said("sneaky.tar.gz",
			   "3 links or special files not unpacked");
	handin_assert_said("/c/walker", "no summary.csv inside");
	handin_assert_said("/c/linked", "is a symbolic link");
	files_rm_dir(handin_dir);
}
END_TEST

/* As GNU tar and bsdtar refuse them: a member named with ".." or from /
 * refuses the archive, and nothing lands outside. */
START_TEST(dot_dot_and_absolute_members_refuse_the_archive)
{
	handin_scratch();
	handin_sh("cd %s && python3 - <<'PY'\n"
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
		  handin_dir, handin_dir);
	handin_class_refuses(3, "");
	handin_assert_said("up.tar.gz", "named with \"..\"");
	handin_assert_said("abs.tgz", "named from /");
	handin_assert_said("up.zip", "named with \"..\"");
	handin_sh("! ls %s/evil-* %s/../evil-* 2>/dev/null", handin_dir,
		  handin_tmp);
	files_rm_dir(handin_dir);
}
END_TEST

/* Entries and depth have caps, the folder hand-in's as the archive's. */
START_TEST(entries_and_depth_over_the_caps_are_refused)
{
	handin_scratch();
	handin_sh("cd %s && python3 - <<'PY'\n"
		  "import tarfile, io\n"
		  "with tarfile.open('c/many.tar.gz', 'w:gz') as t:\n"
		  "    for n in range(300):\n"
		  "        t.addfile(tarfile.TarInfo('s/f%%d' %% n), "
		  "io.BytesIO())\n"
		  "with tarfile.open('c/deep.tar.gz', 'w:gz') as t:\n"
		  "    t.addfile(tarfile.TarInfo('/'.join('d' * 9) + "
		  "'/summary.csv'),\n"
		  "              io.BytesIO())\n"
		  "PY\n"
		  "mkdir c/wide && for i in $(seq 1 300); do mkdir c/wide/d$i; "
		  "done",
		  handin_dir);
	handin_class_refuses(3, "--max-entries 200");
	handin_assert_said(
		"many.tar.gz",
		"more than 200 entries (the cap; --max-entries raises it)");
	handin_assert_said("/c/wide", "more than 200 entries");
	handin_assert_said(
		"deep.tar.gz",
		"deeper than 6 folders (the cap; --max-depth raises it)");
	files_rm_dir(handin_dir);
}
END_TEST

/* Signals: a teacher's Ctrl-C or a kill while archives are unpacked
 * ends concur by that signal, with its temporary folder gone. */
static void signal_leaves_no_temp(int sig)
{
	char path[256];
	handin_scratch();
	/* 20 hand-ins of 40 MB each: seconds of unpacking to land in */
	handin_sh("mkdir -p %s/big/s && cp %s/c/good/* %s/big/s/ && "
		  "head -c 40000000 /dev/zero > %s/big/s/zeros && cd %s/big && "
		  "tar czf %s/c/a00.tar.gz s && for i in $(seq 1 19); do "
		  "ln %s/c/a00.tar.gz %s/c/a$i.tar.gz; done",
		  handin_dir, handin_dir, handin_dir, handin_dir, handin_dir,
		  handin_dir, handin_dir, handin_dir);
	char page[256];
	snprintf(path, sizeof(path), "%s/c", handin_dir);
	snprintf(page, sizeof(page), "%s/class.html", handin_dir);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("TMPDIR", handin_tmp, 1);
		execl(support_bin(), "concur", "class", "--out", page, path,
		      (char *)NULL);
		_exit(127);
	}
	/* wait for the temporary folder, then signal */
	int seen = 0;
	for (int i = 0; i < 20000 && !seen; i++) {
		DIR *d = opendir(handin_tmp);
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
	handin_assert_no_temp_left();
	files_rm_dir(handin_dir);
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
	Suite *s = suite_create("hostile_archives");
	TCase *tc = runner_tcase(s, "hostile_archives", 120);
	tcase_add_test(tc, archive_of_links_to_itself_is_refused_at_once);
	tcase_add_test(tc, archive_bombs_stop_at_the_unpacked_cap);
	tcase_add_test(tc, a_link_to_a_set_outside_is_never_followed);
	tcase_add_test(tc, dot_dot_and_absolute_members_refuse_the_archive);
	tcase_add_test(tc, entries_and_depth_over_the_caps_are_refused);
	tcase_add_test(tc, sigterm_during_class_leaves_no_temp_folder);
	tcase_add_test(tc, sigint_during_class_leaves_no_temp_folder);
	return s;
}
