// SPDX-License-Identifier: MIT
/*
 * pingpong.c - the cost of one message: `concur-mpi --latency` bounces 8
 * bytes between ranks 0 and 1, OSU-style (osu_latency): 1,000 round trips
 * to warm up, then 10,000 timed; one-way latency = time / (2 x 10,000).
 * Rank 0 prints {"latency_us": X}. Which transport carries the bytes is
 * mpirun's choice: `--mca btl self,vader` (shared memory) or `--mca btl
 * self,tcp` (TCP, even on one machine) — the bench and lesson 16 run both.
 *
 * Watch for: both ranks spin while they wait; on a loaded machine the
 * other rank may not be running when the message lands, and the figure
 * then measures the scheduler, not the transport.
 */
#include <mpi.h>
#include <stdio.h>

#include "models/mpi/job.h"

#define PINGPONG_WARMUP 1000
#define PINGPONG_TIMED 10000

/* n round trips of 8 bytes between ranks 0 and 1. */
static void pingpong_rounds(int rank, int n)
{
	char msg[8] = {0};
	for (int i = 0; i < n; i++) {
		if (rank == 0) {
			MPI_Send(msg, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(msg, 8, MPI_CHAR, 1, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		} else if (rank == 1) {
			MPI_Recv(msg, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			MPI_Send(msg, 8, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
		}
	}
}

int pingpong_run(int rank, int size)
{
	if (size < 2) {
		fprintf(stderr, "concur-mpi --latency: needs 2 ranks\n");
		return -1;
	}
	pingpong_rounds(rank, PINGPONG_WARMUP);
	MPI_Barrier(MPI_COMM_WORLD);
	double t0 = MPI_Wtime();
	pingpong_rounds(rank, PINGPONG_TIMED);
	double t = MPI_Wtime() - t0;
	if (rank == 0) {
		printf("{\"latency_us\": %.3f}\n",
		       t / (2.0 * PINGPONG_TIMED) * 1e6);
		fflush(stdout);
	}
	return 0;
}
