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

#include "common/clock.h"
#include "harness/base/cli.h"
#include "harness/external/python.h"
#include "harness/lessons/judge.h"
#include "harness/report/plot.h"
#include "harness/run/run.h"
#include "harness/base/stats.h"

void lesson_plan_defaults(struct lesson_ctx *ctx, struct run_plan *c)
{
	plan_defaults(c);
	c->n_models = 0;
	c->out_dir = ctx->out_dir;
	c->plot = false; /* drawn by lesson_sweep */
	c->quiet = !isatty(STDERR_FILENO);
	/* Two runs at least, the baseline's too, even in --quick: one run
	 * cannot show its own noise (judge.h). */
	c->repeat = ctx->quick ? 2 : 3;
	c->cmdline = ctx->cmdline; /* owned by the runner */
}

int lesson_add_models(struct run_plan *c, const char *const *names)
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
		if (c->n_models < PLAN_MAX_MODELS)
			c->models[c->n_models++] = m;
	}
	return missing;
}

void lesson_set_workers(struct run_plan *c, const int *workers)
{
	c->n_workers = 0;
	for (size_t i = 0; workers[i] && c->n_workers < PLAN_MAX_WORKERS; i++) {
		bool seen = false;
		for (size_t j = 0; j < c->n_workers; j++)
			seen = seen || c->workers[j] == workers[i];
		if (!seen)
			c->workers[c->n_workers++] = workers[i];
	}
}

/* Runs the sweep and draws its plots; the caller says what the set is. */
static int kit_sweep(struct lesson_ctx *ctx, struct run_plan *c,
		     const char *part, struct sweep *s)
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
	if (s->n_records > 0 && !s->partial)
		plot_result_set(s->dir, 1);
	fflush(stdout);
	return rc;
}

/* The set a lesson explains: printed, counted, and the first one kept
 * for lesson.json. */
static void kit_keep_set(struct lesson_ctx *ctx, const struct sweep *s)
{
	if (s->n_records == 0 || s->partial)
		return;
	printf("  result set: %s\n", s->dir);
	if (ctx->parts++ == 0)
		snprintf(ctx->first_set, sizeof(ctx->first_set), "%s", s->dir);
	fflush(stdout);
}

int lesson_sweep(struct lesson_ctx *ctx, struct run_plan *c, const char *part,
		 struct sweep *s)
{
	int rc = kit_sweep(ctx, c, part, s);
	kit_keep_set(ctx, s);
	return rc;
}

/* The most attempts a judged sweep makes, and the time all of a lesson's
 * attempts may take together (seconds since the lesson began). */
#define KIT_ATTEMPTS_MAX 3
#define KIT_BUDGET_QUICK_S 30.0
#define KIT_BUDGET_FULL_S 180.0

/* Is there time for one more attempt with `next` runs per case, when the
 * last one took took_s with c->repeat? */
static bool kit_time_for(const struct lesson_ctx *ctx, const struct run_plan *c,
			 int next, double took_s)
{
	double budget = ctx->quick ? KIT_BUDGET_QUICK_S : KIT_BUDGET_FULL_S;
	double spent = clock_now() - ctx->started;
	return spent + took_s * next / c->repeat <= budget;
}

