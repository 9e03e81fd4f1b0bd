// SPDX-License-Identifier: MIT
/*
 * test_result_sets.c - result sets are never overwritten and never
 * mislabelled: two runs started at once get a set each, meta.json says
 * "running" from the start, a set whose files could not be written (a
 * full tmpfs) is "partial" with the reason and a non-zero exit, and a
 * results/latest that is not a symbolic link is reported and left alone.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/support.h"

static void make_tmpdir(char *path, size_t len)
{
	snprintf(path, len, "/tmp/concur-sets-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(path));
}

static void remove_tree(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Reads a whole small file into buf ("" when it cannot be read). */
static void slurp(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

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
	make_tmpdir(dir, sizeof(dir));
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
		slurp(path, text, sizeof(text));
		ck_assert_msg(strstr(text, "\"status\": \"complete\"") != NULL,
			      "%s: %s", names[i], text);
		const char *t = strstr(text, "\"tasks\": ");
		ck_assert_ptr_nonnull(t);
		int tasks = atoi(t + 9);
		ck_assert(tasks >= 1 && tasks <= 4);
		seen[tasks]++;
		/* Its tasks.csv is its own: `tasks` task lines per model. */
		snprintf(cmd, sizeof(cmd),
			 "test $(grep -c ',threads,' %s/%s/tasks.csv) -eq %d",
			 dir, names[i], tasks);
		ck_assert_msg(system(cmd) == 0, "%s", names[i]);
	}
	for (int k = 1; k <= 4; k++)
		ck_assert_int_eq(seen[k], 1);
	remove_tree(dir);
}
END_TEST

/* While the first run is still going, the set already has meta.json
 * saying "running", and results/latest points to it. */
START_TEST(a_set_says_running_from_the_start)
{
	char dir[64], cmd[1024], path[300], text[8192] = "";
	make_tmpdir(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd),
		 "%s run --models threads --workloads fetch --tasks 2 "
		 "--delay 1500 --workers 1 --repeat 1 --no-plot --quiet "
		 "--out %s >/dev/null 2>&1 &",
		 concur_bin(), dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/latest/meta.json", dir);
	for (int i = 0; i < 50 && !text[0]; i++) {
		usleep(100 * 1000);
		slurp(path, text, sizeof(text));
	}
	ck_assert_msg(strstr(text, "\"status\": \"running\"") != NULL, "'%s'",
		      text);
	/* Wait for it to end (its set becomes complete). */
	for (int i = 0; i < 200; i++) {
		slurp(path, text, sizeof(text));
		if (strstr(text, "\"complete\""))
			break;
		usleep(100 * 1000);
	}
	ck_assert_msg(strstr(text, "\"status\": \"complete\"") != NULL, "%s",
		      text);
	remove_tree(dir);
}
END_TEST

/* A tmpfs of 24 KiB: the first files fit, tasks.csv does not. The run
 * ends non-zero, says why, and meta.json says partial with the reason. */
START_TEST(a_set_that_cannot_be_written_is_partial)
{
	char dir[64], out[16384], err[8192], args[512], text[8192], path[300];
	make_tmpdir(dir, sizeof(dir));
	if (mount("tmpfs", dir, "tmpfs", 0, "size=24k") != 0) {
		printf("skipped: cannot mount a tmpfs here (needs root): %s\n",
		       strerror(errno));
		remove_tree(dir);
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
	slurp(path, text, sizeof(text));
	ck_assert_msg(strstr(text, "\"status\": \"partial\"") != NULL &&
			      strstr(text, "\"reason\": \"tasks.csv: No space "
					   "left on device\"") != NULL,
		      "%s", text);
	ck_assert_int_eq(umount(dir), 0);
	remove_tree(dir);
}
END_TEST

START_TEST(a_latest_that_is_not_a_link_is_reported_and_kept)
{
	char dir[64], out[8192], err[8192], args[512], path[300];
	make_tmpdir(dir, sizeof(dir));
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
	remove_tree(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("result_sets");
	TCase *tc = tcase_create("result_sets");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, runs_started_together_never_share_a_set);
	tcase_add_test(tc, a_set_says_running_from_the_start);
	tcase_add_test(tc, a_set_that_cannot_be_written_is_partial);
	tcase_add_test(tc, a_latest_that_is_not_a_link_is_reported_and_kept);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
