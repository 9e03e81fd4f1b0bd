// SPDX-License-Identifier: MIT
/*
 * config.c - the options of `concur run`, parsed once: the defaults, the
 * getopt loop, the checks that need two options at once, and the
 * run_opts a model gets. The options and their --help text are in
 * config_options.c, each value's check in config_values.c.
 */
#include "harness/cli/config.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/cli/config_options.h"
#include "harness/cli/config_values.h"

void config_defaults(struct run_config *c)
{
	memset(c, 0, sizeof(*c));
	c->workloads[0] = TASK_FETCH;
	c->workloads[1] = TASK_COMPUTE;
	c->n_workloads = 2;
	c->workers[0] = 1;
	c->workers[1] = 4;
	c->workers[2] = 16;
	c->n_workers = 3;
	c->tasks = 40;
	c->delay_ms = 50;
	c->bytes = 1024;
	c->work = 10;
	c->timeout_ms = 10000;
	c->connect_timeout_ms = 5000;
	c->repeat = 3;
	c->warmup = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->cpu_workers = cores > 0 ? (int)cores : 1;
	c->switch_interval_ms = 5.0;
	c->out_dir = "results";
	c->plot = true;
	c->skew_seed = 1;
	c->report = true;
}

int config_parse_run(int argc, char **argv, struct run_config *c)
{
	config_defaults(c);
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
	if (c->py_work == 0)
		c->py_work = c->work;
	return 0;
}

struct run_opts config_run_opts(const struct run_config *c, int workers)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.hybrid.cpu_workers = c->cpu_workers;
	o.gil.switch_interval_ms = c->switch_interval_ms;
	o.fetch.timeout_ms = c->timeout_ms;
	o.fetch.connect_timeout_ms = c->connect_timeout_ms;
	o.trace = c->trace;
	o.sync = c->sync;
	return o;
}

struct external_opts config_external_opts(const struct run_config *c)
{
	struct external_opts x = {.model_timeout_s = c->model_timeout_s,
				  .python = c->python,
				  .start_method = c->py_start,
				  .hosts = c->hosts,
				  .hostfile = c->hostfile};
	return x;
}

bool config_has_external(const struct run_config *c)
{
	for (size_t i = 0; i < c->n_models; i++)
		if (c->models[i]->flags & MODEL_EXTERNAL)
			return true;
	return false;
}
