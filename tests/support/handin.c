// SPDX-License-Identifier: MIT
/*
 * handin.c - hand-ins made for `concur class` and what it left judged
 * (handin.h): a scratch folder with one good set and a teacher's secret
 * set, concur run under `timeout` with a TMPDIR of its own, and the
 * checks every hostile hand-in shares (refused in one line, the page
 * written for the good one, no temp file left).
 */
#define _GNU_SOURCE
#include "tests/support/handin.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tests/support/files.h"
#include "tests/support/support.h"

char handin_dir[64];
char handin_tmp[128];
char handin_out[65536];
char handin_err[65536];

/* ---- making hand-ins --------------------------------------------------- */

void handin_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A small, valid result set at path, its machine called host. */
void handin_make_set(const char *path, const char *host)
{
	char file[512], meta[512];
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(meta, sizeof(meta),
		 "{\"machine\": {\"host\": \"%s\", \"cores\": 2}, "
		 "\"status\": \"complete\"}\n",
		 host);
	snprintf(file, sizeof(file), "%s/meta.json", path);
	handin_write_file(file, meta);
	snprintf(file, sizeof(file), "%s/summary.csv", path);
	handin_write_file(
		file, "workload,model,workers,tasks,work,runs,wall_median_s,"
		      "wall_min_s,wall_max_s,speedup,verified\n"
		      "compute,sequential,1,4,1,2,0.010,0.009,0.012,1.0,yes\n"
		      "compute,threads,2,4,1,2,0.006,0.005,0.007,1.7,yes\n");
	snprintf(file, sizeof(file), "%s/runs.csv", path);
	handin_write_file(file, "workload,model,workers,run,wall_s\n"
				"compute,sequential,1,1,0.010\n"
				"compute,threads,2,1,0.006\n");
}

/* Runs cmd through sh (stdout and stderr into out); asserts it exits 0. */
void handin_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char full[8300];
	snprintf(full, sizeof(full), "(%s\n) 2>&1 </dev/null", cmd);
	FILE *p = popen(full, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(handin_out, 1, sizeof(handin_out) - 1, p);
	handin_out[n] = '\0';
	while (fgetc(p) != EOF)
		;
	int st = pclose(p);
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	ck_assert_msg(rc == 0, "making the hand-in failed (%d): %s\n%s", rc,
		      cmd, handin_out);
}

/* The scratch folder: dir/tmp (TMPDIR), dir/c/good (the good hand-in),
 * dir/secret/set (a set of the teacher's, never to be shown). */
void handin_scratch(void)
{
	char path[256];
	files_tmp_dir(handin_dir, sizeof(handin_dir), "hostile");
	snprintf(handin_tmp, sizeof(handin_tmp), "%s/tmp", handin_dir);
	ck_assert_int_eq(mkdir(handin_tmp, 0700), 0);
	snprintf(path, sizeof(path), "%s/c", handin_dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/c/good", handin_dir);
	handin_make_set(path, "good-host");
	snprintf(path, sizeof(path), "%s/secret", handin_dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/secret/set", handin_dir);
	handin_make_set(path, "teachers-secret");
}

/* ---- running concur and judging what it left -------------------------- */

/* `concur ARGS` with TMPDIR=tmp, killed after 30 s (a hang fails the
 * test instead of stopping the suite); stdout and stderr apart. */
int handin_concur(const char *fmt, ...)
{
	char args[4096], bin[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(bin, sizeof(bin), "TMPDIR=%s timeout -s KILL 30 %s",
		 handin_tmp, support_bin());
	return support_run_bin(bin, args, handin_out, sizeof(handin_out),
			       handin_err, sizeof(handin_err));
}

/* Nothing left in TMPDIR, and no page half-written beside the page. */
void handin_assert_no_temp_left(void)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "test -z \"$(ls -A %s)\" && test -z \"$(ls %s | grep "
		 "'\\.tmp\\.')\"",
		 handin_tmp, handin_dir);
	ck_assert_msg(system(cmd) == 0, "temp files left in %s or %s",
		      handin_tmp, handin_dir);
}

/* `concur class` on dir/c (the good hand-in and the bad ones, plus
 * flags): exit 0, the page written for the good one, each of the
 * `refused` bad ones in one line of stderr, no temp file left. */
void handin_class_refuses(int refused, const char *flags)
{
	char want[64];
	int rc = handin_concur("class --out %s/class.html %s %s/c", handin_dir,
			       flags, handin_dir);
	ck_assert_msg(rc == 0, "exit %d\nstdout: %s\nstderr: %s", rc,
		      handin_out, handin_err);
	snprintf(want, sizeof(want), "(1 sets, %d refused)", refused);
	ck_assert_msg(strstr(handin_out, want), "no '%s' in: %s\nstderr: %s",
		      want, handin_out, handin_err);
	ck_assert_msg(support_lines(handin_err) == refused,
		      "%d refused but %d lines: %s", refused,
		      support_lines(handin_err), handin_err);
	char path[256];
	snprintf(path, sizeof(path), "%s/class.html", handin_dir);
	char *page = files_read(path, NULL);
	ck_assert_msg(page && strstr(page, "good-host"),
		      "no page for the good hand-in");
	ck_assert_msg(!strstr(page, "teachers-secret"),
		      "the teacher's set is on the page");
	free(page);
	handin_assert_no_temp_left();
}

/* The one line about hand-in `name` holds `why`. */
void handin_assert_said(const char *name, const char *why)
{
	char want[256];
	snprintf(want, sizeof(want), "%s refused: ", name);
	const char *line = strstr(handin_err, want);
	ck_assert_msg(line, "'%s' not refused: %s", name, handin_err);
	size_t n = strcspn(line, "\n");
	ck_assert_msg(memmem(line, n, why, strlen(why)),
		      "'%s' refused without '%s': %.*s", name, why, (int)n,
		      line);
}
