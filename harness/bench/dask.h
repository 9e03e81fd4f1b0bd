// SPDX-License-Identifier: MIT
/* dask.h - the Dask cases: dask-io, dask-cpu, task-overhead, dask-start
 * (dask.c). */
#ifndef CONCUR_BENCH_DASK_H
#define CONCUR_BENCH_DASK_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_dask_io, bench_case_dask_cpu,
	bench_case_task_overhead, bench_case_dask_start;

#endif
