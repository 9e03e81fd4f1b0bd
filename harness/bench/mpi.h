// SPDX-License-Identifier: MIT
/* mpi.h - the MPI cases: mpi-io, mpi-cpu, mpi-latency, skew (mpi.c). */
#ifndef CONCUR_BENCH_MPI_H
#define CONCUR_BENCH_MPI_H

#include "harness/bench/rows.h"

extern const struct bench_case bench_case_mpi_io, bench_case_mpi_cpu,
	bench_case_mpi_latency, bench_case_skew;

#endif
