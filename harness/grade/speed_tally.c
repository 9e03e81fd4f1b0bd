// SPDX-License-Identifier: MIT
/*
 * speed_tally.c - exercise 2's speed check (speed_tally.h): the student's
 * tally against the grader's own tallies, measured in the same run.
 *
 * Why it is built this way: on a fixed batch a padded tally's run took
 * 12-34 ms, mostly a contained host starting, so the same code scored 4.0
 * and then 3.5. Here the padded reference is run on a doubling batch
 * until one run lasts the target (calibration); every variant's batch is
 * then resized after each run to last about as long, so the start-up cost
 * weighs the same on all; the runs alternate (padded, student, packed,
 * padded, ...) so a neighbour's load falls on them alike; each round
 * gives ratios of CPU time an increment (which a CPU hog does not stretch
 * as it stretches wall time) to the padded run of that round, and the
 * grade is the median. Only a slow tally is raced against one atomic
 * counter and a mutex: its cause is the variant its time falls nearest.
 */
#include "harness/grade/speed_tally.h"

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/grade/grade_check.h"
#include "harness/grade/tally_ref.h"
#include "harness/base/stats.h"
#include "harness/run/workload.h"

#define TALLY_TASKS 8	    /* two a worker at C = 4 */
#define TALLY_ROUNDS 5	    /* padded, student, packed: medians of 5 */
#define TALLY_SLOW_ROUNDS 3 /* padded, atomic, mutex: only when slow */
#define TALLY_MAX_RUNS 8    /* ratios a variant keeps */

/* The variants, in the order a round runs them; the last two with one
 * worker. */
enum {
	PADDED,
	STUDENT,
	PACKED,
	ATOMIC,
	MUTEX,
	SOLO_PADDED,
	SOLO,
	VARIANTS
};

/* ---- The judge ---------------------------------------------------------- */

static double tally_midpoint(double a, double b)
{
	return sqrt(a * b); /* halfway on a log scale: ratios, not sums */
}

struct tally_verdict speed_tally_judge(const struct tally_slowdowns *s)
{
	struct tally_verdict v = {.cause = TALLY_FAST, .score = 1};
	v.false_sharing_shown = s->packed >= TALLY_FALSE_SHARING_SHOWN;
	v.fast_limit = TALLY_FAST_LIMIT;
	if (s->student < v.fast_limit)
		return v;
	if (isnan(s->atomic) || isnan(s->mutex)) {
		v.cause = TALLY_SLOW;
		v.score = 0.5;
		v.needs_slow_variants = true;
		return v;
	}
	/* Slower than padded slots, far faster than an atomic: no lock, no
	 * locked instruction, yet the cores wait for something, most likely
	 * a line they share. False sharing comes and goes with where the
	 * virtual CPUs run (on the 2-core VM the grader's packed slots ran at
	 * 0.5 to 1.0 of padded, and a student's at 0.5 to 0.9, round to
	 * round), so the grader's own packed slots need not have shown it in
	 * this run for it to be the likely cause. */
	double packed = fmax(s->packed, v.fast_limit);
	/* Alone, a tally that costs at most twice padded slots takes no
	 * lock and no locked instruction: its cost is contention for a
	 * line, however slow it was at C = 4 (false sharing at its worst is
	 * as slow as one atomic counter). */
	bool free_alone = !isnan(s->solo) && s->solo < TALLY_SOLO_LOCKED;
	if (free_alone || (isnan(s->solo) &&
			   s->student < tally_midpoint(packed, s->atomic))) {
		v.cause = TALLY_PACKED;
		v.score = 0.5;
	} else if (s->student < tally_midpoint(s->atomic, s->mutex)) {
		v.cause = TALLY_ATOMIC;
		v.score = 0.5;
	} else {
		v.cause = TALLY_LOCK;
		v.score = 0;
	}
	return v;
}

/* ---- One variant's runs ----------------------------------------------- */

/* A tally run one way: what runs where, its batch, its ratios. */
struct tally_variant {
	const char *model; /* TALLY_REF_MODEL, or the model graded */
	enum shared_sync sync;
	int workers; /* C: 4, or 1 where nothing contends */
	const struct grade_host *host;
	double per_task;	      /* increments a task, resized to the
					   target after each run */
	double last_per_inc;	      /* CPU s an increment, its last run */
	double last_s;		      /* how long its last run counted */
	double ratio[TALLY_MAX_RUNS]; /* over the round's padded run */
	size_t n;
};

