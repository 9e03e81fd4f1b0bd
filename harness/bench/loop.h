// SPDX-License-Identifier: MIT
/* loop.h - the event loop's two claims: c10k and throughput. */
#ifndef CONCUR_BENCH_LOOP_H
#define CONCUR_BENCH_LOOP_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_c10k, bench_case_throughput;

#endif
