// SPDX-License-Identifier: MIT
/*
 * farm.c - mpi: a dynamic task farm. Rank 0 is the manager: it hands out
 * task indices one at a time and collects the results; ranks 1..C are the
 * workers, each fetching and computing with the same common/ code as every
 * model. C ranks do work; the run starts C + 1.
 *
 * The lesson: with no shared memory, "take the next index" (the threads
 * model's atomic counter) becomes a conversation of three tags: WORK (here
 * is an index), RESULT (here is what it gave, send more), STOP (no more).
 * A worker that finishes early simply asks again, so uneven tasks even out:
 * compare with mpi-static on `--skew`.
 *
 * Watch for: the manager waits in MPI_Recv(MPI_ANY_SOURCE). Open MPI
 * waits by polling, so a waiting rank burns a CPU unless it yields
 * (the harness sets mpi_yield_when_idle); the CPU column shows the cost.
 *
 * Run it:  build/concur run --models mpi,threads --workloads compute --skew
 */
#include <mpi.h>
#include <stdint.h>

#include "common/execute.h"
#include "models/mpi/job.h"

/* ---- state ---- */

enum farm_tag {
	TAG_WORK = 1,	/* manager -> worker: one uint64_t task index */
	TAG_STOP = 2,	/* manager -> worker: no more work, leave */
	TAG_RESULT = 3, /* worker -> manager: a struct farm_result */
};

/* A finished task, as one message. Plain bytes: every rank runs the same
 * binary on the same kind of machine (a homogeneous cluster). */
struct farm_result {
	uint64_t index;
	struct result result;
};

/* ---- the worker ---- */

/* Ranks 1..C: receive an index, run it, send the result, until STOP. */
static int farm_worker(struct mpi_job *j)
{
	for (;;) {
		uint64_t index;
		MPI_Status st;
		MPI_Recv(&index, 1, MPI_UINT64_T, 0, MPI_ANY_TAG,
			 MPI_COMM_WORLD, &st);
		if (st.MPI_TAG == TAG_STOP)
			return 0;
		struct farm_result out = {.index = index};
		task_execute(j->batch, index, j->curl, &j->opts, "mpi",
			     j->rank - 1);
		out.result = j->batch->results[index];
		MPI_Send(&out, sizeof(out), MPI_BYTE, 0, TAG_RESULT,
			 MPI_COMM_WORLD);
	}
}

/* ---- the manager ---- */

/* Sends worker `rank` the next index, or STOP when none is left. Returns
 * 1 when it sent work. */
static int farm_hand_out(struct mpi_job *j, int rank, uint64_t *next)
{
	if (*next < j->batch->n) {
		MPI_Send(next, 1, MPI_UINT64_T, rank, TAG_WORK, MPI_COMM_WORLD);
		(*next)++;
		return 1;
	}
	MPI_Send(next, 1, MPI_UINT64_T, rank, TAG_STOP, MPI_COMM_WORLD);
	return 0;
}

/* Rank 0: one index to every worker, then one more for each result that
 * comes back, from whichever worker sent it (MPI_ANY_SOURCE). Each line
 * tells the harness how far the hand-out will have gone before the send
 * that follows it: if the job dies, the tasks never handed out are
 * not_run, not crashed. */
static int farm_manager(struct mpi_job *j)
{
	uint64_t next = 0, n = j->batch->n;
	uint64_t first =
		(uint64_t)(j->size - 1) < n ? (uint64_t)j->size - 1 : n;
	int busy = 0;
	job_write_handed_out(stdout, first);
	for (int w = 1; w < j->size; w++)
		busy += farm_hand_out(j, w, &next);
	while (busy > 0) {
		struct farm_result in;
		MPI_Status st;
		MPI_Recv(&in, sizeof(in), MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT,
			 MPI_COMM_WORLD, &st);
		long after = (long)(next < n ? next + 1 : n);
		if (in.index < n) {
			j->batch->results[in.index] = in.result;
			job_write_result(stdout, j->batch, in.index, after);
		} else {
			job_write_handed_out(stdout, (size_t)after);
		}
		busy -= !farm_hand_out(j, st.MPI_SOURCE, &next);
	}
	return 0;
}

/* ---- the run function ---- */

int farm_run(struct mpi_job *j)
{
	if (j->size < 2) {
		fprintf(stderr, "concur-mpi: mpi needs a manager and at least "
				"one worker: 2 ranks or more\n");
		return -1;
	}
	return j->rank == 0 ? farm_manager(j) : farm_worker(j);
}
