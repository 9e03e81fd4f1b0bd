// SPDX-License-Identifier: MIT
/*
 * test_hostile_sets.c - a teacher's commands on files someone else made:
 * a result set whose names are shell commands is plotted (`concur plot`,
 * `concur compare --plot`) without running any, its good rows still
 * drawn; a symbolic link in a set is replaced by the picture, never
 * written through; `--out` naming a FIFO, a directory or a device is
 * refused in one line (exit 2) and what is there is left as it was;
 * plotting executes gnuplot and nothing else (no script calls system()
 * or reads "< command": the harness hands gnuplot plan.gp and files);
 * `--out` naming a symbolic link replaces the link, not its target.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

static char scratch[4200]; /* the suite's sets and markers */
static char good[4300];	   /* a real set */
static char hostile[4300]; /* the same, plus rows with hostile names */

/* The names a hostile set holds: each would create scratch/pwned-N if a
 * shell ever saw it. */
static void hostile_names(char names[5][4400])
{
	snprintf(names[0], 4400, "x';touch${IFS}%s/pwned-1;'", scratch);
	snprintf(names[1], 4400, "$(touch${IFS}%s/pwned-2)", scratch);
	snprintf(names[2], 4400, "`touch${IFS}%s/pwned-3`", scratch);
	snprintf(names[3], 4400, "a\"b'c;touch${IFS}%s/pwned-4", scratch);
	snprintf(names[4], 4400, "x\n';touch %s/pwned-5;'", scratch);
}

/* Appends to SET/name a copy of its second line (a good row) per hostile
 * name, with the name as its workload, then as its model. */
static void add_hostile_rows(const char *name)
{
	char path[4400], names[5][4400];
	snprintf(path, sizeof(path), "%s/%s", hostile, name);
	char *text = files_read(path, NULL);
	ck_assert(text != NULL);
	char *row = strchr(text, '\n') + 1;
	char *first = strchr(row, ','), *second = strchr(first + 1, ',');
	FILE *f = fopen(path, "a");
	ck_assert(f != NULL);
	hostile_names(names);
	for (size_t i = 0; i < 5; i++) {
		fprintf(f, "%s%.*s", names[i], (int)strcspn(first, "\n"),
			first);
		fprintf(f, "\n%.*s,%s%.*s\n", (int)(first - row), row, names[i],
			(int)strcspn(second, "\n"), second);
	}
	fclose(f);
	free(text);
}

static void sets_up(void)
{
	files_tmp_dir(scratch, sizeof(scratch), "hostile-sets");
	char args[4400], err[4096], cmd[9000];
	snprintf(args, sizeof(args),
		 "run --models sequential,threads --workloads compute "
		 "--workers 1,2 --tasks 4 --work 1 --repeat 1 --quiet "
		 "--no-plot --out %s --label good",
		 scratch);
	ck_assert_int_eq(support_concur(args, NULL, 0, err, sizeof(err)), 0);
	snprintf(good, sizeof(good), "%s/latest", scratch);
	snprintf(hostile, sizeof(hostile), "%s/hostile", scratch);
	snprintf(cmd, sizeof(cmd), "cp -rL '%s' '%s'", good, hostile);
	ck_assert_int_eq(system(cmd), 0);
	add_hostile_rows("summary.csv");
	add_hostile_rows("runs.csv");
	add_hostile_rows("tasks.csv");
}

/* No hostile name ran: no scratch/pwned-N. */
static void assert_nothing_ran(void)
{
	for (int i = 1; i <= 5; i++) {
		char path[4400];
		snprintf(path, sizeof(path), "%s/pwned-%d", scratch, i);
		ck_assert_msg(access(path, F_OK) != 0, "a name ran: %s", path);
	}
}

/* SET/name.svg was drawn and names both models. */
static void assert_drawn(const char *set, const char *name)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s.svg", set, name);
	char *svg = files_read(path, NULL);
	ck_assert_msg(svg != NULL, "%s is missing", path);
	ck_assert_msg(strstr(svg, ">sequential") && strstr(svg, ">threads"),
		      "%s does not draw the good rows", path);
	free(svg);
}

