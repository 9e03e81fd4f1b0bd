// SPDX-License-Identifier: MIT
/*
 * beyond.c - the lesson "Beyond one machine": messages instead of shared
 * memory. Four parts, each predicted by the student and measured here:
 *   1. what one message costs: a thread hand-off, a pipe between two
 *      processes, MPI over shared memory and over TCP (OSU-style);
 *   2. when messages pay: fetch, compute and mixed at the same C, the
 *      mpi task farm beside threads (and strong scaling: C = 1 -> cores);
 *   3. weak scaling: the batch grows with the ranks; Amdahl and Gustafson
 *      on the run's own numbers;
 *   4. dynamic vs static on skewed tasks: mpi against mpi-static.
 * Without Open MPI, parts 2 and 3 run on the processes model (messages
 * aside, scaling is scaling) and part 4 is skipped, with the reason.
 */
#include "harness/lessons/beyond.h"

#include <math.h>
#include <stdio.h>

#include "common/handoff_cost.h"
#include "harness/external/external.h"
#include "harness/external/mpi.h"
#include "harness/lessons/kit.h"
#include "harness/run/run.h"

/* Can the MPI models run here? */
static bool beyond_mpi(void)
{
	char why[512];
	struct run_opts o = run_opts_default();
	const struct model *m = model_find("mpi");
	return m && external_available(m, &o, why, sizeof(why));
}

/* The scaling parts' model and C. */
static const char *beyond_model(void)
{
	return beyond_mpi() ? "mpi" : "processes";
}

/* ---- Part 1: the cost of a message ---- */

/* Prints the four latencies; returns the one the student predicted. */
static double beyond_messages(struct lesson_ctx *ctx, bool mpi)
{
	lesson_heading("Part 1: what one message costs (8 bytes, one way)");
	struct handoff_cost h;
	if (handoff_cost_measure(ctx->quick ? 2000 : 20000, &h) != 0)
		return NAN;
	double t = lesson_measured("thread_handoff_us", h.thread_us, "us");
	double p = lesson_measured("pipe_us", h.pipe_us, "us");
	lesson_measured("pipe_to_thread", p / t, "x");
	lesson_say("Handing a baton between two threads (a mutex and a "
		   "condition variable, as a pool hands over work) took %.2f "
		   "us one way; 8 bytes through a pipe to another process "
		   "and back, %.2f us one way. Both wake a sleeping thread: "
		   "the kernel's scheduler is most of the price.",
		   t, p);
	if (!mpi) {
		char why[512];
		mpi_available(why, sizeof(why));
		lesson_say("Open MPI is not usable here (%s), so MPI's own "
			   "figures are skipped. On Debian they come to about "
			   "0.3-1 us over shared memory and 15-20 us over TCP "
			   "loopback on a machine of this kind.",
			   why);
		return p;
	}
	char why[512];
	double shm = lesson_measured(
		"mpi_shm_us", mpi_latency_us("self,vader", why, sizeof(why)),
		"us");
	double tcp = lesson_measured(
		"mpi_tcp_us", mpi_latency_us("self,tcp", why, sizeof(why)),
		"us");
	lesson_measured("tcp_to_shm", tcp / shm, "x");
	lesson_say("Between two MPI ranks (1,000 round trips to warm up, "
		   "%s timed, latency = time / 2n as osu_latency does): "
		   "%.2f us through shared memory, %.2f us through TCP on "
		   "this same machine, %.1f times as much. Across a real "
		   "network add the wire: tens of microseconds on Ethernet, "
		   "1-2 us on InfiniBand. Ranks wait by polling: MPI's shared "
		   "memory is fast because the receiver spins on the buffer; "
		   "concur sets mpi_yield_when_idle so a waiting rank gives "
		   "its core back, or on %d cores the spinning ranks would "
		   "steal the CPU the working ones need (the CPU column of a "
		   "run shows it).",
		   "10,000", shm, tcp, tcp / shm, ctx->cores);
	return tcp;
}

