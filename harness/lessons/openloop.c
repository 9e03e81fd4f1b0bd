// SPDX-License-Identifier: MIT
/*
 * openloop.c - lesson 16: closed loop, open loop, and the missing samples.
 *
 * Every other lesson is closed-loop: C workers each take the next task
 * when the last one ends, so a slow system is simply sent less work. Real
 * users arrive on their own schedule (--arrival open --rate R). Part 1
 * finds the knee of a pool of threads: C workers on fetches of d seconds
 * serve C / d tasks a second; offered less, a task's latency is its
 * fetch; offered more, the queue grows without end. The event loop and
 * the coroutines, offered the same rates with a larger C, stay flat:
 * load.png draws the three side by side. Part 2 stalls the
 * server for a second (/stall/MS) in the middle of a steady run, and
 * compares the latency measured from each task's start (naive: what the
 * workers saw) with the latency from its arrival (corrected: what a user
 * saw). The workers were stuck in the stall, so they did not start the
 * tasks that arrived meanwhile: those tasks' waiting is missing from the
 * naive figures (coordinated omission, Gil Tene's name for it).
 */
#include "harness/lessons/openloop.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/lessons/judge.h"
#include "harness/base/file_replace.h"
#include "harness/lessons/kit.h"
#include "harness/report/plot.h"
#include "harness/run/run.h"

/* The stall's part: C threads, fetches of delay ms, 100 tasks/s; the
 * server stalls STALL_MS a third of the way in. */
#define OPEN_RATE 100.0
#define OPEN_STALL_MS 1000
/* What the lesson expects of the stall (issue 30): the corrected p99
 * near the stall, the naive one near a fetch. */
#define OPEN_CORRECTED_MIN_S 0.5
#define OPEN_CORRECTED_MAX_S 1.2
#define OPEN_NAIVE_MAX_S 0.2

/* ---- the plan ---- */

/* Part 2's sizes: C workers on `delay` ms fetches serve C / delay tasks
 * a second, well above OPEN_RATE; and at most 1% of the tasks (the ones
 * in flight when the server stalls) see the stall from their start. */
static void open_loop_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->workloads[0] = TASK_FETCH;
	c->n_workloads = 1;
	c->no_baseline = true;
	c->repeat = 1;
	c->open_loop = true;
	c->rate = OPEN_RATE;
	c->arrival_dist = ARRIVAL_POISSON;
	c->delay_ms = ctx->quick ? 10 : 50;
	c->tasks = ctx->quick ? 300 : 1000; /* 3 s or 10 s of arrivals */
	c->stall_ms = OPEN_STALL_MS;
	c->stall_at_s = (double)c->tasks / OPEN_RATE / 3;
	static const int quick[] = {2, 0};
	static const int full[] = {8, 0};
	lesson_set_workers(c, ctx->quick ? quick : full);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%d threads fetch (%ld ms each) as %ld tasks arrive, %.0f a "
		 "second, for %.0f s; the server stalls for %ld ms at %.1f s. "
		 "What will the 99th percentile of latency be, counted from "
		 "when each task arrived (s)?",
		 c->workers[0], c->delay_ms, c->tasks, c->rate,
		 (double)c->tasks / c->rate, c->stall_ms, c->stall_at_s);
}

/* ---- part 1: the knee ---- */

/* The models of part 1, in load.csv's order: the pool, then the two
 * that wait on many transfers from one thread. */
#define OPEN_MODELS 3
static const char *const open_models[OPEN_MODELS] = {"threads", "eventloop",
						     "coroutines"};
/* The loops' C is ten times the pool's: for a loop C only caps the
 * transfers in flight (a socket and a few hundred bytes each, not a
 * thread), so it is set well above what the rates need (1.5 C / d
 * tasks/s times d = 1.5 C in flight) and the loop meets no cap of its
 * own in this part. */
#define OPEN_LOOP_C_FACTOR 10

