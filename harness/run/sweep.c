// SPDX-License-Identifier: MIT
/* sweep.c - from measured runs to cases: medians, speedup, ideal. */
#include "harness/run/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double sweep_min(double a, double b)
{
	return a < b ? a : b;
}

double sweep_compute_at_once(const struct sweep *s, const struct model *m,
			     int workers)
{
	switch (m->compute) {
	case COMPUTE_ONE_AT_A_TIME:
		return 1;
	case COMPUTE_ON_POOL:
		return sweep_min(s->plan->cpu_workers, s->cores);
	case COMPUTE_ON_WORKERS:
	default:
		return sweep_min(workers, s->cores);
	}
}

/* Seconds per unit of compute in group g: measured in C; in Python
 * derived from the baseline (its time minus its waits), or NAN. */
static double sweep_unit(const struct sweep *s, const struct sweep_group *g,
			 double baseline_s)
{
	if (!g->python && s->unit_s > 0)
		return s->unit_s;
	double n = (double)g->batch->n, work = (double)g->work;
	if (isnan(baseline_s) || n * work <= 0)
		return work <= 0 ? 0 : NAN;
	double waits = g->workload == TASK_COMPUTE
			       ? 0
			       : n * (double)s->plan->delay_ms / 1e3;
	double compute = baseline_s - waits;
	return compute > 0 ? compute / (n * work) : NAN;
}

/* --skew: the longest single task, d_i + w_i x u. A task is never split,
 * so no C finishes before it does; with a heavy tail this one task, not
 * the total shared out, can set the ideal. */
static double sweep_heaviest(const struct sweep *s, const struct sweep_group *g,
			     double u)
{
	const struct run_plan *c = s->plan;
	size_t n = g->batch->n;
	long *delay = calloc(n ? n : 1, sizeof(long)); /* 0: no wait */
	if (!delay)
		return 0;
	if (g->workload != TASK_COMPUTE) /* the shares workload.c gave */
		workload_skew(n, c->skew_seed, (long)n * c->delay_ms, delay);
	double most = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)delay[i] / 1e3;
		if (g->workload != TASK_FETCH)
			t += (double)g->batch->tasks[i].work * u;
		most = t > most ? t : most;
	}
	free(delay);
	return most;
}

double sweep_ideal(const struct sweep *s, const struct sweep_group *g,
		   const struct model *m, int workers, double baseline_s)
{
	const struct run_plan *c = s->plan;
	double n = (double)g->batch->n;
	double d = (double)c->delay_ms / 1e3;
	if (g->workload == TASK_SHARED)
		return NAN; /* what it costs is the lesson: no ideal */
	if (g->workload != TASK_COMPUTE && !s->server_url[0])
		return NAN; /* real URLs: no known delay */
	/* Even tasks take whole rounds; --skew's uneven ones at best
	 * share the total out perfectly, and never beat the heaviest. */
	double rounds = c->skew ? n / workers : ceil(n / workers);
	if (g->workload == TASK_FETCH)
		return fmax(rounds * d, c->skew ? sweep_heaviest(s, g, 0) : 0);
	double u = sweep_unit(s, g, baseline_s);
	if (isnan(u))
		return NAN;
	double wu = (double)g->work * u;
	double ideal = n * wu / sweep_compute_at_once(s, m, workers);
	if (g->workload == TASK_MIXED) /* the waits' slots, as for fetch */
		ideal = fmax(ideal, rounds * (d + (m->compute == COMPUTE_ON_POOL
							   ? 0
							   : wu)));
	return fmax(ideal, c->skew ? sweep_heaviest(s, g, u) : 0);
}

/* What the efficiency divides the speedup by: the most the model could
 * gain here. Fetch: C waits at once. Compute: the tasks it computes at
 * once. Mixed: its ideal speed-up, the baseline's ideal over its own. */
static double sweep_parallelism(const struct sweep *s,
				const struct case_summary *cs, double base)
{
	const struct sweep_group *g = &s->groups[cs->group];
	if (cs->model == g->baseline)
		return 1;
	if (g->workload == TASK_FETCH)
		return cs->workers;
	if (g->workload == TASK_COMPUTE || g->workload == TASK_SHARED)
		return sweep_compute_at_once(s, cs->model, cs->workers);
	double serial = sweep_ideal(s, g, g->baseline, 1, base);
	double mine = sweep_ideal(s, g, cs->model, cs->workers, base);
	return serial / mine;
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

/* The medians over n runs of each figure of a latency tail, the tail at
 * `offset` in a run record. */
static void sweep_tail_medians(const struct run_record **r, size_t n,
			       size_t offset, struct latency_tail *out)
{
	double *fields[] = {&out->p50, &out->p90, &out->p99, &out->p999,
			    &out->max};
	for (size_t f = 0; f < 5; f++)
		*fields[f] = sweep_median_of(r, n, offset + f * sizeof(double));
}

static void sweep_fill_case(struct sweep *s, struct case_summary *cs,
			    const struct run_record **r, size_t n)
{
	double wall[256] = {0}, rss[256] = {0}, user[256] = {0}, sys[256] = {0},
	       setup[256] = {0}, pss[256] = {0}, uss[256] = {0};
	size_t k = n < 256 ? n : 256, ran = 0;
	cs->verified = true;
	cs->timing_diffs = 0;
	for (size_t i = 0; i < k; i++) {
		if (!isnan(r[i]->m.wall_s)) /* NAN: the run did not happen */
			wall[ran++] = r[i]->m.wall_s;
		rss[i] = (double)r[i]->m.peak_rss_kib;
		pss[i] = (double)r[i]->m.tree.pss_kib;
		uss[i] = (double)r[i]->m.tree.uss_kib;
		user[i] = r[i]->m.usage.user_s;
		sys[i] = r[i]->m.usage.system_s;
		/* C models: building the pool (inside the wall time);
		 * external ones: the interpreter's start-up (outside). */
		setup[i] = r[i]->model->flags & MODEL_EXTERNAL
				   ? r[i]->m.stats.startup_s
				   : r[i]->m.stats.setup_s;
		cs->verified = cs->verified && verify_ok(&r[i]->verify);
		cs->timing_diffs += (long)r[i]->verify.timing;
	}
	cs->wall = stats_spread(wall, ran);
	cs->rss_kib = stats_spread(rss, k).median;
	cs->pss_kib = stats_spread(pss, k).median;
	cs->uss_kib = stats_spread(uss, k).median;
	cs->processes = r[0]->m.tree.processes;
	cs->p_compute = sweep_compute_at_once(
		s, cs->model,
		cs->model == s->groups[cs->group].baseline ? 1 : cs->workers);
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
	sweep_tail_medians(r, k, offsetof(struct run_record, naive),
			   &cs->naive);
	sweep_tail_medians(r, k, offsetof(struct run_record, corrected),
			   &cs->corrected);
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
	cs->efficiency = cs->speedup / sweep_parallelism(s, cs, base);
	/* A Python baseline's compute is what the unit is derived from:
	 * its own "ideal" would be itself. */
	bool self_ideal = cs->model == g->baseline && g->python &&
			  g->workload != TASK_FETCH;
	cs->ideal_s =
		self_ideal ? NAN
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
