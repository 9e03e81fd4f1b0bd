// SPDX-License-Identifier: MIT
/* report.c - the result set's files, written atomically after each run. */
#include "harness/report/result_set.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/report/file_replace.h"
#include "harness/cli/cli.h"
#include "harness/report/meta.h"
#include "harness/report/plot.h"

int report_mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* results/latest -> the newest set (a relative link, replaced atomically). */
static void report_link_latest(const struct sweep *s)
{
	char link[4200], tmp[4300];
	const char *base = strrchr(s->dir, '/');
	base = base ? base + 1 : s->dir;
	snprintf(link, sizeof(link), "%s/latest", s->config->out_dir);
	snprintf(tmp, sizeof(tmp), "%s/.latest.%d", s->config->out_dir,
		 (int)getpid());
	unlink(tmp);
	if (symlink(base, tmp) == 0 && rename(tmp, link) != 0)
		unlink(tmp);
}

static void report_default_label(const struct run_config *c, char *buf,
				 size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->n_workloads && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "-" : "",
					 task_type_name(c->workloads[i]));
}

int report_open_dir(struct sweep *s)
{
	const struct run_config *c = s->config;
	char label[CONFIG_LABEL_MAX + 1], stamp[32];
	if (c->label)
		snprintf(label, sizeof(label), "%s", c->label);
	else
		report_default_label(c, label, sizeof(label));
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(s->dir, sizeof(s->dir), "%s/%s-%s", c->out_dir, stamp, label);
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/.probe", s->dir);
	FILE *f = NULL;
	if (report_mkdirs(s->dir) == 0)
		f = fopen(probe, "w");
	if (!f) {
		cli_error("--out: cannot write results under '%s': %s",
			  c->out_dir, strerror(errno));
		return -1;
	}
	fclose(f);
	unlink(probe);
	report_link_latest(s);
	return 0;
}

void report_keep_tasks(struct sweep *s, const struct run_record *r,
		       const struct batch *b)
{
	struct kept_tasks *k = NULL;
	for (size_t i = 0; i < s->n_kept; i++)
		if (s->kept[i].group == r->group &&
		    s->kept[i].model == r->model)
			k = &s->kept[i];
	if (k && (r->rep != 0 || r->workers <= k->workers))
		return;
	if (!k) {
		if (s->n_kept == SWEEP_MAX_KEPT)
			return;
		k = &s->kept[s->n_kept++];
		memset(k, 0, sizeof(*k));
	}
	struct result *copy = malloc((b->n ? b->n : 1) * sizeof(*copy));
	if (!copy)
		return;
	memcpy(copy, b->results, b->n * sizeof(*copy));
	free(k->results);
	k->group = r->group;
	k->model = r->model;
	k->workers = r->workers;
	k->results = copy;
	k->n = b->n;
}

void report_free(struct sweep *s)
{
	for (size_t i = 0; i < s->n_kept; i++)
		free(s->kept[i].results);
	s->n_kept = 0;
}

/* A number for CSV: empty when NAN. */
static void csv_num(FILE *f, double v, const char *fmt)
{
	if (!isnan(v) && !isinf(v))
		fprintf(f, fmt, v);
}

/* Every figure the model reported, as "name=value;name=value": the
 * harness knows none of them by name (common/options.h). */
static void report_figures(const struct run_stats *st, FILE *f)
{
	fputc(',', f);
	for (int i = 0; i < st->n_figures; i++)
		fprintf(f, "%s%s=%.9g", i ? ";" : "", st->figures[i].name,
			st->figures[i].value);
}

static const char *report_group_name(const struct sweep *s, size_t g)
{
	return task_type_name(s->groups[g].workload);
}

static void report_runs_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,rep,tasks,work,wall_s,user_s,"
		   "sys_s,peak_rss_kib,vol_csw,invol_csw,setup_s,"
		   "workers_started,handovers,lock_wait_s,lat_p50_ms,"
		   "lat_p95_ms,lat_p99_ms,lat_max_ms");
	for (int k = 0; k < RESULT_KIND_COUNT; k++)
		fprintf(f, ",%s", result_kind_name((enum result_kind)k));
	fprintf(f, ",verified,wrong,timing_diffs,startup_s,figures\n");
	for (size_t i = 0; i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		const struct sweep_group *g = &s->groups[r->group];
		fprintf(f,
			"%s,%s,%d,%d,%zu,%ld,%.6f,%.6f,%.6f,%ld,%ld,%ld,"
			"%.6f,%d,%ld,%.6f,",
			report_group_name(s, r->group), r->model->name,
			r->workers, r->rep, g->batch->n, g->work, r->m.wall_s,
			r->m.usage.user_s, r->m.usage.system_s,
			r->m.peak_rss_kib, r->m.usage.vol_csw,
			r->m.usage.invol_csw, r->m.stats.setup_s,
			r->m.stats.workers_started,
			(long)run_stats_get(&r->m.stats, "handovers", 0),
			r->wait_s);
		csv_num(f, r->lat_p50 * 1e3, "%.3f");
		fputc(',', f);
		csv_num(f, r->lat_p95 * 1e3, "%.3f");
		fputc(',', f);
		csv_num(f, r->lat_p99 * 1e3, "%.3f");
		fputc(',', f);
		csv_num(f, r->lat_max * 1e3, "%.3f");
		for (int k = 0; k < RESULT_KIND_COUNT; k++)
			fprintf(f, ",%zu", r->kinds[k]);
		fprintf(f, ",%s,%zu,%zu,", verify_ok(&r->verify) ? "yes" : "no",
			r->verify.wrong + r->verify.crashed, r->verify.timing);
		csv_num(f, run_stats_get(&r->m.stats, "startup_s", 0), "%.6f");
		report_figures(&r->m.stats, f);
		fputc('\n', f);
	}
}

