// SPDX-License-Identifier: MIT
/*
 * convoy.c - lesson 6's last part: the GIL's convoy effect, measured.
 *
 * A thread that only fetches needs the lock twice a fetch: to start (it
 * runs Python) and again when the answer arrives (to read it). Among
 * threads that compute, each time it waits up to a switch interval for a
 * holder to be asked to drop the lock, so a fetch of a few milliseconds
 * takes several intervals longer: the I/O-bound thread is slowed by the
 * CPU-bound ones. The same batch runs three times: the fetches alone
 * under the gil, the fetches beside computing threads under the gil, and
 * beside the same threads without a lock (the threads model). Each run's
 * tasks are kept in convoy.csv in the lesson's result set.
 */
#include "harness/lessons/convoy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness/lessons/kit.h"
#include "harness/base/file_replace.h"
#include "harness/run/measure.h"
#include "harness/base/stats.h"
#include "harness/run/verify.h"

#define CONVOY_FETCHES 10
#define CONVOY_DELAY_MS 2

/* One of the three runs. */
struct convoy_run {
	const char *name;  /* "alone", "gil", "threads" */
	const char *model; /* the model it runs */
	size_t computes;   /* compute tasks first, then the fetches */
	struct batch *b;   /* its tasks and results, owned */
	double fetch_ms;   /* median fetch latency */
	bool ok;	   /* ran and matched the reference */
};

/* computes tasks of `work` units, then CONVOY_FETCHES fetches. */
static struct batch *convoy_batch(const char *url, size_t computes, long work)
{
	struct batch *b = batch_new(computes + CONVOY_FETCHES);
	char u[512];
	snprintf(u, sizeof(u), "%s/delay/%d?bytes=64", url, CONVOY_DELAY_MS);
	for (size_t i = 0; b && i < b->n; i++) {
		struct task *t = &b->tasks[i];
		t->seed = i;
		t->type = i < computes ? TASK_COMPUTE : TASK_FETCH;
		t->work = i < computes ? (uint32_t)work : 0;
		if (t->type == TASK_FETCH && batch_set_url(b, i, u) != 0) {
			batch_free(b);
			return NULL;
		}
	}
	return b;
}

/* Runs r once, checks it against the sequential reference, and takes the
 * median latency of its fetches. */
static void convoy_measure(const struct run_plan *c, struct convoy_run *r,
			   int workers)
{
	struct run_opts o = plan_run_opts(c, workers);
	struct measurement me;
	struct batch *ref = verify_reference_batch(r->b, c->timeout_ms);
	struct run_opts seq = plan_run_opts(c, 1);
	struct external_opts x = plan_external_opts(c);
	r->ok = ref &&
		measure_run(model_find("sequential"), ref, &seq, &x, &me) ==
			0 &&
		measure_run(model_find(r->model), r->b, &o, &x, &me) == 0 &&
		me.model_rc == 0;
	double lat[CONVOY_FETCHES];
	size_t n = 0;
	if (r->ok) {
		struct verify_report rep;
		verify_results(ref, r->b, &rep);
		r->ok = verify_ok(&rep);
	}
	for (size_t i = r->computes; r->ok && i < r->b->n; i++)
		lat[n++] =
			(r->b->results[i].end - r->b->results[i].start) * 1e3;
	r->fetch_ms = n ? stats_spread(lat, n).median : NAN;
	batch_free(ref);
}

/* convoy.csv: one line per task of each run. */
static void convoy_save(const struct lesson_ctx *ctx,
			const struct convoy_run *runs, size_t n)
{
	char path[4200];
	struct file_replace fr = {0};
	if (!ctx->first_set[0])
		return;
	snprintf(path, sizeof(path), "%s/convoy.csv", ctx->first_set);
	if (file_replace_open(&fr, path) != 0)
		return;
	fprintf(fr.f, "run,model,index,type,start_s,end_s,lock_wait_s,"
		      "worker\n");
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; runs[k].b && i < runs[k].b->n; i++) {
			const struct result *res = &runs[k].b->results[i];
			fprintf(fr.f, "%s,%s,%zu,%s,%.6f,%.6f,%.6f,%d\n",
				runs[k].name, runs[k].model, i,
				task_type_name(runs[k].b->tasks[i].type),
				res->start, res->end, res->wait, res->worker);
		}
	if (file_replace_commit(&fr) == 0)
		printf("  saved: %s\n", path);
}