int lesson_sweep_judged(struct lesson_ctx *ctx, struct run_plan *c,
			const char *part, struct sweep *s,
			lesson_judge_fn judge)
{
	int base = c->repeat, rc;
	for (int attempt = 1;; attempt++) {
		double t0 = clock_now();
		judge_reset(ctx);
		rc = kit_sweep(ctx, c, part, s);
		ctx->attempts++;
		if (s->n_records == 0 || s->partial ||
		    (rc != 0 && !(rc == 1 && ctx->wrong_is_the_lesson)))
			return rc;
		judge(ctx, s);
		int next = c->repeat + base;
		if (!judge_retry_helps(ctx) || attempt == KIT_ATTEMPTS_MAX ||
		    !kit_time_for(ctx, c, next, clock_now() - t0))
			break;
		printf("  set aside: %s\n", s->dir);
		lesson_say("This run cannot show the claim yet: %s. Noise "
			   "comes and goes, so the experiment runs again, "
			   "with %d runs per case instead of %d (attempt %d "
			   "of at most %d).",
			   ctx->judge.why, next, c->repeat, attempt + 1,
			   KIT_ATTEMPTS_MAX);
		run_release(s);
		c->repeat = next;
	}
	kit_keep_set(ctx, s);
	if (ctx->judge.invalid)
		lesson_say("Judged before it is explained: this run cannot "
			   "show the claim (%s). %s",
			   ctx->judge.why,
			   judge_retry_helps(ctx)
				   ? "Running it again did not help within "
				     "the lesson's time; `--repeat R` asks "
				     "for more runs from the start."
				   : "Running it again would not help while "
				     "something else keeps the cores busy; "
				     "the explanation below says what the "
				     "numbers can still show.");
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
			 enum task_type w, int lo, int hi,
			 enum worker_cost what)
{
	const struct case_summary *a = lesson_case(s, model, w, lo);
	const struct case_summary *b = lesson_case(s, model, w, hi);
	if (!a || !b || hi == lo)
		return NAN;
	if (what == COST_PSS_KIB)
		return (b->pss_kib - a->pss_kib) / (hi - lo);
	if (what == COST_USS_KIB)
		return (b->uss_kib - a->uss_kib) / (hi - lo);
	return (b->setup_s - a->setup_s) / (hi - lo) * 1e6;
}

double lesson_record_median(const struct sweep *s, const char *model,
			    enum task_type w, int workers,
			    enum record_figure what)
{
	double v[256];
	size_t n = 0;
	for (size_t i = 0; i < s->n_records && n < 256; i++) {
		const struct run_record *r = &s->records[i];
		if (s->groups[r->group].workload != w ||
		    strcmp(r->model->name, model) != 0 || r->workers != workers)
			continue;
		if (what == RECORD_HANDOVERS)
			v[n++] = (double)r->m.stats.handovers;
		else if (what == RECORD_LOCK_WAIT_S)
			v[n++] = r->wait_s;
		else if (what == RECORD_FIRST_WALL_S && r->rep == 0)
			v[n++] = r->m.wall_s;
	}
	return stats_spread(v, n).median;
}

double lesson_figure(const struct sweep *s, const char *model, enum task_type w,
		     int workers, const char *name)
{
	double v[256];
	size_t n = 0;
	for (size_t i = 0; i < s->n_records && n < 256; i++) {
		const struct run_record *r = &s->records[i];
		double x = run_stats_get(&r->m.stats, name, NAN);
		if (s->groups[r->group].workload == w &&
		    strcmp(r->model->name, model) == 0 &&
		    r->workers == workers && !isnan(x))
			v[n++] = x;
	}
	return n ? stats_spread(v, n).median : NAN;
}

/* The lesson whose values lesson_measured keeps (lesson_keep_values). */
static struct lesson_ctx *kit_values;

void lesson_keep_values(struct lesson_ctx *ctx)
{
	kit_values = ctx;
}

/* Adds one value to the attached lesson's list (dropped when out of
 * memory: lesson.json is a record, the terminal has the line). */
static void kit_keep_value(const char *name, double value, const char *unit)
{
	struct lesson_ctx *ctx = kit_values;
	if (!ctx)
		return;
	if (ctx->n_values == ctx->cap_values) {
		size_t cap = ctx->cap_values ? 2 * ctx->cap_values : 32;
		struct lesson_value *grown =
			realloc(ctx->values, cap * sizeof(*grown));
		if (!grown)
			return;
		ctx->values = grown;
		ctx->cap_values = cap;
	}
	struct lesson_value *v = &ctx->values[ctx->n_values++];
	snprintf(v->name, sizeof(v->name), "%s", name);
	snprintf(v->unit, sizeof(v->unit), "%s", unit);
	v->value = value;
}

double lesson_measured(const char *name, double value, const char *unit)
{
	kit_keep_value(name, value, unit);
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
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	if (c->n_models == 0) {
		printf("  none of this lesson's models is in this build\n");
		return 1;
	}
	struct sweep s;
	int rc = ctx->lesson && ctx->lesson->judge
			 ? lesson_sweep_judged(ctx, c, part, &s,
					       ctx->lesson->judge)
			 : lesson_sweep(ctx, c, part, &s);
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