static void report_summary_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,tasks,work,runs,wall_median_s,"
		   "wall_min_s,wall_max_s,user_s,sys_s,peak_rss_kib,setup_s,"
		   "lat_p50_ms,lat_p95_ms,lat_p99_ms,lat_max_ms,errors,"
		   "speedup,efficiency,ideal_s,ratio_to_ideal,noisy,"
		   "first_outlier,verified,timing_diffs,workers_started\n");
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *c = &s->cases[i];
		const struct sweep_group *g = &s->groups[c->group];
		fprintf(f,
			"%s,%s,%d,%zu,%ld,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%.0f,"
			"%.6f,",
			report_group_name(s, c->group), c->model->name,
			c->workers, g->batch->n, g->work, c->wall.n,
			c->wall.median, c->wall.min, c->wall.max, c->user_s,
			c->sys_s, c->rss_kib, c->setup_s);
		/* An empty batch has no latencies: empty cells, not "nan". */
		const double lat[] = {c->lat_p50, c->lat_p95, c->lat_p99,
				      c->lat_max};
		for (size_t k = 0; k < 4; k++) {
			csv_num(f, lat[k] * 1e3, "%.3f");
			fputc(',', f);
		}
		fprintf(f, "%ld,", c->errors);
		csv_num(f, c->speedup, "%.4f");
		fputc(',', f);
		csv_num(f, c->efficiency, "%.4f");
		fputc(',', f);
		csv_num(f, c->ideal_s, "%.6f");
		fputc(',', f);
		csv_num(f, c->ratio_ideal, "%.4f");
		fprintf(f, ",%s,%s,%s,%ld,%d\n", c->noisy ? "yes" : "no",
			c->first_outlier ? "yes" : "no",
			c->verified ? "yes" : "no", c->timing_diffs,
			c->real_workers);
	}
}

static void report_tasks_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,task,worker,start_s,end_s,kind,"
		   "lock_wait_s\n");
	for (size_t i = 0; i < s->n_kept; i++) {
		const struct kept_tasks *k = &s->kept[i];
		for (size_t t = 0; t < k->n; t++) {
			const struct result *r = &k->results[t];
			if (r->kind == RESULT_NOT_RUN)
				continue;
			fprintf(f, "%s,%s,%d,%zu,%d,%.6f,%.6f,%s,%.6f\n",
				report_group_name(s, k->group), k->model->name,
				k->workers, t, r->worker, r->start, r->end,
				result_kind_name(r->kind), r->wait);
		}
	}
}

/* Writes dir/name atomically with fn. */
static int report_file(const struct sweep *s, const char *name,
		       void (*fn)(const struct sweep *, FILE *))
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	struct atomic_file a = {0};
	if (atomic_open(&a, path) != 0)
		return -1;
	fn(s, a.f);
	return atomic_commit(&a);
}

int report_write_runs(struct sweep *s)
{
	if (sweep_summarize(s) != 0)
		return -1;
	int rc = report_file(s, "runs.csv", report_runs_csv);
	rc |= report_file(s, "summary.csv", report_summary_csv);
	rc |= report_file(s, "tasks.csv", report_tasks_csv);
	rc |= meta_write(s, "running");
	if (rc != 0)
		cli_error("run: cannot write the results in %s", s->dir);
	return rc ? -1 : 0;
}

int report_finish(struct sweep *s)
{
	if (sweep_summarize(s) != 0)
		return 1;
	report_table(s);
	int rc = report_file(s, "runs.csv", report_runs_csv);
	rc |= report_file(s, "summary.csv", report_summary_csv);
	rc |= report_file(s, "tasks.csv", report_tasks_csv);
	rc |= meta_write(s, s->partial ? "partial" : "complete");
	if (rc != 0) {
		cli_error("run: cannot write the results in %s", s->dir);
		return 1;
	}
	printf("\nresults: %s/ (runs.csv, summary.csv, tasks.csv, meta.json)\n",
	       s->dir);
	if (s->config->plot && s->n_records > 0 && !s->partial)
		plot_result_set(s->dir, 0);
	if (s->partial) {
		fprintf(stderr, "concur: interrupted; the results so far are "
				"saved and marked partial\n");
		return 130;
	}
	return s->wrong ? 1 : 0;
}