/* One model's latency at one offered rate. */
struct open_tails {
	bool ok;		       /* the model's run has a result */
	struct latency_tail naive;     /* from each task's start, s */
	struct latency_tail corrected; /* from its arrival, s */
};

/* One offered rate of part 1 and what each model made of it. */
struct open_point {
	double rate;   /* offered, tasks/s */
	double served; /* the pool's: finished over its busy time */
	struct open_tails m[OPEN_MODELS];
};

/* One sweep at p->rate tasks/s of the models names[] (NULL-ended, each
 * in open_models) with C workers: fills their p->m[] and, for threads,
 * p->served. Returns the sweep's status (1 when a model has no case). */
static int open_loop_rate(struct lesson_ctx *ctx, const char *const *names,
			  int workers, const char *part, struct open_point *p)
{
	struct run_plan c = ctx->plan;
	int list[] = {workers, 0};
	lesson_set_workers(&c, list);
	c.delay_ms = 100;
	c.rate = p->rate;
	/* 2 s of arrivals (1 s quick): past the knee the queue grows for
	 * as long as they last. */
	c.tasks = (long)(p->rate * (ctx->quick ? 1 : 2));
	c.stall_ms = 0;
	c.n_models = 0;
	lesson_add_models(&c, names);
	struct sweep s;
	int rc = lesson_sweep(ctx, &c, part, &s);
	for (int k = 0; rc == 0 && names[k]; k++) {
		const struct case_summary *cs =
			lesson_case(&s, names[k], TASK_FETCH, workers);
		int i = 0;
		while (i < OPEN_MODELS && strcmp(open_models[i], names[k]) != 0)
			i++;
		if (!cs || i == OPEN_MODELS) {
			rc = 1;
			break;
		}
		p->m[i] = (struct open_tails){true, cs->naive, cs->corrected};
		/* The pool's finished tasks over the time it served them:
		 * the wall time less the last task's own fetch. */
		if (i == 0)
			p->served = (double)(c.tasks - cs->errors) /
				    (cs->wall.median - c.delay_ms / 1e3);
	}
	run_release(&s);
	return rc;
}

/* load.csv in the lesson's first result set, and plots/load.gp's picture
 * of it: latency against offered load, one line per model, the knee at
 * the pool's capacity. Rows grouped by model (the plot draws each group
 * as a line); `model` last, so readers of the older columns still work;
 * `served` is the pool's, empty for the loops. */
static void open_loop_picture(struct lesson_ctx *ctx, double capacity,
			      const struct open_point *p, int n)
{
	char path[4200];
	struct file_replace fr = {0};
	snprintf(path, sizeof(path), "%s/load.csv", ctx->first_set);
	if (file_replace_open(&fr, path) != 0)
		return;
	fprintf(fr.f, "rate,capacity,served,naive_p50_ms,naive_p99_ms,"
		      "corrected_p50_ms,corrected_p99_ms,model\n");
	for (int m = 0; m < OPEN_MODELS; m++)
		for (int i = 0; i < n; i++) {
			const struct open_tails *t = &p[i].m[m];
			if (!t->ok)
				continue;
			fprintf(fr.f, "%.6g,%.6g,", p[i].rate, capacity);
			if (m == 0)
				fprintf(fr.f, "%.6g", p[i].served);
			fprintf(fr.f, ",%.6g,%.6g,%.6g,%.6g,%s\n",
				t->naive.p50 * 1e3, t->naive.p99 * 1e3,
				t->corrected.p50 * 1e3, t->corrected.p99 * 1e3,
				open_models[m]);
		}
	if (file_replace_commit(&fr) == 0 &&
	    plot_one_script(ctx->first_set, "load") == 0)
		printf("  latency against offered load: %s/load.png\n",
		       ctx->first_set);
}

