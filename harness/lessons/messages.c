// SPDX-License-Identifier: MIT
/*
 * messages.c - part 1 of "Beyond one machine": the cost of one message,
 * measured in blocks so that the run can judge itself (the blocks'
 * spread, the cores free) and the text can say only what the figures
 * show (verdict.h): shared memory is called faster than a pipe only when
 * its blocks are, beyond the noise.
 */
#include "harness/lessons/messages.h"

#include <math.h>
#include <stdio.h>

#include "harness/lessons/handoff_cost.h"
#include "harness/external/mpi.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/verdict.h"
#include "harness/base/stats.h"

/* Blocks of round trips between two threads and through a pipe. */
#define MESSAGES_BLOCKS 7

struct messages_local {
	double thread_us[MESSAGES_BLOCKS]; /* one way, each block's mean */
	double pipe_us[MESSAGES_BLOCKS];
};

static int messages_local_measure(bool quick, struct messages_local *m)
{
	for (int i = 0; i < MESSAGES_BLOCKS; i++) {
		struct handoff_cost h;
		if (handoff_cost_measure(quick ? 300 : 3000, &h) != 0)
			return -1;
		m->thread_us[i] = h.thread_us;
		m->pipe_us[i] = h.pipe_us;
	}
	return 0;
}

/* The run shows the predicted latency when its blocks agree and the
 * cores both ends need were free; expected: its typical trip. */
static void messages_judge(struct lesson_ctx *ctx, const double *blocks,
			   size_t n, double typical, const char *what)
{
	struct spread sp = stats_spread(blocks, n);
	if (n > 1 && sp.max / sp.min > JUDGE_SPREAD_MAX)
		judge_fail(
			ctx, true,
			"the blocks of %s ranged from %.2f to %.2f us, %.0f%% "
			"apart",
			what, sp.min, sp.max, (sp.max / sp.min - 1) * 100);
	if (n > 1 && sp.max / sp.min - 1 > ctx->judge.spread)
		ctx->judge.spread = sp.max / sp.min - 1;
	judge_probe(ctx, ctx->cores < 2 ? 1 : 2);
	judge_expect(ctx, typical,
		     "the median of the %s: what a message costs while both "
		     "ends hold a core",
		     what);
	ctx->attempts = 1;
	if (ctx->judge.invalid)
		lesson_say("Judged: this run cannot show the claim (%s). Your "
			   "prediction is compared with what this machine "
			   "should give: %.2f us, %s.",
			   ctx->judge.why, typical, ctx->judge.expected_how);
}

static void messages_say_local(const struct messages_local *m, double *t,
			       double *p)
{
	*t = lesson_measured("thread_handoff_us",
			     stats_spread(m->thread_us, MESSAGES_BLOCKS).median,
			     "us");
	*p = lesson_measured("pipe_us",
			     stats_spread(m->pipe_us, MESSAGES_BLOCKS).median,
			     "us");
	lesson_measured("pipe_to_thread", *p / *t, "x");
	lesson_say("Handing a baton between two threads (a mutex and a "
		   "condition variable, as a pool hands over work) took %.2f "
		   "us one way; 8 bytes through a pipe to another process "
		   "and back, %.2f us one way (medians of %d blocks). Both "
		   "wake a sleeping thread: the kernel's scheduler is most of "
		   "the price.",
		   *t, *p, MESSAGES_BLOCKS);
}

/* Shared memory against the pipe: said only as the blocks show it. */
static void messages_shm_verdict(const struct messages_local *m,
				 const struct mpi_latency *shm)
{
	struct verdict v = verdict_compare(m->pipe_us, MESSAGES_BLOCKS,
					   shm->blocks_us, shm->n_blocks);
	char why[256];
	verdict_why_not(&v, "us", why, sizeof(why));
	if (v.kind == VERDICT_B_FASTER)
		lesson_say("MPI's shared memory beat the pipe, every block of "
			   "it: the receiving rank polls the buffer instead "
			   "of sleeping in the kernel until woken.");
	else if (v.kind == VERDICT_B_SLOWER)
		lesson_say("Here MPI's shared memory was slower than the "
			   "pipe. Its ranks poll, and concur sets "
			   "mpi_yield_when_idle so that a waiting rank yields "
			   "its core: when other programs want the cores, "
			   "each message waits for the scheduler.");
	else
		lesson_say("Not shown this time: MPI's shared memory was no "
			   "faster than the pipe (%s). Its ranks poll the "
			   "buffer, which is fast only while both hold a "
			   "core; with mpi_yield_when_idle a waiting rank "
			   "yields it, and on a busy machine the message "
			   "waits for the scheduler like a pipe's.",
			   why);
}

static void messages_say_mpi(struct lesson_ctx *ctx,
			     const struct messages_local *m,
			     const struct mpi_latency *shm,
			     const struct mpi_latency *tcp)
{
	double s = lesson_measured("mpi_shm_us", shm->mean_us, "us");
	lesson_measured("mpi_shm_median_us", shm->median_us, "us");
	double t = lesson_measured("mpi_tcp_us", tcp->mean_us, "us");
	lesson_measured("mpi_tcp_median_us", tcp->median_us, "us");
	lesson_measured("tcp_to_shm", t / s, "x");
	lesson_say("Between two MPI ranks (1,000 round trips to warm up, "
		   "10,000 timed in 10 blocks, latency = time / 2n as "
		   "osu_latency does): %.2f us through shared memory, %.2f us "
		   "through TCP on this same machine, %.1f times as much; "
		   "the median single trips, %.2f and %.2f us (a few trips "
		   "that wait for the scheduler weigh on the mean, not on the "
		   "median). Across a real "
		   "network add the wire: tens of microseconds on Ethernet, "
		   "1-2 us on InfiniBand. On %d cores, concur sets "
		   "mpi_yield_when_idle so a waiting rank gives its core "
		   "back, or the spinning ranks would steal the CPU the "
		   "working ones need.",
		   s, t, t / s, shm->median_us, tcp->median_us, ctx->cores);
	messages_shm_verdict(m, shm);
}

int messages_part(struct lesson_ctx *ctx, bool mpi)
{
	lesson_heading("Part 1: what one message costs (8 bytes, one way)");
	struct messages_local m;
	double t, p;
	if (messages_local_measure(ctx->quick, &m) != 0)
		return -1;
	messages_say_local(&m, &t, &p);
	char why[512] = "";
	struct mpi_latency shm, tcp;
	if (mpi &&
	    (mpi_latency_measure("self,vader", &shm, why, sizeof(why)) != 0 ||
	     mpi_latency_measure("self,tcp", &tcp, why, sizeof(why)) != 0))
		mpi = false;
	if (!mpi) {
		if (!why[0])
			mpi_available(why, sizeof(why));
		lesson_say("Open MPI is not usable here (%s), so MPI's own "
			   "figures are skipped. On Debian they come to about "
			   "0.3-1 us over shared memory and 15-20 us over TCP "
			   "loopback on a machine of this kind.",
			   why);
		messages_judge(ctx, m.pipe_us, MESSAGES_BLOCKS, p,
			       "trips through a pipe");
		ctx->actual = p;
		return 0;
	}
	messages_say_mpi(ctx, &m, &shm, &tcp);
	messages_judge(ctx, tcp.blocks_us, tcp.n_blocks, tcp.median_us,
		       "trips over TCP");
	ctx->actual = tcp.mean_us;
	return 0;
}
