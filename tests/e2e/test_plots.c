// SPDX-License-Identifier: MIT
/*
 * test_plots.c - what a result set promises to its reader: runs.csv,
 * summary.csv and tasks.csv carry the columns results/README.md documents
 * and one row per run, case and task of the sweep; meta.json parses; and
 * `concur plot` draws every picture, each with its title, its labelled
 * axes and one series per model, without failing when a picture has
 * nothing to show.
 *
 * One small sweep (fetch and compute, two models, C = 1,2, two
 * repetitions) runs once for the whole suite, then each test reads it.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/report/plot_stage.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define TASKS 6
#define REPEAT 2
#define N_WORKERS 2 /* --workers 1,2 */
#define N_WORKLOADS 2

static char out_dir[] = "/tmp/concur-plots-XXXXXX";
static char set_dir[4200];  /* the sweep's result set */
static char base_dir[4200]; /* a set with the baseline alone */
static char second[64];	    /* the model compared with sequential */
static int n_models;	    /* 2, or 1 while sequential is alone */

/* ---- the documented columns (results/README.md) ---- */

static const char runs_header[] =
	"workload,model,workers,rep,tasks,work,wall_s,user_s,sys_s,"
	"peak_rss_kib,vol_csw,invol_csw,setup_s,workers_started,handovers,"
	"lock_wait_s,lat_p50_ms,lat_p95_ms,lat_p99_ms,lat_max_ms,ok,"
	"http_error,refused,timeout,dns,reset,truncated,crashed,not_run,"
	"other,verified,wrong,timing_diffs,startup_s,figures,sample_tasks,"
	"peak_pss_kib,peak_uss_kib,tree_rss_kib,processes,mem_samples,"
	"sampler_cpu_s,compute_at_once,lost_updates,stopped,late,arrival,"
	"offered_rate,naive_p50_ms,naive_p90_ms,naive_p99_ms,naive_p999_ms,"
	"naive_max_ms,corrected_p50_ms,corrected_p90_ms,corrected_p99_ms,"
	"corrected_p999_ms,corrected_max_ms,backend";
static const char summary_header[] =
	"workload,model,workers,tasks,work,runs,wall_median_s,wall_min_s,"
	"wall_max_s,user_s,sys_s,peak_rss_kib,setup_s,lat_p50_ms,lat_p95_ms,"
	"lat_p99_ms,lat_max_ms,errors,speedup,efficiency,ideal_s,"
	"ratio_to_ideal,noisy,first_outlier,verified,timing_diffs,"
	"workers_started,baseline,peak_pss_kib,peak_uss_kib,processes,"
	"compute_at_once,arrival,offered_rate,naive_p50_ms,naive_p90_ms,"
	"naive_p99_ms,naive_p999_ms,naive_max_ms,corrected_p50_ms,"
	"corrected_p90_ms,corrected_p99_ms,corrected_p999_ms,corrected_max_ms";
static const char tasks_header[] =
	"workload,model,workers,task,worker,start_s,end_s,kind,lock_wait_s,"
	"intended_s";

/* ---- reading files ---- */

static int count_char(const char *s, size_t len, char c)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* Checks a CSV: its header is `header`, every row has as many fields,
 * and the first field of each row is a workload of the sweep; returns
 * the number of rows. */
static int check_csv(const char *name, const char *header)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/%s", set_dir, name);
	char *text = files_read(path, NULL);
	ck_assert_msg(text != NULL, "%s is missing", path);
	size_t hlen = strlen(header);
	ck_assert_msg(strncmp(text, header, hlen) == 0 && text[hlen] == '\n',
		      "%s's header is not the documented one:\n%.*s", name,
		      (int)strcspn(text, "\n"), text);
	int fields = count_char(header, hlen, ',') + 1, rows = 0;
	for (char *line = text + hlen + 1; *line;) {
		size_t len = strcspn(line, "\n");
		ck_assert_msg(count_char(line, len, ',') + 1 == fields,
			      "%s: a row with the wrong number of fields: %.*s",
			      name, (int)len, line);
		ck_assert_msg(strncmp(line, "fetch,", 6) == 0 ||
				      strncmp(line, "compute,", 8) == 0,
			      "%s: a row of no workload of the sweep: %.*s",
			      name, (int)len, line);
		rows++;
		line += len + (line[len] == '\n');
	}
	free(text);
	return rows;
}

