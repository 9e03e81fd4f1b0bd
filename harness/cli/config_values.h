// SPDX-License-Identifier: MIT
/*
 * config_values.h - one option of `concur run` at a time: its value
 * checked (range, list, name) and stored in the plan (harness/run/plan.h).
 *
 * Errors: every function returns 0, or -1 after one line on stderr naming
 * the option and the value (the caller exits 2).
 */
#ifndef CONCUR_CONFIG_VALUES_H
#define CONCUR_CONFIG_VALUES_H

#include "harness/run/plan.h"

/* --models: "all" (every model but the exercises) or a list of names. */
int config_models(struct run_plan *c, const char *text);

/* The option getopt_long returned as opt (an OPT_ of config_options.h),
 * with its argument (NULL when it takes none). */
int config_option(int opt, const char *arg, struct run_plan *c);

#endif