/* The batch: TALLY_TASKS shared tasks of per_task increments each. */
static struct batch *tally_batch(const struct grade *g, double per_task)
{
	struct workload_spec spec = {
		.type = TASK_SHARED,
		.tasks = TALLY_TASKS,
		.work = 1,
		.base_url = g->base,
	};
	struct batch *b = workload_build(&spec);
	for (size_t i = 0; b && i < b->n; i++)
		b->tasks[i].work = (uint32_t)fmin(per_task, UINT32_MAX);
	return b;
}

/* Every task counted the batch's total: a speed run must be right too
 * (a tally that skips work when no scenario is named is not fast). */
static bool tally_counted_all(const struct batch *b, uint64_t total)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->results[i].kind != RESULT_OK ||
		    b->results[i].checksum != total)
			return false;
	return true;
}

/* What the reference's runs showed of this machine, whose word is the
 * grader's (no student code in its host): what starting a contained host
 * costs (its wall time less the run it reports: tens of ms on a quiet
 * machine, hundreds on a busy one) and what share of the run's wall time
 * its threads got a CPU for. */
struct tally_clock {
	double startup[64], cpu_share[64];
	size_t n;
};

static double tally_clock_median(const double *v, size_t n, double none)
{
	return n ? stats_spread(v, n).median : none;
}

/* The reference's run, noted. */
static void tally_clock_note(struct tally_clock *c, double wall, double said,
			     double cpu)
{
	if (c->n < 64 && said > 0 && said <= wall && cpu > 0) {
		c->startup[c->n] = wall - said;
		c->cpu_share[c->n++] = cpu / said;
	}
}

/* The CPU time a run took counting, every thread's: unlike the wall
 * time, a neighbour's load does not stretch it, so the ratios hold beside
 * a CPU hog. The reference's word is taken. The student's host reports
 * the same, but a claim is only believed when it is possible: a counting
 * time that leaves a start-up cost like the reference's, and a CPU time
 * not far below the reference's share of it. Else the grader's own clock
 * less the start-up cost, at the reference's CPU share. */
static double tally_cpu_s(const struct tally_clock *c, bool trusted,
			  double wall, const struct host_report *rep)
{
	if (trusted && rep->cpu_s > 0)
		return rep->cpu_s;
	double startup = tally_clock_median(c->startup, c->n, 0);
	double slowest = c->n ? stats_spread(c->startup, c->n).max : 0;
	double share = tally_clock_median(c->cpu_share, c->n, 1);
	double said = rep->run_s, cpu = rep->cpu_s;
	/* Beside a CPU hog a host's start-up swings from 0.1 to 2 s: the
	 * slowest the reference showed in this grade, and half again. */
	bool counted =
		said > 0 && said <= wall && wall - said <= 1.5 * slowest + 0.1;
	double counting = counted ? said : fmax(wall - startup, 1e-3);
	double cores = (double)sysconf(_SC_NPROCESSORS_ONLN);
	if (counted && cpu >= counting * share / 4 &&
	    cpu <= counting * cores + 0.01)
		return cpu;
	return counting * share;
}

/* One run of v, its batch resized for the next; 0, or -1 with why. */
static int tally_run(struct grade *g, struct tally_variant *v,
		     struct tally_clock *c, double target, char *why,
		     size_t len)
{
	struct batch *b = tally_batch(g, v->per_task);
	if (!b) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	uint64_t total = (uint64_t)b->tasks[0].work * b->n;
	struct host_report rep;
	double wall = grade_timed_run_on(g, v->host, v->model, v->sync,
					 v->workers, b, &rep, why, len);
	/* Killed with no limit reached, or any failure of the reference:
	 * on a machine loaded past 15 the containment's init was seen to end
	 * before it reported (SIGKILL, or an early exit 0). Not the model's
	 * doing: run it once more. */
	bool trusted = v->host == &g->ref; /* its failures are never its own */
	if (isnan(wall) &&
	    (trusted || (rep.run.signal == SIGKILL && !rep.run.timed_out &&
			 !rep.run.cpu_limit)))
		wall = grade_timed_run_on(g, v->host, v->model, v->sync,
					  v->workers, b, &rep, why, len);
	if (!isnan(wall) && !tally_counted_all(b, total))
		snprintf(why, len,
			 "%s on the speed batch: the total is not the %llu "
			 "increments made",
			 v->model, (unsigned long long)total);
	batch_free(b);
	if (why[0])
		return -1;
	if (trusted)
		tally_clock_note(c, wall, rep.run_s, rep.cpu_s);
	v->last_per_inc = tally_cpu_s(c, trusted, wall, &rep) / (double)total;
	/* The batch is sized by the wall time a run keeps us waiting. */
	v->last_s = trusted ? rep.run_s
			    : wall - tally_clock_median(c->startup, c->n, 0);
	if (v->last_s > 2 * target || v->last_s < target / 2)
		v->per_task = fmax(1000, v->per_task * target /
						 fmax(v->last_s, 1e-3));
	return 0;
}

