// SPDX-License-Identifier: MIT
/*
 * test_hardening_limits.c - a run within its limits (issue 14's audit):
 * C is capped at N for every model and the cap is said (item 2), a run
 * the descriptor limit refuses shows no numbers and one that needs no
 * descriptors is not refused, the descriptor limit is named once (item 6),
 * and a hung external model is killed at --model-timeout and fails the
 * run (item 4).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/session.h"
#include "tests/support/support.h"

/* Each test's own directory for result sets and files. */
static char tmp_dir[64];

/* ---- C is capped at N for every model (item 2) ------------------------ */

START_TEST(python_pool_is_capped_at_the_tasks)
{
	if (!support_python("test_hardening_limits"))
		return;
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models py-processes --workloads fetch --tasks 2 "
		 "--workers 60 --delay 300 --repeat 1 --no-plot --out %s",
		 tmp_dir);
	struct session_run r;
	session_start(&r, tmp_dir, args);
	size_t most = 0;
	struct session_proc procs[SESSION_MAX_PROCS];
	while (!r.exited) {
		session_poll(&r);
		size_t n = session_live(r.pid, procs);
		most = n > most ? n : most;
		session_nap_ms(5);
	}
	/* concur, its server, the measured child, Python and 2 workers
	 * (and the pool's manager, if any). */
	ck_assert_msg(most <= 8, "%zu processes for 2 tasks", most);
	ck_assert_int_eq(session_wait(&r, 10), 0);
	files_rm_dir(tmp_dir);
}
END_TEST

/* The models that run C workers (sequential and py-sequential run one). */
static const char *const capped_models[] = {
	"threads", "processes",	 "eventloop",	 "gil",
	"hybrid",  "py-threads", "py-processes", "py-asyncio"};

START_TEST(every_model_notes_the_cap)
{
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models all --workloads fetch --tasks 2 --workers 60 "
		 "--delay 1 --repeat 1 --no-plot --quiet --out %s",
		 tmp_dir);
	ck_assert_int_eq(support_concur_sh("", args, out, sizeof(out)), 0);
	for (size_t i = 0; i < sizeof(capped_models) / sizeof(capped_models[0]);
	     i++) {
		char note[128];
		snprintf(note, sizeof(note),
			 "note: %s C=60 really ran 2 workers",
			 capped_models[i]);
		if (strncmp(capped_models[i], "py-", 3) == 0 &&
		    !support_python("test_hardening_limits"))
			continue;
		ck_assert_msg(strstr(out, note), "no \"%s\" in\n%s", note, out);
	}
	files_rm_dir(tmp_dir);
}
END_TEST

/* Compute needs no sockets: a C beyond the descriptor limit is no reason
 * for the event loop to refuse it. */
START_TEST(compute_needs_no_descriptors)
{
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models eventloop,hybrid --workloads compute --tasks 2 "
		"--workers 5000 --work 1 --repeat 1 --no-plot --quiet --out %s",
		tmp_dir);
	int rc = support_concur_sh("ulimit -n 256", args, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	files_rm_dir(tmp_dir);
}
END_TEST

/* A run that never happened has no time, not "inf" tasks/s. */
START_TEST(a_refused_run_shows_no_numbers)
{
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models eventloop --workloads fetch --tasks 400 "
		"--workers 400 --delay 0 --repeat 1 --no-plot --quiet --out %s",
		tmp_dir);
	support_concur_sh("ulimit -n 256", args, out, sizeof(out));
	const char *row = support_table_row(out, "eventloop");
	ck_assert_msg(row, "no eventloop row in\n%s", out);
	ck_assert_msg(!strstr(row, "inf") && !strstr(row, "0.000 (0.000"), "%s",
		      row);
	char name[32], wall[32], per_s[32];
	int c;
	ck_assert_int_eq(
		sscanf(row, "%31s %d %31s %31s", name, &c, wall, per_s), 4);
	ck_assert_msg(strcmp(wall, "-") == 0 && strcmp(per_s, "-") == 0, "%s",
		      row);
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- A hung external model fails the run (item 4) --------------------- */

/* py-sequential killed at --model-timeout 2: on fetches that the server
 * holds for 20 s, and on compute that takes minutes in CPython. */
