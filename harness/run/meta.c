// SPDX-License-Identifier: MIT
/* meta.c - meta.json, written with jansson. */
#include "harness/run/meta.h"

#include <curl/curl.h>
#include <ev.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common/shared.h"
#include "harness/base/datadir.h"
#include "harness/base/file_replace.h"

void meta_cpu_model(char *buf, size_t len)
{
	snprintf(buf, len, "unknown");
	FILE *f = popen("lscpu 2>/dev/null", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Model name:", 11) != 0)
			continue;
		char *v = line + 11;
		while (*v == ' ')
			v++;
		v[strcspn(v, "\n")] = '\0';
		snprintf(buf, len, "%s", v);
	}
	pclose(f);
}

/* The git commit of the source tree, when run from one. */
static void meta_git_commit(char *buf, size_t len)
{
	char cmd[4400];
	snprintf(buf, len, "unknown");
	snprintf(cmd, sizeof(cmd),
		 "git -C '%s' rev-parse --short HEAD 2>/dev/null",
		 concur_datadir());
	FILE *f = popen(cmd, "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		snprintf(buf, len, "unknown");
	pclose(f);
}

static json_t *meta_machine(const struct sweep *s)
{
	struct utsname u;
	uname(&u);
	char cpu[256], host[256] = "unknown";
	meta_cpu_model(cpu, sizeof(cpu));
	gethostname(host, sizeof(host) - 1);
	return json_pack("{s:s, s:s, s:s, s:s, s:i}", "host", host, "kernel",
			 u.release, "arch", u.machine, "cpu_model", cpu,
			 "cores", s->cores);
}

static json_t *meta_versions(void)
{
	char libev[32], commit[64];
	snprintf(libev, sizeof(libev), "%d.%d", ev_version_major(),
		 ev_version_minor());
	meta_git_commit(commit, sizeof(commit));
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "concur", CONCUR_VERSION,
			 "git_commit", commit, "compiler", "gcc " __VERSION__,
			 "libcurl", curl_version_info(CURLVERSION_NOW)->version,
			 "libev", libev);
}

static json_t *meta_options(const struct run_plan *c)
{
	json_t *models = json_array(), *workloads = json_array(),
	       *workers = json_array();
	for (size_t i = 0; i < c->n_models; i++)
		json_array_append_new(models, json_string(c->models[i]->name));
	for (size_t i = 0; i < c->n_workloads; i++)
		json_array_append_new(workloads, json_string(task_type_name(
							 c->workloads[i])));
	for (size_t i = 0; i < c->n_workers; i++)
		json_array_append_new(workers, json_integer(c->workers[i]));
	return json_pack(
		"{s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i,"
		" s:i, s:f, s:s?, s:s?, s:s?, s:s?, s:b, s:s, s:s}",
		"models", models, "workloads", workloads, "workers", workers,
		"tasks", (json_int_t)c->tasks, "delay_ms",
		(json_int_t)c->delay_ms, "bytes", (json_int_t)c->bytes, "work",
		(json_int_t)c->work, "py_work", (json_int_t)c->py_work,
		"timeout_ms", (json_int_t)c->timeout_ms, "connect_timeout_ms",
		(json_int_t)c->connect_timeout_ms, "repeat", c->repeat,
		"warmup", c->warmup, "cpu_workers", c->cpu_workers,
		"switch_interval_ms", c->switch_interval_ms, "url_file",
		c->url_file, "server", c->server_url, "python", c->python,
		"py_start", c->py_start, "trace", c->trace, "sync",
		shared_sync_name(c->sync), "backend",
		loop_backend_name(c->backend));
}

/* How each group's baseline was timed: what every speedup is relative
 * to. */