START_TEST(a_set_whose_names_are_commands_plots_without_running_them)
{
	sets_up();
	char args[9000], err[4096];
	snprintf(args, sizeof(args), "plot '%s'", hostile);
	int rc = support_concur(args, NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 0, "concur %s exited %d: %s", args, rc, err);
	assert_nothing_ran();
	ck_assert_msg(strstr(err, "left out"), "refused rows unsaid: %s", err);
	assert_drawn(hostile, "wall");
	assert_drawn(hostile, "scaling");
	assert_drawn(hostile, "timeline-compute");
	snprintf(args, sizeof(args), "compare '%s' '%s' --plot", good, hostile);
	support_concur(args, NULL, 0, err, sizeof(err));
	assert_nothing_ran();
	assert_drawn(hostile, "compare");
	snprintf(args, sizeof(args), "plot --compare '%s' '%s'", hostile, good);
	support_concur(args, NULL, 0, err, sizeof(err));
	assert_nothing_ran();
	assert_drawn(good, "compare");
	files_rm_dir(scratch);
}
END_TEST

/* No plots/NAME.gp calls system() or reads a "< command" data source. */
static void assert_scripts_run_nothing(void)
{
	glob_t g;
	ck_assert_int_eq(glob("plots/*.gp", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = files_read(g.gl_pathv[i], NULL);
		ck_assert(text != NULL);
		ck_assert_msg(!strstr(text, "system(") &&
				      !strstr(text, "\"< ") &&
				      !strstr(text, "'< "),
			      "%s runs a command", g.gl_pathv[i]);
		free(text);
	}
	globfree(&g);
}

/* scratch/bin: gnuplot, and a sh, awk, sed, head, dirname that each
 * write their name to scratch/called. */
static void fake_path_up(void)
{
	static const char *const fakes[] = {"sh", "awk", "sed", "head",
					    "dirname"};
	char cmd[9000];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/bin' && ln -sf \"$(command -v gnuplot)\" "
		 "'%s/bin/gnuplot'",
		 scratch, scratch);
	ck_assert_int_eq(system(cmd), 0);
	for (size_t i = 0; i < sizeof(fakes) / sizeof(fakes[0]); i++) {
		char path[4400], text[4600];
		snprintf(path, sizeof(path), "%s/bin/%s", scratch, fakes[i]);
		snprintf(text, sizeof(text),
			 "#!/bin/sh\necho %s >> '%s/called'\n", fakes[i],
			 scratch);
		FILE *f = fopen(path, "w");
		ck_assert(f != NULL);
		fputs(text, f);
		fclose(f);
		ck_assert_int_eq(chmod(path, 0755), 0);
	}
}

/* Every execve that succeeded in strace's trace ran concur or gnuplot. */
static void assert_trace_has_only_gnuplot(const char *trace, const char *args)
{
	char cmd[9000];
	snprintf(cmd, sizeof(cmd),
		 "grep ' = 0$' '%s' | grep -v "
		 "'execve(\"[^\"]*/\\(concur\\|gnuplot\\)\"'",
		 trace);
	ck_assert_msg(system(cmd) != 0, "concur %s executed more than gnuplot",
		      args);
}

/* `concur ARGS` in scratch with PATH=scratch/bin, under strace when there
 * is one: nothing but concur and gnuplot is executed. */
