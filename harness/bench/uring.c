// SPDX-License-Identifier: MIT
/*
 * uring.c - readiness against completion at the kernel's floor (case
 * c10k-uring): 10,000 fetches of /delay/1000 at C = 10,000 from the raw
 * epoll client (rawclient.h) and the raw io_uring client (uringclient.h),
 * alternated, same server, same run. Rows, each for model raw-epoll and
 * raw-io_uring (reference and ratio: against raw-epoll):
 *   c10k           wall time, s (median)
 *   c10k-cpu       CPU per transfer (user + sys of this process, io_uring's
 *                  kernel workers included, / transfers), ms (median)
 *   c10k-syscalls  system calls per transfer, counted once each by perf
 *                  or strace (syscalls.h), as bench/loop.c counts them
 * Where io_uring is refused (kernel, seccomp) the rows are skipped with
 * one line saying why. Lesson 4's section "select -> poll -> epoll ->
 * io_uring".
 *
 * Measured (2-core AMD EPYC VM, kernel 6.18, perf counting, two runs at
 * load averages 30 and 7): epoll 8.2 and 7.4 system calls per transfer,
 * io_uring 0.092 and 0.087 (1.007 with socket(2) forced:
 * CONCUR_URING_NO_SOCKET_OP=1); CPU per transfer 1.03 and 0.86 times
 * epoll's (the kernel's TCP work is the same either way); wall time 1.13
 * and 0.77 times: the load's noise, not a difference.
 */
#include "harness/bench/uring.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness/bench/kit.h"
#include "harness/bench/rawclient.h"
#include "harness/bench/syscalls.h"
#include "harness/bench/uringclient.h"

#define URING_MAX_REPEAT 64
#define URING_PATH "/delay/1000"

/* One client's run: which client, where, how many. */
struct uring_work {
	int uring; /* 0: the raw epoll client */
	char host[64];
	int port;
	long n;
};

/* This process's CPU seconds so far (all its threads). */
static double uring_cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Runs the client once: wall time, or -1 unless every transfer was ok. */
static double uring_run_client(const struct uring_work *w, double *cpu)
{
	struct rawclient_stats st;
	enum uring_support used;
	char why[200];
	double c0 = uring_cpu_now();
	double t = w->uring ? uringclient_run(w->host, w->port, URING_PATH,
					      w->n, (int)w->n, &st, &used, why,
					      sizeof(why))
			    : rawclient_run(w->host, w->port, URING_PATH, w->n,
					    (int)w->n, &st);
	*cpu = uring_cpu_now() - c0;
	if (t < 0 || st.ok != w->n) {
		fprintf(stderr, "bench: the raw %s client: %ld of %ld ok\n",
			w->uring ? "io_uring" : "epoll", st.ok, w->n);
		return -1;
	}
	return t;
}

static int uring_count_cb(void *arg)
{
	double cpu;
	return uring_run_client(arg, &cpu) < 0;
}

/* The server's address, split ("http://127.0.0.1:PORT"). */
static int uring_server_addr(const struct bench_ctx *ctx, struct uring_work *w)
{
	return sscanf(ctx->server_url, "http://%63[0-9.]:%d", w->host,
		      &w->port) == 2
		       ? 0
		       : -1;
}

/* Adds the two rows of one measure: raw-epoll alone, raw-io_uring
 * against it. */
static void uring_rows(struct bench_ctx *ctx, const char *name, long n,
		       double epoll, double uring, const char *unit)
{
	bench_add_row(ctx, &(struct bench_row){name, "raw-epoll", (int)n, epoll,
					       NAN, NAN, "", unit});
	bench_add_row(ctx,
		      &(struct bench_row){name, "raw-io_uring", (int)n, uring,
					  epoll, uring / epoll, "", unit});
}

/* Row c10k-syscalls: each client counted once in a child. */
static void uring_syscall_rows(struct bench_ctx *ctx, struct uring_work *w)
{
	char why[128];
	w->uring = 0;
	long epoll = syscalls_count(uring_count_cb, w, why, sizeof(why));
	w->uring = 1;
	long uring =
		epoll < 0 ? -1
			  : syscalls_count(uring_count_cb, w, why, sizeof(why));
	if (epoll <= 0 || uring <= 0) {
		printf("bench: c10k-syscalls of the raw clients skipped: %s\n",
		       why);
		return;
	}
	uring_rows(ctx, "c10k-syscalls", w->n, (double)epoll / (double)w->n,
		   (double)uring / (double)w->n, "calls");
}

static int bench_c10k_uring(struct bench_ctx *ctx)
{
	char why[200];
	enum uring_support s = uringclient_probe(why, sizeof(why));
	if (s == URING_REFUSED) {
		printf("bench: c10k-uring skipped: %s\n", why);
		return 0;
	}
	if (s != URING_FULL)
		printf("bench: c10k-uring: %s\n", why);
	struct uring_work w = {.n = ctx->quick ? 1000 : 10000};
	if (uring_server_addr(ctx, &w) != 0)
		return -1;
	int reps =
		ctx->repeat < URING_MAX_REPEAT ? ctx->repeat : URING_MAX_REPEAT;
	double t[2][URING_MAX_REPEAT], cpu[2][URING_MAX_REPEAT];
	for (int r = 0; r < reps; r++)
		for (w.uring = 0; w.uring < 2; w.uring++) {
			usleep(500 * 1000); /* the last run's closes settle */
			t[w.uring][r] = uring_run_client(&w, &cpu[w.uring][r]);
			if (t[w.uring][r] < 0)
				return -1;
			cpu[w.uring][r] *= 1e3 / (double)w.n;
		}
	uring_rows(ctx, "c10k", w.n, bench_median(t[0], (size_t)reps),
		   bench_median(t[1], (size_t)reps), "s");
	uring_rows(ctx, "c10k-cpu", w.n, bench_median(cpu[0], (size_t)reps),
		   bench_median(cpu[1], (size_t)reps), "ms");
	uring_syscall_rows(ctx, &w);
	return 0;
}

const struct bench_case bench_case_c10k_uring = {
	"c10k-uring",
	"10,000 x /delay/1000 at C = 10,000: raw io_uring vs raw epoll client",
	bench_c10k_uring};
