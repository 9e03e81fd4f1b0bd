// SPDX-License-Identifier: MIT
/* config.c - parsing and checking the options of `concur run`. */
#include "harness/cli/config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/cli/cluster.h"

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

void config_usage(void)
{
	printf("usage: concur run [options]\n"
	       "Runs the same batch under each model, verifies every result\n"
	       "against a sequential reference, and reports the measurements.\n"
	       "\n"
	       "What to run:\n"
	       "  --models all|LIST     models to compare (default all; see "
	       "`concur models`)\n"
	       "  --workloads LIST      fetch, compute, mixed, shared "
	       "(default fetch,compute)\n"
	       "  --workers LIST        concurrency C: 1,2,4 or 1-64x2 "
	       "(default "
	       "1,4,16)\n"
	       "  --tasks N             tasks per batch (default 40)\n"
	       "  --delay MS            server delay of every fetch (default "
	       "50)\n"
	       "  --bytes N             body size of every fetch (default "
	       "1024)\n"
	       "  --work UNITS          kernel units per compute task, ~1 ms "
	       "each "
	       "(default 10);\n"
	       "                        shared: 10,000 increments each\n"
	       "  --py-work UNITS       units for the py-* models (default: "
	       "--work)\n"
	       "  --timeout MS          whole-transfer timeout (default "
	       "10000)\n"
	       "  --connect-timeout MS  connect timeout (default 5000)\n"
	       "  --cpu-workers N       hybrid's compute pool (default: "
	       "cores)\n"
	       "  --switch-interval MS  gil's switch interval (default 5)\n"
	       "  --sync HOW            how shared tasks keep their counter "
	       "right: mutex\n"
	       "                        (default), none (the race), spin, "
	       "atomic, sharded,\n"
	       "                        sharded-packed, sharded-padded, "
	       "deadlock, ordered\n"
	       "  --skew[=SEED]         uneven task costs: work and delays "
	       "drawn from a Pareto\n"
	       "                        (shape 1.5, seed 1), the same total\n"
	       "Beyond one machine (the MPI models):\n"
	       "  --hosts H:S,...       hosts and their slots, for mpirun "
	       "--host\n"
	       "  --hostfile FILE       or mpirun's hostfile\n"
	       "  --listen ADDR         the embedded server's address "
	       "(default 127.0.0.1);\n"
	       "                        one every host can reach\n"
	       "Where the URLs come from (default: the embedded server):\n"
	       "  --url-file FILE       one URL a line, # comments\n"
	       "  --server URL          a concur server already running\n"
	       "How to measure and report:\n"
	       "  --repeat R            measured runs per case (default 3)\n"
	       "  --warmup W            unmeasured runs first (default 0)\n"
	       "  --out DIR             where result sets go (default "
	       "results)\n"
	       "  --label NAME          name of the result set (default: the "
	       "workloads)\n"
	       "  --no-plot             do not draw the plots (nor "
	       "report.html)\n"
	       "  --no-report           do not write report.html\n"
	       "  --baseline HOW        how the sequential baseline is timed: "
	       "full, sample\n"
	       "                        (the first tasks, scaled), none, or "
	       "auto (default: full\n"
	       "                        when asked for in --models or under "
	       "5 s, else sample)\n"
	       "  --python PATH         the Python for the py-* models\n"
	       "  --py-start METHOD     how py-processes starts its workers: "
	       "fork, spawn or\n"
	       "                        forkserver (default: this Python's "
	       "own default)\n"
	       "  --model-timeout S     a run's time limit, every model "
	       "(default: 10x its ideal\n"
	       "                        + a fetch timeout + 10 s; 30 s for "
	       "py-*); past it the\n"
	       "                        watchdog kills the run, the sweep "
	       "goes on, exit 1\n"
	       "  --trace               one line per task event on stderr\n"
	       "  --quiet               no progress\n"
	       "Exit status: 0 done, 1 a result differs from the reference or "
	       "a "
	       "worker crashed, 2 bad usage.\n");
}

/* --baseline auto|full|sample|none. */
static int config_baseline(struct run_config *c, const char *text)
{
	static const char *const names[] = {"auto", "full", "sample", "none"};
	for (int i = 0; i < 4; i++)
		if (strcmp(text, names[i]) == 0) {
			c->baseline = (enum baseline_mode)i;
			return 0;
		}
	cli_error("--baseline: '%s' is not one of auto, full, sample, none",
		  text);
	return -1;
}

