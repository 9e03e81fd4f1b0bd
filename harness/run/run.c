// SPDX-License-Identifier: MIT
/*
 * run.c - `concur run`: the sweep of models x workloads x C x repetitions.
 *
 * Order of work: check every option and the results directory (nothing is
 * measured before all is known to be right); start the embedded server;
 * build each batch and its cheap sequential reference; then measure, with
 * runs of different models interleaved so drift in the machine hits all
 * alike; after every run the result files are rewritten atomically, so
 * Ctrl-C keeps what was measured.
 */
#include "harness/run/run.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/external/external.h"
#include "harness/external/python.h"
#include "harness/cli/progress.h"
#include "harness/report/result_set.h"
#include "harness/server/serve.h"
#include "harness/run/workload.h"

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

static int run_is_python(const struct model *m)
{
	return strncmp(m->name, "py-", 3) == 0;
}

/* Adds a group (batch + reference slot) for a workload. */
static int run_add_group(struct sweep *s, enum task_type w, bool python,
			 const struct url_list *urls)
{
	const struct run_config *c = s->config;
	struct sweep_group *g = &s->groups[s->n_groups];
	memset(g, 0, sizeof(*g));
	g->workload = w;
	g->python = python;
	g->work = python ? c->py_work : c->work;
	g->baseline = model_find(python ? "py-sequential" : "sequential");
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
	};
	g->batch = workload_build(&spec);
	if (!g->batch)
		return -1;
	g->reference = verify_reference_batch(g->batch, c->timeout_ms);
	if (!g->reference)
		return -1;
	s->n_groups++;
	return 0;
}

static int run_build_groups(struct sweep *s, const struct url_list *urls)
{
	const struct run_config *c = s->config;
	bool any_c = false, any_py = false;
	for (size_t i = 0; i < c->n_models; i++) {
		if (run_is_python(c->models[i]))
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

struct run_opts run_opts_for(const struct run_config *c, int workers)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.cpu_workers = c->cpu_workers;
	o.switch_interval_ms = c->switch_interval_ms;
	o.fetch.timeout_ms = c->timeout_ms;
	o.fetch.connect_timeout_ms = c->connect_timeout_ms;
	o.trace = c->trace;
	o.python = c->python;
	o.model_timeout_s = c->model_timeout_s;
	return o;
}

/* The reference: the baseline's C sibling (sequential) on the shortened
 * batch, run once, in a child like every run. */
static int run_references(struct sweep *s)
{
	const struct model *seq = model_find("sequential");
	for (size_t i = 0; i < s->n_groups; i++) {
		struct sweep_group *g = &s->groups[i];
		struct run_opts o = run_opts_for(s->config, 1);
		o.trace = false;
		struct measurement m;
		if (measure_run(seq, g->reference, &o, &m) != 0 ||
		    (m.model_rc != 0 && !m.interrupted)) {
			cli_error(
				"run: the sequential reference could not run");
			return -1;
		}
		if (m.interrupted)
			return -1;
	}
	return 0;
}

/* Latency percentiles and kind counts of one run. */
static void run_describe(const struct batch *b, struct run_record *r)
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
}

static struct run_record *run_new_record(struct sweep *s)
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

/* An external model's time limit: ten times the case's ideal plus 30 s.
 * Before the baseline has a time, compute is guessed at 0.2 s a unit
 * (CPython runs a unit in about 0.08 s). */
static double run_model_timeout(struct sweep *s, size_t gi,
				const struct model *m, int workers)
{
	const struct sweep_group *g = &s->groups[gi];
	double guess = (double)g->batch->n *
		       ((double)s->config->delay_ms / 1e3 + 0.2 * g->work);
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
	return 10.0 * ideal + 30.0;
}

/* One run of one case; kept unless it is a warm-up. Returns -1 when the
 * run could not happen or the user interrupted it. */
static int run_one(struct sweep *s, size_t gi, const struct model *m,
		   int workers, int rep, bool warmup, struct progress *p)
{
	struct sweep_group *g = &s->groups[gi];
	struct run_opts o = run_opts_for(s->config, workers);
	if ((m->flags & MODEL_EXTERNAL) && o.model_timeout_s <= 0)
		o.model_timeout_s = run_model_timeout(s, gi, m, workers);
	struct run_record *r = run_new_record(s);
	if (!r)
		return -1;
	batch_reset_results(g->batch);
	progress_start(p, m->name, task_type_name(g->workload), workers, rep,
		       warmup);
	if (measure_run(m, g->batch, &o, &r->m) != 0)
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
	verify_results(g->reference, g->batch, &r->verify);
	if (run_stats_get(&r->m.stats, "external_status", -1) ==
	    EXTERNAL_TIMED_OUT)
		verify_model_hung(&r->verify, r->m.stats.note);
	run_describe(g->batch, r);
	s->n_records++;
	if (!verify_ok(&r->verify))
		s->wrong = true;
	report_keep_tasks(s, r, g->batch);
	return report_write_runs(s);
}

