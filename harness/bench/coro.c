// SPDX-License-Identifier: MIT
/*
 * coro.c - what a coroutine costs, beside a thread and a process:
 *   coro-switch  one switch in ns (half a resume + yield round trip):
 *                models/coro_switch.c's asm switch, glibc's swapcontext
 *                (ratio = / asm; the rt_sigprocmask system call it makes
 *                each time: 10-60x in the literature), and a hand-off
 *                between two threads through two semaphores (futexes), the
 *                least a thread pool pays to pass work on (ratio = / asm)
 *   coro-memory  KiB per waiting worker: the peak PSS of a process tree
 *                (harness/run/tree_memory.h) holding N coroutines suspended
 *                mid-task (64 KiB stacks, the default), N threads blocked
 *                in read(), N processes blocked in read(), minus the same
 *                tree holding none, / N; ratio = / a coroutine's
 *   c10k-coroutines  the coroutines model at c10k (10,000 x /delay/1000
 *                at C = 10,000) beside eventloop on the same loop, runs
 *                alternated: ratio = its time / eventloop's (<= 1.10), and
 *                c10k-coroutines-memory: its peak RSS growth per transfer /
 *                eventloop's (<= 2)
 * Measured on the 2-core development VM (AMD EPYC, load average 16-18,
 * median of 5): a switch 24 ns with asm, 468 ns with swapcontext (19x),
 * 4.8 us for a thread hand-off (200x); per waiting worker 6.0 KiB for a
 * coroutine, 8.2 KiB for a thread (its kernel stack and task struct are
 * not in any PSS), 59 KiB for a process.
 */
#include "harness/bench/coro.h"

#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/bench/kit.h"
#include "harness/bench/loop.h"
#include "harness/run/tree_memory.h"
#include "models/coro_switch.h"

#define CORO_BENCH_MAX_REPEAT 64

/* ---- one switch ---------------------------------------------------------- */

/* Two threads passing a turn back and forth. */
struct coro_bench_pingpong {
	sem_t ping, pong;
	long rounds;
};

static void *coro_bench_ponger(void *arg)
{
	struct coro_bench_pingpong *p = arg;
	for (long i = 0; i < p->rounds; i++) {
		sem_wait(&p->ping);
		sem_post(&p->pong);
	}
	return NULL;
}

/* ns per one-way hand-off between two threads; -1 on failure. */
static double coro_bench_handoff_ns(long rounds)
{
	struct coro_bench_pingpong p = {.rounds = rounds};
	pthread_t t;
	sem_init(&p.ping, 0, 0);
	sem_init(&p.pong, 0, 0);
	if (pthread_create(&t, NULL, coro_bench_ponger, &p) != 0)
		return -1;
	double t0 = clock_now();
	for (long i = 0; i < rounds; i++) {
		sem_post(&p.ping);
		sem_wait(&p.pong);
	}
	double elapsed = clock_now() - t0;
	pthread_join(t, NULL);
	sem_destroy(&p.ping);
	sem_destroy(&p.pong);
	return elapsed * 1e9 / (2.0 * (double)rounds);
}

static int bench_coro_switch(struct bench_ctx *ctx)
{
	int reps = ctx->repeat < CORO_BENCH_MAX_REPEAT ? ctx->repeat
						       : CORO_BENCH_MAX_REPEAT;
	long rounds = ctx->quick ? 20000 : 1000000;
	double as[CORO_BENCH_MAX_REPEAT], uc[CORO_BENCH_MAX_REPEAT],
		th[CORO_BENCH_MAX_REPEAT];
	enum coro_switch asm_how;
	bool have_asm = coro_switch_parse("asm", &asm_how) == 0;
	for (int r = 0; r < reps; r++) { /* alternated: drift hits all */
		as[r] = have_asm ? coro_switch_ns(asm_how, rounds) : NAN;
		uc[r] = coro_switch_ns(CORO_SWITCH_UCONTEXT, rounds);
		th[r] = coro_bench_handoff_ns(rounds / 10);
		if (uc[r] < 0 || th[r] < 0 || as[r] < 0)
			return 0; /* a limit, not a wrong result */
	}
	double a = bench_median(as, (size_t)reps);
	double u = bench_median(uc, (size_t)reps);
	double h = bench_median(th, (size_t)reps);
	bench_add_row(ctx, &(struct bench_row){"coro-switch", "asm", 1, a, NAN,
					       NAN, "", "ns"});
	bench_add_row(ctx, &(struct bench_row){"coro-switch", "ucontext", 1, u,
					       a, u / a, ">=10", "ns"});
	bench_add_row(ctx, &(struct bench_row){"coro-switch", "thread-handoff",
					       2, h, a, h / a, "", "ns"});
	return 0;
}

/* ---- memory per waiting worker ------------------------------------------- */

enum coro_bench_kind {
	HOLD_COROUTINES,
	HOLD_THREADS,
	HOLD_PROCESSES
};

/* A coroutine's task up to its first wait: a frame of locals, then the
 * suspension a fetch makes. */
static void coro_bench_waiter(void *arg)
{
	volatile char locals[512];
	locals[0] = 1;
	coro_yield(arg);
	locals[1] = locals[0];
}

static void *coro_bench_blocked_thread(void *arg)
{
	char c;
	return read(*(int *)arg, &c, 1) < 0 ? arg : NULL;
}

/* In the holder child: n workers of `kind` waiting on fd, then a pause
 * for the sampler to see them; the end of the pipe releases them. */