/* --models: "all" or a list of registered names. */
static int config_models(struct run_config *c, const char *text)
{
	size_t count;
	const struct model *const *all = model_list(&count);
	c->n_models = 0;
	c->models_all = strcmp(text, "all") == 0;
	if (c->models_all) {
		for (size_t i = 0; i < count && i < CONFIG_MAX_MODELS; i++)
			if (!(all[i]->flags & MODEL_EXERCISE))
				c->models[c->n_models++] = all[i];
		return 0;
	}
	char copy[512];
	const char *items[CONFIG_MAX_MODELS];
	size_t n;
	if (cli_split("--models", text, copy, sizeof(copy), items,
		      CONFIG_MAX_MODELS, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct model *m = model_find(items[i]);
		if (!m) {
			cli_error("--models: unknown model '%s' (valid: all, "
				  "%s)",
				  items[i], model_names());
			return -1;
		}
		for (size_t j = 0; j < c->n_models; j++)
			if (c->models[j] == m) {
				cli_error("--models: '%s' is listed twice",
					  items[i]);
				return -1;
			}
		c->models[c->n_models++] = m;
	}
	return 0;
}

static int config_workloads(struct run_config *c, const char *text)
{
	char copy[128];
	const char *items[8];
	size_t n;
	if (cli_split("--workloads", text, copy, sizeof(copy), items, 8, &n) !=
	    0)
		return -1;
	c->n_workloads = 0;
	for (size_t i = 0; i < n; i++) {
		enum task_type t;
		if (strcmp(items[i], "fetch") == 0)
			t = TASK_FETCH;
		else if (strcmp(items[i], "compute") == 0)
			t = TASK_COMPUTE;
		else if (strcmp(items[i], "mixed") == 0)
			t = TASK_MIXED;
		else if (strcmp(items[i], "shared") == 0)
			t = TASK_SHARED;
		else {
			cli_error("--workloads: unknown workload '%s' (valid: "
				  "fetch, compute, mixed, shared)",
				  items[i]);
			return -1;
		}
		for (size_t j = 0; j < c->n_workloads; j++)
			if (c->workloads[j] == t) {
				cli_error("--workloads: '%s' is listed twice",
					  items[i]);
				return -1;
			}
		c->workloads[c->n_workloads++] = t;
	}
	return 0;
}

enum {
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
	OPT_SYNC,
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
	OPT_HELP
};

static const struct option config_options[] = {
	{"models", required_argument, 0, OPT_MODELS},
	{"workloads", required_argument, 0, OPT_WORKLOADS},
	{"workers", required_argument, 0, OPT_WORKERS},
	{"tasks", required_argument, 0, OPT_TASKS},
	{"delay", required_argument, 0, OPT_DELAY},
	{"bytes", required_argument, 0, OPT_BYTES},
	{"work", required_argument, 0, OPT_WORK},
	{"py-work", required_argument, 0, OPT_PY_WORK},
	{"timeout", required_argument, 0, OPT_TIMEOUT},
	{"connect-timeout", required_argument, 0, OPT_CONNECT_TIMEOUT},
	{"cpu-workers", required_argument, 0, OPT_CPU_WORKERS},
	{"switch-interval", required_argument, 0, OPT_SWITCH},
	{"sync", required_argument, 0, OPT_SYNC},
	{"url-file", required_argument, 0, OPT_URL_FILE},
	{"server", required_argument, 0, OPT_SERVER},
	{"repeat", required_argument, 0, OPT_REPEAT},
	{"warmup", required_argument, 0, OPT_WARMUP},
	{"out", required_argument, 0, OPT_OUT},
	{"label", required_argument, 0, OPT_LABEL},
	{"no-plot", no_argument, 0, OPT_NO_PLOT},
	{"no-report", no_argument, 0, OPT_NO_REPORT},
	{"plot", no_argument, 0, OPT_PLOT},
	{"python", required_argument, 0, OPT_PYTHON},
	{"py-start", required_argument, 0, OPT_PY_START},
	{"model-timeout", required_argument, 0, OPT_MODEL_TIMEOUT},
	{"baseline", required_argument, 0, OPT_BASELINE},
	{"trace", no_argument, 0, OPT_TRACE},
	{"quiet", no_argument, 0, OPT_QUIET},
	{"hosts", required_argument, 0, OPT_HOSTS},
	{"hostfile", required_argument, 0, OPT_HOSTFILE},
	{"listen", required_argument, 0, OPT_LISTEN},
	{"skew", optional_argument, 0, OPT_SKEW},
	{"help", no_argument, 0, OPT_HELP},
	{0, 0, 0, 0},
};

/* One numeric option into a long field. */
static int config_number(int opt, const char *arg, struct run_config *c)
{
	long v;
	switch (opt) {
	case OPT_TASKS:
		if (cli_long("--tasks", arg, 0, 1000000, &c->tasks) != 0)
			return -1;
		c->tasks_given = true;
		return 0;
	case OPT_DELAY:
		return cli_long("--delay", arg, 0, 60000, &c->delay_ms);
	case OPT_BYTES:
		return cli_long("--bytes", arg, 0, 64L << 20, &c->bytes);
	case OPT_WORK:
		return cli_long("--work", arg, 0, 100000, &c->work);
	case OPT_PY_WORK:
		return cli_long("--py-work", arg, 0, 100000, &c->py_work);
	case OPT_TIMEOUT:
		return cli_long("--timeout", arg, 1, 3600000, &c->timeout_ms);
	case OPT_CONNECT_TIMEOUT:
		return cli_long("--connect-timeout", arg, 1, 3600000,
				&c->connect_timeout_ms);
	case OPT_CPU_WORKERS:
		if (cli_long("--cpu-workers", arg, 1, 4096, &v) != 0)
			return -1;
		c->cpu_workers = (int)v;
		return 0;
	case OPT_REPEAT:
		if (cli_long("--repeat", arg, 1, 1000, &v) != 0)
			return -1;
		c->repeat = (int)v;
		return 0;
	case OPT_WARMUP:
		if (cli_long("--warmup", arg, 0, 1000, &v) != 0)
			return -1;
		c->warmup = (int)v;
		return 0;
	case OPT_SWITCH:
		return cli_double("--switch-interval", arg, 0, 10000, 1,
				  &c->switch_interval_ms);
	case OPT_MODEL_TIMEOUT:
		return cli_double("--model-timeout", arg, 0, 86400, 1,
				  &c->model_timeout_s);
	}
	return -1;
}

static int config_option(int opt, const char *arg, struct run_config *c)
{
	switch (opt) {
	case OPT_MODELS:
		return config_models(c, arg);
	case OPT_WORKLOADS:
		return config_workloads(c, arg);
	case OPT_WORKERS:
		return cli_int_list("--workers", arg, 1, 100000, c->workers,
				    CONFIG_MAX_WORKERS, &c->n_workers);
	case OPT_URL_FILE:
		c->url_file = arg;
		return 0;
	case OPT_SERVER:
		if (strncmp(arg, "http://", 7) != 0) {
			cli_error("--server: '%s' is not an http:// URL", arg);
			return -1;
		}
		c->server_url = arg;
		return 0;
	case OPT_OUT:
		if (!arg[0]) {
			cli_error("--out: the directory name is empty");
			return -1;
		}
		c->out_dir = arg;
		return 0;
	case OPT_BASELINE:
		return config_baseline(c, arg);
	case OPT_SYNC:
		if (shared_sync_parse(arg, &c->sync) == 0)
			return 0;
		cli_error("--sync: '%s' is not one of %s", arg,
			  shared_sync_names());
		return -1;
	case OPT_LABEL:
		if (!arg[0] || strpbrk(arg, "/ \t\n")) {
			cli_error("--label: '%.40s' must be a non-empty name "
				  "without '/' or spaces",
				  arg);
			return -1;
		}
		if (strlen(arg) > CONFIG_LABEL_MAX) {
			cli_error("--label: '%.20s...' is longer than %d "
				  "characters",
				  arg, CONFIG_LABEL_MAX);
			return -1;
		}
		c->label = arg;
		return 0;
	case OPT_NO_PLOT:
		c->plot = false;
		return 0;
	case OPT_NO_REPORT:
		c->report = false;
		return 0;
	case OPT_PLOT:
		c->plot = true;
		return 0;
	case OPT_PYTHON:
		c->python = arg;
		return 0;
	case OPT_PY_START:
		if (strcmp(arg, "fork") != 0 && strcmp(arg, "spawn") != 0 &&
		    strcmp(arg, "forkserver") != 0) {
			cli_error("--py-start: '%s' is not fork, spawn or "
				  "forkserver",
				  arg);
			return -1;
		}
		c->py_start = arg;
		return 0;
	case OPT_TRACE:
		c->trace = true;
		return 0;
	case OPT_HOSTS:
		c->hosts = arg;
		return cluster_check_hosts(arg);
	case OPT_HOSTFILE:
		c->hostfile = arg;
		return cluster_check_hostfile(arg);
	case OPT_LISTEN:
		c->listen = arg;
		return cluster_check_listen(arg);
	case OPT_SKEW:
		c->skew = true;
		return arg ? cli_long("--skew", arg, 0, 1L << 30, &c->skew_seed)
			   : 0;
	case OPT_QUIET:
		c->quiet = true;
		return 0;
	default:
		return config_number(opt, arg, c);
	}
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
	o.cpu_workers = c->cpu_workers;
	o.switch_interval_ms = c->switch_interval_ms;
	o.fetch.timeout_ms = c->timeout_ms;
	o.fetch.connect_timeout_ms = c->connect_timeout_ms;
	o.trace = c->trace;
	o.python = c->python;
	o.start_method = c->py_start;
	o.model_timeout_s = c->model_timeout_s;
	o.sync = c->sync;
	o.hosts = c->hosts;
	o.hostfile = c->hostfile;
	return o;
}

bool config_has_external(const struct run_config *c)
{
	for (size_t i = 0; i < c->n_models; i++)
		if (c->models[i]->flags & MODEL_EXTERNAL)
			return true;
	return false;
}