/* The padded reference, its batch grown until one run counts for the
 * target. */
static int tally_calibrate(struct grade *g, struct tally_variant *padded,
			   struct tally_clock *c, double target, char *why,
			   size_t len)
{
	padded->per_task = 1e6;
	for (int k = 0; k < 12; k++) {
		double before = padded->per_task;
		if (tally_run(g, padded, c, target, why, len) != 0)
			return -1;
		if (padded->last_s >= target / 2)
			return 0;
		padded->per_task =
			before * fmin(16, fmax(2, target / padded->last_s));
	}
	return 0;
}

/* One round: the padded reference, then each of `others` (NULL-ended),
 * each a ratio to that padded run. */
static int tally_round(struct grade *g, struct tally_variant *padded,
		       struct tally_variant **others, struct tally_clock *c,
		       double target, char *why, size_t len)
{
	if (tally_run(g, padded, c, target, why, len) != 0)
		return -1;
	for (; *others; others++) {
		struct tally_variant *v = *others;
		if (tally_run(g, v, c, target, why, len) != 0)
			return -1;
		if (v->n < TALLY_MAX_RUNS)
			v->ratio[v->n++] =
				v->last_per_inc / padded->last_per_inc;
	}
	return 0;
}

static double tally_median(const struct tally_variant *v)
{
	return v->n ? stats_spread(v->ratio, v->n).median : NAN;
}

static double tally_worst(const struct tally_variant *v)
{
	return v->n ? stats_spread(v->ratio, v->n).max : NAN;
}

/* ---- The check ------------------------------------------------------- */

static const char *const tally_cause_text[] = {
	[TALLY_FAST] = "as fast as padded slots",
	[TALLY_PACKED] = "most likely false sharing: no lock, no atomic",
	[TALLY_ATOMIC] = "like the grader's one atomic counter",
	[TALLY_LOCK] = "like the grader's mutex around each increment",
	[TALLY_SLOW] = "slower than padded slots, like none of the grader's",
};

static const unsigned tally_cause_hint[] = {
	[TALLY_FAST] = 0,
	[TALLY_PACKED] = HINT_TALLY_PACKED,
	[TALLY_ATOMIC] = HINT_TALLY_ATOMIC,
	[TALLY_LOCK] = HINT_TALLY_LOCK,
	[TALLY_SLOW] = HINT_SLOW_TALLY,
};

/* The check's output: the ratio, what it was measured against, why. */
static void tally_say(const struct grade *g, const struct tally_slowdowns *s,
		      const struct tally_verdict *v, size_t rounds,
		      double per_task, char *out, size_t len)
{
	int n = snprintf(
		out, len,
		"speed ratio %.2f (median of %zu rounds of the grader's padded "
		"slots and %s in turn, CPU time an increment, the padded run "
		"%.0f M increments; 1.00 = as fast); the grader's packed "
		"slots: %.2f (%.2f in its worst round)",
		1 / s->student, rounds, g->model->name,
		per_task * TALLY_TASKS / 1e6, 1 / s->packed,
		1 / s->packed_worst);
	if (!isnan(s->atomic) && n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n,
			      ", one atomic counter: %.3f, a mutex: %.3f",
			      1 / s->atomic, 1 / s->mutex);
	if (n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n,
			      "; full score from %.2f; %s", 1 / v->fast_limit,
			      tally_cause_text[v->cause]);
	if (v->cause == TALLY_FAST && !v->false_sharing_shown && n > 0 &&
	    (size_t)n < len)
		snprintf(out + n, len - (size_t)n,
			 "; this machine did not show false sharing (the "
			 "grader's packed slots not clearly slower than its "
			 "padded ones), so it cannot tell the two layouts "
			 "apart");
}