/* ---- the sweep, once for the suite ---- */

/* The model to compare with sequential: threads, or the first other C
 * model that is not an exercise; "" while sequential is the only one. */
static void pick_second_model(void)
{
	char list[8192];
	second[0] = '\0';
	if (support_concur("models", list, sizeof(list), NULL, 0) != 0)
		return;
	if (strstr(list, "  threads ")) {
		snprintf(second, sizeof(second), "threads");
		return;
	}
	for (char *line = list; *line; line += strcspn(line, "\n") + 1) {
		char name[64];
		if (sscanf(line, " %63s", name) == 1 &&
		    strcmp(name, "sequential") != 0 &&
		    strncmp(name, "py-", 3) != 0 &&
		    !strstr(line, "[exercise]")) {
			snprintf(second, sizeof(second), "%s", name);
			return;
		}
		if (!line[strcspn(line, "\n")])
			break;
	}
}

/* concur run ARGS into out_dir with --label label, then the path of the
 * set in dir. */
static void run_sweep(const char *args, const char *label, char *dir,
		      size_t len)
{
	char cmd[2048], err[4096];
	snprintf(cmd, sizeof(cmd),
		 "run %s --out %s --label %s --quiet --no-plot", args, out_dir,
		 label);
	int rc = support_concur(cmd, NULL, 0, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "test_plots: concur %s exited %d: %s\n", cmd,
			rc, err);
		exit(1);
	}
	/* results/latest names the newest set */
	char link[4300], target[4096];
	snprintf(link, sizeof(link), "%s/latest", out_dir);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		fprintf(stderr, "test_plots: no %s\n", link);
		exit(1);
	}
	target[n] = '\0';
	snprintf(dir, len, "%s/%s", out_dir, target);
}

static void sweep_up(void)
{
	if (!mkdtemp(out_dir)) {
		perror("test_plots: mkdtemp");
		exit(1);
	}
	pick_second_model();
	n_models = second[0] ? 2 : 1;
	char args[512];
	snprintf(args, sizeof(args),
		 "--models sequential%s%s --workloads fetch,compute "
		 "--workers 1,2 --tasks %d --delay 20 --work 2 --repeat %d",
		 second[0] ? "," : "", second, TASKS, REPEAT);
	run_sweep(args, "sweep", set_dir, sizeof(set_dir));
	run_sweep("--models sequential --workloads compute --workers 1 "
		  "--tasks 3 --work 1 --repeat 1",
		  "alone", base_dir, sizeof(base_dir));
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "plot %s", set_dir);
	char err[4096];
	if (support_concur(cmd, NULL, 0, err, sizeof(err)) != 0) {
		fprintf(stderr, "test_plots: concur %s failed: %s\n", cmd, err);
		exit(1);
	}
}

static void sweep_down(void)
{
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", out_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_plots: could not remove %s\n", out_dir);
}

/* ---- the files ---- */

START_TEST(runs_csv_has_one_row_per_measured_run)
{
	/* run.c's run_count: per group, the baseline once and every other
	 * model at each C, each repeated. */
	int expected = N_WORKLOADS * (1 + (n_models - 1) * N_WORKERS) * REPEAT;
	ck_assert_int_eq(check_csv("runs.csv", runs_header), expected);
}
END_TEST

START_TEST(summary_csv_has_one_row_per_case)
{
	int expected = N_WORKLOADS * (1 + (n_models - 1) * N_WORKERS);
	ck_assert_int_eq(check_csv("summary.csv", summary_header), expected);
}
END_TEST

START_TEST(tasks_csv_has_every_task_of_one_run_per_model)
{
	int expected = N_WORKLOADS * n_models * TASKS;
	ck_assert_int_eq(check_csv("tasks.csv", tasks_header), expected);
}
END_TEST

