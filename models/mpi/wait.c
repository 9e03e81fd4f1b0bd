// SPDX-License-Identifier: MIT
/*
 * wait.c - how a rank of concur-mpi waits: it asks (MPI_Test) whether its
 * message or collective has completed, and if not, sleeps, 50 us at first,
 * then twice as long each time, up to a cap. Lesson 17 ("Beyond one machine").
 *
 * The lesson: Open MPI's blocking calls (MPI_Recv, MPI_Barrier, ...) wait
 * by polling: a rank that waits runs, and on a machine with fewer cores
 * than ranks it takes a core from a rank that works. mpi_yield_when_idle
 * only adds sched_yield() to the loop, which gives the core away only to
 * a process that is runnable at that instant, and still costs a system
 * call per turn. A nonblocking call (MPI_Irecv, MPI_Ibarrier, ...) tested
 * between sleeps costs nothing while the rank sleeps; the price is
 * latency: a message that lands while the rank sleeps waits for it to
 * wake. The growing sleep keeps that price small when messages come often
 * (a short sleep follows every completion) and the cost small when they
 * come seldom (a long sleep, at most WAIT_SLEEP_MAX_NS).
 *
 * Measured (2 cores, Open MPI 4.1.4, shared memory, load average 11-29
 * from other programs): a farm's manager waiting for 4 workers that each
 * fetch a 1 s delay ran 30-68% of a core in MPI_Recv with
 * mpi_yield_when_idle, 0% (one 2% sample) with this wait; the run's
 * ranks used 1.62-1.72 s of CPU against 0.37 s. Launching (and ending)
 * the bench's 101 ranks of mpi-io took 29 s against 12 s: while some
 * ranks still start, the others wait in the batch's broadcast and the
 * start barrier.
 *
 * The price, in the collectives: MPI_Ibcast progresses only inside
 * MPI_Test, so a rank that relays the broadcast down the tree relays it
 * when it wakes; with 101 ranks that is a few sleeps per level of the
 * tree, in the launch, not in the run.
 *
 * Watch for: a request that is never completed makes mpi_wait wait
 * forever, as MPI_Wait would: every wait here must have its sender.
 */
#include "models/mpi/wait.h"

#include <time.h>

/* The first sleep after a completion, and the longest sleep. */
#define WAIT_SLEEP_MIN_NS 50000L
#define WAIT_SLEEP_MAX_NS 5000000L

int mpi_wait(MPI_Request *req, MPI_Status *st)
{
	long sleep_ns = WAIT_SLEEP_MIN_NS;
	for (;;) {
		int done = 0;
		int rc = MPI_Test(req, &done, st ? st : MPI_STATUS_IGNORE);
		if (rc != MPI_SUCCESS || done)
			return rc;
		struct timespec ts = {0, sleep_ns};
		nanosleep(&ts, NULL);
		sleep_ns = sleep_ns * 2 < WAIT_SLEEP_MAX_NS ? sleep_ns * 2
							    : WAIT_SLEEP_MAX_NS;
	}
}

int mpi_recv(void *buf, int count, MPI_Datatype type, int source, int tag,
	     MPI_Status *st)
{
	MPI_Request req;
	/* mpi_wait completes req (MPI_Test until done): clang-tidy's MPI
	 * checker does not follow it there, hence the NOLINTs. */
	// NOLINTBEGIN(clang-analyzer-optin.mpi.MPI-Checker)
	int rc = MPI_Irecv(buf, count, type, source, tag, MPI_COMM_WORLD, &req);
	return rc == MPI_SUCCESS ? mpi_wait(&req, st) : rc;
	// NOLINTEND(clang-analyzer-optin.mpi.MPI-Checker)
}

int mpi_bcast(void *buf, int count, MPI_Datatype type, int root)
{
	MPI_Request req;
	// NOLINTBEGIN(clang-analyzer-optin.mpi.MPI-Checker)
	int rc = MPI_Ibcast(buf, count, type, root, MPI_COMM_WORLD, &req);
	return rc == MPI_SUCCESS ? mpi_wait(&req, NULL) : rc;
	// NOLINTEND(clang-analyzer-optin.mpi.MPI-Checker)
}

int mpi_barrier(void)
{
	MPI_Request req;
	int rc = MPI_Ibarrier(MPI_COMM_WORLD, &req);
	return rc == MPI_SUCCESS ? mpi_wait(&req, NULL) : rc;
}
