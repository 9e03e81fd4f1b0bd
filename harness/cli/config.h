// SPDX-License-Identifier: MIT
/*
 * config.h - the options of `concur run`, checked once, before anything is
 * measured, into run/'s plan (harness/run/plan.h).
 */
#ifndef CONCUR_CONFIG_H
#define CONCUR_CONFIG_H

#include "harness/run/plan.h"

/* Fills p from `concur run` arguments (argv[0] is "run"). Returns 0, 1 when
 * --help was printed, or -1 after one line on stderr (exit 2). */
int config_parse_run(int argc, char **argv, struct run_plan *p);

#endif
