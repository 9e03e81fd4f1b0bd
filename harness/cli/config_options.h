// SPDX-License-Identifier: MIT
/*
 * config_options.h - the options of `concur run` as a user meets them: the
 * --help text, and the long-option table getopt reads them by. Adding an
 * option takes one line in each, one OPT_ id below, and its value's check
 * in config_values.c.
 *
 * Errors: none; these are constants and a print.
 */
#ifndef CONCUR_CONFIG_OPTIONS_H
#define CONCUR_CONFIG_OPTIONS_H

#include <getopt.h>

/* What getopt_long returns for each option (past any single character). */
enum config_opt {
	OPT_MODELS = 256,
	OPT_WORKLOADS,
	OPT_WORKERS,
	OPT_TASKS,
	OPT_DELAY,
	OPT_BYTES,
	OPT_WORK,
	OPT_PY_WORK,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_CPU_WORKERS,
	OPT_SWITCH,
	OPT_CORO_SWITCH,
	OPT_STACK_KIB,
	OPT_BLOCK_MS,
	OPT_BLOCK_IN,
	OPT_SYNC,
	OPT_BACKEND,
	OPT_URL_FILE,
	OPT_SERVER,
	OPT_REPEAT,
	OPT_WARMUP,
	OPT_OUT,
	OPT_LABEL,
	OPT_NO_PLOT,
	OPT_NO_REPORT,
	OPT_PLOT,
	OPT_PYTHON,
	OPT_PY_START,
	OPT_MODEL_TIMEOUT,
	OPT_BASELINE,
	OPT_TRACE,
	OPT_QUIET,
	OPT_HOSTS,
	OPT_HOSTFILE,
	OPT_LISTEN,
	OPT_SKEW,
	OPT_ARRIVAL,
	OPT_RATE,
	OPT_ARRIVAL_DIST,
	OPT_SEED,
	OPT_HELP
};

/* getopt_long's table, ending in a zero row. */
extern const struct option config_options[];

/* Prints `concur run --help`. */
void config_usage(void);

#endif
