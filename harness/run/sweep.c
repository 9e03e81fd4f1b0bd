// SPDX-License-Identifier: MIT
/* sweep.c - from measured runs to cases: medians, speedup, ideal. */
#include "harness/run/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sweep_is_hybrid(const struct model *m)
{
	return strcmp(m->name, "hybrid") == 0;
}

static double sweep_min(double a, double b)
{
	return a < b ? a : b;
}

/* Serial compute time of the group: the baseline's time minus its waits. */
static double sweep_serial_compute(const struct sweep *s,
				   const struct sweep_group *g,
				   double baseline_s)
{
	if (g->workload == TASK_COMPUTE)
		return baseline_s;
	double waits = (double)g->batch->n * (double)s->config->delay_ms / 1e3;
	return baseline_s > waits ? baseline_s - waits : 0.0;
}

double sweep_ideal(const struct sweep *s, const struct sweep_group *g,
		   const struct model *m, int workers, double baseline_s)
{
	const struct run_config *c = s->config;
	double n = (double)g->batch->n;
	double fetch_ideal = ceil(n / workers) * (double)c->delay_ms / 1e3;
	if (g->workload != TASK_COMPUTE && !s->server_url[0])
		return NAN; /* real URLs: no known delay */
	if (g->workload == TASK_FETCH)
		return fetch_ideal;
	if (isnan(baseline_s))
		return NAN;
	/* Compute spreads over at most min(cpu workers, cores) cores; the
	 * models without a separate pool compute on their C workers. */
	int cpu = sweep_is_hybrid(m) ? c->cpu_workers : workers;
	double compute_ideal = sweep_serial_compute(s, g, baseline_s) /
			       sweep_min(cpu, s->cores);
	if (g->workload == TASK_COMPUTE)
		return compute_ideal;
	return fetch_ideal > compute_ideal ? fetch_ideal : compute_ideal;
}

/* The median of one field over a case's records. */
static double sweep_median_of(const struct run_record **r, size_t n,
			      size_t offset)
{
	double v[256];
	size_t k = 0;
	for (size_t i = 0; i < n && k < 256; i++)
		memcpy(&v[k++], (const char *)r[i] + offset, sizeof(double));
	return stats_spread(v, k).median;
}

static void sweep_fill_case(struct sweep *s, struct case_summary *cs,
			    const struct run_record **r, size_t n)
{
	double wall[256] = {0}, rss[256] = {0}, user[256] = {0}, sys[256] = {0},
	       setup[256] = {0};
	size_t k = n < 256 ? n : 256, ran = 0;
	cs->verified = true;
	cs->timing_diffs = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isnan(r[i]->m.wall_s)) /* NAN: the run did not happen */
			wall[ran++] = r[i]->m.wall_s;
		rss[i] = (double)r[i]->m.peak_rss_kib;
		user[i] = r[i]->m.usage.user_s;
		sys[i] = r[i]->m.usage.system_s;
		/* C models: building the pool (inside the wall time);
		 * external ones: the interpreter's start-up (outside). */
		setup[i] =
			r[i]->model->flags & MODEL_EXTERNAL
				? run_stats_get(&r[i]->m.stats, "startup_s", 0)
				: r[i]->m.stats.setup_s;
		cs->verified = cs->verified && verify_ok(&r[i]->verify);
		cs->timing_diffs += (long)r[i]->verify.timing;
	}
	cs->wall = stats_spread(wall, ran);
	cs->rss_kib = stats_spread(rss, k).median;
	cs->user_s = stats_spread(user, k).median;
	cs->sys_s = stats_spread(sys, k).median;
	cs->setup_s = stats_spread(setup, k).median;
	cs->lat_p50 =
		sweep_median_of(r, k, offsetof(struct run_record, lat_p50));
	cs->lat_p95 =
		sweep_median_of(r, k, offsetof(struct run_record, lat_p95));
	cs->lat_p99 =
		sweep_median_of(r, k, offsetof(struct run_record, lat_p99));
	cs->lat_max =
		sweep_median_of(r, k, offsetof(struct run_record, lat_max));
	cs->noisy = ran > 1 && cs->wall.max / cs->wall.min > STATS_NOISY_RATIO;
	cs->first_outlier = stats_first_is_outlier(wall, ran);
	cs->real_workers = r[0]->m.stats.workers_started;
	long errors = 0;
	for (int kind = 0; kind < RESULT_KIND_COUNT; kind++) {
		cs->kinds[kind] = r[0]->kinds[kind];
		if (kind != RESULT_OK)
			errors += (long)r[0]->kinds[kind];
	}
	cs->errors = errors;
	cs->tasks_per_s =
		(double)s->groups[cs->group].batch->n / cs->wall.median;
}

/* Finds or adds the case of a record. */
static struct case_summary *sweep_case_of(struct sweep *s,
					  const struct run_record *r)
{
	for (size_t i = 0; i < s->n_cases; i++) {
		struct case_summary *cs = &s->cases[i];
		if (cs->group == r->group && cs->model == r->model &&
		    cs->workers == r->workers)
			return cs;
	}
	struct case_summary *cs = &s->cases[s->n_cases++];
	memset(cs, 0, sizeof(*cs));
	cs->group = r->group;
	cs->model = r->model;
	cs->workers = r->workers;
	return cs;
}

/* The baseline's median wall time in a group, or NAN. */
static double sweep_baseline(const struct sweep *s, size_t group)
{
	const struct sweep_group *g = &s->groups[group];
	for (size_t i = 0; i < s->n_cases; i++)
		if (s->cases[i].group == group &&
		    s->cases[i].model == g->baseline)
			return s->cases[i].wall.median;
	return NAN;
}

static void sweep_derive(struct sweep *s, struct case_summary *cs)
{
	const struct sweep_group *g = &s->groups[cs->group];
	double base = sweep_baseline(s, cs->group);
	cs->speedup = base / cs->wall.median;
	int cpu = sweep_is_hybrid(cs->model) ? s->config->cpu_workers
					     : cs->workers;
	double per = g->workload == TASK_FETCH ? cs->workers
					       : sweep_min(cpu, s->cores);
	if (cs->model == g->baseline)
		per = 1;
	cs->efficiency = cs->speedup / per;
	cs->ideal_s =
		cs->model == g->baseline && g->workload != TASK_FETCH
			? NAN
			: sweep_ideal(s, g, cs->model,
				      cs->model == g->baseline ? 1
							       : cs->workers,
				      base);
	cs->ratio_ideal = cs->wall.median / cs->ideal_s;
}

int sweep_summarize(struct sweep *s)
{
	free(s->cases);
	s->n_cases = 0;
	s->cases = calloc(s->n_records ? s->n_records : 1, sizeof(*s->cases));
	const struct run_record **tmp =
		calloc(s->n_records ? s->n_records : 1,
		       sizeof(const struct run_record *));
	if (!s->cases || !tmp) {
		free(tmp);
		return -1;
	}
	for (size_t i = 0; i < s->n_records; i++)
		sweep_case_of(s, &s->records[i]);
	for (size_t c = 0; c < s->n_cases; c++) {
		struct case_summary *cs = &s->cases[c];
		size_t n = 0;
		for (size_t i = 0; i < s->n_records; i++) {
			const struct run_record *r = &s->records[i];
			if (r->group == cs->group && r->model == cs->model &&
			    r->workers == cs->workers)
				tmp[n++] = r;
		}
		sweep_fill_case(s, cs, tmp, n);
	}
	for (size_t c = 0; c < s->n_cases; c++)
		sweep_derive(s, &s->cases[c]);
	free(tmp);
	return 0;
}
