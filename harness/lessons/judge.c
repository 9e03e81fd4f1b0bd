// SPDX-License-Identifier: MIT
/*
 * judge.c - a lesson judges its own run before it judges the student: the
 * spread of the cases a claim uses, the cores they kept busy, and a probe
 * of the cores this machine gives right now (see judge.h).
 */
#include "harness/lessons/judge.h"

#include <math.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/kernel.h"

void judge_reset(struct lesson_ctx *ctx)
{
	memset(&ctx->judge, 0, sizeof(ctx->judge));
	ctx->judge.expected = NAN;
}

/* Adds one reason to j->why, after a "; " when there are some. */
static void judge_append(struct lesson_judge *j, const char *reason)
{
	size_t used = strnlen(j->why, sizeof(j->why) - 1);
	if (used > 0 && used + 3 < sizeof(j->why)) {
		memcpy(j->why + used, "; ", 3);
		used += 2;
	}
	snprintf(j->why + used, sizeof(j->why) - used, "%s", reason);
}

void judge_fail(struct lesson_ctx *ctx, bool noise, const char *fmt, ...)
{
	struct lesson_judge *j = &ctx->judge;
	char reason[sizeof(j->why)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	judge_append(j, reason);
	j->invalid = true;
	j->noise = j->noise || noise;
	j->steady = j->steady || !noise;
}

void judge_merge(struct lesson_ctx *ctx, const struct lesson_judge *earlier)
{
	struct lesson_judge *j = &ctx->judge;
	if (earlier->invalid) { /* the earlier part's reasons first */
		char later[sizeof(j->why)];
		memcpy(later, j->why, sizeof(later));
		memcpy(j->why, earlier->why, sizeof(j->why));
		if (later[0])
			judge_append(j, later);
	}
	j->invalid = j->invalid || earlier->invalid;
	j->noise = j->noise || earlier->noise;
	j->steady = j->steady || earlier->steady;
	j->spread = j->spread > earlier->spread ? j->spread : earlier->spread;
	if (isnan(j->expected)) {
		j->expected = earlier->expected;
		memcpy(j->expected_how, earlier->expected_how,
		       sizeof(j->expected_how));
	}
}

bool judge_retry_helps(const struct lesson_ctx *ctx)
{
	return ctx->judge.invalid && ctx->judge.noise && !ctx->judge.steady;
}

void judge_expect(struct lesson_ctx *ctx, double value, const char *fmt, ...)
{
	ctx->judge.expected = value;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->judge.expected_how, sizeof(ctx->judge.expected_how), fmt,
		  ap);
	va_end(ap);
}

bool judge_spread(struct lesson_ctx *ctx, const struct case_summary *cs,
		  const char *what)
{
	if (!cs) {
		judge_fail(ctx, false, "%s did not run", what);
		return false;
	}
	double spread = cs->wall.max / cs->wall.min;
	if (cs->wall.n > 1 && spread - 1 > ctx->judge.spread)
		ctx->judge.spread = spread - 1;
	if (cs->wall.n < 2 || spread <= JUDGE_SPREAD_MAX)
		return true;
	judge_fail(ctx, true,
		   "the runs of %s ranged from %.3f to %.3f s, %.0f%% apart "
		   "(more than the %.0f%% a claim can rest on)",
		   what, cs->wall.min, cs->wall.max, (spread - 1) * 100,
		   (JUDGE_SPREAD_MAX - 1) * 100);
	return false;
}

bool judge_cores(struct lesson_ctx *ctx, const struct case_summary *cs,
		 double want, const char *what)
{
	if (!cs)
		return false;
	double busy = (cs->user_s + cs->sys_s) / cs->wall.median;
	if (busy >= JUDGE_CORES_SHARE * want)
		return true;
	judge_fail(ctx, false,
		   "%s kept %.2f cores busy, not the %.0f the claim needs: "
		   "something else had the rest",
		   what, busy, want);
	return false;
}

/* ---- the probe ---- */

struct probe {
	double until;  /* monotonic deadline, shared read-only */
	double cpu_s;  /* this thread's CPU time, owned by it until join */
	uint64_t sink; /* the kernel's result, so it is not optimised out */
};

static double probe_thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *probe_spin(void *arg)
{
	struct probe *p = arg;
	struct kernel k;
	kernel_start(&k, 1);
	double cpu0 = probe_thread_cpu();
	while (clock_now() < p->until)
		kernel_advance(&k, KERNEL_ITERS_PER_UNIT / 20);
	p->cpu_s = probe_thread_cpu() - cpu0;
	p->sink = kernel_read(&k);
	return NULL;
}

#define PROBE_MAX_THREADS 256
#define PROBE_S 0.04

double judge_free_cores(int cores)
{
	struct probe probes[PROBE_MAX_THREADS] = {{0}};
	pthread_t th[PROBE_MAX_THREADS];
	int n = cores < PROBE_MAX_THREADS ? cores : PROBE_MAX_THREADS, started;
	double t0 = clock_now();
	for (started = 0; started < n; started++) {
		probes[started].until = t0 + PROBE_S;
		probes[started].cpu_s = 0;
		if (pthread_create(&th[started], NULL, probe_spin,
				   &probes[started]) != 0)
			break;
	}
	double cpu = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		cpu += probes[i].cpu_s;
	}
	double wall = clock_now() - t0;
	return started > 0 && wall > 0 ? cpu / wall : NAN;
}

double judge_probe(struct lesson_ctx *ctx, double need)
{
	double free_cores = judge_free_cores(ctx->cores);
	ctx->judge.free_cores = free_cores;
	printf("  this machine, now: %.2f of its %d cores free (a %.0f ms "
	       "probe); load average %.2f\n",
	       free_cores, ctx->cores, PROBE_S * 1e3, judge_load());
	if (need > 0 && !(free_cores >= JUDGE_CORES_SHARE * need))
		judge_fail(ctx, false,
			   "only %.2f of the %.0f cores the claim needs were "
			   "free when the run ended",
			   free_cores, need);
	return free_cores;
}

bool judge_machine_busy(const struct lesson_ctx *ctx)
{
	return ctx->load_before >= 0.75 * ctx->cores;
}

double judge_load(void)
{
	double load[1];
	return getloadavg(load, 1) == 1 ? load[0] : NAN;
}
