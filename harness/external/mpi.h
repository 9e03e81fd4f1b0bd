// SPDX-License-Identifier: MIT
/*
 * mpi.h - launching the MPI models (mpi, mpi-static): the `mpirun` command
 * line that starts build/concur-mpi as ranks, on this machine or on the
 * hosts of --hosts / --hostfile, and their launcher (launcher.h). The
 * program then speaks the external protocol like any other (external.c
 * feeds and reads it); what differs is said here: mpirun's stderr, and a
 * failed job's verdict.
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
 * which daemons on other hosts inherit. A local run (no --hosts or
 * --hostfile) also gets
 *   btl self,vader              shared memory only: the TCP transport,
 *                               loaded by default, listens on 0.0.0.0
 *                               and :: in every rank (btl_tcp_if_include
 *                               narrows the addresses it uses, not the
 *                               ones it listens on)
 * unless OMPI_MCA_btl is set, and a directory of its own for Open MPI's
 * files (mpi_launch_release removes it):
 *   orte_tmpdir_base DIR        the session directory, under DIR instead
 *                               of /tmp/ompi.HOST.UID/pid.PID
 *   btl_vader_backing_directory DIR
 *                               the shared-memory segments, in DIR instead
 *                               of /dev/shm/vader_segment.HOST.UID.JOB.RANK
 * Both default paths are named after mpirun's PID (the job's number is a
 * hash of the host name and that PID). Two runs in PID namespaces (the
 * grader's containment: each mpirun gets the same small PID there) share
 * those names while the files are shared: the second job writes into the
 * first one's shared memory, and a rank crashes in MPI_Recv (signal 11)
 * or the job fails to start. A name of our own per run cannot collide.
 * mpirun itself still listens on 0.0.0.0 and
 * :: for its daemons (the out-of-band channel, oob tcp: Open MPI 4.1
 * binds it to INADDR_ANY whatever oob_tcp_if_include says, and cannot
 * run without it) while the run lasts. Anything else (plm_rsh_agent,
 * btl, interfaces) comes from OMPI_MCA_* variables the user sets.
 *
 * Errors: functions return 0 or -1 with the reason in the caller's buffer.
 */
#ifndef CONCUR_MPI_H
#define CONCUR_MPI_H

#include <stddef.h>

#include "harness/external/launcher.h"
#include "models/model.h"

/* What to install when Open MPI is missing. */
#define MPI_INSTALL_HINT "apt-get install openmpi-bin libopenmpi-dev, then make"

#define MPI_ARGV_MAX 32

/* The transports of a run on this machine alone (see above). */
#define MPI_LOCAL_BTL "self,vader"

/* One launch: argv for execv and the storage it points into. */
struct mpi_launch {
	char *argv[MPI_ARGV_MAX];
	char mpirun[4096];
	char program[4096];
	char ranks[16];
	char files[256]; /* the run's own directory for Open MPI's files
			    ("" none); removed by mpi_launch_release */
};

/* Can m run here: mpirun on PATH and the concur-mpi program built? */
int mpi_available(char *why, size_t len);

/* The launcher of the MPI models: `mpirun ... concur-mpi`. Open MPI's
 * messages on mpirun's stderr are held (but with --trace) and said as one
 * line when the job fails; once mpirun has said a rank died, it has
 * MPI_TEARDOWN_S left to end. The model's time is the whole wall:
 * launching the ranks is what the model costs. */
extern const struct launcher mpi_launcher;

/* How many ranks a launch starts for C = workers and n tasks: the
 * workers (never more than the tasks, at least 1) plus the model's
 * manager ranks. */
int mpi_ranks(const struct model *m, int workers, size_t n);

/* Fills l with `mpirun ... concur-mpi` for m at C = workers on n tasks,
 * on x's hosts (x NULL, or no hosts: this machine); a local run's
 * l->files is made (mode 0700). Once the run has ended, call
 * mpi_launch_release. */
int mpi_launch_argv(const struct model *m, int workers,
		    const struct external_opts *x, size_t n,
		    struct mpi_launch *l, char *why, size_t len);

/* Removes l->files and what Open MPI left in it (a job killed or crashed
 * leaves its segments and session directory); links are removed, never
 * followed. Harmless when there is none. */
void mpi_launch_release(struct mpi_launch *l);

/* `mpirun -np 2 --mca btl BTL ... concur-mpi --latency`: the 8-byte
 * ping-pong of models/mpi/pingpong.c over the transport BTL ("self,vader"
 * for shared memory, "self,tcp" for TCP). Release it as a launch. */
int mpi_latency_argv(const char *btl, struct mpi_launch *l, char *why,
		     size_t len);

/* The one-way latency of an 8-byte message over BTL, in microseconds:
 * one `mpirun -np 2 ... concur-mpi --latency` run (OSU-style, see
 * models/mpi/pingpong.c). NAN with the reason in why on failure. */
double mpi_latency_us(const char *btl, char *why, size_t len);

/* The ping-pong's figures (models/mpi/pingpong.c), in microseconds one
 * way: the mean of every timed trip, half the fastest and the median
 * round trip, and the mean of each block of trips. */
#define MPI_LATENCY_BLOCKS 10
struct mpi_latency {
	double mean_us;
	double best_us;
	double median_us;
	double blocks_us[MPI_LATENCY_BLOCKS];
	size_t n_blocks;
};

/* One `mpirun -np 2 ... concur-mpi --latency` run over BTL, read into
 * out. 0, or -1 with the reason in why. */
int mpi_latency_measure(const char *btl, struct mpi_latency *out, char *why,
			size_t len);

#endif
