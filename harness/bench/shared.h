// SPDX-License-Identifier: MIT
/* shared.h - the cases of the shared-state lessons: lock cost and false
 * sharing (threads on the shared workload, common/shared.h). */
#ifndef CONCUR_BENCH_SHARED_H
#define CONCUR_BENCH_SHARED_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_lock_cost, bench_case_false_sharing;

#endif