START_TEST(hung_model_fails_the_run)
{
	if (!support_python("test_hardening_limits"))
		return;
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[1024];
	snprintf(args, sizeof(args),
		 "run --models py-sequential --workloads %s --tasks 2 "
		 "--delay 20000 --timeout 30000 --py-work 300 "
		 "--model-timeout 2 --server %s --repeat 1 --no-plot --quiet "
		 "--out %s",
		 _i ? "compute" : "fetch", support_server_url, tmp_dir);
	int rc = support_concur_sh("", args, out, sizeof(out));
	ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out);
	/* Stopped by its time limit: a failed run, said as such. */
	ck_assert_msg(strstr(out, "FAILED: py-sequential") &&
			      strstr(out, "stopped"),
		      "%s", out);
	ck_assert_msg(!strstr(out, "timing, not wrong"), "%s", out);
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- File-descriptor limits are said once (item 6) -------------------- */

START_TEST(fd_limit_is_named_once)
{
	static char out[65536];
	static const char *const models[] = {"threads", "gil"};
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models %s --workloads mixed --work 3 --tasks 400 "
		"--workers 400 --delay 0 --repeat 1 --no-plot --quiet --out %s",
		models[_i], tmp_dir);
	/* Mixed: each thread keeps its connection open while it computes,
	 * so all 400 sockets are wanted at once. */
	support_concur_sh("ulimit -n 128", args, out, sizeof(out));
	char want[128];
	snprintf(want, sizeof(want), "note: %s mixed C=400: ", models[_i]);
	const char *note = strstr(out, want);
	ck_assert_msg(note, "no note in\n%s", out);
	ck_assert_msg(strstr(note, "found no free file descriptor: "
				   "RLIMIT_NOFILE is 128"),
		      "%s", out);
	ck_assert_msg(support_lines(out) < 40, "%d lines", support_lines(out));
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- A full disk: meta.json still says "partial" (issue 25 item 7) ----- */

/* In a mount namespace of its own, a 1 MiB tmpfs: the run starts there,
 * then, once its meta.json says "running", the disk is filled by another
 * file, so that every write of the run after that point fails. The script
 * prints the last meta.json. Skipped where mounting is not allowed. */
static const char full_disk_script[] =
	"set -u; mnt=%s/mnt; mkdir -p $mnt; "
	"mount -t tmpfs -o size=1m tmpfs $mnt || exit 77; "
	"%s run --models sequential,threads --workloads compute --tasks 4 "
	"--work 40 --workers 2 --repeat 3 --no-plot --out $mnt/r "
	">%s/run.out 2>&1 & pid=$!; "
	"i=0; until grep -qs running $mnt/r/*/meta.json || [ $i -gt 500 ]; "
	"do sleep 0.01; i=$((i+1)); done; "
	"dd if=/dev/zero of=$mnt/fill bs=4k 2>/dev/null; "
	"wait $pid; echo exit=$?; cat $mnt/r/*/meta.json";

START_TEST(full_disk_leaves_meta_partial_with_the_reason)
{
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char script[2048], cmd[2304];
	snprintf(script, sizeof(script), full_disk_script, tmp_dir,
		 support_bin(), tmp_dir);
	snprintf(cmd, sizeof(cmd),
		 "unshare -m --propagation private sh -c '%s'", script);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		fprintf(stderr, "test_hardening_limits: full disk: skipped "
				"(cannot mount a tmpfs here: not root?)\n");
		files_rm_dir(tmp_dir);
		return;
	}
	ck_assert_msg(strstr(out, "exit=1"), "the run should fail: %s", out);
	ck_assert_msg(strstr(out, "\"status\": \"partial\""),
		      "meta.json does not say partial:\n%s", out);
	ck_assert_msg(strstr(out, "No space left on device"),
		      "meta.json does not say why:\n%s", out);
	files_rm_dir(tmp_dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hardening_limits");
	TCase *caps = runner_tcase(s, "caps", 120);
	tcase_add_test(caps, python_pool_is_capped_at_the_tasks);
	tcase_add_test(caps, every_model_notes_the_cap);
	tcase_add_test(caps, compute_needs_no_descriptors);
	tcase_add_test(caps, a_refused_run_shows_no_numbers);
	TCase *hung = runner_tcase(s, "hung", 60);
	tcase_add_unchecked_fixture(hung, support_server_up,
				    support_server_down);
	tcase_add_loop_test(hung, hung_model_fails_the_run, 0, 2);
	TCase *fds = runner_tcase(s, "fds", 120);
	tcase_add_loop_test(fds, fd_limit_is_named_once, 0, 2);
	TCase *disk = runner_tcase(s, "disk", 60);
	tcase_add_test(disk, full_disk_leaves_meta_partial_with_the_reason);
	return s;
}
