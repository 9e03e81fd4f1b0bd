// SPDX-License-Identifier: MIT
/*
 * grade_check.c - the conformance checks of a grade (grade_check.h): one
 * contained run a scenario, judged by the grader.
 */
#include "harness/grade/grade_check.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness/external/dispatch.h"
#include "harness/grade/scenarios.h"
#include "harness/run/verify.h"

void grade_run_verdict(const struct host_report *rep, size_t n, char *why,
		       size_t len)
{
	const struct contain_result *r = &rep->run;
	char how[160];
	why[0] = '\0';
	if (r->timed_out)
		snprintf(how, sizeof(how),
			 "timeout expired: still running after %.0f s",
			 r->wall_s);
	else if (r->cpu_limit)
		snprintf(how, sizeof(how),
			 "timeout expired: its CPU time "
			 "limit");
	else if (r->signal)
		snprintf(how, sizeof(how), "Received signal %d (%s)", r->signal,
			 strsignal(r->signal));
	else if (r->exit_status != 0)
		snprintf(how, sizeof(how), "Early exit with return value %d",
			 r->exit_status);
	else if (rep->first_missing < n || !rep->ended)
		snprintf(how, sizeof(how), "Early exit with return value 0");
	else if (r->leftovers)
		snprintf(how, sizeof(how),
			 "it left %u process(es) running after it ended "
			 "(killed by the grader)",
			 r->leftovers);
	else
		return;
	if (rep->first_missing < n)
		snprintf(why, len,
			 "the run ended before reporting task %zu of "
			 "%zu: %s",
			 rep->first_missing, n, how);
	else
		snprintf(why, len, "the run did not end well: %s", how);
}

/* The grader's own reference for b (its server, its sequential model),
 * compared with what the host reported. */
static void grade_against_reference(const struct batch *b, long timeout_ms,
				    const char *who, char *why, size_t len)
{
	struct verify_report rep = {0};
	struct batch *ref = verify_reference_batch(b, timeout_ms);
	struct run_opts o = run_opts_default();
	o.workers = 1;
	o.fetch.timeout_ms = timeout_ms;
	const struct model *seq = model_find("sequential");
	if (!ref || !seq || model_run(seq, ref, &o, NULL) != 0) {
		snprintf(why, len, "the grader could not run its reference");
		batch_free(ref);
		return;
	}
	verify_results(ref, b, &rep);
	batch_free(ref);
	if (!verify_ok(&rep) || rep.timing != 0) {
		snprintf(why, len, "%s: %zu wrong, %zu crashed, %zu timing; %s",
			 who, rep.wrong, rep.crashed, rep.timing,
			 rep.n_lines ? rep.lines[0] : "");
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		if (r->worker < 0 || r->end < r->start) {
			snprintf(why, len,
				 "%s: task %zu has no worker or runs "
				 "backwards",
				 who, i);
			return;
		}
	}
}

/* A failed check's evidence, as hint bits. */
static void grade_failed(struct grade *g, const char *name, const char *why)
{
	g->failed = true;
	unsigned hint = hints_classify(why);
	/* One worker cannot race with itself: a total wrong there is the
	 * sum, not the adding. */
	if (hint == HINT_LOST_UPDATES && strstr(name, "one worker"))
		hint = HINT_TALLY_SUM;
	g->hints |= hint;
}

/* One scenario: the contained run, then the grader's verdict. */
static void grade_scenario(struct grade *g, const struct scenario *sc)
{
	char name[160], who[256], why[1024] = "";
	snprintf(name, sizeof(name), "conformance: %s", sc->name);
	snprintf(who, sizeof(who), "%s on '%s'", g->model->name, sc->name);
	struct batch *b = scenario_batch(sc, g->base);
	struct run_opts o = run_opts_default();
	o.workers = sc->workers;
	o.fetch.timeout_ms = sc->timeout_ms;
	struct host_report rep;
	if (!b)
		snprintf(why, sizeof(why), "out of memory");
	else if (grade_host_run(&g->host, g->model->name, sc->name, b, &o,
				g->base, &rep) != 0)
		snprintf(why, sizeof(why), "the host could not start: %s",
			 rep.why);
	else if (rep.probe[0])
		snprintf(why, sizeof(why), "%s", rep.probe);
	else {
		grade_run_verdict(&rep, b->n, why, sizeof(why));
		if (!why[0])
			grade_against_reference(b, sc->timeout_ms, who, why,
						sizeof(why));
	}
	batch_free(b);
	grade_add(g, name, why[0] ? 0 : 1, 1, why[0] ? why : "passed");
	if (why[0])
		grade_failed(g, name, why);
	dprintf(g->host.log_fd, "%s: %s\n", name, why[0] ? why : "passed");
}

int grade_conformance(struct grade *g)
{
	size_t n;
	const struct scenario *all = scenarios_all(&n);
	size_t applies = 0;
	for (size_t k = 0; k < n; k++)
		applies += scenario_applies(g->model->flags, &all[k]) != 0;
	printf("conformance: %zu scenarios against %s, each in a contained "
	       "host\n",
	       applies, g->model->name);
	fflush(stdout);
	for (size_t k = 0; k < n; k++)
		if (scenario_applies(g->model->flags, &all[k]))
			grade_scenario(g, &all[k]);
	return 0;
}

double grade_timed_run_on(struct grade *g, const struct grade_host *h,
			  const char *model, enum shared_sync sync, int workers,
			  struct batch *b, struct host_report *rep, char *why,
			  size_t len)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.sync = sync; /* threads' strategy; an exercise's own is its code */
	why[0] = '\0';
	if (grade_host_run(h, model, NULL, b, &o, g->base, rep) != 0)
		snprintf(why, len, "the host could not start: %s", rep->why);
	else if (rep->probe[0])
		snprintf(why, len, "%s", rep->probe);
	else
		grade_run_verdict(rep, b->n, why, len);
	return why[0] ? NAN : rep->run.wall_s;
}
