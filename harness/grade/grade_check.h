// SPDX-License-Identifier: MIT
/*
 * grade_check.h - the conformance half of a grade: every scenario
 * (scenarios.h) sent to the student's model in its contained host
 * (grade_host.h), and each verdict reached by the grader alone: a run
 * that ended before reporting every result (an exit, a signal, a time
 * limit) fails; the results it reported are checked against the grader's
 * own sequential reference (harness/run/verify.h). What the host says
 * about its run (the probes' findings, sanitizer reports on its stderr)
 * can fail a check and choose a hint; it never passes one.
 *
 * Errors: grade_conformance returns -1 when no scenario could be run at
 * all (the host missing); a model's failures are checks, not errors.
 */
#ifndef CONCUR_GRADE_CHECK_H
#define CONCUR_GRADE_CHECK_H

#include "common/shared.h"
#include "harness/grade/grade_sheet.h"

/* One check a scenario into g; g->failed and g->hints say the rest. */
int grade_conformance(struct grade *g);

/* The verdict on one host run of n tasks, into why (empty: it ran to
 * its end and reported every task); shared with the speed check. */
void grade_run_verdict(const struct host_report *rep, size_t n, char *why,
		       size_t len);

/* One run of `model` (--sync sync, C = workers) on b in host h, timed by the
 * grader from outside: its wall time, or NAN with why (it failed, a probe
 * spoke, it ended early); what the host reported into *rep (its claims
 * of time among them). */
double grade_timed_run_on(struct grade *g, const struct grade_host *h,
			  const char *model, enum shared_sync sync, int workers,
			  struct batch *b, struct host_report *rep, char *why,
			  size_t len);

#endif
