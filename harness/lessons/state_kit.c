// SPDX-License-Identifier: MIT
/*
 * state_kit.c - the shared-state lessons' kit: plans of the shared
 * workload, sweeps that may go wrong on purpose, lost updates and
 * throughput from the records, and ThreadSanitizer's report quoted.
 */
#include "harness/lessons/state_kit.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/run.h"
#include "harness/base/stats.h"

void state_plan(struct lesson_ctx *ctx, struct run_plan *c,
		enum shared_sync sync, long n, long work, int repeat)
{
	lesson_plan_defaults(ctx, c);
	c->workloads[0] = TASK_SHARED;
	c->n_workloads = 1;
	c->sync = sync;
	c->tasks = n;
	c->work = work;
	c->repeat = repeat;
}

/* A sweep's status, when wrong results are the lesson's point. */
static int state_status(int rc, const struct sweep *s)
{
	if (rc == 1 && s->n_records > 0 && !s->partial && !s->write_error[0])
		return 0; /* wrong on purpose: the lesson reads why */
	return rc;
}

int state_sweep(struct lesson_ctx *ctx, struct run_plan *c, const char *part,
		struct sweep *s)
{
	return state_status(lesson_sweep(ctx, c, part, s), s);
}

int state_sweep_judged(struct lesson_ctx *ctx, struct run_plan *c,
		       const char *part, struct sweep *s, lesson_judge_fn judge)
{
	ctx->wrong_is_the_lesson = true;
	return state_status(lesson_sweep_judged(ctx, c, part, s, judge), s);
}

/* The records of (model, C) in the shared workload, at most cap. */
static size_t state_records(const struct sweep *s, const char *model,
			    int workers, const struct run_record **out,
			    size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_records && n < cap; i++) {
		const struct run_record *r = &s->records[i];
		if (s->groups[r->group].workload == TASK_SHARED &&
		    strcmp(r->model->name, model) == 0 && r->workers == workers)
			out[n++] = r;
	}
	return n;
}

double state_lost(const struct sweep *s, const char *model, int workers,
		  enum lost_pick pick)
{
	const struct run_record *r[256];
	double v[256];
	size_t n = state_records(s, model, workers, r, 256);
	if (n == 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
		v[i] = (double)r[i]->verify.lost;
	struct spread sp = stats_spread(v, n);
	if (pick == LOST_FEWEST)
		return sp.min;
	if (pick == LOST_MOST)
		return sp.max;
	return sp.median;
}

size_t state_lost_runs(const struct sweep *s, const char *model,
		       size_t *lost_in, double *most)
{
	size_t n = 0;
	*lost_in = 0;
	*most = 0;
	for (size_t i = 0; i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		if (s->groups[r->group].workload != TASK_SHARED ||
		    strcmp(r->model->name, model) != 0)
			continue;
		n++;
		*lost_in += r->verify.lost > 0;
		if ((double)r->verify.lost > *most)
			*most = (double)r->verify.lost;
	}
	return n;
}

void state_each_lost(struct lesson_ctx *ctx, const struct sweep *s,
		     const char *model, int workers)
{
	const struct run_record *r[LESSON_EACH_RUN_MAX];
	size_t n = state_records(s, model, workers, r, LESSON_EACH_RUN_MAX);
	for (size_t i = 0; i < n; i++)
		ctx->each_run[i] = (double)r[i]->verify.lost;
	ctx->n_each_run = n;
}

double state_total(const struct sweep *s)
{
	for (size_t g = 0; g < s->n_groups; g++)
		if (s->groups[g].workload == TASK_SHARED)
			return (double)s->groups[g].batch->n *
			       (double)s->groups[g].work *
			       SHARED_INCREMENTS_PER_UNIT;
	return NAN;
}

double state_rate(const struct sweep *s, const char *model, int workers)
{
	const struct case_summary *cs =
		lesson_case(s, model, TASK_SHARED, workers);
	if (!cs || !(cs->wall.median > 0))
		return NAN;
	return state_total(s) / cs->wall.median / 1e6;
}

double state_spread_pct(const struct sweep *s, const char *model, int workers)
{
	const struct case_summary *cs =
		lesson_case(s, model, TASK_SHARED, workers);
	return cs && cs->wall.min > 0 ? (cs->wall.max / cs->wall.min - 1) * 100
				      : NAN;
}

/* ---- ThreadSanitizer's report ---- */

/* build/tsan/concur beside this build/concur; 0 when it is there. */
static int state_tsan_path(char *path, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	int k = snprintf(path, len, "%s/tsan/concur", self);
	if (k < 0 || (size_t)k >= len || strchr(path, '\''))
		return -1;
	return access(path, X_OK);
}

/* Is this line of a report one that says what or where (not the
 * sanitizer's own frames, not the harness that started the threads)? */
static bool state_tsan_line(const char *line)
{
	static const char *const keep[] = {
		"WARNING: ThreadSanitizer",
		"Cycle in lock order",
		"acquired here",
		"Write of size",
		"Read of size",
		"Previous write",
		"Previous read",
		" shared_add_",
		"SUMMARY:",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (strstr(line, keep[i]))
			return true;
	return false;
}

int state_tsan(const char *model, enum shared_sync sync, const char *kind)
{
	char bin[PATH_MAX], cmd[2 * PATH_MAX + 320], line[512];
	char tmp[] = "/tmp/concur-tsan-XXXXXX";
	if (state_tsan_path(bin, sizeof(bin)) != 0) {
		/* Building it takes minutes: the lesson says how, once. */
		printf("  no build/tsan/concur: `make tsan-concur` builds it "
		       "for this section\n");
		return 0;
	}
	if (!mkdtemp(tmp))
		return 0;
	/* Its result set is of no use: it goes to a directory removed
	 * after the run. */
	snprintf(cmd, sizeof(cmd),
		 "'%s' run --models %s --workloads shared --sync %s "
		 "--workers 2 --tasks 16 --work 2 --repeat 1 --baseline none "
		 "--no-plot --quiet --out '%s' 2>&1; rm -rf '%s'",
		 bin, model, shared_sync_name(sync), tmp, tmp);
	printf("  $ build/tsan/concur run --models %s --workloads shared "
	       "--sync %s --workers 2 --tasks 16 --work 2 ...\n",
	       model, shared_sync_name(sync));
	fflush(stdout);
	FILE *p = popen(cmd, "r");
	if (!p)
		return 0;
	int found = 0, shown = 0;
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "WARNING: ThreadSanitizer") &&
		    strstr(line, kind))
			found = 1;
		if (found && shown < 14 && state_tsan_line(line)) {
			printf("    %s", line);
			shown++;
		}
	}
	pclose(p);
	fflush(stdout);
	return found;
}
