// SPDX-License-Identifier: MIT
/*
 * pythreads.c - lesson 18, "Python threads in parallel". The Python text
 * says threads are for I/O because of the GIL; the whole truth is that C
 * code which lets go of the GIL runs in parallel. py-threads runs the
 * same batch with 1 and 2 threads, each task doing one kind of work
 * (models/python/concur_work.py):
 *
 *     python   the kernel in pure Python          holds the GIL    ~1.0x
 *     hashlib  sha256 over 1 MiB buffers           lets go of it   ~2x
 *     zlib     zlib.compress of 1 MiB              lets go of it   ~2x
 *     cdll     a C loop through ctypes.CDLL        lets go of it   ~2x
 *     pydll    the same loop through ctypes.PyDLL  holds it        ~1.0x
 *
 * The pure-Python kind is a judged sweep (py-sequential, py-threads at
 * C = 1 and 2; judge.h); the other kinds are run here through
 * measure_run, C = 1 and 2 in turn, each run checked: python, cdll and
 * pydll against the kernel's reference, hashlib and zlib against the same
 * kind computed by py-sequential. Their times go to pythreads.csv beside
 * the set (workload column: the kind). The prediction is hashlib's
 * speed-up.
 */
#include "harness/lessons/pythreads.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/base/file_replace.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/run/measure.h"
#include "harness/run/run.h"
#include "harness/run/verify.h"
#include "harness/run/workload.h"

/* Runs per C of each kind (the most). */
#define PY_REPS_MAX 5

/* One kind of work. A task gets `units` of it, sized so that a task of
 * every kind takes about a quarter of a second on a 2026 server core
 * (one kernel unit in Python: about 0.25 s; a 1 MiB sha256: about 1 ms; a
 * 1 MiB compress: about 0.1 s; a kernel unit in C: about 1 ms). */
struct py_kind {
	const char *name;
	const char *what;
	long units;
	bool holds_gil; /* expected: about 1.0x */
	bool kernel;	/* its checksum is the kernel's */
};

static const struct py_kind py_kinds[] = {
	{"python", "the kernel in pure Python", 1, true, true},
	{"hashlib", "sha256 over 1 MiB buffers", 250, false, false},
	{"zlib", "zlib.compress of 1 MiB buffers", 2, false, false},
	{"cdll", "a C loop through ctypes.CDLL", 200, false, true},
	{"pydll", "the same C loop through ctypes.PyDLL", 200, true, true},
};

#define PY_N_KINDS ((int)(sizeof(py_kinds) / sizeof(py_kinds[0])))

/* What one kind gave: wall times at C = 1 ([0]) and 2 ([1]). */
struct py_row {
	double wall[2][PY_REPS_MAX];
	int n[2];
	double busy[PY_REPS_MAX]; /* cores kept busy (CPU / wall), C = 2 */
	double median[2], speedup, spread, cores;
	bool ok; /* every run ran and matched its reference */
};

static void pythreads_plan(struct lesson_ctx *ctx)
{
	struct run_plan *c = &ctx->plan;
	lesson_plan_defaults(ctx, c);
	c->workloads[0] = TASK_COMPUTE;
	c->n_workloads = 1;
	c->tasks = ctx->quick ? 4 : 8;
	c->work = 1;
	c->py_work = 1; /* one unit is ~0.25 s in CPython */
	c->repeat = ctx->quick ? 2 : 3;
	int workers[] = {1, 2, 0};
	lesson_set_workers(c, workers);
	snprintf(ctx->ask, sizeof(ctx->ask),
		 "py-threads runs %ld tasks with 1 thread, then 2, on %d "
		 "cores; each task hashes 1 MiB buffers with hashlib.sha256. "
		 "How many times as fast are 2 threads as 1?",
		 c->tasks, ctx->cores);
}

/* The pure-Python sweep: 2 free cores, steady times at C = 1 and 2.
 * Expected: the cores 2 threads can use, when hashing lets go of the
 * GIL. */
static void pythreads_judge(struct lesson_ctx *ctx, const struct sweep *s)
{
	if (ctx->cores > 1)
		judge_probe(ctx, 2);
	else
		judge_fail(ctx, false, "one core: 2 threads cannot overlap");
	judge_spread(ctx, lesson_case(s, "py-threads", TASK_COMPUTE, 1),
		     "py-threads with 1 thread");
	judge_spread(ctx, lesson_case(s, "py-threads", TASK_COMPUTE, 2),
		     "py-threads with 2 threads");
	judge_expect(ctx, ctx->cores > 1 ? 2 : 1,
		     "%d cores: hashlib lets go of the GIL while it hashes, "
		     "so 2 threads hash at once",
		     ctx->cores);
}

