// SPDX-License-Identifier: MIT
/*
 * plan.c - a run's plan: its defaults, built on the ones every model gets
 * (run_opts_default), and the run_opts a model gets under it.
 */
#include "harness/run/plan.h"

#include <string.h>

void plan_defaults(struct run_plan *p)
{
	struct run_opts o = run_opts_default();
	memset(p, 0, sizeof(*p));
	p->workloads[0] = TASK_FETCH;
	p->workloads[1] = TASK_COMPUTE;
	p->n_workloads = 2;
	p->workers[0] = 1;
	p->workers[1] = 4;
	p->workers[2] = 16;
	p->n_workers = 3;
	p->tasks = 40;
	p->delay_ms = 50;
	p->bytes = 1024;
	p->work = 10;
	p->timeout_ms = o.fetch.timeout_ms;
	p->connect_timeout_ms = o.fetch.connect_timeout_ms;
	p->repeat = 3;
	p->warmup = 0;
	p->cpu_workers = o.hybrid.cpu_workers;
	p->switch_interval_ms = o.gil.switch_interval_ms;
	p->coro = o.coro;
	p->sync = o.sync;
	p->backend = o.loop.backend;
	p->out_dir = "results";
	p->plot = true;
	p->skew_seed = 1;
	p->arrival_seed = 1;
	p->arrival_grace_s = PLAN_ARRIVAL_GRACE_S;
	p->report = true;
}

struct run_opts plan_run_opts(const struct run_plan *p, int workers)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.hybrid.cpu_workers = p->cpu_workers;
	o.gil.switch_interval_ms = p->switch_interval_ms;
	o.coro = p->coro;
	o.block_ms = p->block_ms;
	o.block_in_executor = p->block_in_executor;
	o.fetch.timeout_ms = p->timeout_ms;
	o.fetch.connect_timeout_ms = p->connect_timeout_ms;
	o.trace = p->trace;
	o.sync = p->sync;
	o.loop.backend = p->backend;
	return o;
}

struct external_opts plan_external_opts(const struct run_plan *p)
{
	struct external_opts x = {.model_timeout_s = p->model_timeout_s,
				  .python = p->python,
				  .start_method = p->py_start,
				  .hosts = p->hosts,
				  .hostfile = p->hostfile};
	return x;
}

bool plan_has_external(const struct run_plan *p)
{
	for (size_t i = 0; i < p->n_models; i++)
		if (p->models[i]->flags & MODEL_EXTERNAL)
			return true;
	return false;
}
