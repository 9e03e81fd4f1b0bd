// SPDX-License-Identifier: MIT
/* options.c - the defaults of struct run_opts; a run's named figures. */
#include "common/options.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct run_opts run_opts_default(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct run_opts o = {
		.workers = 4,
		.fetch = {.connect_timeout_ms = 5000, .timeout_ms = 10000},
		.sync = SYNC_MUTEX,
		.hybrid = {.cpu_workers = cores > 0 ? (int)cores : 1},
		.gil = {.switch_interval_ms = SWITCH_INTERVAL_DEFAULT_MS},
		.coro = {.stack_kib = CORO_STACK_KIB_DEFAULT},
	};
	return o;
}

static struct run_figure *run_stats_find(const struct run_stats *s,
					 const char *name)
{
	for (int i = 0; i < s->n_figures; i++)
		if (strcmp(s->figures[i].name, name) == 0)
			return (struct run_figure *)&s->figures[i];
	return NULL;
}

void run_stats_set(struct run_stats *s, const char *name, double value)
{
	if (!s)
		return;
	struct run_figure *f = run_stats_find(s, name);
	if (!f) {
		if (s->n_figures >= RUN_FIGURES_MAX)
			return;
		f = &s->figures[s->n_figures++];
		snprintf(f->name, sizeof(f->name), "%s", name);
	}
	f->value = value;
}

double run_stats_get(const struct run_stats *s, const char *name,
		     double otherwise)
{
	const struct run_figure *f = s ? run_stats_find(s, name) : NULL;
	return f ? f->value : otherwise;
}