static int py_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double py_median(const double *v, int n)
{
	double t[PY_REPS_MAX];
	memcpy(t, v, (size_t)n * sizeof(*v));
	qsort(t, (size_t)n, sizeof(*t), py_cmp);
	return n == 0 ? NAN : n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* One run of `model` on b with `workers` and the kind; its wall time, or
 * NAN when it did not run or (ref given) its results are wrong. The wall
 * time is the program's own run time (measure.h); *busy, the cores it
 * kept busy, its CPU time over that: a little high, since the CPU time
 * includes the interpreter's start-up. */
static double py_run_kind(const struct lesson_ctx *ctx, const char *model,
			  const struct py_kind *k, struct batch *b,
			  const struct batch *ref, int workers, double *busy)
{
	const struct model *m = model_find(model);
	if (!m)
		return NAN;
	struct run_stats stats;
	memset(&stats, 0, sizeof(stats));
	struct run_opts o = plan_run_opts(&ctx->plan, workers);
	struct external_opts x = plan_external_opts(&ctx->plan);
	x.compute_kind = k->name;
	o.stats = &stats;
	struct measurement me;
	batch_reset_results(b);
	if (measure_run(m, b, &o, &x, &me) != 0 || me.model_rc != 0)
		return NAN;
	for (size_t i = 0; i < b->n; i++)
		if (b->results[i].kind != RESULT_OK)
			return NAN;
	if (ref) {
		struct verify_report rep;
		verify_results(ref, b, &rep);
		if (!verify_ok(&rep))
			return NAN;
	}
	*busy = (me.usage.user_s + me.usage.system_s) / me.wall_s;
	return me.wall_s;
}

/* The reference of kind k's batch: the kernel's, computed by the C
 * sequential model, or the same kind computed by py-sequential. NULL when
 * it could not be made. */
static struct batch *py_reference(const struct lesson_ctx *ctx,
				  const struct py_kind *k,
				  const struct workload_spec *spec)
{
	struct batch *ref = workload_build(spec);
	const char *model = k->kernel ? "sequential" : "py-sequential";
	double busy;
	if (ref && isnan(py_run_kind(ctx, model, k, ref, NULL, 1, &busy))) {
		batch_free(ref);
		return NULL;
	}
	return ref;
}

/* Runs kind k with 1 and 2 threads in turn, reps times each. */
static void py_measure_kind(const struct lesson_ctx *ctx,
			    const struct py_kind *k, int reps,
			    struct py_row *row)
{
	memset(row, 0, sizeof(*row));
	struct workload_spec spec = {.type = TASK_COMPUTE,
				     .tasks = (size_t)ctx->plan.tasks,
				     .work = k->units * ctx->plan.py_work};
	struct batch *b = workload_build(&spec);
	struct batch *ref = b ? py_reference(ctx, k, &spec) : NULL;
	row->ok = ref != NULL;
	for (int r = 0; row->ok && r < reps && r < PY_REPS_MAX; r++)
		for (int c = 0; c < 2 && row->ok; c++) {
			double busy = NAN;
			double t = py_run_kind(ctx, "py-threads", k, b, ref,
					       c + 1, &busy);
			row->ok = !isnan(t);
			row->wall[c][row->n[c]++] = t;
			if (c == 1)
				row->busy[r] = busy;
		}
	batch_free(b);
	batch_free(ref);
	double worst = 0;
	for (int c = 0; c < 2; c++) {
		row->median[c] = py_median(row->wall[c], row->n[c]);
		double lo = INFINITY, hi = 0;
		for (int i = 0; i < row->n[c]; i++) {
			lo = fmin(lo, row->wall[c][i]);
			hi = fmax(hi, row->wall[c][i]);
		}
		worst = fmax(worst, hi / lo);
	}
	row->spread = worst;
	row->speedup = row->median[0] / row->median[1];
	row->cores = py_median(row->busy, row->n[1]);
}

/* pythreads.csv beside the set: every timed run of the kinds measured
 * here (the pure-Python kind is the set's own runs.csv). */
static void py_save(const char *dir, const struct py_row *rows)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/pythreads.csv", dir);
	struct file_replace out = {0};
	if (file_replace_open(&out, path) != 0)
		return;
	fprintf(out.f, "workload,model,workers,rep,wall_s,verified\n");
	for (int k = 1; k < PY_N_KINDS; k++)
		for (int c = 0; c < 2; c++)
			for (int i = 0; i < rows[k].n[c]; i++)
				fprintf(out.f, "%s,py-threads,%d,%d,%.6f,%d\n",
					py_kinds[k].name, c + 1, i,
					rows[k].wall[c][i], rows[k].ok);
	file_replace_commit(&out);
}

