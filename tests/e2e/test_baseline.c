// SPDX-License-Identifier: MIT
/*
 * test_baseline.c - a run costs what was asked: the sequential baseline
 * is timed in full only when asked for or cheap, and otherwise estimated
 * from a sample and said to be so (table, summary.csv, meta.json);
 * --baseline chooses, and a bad value is a usage error. Which model is a
 * group's baseline, and which are Python, the registry says.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "models/model.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char out_dir[64];

/* Does file (in the latest set) have a line matching the grep regex? */
static int latest_has(const char *file, const char *regex)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "grep -q -E '%s' %s/latest/%s", regex,
		 out_dir, file);
	return system(cmd) == 0;
}

/* runs.csv's sample_tasks of the first run of model (by the header's
 * column name), or -1. */
static long latest_sample_tasks(const char *model)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "awk -F, 'NR==1{for(i=1;i<=NF;i++)if($i==\"sample_tasks\")c=i}"
		 " NR>1&&$2==\"%s\"{print $c; exit}' %s/latest/runs.csv",
		 model, out_dir);
	FILE *p = popen(cmd, "r");
	long v = -1;
	if (p) {
		if (fscanf(p, "%ld", &v) != 1)
			v = -1;
		pclose(p);
	}
	return v;
}

/* `concur run ARGS --no-plot --quiet --out DIR` into a fresh out_dir,
 * what it printed on stdout into out; fails the test unless it exits 0. */
static void baseline_run(const char *args, char *out, size_t len)
{
	files_tmp_dir(out_dir, sizeof(out_dir), "baseline");
	char cmd[512], err[4096];
	snprintf(cmd, sizeof(cmd), "run %s --no-plot --quiet --out %s", args,
		 out_dir);
	int rc = support_concur(cmd, out, len, err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d\n%s\n%s", rc, out, err);
}

/* 400 fetches of 500 ms: timed in full, the baseline alone would take
 * 200 s a repetition. Not asked for, it is sampled: the run takes
 * seconds, and every file says the baseline is an estimate. */
START_TEST(an_expensive_baseline_not_asked_for_is_sampled)
{
	char out[16384];
	double t0 = clock_now();
	baseline_run("--models eventloop --workloads fetch --tasks 400 "
		     "--delay 500 --workers 400 --repeat 2",
		     out, sizeof(out));
	double took = clock_now() - t0;
	ck_assert_msg(took < 60, "took %.0f s", took);
	ck_assert_msg(strstr(out, "baseline sequential estimated from its "
				  "first") != NULL,
		      "%s", out);
	ck_assert(latest_has("summary.csv",
			     "^fetch,eventloop,400,.*,estimated,"));
	ck_assert(latest_has("meta.json", "\"how\": \"estimated\""));
	long k = latest_sample_tasks("sequential");
	ck_assert_msg(k > 0 && k < 400, "sample_tasks %ld", k);
	files_rm_dir(out_dir);
}
END_TEST

/* Asked for by name, the baseline is timed in full even when it costs
 * more than the automatic limit (40 x 200 ms = 8 s > 5 s). */
START_TEST(a_baseline_asked_for_is_timed_in_full)
{
	char out[16384];
	baseline_run("--models sequential,threads --workloads fetch --tasks 40 "
		     "--delay 200 --workers 40 --repeat 1",
		     out, sizeof(out));
	ck_assert(latest_has("summary.csv", "^fetch,threads,40,.*,measured,"));
	ck_assert(latest_sample_tasks("sequential") == 0);
	ck_assert(latest_has("meta.json", "\"tasks_timed\": 40"));
	files_rm_dir(out_dir);
}
END_TEST

START_TEST(baseline_none_leaves_speedup_empty)
{
	char out[16384];
	baseline_run("--models threads --workloads compute --tasks 4 --work 1 "
		     "--workers 2 --repeat 1 --baseline none",
		     out, sizeof(out));
	ck_assert(strstr(out, "no baseline") != NULL);
	ck_assert(!latest_has("runs.csv", "^compute,sequential,"));
	/* speedup and efficiency: empty cells. */
	ck_assert(
		latest_has("summary.csv", "^compute,threads,2,([^,]*,){15},,"));
	ck_assert(latest_has("summary.csv", ",none,"));
	files_rm_dir(out_dir);
}
END_TEST

START_TEST(a_bad_baseline_is_a_usage_error)
{
	char out[1024], err[1024];
	int rc = support_concur("run --baseline sometimes --no-plot", out,
				sizeof(out), err, sizeof(err));
	ck_assert_int_eq(rc, 2);
	ck_assert_int_eq(support_lines(err), 1);
	ck_assert_msg(strstr(err, "--baseline") && strstr(err, "sometimes"),
		      "%s", err);
}
END_TEST

/* The registry's flags say what the names used to: the py-* models are
 * the Python ones, sequential and py-sequential the baselines; a name it
 * does not have is neither. */
START_TEST(the_registry_says_python_and_baseline)
{
	size_t n;
	const struct model *const *all = model_list(&n);
	for (size_t i = 0; i < n; i++) {
		const char *name = all[i]->name;
		bool py = strncmp(name, "py-", 3) == 0;
		bool base = strcmp(name, "sequential") == 0 ||
			    strcmp(name, "py-sequential") == 0;
		ck_assert_msg(!(all[i]->flags & MODEL_PYTHON) == !py, "%s",
			      name);
		ck_assert_msg(!(all[i]->flags & MODEL_BASELINE) == !base, "%s",
			      name);
		ck_assert_uint_eq(model_flags_of(name), all[i]->flags);
	}
	ck_assert_ptr_eq(model_baseline(false), model_find("sequential"));
	ck_assert_ptr_eq(model_baseline(true), model_find("py-sequential"));
	ck_assert_uint_eq(model_flags_of("py-unknown"), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *tc = runner_tcase(s, "baseline", 120);
	tcase_add_test(tc, an_expensive_baseline_not_asked_for_is_sampled);
	tcase_add_test(tc, a_baseline_asked_for_is_timed_in_full);
	tcase_add_test(tc, baseline_none_leaves_speedup_empty);
	tcase_add_test(tc, a_bad_baseline_is_a_usage_error);
	tcase_add_test(tc, the_registry_says_python_and_baseline);
	return s;
}
