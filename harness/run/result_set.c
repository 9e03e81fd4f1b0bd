// SPDX-License-Identifier: MIT
/* result_set.c - the result set's files, rewritten after each run; a set
 * that could not be written whole says so. */
#include "harness/run/result_set.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/base/file_replace.h"
#include "harness/run/meta.h"
#include "harness/run/table.h"

/* results/latest -> the newest set (a relative link, replaced by one
 * rename). Something else by that name is the user's: left alone, and
 * said. */
static void result_set_link_latest(const struct sweep *s)
{
	char link[4200], tmp[4300];
	const char *base = strrchr(s->dir, '/');
	base = base ? base + 1 : s->dir;
	snprintf(link, sizeof(link), "%s/latest", s->plan->out_dir);
	struct stat st;
	if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode)) {
		fprintf(stderr,
			"concur: %s is not a symbolic link, so it is left as "
			"it is and does not point to this set\n",
			link);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/.latest.%d", s->plan->out_dir,
		 (int)getpid());
	unlink(tmp);
	if (symlink(base, tmp) == 0 && rename(tmp, link) != 0)
		unlink(tmp);
}

static void result_set_default_label(const struct run_plan *c, char *buf,
				     size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->n_workloads && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "-" : "",
					 task_type_name(c->workloads[i]));
}

/* Makes s->dir = OUT/STAMP-LABEL, or STAMP-LABEL-2, -3, ... when that
 * exists: mkdir either makes a new directory or fails, so two runs, even
 * two processes started in the same second, never share a set. */
