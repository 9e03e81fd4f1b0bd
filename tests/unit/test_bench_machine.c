// SPDX-License-Identifier: MIT
/*
 * test_bench_machine.c - the machine a bench row records
 * (harness/bench/machine.h), read from a fake /proc and /sys under a
 * scratch root: the CPU model, kernel, online CPUs, the mitigations'
 * summary and hash, and the load average; a detail the summary leaves out still changes the
 * hash; a link, a FIFO or control bytes in those files are not obeyed.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/base/file_replace.h"
#include "harness/bench/machine.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"

#define VULNS "/sys/devices/system/cpu/vulnerabilities"

static char root[256];
static char full[BENCH_MACHINE_FULL_MAX];

/* Writes text to root + rel, making its folders. */
static void put(const char *rel, const char *text)
{
	char path[512], dir[512];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(file_mkdirs(dir), 0);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A machine of 5 CPUs with PTI, retpolines and one vulnerable path. */
static void fake_machine(void)
{
	files_tmp_dir(root, sizeof(root), "machine");
	put("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: Test\n"
			     "model name\t: Test CPU 9000 @ 3.00GHz\n\n"
			     "processor\t: 1\nmodel name\t: Second CPU\n");
	put("/proc/sys/kernel/osrelease", "6.18.0-test\n");
	put("/sys/devices/system/cpu/online", "0-3,6\n");
	put(VULNS "/meltdown", "Mitigation: PTI\n");
	put(VULNS "/spectre_v2",
	    "Mitigation: Retpolines; STIBP: disabled; RSB filling\n");
	put(VULNS "/mds", "Not affected\n");
	put(VULNS "/spec_store_bypass", "Vulnerable\n");
	put("/proc/loadavg", "3.25 2.00 1.00 1/100 4242\n");
}

START_TEST(the_machine_is_read_under_a_root)
{
	struct bench_machine m;
	fake_machine();
	bench_machine_read(root, &m, full);
	ck_assert_str_eq(m.cpu_model, "Test CPU 9000 @ 3.00GHz");
	ck_assert_str_eq(m.kernel, "6.18.0-test");
	ck_assert_int_eq(m.cores, 5);
	/* sorted by name, "Not affected" left out */
	ck_assert_str_eq(m.mitigations, "meltdown=pti;spec_store_bypass="
					"vulnerable;spectre_v2=retpolines");
	ck_assert_uint_eq(strlen(m.mitigations_hash), 16);
	ck_assert_double_eq_tol(bench_machine_load(root), 3.25, 1e-9);
	ck_assert_msg(strstr(full, "spectre_v2: Mitigation: Retpolines; "
				   "STIBP: disabled; RSB filling\n") &&
			      strstr(full, "mds: Not affected\n"),
		      "full text: %s", full);
	files_rm_dir(root);
}
END_TEST

START_TEST(a_detail_the_summary_leaves_out_changes_the_hash)
{
	struct bench_machine a, b;
	fake_machine();
	bench_machine_read(root, &a, full);
	put(VULNS "/spectre_v2",
	    "Mitigation: Retpolines; STIBP: always-on; RSB filling\n");
	bench_machine_read(root, &b, full);
	ck_assert_str_eq(a.mitigations, b.mitigations);
	ck_assert_str_ne(a.mitigations_hash, b.mitigations_hash);
	ck_assert_str_eq(bench_machine_differs(&a, &b), "mitigations");
	/* read again unchanged: the same hash (readdir's order is not) */
	bench_machine_read(root, &a, full);
	ck_assert_ptr_null(bench_machine_differs(&a, &b));
	put("/proc/sys/kernel/osrelease", "6.1.0\n");
	bench_machine_read(root, &a, full);
	ck_assert_str_eq(bench_machine_differs(&a, &b), "kernel");
	files_rm_dir(root);
}
END_TEST

START_TEST(the_side_file_holds_the_full_text)
{
	struct bench_machine m;
	char path[512], *text;
	fake_machine();
	bench_machine_read(root, &m, full);
	ck_assert_int_eq(bench_machine_save(root, &m, full, path, sizeof(path)),
			 0);
	ck_assert_ptr_nonnull(strstr(path, m.mitigations_hash));
	text = files_read(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "STIBP: disabled"));
	free(text);
	files_rm_dir(root);
}
END_TEST

/* A link is not followed, a FIFO not waited on, control bytes not kept:
 * the test's time limit catches a read that hangs. */
START_TEST(links_fifos_and_control_bytes_are_not_obeyed)
{
	struct bench_machine m;
	char target[512], link[512], fifo[512];
	fake_machine();
	snprintf(target, sizeof(target), "%s/elsewhere", root);
	snprintf(link, sizeof(link), "%s/proc/cpuinfo", root);
	put("/elsewhere", "model name\t: Followed a link\n");
	ck_assert_int_eq(unlink(link), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(fifo, sizeof(fifo), "%s%s/retbleed", root, VULNS);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	put("/proc/sys/kernel/osrelease", "6.18\033[2J\n,\"x\n");
	bench_machine_read(root, &m, full);
	ck_assert_str_eq(m.cpu_model, "unknown");
	ck_assert_ptr_nonnull(strstr(m.mitigations, "retbleed=unreadable"));
	ck_assert_ptr_null(strchr(m.kernel, '\033'));
	ck_assert_ptr_null(strchr(m.kernel, '\n'));
	files_rm_dir(root);
}
END_TEST

START_TEST(a_missing_root_is_unknown_not_this_machine)
{
	struct bench_machine m;
	bench_machine_read("/nonexistent/concur-root", &m, full);
	ck_assert_str_eq(m.cpu_model, "unknown");
	ck_assert_str_eq(m.kernel, "unknown");
	ck_assert_str_eq(m.mitigations, "unknown");
	ck_assert_int_eq(m.cores, 0);
	ck_assert(isnan(bench_machine_load("/nonexistent/concur-root")));
	/* the real one: something, and as many CPUs as sysconf says */
	bench_machine_read("", &m, full);
	ck_assert_int_eq(m.cores, (int)sysconf(_SC_NPROCESSORS_ONLN));
	ck_assert_str_ne(m.kernel, "unknown");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("bench_machine");
	TCase *tc = runner_tcase(s, "bench_machine", 10);
	tcase_add_test(tc, the_machine_is_read_under_a_root);
	tcase_add_test(tc, a_detail_the_summary_leaves_out_changes_the_hash);
	tcase_add_test(tc, the_side_file_holds_the_full_text);
	tcase_add_test(tc, links_fifos_and_control_bytes_are_not_obeyed);
	tcase_add_test(tc, a_missing_root_is_unknown_not_this_machine);
	return s;
}
