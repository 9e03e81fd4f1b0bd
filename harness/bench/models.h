// SPDX-License-Identifier: MIT
/* models.h - the cases that hold each model to its ideal: io, cpu, spawn. */
#ifndef CONCUR_BENCH_MODELS_H
#define CONCUR_BENCH_MODELS_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_io, bench_case_cpu, bench_case_spawn;

#endif