START_TEST(meta_json_parses_and_describes_the_sweep)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/meta.json", set_dir);
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	ck_assert_msg(root != NULL, "meta.json: %s (line %d)", err.text,
		      err.line);
	ck_assert_str_eq(json_string_value(json_object_get(root, "status")),
			 "complete");
	json_t *cores =
		json_object_get(json_object_get(root, "machine"), "cores");
	ck_assert_msg(json_is_integer(cores) && json_integer_value(cores) > 0,
		      "meta.json has no machine.cores");
	json_t *opts = json_object_get(root, "options");
	ck_assert_int_eq(json_integer_value(json_object_get(opts, "repeat")),
			 REPEAT);
	ck_assert_int_eq(json_integer_value(json_object_get(opts, "tasks")),
			 TASKS);
	ck_assert_int_eq(json_array_size(json_object_get(opts, "models")),
			 n_models);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "runs")),
			 (json_int_t)N_WORKLOADS *
				 (1 + (n_models - 1) * N_WORKERS) * REPEAT);
	ck_assert_msg(json_is_string(json_object_get(root, "command")),
		      "meta.json has no command");
	json_decref(root);
}
END_TEST

/* ---- the pictures ---- */

struct picture {
	const char *name;      /* NAME.svg and NAME.png */
	const char *title;     /* a part of its title */
	const char *labels[2]; /* its axis labels (NULL: none more) */
	int baseline_drawn;    /* is sequential one of its series? */
	int needs_sweep;       /* drawn only when a model ran at several C */
};

static const struct picture pictures[] = {
	{"wall", "Wall time per model", {"wall time (s)", NULL}, 1, 0},
	{"scaling",
	 "Wall time vs workers",
	 {"workers C (log scale)", "wall time (s, log scale)"},
	 1,
	 1},
	{"speedup",
	 "Speedup vs workers",
	 {"workers C (log scale)", "speedup over the baseline (x)"},
	 0,
	 1},
	{"memory",
	 "Peak memory",
	 {"workers C (log scale)", "peak memory (MiB, log scale)"},
	 1,
	 1},
	{"latency",
	 "Per-task latency",
	 {"task latency (ms)", "percentile"},
	 1,
	 0},
	{"timeline-fetch",
	 "Timeline of one run per model, fetch workload",
	 {"time since the start of the run (ms)", "worker"},
	 1,
	 0},
	{"timeline-compute",
	 "Timeline of one run per model, compute workload",
	 {"time since the start of the run (ms)", "worker"},
	 1,
	 0},
};

#define N_PICTURES (sizeof(pictures) / sizeof(pictures[0]))

/* Is model m a text of the SVG: a key entry or a tic label (">m<"), or
 * the start of one (">m, C = 2<", ">m (C = 1)<")? */
static int svg_names(const char *svg, const char *m)
{
	char pat[96];
	const char *ends[] = {"<", ",", " ("};
	for (size_t i = 0; i < 3; i++) {
		snprintf(pat, sizeof(pat), ">%s%s", m, ends[i]);
		if (strstr(svg, pat))
			return 1;
	}
	return 0;
}

static int svg_series(const char *svg)
{
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "<g id=\"gnuplot_plot_")); p++)
		n++;
	return n;
}

START_TEST(each_picture_has_its_title_axes_and_models)
{
	const struct picture *p = &pictures[_i];
	if (p->needs_sweep && n_models < 2)
		return; /* nothing to sweep: checked by the next test */
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s.png", set_dir, p->name);
	ck_assert_msg(access(path, R_OK) == 0, "%s is missing", path);
	snprintf(path, sizeof(path), "%s/%s.svg", set_dir, p->name);
	char *svg = files_read(path, NULL);
	ck_assert_msg(svg != NULL, "%s is missing", path);
	ck_assert_msg(strstr(svg, p->title) != NULL, "%s has no title '%s'",
		      path, p->title);
	for (size_t i = 0; i < 2 && p->labels[i]; i++) {
		char text[128];
		snprintf(text, sizeof(text), ">%s<", p->labels[i]);
		ck_assert_msg(strstr(svg, text) != NULL,
			      "%s has no axis label '%s'", path, p->labels[i]);
	}
	if (p->baseline_drawn)
		ck_assert_msg(svg_names(svg, "sequential"),
			      "%s does not name sequential", path);
	if (n_models > 1)
		ck_assert_msg(svg_names(svg, second), "%s does not name %s",
			      path, second);
	ck_assert_msg(!svg_names(svg, "no-such-model"), "svg_names is blind");
	/* one series per model, in each of the two workloads' panels */
	int models_drawn = n_models - !p->baseline_drawn;
	ck_assert_msg(svg_series(svg) >= models_drawn,
		      "%s: %d series for "
		      "%d models",
		      path, svg_series(svg), models_drawn);
	free(svg);
}
END_TEST

