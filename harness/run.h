// SPDX-License-Identifier: MIT
/* run.h - `concur run`, the sweep; see run.c. */
#ifndef CONCUR_RUN_H
#define CONCUR_RUN_H

#include "common/options.h"
#include "harness/config.h"

/* `concur run ...` (argv[0] is "run"); returns the exit status. */
int run_main(int argc, char **argv);

/* The run_opts a model gets for this config at C = workers. */
struct run_opts run_opts_for(const struct run_config *c, int workers);

/* Checks that every chosen model can run here (external ones need their
 * interpreter); 0, or -1 after one line. */
int run_check_models(struct run_config *c);

#endif
