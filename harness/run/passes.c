// SPDX-License-Identifier: MIT
/*
 * passes.c - the measured runs of a sweep, in passes. A pass runs every
 * case of a group once: the baseline at C = 1, then each model at each C,
 * models alternated, so drift in the machine (a warming CPU, a neighbour's
 * load) hits all of them alike instead of the last one. Warm-up passes
 * come first and are not kept.
 *
 * After each kept run: its results are verified against the group's
 * reference, described (latency percentiles, kinds), recorded, and the
 * result set rewritten, so Ctrl-C keeps what was measured.
 */
#include "harness/run/passes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/shared.h"
#include "harness/base/histogram.h"
#include "harness/external/status.h"
#include "harness/run/result_set.h"

/* Latencies of one run's tasks up to 1 hour, in microseconds: the
 * histogram's range. */
#define PASS_LATENCY_HIGHEST_US 3600000000ULL

/* The tail of one run's latencies through the histogram: from each task's
 * start (naive) or from its intended start (corrected: an open run's queue
 * included). Tasks that never ran, or have no end, are left out. */
static void pass_tail(const struct batch *b, bool corrected,
		      struct latency_tail *t)
{
	struct histogram h;
	*t = (struct latency_tail){NAN, NAN, NAN, NAN, NAN};
	if (histogram_init(&h, PASS_LATENCY_HIGHEST_US) != 0)
		return;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		double from = corrected ? r->intended : r->start;
		if (r->kind != RESULT_NOT_RUN && r->end >= from)
			histogram_record(
				&h, (uint64_t)llround((r->end - from) * 1e6));
	}
	if (h.total > 0) {
		const double ps[] = {50, 90, 99, 99.9, 100};
		double *out[] = {&t->p50, &t->p90, &t->p99, &t->p999, &t->max};
		for (size_t k = 0; k < 5; k++)
			*out[k] = (double)histogram_percentile(&h, ps[k]) / 1e6;
	}
	histogram_free(&h);
}

/* Latency percentiles and kind counts of one run. */
static void pass_describe(const struct batch *b, struct run_record *r)
{
	double *lat = calloc(b->n ? b->n : 1, sizeof(double));
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *res = &b->results[i];
		r->kinds[res->kind]++;
		r->wait_s += res->wait;
		/* A task of a killed run may have a start and no end. */
		if (lat && res->kind != RESULT_NOT_RUN &&
		    res->end >= res->start)
			lat[k++] = res->end - res->start;
	}
	r->lat_p50 = lat ? stats_percentile(lat, k, 50) : NAN;
	r->lat_p95 = lat ? stats_percentile(lat, k, 95) : NAN;
	r->lat_p99 = lat ? stats_percentile(lat, k, 99) : NAN;
	r->lat_max = lat ? stats_percentile(lat, k, 100) : NAN;
	free(lat);
	pass_tail(b, false, &r->naive);
	pass_tail(b, true, &r->corrected);
}

