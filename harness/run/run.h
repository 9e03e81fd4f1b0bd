// SPDX-License-Identifier: MIT
/* run.h - `concur run`, the sweep; see run.c. */
#ifndef CONCUR_RUN_H
#define CONCUR_RUN_H

#include "common/options.h"
#include "harness/run/plan.h"
#include "harness/run/sweep.h"

/* `concur run ...` (argv[0] is "run"); returns the exit status. */
int run_main(int argc, char **argv);

/* Runs the whole comparison for a parsed config: server, references,
 * sweep, files, table, plots. The sweep's records and cases stay in *s for
 * the caller (a lesson reads them) until run_release(). Returns the exit
 * status `concur run` would give. */
int run_execute(struct run_plan *c, struct sweep *s);
void run_release(struct sweep *s);

/* Checks that every chosen model can run here (external ones need their
 * interpreter); 0, or -1 after one line. */
int run_check_models(struct run_plan *c);

#endif
