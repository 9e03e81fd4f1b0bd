// SPDX-License-Identifier: MIT
/*
 * mpi.h - launching the MPI models (mpi, mpi-static): the `mpirun` command
 * line that starts build/concur-mpi as ranks, on this machine or on the
 * hosts of --hosts / --hostfile. The program then speaks the external
 * protocol like any other (external.c feeds and reads it).
 *
 * Open MPI is found, never required: without `mpirun` on PATH or without
 * the concur-mpi program (built only where mpicc is), the models are
 * unavailable and say what to install.
 *
 * The options every launch gets, and why (Open MPI 4.1):
 *   --oversubscribe             more ranks than cores is the point of C
 *   --bind-to none              no pinning, as for every other model
 *   mpi_yield_when_idle 1       a rank waiting for a message yields its
 *                               core instead of spinning on it
 *   btl_vader_single_copy_mechanism none
 *                               the shared-memory transport's single copy
 *                               fails in containers (errno 1)
 * and, as root, OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM)=1 in the environment,
 * which daemons on other hosts inherit. Anything else (plm_rsh_agent,
 * btl, interfaces) comes from OMPI_MCA_* variables the user sets.
 *
 * Errors: functions return 0 or -1 with the reason in the caller's buffer.
 */
#ifndef CONCUR_MPI_H
#define CONCUR_MPI_H

#include <stddef.h>

#include "models/model.h"

/* What to install when Open MPI is missing. */
#define MPI_INSTALL_HINT "apt-get install openmpi-bin libopenmpi-dev, then make"

#define MPI_ARGV_MAX 24

/* One launch: argv for execv and the storage it points into. */
struct mpi_launch {
	char *argv[MPI_ARGV_MAX];
	char mpirun[4096];
	char program[4096];
	char ranks[16];
};

/* Can m run here: mpirun on PATH and the concur-mpi program built? */
int mpi_available(const struct model *m, char *why, size_t len);

/* How many ranks a launch starts for C = workers and n tasks: the
 * workers (never more than the tasks, at least 1) plus the model's
 * manager ranks. */
int mpi_ranks(const struct model *m, int workers, size_t n);

/* Fills l with `mpirun ... concur-mpi` for m at o->workers on n tasks. */
int mpi_launch_argv(const struct model *m, const struct run_opts *o, size_t n,
		    struct mpi_launch *l, char *why, size_t len);

/* `mpirun -np 2 --mca btl BTL ... concur-mpi --latency`: the 8-byte
 * ping-pong of models/mpi/pingpong.c over the transport BTL ("self,vader"
 * for shared memory, "self,tcp" for TCP). */
int mpi_latency_argv(const char *btl, struct mpi_launch *l, char *why,
		     size_t len);

#endif