static void coro_bench_hold(enum coro_bench_kind kind, int n, int fd)
{
	struct coro *co = calloc((size_t)n + 1, sizeof(*co));
	pthread_t *t = calloc((size_t)n + 1, sizeof(*t));
	for (int i = 0; co && t && i < n; i++) {
		if (kind == HOLD_COROUTINES &&
		    coro_start(&co[i], CORO_SWITCH_DEFAULT,
			       (size_t)CORO_STACK_KIB_DEFAULT * 1024,
			       coro_bench_waiter, &co[i]) == 0)
			coro_resume(&co[i]);
		else if (kind == HOLD_THREADS)
			pthread_create(&t[i], NULL, coro_bench_blocked_thread,
				       &fd);
		else if (kind == HOLD_PROCESSES && fork() == 0) {
			coro_bench_blocked_thread(&fd);
			_exit(0);
		}
	}
	usleep(300 * 1000); /* the sampler looks every 10 ms */
	_exit(0);	    /* the pipe closes: blocked workers end */
}

/* Peak tree PSS in KiB of a holder of n workers; -1 on failure. */
static double coro_bench_tree_kib(enum coro_bench_kind kind, int n)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		coro_bench_hold(kind, n, p[0]);
	}
	close(p[0]);
	struct tree_sampler *s = pid > 0 ? tree_sampler_start(pid) : NULL;
	int status;
	if (pid > 0)
		waitpid(pid, &status, 0);
	struct tree_memory peak;
	tree_sampler_stop(s, &peak);
	close(p[1]); /* the grandchildren read EOF and exit */
	return pid > 0 && s ? (double)peak.pss_kib : -1;
}

/* KiB per worker of `kind`: (holding n - holding 0) / n, median. */
static double coro_bench_per_worker(struct bench_ctx *ctx,
				    enum coro_bench_kind kind, int n)
{
	double v[CORO_BENCH_MAX_REPEAT];
	int reps = ctx->repeat < CORO_BENCH_MAX_REPEAT ? ctx->repeat
						       : CORO_BENCH_MAX_REPEAT;
	for (int r = 0; r < reps; r++) {
		double none = coro_bench_tree_kib(kind, 0);
		double held = coro_bench_tree_kib(kind, n);
		if (none < 0 || held < 0)
			return NAN;
		v[r] = (held - none) / n;
	}
	return bench_median(v, (size_t)reps);
}

static int bench_coro_memory(struct bench_ctx *ctx)
{
	int n = ctx->quick ? 100 : 1000;
	double co = coro_bench_per_worker(ctx, HOLD_COROUTINES, n);
	double th = coro_bench_per_worker(ctx, HOLD_THREADS, n);
	double pr = coro_bench_per_worker(ctx, HOLD_PROCESSES, n / 5);
	bench_add_row(ctx, &(struct bench_row){"coro-memory", "coroutine", n,
					       co, NAN, NAN, "", "KiB"});
	bench_add_row(ctx, &(struct bench_row){"coro-memory", "thread", n, th,
					       co, th / co, "", "KiB"});
	bench_add_row(ctx, &(struct bench_row){"coro-memory", "process", n / 5,
					       pr, co, pr / co, "", "KiB"});
	return 0;
}

/* ---- c10k with coroutines ----------------------------------------------- */

/* One round: eventloop, then coroutines, each after half a second for the
 * last run's connections to close; times and KiB per transfer. */
static int coro_bench_c10k_round(struct bench_ctx *ctx, struct batch *b,
				 const struct batch *ref, double *t,
				 double *kib)
{
	const char *names[2] = {"eventloop", "coroutines"};
	for (int k = 0; k < 2; k++) {
		usleep(500 * 1000);
		t[k] = loop_time_model(ctx, model_find(names[k]), b, ref,
				       (int)b->n, LOOP_BACKEND_AUTO, &kib[k]);
		if (t[k] < 0)
			return -1;
		kib[k] /= (double)b->n;
	}
	return 0;
}

static int bench_c10k_coroutines(struct bench_ctx *ctx)
{
	long n = ctx->quick ? 1000 : 10000;
	int reps = ctx->repeat < CORO_BENCH_MAX_REPEAT ? ctx->repeat
						       : CORO_BENCH_MAX_REPEAT;
	struct batch *b = bench_fetch_batch(ctx, (size_t)n, "/delay/1000");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double t[2][CORO_BENCH_MAX_REPEAT], kib[2][CORO_BENCH_MAX_REPEAT];
	int rc = ref ? 0 : -1;
	for (int r = 0; rc == 0 && r < reps; r++) {
		double tr[2] = {0}, kr[2] = {0};
		rc = coro_bench_c10k_round(ctx, b, ref, tr, kr);
		for (int k = 0; rc == 0 && k < 2; k++) {
			t[k][r] = tr[k];
			kib[k][r] = kr[k];
		}
	}
	if (rc == 0) {
		double loop = bench_median(t[0], (size_t)reps);
		double co = bench_median(t[1], (size_t)reps);
		double mem = bench_median(kib[0], (size_t)reps);
		double co_mem = bench_median(kib[1], (size_t)reps);
		bench_add_row(ctx, &(struct bench_row){"c10k-coroutines",
						       "coroutines", (int)n, co,
						       loop, co / loop,
						       "<=1.10", "s"});
		bench_add_row(ctx, &(struct bench_row){
					   "c10k-coroutines-memory",
					   "coroutines", (int)n, co_mem, mem,
					   co_mem / mem, "<=2", "KiB"});
	}
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_c10k_coroutines = {
	"c10k-coroutines",
	"10,000 x /delay/1000 at C = 10,000: coroutines vs eventloop",
	bench_c10k_coroutines};
const struct bench_case bench_case_coro_switch = {
	"coro-switch", "one switch: asm, swapcontext, a thread hand-off (ns)",
	bench_coro_switch};
const struct bench_case bench_case_coro_memory = {
	"coro-memory", "KiB per waiting coroutine, thread, process (tree PSS)",
	bench_coro_memory};