/* ---- Part 2: when messages pay (and strong scaling) ---- */

static void beyond_plan(struct lesson_ctx *ctx)
{
	struct run_config *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	int workers[] = {1, ctx->cores, 0};
	lesson_set_workers(c, workers);
	c->tasks = ctx->quick ? 8 : 24;
	c->work = ctx->quick ? 40 : 100;
	c->delay_ms = ctx->quick ? 100 : 200;
	bool mpi = beyond_mpi();
	c->n_workloads = 0;
	if (mpi) {
		c->workloads[c->n_workloads++] = TASK_FETCH;
		c->workloads[c->n_workloads++] = TASK_MIXED;
	}
	c->workloads[c->n_workloads++] = TASK_COMPUTE;
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "%s: how many microseconds does it take one way?",
		 mpi ? "an 8-byte message between two MPI ranks on this "
		       "machine, over TCP"
		     : "8 bytes through a pipe between two processes");
}

static void beyond_pay_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	int cores = ctx->cores;
	static const char *const names[] = {"fetch", "compute", "mixed"};
	static const enum task_type types[] = {TASK_FETCH, TASK_COMPUTE,
					       TASK_MIXED};
	lesson_heading("What happened: the same work, by messages and by "
		       "shared memory");
	double sp[3] = {NAN, NAN, NAN}, tp[3] = {NAN, NAN, NAN};
	for (int k = 0; k < 3; k++) {
		const struct case_summary *m =
			lesson_case(s, "mpi", types[k], cores);
		const struct case_summary *t =
			lesson_case(s, "threads", types[k], cores);
		char name[64];
		snprintf(name, sizeof(name), "mpi_speedup_%s", names[k]);
		sp[k] = lesson_measured(name, m ? m->speedup : NAN, "x");
		snprintf(name, sizeof(name), "threads_speedup_%s", names[k]);
		tp[k] = lesson_measured(name, t ? t->speedup : NAN, "x");
	}
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
	lesson_say("At C = %d, over the sequential run: fetch %.2fx by "
		   "messages, %.2fx by threads; compute %.2fx and %.2fx; "
		   "mixed %.2fx and %.2fx. Launching the ranks (mpirun, a "
		   "process per rank, the connections between them) cost "
		   "%.2f s before the first task, counted in the wall time. "
		   "A message is microseconds; the launch is the price that "
		   "matters on one machine: at best the ranks save (1 - 1/C) "
		   "of the sequential time, so a batch must take more than "
		   "setup x C / (C - 1) = %.2f s on one worker before "
		   "messages pay at all. Across machines the balance turns: "
		   "threads cannot leave the box, ranks can.",
		   cores, sp[0], tp[0], sp[1], tp[1], sp[2], tp[2], setup,
		   even);
	lesson_say("Waiting is not free either: the fetches, which only wait, "
		   "cost the ranks %.2f s of CPU against %.2f s for the "
		   "threads. A rank waiting for a message polls for it "
		   "(mpi_yield_when_idle only makes it yield between polls); "
		   "a thread waiting on a condition variable sleeps in the "
		   "kernel.",
		   mcpu, tcpu);
}

/* Amdahl's serial fraction from a speedup S at C: S = 1 / (f + (1-f)/C). */
static double beyond_amdahl(double speedup, int c)
{
	return c > 1 ? (c / speedup - 1) / (c - 1) : NAN;
}

