// SPDX-License-Identifier: MIT
/*
 * config_values.c - checking and storing the value of each option of
 * `concur run`, one at a time. What needs two options at once (--url-file
 * with --server, ...) is checked in config.c, after the last one.
 */
#include "harness/cli/config_values.h"

#include <string.h>

#include "harness/base/cli.h"
#include "harness/cli/cluster.h"
#include "harness/cli/config_options.h"
#include "models/coro_switch.h"

/* --baseline auto|full|sample|none. */
static int config_baseline(struct run_plan *c, const char *text)
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

/* --arrival closed|open. */
static int config_arrival(struct run_plan *c, const char *text)
{
	if (strcmp(text, "closed") != 0 && strcmp(text, "open") != 0) {
		cli_error("--arrival: '%s' is not closed or open", text);
		return -1;
	}
	c->open_loop = strcmp(text, "open") == 0;
	return 0;
}

/* --models: "all" or a list of registered names. */
int config_models(struct run_plan *c, const char *text)
{
	size_t count;
	const struct model *const *all = model_list(&count);
	c->n_models = 0;
	c->models_all = strcmp(text, "all") == 0;
	if (c->models_all) {
		for (size_t i = 0; i < count && i < PLAN_MAX_MODELS; i++)
			if (!(all[i]->flags & MODEL_EXERCISE))
				c->models[c->n_models++] = all[i];
		return 0;
	}
	char copy[512];
	const char *items[PLAN_MAX_MODELS];
	size_t n;
	if (cli_split("--models", text, copy, sizeof(copy), items,
		      PLAN_MAX_MODELS, &n) != 0)
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

static int config_workloads(struct run_plan *c, const char *text)
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

/* One numeric option into a long field. */
static int config_number(int opt, const char *arg, struct run_plan *c)
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
	case OPT_STACK_KIB:
		if (cli_long("--stack-kib", arg, 4, 1L << 20, &v) != 0)
			return -1;
		c->coro.stack_kib = (int)v;
		return 0;
	case OPT_BLOCK_MS:
		return cli_long("--block-ms", arg, 0, 10000, &c->block_ms);
	case OPT_BLOCK_IN:
		if (strcmp(arg, "loop") != 0 && strcmp(arg, "executor") != 0) {
			cli_error("--block-in: '%s' is neither loop nor "
				  "executor",
				  arg);
			return -1;
		}
		c->block_in_executor = strcmp(arg, "executor") == 0;
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

int config_option(int opt, const char *arg, struct run_plan *c)
{
	switch (opt) {
	case OPT_MODELS:
		return config_models(c, arg);
	case OPT_WORKLOADS:
		return config_workloads(c, arg);
	case OPT_WORKERS:
		return cli_int_list("--workers", arg, 1, 100000, c->workers,
				    PLAN_MAX_WORKERS, &c->n_workers);
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
	case OPT_BACKEND:
		if (loop_backend_parse(arg, &c->backend) == 0)
			return 0;
		cli_error("--backend: '%s' is not one of %s", arg,
			  loop_backend_names());
		return -1;
	case OPT_SYNC:
		if (shared_sync_parse(arg, &c->sync) == 0)
			return 0;
		cli_error("--sync: '%s' is not one of %s", arg,
			  shared_sync_names());
		return -1;
	case OPT_CORO_SWITCH:
		if (coro_switch_parse(arg, &c->coro.how) == 0)
			return 0;
		cli_error("--switch: '%s' is not one of %s", arg,
			  coro_switch_names());
		return -1;
	case OPT_LABEL:
		if (!arg[0] || strpbrk(arg, "/ \t\n")) {
			cli_error("--label: '%.40s' must be a non-empty name "
				  "without '/' or spaces",
				  arg);
			return -1;
		}
		if (strlen(arg) > PLAN_LABEL_MAX) {
			cli_error("--label: '%.20s...' is longer than %d "
				  "characters",
				  arg, PLAN_LABEL_MAX);
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
	case OPT_ARRIVAL:
		return config_arrival(c, arg);
	case OPT_RATE:
		return cli_double("--rate", arg, 0, 1e6, 1, &c->rate);
	case OPT_ARRIVAL_DIST:
		if (arrival_dist_parse(arg, &c->arrival_dist) == 0)
			return 0;
		cli_error("--arrival-dist: '%s' is not poisson or fixed", arg);
		return -1;
	case OPT_SEED:
		return cli_long("--seed", arg, 0, 1L << 30, &c->arrival_seed);
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
