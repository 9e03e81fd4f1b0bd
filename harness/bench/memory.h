// SPDX-License-Identifier: MIT
/* memory.h - the case that weighs every model the same way: memory. */
#ifndef CONCUR_BENCH_MEMORY_H
#define CONCUR_BENCH_MEMORY_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_memory;

#endif
