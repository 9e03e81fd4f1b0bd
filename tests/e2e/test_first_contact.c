// SPDX-License-Identifier: MIT
/*
 * test_first_contact.c - what a newcomer does first works the first time:
 * `make run` on a machine that has none of the packages (dpkg-query,
 * pkg-config and apt-get faked by tests/data/fresh-debian/: nothing is
 * installed until apt-get install ran), the same as a user who is not
 * root (one sudo line, nothing built), and an install under another
 * PREFIX run from another directory. Slow: each builds concur anew.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"

/* Runs cmd through sh; its stdout and stderr go to out (truncated).
 * Returns the exit status, or -1. */
static int run_sh(const char *cmd, char *out, size_t len)
{
	char full[8192];
	/* A make started by `make test` must not inherit its variables
	 * (BUILD, SAN, TESTS) or its jobserver. */
	snprintf(full, sizeof(full),
		 "(unset MAKEFLAGS MFLAGS MAKELEVEL; %s) </dev/null 2>&1", cmd);
	FILE *p = popen(full, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	while (fgetc(p) != EOF) /* drain what did not fit */
		;
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `make run` under the fake fresh machine, as user FAKE_UID, building in
 * dir/build and writing results to dir/out. */
static int fresh_make_run(const char *dir, int uid, char *out, size_t len)
{
	char cwd[4096], cmd[8192];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(cmd, sizeof(cmd),
		 "PATH=%s/tests/data/fresh-debian:$PATH FAKE_UID=%d "
		 "FAKE_MARK=%s/installed FAKE_LOG=%s/apt.log "
		 "make -s -j2 run BUILD=%s/build SAN= CFLAGS='-O1 -g' "
		 "RUN_ARGS='--models sequential,threads --workloads compute "
		 "--tasks 4 --work 1 --workers 2 --repeat 1 --no-plot "
		 "--out %s/out'",
		 cwd, uid, dir, dir, dir, dir);
	return run_sh(cmd, out, len);
}

START_TEST(make_run_works_the_first_time_on_a_fresh_machine)
{
	char dir[64], out[16384], path[128];
	files_tmp_dir(dir, sizeof(dir), "first");
	int rc = fresh_make_run(dir, 0, out, sizeof(out));
	ck_assert_msg(rc == 0, "make run exited %d:\n%s", rc, out);
	/* It installed, then built with the libraries' flags, then ran. */
	snprintf(path, sizeof(path), "%s/installed", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/build/concur", dir);
	ck_assert_int_eq(access(path, X_OK), 0);
	ck_assert_msg(strstr(out, "threads") != NULL, "no table:\n%s", out);
	snprintf(path, sizeof(path), "%s/out/latest/runs.csv", dir);
	ck_assert_int_eq(access(path, R_OK), 0);
	files_rm_dir(dir);
}
END_TEST

START_TEST(make_run_without_root_names_the_install_line_and_stops)
{
	char dir[64], out[16384], path[128];
	files_tmp_dir(dir, sizeof(dir), "first");
	int rc = fresh_make_run(dir, 1000, out, sizeof(out));
	ck_assert_int_ne(rc, 0);
	ck_assert_msg(strstr(out, "sudo apt-get install -y ") != NULL &&
			      strstr(out, "libcurl4-openssl-dev") != NULL,
		      "%s", out);
	snprintf(path, sizeof(path), "%s/build/concur", dir);
	ck_assert_int_ne(access(path, F_OK), 0); /* nothing built */
	snprintf(path, sizeof(path), "%s/apt.log", dir);
	ck_assert_int_ne(access(path, F_OK), 0); /* apt-get never ran */
	files_rm_dir(dir);
}
END_TEST

/* Built with the default PREFIX, installed under another one, run from
 * another directory: the program finds its Python models and gnuplot
 * scripts from its own place (PREFIX/bin/../share/concur). */
START_TEST(an_install_elsewhere_finds_its_data)
{
	char dir[64], out[16384], cmd[8192];
	files_tmp_dir(dir, sizeof(dir), "first");
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	snprintf(cmd, sizeof(cmd),
		 "make -s install BUILD=%s PREFIX=/opt/concur-x "
		 "DESTDIR=%s/root",
		 build, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "make install exited %d:\n%s", rc, out);
	snprintf(cmd, sizeof(cmd),
		 "cd / && %s/root/opt/concur-x/bin/concur run "
		 "--models py-threads --workloads compute --tasks 2 --work 1 "
		 "--py-work 1 --workers 2 --repeat 1 --out %s/out",
		 dir, dir);
	rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "concur run exited %d:\n%s", rc, out);
	ck_assert_msg(strstr(out, "No such file") == NULL, "%s", out);
	char png[256];
	snprintf(png, sizeof(png), "%s/out/latest/speedup.png", dir);
	struct stat st;
	ck_assert_msg(stat(png, &st) == 0 && st.st_size > 0, "no plot:\n%s",
		      out);
	files_rm_dir(dir);
}
END_TEST

/* Two sets run with different --tasks and --repeat: compare names each
 * difference on its own line before any ratio. */
START_TEST(compare_lists_the_settings_that_differ_first)
{
	char dir[64], out[16384], cmd[8192];
	files_tmp_dir(dir, sizeof(dir), "first");
	const char *bin =
		getenv("CONCUR_BIN") ? getenv("CONCUR_BIN") : "build/concur";
	const char *common = "--models threads --workloads compute --work 1 "
			     "--workers 2 --no-plot";
	snprintf(cmd, sizeof(cmd),
		 "%s run %s --tasks 4 --repeat 1 --out %s/a >/dev/null && "
		 "%s run %s --tasks 6 --repeat 2 --out %s/b >/dev/null && "
		 "%s compare %s/a/latest %s/b/latest",
		 bin, common, dir, bin, common, dir, bin, dir, dir);
	int rc = run_sh(cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "exited %d:\n%s", rc, out);
	char *tasks = strstr(out, "options.tasks: 4 (A) vs 6 (B)");
	char *repeat = strstr(out, "options.repeat: 1 (A) vs 2 (B)");
	char *table = strstr(out, "compute,threads,2");
	ck_assert_msg(tasks && repeat && table && tasks < table &&
			      repeat < table,
		      "%s", out);
	ck_assert_msg(strstr(out, "options.work:") == NULL, "%s", out);
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("first_contact");
	TCase *tc = runner_tcase(s, "first_contact", 600);
	tcase_add_test(tc, make_run_works_the_first_time_on_a_fresh_machine);
	tcase_add_test(tc,
		       make_run_without_root_names_the_install_line_and_stops);
	tcase_add_test(tc, an_install_elsewhere_finds_its_data);
	tcase_add_test(tc, compare_lists_the_settings_that_differ_first);
	return s;
}
