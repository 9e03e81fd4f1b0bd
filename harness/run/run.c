// SPDX-License-Identifier: MIT
/*
 * run.c - a plan carried out: the sweep of models x workloads x C x
 * repetitions, for `concur run` (harness/cli/run_cmd.c) and the lessons.
 *
 * Order of work: check every model and the results directory (nothing is
 * measured before all is known to be right); start the embedded server;
 * build each batch and its cheap sequential reference; then measure, in
 * passes that interleave the models (passes.c); after every run the
 * result files are rewritten, so Ctrl-C keeps what was measured; at the
 * end, the table and the last files (result_set.c).
 */
#include "harness/run/run.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/kernel.h"
#include "common/shared.h"
#include "harness/base/cli.h"
#include "harness/server/listen.h"
#include "harness/base/progress.h"
#include "harness/external/external.h"
#include "harness/external/python.h"
#include "harness/run/result_set.h"
#include "harness/run/passes.h"
#include "harness/run/workload.h"
#include "harness/server/serve.h"

static void run_on_signal(int sig)
{
	(void)sig;
	measure_stop_requested = 1;
}

static void run_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_signal; /* no SA_RESTART: wait4 returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* One increment of the shared counter by one thread, guessed: a few ns
 * with no one to compete with (the baseline's case); in CPython, about
 * 0.1 us. */
#define RUN_INCREMENT_GUESS_S 5e-9
#define RUN_PY_INCREMENT_GUESS_S 1e-7

/* A full baseline run up to this long (guessed) is always measured. */
#define BASELINE_FULL_MAX_S 5.0
/* A sampled baseline aims at about this long a run. */
#define BASELINE_SAMPLE_S 2.0
/* ... and never runs fewer tasks than this (or the batch). */
#define BASELINE_SAMPLE_MIN 4

/* Was model m asked for by name (or by `all`)? */
static bool run_asked_for(const struct run_plan *c, const struct model *m)
{
	for (size_t i = 0; i < c->n_models; i++)
		if (c->models[i] == m)
			return true;
	return false;
}

/* What one full run of g's baseline would cost, guessed from the delay,
 * the measured unit (C) or 0.1 s a unit (CPython takes about 0.08);
 * NAN with real URLs, whose delays are unknown. */
static double run_baseline_estimate(const struct sweep *s,
				    const struct sweep_group *g)
{
	const struct run_plan *c = s->plan;
	if (g->workload == TASK_SHARED)
		return (double)g->batch->n * (double)g->work *
		       SHARED_INCREMENTS_PER_UNIT *
		       (g->python ? RUN_PY_INCREMENT_GUESS_S
				  : RUN_INCREMENT_GUESS_S);
	if (g->workload != TASK_COMPUTE && !s->server_url[0])
		return NAN;
	double u = g->python ? 0.1 : (s->unit_s > 0 ? s->unit_s : 0.001);
	double d = g->workload == TASK_COMPUTE ? 0 : (double)c->delay_ms / 1e3;
	double w = g->workload == TASK_FETCH ? 0 : (double)g->work;
	return (double)g->batch->n * (d + w * u);
}

/* Chooses how g's baseline is timed (--baseline, results/README.md) and
 * makes the sample batches when it is sampled. */
static int run_choose_baseline(struct sweep *s, struct sweep_group *g)
{
	const struct run_plan *c = s->plan;
	size_t n = g->batch->n;
	g->estimate_s = run_baseline_estimate(s, g);
	g->how = c->no_baseline ? BASELINE_NONE : c->baseline;
	if (g->how == BASELINE_AUTO)
		g->how = run_asked_for(c, g->baseline) ||
					 g->estimate_s <= BASELINE_FULL_MAX_S
				 ? BASELINE_FULL
				 : BASELINE_SAMPLE;
	if (g->how != BASELINE_SAMPLE)
		return 0;
	size_t k = n / 10; /* real URLs: a tenth */
	if (!isnan(g->estimate_s) && g->estimate_s > 0)
		k = (size_t)ceil((double)n * BASELINE_SAMPLE_S / g->estimate_s);
	if (k < BASELINE_SAMPLE_MIN)
		k = BASELINE_SAMPLE_MIN;
	if (k >= n) {
		g->how = BASELINE_FULL;
		return 0;
	}
	g->sample = workload_head(g->batch, k);
	g->sample_reference = workload_head(g->reference, k);
	return g->sample && g->sample_reference ? 0 : -1;
}

/* Lesson 16's stall: the first task to arrive at or after stall_at_s
 * fetches /stall/MS, and the embedded server stops answering anyone for
 * MS ms. Returns 0 (also when there is no stall), or -1. */
