// SPDX-License-Identifier: MIT
/*
 * beyond.c - the lesson "Beyond one machine": messages instead of shared
 * memory. Four parts, each predicted by the student and measured here:
 *   1. what one message costs: a thread hand-off, a pipe between two
 *      processes, MPI over shared memory and over TCP (OSU-style;
 *      messages.c, which judges it: the prediction is about it);
 *   2. when messages pay: fetch, compute and mixed at the same C, the
 *      mpi task farm beside threads (and strong scaling: C = 1 -> cores);
 *   3. weak scaling: the batch grows with the ranks; Amdahl and Gustafson
 *      on the run's own numbers (scaling.c: a fit outside [0, 1] predicts
 *      nothing);
 *   4. dynamic vs static on skewed tasks: mpi against mpi-static, the
 *      winner named only when the runs show one (verdict.c).
 * --quick keeps it to seconds: no mixed workload, short fetches, one
 * launch of mpirun per run (about half a second each on 2 cores).
 * Without Open MPI, parts 2 and 3 run on the processes model (messages
 * aside, scaling is scaling) and part 4 is skipped, with the reason.
 */
#include "harness/lessons/beyond.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/external/external.h"
#include "harness/external/mpi.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/messages.h"
#include "harness/lessons/scaling.h"
#include "harness/lessons/verdict.h"
#include "harness/run/run.h"

/* Can the MPI models run here? */
static bool beyond_mpi(void)
{
	char why[512];
	const struct model *m = model_find("mpi");
	return m && external_available(m, NULL, why, sizeof(why));
}

/* The scaling parts' model and C. */
static const char *beyond_model(void)
{
	return beyond_mpi() ? "mpi" : "processes";
}

/* ---- Part 2: when messages pay (and strong scaling) ---- */

static void beyond_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	int workers[] = {1, ctx->cores, 0};
	lesson_set_workers(c, workers);
	c->tasks = ctx->quick ? 8 : 24;
	c->work = ctx->quick ? 30 : 100;
	c->delay_ms = ctx->quick ? 50 : 200;
	bool mpi = beyond_mpi();
	c->n_workloads = 0;
	if (mpi) {
		c->workloads[c->n_workloads++] = TASK_FETCH;
		if (!ctx->quick) /* mixed says little more, for 4 launches */
			c->workloads[c->n_workloads++] = TASK_MIXED;
	}
	c->workloads[c->n_workloads++] = TASK_COMPUTE;
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%s: how many microseconds does it take one way?",
		 mpi ? "an 8-byte message between two MPI ranks on this "
		       "machine, over TCP"
		     : "8 bytes through a pipe between two processes");
}

/* "fetch 0.47x by messages, 1.96x by threads; " for each workload run. */
static void beyond_pay_speedups(int cores, const struct sweep *s, char *buf,
				size_t len)
{
	static const char *const names[] = {"fetch", "compute", "mixed"};
	static const enum task_type types[] = {TASK_FETCH, TASK_COMPUTE,
					       TASK_MIXED};
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < 3; k++) {
		const struct case_summary *m =
			lesson_case(s, "mpi", types[k], cores);
		const struct case_summary *t =
			lesson_case(s, "threads", types[k], cores);
		if (!m || !t)
			continue;
		char name[64];
		snprintf(name, sizeof(name), "mpi_speedup_%s", names[k]);
		double sm = lesson_measured(name, m->speedup, "x");
		snprintf(name, sizeof(name), "threads_speedup_%s", names[k]);
		double st = lesson_measured(name, t->speedup, "x");
		int w = snprintf(buf + used, len - used,
				 "%s %.2fx by messages, %.2fx by threads; ",
				 names[k], sm, st);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
	if (used >= 2) /* the last "; " ends the sentence */
		memcpy(buf + used - 2, ". ", 2);
}

