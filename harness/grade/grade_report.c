// SPDX-License-Identifier: MIT
/*
 * grade_report.c - the two halves of a grade that are not conformance: the
 * speed check (the model against the built-in threads model, on the same
 * batch, each run in a contained host and timed by the grader from
 * outside, start to the last process gone, so the ratio does not depend
 * on whose laptop ran it nor on what the model says of itself) and the
 * grade file, written with jansson.
 */
#include "harness/grade/grade_report.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/shared.h"
#include "harness/base/cli.h"
#include "harness/grade/grade_check.h"
#include "harness/grade/speed_tally.h"
#include "harness/base/file_replace.h"
#include "harness/base/stats.h"
#include "harness/run/workload.h"

/* The score of one speed ratio (threads' time / the model's): full at
 * 80% of threads' speed or better, half from 50%. */
static double grade_ratio_score(double ratio)
{
	if (isnan(ratio))
		return 0;
	return ratio >= 0.8 ? 1.0 : ratio >= 0.5 ? 0.5 : 0.0;
}

/* What the speed run measures: the pool exercise (and any model) on
 * fetch and compute against threads; the tally exercise on the shared
 * workload against the grader's own tallies (speed_tally.h). */
struct grade_speed_plan {
	enum task_type workloads[2];
	size_t n;
	const char *against; /* "threads", or the grader's tally */
};

static struct grade_speed_plan grade_plan(const struct grade *g)
{
	if (g->model->flags & MODEL_SHARED_ONLY)
		return (struct grade_speed_plan){
			{TASK_SHARED}, 1, "the grader's padded tally"};
	return (struct grade_speed_plan){
		{TASK_FETCH, TASK_COMPUTE}, 2, "threads"};
}

/* The batch: small, the same for both models (external models compute
 * the same units as C ones, so keep the compute light for them). The
 * shared workload has its own check, sized by calibration
 * (speed_tally.c). */
static struct batch *grade_speed_batch(const struct grade *g, enum task_type w)
{
	struct workload_spec spec = {
		.type = w,
		.tasks = g->quick ? 8 : 16,
		.delay_ms = 20,
		.bytes = 1024,
		.work = g->model->flags & MODEL_EXTERNAL ? 1 : 4,
		.base_url = g->base,
	};
	return workload_build(&spec);
}

static void grade_speed_name(const struct grade_speed_plan *plan,
			     enum task_type w, char *name, size_t len)
{
	snprintf(name, len, "speed: %s vs %s (C = 4)", task_type_name(w),
		 plan->against);
}

/* How many tasks ran at once, from the times the run reported: evidence
 * for a hint only (a time a model reports is its own claim). */
static double grade_at_once(const struct batch *b)
{
	double busy = 0, first = INFINITY, last = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		busy += r->end - r->start;
		first = fmin(first, r->start);
		last = fmax(last, r->end);
	}
	return last > first ? busy / (last - first) : 0;
}

/* One timed run of `model` on b: threads, the baseline, in the reference
 * host; the model graded in its own. */
static double grade_timed_run(struct grade *g, const char *model,
			      struct batch *b, char *why, size_t len)
{
	const struct grade_host *h =
		strcmp(model, g->model->name) ? &g->ref : &g->host;
	struct host_report rep;
	return grade_timed_run_on(g, h, model, SYNC_SHARDED_PADDED, 4, b, &rep,
				  why, len);
}

/* The runs of one workload, threads and the model in turns; the medians
 * into t and m. 0, or -1 with why. */
static int grade_speed_runs(struct grade *g, enum task_type w, double *t,
			    double *m, double *at_once, char *why, size_t len)
{
	size_t repeat = g->quick ? 1 : 3;
	double tt[3], mm[3];
	struct batch *b = grade_speed_batch(g, w);
	int rc = b ? 0 : -1;
	if (!b)
		snprintf(why, len, "out of memory");
	for (size_t k = 0; rc == 0 && k < repeat; k++) {
		tt[k] = grade_timed_run(g, "threads", b, why, len);
		mm[k] = isnan(tt[k]) ? NAN
				     : grade_timed_run(g, g->model->name, b,
						       why, len);
		if (isnan(mm[k]))
			rc = -1;
	}
	if (rc == 0) {
		*at_once = grade_at_once(b);
		*t = stats_spread(tt, repeat).median;
		*m = stats_spread(mm, repeat).median;
	}
	batch_free(b);
	return rc;
}

