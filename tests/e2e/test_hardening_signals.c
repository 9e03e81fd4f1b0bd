// SPDX-License-Identifier: MIT
/*
 * test_hardening_signals.c - every way a run can end leaves no process
 * behind (issue 14's audit, item 1): it runs to the end, timeout(1) or
 * Ctrl-C signal its group, SIGTERM or kill -9 reach the harness alone, a
 * worker or the measured child is killed mid-run. And what such an ending
 * prints: a killed run shows no numbers, Ctrl-C is no failure; Ctrl-C
 * while the plots are drawn leaves the results and no plotting folder.
 *
 * Each run starts build/concur (CONCUR_BIN) in a session of its own, with
 * this process as the child subreaper (tests/support/session.h): whatever
 * the run leaves behind is re-parented here and found by its session id.
 */
#include <check.h>
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/external/external.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/session.h"
#include "tests/support/support.h"

/* Each test's own directory for result sets and files. */
static char tmp_dir[64];

/* ---- Every ending leaves nothing (item 1) ----------------------------- */

/* py-dask needs Dask (python3-distributed): without it, its endings pass
 * with a note, like mpi's. Any other model: 1. */
static int hard_have_dask(const char *model)
{
	char why[512];
	if (strcmp(model, "py-dask") != 0 ||
	    external_available(model_find(model), NULL, why, sizeof(why)))
		return 1;
	fprintf(stderr, "test_hardening_signals: py-dask skipped: %s\n", why);
	return 0;
}

static const char *const ending_models[] = {
	"sequential",	"threads",    "processes",     "eventloop",
	"gil",		"hybrid",     "py-sequential", "py-threads",
	"py-processes", "py-asyncio", "py-dask"};
#define N_ENDING_MODELS (sizeof(ending_models) / sizeof(ending_models[0]))

enum ending {
	END_NORMAL,	 /* runs to the end */
	END_TIMEOUT,	 /* timeout(1): SIGTERM to the whole group */
	END_CTRL_C,	 /* SIGINT to the whole group */
	END_SIGTERM,	 /* SIGTERM to the harness alone */
	END_KILL_WORKER, /* SIGKILL to a worker process mid-run */
	END_KILL_CHILD,	 /* SIGKILL to the measured child mid-run */
	N_ENDINGS
};

static const char *const ending_names[] = {
	"normal", "timeout", "ctrl-c", "sigterm", "kill-worker", "kill-child"};

START_TEST(every_ending_leaves_no_process)
{
	const char *model = ending_models[_i / N_ENDINGS];
	enum ending how = (enum ending)(_i % N_ENDINGS);
	if (strncmp(model, "py-", 3) == 0 &&
	    !support_python("test_hardening_signals"))
		return;
	if (!hard_have_dask(model))
		return;
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512], tag[64], what[128];
	/* A run that is killed once the model's workers trace needs no
	 * sequential baseline before them (1.4 s of waiting each); the run
	 * that ends normally keeps it, so that one ending covers it. The
	 * baseline models themselves are not run under --baseline none. */
	bool is_baseline = strcmp(model, "sequential") == 0 ||
			   strcmp(model, "py-sequential") == 0;
	snprintf(args, sizeof(args),
		 "run --models %s --workloads fetch --tasks 2 --workers 2 "
		 "--delay 700 --repeat 1 --no-plot --quiet --trace --out %s%s",
		 model, tmp_dir,
		 how == END_NORMAL || is_baseline ? "" : " --baseline none");
	snprintf(tag, sizeof(tag), "[%s w", model);
	snprintf(what, sizeof(what), "%s, %s", model, ending_names[how]);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	if (how != END_NORMAL) {
		ck_assert_msg(session_wait_for(&r, tag, 30), "%s: no trace: %s",
			      what, r.err);
		session_nap_ms(100); /* the pool is up */
		pid_t child = session_measured_child(&r);
		pid_t worker = session_deepest_under(r.pid, child);
		ck_assert_int_gt(child, 0);
		switch (how) {
		case END_TIMEOUT:
			kill(-r.pid, SIGTERM);
			break;
		case END_CTRL_C:
			kill(-r.pid, SIGINT);
			break;
		case END_SIGTERM:
			kill(r.pid, SIGTERM);
			break;
		case END_KILL_WORKER:
			/* Models without a worker process: the child. */
			kill(worker ? worker : child, SIGKILL);
			break;
		default:
			kill(child, SIGKILL);
			break;
		}
	}
	int rc = session_wait(&r, 60);
	ck_assert_msg(rc >= 0, "%s: the run did not end", what);
	session_assert_empty(r.pid, what);
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- kill -9 of the harness leaves nothing ---------------------------- */

