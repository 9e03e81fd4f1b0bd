// SPDX-License-Identifier: MIT
/* table.c - the terminal table: one block per workload, one row per case. */
#include "harness/run/table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/base/term.h"

/* A value or "-" when there is none, right-aligned in width. */
static void table_num(char *buf, size_t len, double v, const char *fmt)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

static void table_header(const struct sweep *s, size_t g, int colour)
{
	const struct sweep_group *grp = &s->groups[g];
	const struct run_plan *c = s->plan;
	printf("\n%s%s%s%s: %zu tasks", colour ? "\033[1m" : "",
	       task_type_name(grp->workload), grp->python ? " (Python)" : "",
	       colour ? "\033[0m" : "", grp->batch->n);
	bool fetches =
		grp->workload == TASK_FETCH || grp->workload == TASK_MIXED;
	if (fetches && s->server_url[0])
		printf(", %ld ms delay, %ld bytes", c->delay_ms, c->bytes);
	if (grp->workload == TASK_SHARED)
		printf(", %ld increments each, --sync %s",
		       grp->work * SHARED_INCREMENTS_PER_UNIT,
		       shared_sync_name(c->sync));
	else if (grp->workload != TASK_FETCH)
		printf(", %ld units of compute", grp->work);
	printf(", %d runs per case, ", c->repeat);
	if (grp->how == BASELINE_NONE)
		printf("no baseline (--baseline none): no speedup\n");
	else if (grp->how == BASELINE_SAMPLE)
		printf("baseline %s estimated from its first %zu tasks, scaled "
		       "x%.0f (--baseline full to time it all)\n",
		       grp->baseline->name, grp->sample->n,
		       (double)grp->batch->n / (double)grp->sample->n);
	else
		printf("baseline %s\n", grp->baseline->name);
	if (grp->python)
		printf("  (wall s is the program's own run time; start-up is "
		       "the interpreter's, outside it; CPU and memory include "
		       "it)\n");
	printf("  %-14s %5s %3s %21s %8s %7s %8s %7s %5s %6s %8s %7s %7s %4s "
	       "%10s %s\n",
	       "model", "C", "P", "wall s (min-max)", "tasks/s", "ideal s",
	       "x ideal", "speedup", "eff", "CPU s", "PSS MiB", "p50 ms",
	       "p99 ms", "errs", grp->python ? "start-up ms" : "setup ms",
	       "ok");
}

static void table_row(const struct sweep *s, const struct case_summary *cs,
		      int colour)
{
	char wall[40], per_s[16], ideal[16], ratio[16], speed[16], eff[16],
		p50[16], p99[16], p[16];
	/* P means nothing where nothing is computed. */
	table_num(p, sizeof(p),
		  s->groups[cs->group].workload == TASK_FETCH ? NAN
							      : cs->p_compute,
		  "%.0f");
	if (isnan(cs->wall.median)) /* no run of the case happened */
		snprintf(wall, sizeof(wall), "-");
	else
		snprintf(wall, sizeof(wall), "%.3f (%.3f-%.3f)",
			 cs->wall.median, cs->wall.min, cs->wall.max);
	table_num(per_s, sizeof(per_s), cs->tasks_per_s, "%.1f");
	table_num(ideal, sizeof(ideal), cs->ideal_s, "%.3f");
	table_num(ratio, sizeof(ratio), cs->ratio_ideal, "%.2f");
	table_num(speed, sizeof(speed), cs->speedup, "%.2f");
	table_num(eff, sizeof(eff), cs->efficiency * 100, "%.0f%%");
	/* An open run's latency counts from each task's arrival: the naive
	 * figure would hide the queue (lesson 16). */
	bool open = s->plan->open_loop;
	table_num(p50, sizeof(p50),
		  (open ? cs->corrected.p50 : cs->lat_p50) * 1e3, "%.1f");
	table_num(p99, sizeof(p99),
		  (open ? cs->corrected.p99 : cs->lat_p99) * 1e3, "%.1f");
	const char *mark = cs->verified ? "yes" : "NO";
	const char *on = "", *off = "";
	if (colour) {
		on = cs->verified ? "\033[32m" : "\033[31;1m";
		off = "\033[0m";
	}
	printf("  %-14s %5d %3s %21s %8s %7s %8s %7s %5s %6.2f %8.1f %7s %7s "
	       "%4ld %10.1f %s%s%s%s%s\n",
	       cs->model->name, cs->workers, p, wall, per_s, ideal, ratio,
	       speed, eff, cs->user_s + cs->sys_s, cs->pss_kib / 1024.0, p50,
	       p99, cs->errors, cs->setup_s * 1e3, on, mark, off,
	       cs->noisy ? " noisy" : "",
	       cs->first_outlier ? " first-run-outlier" : "");
}

/* The models of the table that compute `where`, "a, b", into buf; how
 * many. */
static int table_models_computing(const struct sweep *s, int where, char *buf,
				  size_t len)
{
	int n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct model *m = s->cases[i].model;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = s->cases[j].model == m;
		if (seen || (int)m->compute != where)
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", n++ ? ", " : "",
			 m->name);
	}
	return n;
}

