// SPDX-License-Identifier: MIT
/* options.c - the defaults of struct run_opts. */
#include "common/options.h"

#include <unistd.h>

struct run_opts run_opts_default(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct run_opts o = {
		.workers = 4,
		.cpu_workers = cores > 0 ? (int)cores : 1,
		.switch_interval_ms = 5.0,
		.fetch = {.connect_timeout_ms = 5000, .timeout_ms = 10000},
	};
	return o;
}
