// SPDX-License-Identifier: MIT
/*
 * static.c - mpi-static: the batch split into C equal blocks up front.
 * Rank 0 scatters each rank its block (first index, count), every rank
 * runs its own block, and the results are gathered to rank 0 at the end.
 * All C ranks do work, rank 0 included.
 *
 * The lesson: the split costs two collective calls and no conversation,
 * which is all it takes when tasks cost the same. When they do not, the
 * rank with the heaviest block decides the run while the others wait at
 * the gather: `--skew` shows it next to the dynamic farm (mpi).
 *
 * Watch for: MPI_Gatherv is collective: every rank must reach it. A rank
 * that dies never does, so Open MPI ends the whole job, and nothing of the
 * batch is reported (mpi, which reports as it goes, keeps what it had).
 *
 * Run it:  build/concur run --models mpi-static,mpi --workloads compute \
 *              --skew
 */
#include <mpi.h>
#include <stdlib.h>

#include "common/execute.h"
#include "models/mpi/job.h"
#include "models/mpi/wait.h"

/* ---- state ---- */

/* One rank's block of the batch: tasks [first, first + count). */
struct static_block {
	int first;
	int count;
};

/* ---- the worker ---- */

static void static_run_block(struct mpi_job *j, struct static_block blk)
{
	for (int i = blk.first; i < blk.first + blk.count; i++)
		task_execute(j->batch, (size_t)i, j->curl, &j->opts,
			     "mpi-static", j->rank);
}

/* ---- the run function ---- */

/* Rank 0's plan: block r is [r*n/R, (r+1)*n/R), sizes differ by one at
 * most. Counts and displacements are in bytes, for the gather. */
static void static_plan(int n, int ranks, struct static_block *blocks,
			int *bytes, int *displs)
{
	for (int r = 0; r < ranks; r++) {
		int first = (int)((long)r * n / ranks);
		int end = (int)((long)(r + 1) * n / ranks);
		blocks[r] = (struct static_block){first, end - first};
		bytes[r] = (end - first) * (int)sizeof(struct result);
		displs[r] = first * (int)sizeof(struct result);
	}
}

int static_run(struct mpi_job *j)
{
	int n = (int)j->batch->n, R = j->size;
	struct static_block *blocks = NULL, mine;
	int *bytes = NULL, *displs = NULL, rc = -1;
	if (j->rank == 0) {
		blocks = calloc((size_t)R, sizeof(*blocks));
		bytes = calloc((size_t)R, sizeof(int));
		displs = calloc((size_t)R, sizeof(int));
		if (!blocks || !bytes || !displs) {
			MPI_Abort(MPI_COMM_WORLD, 1); /* the others wait */
			goto cleanup;
		}
		static_plan(n, R, blocks, bytes, displs);
		job_write_handed_out(stdout, (size_t)n); /* all, at once */
	}
	MPI_Scatter(blocks, sizeof(mine), MPI_BYTE, &mine, sizeof(mine),
		    MPI_BYTE, 0, MPI_COMM_WORLD);
	static_run_block(j, mine);
	/* Every rank's block of results lands in place in rank 0's array. */
	struct result *own = j->batch->results + mine.first;
	int own_bytes = mine.count * (int)sizeof(struct result);
	MPI_Request gather;
	MPI_Igatherv(j->rank == 0 ? MPI_IN_PLACE : own, own_bytes, MPI_BYTE,
		     j->batch->results, bytes, displs, MPI_BYTE, 0,
		     MPI_COMM_WORLD, &gather);
	mpi_wait(&gather, NULL);
	if (j->rank == 0)
		for (int i = 0; i < n; i++)
			job_write_result(stdout, j->batch, (size_t)i, -1);
	rc = 0;
cleanup:
	free(blocks);
	free(bytes);
	free(displs);
	return rc;
}