/* Why kind k went as it did, in words. */
static void py_say_kind(const struct py_kind *k, const struct py_row *row,
			double switch_ms, bool gil, int cores)
{
	static const char *const why[] = {
		"Only the thread holding the GIL runs Python bytecode; the "
		"other waits, and gets the lock when the holder gives it up "
		"after the switch interval (%.0f ms here, "
		"sys.getswitchinterval()). Two threads take turns on one "
		"core's worth of work.",
		"hashlib lets go of the GIL while it hashes a buffer of more "
		"than 2 KiB, so while one thread hashes the other runs: 2 "
		"cores hash at once.",
		"zlib lets go of the GIL while deflate runs, so 2 threads "
		"compress on 2 cores.",
		"ctypes.CDLL lets go of the GIL around every call into C, so "
		"2 threads run the C loop on 2 cores: the way to write your "
		"own parallel C for Python.",
		"ctypes.PyDLL keeps the GIL during the call (it is meant for "
		"C that uses Python's own API). The C loop is the same as "
		"CDLL's; only the lock differs, and 2 threads take turns.",
	};
	int i = (int)(k - py_kinds);
	char said[400];
	if (i == 0)
		snprintf(said, sizeof(said), why[0], switch_ms);
	else
		snprintf(said, sizeof(said), "%s", why[i]);
	if (!gil && k->holds_gil)
		snprintf(said, sizeof(said),
			 "this Python has no GIL (a free-threaded build), so "
			 "nothing makes the threads take turns: they compute "
			 "on 2 cores.");
	/* A run that contradicts the mechanism says why it can. */
	const char *but = "";
	if (gil && k->holds_gil && row->speedup > 1.3)
		but = " This run's figure is more than one lock allows: the "
		      "1-thread runs were slowed by something else (see the "
		      "judgement above).";
	else if (!k->holds_gil && cores > 1 && row->speedup < 1.5)
		but = " This run's figure is less than 2 cores give: they "
		      "were not both free (see the judgement above).";
	lesson_say("%s, %.2fx: %s%s", k->name, row->speedup, said, but);
}

/* The kinds side by side. "cores": CPU time over wall time with 2
 * threads, well above 1 only when both ran at once (whatever the load
 * did to the wall times, a held GIL keeps it near 1 or below; the CPU
 * time includes the interpreter's start-up, the wall time does not). */
static void py_table(const struct py_row *rows)
{
	printf("  %-8s %-38s %8s %8s %8s %6s\n", "kind", "each task", "1 thr s",
	       "2 thr s", "speedup", "cores");
	for (int k = 0; k < PY_N_KINDS; k++)
		printf("  %-8s %-38s %8.3f %8.3f %7.2fx %6.2f%s\n",
		       py_kinds[k].name, py_kinds[k].what, rows[k].median[0],
		       rows[k].median[1], rows[k].speedup, rows[k].cores,
		       rows[k].ok ? "" : "  (did not run or results differ)");
	printf("  cores: CPU time over wall time with 2 threads (the "
	       "interpreter's start-up included)\n");
}

/* The GIL model, the interpreter, and what it all means. */
static void py_say_gil(const struct lesson_ctx *ctx, double switch_ms,
		       double gil, const struct py_row *rows)
{
	lesson_say("concur's gil model is this lock in C: compute holds it "
		   "and gives it up every %g ms (o->gil.switch_interval_ms, "
		   "`concur run --models gil --switch-interval MS`), I/O "
		   "lets go of it. To the GIL, hashing, compressing and a "
		   "CDLL call are like I/O: work done without the lock.",
		   ctx->plan.switch_interval_ms);
	if (gil == 0)
		lesson_say("This Python is a free-threaded build "
			   "(sys._is_gil_enabled() is False): there is no "
			   "GIL, so pure Python scaled too (%.2fx), and "
			   "PyDLL's turn-taking is gone (%.2fx).",
			   rows[0].speedup, rows[4].speedup);
	else
		lesson_say("This Python has the GIL (switch interval %.0f ms). "
			   "So: threads do run in parallel in Python, as long "
			   "as the heavy part is C that lets go of the lock; "
			   "for pure-Python compute use processes (lesson 5), "
			   "or a free-threaded Python (python3.13t).",
			   switch_ms);
}

