// SPDX-License-Identifier: MIT
/* python.h - the cases of the Python side-by-side lesson. */
#ifndef CONCUR_BENCH_PYTHON_H
#define CONCUR_BENCH_PYTHON_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_python_io, bench_case_python_cpu,
	bench_case_python_throughput;

#endif