/* One workload's check: ratio and score, and a slow model's evidence. */
static void grade_speed_workload(struct grade *g,
				 const struct grade_speed_plan *plan,
				 enum task_type w)
{
	char name[96], out[512], why[512];
	double t, m, at_once;
	grade_speed_name(plan, w, name, sizeof(name));
	if (grade_speed_runs(g, w, &t, &m, &at_once, why, sizeof(why)) != 0) {
		grade_add(g, name, 0, 1, why);
		g->failed = true;
		g->hints |= hints_classify(why);
		return;
	}
	double ratio = t / m;
	snprintf(out, sizeof(out),
		 "speed ratio %.2f (threads %.4f s / %s %.4f s, timed by the "
		 "grader; 1.00 = as fast as threads; full score from 0.80); "
		 "tasks at once: %.1f",
		 ratio, t, g->model->name, m, at_once);
	grade_add(g, name, grade_ratio_score(ratio), 1, out);
	printf("  %s: %s\n", name, out);
	if (ratio >= 0.8)
		return;
	if (w == TASK_COMPUTE ? at_once < 0.6 * 4 : ratio < 0.5)
		g->hints |= HINT_FEW_AT_ONCE;
}

void grade_speed(struct grade *g)
{
	struct grade_speed_plan plan = grade_plan(g);
	for (size_t i = 0; i < plan.n; i++) {
		char name[96];
		grade_speed_name(&plan, plan.workloads[i], name, sizeof(name));
		if (g->failed || !model_find("threads")) {
			grade_add(g, name, 0, 1,
				  g->failed ? "not measured: pass the "
					      "conformance checks first"
					    : "not measured: no threads "
					      "model in this build");
			continue;
		}
		if (i == 0)
			printf("speed: %s against %s, C = 4, each run "
			       "contained\n",
			       g->model->name, plan.against);
		fflush(stdout);
		if (plan.workloads[i] == TASK_SHARED)
			speed_tally_check(g, name);
		else
			grade_speed_workload(g, &plan, plan.workloads[i]);
	}
}

/* The length of the valid UTF-8 sequence at s, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t grade_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n = c < 0x80		    ? 1
		   : c >= 0xc2 && c <= 0xdf ? 2
		   : c >= 0xe0 && c <= 0xef ? 3
		   : c >= 0xf0 && c <= 0xf4 ? 4
					    : 0;
	unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	for (size_t k = 1; k < n; k++)
		if (s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xbf))
			return 0;
	return n;
}

/* s as a JSON string whatever its bytes: jansson takes only valid UTF-8,
 * and a grade file must be written whatever name a student gave or a
 * model printed, so each byte that starts no valid sequence becomes
 * U+FFFD. NULL stays NULL. */
static json_t *grade_json_string(const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	char *clean = malloc(len * 3 + 1), *w = clean;
	if (!clean)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = grade_utf8_len(p);
		if (n == 0) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			p++;
			continue;
		}
		memcpy(w, p, n);
		w += n;
		p += n;
	}
	*w = '\0';
	json_t *j = json_string(clean);
	free(clean);
	return j;
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
	return json_pack("{s:o, s:s, s:o, s:I, s:o?, s:o?, s:s?}", "student",
			 grade_json_string(who && who[0] ? who : "unknown"),
			 "model", g->model->name, "machine",
			 grade_json_string(machine), "cores",
			 (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "sanitizer",
			 grade_json_string(g->sanitize), "source",
			 grade_json_string(source[0] ? source : NULL),
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
			tests,
			json_pack("{s:o, s:f, s:f, s:s, s:o}", "name",
				  grade_json_string(t->name), "score", t->score,
				  "max_score", t->max_score, "status",
				  t->score >= t->max_score ? "passed"
							   : "failed",
				  "output", grade_json_string(t->output)));
	}
	json_t *root =
		json_pack("{s:f, s:f, s:o, s:s, s:o, s:o}", "score", score,
			  "execution_time", elapsed_s, "output",
			  grade_json_string(g->hint_text[0] ? g->hint_text
							    : "every check "
							      "passed"),
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