static double beyond_strong(struct lesson_ctx *ctx, const struct sweep *s,
			    const char *model)
{
	int c = ctx->cores;
	const struct case_summary *one = lesson_case(s, model, TASK_COMPUTE, 1);
	const struct case_summary *all = lesson_case(s, model, TASK_COMPUTE, c);
	lesson_heading("Strong scaling: the same batch, more workers");
	double sp = lesson_measured(
		"strong_speedup",
		one && all ? one->wall.median / all->wall.median : NAN, "x");
	double after = lesson_measured(
		"strong_speedup_after_launch",
		one && all ? (one->wall.median - one->setup_s) /
				     (all->wall.median - all->setup_s)
			   : NAN,
		"x");
	double f = lesson_measured("amdahl_serial_fraction",
				   beyond_amdahl(sp, c), "");
	lesson_measured("amdahl_limit", 1 / f, "x");
	lesson_say("%s on %ld compute tasks went %.2f times as fast from C = "
		   "1 to C = %d. Amdahl: if a fraction f of the run cannot be "
		   "shared out, the speedup at C is 1 / (f + (1 - f) / C); "
		   "this run's f is %.3f, so no number of %s could make this "
		   "batch more than %.1f times as fast. Leave the launch out "
		   "and the speedup is %.2f: the launch is most of the "
		   "serial part.",
		   model, ctx->plan.tasks, sp, c, f,
		   model[0] == 'm' ? "ranks" : "processes", 1 / f, after);
	if (!(f > 0 && f < 1))
		lesson_say("An f outside 0..1 means the run did not get "
			   "faster with more workers at all: the launch (or "
			   "another program on this machine) outweighed the "
			   "shared work. Run the lesson without --quick for "
			   "a longer batch.");
	return f;
}

static void beyond_compute_explain(struct lesson_ctx *ctx,
				   const struct sweep *s)
{
	if (beyond_mpi())
		beyond_pay_explain(ctx, s);
}

/* ---- Part 3: weak scaling ---- */

static int beyond_weak(struct lesson_ctx *ctx, const struct sweep *strong,
		       const char *model, double f)
{
	int c = ctx->cores;
	struct run_config w;
	lesson_plan_defaults(ctx, &w);
	const char *const names[] = {model, NULL};
	lesson_add_models(&w, names);
	int workers[] = {c, 0};
	lesson_set_workers(&w, workers);
	w.tasks = ctx->plan.tasks * c;
	w.work = ctx->plan.work;
	w.workloads[0] = TASK_COMPUTE;
	w.n_workloads = 1;
	/* The baseline is only there for the plots (speedup needs one). */
	struct sweep s;
	int rc = lesson_sweep(ctx, &w, "weak", &s);
	const struct case_summary *one =
		lesson_case(strong, model, TASK_COMPUTE, 1);
	const struct case_summary *big =
		lesson_case(&s, model, TASK_COMPUTE, c);
	if (rc == 0 && one && big) {
		lesson_heading(
			"Weak scaling: the batch grows with the workers");
		double e = lesson_measured("weak_efficiency",
					   one->wall.median / big->wall.median,
					   "");
		double g = lesson_measured("scaled_speedup", c * e, "x");
		double gp = lesson_measured("gustafson_predicted",
					    c - f * (c - 1), "x");
		lesson_say("%ld tasks on 1 worker took %.2f s; %ld tasks on "
			   "%d took %.2f s: %d times the work in %.2f times "
			   "the time, a scaled speedup of %.2f. "
			   "Gustafson: when the batch grows with C, the "
			   "serial part stays the same size and the speedup "
			   "is C - f (C - 1) = %.2f with this run's f. Weak "
			   "scaling is why clusters exist: not the same job "
			   "faster, a bigger job in the same time.",
			   ctx->plan.tasks, one->wall.median, w.tasks, c,
			   big->wall.median, c, 1 / e, g, gp);
	}
	run_release(&s);
	return rc;
}

/* ---- Part 4: dynamic vs static on skewed work ---- */

