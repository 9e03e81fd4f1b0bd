// SPDX-License-Identifier: MIT
/*
 * launcher.h - what differs between the kinds of program a model can be:
 * the interface external.c's runner calls, as Redis's ae.c calls each
 * poller through its aeApi* functions. The runner owns what every program
 * gets (the pipes, the poll loop, the deadline, the kill and the reap); a
 * launcher says how to start the program, what to do with its stderr and,
 * when it has its own word to say, what its end means. Two implement it:
 * python.c's (a command of the data directory, a .py one run by a Python
 * with aiohttp) and mpi.c's (the MPI models, through mpirun). A header of
 * its own because it is the seam itself: the runner and the protocol
 * include it, the launchers fill it.
 *
 * Errors: start returns 0 or -1 with the reason in why (the model is then
 * unavailable) and has undone its own work; the rest cannot fail.
 */
#ifndef CONCUR_LAUNCHER_H
#define CONCUR_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/external/external_opts.h"
#include "harness/external/status.h"
#include "models/model.h"

/* One launch: owned by external_run, on its stack. */
struct launch {
	const struct launcher *api;
	char *const *argv; /* for execv: set by start, points into state */
	void *state;	   /* the launcher's own, from start to release */
};

/* How the program ended, as the runner and the protocol saw it. */
struct launch_end {
	int wstatus;	   /* from wait4 */
	bool timed_out;	   /* the runner killed it at the deadline */
	size_t n_reported; /* tasks that had a result line */
};

struct launcher {
	/* Can m run here? 1, or 0 with the reason (and what to install) in
	 * why. */
	int (*available)(const struct model *m, const struct external_opts *x,
			 char *why, size_t len);
	/* Makes l->state and l->argv for m on n tasks. */
	int (*start)(struct launch *l, const struct model *m,
		     const struct run_opts *o, const struct external_opts *x,
		     size_t n, char *why, size_t len);
	/* Reads what is there now on the program's stderr (*fd, non-blocking);
	 * at end of file closes it and sets *fd to -1. */
	void (*read_err)(struct launch *l, int *fd);
	/* Stderr is over, or abandoned: a last line without its newline. */
	void (*end_err)(struct launch *l);
	/* The deadline after stderr was read in the poll loop: deadline, or
	 * nearer when what the program said means it only has its own
	 * teardown left. NULL: the deadline stays. */
	double (*deadline)(struct launch *l, double deadline);
	/* How the program ended, when the launcher has its own word for it:
	 * a status, with the kind of the tasks it did not report in *missing
	 * and the reason in why; -1 leaves it to the protocol (protocol.c).
	 * NULL: always the protocol's. */
	int (*verdict)(const struct launch *l, const struct model *m,
		       const struct external_opts *x,
		       const struct launch_end *e, enum result_kind *missing,
		       char *why, size_t len);
	/* Frees what start made, once the program is reaped. */
	void (*release)(struct launch *l);
	/* Stderr is read while the runner waits for the exit (a full pipe
	 * would block the program), not only after it. */
	bool read_err_while_reaping;
	/* Launching is the model's cost (MPI's ranks): its time is the
	 * whole wall, not the program's own run time. */
	bool whole_wall;
};

#endif