static struct run_record *pass_new_record(struct sweep *s)
{
	if (s->n_records == s->cap_records) {
		size_t cap = s->cap_records ? s->cap_records * 2 : 64;
		struct run_record *grown =
			realloc(s->records, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->records = grown;
		s->cap_records = cap;
	}
	struct run_record *r = &s->records[s->n_records];
	memset(r, 0, sizeof(*r));
	return r;
}

/* A run's time limit (the watchdog's, measure.h): ten times the case's
 * ideal, plus one fetch timeout (a task may legitimately wait that long),
 * plus a margin: 30 s for external models, whose interpreter starts
 * inside it, 10 s for C models. Before the baseline has a time, the
 * ideal is guessed: every fetch waiting its whole timeout, and compute
 * at 0.01 s a unit in C (10x the unit), 0.2 s in Python (CPython runs a
 * unit in about 0.08 s). */
static double pass_model_timeout(struct sweep *s, size_t gi,
				 const struct model *m, int workers)
{
	const struct sweep_group *g = &s->groups[gi];
	const struct run_plan *c = s->plan;
	bool external = m->flags & MODEL_EXTERNAL;
	double fetch_s = (double)c->timeout_ms / 1e3;
	double guess = (double)g->batch->n *
		       (fetch_s + (external ? 0.2 : 0.01) * (double)g->work);
	if (g->workload == TASK_SHARED) { /* 1 us an increment: contended;
					     10 us in an interpreter */
		fetch_s = 0;
		guess = (double)g->batch->n * (double)g->work *
			SHARED_INCREMENTS_PER_UNIT * (external ? 1e-5 : 1e-6);
	}
	double base = NAN;
	if (sweep_summarize(s) == 0)
		for (size_t i = 0; i < s->n_cases; i++)
			if (s->cases[i].group == gi &&
			    s->cases[i].model == g->baseline)
				base = s->cases[i].wall.median;
	double ideal =
		sweep_ideal(s, g, m, workers, isnan(base) ? guess : base);
	if (isnan(ideal))
		ideal = guess;
	if (g->batch->open) /* it cannot end before its last arrival */
		ideal = fmax(ideal, g->batch->deadline);
	return 10.0 * ideal + fetch_s + (external ? 30.0 : 10.0);
}

/* The tasks a killed run was running whose worker said what it waited
 * for (a lock: common/shared.c), first in the run's lines and on
 * stderr: "worker 0 holds lock a, waits for lock b". */
static void pass_watchdog_waits(struct run_record *r, const struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct result *res = &b->results[i];
		if (res->kind != RESULT_TIMEOUT ||
		    !strstr(res->message, "waits for"))
			continue;
		fprintf(stderr, "concur: %s C=%d, task %zu: %s\n",
			r->model->name, r->workers, i, res->message);
		if (r->verify.n_lines < VERIFY_MAX_LINES - 1)
			snprintf(r->verify.lines[r->verify.n_lines++],
				 sizeof(r->verify.lines[0]), "task %zu: %s", i,
				 res->message);
	}
}

/* The watchdog killed run r: say so now and in the table's notes. A run
 * that had to be stopped is a failed run whatever its tasks gave (all of
 * them may be done: the model never returned); its unfinished tasks are
 * the model's failure, not timing noise. It does not verify and concur
 * exits 1. The sweep goes on. */
static void pass_watchdog_fired(struct sweep *s, struct run_record *r,
				const struct batch *b)
{
	const char *w = task_type_name(s->groups[r->group].workload);
	/* Verification counted an unfinished task either as wrong already
	 * (not_run against a result) or as timing (timeout): move the latter
	 * to wrong, and count no task twice. */
	size_t unfinished = r->m.unfinished;
	size_t move =
		unfinished < r->verify.timing ? unfinished : r->verify.timing;
	r->verify.timing -= move;
	r->verify.wrong += move;
	if (r->verify.wrong + r->verify.crashed < unfinished)
		r->verify.wrong = unfinished - r->verify.crashed;
	r->verify.stopped = true;
	/* The first lines: what the stopped workers were waiting for. */
	r->verify.n_lines = 0;
	pass_watchdog_waits(r, b);
	char *line = r->verify.n_lines < VERIFY_MAX_LINES
			     ? r->verify.lines[r->verify.n_lines++]
			     : NULL;
	if (line && unfinished)
		snprintf(line, sizeof(r->verify.lines[0]),
			 "%zu tasks unfinished when the watchdog stopped the "
			 "run",
			 unfinished);
	else if (line) /* exercise 1's consumers that miss the close */
		snprintf(line, sizeof(r->verify.lines[0]),
			 "all %zu tasks done, but the model never returned: "
			 "was a worker left waiting for work that never "
			 "comes (nobody woken to see the end)?",
			 b->n);
	snprintf(r->m.stats.note, sizeof(r->m.stats.note),
		 "stopped by the watchdog after %.1f s (run %d); set the "
		 "limit with --model-timeout",
		 r->m.limit_s, r->rep + 1);
	fprintf(stderr,
		"concur: %s %s C=%d ran past its time limit of %.1f s and was "
		"killed with its process group; the sweep goes on\n",
		r->model->name, w, r->workers, r->m.limit_s);
}

/* One run of one case; kept unless it is a warm-up. Returns -1 when the
 * run could not happen or the user interrupted it. */
/* A sampled baseline ran k of the batch's n tasks: its times are scaled
 * to the whole batch, an estimate the table, CSV and meta.json say is
 * one. Latencies are per task and stay as measured. */
static void pass_scale_sample(struct run_record *r, size_t n, size_t k)
{
	double scale = (double)n / (double)k;
	r->sample_tasks = k;
	r->m.wall_s *= scale;
	r->m.usage.user_s *= scale;
	r->m.usage.system_s *= scale;
}