static int run_add_stall(struct sweep *s, struct batch *b)
{
	const struct run_plan *c = s->plan;
	if (c->stall_ms <= 0 || !s->server_url[0])
		return 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!task_fetches(&b->tasks[i]) ||
		    b->tasks[i].arrival < c->stall_at_s)
			continue;
		char url[320];
		snprintf(url, sizeof(url), "%s/stall/%ld", s->server_url,
			 c->stall_ms);
		return batch_set_url(b, i, url);
	}
	return 0;
}

/* Adds a group (batch + reference slot) for a workload. */
static int run_add_group(struct sweep *s, enum task_type w, bool python,
			 const struct url_list *urls)
{
	const struct run_plan *c = s->plan;
	struct sweep_group *g = &s->groups[s->n_groups];
	memset(g, 0, sizeof(*g));
	g->workload = w;
	g->python = python;
	g->work = python ? c->py_work : c->work;
	g->baseline = model_baseline(python);
	if (!g->baseline)
		return -1;
	size_t n = (size_t)c->tasks;
	if (c->url_file && !c->tasks_given)
		n = urls->n;
	struct workload_spec spec = {
		.type = w,
		.tasks = n,
		.delay_ms = c->delay_ms,
		.bytes = c->bytes,
		.work = g->work,
		.base_url = s->server_url[0] ? s->server_url : NULL,
		.urls = urls,
		.skew = c->skew,
		.skew_seed = c->skew_seed,
	};
	g->batch = workload_build(&spec);
	if (!g->batch)
		return -1;
	/* Open loop: the same arrivals for every model (the reference, a
	 * copy, stays closed: it only checks results). */
	if (c->open_loop && arrival_schedule(g->batch, c->rate, c->arrival_dist,
					     (uint64_t)c->arrival_seed,
					     c->arrival_grace_s) != 0)
		return -1;
	if (run_add_stall(s, g->batch) != 0)
		return -1;
	g->reference = verify_reference_batch(g->batch, c->timeout_ms);
	if (!g->reference)
		return -1;
	s->n_groups++;
	return 0;
}

static int run_build_groups(struct sweep *s, const struct url_list *urls)
{
	const struct run_plan *c = s->plan;
	bool any_c = false, any_py = false;
	for (size_t i = 0; i < c->n_models; i++) {
		if (sweep_python_model(c->models[i]))
			any_py = true;
		else
			any_c = true;
	}
	for (size_t w = 0; w < c->n_workloads; w++) {
		if (any_c && run_add_group(s, c->workloads[w], false, urls))
			return -1;
		if (any_py && run_add_group(s, c->workloads[w], true, urls))
			return -1;
	}
	return 0;
}

/* The reference: the baseline's C sibling (sequential) on the shortened
 * batch, run once, in a child like every run. */
static int run_references(struct sweep *s)
{
	const struct model *seq = model_find("sequential");
	for (size_t i = 0; i < s->n_groups; i++) {
		struct sweep_group *g = &s->groups[i];
		struct run_opts o = plan_run_opts(s->plan, 1);
		struct external_opts x = plan_external_opts(s->plan);
		o.trace = false;
		struct measurement m;
		/* Under --model-timeout the reference has the same limit;
		 * tasks it could not finish are then compared as timeouts. */
		if (measure_run(seq, g->reference, &o, &x, &m) != 0 ||
		    (m.model_rc != 0 && !m.timed_out && !m.interrupted)) {
			cli_error(
				"run: the sequential reference could not run");
			return -1;
		}
		if (m.interrupted)
			return -1;
		if (m.timed_out)
			fprintf(stderr,
				"concur: the sequential reference passed the "
				"time limit of %.1f s; its unfinished tasks "
				"count as timeouts\n",
				m.limit_s);
	}
	return 0;
}

/* --listen 0.0.0.0 or :: takes every address, and no client can connect
 * to it: the URL names this machine instead ("http://HOSTNAME:PORT"). */
static int run_url_by_name(char *url, size_t len)
{
	char host[HOST_NAME_MAX + 1] = "", *port = strrchr(url, ':');
	if (gethostname(host, sizeof(host) - 1) != 0 || !port)
		return -1;
	char tail[16];
	snprintf(tail, sizeof(tail), "%s", port);
	int n = snprintf(url, len, "http://%s%s", host, tail);
	return n >= 0 && (size_t)n < len ? 0 : -1; /* a name too long */
}