static int result_set_make_unique_dir(struct sweep *s, const char *stamp,
				      const char *label)
{
	const struct run_plan *c = s->plan;
	if (file_mkdirs(c->out_dir) != 0)
		return -1;
	for (int k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(s->dir, sizeof(s->dir), "%s/%s-%s", c->out_dir,
				 stamp, label);
		else
			snprintf(s->dir, sizeof(s->dir), "%s/%s-%s-%d",
				 c->out_dir, stamp, label, k);
		if (mkdir(s->dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* Room kept for the set's last word. A full disk stops the sweep's files
 * half way; meta.json must still say "partial" and why, not "running".
 * So the set holds a reserve file from the start, and the final write of
 * meta.json removes it first: the blocks it frees take the last
 * meta.json (a few KB) even when the disk filled up in between. */
#define RESERVE_NAME ".meta-reserve"
#define RESERVE_BYTES ((size_t)64 * 1024)

static void result_set_reserve_path(const struct sweep *s, char *buf,
				    size_t len)
{
	snprintf(buf, len, "%s/%s", s->dir, RESERVE_NAME);
}

/* Best effort: without the reserve, a full disk may leave "running". */
static void result_set_reserve(const struct sweep *s)
{
	char path[4200];
	result_set_reserve_path(s, path, sizeof(path));
	int fd =
		open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     0600);
	if (fd < 0)
		return;
	static const char zeros[4096];
	int ok = 1;
	for (size_t n = 0; ok && n < RESERVE_BYTES; n += sizeof(zeros))
		ok = write(fd, zeros, sizeof(zeros)) == (ssize_t)sizeof(zeros);
	ok = ok && fsync(fd) == 0;
	close(fd);
	if (!ok)
		unlink(path);
}

static void result_set_release_reserve(const struct sweep *s)
{
	char path[4200];
	result_set_reserve_path(s, path, sizeof(path));
	unlink(path);
}

int result_set_open(struct sweep *s)
{
	const struct run_plan *c = s->plan;
	char label[PLAN_LABEL_MAX + 1], stamp[32];
	if (c->label)
		snprintf(label, sizeof(label), "%s", c->label);
	else
		result_set_default_label(c, label, sizeof(label));
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	/* meta.json at once, saying "running": the set is never an empty
	 * directory that results/latest points to. */
	if (result_set_make_unique_dir(s, stamp, label) != 0 ||
	    meta_write(s, "running") != 0) {
		cli_error("--out: cannot write results under '%s': %s",
			  c->out_dir, strerror(errno));
		return -1;
	}
	result_set_reserve(s);
	result_set_link_latest(s);
	return 0;
}

void result_set_keep_tasks(struct sweep *s, const struct run_record *r,
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

void result_set_free(struct sweep *s)
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
 * harness knows none of them by name (common/options.h). An external
 * model's external_status is among them, where it has always been: after
 * the program's own figures, before the harness's program_run_s. */
static void result_set_figures(const struct run_stats *st, FILE *f)
{
	bool status_due = st->external;
	int n = 0;
	fputc(',', f);
	for (int i = 0; i <= st->n_figures; i++) {
		bool last = i == st->n_figures;
		if (status_due && (last || strcmp(st->figures[i].name,
						  "program_run_s") == 0)) {
			fprintf(f, "%sexternal_status=%d", n++ ? ";" : "",
				st->external_status);
			status_due = false;
		}
		if (!last)
			fprintf(f, "%s%s=%.9g", n++ ? ";" : "",
				st->figures[i].name, st->figures[i].value);
	}
}

static const char *result_set_group_name(const struct sweep *s, size_t g)
{
	return task_type_name(s->groups[g].workload);
}

/* The columns an open run adds (closed runs have them too): how tasks
 * arrived, the offered rate (empty when closed), then the naive and the
 * corrected latency tails (harness/run/sweep.h). */
#define RESULT_SET_TAIL_COLUMNS                                                \
	"arrival,offered_rate,naive_p50_ms,naive_p90_ms,naive_p99_ms,"         \
	"naive_p999_ms,naive_max_ms,corrected_p50_ms,corrected_p90_ms,"        \
	"corrected_p99_ms,corrected_p999_ms,corrected_max_ms"

/* One row's values for RESULT_SET_TAIL_COLUMNS, each after a comma. */
static void result_set_tails(const struct sweep *s, FILE *f,
			     const struct latency_tail *naive,
			     const struct latency_tail *corrected)
{
	bool open = s->plan->open_loop;
	fprintf(f, ",%s,", open ? "open" : "closed");
	csv_num(f, open ? s->plan->rate : NAN, "%g");
	const struct latency_tail *t[] = {naive, corrected};
	for (int k = 0; k < 2; k++) {
		const double v[] = {t[k]->p50, t[k]->p90, t[k]->p99, t[k]->p999,
				    t[k]->max};
		for (int i = 0; i < 5; i++) {
			fputc(',', f);
			csv_num(f, v[i] * 1e3, "%.3f");
		}
	}
}

static void result_set_runs_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,rep,tasks,work,wall_s,user_s,"
		   "sys_s,peak_rss_kib,vol_csw,invol_csw,setup_s,"
		   "workers_started,handovers,lock_wait_s,lat_p50_ms,"
		   "lat_p95_ms,lat_p99_ms,lat_max_ms");
	for (int k = 0; k < RESULT_KIND_COUNT; k++)
		fprintf(f, ",%s", result_kind_name((enum result_kind)k));
	fprintf(f, ",verified,wrong,timing_diffs,startup_s,figures,"
		   "sample_tasks,peak_pss_kib,peak_uss_kib,tree_rss_kib,"
		   "processes,mem_samples,sampler_cpu_s,compute_at_once,"
		   "lost_updates,stopped,late," RESULT_SET_TAIL_COLUMNS
		   ",backend\n");
	for (size_t i = 0; i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		const struct sweep_group *g = &s->groups[r->group];
		fprintf(f,
			"%s,%s,%d,%d,%zu,%ld,%.6f,%.6f,%.6f,%ld,%ld,%ld,"
			"%.6f,%d,%ld,%.6f,",
			result_set_group_name(s, r->group), r->model->name,
			r->workers, r->rep, g->batch->n, g->work, r->m.wall_s,
			r->m.usage.user_s, r->m.usage.system_s,
			r->m.peak_rss_kib, r->m.usage.vol_csw,
			r->m.usage.invol_csw, r->m.stats.setup_s,
			r->m.stats.workers_started, r->m.stats.handovers,
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
		csv_num(f, r->m.stats.startup_s, "%.6f");
		result_set_figures(&r->m.stats, f);
		const struct tree_memory *t = &r->m.tree;
		fprintf(f, ",%zu,%ld,%ld,%ld,%d,%ld,%.6f,%g,%" PRId64 ",%s,%zu",
			r->sample_tasks, t->pss_kib, t->uss_kib, t->rss_kib,
			t->processes, t->samples, t->sampler_cpu_s,
			sweep_compute_at_once(
				s, r->model,
				r->model == g->baseline ? 1 : r->workers),
			r->verify.lost, r->verify.stopped ? "yes" : "no",
			r->verify.late);
		result_set_tails(s, f, &r->naive, &r->corrected);
		fprintf(f, ",%s\n", r->m.stats.loop_backend);
	}
}

static void result_set_summary_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,tasks,work,runs,wall_median_s,"
		   "wall_min_s,wall_max_s,user_s,sys_s,peak_rss_kib,setup_s,"
		   "lat_p50_ms,lat_p95_ms,lat_p99_ms,lat_max_ms,errors,"
		   "speedup,efficiency,ideal_s,ratio_to_ideal,noisy,"
		   "first_outlier,verified,timing_diffs,workers_started,"
		   "baseline,peak_pss_kib,peak_uss_kib,processes,"
		   "compute_at_once," RESULT_SET_TAIL_COLUMNS "\n");
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *c = &s->cases[i];
		const struct sweep_group *g = &s->groups[c->group];
		fprintf(f,
			"%s,%s,%d,%zu,%ld,%zu,%.6f,%.6f,%.6f,%.6f,%.6f,%.0f,"
			"%.6f,",
			result_set_group_name(s, c->group), c->model->name,
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
		fprintf(f, ",%s,%s,%s,%ld,%d,%s,%.0f,%.0f,%d,%g",
			c->noisy ? "yes" : "no",
			c->first_outlier ? "yes" : "no",
			c->verified ? "yes" : "no", c->timing_diffs,
			c->real_workers, sweep_baseline_how(g), c->pss_kib,
			c->uss_kib, c->processes, c->p_compute);
		result_set_tails(s, f, &c->naive, &c->corrected);
		fputc('\n', f);
	}
}

static void result_set_tasks_csv(const struct sweep *s, FILE *f)
{
	fprintf(f, "workload,model,workers,task,worker,start_s,end_s,kind,"
		   "lock_wait_s,intended_s\n");
	for (size_t i = 0; i < s->n_kept; i++) {
		const struct kept_tasks *k = &s->kept[i];
		for (size_t t = 0; t < k->n; t++) {
			const struct result *r = &k->results[t];
			if (r->kind == RESULT_NOT_RUN)
				continue;
			fprintf(f, "%s,%s,%d,%zu,%d,%.6f,%.6f,%s,%.6f,%.6f\n",
				result_set_group_name(s, k->group),
				k->model->name, k->workers, t, r->worker,
				r->start, r->end, result_kind_name(r->kind),
				r->wait, r->intended);
		}
	}
}

/* Writes dir/name with fn, replacing it whole (file_replace.h). The first
 * failure is kept, with its reason, in s->write_error. */
static int result_set_file(struct sweep *s, const char *name,
			   void (*fn)(const struct sweep *, FILE *))
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	struct file_replace out = {0};
	errno = 0;
	int rc = file_replace_open(&out, path);
	if (rc == 0) {
		fn(s, out.f);
		rc = file_replace_commit(&out);
	}
	if (rc != 0 && !s->write_error[0])
		snprintf(s->write_error, sizeof(s->write_error), "%s: %s", name,
			 errno ? strerror(errno) : "write failed");
	return rc;
}

