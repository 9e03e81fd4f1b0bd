// SPDX-License-Identifier: MIT
/* gil.h - the cases of the GIL and mixed-work lessons. */
#ifndef CONCUR_BENCH_GIL_H
#define CONCUR_BENCH_GIL_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_gil_cpu, bench_case_gil_io,
	bench_case_mixed;

#endif
