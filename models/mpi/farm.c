// SPDX-License-Identifier: MIT
/*
 * farm.c - mpi: a dynamic task farm. Rank 0 is the manager: it hands out
 * task indices and collects the results; ranks 1..C are the workers, each
 * fetching and computing with the same common/ code as every model. C
 * ranks do work; the run starts C + 1. The manager is not one of C's
 * workers: it only hands out and collects, and sleeps while it waits
 * (wait.c), so on C cores it leaves the C workers their cores.
 *
 * The lesson: with no shared memory, "take the next index" (the threads
 * model's atomic counter) becomes a conversation of three tags: WORK (here
 * is an index), RESULT (here is what it gave, send more), STOP (no more).
 * A worker that finishes early simply asks again, so uneven tasks even out:
 * compare with mpi-static on `--skew`. Each worker holds one task in
 * reserve (FARM_AHEAD), so it never waits for the manager's answer.
 *
 * Watch for: Open MPI's MPI_Recv waits by polling: a manager waiting in it
 * ran 30-68% of a core on 2 cores (mpi_yield_when_idle only yields between
 * polls), CPU the workers needed. Here every wait is a nonblocking
 * receive tested between sleeps (mpi_recv, wait.c); the CPU column shows
 * the difference.
 *
 * Run it:  build/concur run --models mpi,threads --workloads compute --skew
 */
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/execute.h"
#include "models/mpi/job.h"
#include "models/mpi/wait.h"

/* ---- state ---- */

/* Tasks a worker holds at once: the one it runs and one in reserve, so
 * that it starts its next task the moment it sends a result instead of
 * waiting for the manager to wake (wait.c) and answer. Measured (64 x 25
 * ms at C = 2 on 2 cores, load average 12-15): the gap between a
 * worker's tasks had a median of 4.8 and 7.2 ms holding one (1.9 and 6.6
 * with the manager's sleep capped at 1 ms instead of 5, 4.2 with Open
 * MPI's polling MPI_Recv), 0.02 ms holding two; the workers were busy
 * 92-93% of the run against 97-98%. The price: at the end of a skewed
 * batch a reserve task may wait behind a long one that another worker
 * could have run (the skew bench's batch at C = 2, simulated: 1,106 units
 * instead of 1,082; the static split's 1,249). */
#define FARM_AHEAD 2

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
		mpi_recv(&index, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, &st);
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

/* Rank 0's view of the farm. */
struct farm_manager {
	struct mpi_job *job;
	uint64_t next;	 /* the next index to hand out */
	int outstanding; /* tasks handed out whose result has not come */
	int *held;	 /* held[w]: tasks sent to worker w, not yet returned */
};

/* Sends worker w the next index when one is left, else STOP once w
 * holds nothing more (it will never be sent anything again). */
static void farm_hand_out(struct farm_manager *f, int w)
{
	if (f->next < f->job->batch->n) {
		MPI_Send(&f->next, 1, MPI_UINT64_T, w, TAG_WORK,
			 MPI_COMM_WORLD);
		f->next++;
		f->held[w]++;
		f->outstanding++;
	} else if (f->held[w] == 0) {
		MPI_Send(&f->next, 1, MPI_UINT64_T, w, TAG_STOP,
			 MPI_COMM_WORLD);
	}
}

/* Rank 0: FARM_AHEAD indices to every worker, then one more for each
 * result that comes back, from whichever worker sent it
 * (MPI_ANY_SOURCE). Each line tells the harness how far the hand-out
 * will have gone before the send that follows it: if the job dies, the
 * tasks never handed out are not_run, not crashed. */
static int farm_manager(struct mpi_job *j)
{
	struct farm_manager f = {.job = j};
	uint64_t n = j->batch->n, workers = (uint64_t)j->size - 1;
	const uint64_t ahead = FARM_AHEAD;
	f.held = calloc((size_t)j->size, sizeof(int));
	if (!f.held)
		return -1;
	job_write_handed_out(stdout, ahead * workers < n ? ahead * workers : n);
	for (uint64_t round = 0; round < ahead && f.next < n; round++)
		for (int w = 1; w < j->size && f.next < n; w++)
			farm_hand_out(&f, w);
	for (int w = 1; w < j->size; w++)
		if (f.held[w] == 0) /* fewer tasks than workers: STOP */
			farm_hand_out(&f, w);
	while (f.outstanding > 0) {
		struct farm_result in;
		MPI_Status st;
		mpi_recv(&in, sizeof(in), MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT,
			 &st);
		f.outstanding--;
		f.held[st.MPI_SOURCE]--;
		long after = (long)(f.next < n ? f.next + 1 : n);
		if (in.index < n) {
			j->batch->results[in.index] = in.result;
			job_write_result(stdout, j->batch, in.index, after);
		} else {
			job_write_handed_out(stdout, (size_t)after);
		}
		farm_hand_out(&f, st.MPI_SOURCE);
	}
	free(f.held);
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