/* Every file of the set, meta.json last with the status: `status` when
 * the others were written, else "partial" with the reason. */
static int result_set_files(struct sweep *s, const char *status)
{
	int rc = result_set_file(s, "runs.csv", result_set_runs_csv);
	rc |= result_set_file(s, "summary.csv", result_set_summary_csv);
	rc |= result_set_file(s, "tasks.csv", result_set_tasks_csv);
	bool last = strcmp(status, "running") != 0;
	if (last)
		result_set_release_reserve(s);
	rc |= meta_write(s, s->write_error[0] ? "partial" : status);
	/* Said once, at the end (the sweep stops at the first failure). */
	if (rc != 0 && last)
		fprintf(stderr,
			"concur: cannot write the results in %s: %s; the set "
			"is marked partial\n",
			s->dir,
			s->write_error[0] ? s->write_error : "meta.json");
	return rc;
}

int result_set_write(struct sweep *s)
{
	if (sweep_summarize(s) != 0)
		return -1;
	return result_set_files(s, "running") ? -1 : 0;
}

int result_set_finish(struct sweep *s)
{
	if (sweep_summarize(s) != 0)
		return 1;
	table_print(s);
	if (result_set_files(s, s->partial ? "partial" : "complete") != 0)
		return 1;
	printf("\nresults: %s/ (runs.csv, summary.csv, tasks.csv, meta.json)\n",
	       s->dir);
	s->finished = true; /* the command may draw it now */
	if (s->partial) {
		fprintf(stderr, "concur: interrupted; the results so far are "
				"saved and marked partial\n");
		return 130;
	}
	return s->wrong ? 1 : 0;
}