static void beyond_pay_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cores = ctx->cores;
	lesson_heading("What happened: the same work, by messages and by "
		       "shared memory");
	char speedups[512];
	beyond_pay_speedups(cores, s, speedups, sizeof(speedups));
	const struct case_summary *mc =
		lesson_case(s, "mpi", TASK_COMPUTE, cores);
	double setup =
		lesson_measured("mpi_setup_s", mc ? mc->setup_s : NAN, "s");
	const struct case_summary *mf =
		lesson_case(s, "mpi", TASK_FETCH, cores);
	const struct case_summary *tf =
		lesson_case(s, "threads", TASK_FETCH, cores);
	double mcpu = lesson_measured("mpi_fetch_cpu_s",
				      mf ? mf->user_s + mf->sys_s : NAN, "s");
	double tcpu = lesson_measured("threads_fetch_cpu_s",
				      tf ? tf->user_s + tf->sys_s : NAN, "s");
	double even = lesson_measured(
		"break_even_serial_s",
		cores > 1 ? setup * cores / (cores - 1) : NAN, "s");
	lesson_say("At C = %d, over the sequential run: %sLaunching the ranks "
		   "(mpirun, a process per rank, the connections between "
		   "them) cost %.2f s before the first task, counted in the "
		   "wall time. A message is microseconds; the launch is the "
		   "price that matters on one machine: at best the ranks "
		   "save (1 - 1/C) of the sequential time, so a batch must "
		   "take more than setup x C / (C - 1) = %.2f s on one "
		   "worker before messages pay at all. Across machines the "
		   "balance turns: threads cannot leave the box, ranks can.",
		   cores, speedups, setup, even);
	lesson_say("Waiting costs too: the fetches, which only wait, cost the "
		   "ranks %.2f s of CPU against %.2f s for the threads. Open "
		   "MPI's blocking calls wait by polling (mpi_yield_when_idle "
		   "only yields between polls); concur-mpi's ranks instead "
		   "test a nonblocking receive between sleeps that grow from "
		   "50 us to 5 ms (models/mpi/wait.c), and pay in latency what "
		   "they save in CPU. A thread waiting on a condition variable "
		   "sleeps in the kernel until it is woken, and pays neither.",
		   mcpu, tcpu);
}

static struct scaling_fit
beyond_strong(struct lesson_ctx *ctx, const struct sweep *s, const char *model)
{
	int c = ctx->cores;
	const struct case_summary *one = lesson_case(s, model, TASK_COMPUTE, 1);
	const struct case_summary *all = lesson_case(s, model, TASK_COMPUTE, c);
	struct scaling_point pt = {c, one ? one->wall.median : NAN,
				   all ? all->wall.median : NAN};
	struct scaling_fit f = scaling_fit_amdahl(&pt, 1);
	lesson_heading("Strong scaling: the same batch, more workers");
	double sp = lesson_measured("strong_speedup", pt.t1 / pt.t_p, "x");
	double after = lesson_measured(
		"strong_speedup_after_launch",
		one && all ? (one->wall.median - one->setup_s) /
				     (all->wall.median - all->setup_s)
			   : NAN,
		"x");
	lesson_measured("amdahl_serial_fraction", f.s, "");
	lesson_say("%s on %ld compute tasks went %.2f times as fast from C = "
		   "1 to C = %d (%.2f leaving the launch out). Amdahl: if a "
		   "fraction f of the run cannot be shared out, the speedup "
		   "at C is 1 / (f + (1 - f) / C); this run's f is %.3f.",
		   model, ctx->plan.tasks, sp, c, after, f.s);
	char why[512];
	scaling_failure_words(&f, why, sizeof(why));
	if (f.status != SCALING_OK) {
		lesson_say("%s Run the lesson without --quick for a longer "
			   "batch, on a quieter machine.",
			   why);
		return f;
	}
	double limit = lesson_measured("amdahl_limit", 1 / f.s, "x");
	lesson_say("So no number of %s could make this batch more than %.1f "
		   "times as fast. %s",
		   model[0] == 'm' ? "ranks" : "processes", limit,
		   after > sp ? "Leaving the launch out speeds it up: the "
				"launch is part of the serial part."
			      : "Leaving the launch out does not speed it "
				"up: the serial part is elsewhere (the last "
				"tasks, other programs on the cores).");
	return f;
}

static void beyond_compute_explain(struct lesson_ctx *ctx,
				   const struct sweep *s)
{
	if (beyond_mpi())
		beyond_pay_explain(ctx, s);
}

/* ---- Part 3: weak scaling ---- */