static const char *const orphan_models[] = {"threads", "processes",
					    "py-processes", "mpi", "py-dask"};

/* SIGKILL to the harness alone, mid-run: nothing can clean up after it,
 * so the measured child must end itself (its parent-death signal), with
 * an external program's group (a Python pool, mpirun and its ranks).
 * The fetches are held 20 s by the suite's own server, which outlives
 * the harness: a run left behind would still be there when we look. */
START_TEST(kill_9_of_the_harness_leaves_no_process)
{
	const char *model = orphan_models[_i];
	char why[512];
	if (strncmp(model, "py-", 3) == 0 &&
	    !support_python("test_hardening_signals"))
		return;
	if (!hard_have_dask(model))
		return;
	if (strcmp(model, "mpi") == 0 &&
	    !external_available(model_find(model), NULL, why, sizeof(why))) {
		fprintf(stderr, "test_hardening_signals: mpi skipped: %s\n",
			why);
		return;
	}
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[1024], tag[64];
	snprintf(args, sizeof(args),
		 "run --models %s --workloads fetch --tasks 2 --workers 2 "
		 "--delay 20000 --timeout 30000 --server %s --baseline none "
		 "--repeat 1 --no-plot --quiet --trace --out %s",
		 model, support_server_url, tmp_dir);
	snprintf(tag, sizeof(tag), "[%s w", model);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	ck_assert_msg(session_wait_for(&r, tag, 60), "%s: no trace: %s", model,
		      r.err);
	session_nap_ms(100); /* the pool is up */
	kill(r.pid, SIGKILL);
	int rc = session_wait(&r, 10);
	ck_assert_msg(rc == 128 + SIGKILL, "%s: exit %d", model, rc);
	session_assert_empty(r.pid, model);
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- What an interrupted run prints (item 8) -------------------------- */

/* A model killed mid-run: its row says "-", not 0.000 s and inf tasks/s. */
START_TEST(a_killed_run_shows_no_numbers)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models threads --workloads fetch --tasks 2 --workers 2 "
		 "--delay 700 --repeat 1 --no-plot --quiet --trace --out %s",
		 tmp_dir);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	ck_assert_msg(session_wait_for(&r, "[threads w", 30), "%s", r.err);
	kill(session_measured_child(&r), SIGKILL);
	session_wait(&r, 30);
	char path[128];
	static char out[65536];
	snprintf(path, sizeof(path), "%s/stdout", tmp_dir);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	const char *row = support_table_row(out, "threads");
	ck_assert_msg(row, "no row: %s", out);
	char name[32], wall[32], per_s[32];
	int c;
	ck_assert_int_eq(
		sscanf(row, "%31s %d %31s %31s", name, &c, wall, per_s), 4);
	ck_assert_msg(strcmp(wall, "-") == 0 && strcmp(per_s, "-") == 0, "%s",
		      row);
	for (const char *p = row; (p = strstr(p, " -")) != NULL; p++)
		ck_assert_msg(!isdigit((unsigned char)p[2]),
			      "a negative number: %s", row);
	session_assert_empty(r.pid, "killed run");
	files_rm_dir(tmp_dir);
}
END_TEST