START_TEST(a_set_with_only_the_baseline_still_plots)
{
	char cmd[4400], err[4096];
	snprintf(cmd, sizeof(cmd), "plot %s", base_dir);
	int rc = support_concur(cmd, NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 0, "concur %s exited %d: %s", cmd, rc, err);
	char path[4400];
	snprintf(path, sizeof(path), "%s/wall.svg", base_dir);
	ck_assert_msg(access(path, R_OK) == 0, "%s is missing", path);
	/* nothing ran at several C: no scaling picture, and the log says so */
	snprintf(path, sizeof(path), "%s/scaling.svg", base_dir);
	ck_assert_msg(access(path, F_OK) != 0, "%s drawn from nothing", path);
	snprintf(path, sizeof(path), "%s/gnuplot.log", base_dir);
	char *log = files_read(path, NULL);
	ck_assert_msg(log && strstr(log, "nothing to plot"),
		      "gnuplot.log does not say why scaling is missing");
	free(log);
}
END_TEST

START_TEST(without_gnuplot_plot_says_how_to_get_it)
{
	char cmd[8800];
	snprintf(cmd, sizeof(cmd),
		 "PATH=/nonexistent %s plot %s </dev/null >/dev/null 2>%s/err",
		 support_bin(), base_dir, out_dir);
	int status = system(cmd);
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	char path[4300];
	snprintf(path, sizeof(path), "%s/err", out_dir);
	char *err = files_read(path, NULL);
	ck_assert_msg(err && strstr(err, "gnuplot-nox") &&
			      strstr(err, "concur plot"),
		      "no advice on getting gnuplot: %s", err ? err : "");
	free(err);
}
END_TEST

/* A case whose results were wrong reaches gnuplot without a speedup,
 * efficiency or ratio to ideal (nothing draws them as measured); the
 * verified case and the wrong case's other fields are copied whole. */
START_TEST(a_wrong_case_has_no_speedup_to_draw)
{
	char dir[64], path[4400];
	files_tmp_dir(dir, sizeof(dir), "plot-wrong");
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("workload,model,workers,speedup,efficiency,ratio_to_ideal,"
	      "verified\n"
	      "shared,threads,1,1.02,1.02,1.1,yes\n"
	      "shared,threads,2,0.87,0.43,2.5,no\n",
	      f);
	fclose(f);
	struct plot_stage st = {0};
	ck_assert_int_eq(plot_stage_open(&st, dir), 0);
	ck_assert_int_eq(plot_stage_copy_set(&st, dir, NULL), 0);
	snprintf(path, sizeof(path), "%s/summary.csv", st.dir);
	char *copy = files_read(path, NULL);
	plot_stage_remove(&st);
	files_rm_dir(dir);
	ck_assert_ptr_nonnull(copy);
	ck_assert_msg(strstr(copy, "shared,threads,1,1.02,1.02,1.1,yes\n") &&
			      strstr(copy, "shared,threads,2,,,,no\n"),
		      "%s", copy);
	free(copy);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("plots");
	TCase *files = runner_tcase(s, "files", 30);
	tcase_add_unchecked_fixture(files, sweep_up, sweep_down);
	tcase_add_test(files, runs_csv_has_one_row_per_measured_run);
	tcase_add_test(files, summary_csv_has_one_row_per_case);
	tcase_add_test(files, tasks_csv_has_every_task_of_one_run_per_model);
	tcase_add_test(files, meta_json_parses_and_describes_the_sweep);
	tcase_add_loop_test(files, each_picture_has_its_title_axes_and_models,
			    0, N_PICTURES);
	tcase_add_test(files, a_set_with_only_the_baseline_still_plots);
	tcase_add_test(files, without_gnuplot_plot_says_how_to_get_it);
	tcase_add_test(files, a_wrong_case_has_no_speedup_to_draw);
	return s;
}
