// SPDX-License-Identifier: MIT
/*
 * kit.c - what every lesson uses: a plan with sensible defaults,
 * a sweep run like `concur run` with a terminal chart, finding a case in
 * the results, and printing numbers and explanations in one form.
 */
#include "harness/lessons/kit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/external/python.h"
#include "harness/report/plot.h"
#include "harness/run/run.h"
#include "harness/run/stats.h"

void lesson_plan_defaults(struct lesson_ctx *ctx, struct run_config *c)
{
	config_defaults(c);
	c->n_models = 0;
	c->out_dir = ctx->out_dir;
	c->plot = false; /* drawn by lesson_sweep */
	c->quiet = !isatty(STDERR_FILENO);
	c->repeat = ctx->quick ? 1 : 3;
	c->cmdline = ctx->cmdline; /* owned by the runner */
}

int lesson_add_models(struct run_config *c, const char *const *names)
{
	int missing = 0;
	for (size_t i = 0; names[i]; i++) {
		const struct model *m = model_find(names[i]);
		if (!m) {
			printf("  note: the model '%s' is not part of this "
			       "build; its part of the lesson is left out\n",
			       names[i]);
			missing++;
			continue;
		}
		if (c->n_models < CONFIG_MAX_MODELS)
			c->models[c->n_models++] = m;
	}
	return missing;
}

void lesson_set_workers(struct run_config *c, const int *workers)
{
	c->n_workers = 0;
	for (size_t i = 0; workers[i] && c->n_workers < CONFIG_MAX_WORKERS;
	     i++) {
		bool seen = false;
		for (size_t j = 0; j < c->n_workers; j++)
			seen = seen || c->workers[j] == workers[i];
		if (!seen)
			c->workers[c->n_workers++] = workers[i];
	}
}

int lesson_sweep(struct lesson_ctx *ctx, struct run_config *c, const char *part,
		 struct sweep *s)
{
	if (part)
		snprintf(ctx->label, sizeof(ctx->label), "lesson-%d-%s",
			 ctx->number, part);
	else
		snprintf(ctx->label, sizeof(ctx->label), "lesson-%d",
			 ctx->number);
	c->label = ctx->label;
	printf("\nRunning the experiment%s%s (%zu model%s) ...\n",
	       part ? ", part " : "", part ? part : "", c->n_models,
	       c->n_models == 1 ? "" : "s");
	fflush(stdout);
	int rc = run_execute(c, s);
	fflush(stdout); /* before gnuplot writes to the same stdout */
	if (s->n_records > 0 && !s->partial) {
		plot_result_set(s->dir, 1);
		printf("  result set: %s\n", s->dir);
		ctx->parts++;
	}
	fflush(stdout);
	return rc;
}

const struct case_summary *lesson_case(const struct sweep *s, const char *model,
				       enum task_type w, int workers)
{
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *cs = &s->cases[i];
		if (s->groups[cs->group].workload == w &&
		    strcmp(cs->model->name, model) == 0 &&
		    (workers == 0 || cs->workers == workers))
			return cs;
	}
	return NULL;
}

double lesson_per_worker(const struct sweep *s, const char *model,
			 enum task_type w, int lo, int hi, char what)
{
	const struct case_summary *a = lesson_case(s, model, w, lo);
	const struct case_summary *b = lesson_case(s, model, w, hi);
	if (!a || !b || hi == lo)
		return NAN;
	if (what == 'm')
		return (b->pss_kib - a->pss_kib) / (hi - lo);
	if (what == 'u')
		return (b->uss_kib - a->uss_kib) / (hi - lo);
	return (b->setup_s - a->setup_s) / (hi - lo) * 1e6;
}

double lesson_record_median(const struct sweep *s, const char *model,
			    enum task_type w, int workers, char what)
{
	double v[256];
	size_t n = 0;
	for (size_t i = 0; i < s->n_records && n < 256; i++) {
		const struct run_record *r = &s->records[i];
		if (s->groups[r->group].workload != w ||
		    strcmp(r->model->name, model) != 0 || r->workers != workers)
			continue;
		if (what == 'h')
			v[n++] = run_stats_get(&r->m.stats, "handovers", 0);
		else if (what == 'l')
			v[n++] = r->wait_s;
		else if (what == 'f' && r->rep == 0)
			v[n++] = r->m.wall_s;
	}
	return stats_spread(v, n).median;
}

double lesson_measured(const char *name, double value, const char *unit)
{
	printf("  measured: %s = %.4g%s%s\n", name, value, unit[0] ? " " : "",
	       unit);
	return value;
}

void lesson_heading(const char *title)
{
	printf("\n%s\n", title);
}

void lesson_say(const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cli_wrap("  ", text);
}

int lesson_run_plan(struct lesson_ctx *ctx, const char *const *models,
		    const char *part, lesson_explain_fn explain)
{
	struct run_config *c = &ctx->plan;
	lesson_add_models(c, models);
	if (c->n_models == 0) {
		printf("  none of this lesson's models is in this build\n");
		return 1;
	}
	struct sweep s;
	int rc = lesson_sweep(ctx, c, part, &s);
	if (rc == 0)
		explain(ctx, &s);
	else
		printf("  the experiment did not complete (status %d): there "
		       "is nothing to explain\n",
		       rc);
	run_release(&s);
	return rc;
}

bool lesson_python(struct lesson_ctx *ctx, bool *required)
{
	(void)ctx;
	const char *ci = getenv("CI");
	char why[512];
	*required = false;
	if (!model_find("py-sequential")) {
		lesson_say("The Python models are not part of this build, so "
			   "the Python part of this lesson is skipped.");
		return false;
	}
	if (python_find(NULL, why, sizeof(why)))
		return true;
	*required = ci && strcmp(ci, "true") == 0;
	lesson_say("%s. %s", why,
		   *required ? "Under CI the Python part must run: the lesson "
			       "fails."
			     : "The Python part of this lesson is skipped; "
			       "install " PYTHON_INSTALL_HINT " to run it.");
	return false;
}

double lesson_load(void)
{
	double load[1];
	return getloadavg(load, 1) == 1 ? load[0] : NAN;
}
