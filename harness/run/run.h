// SPDX-License-Identifier: MIT
/* run.h - a plan carried out: the sweep and its result set; see run.c. */
#ifndef CONCUR_RUN_H
#define CONCUR_RUN_H

#include "common/options.h"
#include "harness/run/plan.h"
#include "harness/run/sweep.h"

/* Runs the whole comparison for a plan: server, references, sweep, table,
 * files (the plots are the caller's: s->finished says the set is whole).
 * The sweep's records and cases stay in *s for the caller (a lesson reads
 * them) until run_release(). Returns the exit status `concur run` would
 * give. */
int run_execute(struct run_plan *c, struct sweep *s);
void run_release(struct sweep *s);

/* Checks that every chosen model can run here (external ones need their
 * interpreter); 0, or -1 after one line. */
int run_check_models(struct run_plan *c);

#endif
