// SPDX-License-Identifier: MIT
/* server.h - the `server` case: is `concur serve` never the bottleneck? */
#ifndef CONCUR_BENCH_SERVER_H
#define CONCUR_BENCH_SERVER_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_server;

#endif