/* Who won, and the reason the numbers support. */
static void beyond_skew_verdict(const struct lesson_ctx *ctx, double r,
				double cpu)
{
	if (r > 1.05)
		lesson_say("The farm won, as it should on uneven work.");
	else
		lesson_say("Here the static split did not lose. Its loss is a "
			   "core left idle while the heaviest block finishes; "
			   "on a machine this busy (load average %.1f on %d "
			   "cores) other programs take that core, so the "
			   "imbalance costs this run little. On a quiet "
			   "machine (or `concur bench --cases skew`) the "
			   "static split loses.",
			   lesson_load(), ctx->cores);
	lesson_say("The farm used %.2f times the CPU of the static split. "
		   "Its manager rank waits for results by polling (yielding "
		   "the core, but still running); %s",
		   cpu,
		   cpu > 1.1 ? "on this machine it took CPU from the working "
			       "ranks. Where each rank has a core of its own "
			       "(a cluster) the manager costs a core, not "
			       "the workers' time."
			     : "here it cost little, because it yields and "
			       "the workers had the cores.");
}

static int beyond_skew(struct lesson_ctx *ctx)
{
	int c = ctx->cores > 2 ? ctx->cores : 2;
	struct run_config k;
	lesson_plan_defaults(ctx, &k);
	static const char *const names[] = {"threads", "mpi", "mpi-static",
					    NULL};
	lesson_add_models(&k, names);
	int workers[] = {c, 0};
	lesson_set_workers(&k, workers);
	k.tasks = ctx->quick ? 16 : 48;
	k.work = ctx->quick ? 30 : 60;
	k.skew = true;
	k.workloads[0] = TASK_COMPUTE;
	k.n_workloads = 1;
	struct sweep s;
	int rc = lesson_sweep(ctx, &k, "skew", &s);
	const struct case_summary *dyn =
		lesson_case(&s, "mpi", TASK_COMPUTE, c);
	const struct case_summary *st =
		lesson_case(&s, "mpi-static", TASK_COMPUTE, c);
	if (rc == 0 && dyn && st) {
		lesson_heading("Dynamic vs static on skewed tasks");
		double r = lesson_measured("static_over_dynamic",
					   st->wall.median / dyn->wall.median,
					   "x");
		double xd = lesson_measured("dynamic_x_ideal", dyn->ratio_ideal,
					    "x");
		double xs =
			lesson_measured("static_x_ideal", st->ratio_ideal, "x");
		double ra = lesson_measured(
			"static_over_dynamic_after_launch",
			(st->wall.median - st->setup_s) /
				(dyn->wall.median - dyn->setup_s),
			"x");
		double cpu = lesson_measured("farm_cpu_over_static",
					     (dyn->user_s + dyn->sys_s) /
						     (st->user_s + st->sys_s),
					     "x");
		lesson_say("%ld tasks whose costs follow a heavy tail (--skew: "
			   "a few tasks hold much of the work, the total is "
			   "the same) on %d ranks: the static split (equal "
			   "blocks, scattered up front) took %.2f times as "
			   "long as the task farm (%.2f leaving the launch "
			   "out), %.2fx its ideal against %.2fx. The ideal is "
			   "max(total / C, the heaviest task): no split beats "
			   "the longest task. A block that drew the heavy "
			   "tasks keeps its rank busy while the others idle; "
			   "the farm hands work to whoever is free (the "
			   "threads model's atomic counter does the same in "
			   "shared memory).",
			   k.tasks, c, r, ra, xs, xd);
		beyond_skew_verdict(ctx, r, cpu);
	}
	run_release(&s);
	return rc;
}

/* ---- The lesson ---- */

static int beyond_run(struct lesson_ctx *ctx)
{
	bool mpi = beyond_mpi();
	ctx->actual = beyond_messages(ctx, mpi);
	const char *model = beyond_model();
	struct run_config *c = &ctx->plan;
	const char *const with_mpi[] = {"threads", "mpi", NULL};
	const char *const without[] = {"processes", NULL};
	lesson_add_models(c, mpi ? with_mpi : without);
	struct sweep s;
	int rc = lesson_sweep(ctx, c, "compute", &s);
	double f = NAN;
	if (rc == 0) {
		beyond_compute_explain(ctx, &s);
		f = beyond_strong(ctx, &s, model);
		rc = beyond_weak(ctx, &s, model, f);
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