/* Ctrl-C while the reference runs: "interrupted", not "could not run". */
START_TEST(ctrl_c_during_the_reference_is_no_failure)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models threads --workloads compute --tasks 2 --work "
		 "3000 "
		 "--repeat 1 --no-plot --out %s",
		 tmp_dir);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	/* The reference runs in the run's first children: Ctrl-C 0.5 s
	 * after they are there (a nap from the start could land before them
	 * on a busy machine, when concur has not yet begun). */
	pid_t child = 0;
	for (int i = 0; i < 3000 && child <= 0 && !r.exited; i++) {
		child = session_measured_child(&r);
		session_poll(&r);
		session_nap_ms(10);
	}
	ck_assert_msg(child > 0, "no reference child in 30 s: %s", r.err);
	session_nap_ms(500);
	kill(-r.pid, SIGINT);
	session_wait(&r, 30);
	ck_assert_msg(!strstr(r.err, "could not run"), "%s", r.err);
	ck_assert_msg(strstr(r.err, "interrupted"), "%s", r.err);
	session_assert_empty(r.pid, "ctrl-c in the reference");
	files_rm_dir(tmp_dir);
}
END_TEST

/* A gnuplot among the session's live processes, or 0. */
static pid_t gnuplot_in(pid_t sid)
{
	struct session_proc procs[SESSION_MAX_PROCS];
	size_t n = session_live(sid, procs);
	for (size_t i = 0; i < n; i++) {
		char path[64], comm[32] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm",
			 (int)procs[i].pid);
		files_read_into(path, comm, sizeof(comm));
		if (!strncmp(comm, "gnuplot", 7))
			return procs[i].pid;
	}
	return 0;
}

/* Ctrl-C while the plots are drawn: the results are kept, the run exits
 * 130, and the set holds no half-made .plot-XXXXXX folder. */
START_TEST(ctrl_c_while_plotting_leaves_no_stage)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models sequential,threads --workloads compute "
		 "--workers 1,2 --tasks 4 --work 1 --repeat 1 --out %s",
		 tmp_dir);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	pid_t gp = 0;
	for (int i = 0; i < 6000 && !gp && !r.exited; i++) {
		gp = gnuplot_in(r.pid);
		session_poll(&r);
		session_nap_ms(10);
	}
	ck_assert_msg(gp > 0, "no gnuplot in 60 s: %s", r.err);
	kill(-r.pid, SIGINT);
	int rc = session_wait(&r, 30);
	ck_assert_msg(rc == 130, "exit %d: %s", rc, r.err);
	ck_assert_msg(strstr(r.err, "plotting stopped"), "%s", r.err);
	char cmd[256];
	snprintf(cmd, sizeof(cmd),
		 "find %s -name '.plot-*' | grep -q . || "
		 "! find %s -name summary.csv | grep -q .",
		 tmp_dir, tmp_dir);
	ck_assert_msg(system(cmd) != 0,
		      "a .plot- folder or no summary.csv "
		      "left in %s",
		      tmp_dir);
	session_assert_empty(r.pid, "ctrl-c while plotting");
	files_rm_dir(tmp_dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hardening_signals");
	/* In parts (TESTS_SPLIT): each part runs every other loop index. */
	TCase *endings = runner_tcase(s, "endings", 120);
	runner_loop_test(endings, every_ending_leaves_no_process, 0,
			 (int)(N_ENDING_MODELS * N_ENDINGS));
	TCase *orphans = runner_tcase(s, "orphans", 120);
	tcase_add_unchecked_fixture(orphans, support_server_up,
				    support_server_down);
	runner_loop_test(
		orphans, kill_9_of_the_harness_leaves_no_process, 0,
		(int)(sizeof(orphan_models) / sizeof(orphan_models[0])));
	TCase *printed = runner_tcase(s, "printed", 60);
	runner_test(printed, a_killed_run_shows_no_numbers);
	runner_test(printed, ctrl_c_during_the_reference_is_no_failure);
	runner_test(printed, ctrl_c_while_plotting_leaves_no_stage);
	return s;
}
