// SPDX-License-Identifier: MIT
/*
 * config.c - the options of `concur run`, parsed once into a plan
 * (harness/run/plan.h, which has the defaults): the getopt loop and the
 * checks that need two options at once. The options and their --help
 * text are in config_options.c, each value's check in config_values.c.
 */
#include "harness/cli/config.h"

#include <getopt.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/cli/config_options.h"
#include "harness/cli/config_values.h"
#include "models/loop_backend.h"

/* select's bitmaps end at FD_SETSIZE: a C the loop could not watch is
 * bad usage, said before anything runs (models/loop_backend.h). */
static int config_select_fits(const struct run_plan *c)
{
	for (size_t i = 0;
	     c->backend == LOOP_BACKEND_SELECT && i < c->n_workers; i++)
		if (c->workers[i] > LOOP_SELECT_MAX_TRANSFERS) {
			cli_error("--backend select: C = %d is above %d "
				  "(select watches descriptors below %d "
				  "only); use poll or epoll",
				  c->workers[i], LOOP_SELECT_MAX_TRANSFERS,
				  FD_SETSIZE);
			return -1;
		}
	return 0;
}

int config_parse_run(int argc, char **argv, struct run_plan *c)
{
	plan_defaults(c);
	if (config_models(c, "all") != 0)
		return -1;
	c->cmdline = cli_join_args(argc, argv);
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, ":", config_options, NULL)) !=
	       -1) {
		if (opt == OPT_HELP) {
			config_usage();
			return 1;
		}
		if (opt == '?') {
			cli_error("run: unknown option '%s' (see concur run "
				  "--help)",
				  argv[optind - 1]);
			return -1;
		}
		if (opt == ':') {
			cli_error("run: option '%s' needs a value",
				  argv[optind - 1]);
			return -1;
		}
		if (config_option(opt, optarg, c) != 0)
			return -1;
	}
	if (optind < argc) {
		cli_error("run: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (c->url_file && c->server_url) {
		cli_error("--url-file and --server cannot be used together");
		return -1;
	}
	if (c->hosts && c->hostfile) {
		cli_error("--hosts and --hostfile cannot be used together");
		return -1;
	}
	if (c->listen && (c->url_file || c->server_url)) {
		cli_error("--listen is for the embedded server: not with "
			  "--url-file or --server");
		return -1;
	}
	if (c->url_file && access(c->url_file, R_OK) != 0) {
		cli_error("--url-file: cannot read '%s'", c->url_file);
		return -1;
	}
	if (c->open_loop != (c->rate > 0)) {
		cli_error(c->open_loop ? "--arrival open needs --rate R"
				       : "--rate is for --arrival open");
		return -1;
	}
	if (config_select_fits(c) != 0)
		return -1;
	if (c->py_work == 0)
		c->py_work = c->work;
	return 0;
}