/* The loops' corrected p99 at each rate, printed for the test to check. */
static void open_loop_loops_measured(const struct open_point *p, int n)
{
	static const char *const rates[] = {"under", "near", "over"};
	for (int m = 1; m < OPEN_MODELS; m++)
		for (int i = 0; i < n; i++) {
			char key[64];
			snprintf(key, sizeof(key), "p99_%s_%s", rates[i],
				 open_models[m]);
			lesson_measured(key, p[i].m[m].corrected.p99 * 1e3,
					"ms");
		}
}

/* What the loops did at the rates the pool could not keep up with. */
static void open_loop_loops_say(const struct open_point *p, int loop_c)
{
	lesson_say("The event loop and the coroutines were offered the same "
		   "rates with C = %d: for them C caps only the transfers in "
		   "flight, a socket each, not a thread each, so it can be "
		   "ten times the pool's. At one and a half times the pool's "
		   "capacity their 99th percentile was %.0f ms (event loop) "
		   "and %.0f ms (coroutines): a fetch and little wait. Their "
		   "knee is at %d / 0.1 s = %d tasks a second, far to the "
		   "right of these rates, so their lines in load.png stay "
		   "flat where the pool's climbs.",
		   loop_c, p[2].m[1].corrected.p99 * 1e3,
		   p[2].m[2].corrected.p99 * 1e3, loop_c, loop_c * 10);
}

static int open_loop_knee(struct lesson_ctx *ctx)
{
	int workers = ctx->quick ? 10 : 100;
	int loop_c = workers * OPEN_LOOP_C_FACTOR;
	double capacity = workers / 0.1;
	struct open_point p[] = {{.rate = capacity / 2},
				 {.rate = capacity * 0.9},
				 {.rate = capacity * 1.5}};
	static const char *const parts[] = {"under", "near", "over"};
	static const char *const loop_parts[] = {"loops-under", "loops-near",
						 "loops-over"};
	static const char *const pool[] = {"threads", NULL};
	static const char *const loops[] = {"eventloop", "coroutines", NULL};
	lesson_heading("Part 1: the knee");
	lesson_say("%d threads on 100 ms fetches: each thread finishes 10 "
		   "tasks a second, so the pool serves at most %.0f. It is "
		   "offered half that, then 90%%, then one and a half times "
		   "it; then the event loop and the coroutines (C = %d) are "
		   "offered the same.",
		   workers, capacity, loop_c);
	for (int i = 0; i < 3; i++)
		if (open_loop_rate(ctx, pool, workers, parts[i], &p[i]) != 0)
			return 1;
	for (int i = 0; i < 3; i++)
		if (open_loop_rate(ctx, loops, loop_c, loop_parts[i], &p[i]) !=
		    0)
			return 1;
	open_loop_picture(ctx, capacity, p, 3);
	lesson_measured("capacity", capacity, "tasks/s");
	double under = lesson_measured("served_under", p[0].served, "tasks/s");
	double knee = lesson_measured("served_over", p[2].served, "tasks/s");
	double p_under = lesson_measured("p99_under",
					 p[0].m[0].corrected.p99 * 1e3, "ms");
	double p_near = lesson_measured("p99_near",
					p[1].m[0].corrected.p99 * 1e3, "ms");
	double p_over = lesson_measured("p99_over",
					p[2].m[0].corrected.p99 * 1e3, "ms");
	open_loop_loops_measured(p, 3);
	lesson_say("Offered %.0f a second, the pool served %.0f and the 99th "
		   "percentile of latency, from arrival, was %.0f ms: a "
		   "fetch and little wait. At 90%% of its capacity it was "
		   "%.0f ms: random arrivals bunch up, and near the knee a "
		   "bunch takes long to drain. Offered %.0f, it served %.0f "
		   "(%.0f%% of the %.0f it can), and the same percentile "
		   "was %.0f ms: past the knee every task that arrives "
		   "joins a queue that only grows, so the latency grows with "
		   "the length of the run, not with the work.",
		   p[0].rate, under, p_under, p_near, p[2].rate, knee,
		   knee / capacity * 100, capacity, p_over);
	open_loop_loops_say(p, loop_c);
	return 0;
}

