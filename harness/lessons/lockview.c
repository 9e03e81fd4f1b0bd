// SPDX-License-Identifier: MIT
/*
 * lockview.c - lesson 6: who holds the lock, drawn. The gil model runs a
 * short compute batch with --trace at each switch interval; its lines
 * ("[gil w1] takes the lock at 12.345 ms", models/gil.c) are read back
 * into lock.csv, one row per holding (interval_ms, worker, from_ms,
 * to_ms), and plots/lock.gp draws them, a row per thread: each change of
 * row is a hand-over.
 */
#include "harness/lessons/lockview.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness/lessons/kit.h"
#include "harness/base/file_replace.h"
#include "harness/report/plot.h"
#include "harness/run/measure.h"
#include "harness/run/verify.h"
#include "harness/run/workload.h"

#define LOCKVIEW_WORKERS_MAX 64

/* Runs the gil model on b at `interval_ms` with its trace on stderr
 * going to trace_path. Returns 0 when it ran and matched ref. */
static int lockview_trace(const struct run_plan *c, struct batch *b,
			  const struct batch *ref, int workers,
			  double interval_ms, const char *trace_path)
{
	struct run_opts o = plan_run_opts(c, workers);
	struct external_opts x = plan_external_opts(c); /* its time limit */
	o.trace = true;
	o.gil.switch_interval_ms = interval_ms;
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(trace_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (saved < 0 || fd < 0) {
		if (saved >= 0)
			close(saved);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dup2(fd, STDERR_FILENO);
	close(fd);
	struct measurement me;
	batch_reset_results(b);
	int rc = measure_run(model_find("gil"), b, &o, &x, &me);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	struct verify_report rep;
	verify_results(ref, b, &rep);
	return rc == 0 && me.model_rc == 0 && verify_ok(&rep) ? 0 : -1;
}

/* Turns the trace's takes and drops into rows of lock.csv; returns the
 * hand-overs (a take by another thread than the last holder). */
static long lockview_rows(const char *trace_path, double interval_ms, FILE *csv)
{
	FILE *f = fopen(trace_path, "r");
	double taken[LOCKVIEW_WORKERS_MAX] = {0};
	char line[256], what[16];
	int w, last = -1;
	double at;
	long handovers = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "[gil w%d] %15s the lock at %lf ms", &w, what,
			   &at) != 3 ||
		    w < 0 || w >= LOCKVIEW_WORKERS_MAX)
			continue;
		if (what[0] == 't') {
			taken[w] = at;
			handovers += last >= 0 && last != w;
			last = w;
		} else {
			fprintf(csv, "%g,%d,%.3f,%.3f\n", interval_ms, w,
				taken[w], at);
		}
	}
	if (f)
		fclose(f);
	return handovers;
}

void lesson_gil_lockview(struct lesson_ctx *ctx, int workers)
{
	static const double intervals[] = {5.0, 0.5};
	if (!ctx->first_set[0])
		return;
	struct workload_spec spec = {.type = TASK_COMPUTE,
				     .tasks = (size_t)workers,
				     .work = ctx->quick ? 30 : 60};
	struct batch *b = workload_build(&spec);
	struct batch *ref = b ? verify_reference_batch(b, 1000) : NULL;
	struct run_opts one = plan_run_opts(&ctx->plan, 1);
	struct external_opts x = plan_external_opts(&ctx->plan);
	struct measurement me;
	char path[4200], trace[4300];
	struct file_replace fr = {0};
	snprintf(path, sizeof(path), "%s/lock.csv", ctx->first_set);
	lesson_heading("Who holds the lock");
	if (!ref || measure_run(model_find("sequential"), ref, &one, &x, &me) ||
	    file_replace_open(&fr, path) != 0) {
		lesson_say("The lock could not be traced here.");
		batch_free(b);
		batch_free(ref);
		return;
	}
	fprintf(fr.f, "interval_ms,worker,from_ms,to_ms\n");
	long handovers[2] = {-1, -1};
	for (int i = 0; i < 2; i++) {
		snprintf(trace, sizeof(trace), "%s/gil-trace-%gms.txt",
			 ctx->first_set, intervals[i]);
		if (lockview_trace(&ctx->plan, b, ref, workers, intervals[i],
				   trace) == 0)
			handovers[i] = lockview_rows(trace, intervals[i], fr.f);
	}
	if (file_replace_commit(&fr) != 0 || handovers[0] < 0 ||
	    handovers[1] < 0) {
		lesson_say("The lock could not be traced here.");
	} else {
		plot_one_script(ctx->first_set, "lock");
		lesson_measured("traced_handovers_5ms", (double)handovers[0],
				"");
		lesson_measured("traced_handovers_0.5ms", (double)handovers[1],
				"");
		lesson_say("%d threads computed %ld units each under the lock, "
			   "traced with --trace: the lock changed hands %ld "
			   "times at 5 ms and %ld times at 0.5 ms. lock.png in "
			   "%s draws each holding as a bar on its thread's "
			   "row; every change of row is a hand-over, and "
			   "never two rows at once.",
			   workers, spec.work, handovers[0], handovers[1],
			   ctx->first_set);
	}
	batch_free(b);
	batch_free(ref);
}
