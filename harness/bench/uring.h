// SPDX-License-Identifier: MIT
/*
 * uring.h - bench case c10k-uring: the raw io_uring client against the raw
 * epoll client at c10k: time, CPU and system calls per transfer (uring.c).
 */
#ifndef CONCUR_BENCH_URING_H
#define CONCUR_BENCH_URING_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_c10k_uring;

#endif
