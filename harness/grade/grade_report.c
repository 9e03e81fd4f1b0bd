// SPDX-License-Identifier: MIT
/*
 * grade_report.c - the two halves of a grade that are not conformance: the
 * speed check (the model against the built-in threads model, on the same
 * batch, in the same run, so the ratio does not depend on whose laptop
 * ran it) and the grade file, written with jansson.
 */
#include "harness/grade/grade_report.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/shared.h"
#include "harness/cli/cli.h"
#include "harness/report/file_replace.h"
#include "harness/run/measure.h"
#include "harness/run/run.h"

/* The speed run's time limit: a model can pass the conformance suite and
 * still hang on another batch (a lost wake-up is a matter of timing). */
#define GRADE_SPEED_LIMIT_S 120

static void grade_alarm_cb(int sig)
{
	(void)sig;
	measure_stop_requested = 1; /* measure_wait then stops the run */
}

/* Arms (seconds > 0) or disarms the limit. No SA_RESTART: the harness's
 * wait4 must return to see the flag. */
static void grade_limit(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = seconds ? grade_alarm_cb : SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* The score of one speed ratio (threads' time / the model's): full at
 * 80% of threads' speed or better, half from 50%. */
static double grade_ratio_score(double ratio)
{
	if (isnan(ratio))
		return 0;
	return ratio >= 0.8 ? 1.0 : ratio >= 0.5 ? 0.5 : 0.0;
}

static const struct case_summary *
grade_case(const struct sweep *s, const char *model, enum task_type w)
{
	for (size_t i = 0; i < s->n_cases; i++)
		if (s->groups[s->cases[i].group].workload == w &&
		    strcmp(s->cases[i].model->name, model) == 0)
			return &s->cases[i];
	return NULL;
}

/* What the speed run measures: the pool exercise (and any model) on
 * fetch and compute against threads; the tally exercise on the shared
 * workload against threads' best strategy, a padded slot per worker. */
struct grade_speed_plan {
	enum task_type workloads[2];
	size_t n;
	const char *against; /* "threads" or "threads --sync ..." */
};

static struct grade_speed_plan grade_plan(const struct grade *g)
{
	if (g->model->flags & MODEL_SHARED_ONLY)
		return (struct grade_speed_plan){
			{TASK_SHARED}, 1, "threads --sync sharded-padded"};
	return (struct grade_speed_plan){
		{TASK_FETCH, TASK_COMPUTE}, 2, "threads"};
}

/* The batch: small, the same for both models (external models compute
 * the same units as C ones, so keep the compute light for them). The
 * shared batch is 3,000,000 increments a task: long enough to time a
 * padded slot (tens of ms), short enough for a mutex (seconds). */
static void grade_speed_config(const struct grade *g,
			       const struct grade_speed_plan *plan,
			       struct run_config *c, char *label,
			       size_t label_len)
{
	config_defaults(c);
	c->models[0] = model_find("threads");
	c->n_models = 1;
	if (g->model != c->models[0])
		c->models[c->n_models++] = g->model;
	for (size_t i = 0; i < plan->n; i++)
		c->workloads[i] = plan->workloads[i];
	c->n_workloads = plan->n;
	c->sync = SYNC_SHARDED_PADDED;
	c->workers[0] = 4;
	c->n_workers = 1;
	c->tasks = g->quick ? 8 : 16;
	c->delay_ms = 20;
	c->work = g->model->flags & MODEL_EXTERNAL	? 1
		  : g->model->flags & MODEL_SHARED_ONLY ? 300
							: 4;
	c->py_work = c->work;
	c->repeat = g->quick ? 1 : 3;
	c->plot = false;
	c->quiet = true;
	c->out_dir = g->dir;
	snprintf(label, label_len, "speed-%s", g->model->name);
	c->label = label;
	c->cmdline = NULL;
}

static void grade_speed_name(const struct grade_speed_plan *plan,
			     enum task_type w, char *name, size_t len)
{
	snprintf(name, len, "speed: %s vs %s (C = 4)", task_type_name(w),
		 plan->against);
}

/* A slow model's evidence: how many compute tasks ran at once, next to
 * threads' figure; a slow tally: how it adds. */
static void grade_speed_evidence(struct grade *g, enum task_type w,
				 const struct case_summary *t,
				 const struct case_summary *m, double ratio)
{
	if (ratio >= 0.8)
		return;
	if (w == TASK_SHARED) {
		g->hints |= HINT_SLOW_TALLY;
		return;
	}
	bool few = w == TASK_COMPUTE
			   ? m->p_compute < 0.6 * t->p_compute
			   : ratio < 0.5; /* 20 ms waits: they overlap or not */
	if (few)
		g->hints |= HINT_FEW_AT_ONCE;
}

/* One workload's check: ratio and score. */
static void grade_speed_workload(struct grade *g, const struct sweep *s,
				 const struct grade_speed_plan *plan,
				 enum task_type w)
{
	const struct case_summary *t = grade_case(s, "threads", w);
	const struct case_summary *m = grade_case(s, g->model->name, w);
	char name[96], out[512];
	grade_speed_name(plan, w, name, sizeof(name));
	if (!t || !m) {
		grade_add(g, name, 0, 1, "not measured");
		return;
	}
	double ratio = t->wall.median / m->wall.median;
	int used = snprintf(out, sizeof(out),
			    "speed ratio %.2f (threads %.4f s / %s %.4f s, "
			    "median of %zu; 1.00 = as fast as threads; full "
			    "score from 0.80)",
			    ratio, t->wall.median, g->model->name,
			    m->wall.median, m->wall.n);
	if (w == TASK_COMPUTE && used > 0 && (size_t)used < sizeof(out))
		snprintf(out + used, sizeof(out) - (size_t)used,
			 "; compute tasks at once: %.1f (threads %.1f)",
			 m->p_compute, t->p_compute);
	grade_add(g, name, grade_ratio_score(ratio), 1, out);
	grade_speed_evidence(g, w, t, m, ratio);
	printf("  %s: %s\n", name, out);
}

/* Every check of the plan, scored 0 with why. */
static void grade_speed_missing(struct grade *g,
				const struct grade_speed_plan *plan,
				const char *why)
{
	for (size_t i = 0; i < plan->n; i++) {
		char name[96];
		grade_speed_name(plan, plan->workloads[i], name, sizeof(name));
		grade_add(g, name, 0, 1, why);
	}
}

void grade_speed(struct grade *g)
{
	struct grade_speed_plan plan = grade_plan(g);
	if (g->failed || !model_find("threads")) {
		grade_speed_missing(g, &plan,
				    g->failed ? "not measured: pass the "
						"conformance checks first"
					      : "not measured: no threads "
						"model in this build");
		return;
	}
	struct run_config c;
	char label[96];
	grade_speed_config(g, &plan, &c, label, sizeof(label));
	printf("speed: %s against %s, %ld tasks, C = 4\n", g->model->name,
	       plan.against, c.tasks);
	fflush(stdout);
	struct sweep s;
	grade_limit(GRADE_SPEED_LIMIT_S);
	int rc = run_execute(&c, &s);
	grade_limit(0);
	bool hung = s.partial;
	if (rc == 0)
		for (size_t i = 0; i < plan.n; i++)
			grade_speed_workload(g, &s, &plan, plan.workloads[i]);
	else
		grade_speed_missing(g, &plan,
				    hung ? "did not finish in time: a hang"
					 : "concur run found wrong results or "
					   "could not run: see the table "
					   "above");
	if (hung) {
		g->failed = true;
		g->hints |= HINT_HANG;
	} else if (rc == 1) { /* results differed under `concur run` */
		g->failed = true;
		g->hints |= HINT_OTHER;
	}
	run_release(&s);
}

/* FNV-1a, 64 bits, of the file at path into hex ("" when unreadable):
 * enough to tell which version of a source was graded. */
static void grade_hash_file(const char *path, char *hex, size_t len)
{
	hex[0] = '\0';
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return;
	uint64_t h = 0xcbf29ce484222325ULL;
	int c;
	while ((c = fgetc(f)) != EOF)
		h = (h ^ (uint64_t)(unsigned char)c) * 0x100000001b3ULL;
	fclose(f);
	snprintf(hex, len, "%016llx", (unsigned long long)h);
}

/* Whose work, on what machine, from which source: Gradescope's
 * extra_data. */
static json_t *grade_extra(const struct grade *g)
{
	const char *who = g->student ? g->student : getenv("STUDENT");
	if (!who || !who[0])
		who = getenv("USER");
	char source[4200] = "", hash[32];
	if (g->source)
		snprintf(source, sizeof(source), "%s", g->source);
	else {
		snprintf(source, sizeof(source), "models/exercises/%s.c",
			 g->model->name);
		if (access(source, R_OK) != 0)
			source[0] = '\0';
	}
	grade_hash_file(source[0] ? source : NULL, hash, sizeof(hash));
	struct utsname u;
	char machine[512] = "unknown";
	if (uname(&u) == 0)
		snprintf(machine, sizeof(machine), "%s (%s %s %s)", u.nodename,
			 u.sysname, u.release, u.machine);
	return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s?, s:s?}", "student",
			 who && who[0] ? who : "unknown", "model",
			 g->model->name, "machine", machine, "cores",
			 (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "sanitizer",
			 g->sanitize, "source", source[0] ? source : NULL,
			 "source_fnv1a64", hash[0] ? hash : NULL);
}

int grade_write(const struct grade *g, double elapsed_s)
{
	json_t *tests = json_array();
	double score = 0;
	for (size_t i = 0; i < g->n_tests; i++) {
		const struct grade_test *t = &g->tests[i];
		score += t->score;
		json_array_append_new(
			tests, json_pack("{s:s, s:f, s:f, s:s, s:s}", "name",
					 t->name, "score", t->score,
					 "max_score", t->max_score, "status",
					 t->score >= t->max_score ? "passed"
								  : "failed",
					 "output", t->output));
	}
	json_t *root =
		json_pack("{s:f, s:f, s:s, s:s, s:o, s:o}", "score", score,
			  "execution_time", elapsed_s, "output",
			  g->hint_text[0] ? g->hint_text : "every check passed",
			  "stdout_visibility", "visible", "tests", tests,
			  "extra_data", grade_extra(g));
	struct file_replace out = {0};
	int rc = -1;
	if (root && file_replace_open(&out, g->out) == 0) {
		json_dumpf(root, out.f, JSON_INDENT(2));
		fputc('\n', out.f);
		rc = file_replace_commit(&out);
	}
	json_decref(root);
	if (rc != 0)
		cli_error("grade: cannot write '%s'", g->out);
	return rc;
}