static json_t *meta_baselines(const struct sweep *s)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < s->n_groups; i++) {
		const struct sweep_group *g = &s->groups[i];
		json_t *o = json_pack(
			"{s:s, s:b, s:s, s:s, s:I, s:I}", "workload",
			task_type_name(g->workload), "python", g->python,
			"model", g->baseline->name, "how",
			sweep_baseline_how(g), "tasks", (json_int_t)g->batch->n,
			"tasks_timed",
			(json_int_t)(g->how == BASELINE_SAMPLE ? g->sample->n
				     : g->how == BASELINE_NONE ? 0
							       : g->batch->n));
		if (o && !isnan(g->estimate_s))
			json_object_set_new(o, "guessed_full_s",
					    json_real(g->estimate_s));
		json_array_append_new(list, o);
	}
	return list;
}

/* What the memory columns measure, and what C and P mean for each model
 * of the set (models/model.h: enum model_compute). */
static json_t *meta_measures(const struct sweep *s)
{
	static const char *const how[] = {
		[COMPUTE_ON_WORKERS] = "C workers, each computing its own "
				       "tasks: P = min(C, cores)",
		[COMPUTE_ONE_AT_A_TIME] = "C tasks in flight, one computing "
					  "at a time: P = 1",
		[COMPUTE_ON_POOL] = "C fetches in flight plus a pool of "
				    "cpu_workers threads: P = min(cpu_workers, "
				    "cores), whatever C is",
	};
	json_t *models = json_object();
	for (size_t i = 0; models && i < s->n_cases; i++) {
		const struct model *m = s->cases[i].model;
		json_object_set_new(models, m->name,
				    json_string(how[m->compute]));
	}
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:f, s:o}", "peak_pss_kib",
		"peak over the run of the process tree's proportional set size "
		"(smaps_rollup Pss summed over the measured child and every "
		"process under it; a shared page counts once)",
		"peak_uss_kib",
		"peak of the tree's unique set size (Private_Clean + "
		"Private_Dirty summed)",
		"tree_rss_kib",
		"peak of the tree's resident sets summed (shared pages counted "
		"once per process)",
		"peak_rss_kib",
		"older figure: the child's peak RSS plus its workers' "
		"(processes), the largest process's (external models)",
		"sample_interval_ms", TREE_MEMORY_INTERVAL_S * 1e3,
		"compute_at_once", models);
}

/* The backend each event-loop model's runs used (runs.csv's backend
 * column), by model: "epoll", or "epoll, io_uring" when runs differed. */
static json_t *meta_loop_backends(const struct sweep *s)
{
	json_t *used = json_object();
	for (size_t i = 0; used && i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		const char *b = r->m.stats.loop_backend;
		const char *had = json_string_value(
			json_object_get(used, r->model->name));
		if (!b[0] || (had && strstr(had, b)))
			continue;
		char both[64];
		snprintf(both, sizeof(both), "%s%s%s", had ? had : "",
			 had ? ", " : "", b);
		json_object_set_new(used, r->model->name, json_string(both));
	}
	return used;
}

int meta_write(const struct sweep *s, const char *status)
{
	char date[64];
	time_t started = (time_t)s->started;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z",
		 localtime(&started));
	json_t *root = json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:I, s:b}", "status",
		status, "date", date, "command",
		s->plan->cmdline ? s->plan->cmdline : "", "machine",
		meta_machine(s), "versions", meta_versions(), "options",
		meta_options(s->plan), "server", s->server_url, "runs",
		(json_int_t)s->n_records, "results_verified", !s->wrong);
	if (!root)
		return -1;
	json_object_set_new(root, "baselines", meta_baselines(s));
	json_object_set_new(root, "measures", meta_measures(s));
	json_object_set_new(root, "loop_backends", meta_loop_backends(s));
	if (s->unit_s > 0)
		json_object_set_new(root, "kernel_unit_ms",
				    json_real(s->unit_s * 1e3));
	if (s->write_error[0])
		json_object_set_new(root, "reason",
				    json_string(s->write_error));
	char path[4200];
	snprintf(path, sizeof(path), "%s/meta.json", s->dir);
	struct file_replace out = {0};
	int rc = -1;
	if (file_replace_open(&out, path) == 0) {
		json_dumpf(root, out.f, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', out.f);
		rc = file_replace_commit(&out);
	}
	json_decref(root);
	return rc;
}