static void assert_runs_only_gnuplot(const char *args)
{
	char cmd[20000], trace[4400], bin[4096];
	snprintf(trace, sizeof(trace), "%s/trace", scratch);
	ck_assert(realpath(support_bin(), bin) != NULL);
	unlink(trace);
	int traced = access("/usr/bin/strace", X_OK) == 0;
	/* LeakSanitizer cannot run under ptrace: an ASan build's leak
	 * check is left to the untraced suites */
	if (traced)
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && /usr/bin/strace -f -qq -e trace=execve "
			 "-o '%s' -E PATH='%s/bin' "
			 "-E \"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}"
			 "detect_leaks=0\" %s %s </dev/null >/dev/null 2>&1",
			 scratch, trace, scratch, bin, args);
	/* strace may be forbidden (no ptrace): then the fake PATH judges */
	int rc = traced ? system(cmd) : -1;
	struct stat st;
	if (rc != 0 && (stat(trace, &st) != 0 || st.st_size == 0)) {
		traced = 0;
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && PATH='%s/bin' %s %s </dev/null "
			 ">/dev/null 2>&1",
			 scratch, scratch, bin, args);
		rc = system(cmd);
	}
	char called[4400];
	snprintf(called, sizeof(called), "%s/called", scratch);
	ck_assert_msg(access(called, F_OK) != 0,
		      "concur %s ran a shell, awk "
		      "or sed (see %s)",
		      args, called);
	if (traced)
		assert_trace_has_only_gnuplot(trace, args);
	ck_assert_msg(rc == 0, "concur %s failed", args);
}

START_TEST(plotting_runs_no_shell_awk_or_sed)
{
	sets_up();
	assert_scripts_run_nothing();
	fake_path_up();
	char args[9000];
	snprintf(args, sizeof(args), "plot '%s'", hostile);
	assert_runs_only_gnuplot(args);
	assert_drawn(hostile, "wall");
	assert_drawn(hostile, "scaling");
	assert_drawn(hostile, "timeline-compute");
	snprintf(args, sizeof(args), "plot --compare '%s' '%s'", hostile, good);
	assert_runs_only_gnuplot(args);
	assert_drawn(good, "compare");
	/* a set whose path begins with '<' (gnuplot: "run this") */
	char cmd[9000], lt[4400];
	snprintf(cmd, sizeof(cmd), "cp -rL '%s' '%s/<sh'", good, scratch);
	ck_assert_int_eq(system(cmd), 0);
	assert_runs_only_gnuplot("plot '<sh'");
	snprintf(lt, sizeof(lt), "%s/<sh", scratch);
	assert_drawn(lt, "wall");
	files_rm_dir(scratch);
}
END_TEST

START_TEST(a_link_in_a_set_is_replaced_not_written_through)
{
	sets_up();
	char outside[4400], link[4400], args[9000], err[4096];
	snprintf(outside, sizeof(outside), "%s/notes.txt", scratch);
	snprintf(link, sizeof(link), "%s/wall.svg", good);
	FILE *f = fopen(outside, "w");
	ck_assert(f != NULL);
	fputs("my notes\n", f);
	fclose(f);
	ck_assert_int_eq(symlink(outside, link), 0);
	snprintf(args, sizeof(args), "plot '%s'", good);
	int rc = support_concur(args, NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 0, "concur %s exited %d: %s", args, rc, err);
	char text[64];
	files_read_into(outside, text, sizeof(text));
	ck_assert_str_eq(text, "my notes\n");
	struct stat st;
	ck_assert(lstat(link, &st) == 0 && S_ISREG(st.st_mode));
	assert_drawn(good, "wall");
	files_rm_dir(scratch);
}
END_TEST

/* `concur CMD --out PATH ...` exits 2 with one line naming PATH. */
static void assert_out_refused(const char *cmd, const char *path)
{
	char args[9000], err[4096];
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
	TCase *sets = runner_tcase(s, "sets", 60);
	tcase_add_test(
		sets,
		a_set_whose_names_are_commands_plots_without_running_them);
	tcase_add_test(sets, a_link_in_a_set_is_replaced_not_written_through);
	tcase_add_test(sets, plotting_runs_no_shell_awk_or_sed);
	TCase *out = runner_tcase(s, "out", 30);
	tcase_add_test(out, out_naming_a_fifo_or_a_directory_is_refused);
	tcase_add_test(out,
		       out_naming_a_device_is_refused_and_the_device_stays);
	tcase_add_test(out, out_naming_a_link_replaces_the_link_not_its_target);
	return s;
}
