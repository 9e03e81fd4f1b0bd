// SPDX-License-Identifier: MIT
/*
 * pingpong.c - the cost of one message: `concur-mpi --latency` bounces 8
 * bytes between ranks 0 and 1, OSU-style (osu_latency): 1,000 round trips
 * to warm up, then 10,000 timed; one-way latency = time / (2 x 10,000).
 * The timed trips run in 10 blocks of 1,000, each timed on its own, and
 * rank 0 keeps its fastest single trip too. Rank 0 prints
 * {"latency_us": X, "best_us": B, "p10_us": P, "p50_us": M, "blocks_us":
 * [b1, ..., b10]}: the mean (what osu_latency prints); half the fastest,
 * the 10th-percentile and the median round trip (a busy machine delays
 * a few trips by milliseconds, which the mean counts and the median
 * does not: the median is what a message costs while both ranks hold a
 * core); and each block's mean (their spread says how steady the
 * machine was). Which transport carries the bytes is
 * mpirun's choice: `--mca btl self,vader` (shared memory) or `--mca btl
 * self,tcp` (TCP, even on one machine) — the bench and lesson 16 run both.
 *
 * Watch for: both ranks spin while they wait; on a loaded machine the
 * other rank may not be running when the message lands, and the figure
 * then measures the scheduler, not the transport.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/mpi/job.h"

#define PINGPONG_WARMUP 1000
#define PINGPONG_BLOCKS 10
#define PINGPONG_PER_BLOCK 1000

/* Rank 0's timed round trips, in seconds (static: 80 KB). */
static double pingpong_trips[PINGPONG_BLOCKS * PINGPONG_PER_BLOCK];

/* n round trips of 8 bytes between ranks 0 and 1; rank 0 keeps each
 * one's time in trips (NULL: not kept). */
static void pingpong_rounds(int rank, int n, double *trips)
{
	char msg[8] = {0};
	for (int i = 0; i < n; i++) {
		if (rank == 0) {
			double t0 = MPI_Wtime();
			MPI_Send(msg, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(msg, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			if (trips)
				trips[i] = MPI_Wtime() - t0;
		} else if (rank == 1) {
			MPI_Recv(msg, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			MPI_Send(msg, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
		}
	}
}

static int pingpong_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int pingpong_run(int rank, int size)
{
	if (size < 2) {
		fprintf(stderr, "concur-mpi --latency: needs 2 ranks\n");
		return -1;
	}
	pingpong_rounds(rank, PINGPONG_WARMUP, NULL);
	MPI_Barrier(MPI_COMM_WORLD);
	double block_us[PINGPONG_BLOCKS], total = 0;
	for (int b = 0; b < PINGPONG_BLOCKS; b++) {
		double t0 = MPI_Wtime();
		pingpong_rounds(rank, PINGPONG_PER_BLOCK,
				pingpong_trips +
					(size_t)b * PINGPONG_PER_BLOCK);
		double t = MPI_Wtime() - t0;
		block_us[b] = t / (2.0 * PINGPONG_PER_BLOCK) * 1e6;
		total += t;
	}
	if (rank != 0)
		return 0;
	size_t n = (size_t)PINGPONG_BLOCKS * PINGPONG_PER_BLOCK;
	qsort(pingpong_trips, n, sizeof(double), pingpong_cmp);
	printf("{\"latency_us\": %.3f, \"best_us\": %.3f, \"p10_us\": %.3f, "
	       "\"p50_us\": %.3f, \"blocks_us\": [",
	       total / (2.0 * n) * 1e6, pingpong_trips[0] / 2 * 1e6,
	       pingpong_trips[n / 10] / 2 * 1e6,
	       pingpong_trips[n / 2] / 2 * 1e6);
	for (int b = 0; b < PINGPONG_BLOCKS; b++)
		printf("%s%.3f", b ? ", " : "", block_us[b]);
	printf("]}\n");
	fflush(stdout);
	return 0;
}