/* The models of a group: its baseline first, then the others. */
static size_t run_group_models(const struct sweep *s, size_t gi,
			       const struct model **out)
{
	const struct sweep_group *g = &s->groups[gi];
	size_t n = 0;
	out[n++] = g->baseline;
	for (size_t i = 0; i < s->config->n_models; i++) {
		const struct model *m = s->config->models[i];
		if (m != g->baseline && run_is_python(m) == g->python)
			out[n++] = m;
	}
	return n;
}

/* One pass over every case of a group: the baseline once, the others at
 * each C, models alternated. */
static int run_pass(struct sweep *s, size_t gi, int rep, bool warmup,
		    struct progress *p)
{
	const struct model *models[CONFIG_MAX_MODELS + 1];
	size_t n = run_group_models(s, gi, models);
	if (!s->config->no_baseline &&
	    run_one(s, gi, models[0], 1, rep, warmup, p) != 0)
		return -1;
	for (size_t w = 0; w < s->config->n_workers; w++)
		for (size_t i = 1; i < n; i++)
			if (run_one(s, gi, models[i], s->config->workers[w],
				    rep, warmup, p) != 0)
				return -1;
	return 0;
}

static int run_sweep(struct sweep *s, struct progress *p)
{
	for (size_t gi = 0; gi < s->n_groups; gi++) {
		for (int w = 0; w < s->config->warmup; w++)
			if (run_pass(s, gi, w, true, p) != 0)
				return -1;
		for (int rep = 0; rep < s->config->repeat; rep++)
			if (run_pass(s, gi, rep, false, p) != 0)
				return -1;
	}
	return 0;
}

static size_t run_count(const struct sweep *s)
{
	size_t total = 0;
	const struct model *models[CONFIG_MAX_MODELS + 1];
	for (size_t gi = 0; gi < s->n_groups; gi++) {
		size_t n = run_group_models(s, gi, models);
		size_t base = s->config->no_baseline ? 0 : 1;
		total += (base + (n - 1) * s->config->n_workers) *
			 (size_t)(s->config->repeat + s->config->warmup);
	}
	return total;
}

static int run_start_server(struct sweep *s)
{
	const struct run_config *c = s->config;
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
	return server_spawn(&so, &s->server_pid, s->server_url,
			    sizeof(s->server_url));
}

/* Drops model i from the list. */
static void run_drop_model(struct run_config *c, size_t i)
{
	memmove(&c->models[i], &c->models[i + 1],
		(c->n_models - i - 1) * sizeof(const struct model *));
	c->n_models--;
}

int run_check_models(struct run_config *c)
{
	char why[512];
	if (c->python && !python_find(c->python, why, sizeof(why))) {
		cli_error("%s", why);
		return -1;
	}
	/* Found once, here: the measured children then start it without
	 * probing again. */
	if (!c->python && config_has_external(c))
		c->python = python_find(NULL, why, sizeof(why));
	struct run_opts o = run_opts_for(c, 1);
	bool told = false;
	for (size_t i = 0; i < c->n_models;) {
		const struct model *m = c->models[i];
		if (!(m->flags & MODEL_EXTERNAL) ||
		    external_available(m, &o, why, sizeof(why))) {
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
		if (!told && !c->quiet)
			fprintf(stderr,
				"concur: the py-* models are "
				"unavailable and left out: %s\n",
				why);
		told = true;
		run_drop_model(c, i);
	}
	return 0;
}

int run_execute(struct run_config *c, struct sweep *s)
{
	memset(s, 0, sizeof(*s));
	s->config = c;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	s->cores = cores > 0 ? (int)cores : 1;
	s->started = (double)time(NULL);
	int rc = EXIT_USAGE;
	if (c->url_file && url_file_read(c->url_file, &s->urls) != 0)
		return rc;
	if (run_check_models(c) != 0 || report_open_dir(s) != 0)
		return rc;
	rc = 1;
	run_catch_signals();
	if (run_start_server(s) != 0) {
		cli_error("run: the embedded server did not start");
		return rc;
	}
	if (run_build_groups(s, &s->urls) != 0 || run_references(s) != 0) {
		if (!measure_stop_requested)
			return rc;
		s->partial = true;
	}
	struct progress p;
	progress_init(&p, run_count(s), c->quiet);
	if (!s->partial && run_sweep(s, &p) != 0 && !s->partial)
		cli_error("run: a run could not be started");
	progress_end(&p);
	return report_finish(s);
}

void run_release(struct sweep *s)
{
	if (s->server_pid > 0)
		server_stop(s->server_pid);
	s->server_pid = 0;
	for (size_t i = 0; i < s->n_groups; i++) {
		batch_free(s->groups[i].batch);
		batch_free(s->groups[i].reference);
	}
	s->n_groups = 0;
	report_free(s);
	free(s->records);
	free(s->cases);
	s->records = NULL;
	s->cases = NULL;
	url_list_free(&s->urls);
}

int run_main(int argc, char **argv)
{
	struct run_config c;
	int rc = config_parse_run(argc, argv, &c);
	if (rc != 0) {
		free(c.cmdline);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	struct sweep s;
	rc = run_execute(&c, &s);
	run_release(&s);
	free(c.cmdline);
	return rc;
}
