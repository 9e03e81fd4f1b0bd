// SPDX-License-Identifier: MIT
/* coro.h - the cases that weigh a coroutine: its switch and its memory,
 * beside a thread's and a process's (models/coro_switch.h), and the
 * coroutines model at c10k beside eventloop. */
#ifndef CONCUR_BENCH_CORO_H
#define CONCUR_BENCH_CORO_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_coro_switch, bench_case_coro_memory,
	bench_case_c10k_coroutines;

#endif