static int pass_one_run(struct sweep *s, size_t gi, const struct model *m,
			int workers, int rep, bool warmup, struct progress *p)
{
	struct sweep_group *g = &s->groups[gi];
	/* A sampled baseline runs the first tasks only (run.c). */
	bool sampled = m == g->baseline && g->how == BASELINE_SAMPLE;
	struct batch *batch = sampled ? g->sample : g->batch;
	const struct batch *reference =
		sampled ? g->sample_reference : g->reference;
	struct run_opts o = plan_run_opts(s->plan, workers);
	struct external_opts x = plan_external_opts(s->plan);
	if (x.model_timeout_s <= 0)
		x.model_timeout_s = pass_model_timeout(s, gi, m, workers);
	struct run_record *r = pass_new_record(s);
	if (!r)
		return -1;
	batch_reset_results(batch);
	progress_start(p, m->name, task_type_name(g->workload), workers, rep,
		       warmup);
	if (measure_run(m, batch, &o, &x, &r->m) != 0)
		return -1;
	if (r->m.interrupted) {
		s->partial = true;
		return -1;
	}
	progress_done(p, r->m.wall_s);
	if (warmup)
		return 0;
	r->group = gi;
	r->model = m;
	r->workers = workers;
	r->rep = rep;
	verify_results(reference, batch, &r->verify);
	if (r->m.stats.external &&
	    r->m.stats.external_status == EXTERNAL_TIMED_OUT)
		verify_model_hung(&r->verify, r->m.stats.note);
	if (sampled)
		pass_scale_sample(r, g->batch->n, batch->n);
	if (r->m.timed_out)
		pass_watchdog_fired(s, r, batch);
	pass_describe(batch, r);
	s->n_records++;
	if (!verify_ok(&r->verify))
		s->wrong = true;
	result_set_keep_tasks(s, r, batch);
	return result_set_write(s);
}

/* The models of a group: its baseline first, then the others. */
static size_t pass_group_models(const struct sweep *s, size_t gi,
				const struct model **out)
{
	const struct sweep_group *g = &s->groups[gi];
	size_t n = 0;
	out[n++] = g->baseline;
	for (size_t i = 0; i < s->plan->n_models; i++) {
		const struct model *m = s->plan->models[i];
		if (g->workload == TASK_SHARED && (m->flags & MODEL_NO_SHARED))
			continue; /* hybrid: no shared workload */
		if (m != g->baseline && sweep_python_model(m) == g->python)
			out[n++] = m;
	}
	return n;
}

/* One pass over every case of a group: the baseline once, the others at
 * each C, models alternated. */
static int pass_over_group(struct sweep *s, size_t gi, int rep, bool warmup,
			   struct progress *p)
{
	const struct model *models[PLAN_MAX_MODELS + 1];
	size_t n = pass_group_models(s, gi, models);
	if (s->groups[gi].how != BASELINE_NONE &&
	    pass_one_run(s, gi, models[0], 1, rep, warmup, p) != 0)
		return -1;
	for (size_t w = 0; w < s->plan->n_workers; w++)
		for (size_t i = 1; i < n; i++)
			if (pass_one_run(s, gi, models[i], s->plan->workers[w],
					 rep, warmup, p) != 0)
				return -1;
	return 0;
}

int passes_run(struct sweep *s, struct progress *p)
{
	for (size_t gi = 0; gi < s->n_groups; gi++) {
		for (int w = 0; w < s->plan->warmup; w++)
			if (pass_over_group(s, gi, w, true, p) != 0)
				return -1;
		for (int rep = 0; rep < s->plan->repeat; rep++)
			if (pass_over_group(s, gi, rep, false, p) != 0)
				return -1;
	}
	return 0;
}

size_t passes_count(const struct sweep *s)
{
	size_t total = 0;
	const struct model *models[PLAN_MAX_MODELS + 1];
	for (size_t gi = 0; gi < s->n_groups; gi++) {
		size_t n = pass_group_models(s, gi, models);
		size_t base = s->groups[gi].how == BASELINE_NONE ? 0 : 1;
		total += (base + (n - 1) * s->plan->n_workers) *
			 (size_t)(s->plan->repeat + s->plan->warmup);
	}
	return total;
}
