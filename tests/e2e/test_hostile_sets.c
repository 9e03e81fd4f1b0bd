// SPDX-License-Identifier: MIT
/*
 * test_hostile_sets.c - what a teacher's commands write, when the paths
 * they are given were chosen by someone else: `--out` naming a FIFO, a
 * directory or a device is refused in one line (exit 2) and what is
 * there is left as it was; `--out` naming a symbolic link replaces the
 * link, never the file it points to.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* `concur CMD --out PATH ...` exits 2 with one line naming PATH. */
static void assert_out_refused(const char *cmd, const char *path)
{
	char args[4400], err[4096];
	snprintf(args, sizeof(args), "%s --out '%s'", cmd, path);
	int rc = support_concur(args, NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 2, "concur %s exited %d: %s", args, rc, err);
	ck_assert_msg(support_lines(err) == 1 && strstr(err, path),
		      "concur %s: not one line naming %s: %s", args, path, err);
}

START_TEST(out_naming_a_fifo_or_a_directory_is_refused)
{
	char dir[4200], fifo[4300], sub[4300];
	files_tmp_dir(dir, sizeof(dir), "hostile-out");
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	const char *cmds[] = {"class /nonexistent-set", "grade threads"};
	for (size_t i = 0; i < 2; i++) {
		assert_out_refused(cmds[i], fifo);
		assert_out_refused(cmds[i], sub);
	}
	struct stat st;
	ck_assert(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	ck_assert(lstat(sub, &st) == 0 && S_ISDIR(st.st_mode));
	files_rm_dir(dir);
}
END_TEST

START_TEST(out_naming_a_device_is_refused_and_the_device_stays)
{
	assert_out_refused("class /nonexistent-set", "/dev/null");
	assert_out_refused("grade threads", "/dev/null");
	struct stat st;
	ck_assert(lstat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(out_naming_a_link_replaces_the_link_not_its_target)
{
	char dir[4200], target[4300], link[4300], args[9000], err[4096];
	files_tmp_dir(dir, sizeof(dir), "hostile-link");
	snprintf(target, sizeof(target), "%s/notes.txt", dir);
	snprintf(link, sizeof(link), "%s/class.html", dir);
	FILE *f = fopen(target, "w");
	ck_assert(f != NULL);
	fputs("my notes\n", f);
	fclose(f);
	ck_assert_int_eq(symlink(target, link), 0);
	/* a set of the test's own: a sweep of one tiny case */
	snprintf(args, sizeof(args),
		 "run --models sequential --workloads compute --workers 1 "
		 "--tasks 2 --work 1 --repeat 1 --quiet --no-plot --out %s "
		 "--label one",
		 dir);
	ck_assert_int_eq(support_concur(args, NULL, 0, err, sizeof(err)), 0);
	snprintf(args, sizeof(args), "class --out '%s' '%s/latest'", link, dir);
	int rc = support_concur(args, NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 0, "concur %s exited %d: %s", args, rc, err);
	char text[64];
	files_read_into(target, text, sizeof(text));
	ck_assert_str_eq(text, "my notes\n");
	struct stat st;
	ck_assert(lstat(link, &st) == 0 && S_ISREG(st.st_mode));
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hostile_sets");
	TCase *out = runner_tcase(s, "out", 30);
	tcase_add_test(out, out_naming_a_fifo_or_a_directory_is_refused);
	tcase_add_test(out,
		       out_naming_a_device_is_refused_and_the_device_stays);
	tcase_add_test(out, out_naming_a_link_replaces_the_link_not_its_target);
	return s;
}