/* Fails the judgement when hashlib's 2 threads did not get 2 cores or
 * its runs disagree. */
static void py_judge_hashlib(struct lesson_ctx *ctx, const struct py_row *h)
{
	double want = ctx->cores > 1 ? 2 : 1;
	if (!h->ok)
		judge_fail(ctx, false, "hashlib's runs did not all complete");
	else if (h->cores < JUDGE_CORES_SHARE * want)
		judge_fail(ctx, false,
			   "hashlib's 2 threads kept %.2f cores busy, not the "
			   "%.0f the claim needs",
			   h->cores, want);
	else if (h->spread > JUDGE_SPREAD_MAX)
		judge_fail(ctx, true,
			   "hashlib's runs differ by %.0f%% between the "
			   "fastest and the slowest",
			   (h->spread - 1) * 100);
}

static int py_explain(struct lesson_ctx *ctx, const struct sweep *s)
{
	const struct case_summary *one =
		lesson_case(s, "py-threads", TASK_COMPUTE, 1);
	const struct case_summary *two =
		lesson_case(s, "py-threads", TASK_COMPUTE, 2);
	if (!one || !two)
		return 1;
	struct py_row rows[PY_N_KINDS];
	memset(&rows[0], 0, sizeof(rows[0]));
	rows[0].ok = one->verified && two->verified;
	rows[0].median[0] = one->wall.median;
	rows[0].median[1] = two->wall.median;
	rows[0].speedup = one->wall.median / two->wall.median;
	rows[0].cores = (two->user_s + two->sys_s) / two->wall.median;
	lesson_heading("The same threads, other kinds of work");
	for (int k = 1; k < PY_N_KINDS; k++)
		py_measure_kind(ctx, &py_kinds[k], ctx->plan.repeat, &rows[k]);
	py_save(s->dir, rows);
	py_table(rows);
	py_judge_hashlib(ctx, &rows[1]);
	lesson_heading("What happened");
	double switch_ms =
		lesson_measured("switch_interval_ms",
				lesson_figure(s, "py-threads", TASK_COMPUTE, 2,
					      "switch_interval_ms"),
				"ms");
	double gil = lesson_measured(
		"gil_enabled",
		lesson_figure(s, "py-threads", TASK_COMPUTE, 2, "gil_enabled"),
		"");
	int bad = 0;
	for (int k = 0; k < PY_N_KINDS; k++) {
		char name[48];
		snprintf(name, sizeof(name), "speedup_%s", py_kinds[k].name);
		lesson_measured(name, rows[k].speedup, "x");
		py_say_kind(&py_kinds[k], &rows[k], switch_ms, gil != 0,
			    ctx->cores);
		bad += !rows[k].ok;
	}
	ctx->actual = rows[1].speedup;
	py_say_gil(ctx, switch_ms, gil, rows);
	if (ctx->judge.invalid)
		lesson_say("This machine was busy (load average %.1f): the "
			   "speed-ups above are what was left of 2 cores.",
			   judge_load());
	return bad ? 1 : 0;
}

static int pythreads_run(struct lesson_ctx *ctx)
{
	bool required;
	if (!lesson_python(ctx, &required))
		return required ? 1 : 0;
	static const char *const models[] = {"py-sequential", "py-threads",
					     NULL};
	struct run_plan *c = &ctx->plan;
	lesson_add_models(c, models);
	struct sweep s;
	int rc = lesson_sweep_judged(ctx, c, NULL, &s, pythreads_judge);
	if (rc == 0)
		rc = py_explain(ctx, &s);
	run_release(&s);
	return rc;
}

const struct lesson lesson_python_threads = {
	.title = "Python threads in parallel",
	.question = "when do CPython's threads use two cores?",
	.unit = "x",
	.plan = pythreads_plan,
	.run = pythreads_run,
	.judge = pythreads_judge,
};
