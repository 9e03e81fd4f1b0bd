// SPDX-License-Identifier: MIT
/*
 * wait.h - waits that sleep instead of polling (wait.c): the blocking
 * calls concur-mpi needs, each made of its nonblocking twin and a test
 * between growing sleeps. All on MPI_COMM_WORLD.
 *
 * Errors: each returns MPI's code (MPI_SUCCESS); with the default error
 * handler, MPI ends the job before a failure could be returned.
 */
#ifndef CONCUR_MPI_WAIT_H
#define CONCUR_MPI_WAIT_H

#include <mpi.h>

/* Waits for req like MPI_Wait, sleeping between tests; st may be NULL. */
int mpi_wait(MPI_Request *req, MPI_Status *st);

/* MPI_Recv, MPI_Bcast and MPI_Barrier that sleep while they wait. */
int mpi_recv(void *buf, int count, MPI_Datatype type, int source, int tag,
	     MPI_Status *st);
int mpi_bcast(void *buf, int count, MPI_Datatype type, int root);
int mpi_barrier(void);

#endif
