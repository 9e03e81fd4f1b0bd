// SPDX-License-Identifier: MIT
/*
 * test_result_sets.c - result sets are never overwritten and never
 * mislabelled: two runs started at once get a set each, meta.json says
 * "running" from the start, a set whose files could not be written (a
 * full tmpfs) is "partial" with the reason and a non-zero exit, and a
 * results/latest that is not a symbolic link is reported and left alone.
 */
#define _GNU_SOURCE /* unshare */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* Counts the entries of dir that start with a digit (result sets). */
static int count_sets(const char *dir, char names[][256], int max)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && n < max)
			snprintf(names[n++], 256, "%s", e->d_name);
	closedir(d);
	return n;
}

static const char *concur_bin(void)
{
	return getenv("CONCUR_BIN") ? getenv("CONCUR_BIN") : "build/concur";
}

/* Four runs started together, with the same label, into the same
 * folder: four sets, each complete and holding its own run (told apart
 * by --tasks). */
START_TEST(runs_started_together_never_share_a_set)
{
	char dir[64], cmd[4096];
	files_tmp_dir(dir, sizeof(dir), "sets");
	int used = snprintf(cmd, sizeof(cmd), "true");
	for (int k = 1; k <= 4; k++)
		used += snprintf(cmd + used, sizeof(cmd) - (size_t)used,
				 " & %s run --models threads --workloads "
				 "compute --tasks %d --work 0 --workers 2 "
				 "--repeat 1 --no-plot --quiet --label same "
				 "--out %s >/dev/null 2>&1",
				 concur_bin(), k, dir);
	snprintf(cmd + used, sizeof(cmd) - (size_t)used, "; wait");
	ck_assert_int_eq(system(cmd), 0);
	char names[8][256];
	ck_assert_int_eq(count_sets(dir, names, 8), 4);
	int seen[5] = {0};
	for (int i = 0; i < 4; i++) {
		char path[2400], text[8192];
		snprintf(path, sizeof(path), "%s/%s/meta.json", dir, names[i]);
		files_read_into(path, text, sizeof(text));
		ck_assert_msg(strstr(text, "\"status\": \"complete\"") != NULL,
			      "%s: %s", names[i], text);
		const char *t = strstr(text, "\"tasks\": ");
		ck_assert_ptr_nonnull(t);
		int tasks = atoi(t + 9);
		ck_assert_msg(tasks >= 1 && tasks <= 4, "%s: %d tasks",
			      names[i], tasks);
		if (tasks >= 1 && tasks <= 4) /* cppcheck: ck_ may return */
			seen[tasks]++;
		/* Its tasks.csv is its own: `tasks` task lines per model. */
		snprintf(cmd, sizeof(cmd),
			 "test $(grep -c ',threads,' %s/%s/tasks.csv) -eq %d",
			 dir, names[i], tasks);
		ck_assert_msg(system(cmd) == 0, "%s", names[i]);
	}
	for (int k = 1; k <= 4; k++)
		ck_assert_int_eq(seen[k], 1);
	files_rm_dir(dir);
}
END_TEST

/* While the first run is still going, the set already has meta.json
 * saying "running", and results/latest points to it. */
START_TEST(a_set_says_running_from_the_start)
{
	char dir[64], cmd[1024], path[300], text[8192] = "";
	files_tmp_dir(dir, sizeof(dir), "sets");
	snprintf(cmd, sizeof(cmd),
		 "%s run --models threads --workloads fetch --tasks 2 "
		 "--delay 1500 --workers 1 --repeat 1 --no-plot --quiet "
		 "--out %s >/dev/null 2>&1 &",
		 concur_bin(), dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/latest/meta.json", dir);
	for (int i = 0; i < 50 && !text[0]; i++) {
		usleep(100 * 1000);
		files_read_into(path, text, sizeof(text));
	}
	ck_assert_msg(strstr(text, "\"status\": \"running\"") != NULL, "'%s'",
		      text);
	/* Wait for it to end (its set becomes complete). */
	for (int i = 0; i < 200; i++) {
		files_read_into(path, text, sizeof(text));
		if (strstr(text, "\"complete\""))
			break;
		usleep(100 * 1000);
	}
	ck_assert_msg(strstr(text, "\"status\": \"complete\"") != NULL, "%s",
		      text);
	files_rm_dir(dir);
}
END_TEST

/* A tmpfs of 24 KiB on dir, in a mount namespace of the test's own
 * (Check runs each test in a child): the machine never sees it, even when
 * the test fails before it unmounts. */
static int private_tmpfs(const char *dir)
{
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	return mount("tmpfs", dir, "tmpfs", 0, "size=24k");
}

/* A tmpfs of 24 KiB: the first files fit, tasks.csv does not. The run
 * ends non-zero, says why, and meta.json says partial with the reason. */
START_TEST(a_set_that_cannot_be_written_is_partial)
{
	char dir[64], out[16384], err[8192], args[512], text[8192], path[300];
	files_tmp_dir(dir, sizeof(dir), "sets");
	if (private_tmpfs(dir) != 0) {
		printf("skipped: cannot mount a tmpfs in a namespace of its "
		       "own "
		       "(needs root): %s\n",
		       strerror(errno));
		files_rm_dir(dir);
		return;
	}
	snprintf(args, sizeof(args),
		 "run --models sequential,threads --workloads compute "
		 "--tasks 400 --work 0 --workers 2 --repeat 1 --no-plot "
		 "--quiet --out %s/r",
		 dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 1, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "No space left on device") != NULL &&
			      strstr(err, "marked partial") != NULL,
		      "%s", err);
	snprintf(path, sizeof(path), "%s/r/latest/meta.json", dir);
	files_read_into(path, text, sizeof(text));
	ck_assert_msg(strstr(text, "\"status\": \"partial\"") != NULL &&
			      strstr(text, "\"reason\": \"tasks.csv: No space "
					   "left on device\"") != NULL,
		      "%s", text);
	ck_assert_int_eq(umount(dir), 0);
	files_rm_dir(dir);
}
END_TEST

START_TEST(a_latest_that_is_not_a_link_is_reported_and_kept)
{
	char dir[64], out[8192], err[8192], args[512], path[300];
	files_tmp_dir(dir, sizeof(dir), "sets");
	snprintf(path, sizeof(path), "%s/latest", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(args, sizeof(args),
		 "run --models threads --workloads compute --tasks 2 --work 0 "
		 "--repeat 1 --no-plot --quiet --out %s",
		 dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(err, "is not a symbolic link") != NULL, "%s", err);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("result_sets");
	TCase *tc = runner_tcase(s, "result_sets", 120);
	tcase_add_test(tc, runs_started_together_never_share_a_set);
	tcase_add_test(tc, a_set_says_running_from_the_start);
	tcase_add_test(tc, a_set_that_cannot_be_written_is_partial);
	tcase_add_test(tc, a_latest_that_is_not_a_link_is_reported_and_kept);
	return s;
}