/* ---- part 2: the stall ---- */

/* The targets, on this run: a corrected p99 near the stall, a naive one
 * near a fetch. When not met, the machine (its load) hid the claim. */
static void open_loop_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *cs =
		lesson_case(s, "threads", TASK_FETCH, ctx->plan.workers[0]);
	if (!cs) {
		judge_fail(ctx, false, "the stall's run has no result");
		return;
	}
	/* The tasks arriving in the stall's first moments wait for all of
	 * it: the 1% slowest are among them. */
	judge_expect(ctx, OPEN_STALL_MS / 1e3 + ctx->plan.delay_ms / 1e3,
		     "a stall of %d ms, then a fetch of %ld ms", OPEN_STALL_MS,
		     ctx->plan.delay_ms);
	if (!(cs->naive.p99 < OPEN_NAIVE_MAX_S))
		judge_fail(ctx, true,
			   "the naive p99 was %.0f ms, not under %.0f ms: "
			   "more tasks than the workers were slowed",
			   cs->naive.p99 * 1e3, OPEN_NAIVE_MAX_S * 1e3);
	if (!(cs->corrected.p99 >= OPEN_CORRECTED_MIN_S &&
	      cs->corrected.p99 <= OPEN_CORRECTED_MAX_S))
		judge_fail(ctx, true,
			   "the corrected p99 was %.3f s, outside %.1f-%.1f s",
			   cs->corrected.p99, OPEN_CORRECTED_MIN_S,
			   OPEN_CORRECTED_MAX_S);
}

static void open_loop_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct run_plan *c = &ctx->plan;
	const struct case_summary *cs =
		lesson_case(s, "threads", TASK_FETCH, c->workers[0]);
	if (!cs)
		return;
	lesson_heading("What happened");
	double naive = lesson_measured("naive_p99", cs->naive.p99, "s");
	ctx->actual = lesson_measured("corrected_p99", cs->corrected.p99, "s");
	double n50 = lesson_measured("naive_p50", cs->naive.p50, "s");
	double c50 = lesson_measured("corrected_p50", cs->corrected.p50, "s");
	double cmax = lesson_measured("corrected_max", cs->corrected.max, "s");
	lesson_say("Counted from when a worker started each task, the 99th "
		   "percentile was %.3f s and the median %.3f s: the stall "
		   "barely shows. Counted from when each task arrived, the "
		   "99th percentile was %.3f s (the worst %.3f s, the median "
		   "%.3f s).",
		   naive, n50, ctx->actual, cmax, c50);
	lesson_say("During the stall all %d workers sat in fetches the "
		   "server would not answer; only those %d tasks saw the "
		   "stall from their start. The ~%.0f tasks that arrived "
		   "meanwhile waited in the queue and started after it, so "
		   "each one's measured time from its start is a normal "
		   "fetch: the waiting is real, but a measurement that "
		   "starts the clock when the worker is free never sees it. "
		   "That is coordinated omission: the stalled system delays "
		   "exactly the requests that would have recorded the stall. "
		   "A closed-loop benchmark has it built in; wrk2 and "
		   "HdrHistogram correct for it by counting from the "
		   "intended start, as the corrected column does.",
		   c->workers[0], c->workers[0],
		   OPEN_RATE * OPEN_STALL_MS / 1e3);
}

static int open_loop_run(struct lesson_ctx *ctx)
{
	int rc = open_loop_knee(ctx);
	if (rc != 0)
		return rc;
	lesson_heading("Part 2: the server stalls");
	static const char *const models[] = {"threads", NULL};
	return lesson_run_plan(ctx, models, "stall", open_loop_explain);
}

const struct lesson lesson_open_loop = {
	.title = "Open loop",
	.question = "the server stalls for a second: who sees it?",
	.unit = "s",
	.plan = open_loop_plan,
	.run = open_loop_run,
	.judge = open_loop_judge,
};