static int run_start_server(struct sweep *s)
{
	const struct run_plan *c = s->plan;
	if (c->url_file)
		return 0;
	if (c->server_url) {
		snprintf(s->server_url, sizeof(s->server_url), "%s",
			 c->server_url);
		size_t len = strlen(s->server_url);
		if (len && s->server_url[len - 1] == '/')
			s->server_url[len - 1] = '\0';
		return 0;
	}
	struct server_opts so = server_opts_default();
	so.quiet = 1;
	so.port = 0;
	if (c->listen)
		so.listen_addr = c->listen;
	if (server_spawn(&so, &s->server_pid, s->server_url,
			 sizeof(s->server_url)) != 0)
		return -1;
	return c->listen && listen_is_wildcard(c->listen)
		       ? run_url_by_name(s->server_url, sizeof(s->server_url))
		       : 0;
}

/* Drops model i from the list. */
static void run_drop_model(struct run_plan *c, size_t i)
{
	memmove(&c->models[i], &c->models[i + 1],
		(c->n_models - i - 1) * sizeof(const struct model *));
	c->n_models--;
}

int run_check_models(struct run_plan *c)
{
	char why[512];
	if (c->python && !python_find(c->python, why, sizeof(why))) {
		cli_error("%s", why);
		return -1;
	}
	/* Found once, here: the measured children then start it without
	 * probing again. */
	if (!c->python && plan_has_external(c))
		c->python = python_find(NULL, why, sizeof(why));
	struct external_opts x = plan_external_opts(c);
	int told = 0; /* bit 0: py-* said, bit 1: MPI, bit 2: Dask */
	for (size_t i = 0; i < c->n_models;) {
		const struct model *m = c->models[i];
		if (!(m->flags & MODEL_EXTERNAL) ||
		    external_available(m, &x, why, sizeof(why))) {
			i++;
			continue;
		}
		/* Asked for by name: refuse. Part of `all`: leave it out and
		 * say so once; the C models run as before. */
		if (!c->models_all) {
			cli_error("--models: %s is unavailable: %s", m->name,
				  why);
			return -1;
		}
		int kind = m->flags & MODEL_MPI	   ? 1
			   : m->flags & MODEL_DASK ? 2
						   : 0;
		static const char *const kinds[] = {"the py-* models are",
						    "the MPI models are",
						    "py-dask is"};
		if (!(told & (1 << kind)) && !c->quiet)
			fprintf(stderr,
				"concur: %s unavailable and left out: %s\n",
				kinds[kind], why);
		told |= 1 << kind;
		run_drop_model(c, i);
	}
	return 0;
}

static int run_choose_baselines(struct sweep *s)
{
	for (size_t i = 0; i < s->n_groups; i++)
		if (run_choose_baseline(s, &s->groups[i]) != 0)
			return -1;
	return 0;
}

/* Does any workload compute (compute or mixed)? */
static bool run_has_compute(const struct run_plan *c)
{
	for (size_t w = 0; w < c->n_workloads; w++)
		if (c->workloads[w] == TASK_COMPUTE ||
		    c->workloads[w] == TASK_MIXED)
			return true;
	return false;
}

int run_execute(struct run_plan *c, struct sweep *s)
{
	memset(s, 0, sizeof(*s));
	s->plan = c;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	s->cores = cores > 0 ? (int)cores : 1;
	/* The ideals use the measured unit of compute, not the nominal one
	 * (about 75 ms: 15 timed runs of 5 units). */
	if (run_has_compute(c))
		s->unit_s = kernel_unit_seconds(15);
	s->started = (double)time(NULL);
	int rc = EXIT_USAGE;
	if (c->url_file && url_file_read(c->url_file, &s->urls) != 0)
		return rc;
	if (run_check_models(c) != 0 || result_set_open(s) != 0)
		return rc;
	rc = 1;
	run_catch_signals();
	if (run_start_server(s) != 0) {
		cli_error("run: the embedded server did not start");
		return rc;
	}
	if (run_build_groups(s, &s->urls) != 0 || run_references(s) != 0 ||
	    run_choose_baselines(s) != 0) {
		if (!measure_stop_requested)
			return rc;
		s->partial = true;
	}
	struct progress p;
	progress_init(&p, passes_count(s), c->quiet);
	if (!s->partial && passes_run(s, &p) != 0 && !s->partial &&
	    !s->write_error[0])
		cli_error("run: a run could not be started");
	progress_end(&p);
	return result_set_finish(s);
}

void run_release(struct sweep *s)
{
	if (s->server_pid > 0)
		server_stop(s->server_pid);
	s->server_pid = 0;
	for (size_t i = 0; i < s->n_groups; i++) {
		batch_free(s->groups[i].batch);
		batch_free(s->groups[i].reference);
		batch_free(s->groups[i].sample);
		batch_free(s->groups[i].sample_reference);
	}
	s->n_groups = 0;
	result_set_free(s);
	free(s->records);
	free(s->cases);
	s->records = NULL;
	s->cases = NULL;
	url_list_free(&s->urls);
}