/* What weak scaling measured, against Gustafson on the same quantity. */
static void beyond_weak_say(struct lesson_ctx *ctx,
			    const struct case_summary *base,
			    const struct case_summary *one,
			    const struct case_summary *big, long tasks,
			    const struct scaling_fit *f)
{
	int c = ctx->cores;
	lesson_heading("Weak scaling: the batch grows with the workers");
	double e = lesson_measured("weak_efficiency",
				   base->wall.median / big->wall.median, "");
	double g = lesson_measured(
		"scaled_speedup",
		scaling_scaled_speedup(one->wall.median, big->wall.median),
		"x");
	double gp = scaling_gustafson(f, c);
	lesson_say("%ld tasks on 1 worker took %.2f s; %ld tasks on 1 took "
		   "%.2f s and on %d %.2f s: %d times the work in %.2f times "
		   "the base time (weak efficiency %.2f), and a scaled "
		   "speedup T1(%dN) / T%d(%dN) of %.2f. Weak scaling is why "
		   "clusters exist: not the same job faster, a bigger job in "
		   "the same time.",
		   ctx->plan.tasks, base->wall.median, tasks, one->wall.median,
		   c, big->wall.median, c, 1 / e, e, c, c, c, g);
	if (e > 1.05)
		lesson_say("A weak efficiency above 1 no program earns: the "
			   "one-worker run was slowed more than the %d-worker "
			   "one (another program on the cores, load average "
			   "%.1f). Read these figures as this busy machine's.",
			   c, judge_load());
	if (isnan(gp)) {
		lesson_say("Gustafson's law would predict that speedup as C - "
			   "f (C - 1), but this run's f is no fraction: no "
			   "prediction.");
		return;
	}
	gp = lesson_measured("gustafson_predicted", gp, "x");
	lesson_say("Gustafson: when the batch grows with C, the serial part "
		   "stays the same size and the scaled speedup is C - f (C - "
		   "1) = %.2f with this run's f, against %.2f measured.",
		   gp, g);
}

static int beyond_weak(struct lesson_ctx *ctx, const struct sweep *strong,
		       const char *model, const struct scaling_fit *f)
{
	int c = ctx->cores;
	struct run_plan w;
	lesson_plan_defaults(ctx, &w);
	const char *const names[] = {model, NULL};
	lesson_add_models(&w, names);
	/* C = 1 too: Gustafson predicts T1(CN) / T_C(CN). */
	int workers[] = {1, c, 0};
	lesson_set_workers(&w, workers);
	w.tasks = ctx->plan.tasks * c;
	w.work = ctx->plan.work;
	w.workloads[0] = TASK_COMPUTE;
	w.n_workloads = 1;
	w.no_baseline = true;
	struct sweep s;
	int rc = lesson_sweep(ctx, &w, "weak", &s);
	const struct case_summary *base =
		lesson_case(strong, model, TASK_COMPUTE, 1);
	const struct case_summary *one =
		lesson_case(&s, model, TASK_COMPUTE, 1);
	const struct case_summary *big =
		lesson_case(&s, model, TASK_COMPUTE, c);
	if (rc == 0 && base && one && big)
		beyond_weak_say(ctx, base, one, big, w.tasks, f);
	run_release(&s);
	return rc;
}

/* ---- Part 4: dynamic vs static on skewed work ---- */

/* Who won, only as far as the runs show it (verdict.h). */
static void beyond_skew_verdict(const struct lesson_ctx *ctx,
				const struct sweep *s, int c, double cpu)
{
	double farm[64], split[64];
	size_t nf = verdict_case_walls(s, "mpi", TASK_COMPUTE, c, farm, 64);
	size_t ns =
		verdict_case_walls(s, "mpi-static", TASK_COMPUTE, c, split, 64);
	struct verdict v = verdict_compare(farm, nf, split, ns);
	char why[256];
	verdict_why_not(&v, "s", why, sizeof(why));
	if (v.kind == VERDICT_B_SLOWER)
		lesson_say("The farm won, every run of it, as it should on "
			   "uneven work.");
	else if (v.kind == VERDICT_B_FASTER)
		lesson_say("Here the static split won. Its loss is a core "
			   "left idle while the heaviest block finishes; on a "
			   "machine this busy (load average %.1f on %d "
			   "cores) other programs take that core.",
			   judge_load(), ctx->cores);
	else
		lesson_say("Not shown this time: neither won (%s). On a quiet "
			   "machine (or `concur bench --cases skew`) the "
			   "static split loses; on a busy one (load average "
			   "%.1f on %d cores) other programs take the core it "
			   "leaves idle.",
			   why, judge_load(), ctx->cores);
	lesson_say("The farm used %.2f times the CPU of the static split. "
		   "Its manager rank is not one of the C workers: the farm "
		   "runs C + 1 ranks, and the manager only hands out indices "
		   "and collects results, sleeping while it waits (each "
		   "worker holds a task in reserve, so none waits for the "
		   "manager to wake). %s",
		   cpu,
		   cpu > 1.1 ? "Here it still cost CPU the working ranks could "
			       "have used: the messages, and the ranks' "
			       "wake-ups on a busy machine."
			     : "Here it cost little: the C workers had the "
			       "cores.");
}

