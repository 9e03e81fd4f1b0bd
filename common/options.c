// SPDX-License-Identifier: MIT
/* options.c - the defaults of struct run_opts; --backend's names; a run's
 * named figures. */
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

static const char *const loop_backend_names_table[] = {
	[LOOP_BACKEND_AUTO] = "auto",	      [LOOP_BACKEND_EPOLL] = "epoll",
	[LOOP_BACKEND_POLL] = "poll",	      [LOOP_BACKEND_SELECT] = "select",
	[LOOP_BACKEND_IO_URING] = "io_uring",
};

const char *loop_backend_name(enum loop_backend b)
{
	return b <= LOOP_BACKEND_IO_URING ? loop_backend_names_table[b] : "?";
}

int loop_backend_parse(const char *name, enum loop_backend *out)
{
	/* "auto" is not taken: leaving --backend out says it. */
	for (int b = LOOP_BACKEND_EPOLL; b <= LOOP_BACKEND_IO_URING; b++)
		if (strcmp(name, loop_backend_names_table[b]) == 0) {
			*out = (enum loop_backend)b;
			return 0;
		}
	return -1;
}

const char *loop_backend_names(void)
{
	return "epoll, poll, select, io_uring";
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