/* What C, P and the memory column mean, with this table's models. */
static void table_legend(const struct sweep *s)
{
	char names[512];
	printf("C: tasks in flight at once. P: compute tasks at once (%d "
	       "cores here):\n",
	       s->cores);
	if (table_models_computing(s, COMPUTE_ON_WORKERS, names, sizeof(names)))
		printf("  min(C, cores): each worker computes its own (%s)\n",
		       names);
	if (table_models_computing(s, COMPUTE_ONE_AT_A_TIME, names,
				   sizeof(names)))
		printf("  1: one loop, thread or lock computes (%s)\n", names);
	if (table_models_computing(s, COMPUTE_ON_POOL, names, sizeof(names)))
		printf("  min(--cpu-workers, cores): a pool beside the C "
		       "fetches, whatever C is (%s; --cpu-workers %d, by "
		       "default the cores)\n",
		       names, s->plan->cpu_workers);
	if (s->plan->open_loop)
		printf("p50, p99 ms: open loop, %g tasks/s offered: latency "
		       "from each task's arrival (corrected); runs.csv and "
		       "report.html also have it from its start (naive).\n",
		       s->plan->rate);
	printf("PSS MiB: the peak of the whole process tree's proportional "
	       "set size (a page shared by k processes counts 1/k in each); "
	       "runs.csv also has USS and RSS.\n");
}

/* hyperfine-style warnings under the table. */
static void table_warnings(const struct sweep *s)
{
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *cs = &s->cases[i];
		const char *w = task_type_name(s->groups[cs->group].workload);
		if (cs->noisy)
			printf("warning: %s %s C=%d: max/min = %.2f over %zu "
			       "runs; the machine was noisy, rerun with more "
			       "--repeat\n",
			       cs->model->name, w, cs->workers,
			       cs->wall.max / cs->wall.min, cs->wall.n);
		if (cs->first_outlier)
			printf("warning: %s %s C=%d: the first run stands "
			       "out (cold start?); try --warmup 1\n",
			       cs->model->name, w, cs->workers);
		if (cs->timing_diffs)
			printf("warning: %s %s C=%d: %ld task(s) timed out "
			       "under load where the reference did not "
			       "(timing, not wrong)\n",
			       cs->model->name, w, cs->workers,
			       cs->timing_diffs);
		/* Fewer than asked: a limit was hit, or C > N (every model
		 * caps C at the number of tasks). */
		if (cs->real_workers > 0 && cs->real_workers < cs->workers)
			printf("note: %s C=%d really ran %d workers\n",
			       cs->model->name, cs->workers, cs->real_workers);
	}
}

/* Which kinds the errors were, for the cases that had any. */
static void table_error_kinds(const struct sweep *s)
{
	for (size_t i = 0; i < s->n_cases; i++) {
		const struct case_summary *cs = &s->cases[i];
		if (!cs->errors)
			continue;
		printf("errors: %s %s C=%d:", cs->model->name,
		       task_type_name(s->groups[cs->group].workload),
		       cs->workers);
		for (int k = 1; k < RESULT_KIND_COUNT; k++)
			if (cs->kinds[k])
				printf(" %s %zu", result_kind_name(k),
				       cs->kinds[k]);
		printf("\n");
	}
}

/* What a model said about a limit it hit (once per case). */
static void table_notes(const struct sweep *s)
{
	for (size_t i = 0; i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		if ((r->rep != 0 && !r->m.timed_out) || !r->m.stats.note[0])
			continue;
		/* the note may quote the program: made safe (term.h) */
		term_line(stdout, "note: %s %s C=%d: %s", r->model->name,
			  task_type_name(s->groups[r->group].workload),
			  r->workers, r->m.stats.note);
	}
}

/* The first differences of runs that did not verify. */
static void table_wrong(const struct sweep *s)
{
	for (size_t i = 0; i < s->n_records; i++) {
		const struct run_record *r = &s->records[i];
		if (verify_ok(&r->verify))
			continue;
		printf("%s: %s %s C=%d rep %d: %s%zu wrong, %zu crashed\n",
		       r->verify.stopped ? "FAILED" : "WRONG", r->model->name,
		       task_type_name(s->groups[r->group].workload), r->workers,
		       r->rep + 1, r->verify.stopped ? "stopped, " : "",
		       r->verify.wrong, r->verify.crashed);
		for (size_t l = 0; l < r->verify.n_lines; l++) /* may quote */
			term_line(stdout, "    %s", r->verify.lines[l]);
	}
}

void table_print(const struct sweep *s)
{
	int colour = cli_colour(STDOUT_FILENO);
	for (size_t g = 0; g < s->n_groups; g++) {
		table_header(s, g, colour);
		for (size_t i = 0; i < s->n_cases; i++)
			if (s->cases[i].group == g)
				table_row(s, &s->cases[i], colour);
	}
	printf("\n");
	table_legend(s);
	table_error_kinds(s);
	table_warnings(s);
	table_notes(s);
	table_wrong(s);
}