static void beyond_skew_explain(struct lesson_ctx *ctx, const struct sweep *s,
				int c, long tasks)
{
	const struct case_summary *dyn = lesson_case(s, "mpi", TASK_COMPUTE, c);
	const struct case_summary *st =
		lesson_case(s, "mpi-static", TASK_COMPUTE, c);
	if (!dyn || !st)
		return;
	lesson_heading("Dynamic vs static on skewed tasks");
	double r = lesson_measured("static_over_dynamic",
				   st->wall.median / dyn->wall.median, "x");
	double xd = lesson_measured("dynamic_x_ideal", dyn->ratio_ideal, "x");
	double xs = lesson_measured("static_x_ideal", st->ratio_ideal, "x");
	double ra = lesson_measured("static_over_dynamic_after_launch",
				    (st->wall.median - st->setup_s) /
					    (dyn->wall.median - dyn->setup_s),
				    "x");
	double cpu = lesson_measured(
		"farm_cpu_over_static",
		(dyn->user_s + dyn->sys_s) / (st->user_s + st->sys_s), "x");
	lesson_say("%ld tasks whose costs follow a heavy tail (--skew: a few "
		   "tasks hold much of the work, the total is the same) on %d "
		   "ranks: the static split (equal blocks, scattered up "
		   "front) took %.2f times as long as the task farm (%.2f "
		   "leaving the launch out), %.2fx its ideal against %.2fx. "
		   "The ideal is max(total / C, the heaviest task): no split "
		   "beats the longest task. A block that drew the heavy tasks "
		   "keeps its rank busy while the others idle; the farm hands "
		   "work to whoever is free (the threads model's atomic "
		   "counter does the same in shared memory).",
		   tasks, c, r, ra, xs, xd);
	beyond_skew_verdict(ctx, s, c, cpu);
}

static int beyond_skew(struct lesson_ctx *ctx)
{
	int c = ctx->cores > 2 ? ctx->cores : 2;
	struct run_plan k;
	lesson_plan_defaults(ctx, &k);
	static const char *const names[] = {"mpi", "mpi-static", NULL};
	lesson_add_models(&k, names);
	int workers[] = {c, 0};
	lesson_set_workers(&k, workers);
	k.tasks = ctx->quick ? 16 : 48;
	k.work = ctx->quick ? 30 : 60;
	k.skew = true;
	k.workloads[0] = TASK_COMPUTE;
	k.n_workloads = 1;
	/* 4 runs a side at least: with 3 no test can call a winner. */
	k.repeat = k.repeat > 4 ? k.repeat : 4;
	k.no_baseline = true; /* the ideal needs none */
	struct sweep s;
	int rc = lesson_sweep(ctx, &k, "skew", &s);
	if (rc == 0)
		beyond_skew_explain(ctx, &s, c, k.tasks);
	run_release(&s);
	return rc;
}

/* ---- The lesson ---- */

static int beyond_run(struct lesson_ctx *ctx)
{
	bool mpi = beyond_mpi();
	if (messages_part(ctx, mpi) != 0)
		return 1;
	const char *model = beyond_model();
	struct run_plan *c = &ctx->plan;
	const char *const with_mpi[] = {"threads", "mpi", NULL};
	const char *const without[] = {"processes", NULL};
	lesson_add_models(c, mpi ? with_mpi : without);
	struct sweep s;
	int rc = lesson_sweep(ctx, c, "compute", &s);
	struct scaling_fit f = {.s = NAN, .status = SCALING_NO_POINTS};
	if (rc == 0) {
		beyond_compute_explain(ctx, &s);
		f = beyond_strong(ctx, &s, model);
		rc = beyond_weak(ctx, &s, model, &f);
	}
	run_release(&s);
	if (rc == 0 && mpi)
		rc = beyond_skew(ctx);
	else if (rc == 0)
		lesson_say("Part 4 (a task farm against a static split on "
			   "skewed tasks) needs the MPI models: skipped. To "
			   "run it: %s.",
			   MPI_INSTALL_HINT);
	return rc;
}

const struct lesson lesson_beyond = {
	.title = "Beyond one machine",
	.question = "messages instead of shared memory: what they cost, "
		    "when they pay",
	.unit = "us",
	.plan = beyond_plan,
	.run = beyond_run,
};