/* The rounds, then the slow variants when the student is slow. */
static int tally_measure(struct grade *g, struct tally_variant *var,
			 double target, size_t rounds, char *why, size_t len)
{
	struct tally_variant *first[] = {&var[STUDENT], &var[PACKED], NULL};
	struct tally_variant *slow[] = {&var[ATOMIC], &var[MUTEX], NULL};
	struct tally_clock c = {.n = 0};
	if (tally_calibrate(g, &var[PADDED], &c, target, why, len) != 0)
		return -1;
	/* First sizes, resized after each run: the student's from a probe
	 * of a sixteenth (a mutex answer is 100 times slower than padded
	 * slots), the slow variants' guessed from the 2-core VM's. */
	var[STUDENT].per_task = var[PADDED].per_task / 16;
	if (tally_run(g, &var[STUDENT], &c, target, why, len) != 0)
		return -1;
	var[PACKED].per_task = var[PADDED].per_task;
	var[ATOMIC].per_task = var[PADDED].per_task / 16;
	var[MUTEX].per_task = var[PADDED].per_task / 64;
	for (size_t r = 0; r < rounds; r++)
		if (tally_round(g, &var[PADDED], first, &c, target, why, len) !=
		    0)
			return -1;
	struct tally_slowdowns s = {tally_median(&var[STUDENT]),
				    tally_median(&var[PACKED]),
				    tally_worst(&var[PACKED]),
				    NAN,
				    NAN,
				    NAN};
	if (!speed_tally_judge(&s).needs_slow_variants)
		return 0;
	/* One worker, where nothing contends: a locked instruction or a
	 * lock still costs; a shared line (false sharing) does not. */
	struct tally_variant *solo[] = {&var[SOLO], NULL};
	var[SOLO_PADDED].per_task = var[PADDED].per_task / 2;
	var[SOLO].per_task = var[STUDENT].per_task / 2;
	for (size_t r = 0; r < (rounds < 3 ? rounds : TALLY_SLOW_ROUNDS); r++)
		if (tally_round(g, &var[PADDED], slow, &c, target, why, len) !=
			    0 ||
		    tally_round(g, &var[SOLO_PADDED], solo, &c, target, why,
				len) != 0)
			return -1;
	return 0;
}

void speed_tally_check(struct grade *g, const char *name)
{
	bool quick = g->quick || g->host.sanitized;
	double target = quick ? TALLY_QUICK_TARGET_S : TALLY_TARGET_S;
	size_t rounds = quick ? 3 : TALLY_ROUNDS;
	struct tally_variant var[VARIANTS] = {
		[PADDED] = {TALLY_REF_MODEL, SYNC_SHARDED_PADDED, 4, &g->ref},
		[STUDENT] = {g->model->name, SYNC_SHARDED_PADDED, 4, &g->host},
		[PACKED] = {TALLY_REF_MODEL, SYNC_SHARDED_PACKED, 4, &g->ref},
		[ATOMIC] = {TALLY_REF_MODEL, SYNC_ATOMIC, 4, &g->ref},
		[MUTEX] = {TALLY_REF_MODEL, SYNC_MUTEX, 4, &g->ref},
		[SOLO_PADDED] = {TALLY_REF_MODEL, SYNC_SHARDED_PADDED, 1,
				 &g->ref},
		[SOLO] = {g->model->name, SYNC_SHARDED_PADDED, 1, &g->host},
	};

	char why[512], out[1024];
	if (tally_measure(g, var, target, rounds, why, sizeof(why)) != 0) {
		grade_add(g, name, 0, 1, why);
		g->failed = true;
		g->hints |= hints_classify(why);
		return;
	}
	struct tally_slowdowns s = {
		tally_median(&var[STUDENT]), tally_median(&var[PACKED]),
		tally_worst(&var[PACKED]),   tally_median(&var[ATOMIC]),
		tally_median(&var[MUTEX]),   tally_median(&var[SOLO])};
	struct tally_verdict v = speed_tally_judge(&s);
	tally_say(g, &s, &v, rounds, var[PADDED].per_task, out, sizeof(out));
	grade_add(g, name, v.score, 1, out);
	printf("  %s: %s\n", name, out);
	g->hints |= tally_cause_hint[v.cause];
}
