// SPDX-License-Identifier: MIT
/*
 * test_harness.c - what the harness promises about measuring: each run is
 * measured in its own child (a peak from one run never leaks into the
 * next), and Ctrl-C leaves a valid partial result set and no process.
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/run/measure.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define BIG_MIB 300

/* A test-only model that touches BIG_MIB of memory, then does nothing. */
static int hog_run(struct batch *b, const struct run_opts *o)
{
	(void)o;
	size_t len = (size_t)BIG_MIB << 20;
	char *p = malloc(len);
	if (!p)
		return -1;
	memset(p, 1, len);
	for (size_t i = 0; i < b->n; i++)
		b->results[i].kind = p[i] ? RESULT_OK : RESULT_OTHER;
	free(p);
	return 0;
}

static int idle_run(struct batch *b, const struct run_opts *o)
{
	(void)o;
	for (size_t i = 0; i < b->n; i++)
		b->results[i].kind = RESULT_OK;
	return 0;
}

START_TEST(a_small_run_after_a_large_one_has_a_small_peak)
{
	const struct model hog = {
		.name = "hog", .summary = "test", .run = hog_run};
	const struct model idle = {
		.name = "idle", .summary = "test", .run = idle_run};
	struct batch *b = batch_new(4);
	struct run_opts o = run_opts_default();
	struct measurement big, small;
	ck_assert_int_eq(measure_run(&hog, b, &o, NULL, &big), 0);
	ck_assert_int_eq(measure_run(&idle, b, &o, NULL, &small), 0);
	ck_assert_msg(big.peak_rss_kib > (BIG_MIB - 20) * 1024L,
		      "the large run's peak was %ld KiB", big.peak_rss_kib);
	ck_assert_msg(small.peak_rss_kib < 64 * 1024L,
		      "the small run's peak was %ld KiB: a leaked peak",
		      small.peak_rss_kib);
	batch_free(b);
}
END_TEST

/* Lines in a file, or -1. */
static int file_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int n = 0, c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

START_TEST(ctrl_c_leaves_a_partial_set_and_no_process)
{
	char out[64];
	files_tmp_dir(out, sizeof(out), "interrupt");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setpgid(0, 0); /* its own group, as a shell job would be */
		execl(support_bin(), "concur", "run", "--models",
		      "sequential,threads,processes", "--workloads", "compute",
		      "--workers", "1,2", "--tasks", "4", "--work", "400",
		      "--repeat", "3", "--quiet", "--no-plot", "--label", "t",
		      "--out", out, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	char runs[4200];
	snprintf(runs, sizeof(runs), "%s/latest/runs.csv", out);
	/* Wait for the first measured row; then Ctrl-C the whole job. */
	int waited = 0;
	while (file_lines(runs) < 2 && waited++ < 600)
		usleep(50 * 1000);
	ck_assert_msg(waited < 600, "no row reached runs.csv");
	kill(-pid, SIGINT);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	/* Nothing of the job may be left: not the server, not a worker. */
	int gone = 0;
	for (int i = 0; i < 40 && !gone; i++) {
		gone = kill(-pid, 0) != 0 && errno == ESRCH;
		if (!gone)
			usleep(50 * 1000);
	}
	ck_assert_msg(gone, "a process of the interrupted run is left");
	char meta[4200];
	snprintf(meta, sizeof(meta), "%s/latest/meta.json", out);
	json_error_t err;
	json_t *root = json_load_file(meta, 0, &err);
	ck_assert_msg(root != NULL, "meta.json does not parse: %s", err.text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "status")),
			 "partial");
	json_decref(root);
	ck_assert_int_ge(file_lines(runs), 2);
	files_rm_dir(out);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *tc = runner_tcase(s, "measuring", 60);
	tcase_add_test(tc, a_small_run_after_a_large_one_has_a_small_peak);
	tcase_add_test(tc, ctrl_c_leaves_a_partial_set_and_no_process);
	return s;
}