static void convoy_explain(const struct convoy_run *r, double interval_ms,
			   size_t computes)
{
	double alone =
		lesson_measured("convoy_fetch_alone", r[0].fetch_ms, "ms");
	double gil = lesson_measured("convoy_fetch_gil", r[1].fetch_ms, "ms");
	double thr =
		lesson_measured("convoy_fetch_threads", r[2].fetch_ms, "ms");
	double extra = gil - alone;
	if (extra > 2.5 * interval_ms)
		lesson_say("A fetch of %d ms took %.1f ms alone and %.1f ms "
			   "beside %zu computing threads under the lock: %.1f "
			   "ms more, more than the two switch intervals of "
			   "%.0f ms the lock alone explains (one to start, "
			   "one when the answer arrives). On this busy "
			   "machine the fetching thread also waited for a "
			   "core; without a lock the same fetch took %.1f ms. "
			   "Either way the I/O-bound thread pays for the "
			   "CPU-bound ones: the convoy.",
			   CONVOY_DELAY_MS, alone, gil, computes, extra,
			   interval_ms, thr);
	else if (extra > interval_ms / 2)
		lesson_say("A fetch of %d ms took %.1f ms alone and %.1f ms "
			   "beside %zu computing threads under the lock: "
			   "%.1f ms more, about %.1f switch intervals of "
			   "%.0f ms. The fetching thread waits for the lock "
			   "when it starts and again when its answer arrives, "
			   "each time behind a thread that computes: the "
			   "convoy. Without a lock the same fetch took %.1f "
			   "ms. An I/O-bound thread in CPython pays for the "
			   "CPU-bound ones.",
			   CONVOY_DELAY_MS, alone, gil, computes, extra,
			   extra / interval_ms, interval_ms, thr);
	else
		lesson_say("A fetch of %d ms took %.1f ms alone and %.1f ms "
			   "beside %zu computing threads under the lock: no "
			   "convoy shows in this run, against what the lock "
			   "should cost (up to two intervals of %.0f ms). "
			   "Did the computing threads finish before the "
			   "fetches began? Look at convoy.csv.",
			   CONVOY_DELAY_MS, alone, gil, computes, interval_ms);
}

void lesson_gil_convoy(struct lesson_ctx *ctx, const char *server_url)
{
	const struct run_plan *c = &ctx->plan;
	size_t computes = ctx->cores > 1 ? (size_t)ctx->cores : 2;
	/* Long enough, serialised by the lock, to outlast the fetches. */
	long work = ctx->quick ? 60 : 120;
	struct convoy_run runs[3] = {
		{.name = "alone", .model = "gil", .computes = 0},
		{.name = "gil", .model = "gil", .computes = computes},
		{.name = "threads", .model = "threads", .computes = computes},
	};
	lesson_heading("The convoy: a fetching thread among computing ones");
	bool ok = server_url && server_url[0];
	for (size_t k = 0; ok && k < 3; k++) {
		runs[k].b = convoy_batch(server_url, runs[k].computes, work);
		if (runs[k].b)
			convoy_measure(c, &runs[k], (int)runs[k].computes + 1);
		ok = runs[k].b && runs[k].ok;
	}
	if (ok) {
		convoy_save(ctx, runs, 3);
		convoy_explain(runs, c->switch_interval_ms, computes);
	} else {
		lesson_say("The convoy runs could not run here (or their "
			   "results differed from the reference), so this "
			   "part is left out.");
	}
	for (size_t k = 0; k < 3; k++)
		batch_free(runs[k].b);
}
