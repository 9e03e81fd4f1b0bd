// SPDX-License-Identifier: MIT
/*
 * model.h - the one interface every concurrency model implements.
 *
 * A model runs a batch of independent tasks and fills one result slot per
 * task (common/task.h). Because every model has the same entry point, the
 * harness, the tests and a student can swap one for another by name and
 * compare them on identical work.
 *
 * Errors: run() returns 0 when the batch was run (individual tasks may still
 * have failed: that is in their results) and -1 when the model could not
 * run at all (it says why on stderr; results it could not start stay
 * not_run).
 *
 * Adding a model: write models/NAME.c ending with
 *     const struct model model_NAME = { ... };
 * and add one line to the table in models/registry.c. A model in another
 * language is a program plus one registry line: see models/README.md.
 */
#ifndef CONCUR_MODEL_H
#define CONCUR_MODEL_H

#include <stdbool.h>

#include "common/options.h"
#include "common/task.h"

/* Flags on a model. */
enum model_flags {
	MODEL_EXERCISE = 1 << 0,    /* student work: left out of `all` */
	MODEL_EXTERNAL = 1 << 1,    /* a program run through the protocol in
				    models/README.md, not a C function */
	MODEL_MPI = 1 << 2,	    /* external, started as ranks by `mpirun`
				    (harness/external/mpi.h) */
	MODEL_NO_SHARED = 1 << 3,   /* runs no shared workload: left out of
				     it (common/shared.h) */
	MODEL_SHARED_ONLY = 1 << 4, /* an exercise whose own work is the
				       shared workload: graded on it alone
				       (models/exercises/tally.c) */
	MODEL_PYTHON = 1 << 5,	    /* external, a Python program (the py-*
				       models): compared in a group of its
				       own, on --py-work */
	MODEL_BASELINE = 1 << 6,    /* the one sequential run its group's
				       speedups are over: sequential for the
				       C models, py-sequential for Python */
	MODEL_DASK = 1 << 7,	    /* external, Python, needs Dask's
				       scheduler (harness/external/dask.h) */
};

/* Where a model computes: what bounds how many compute tasks run at once.
 * The harness derives each model's ideal time and efficiency from it. */
enum model_compute {
	COMPUTE_ON_WORKERS = 0, /* each of the C workers computes its own
				   tasks: up to min(C, cores) at once */
	COMPUTE_ONE_AT_A_TIME,	/* one thread computes at a time (a single
				   loop or thread, or a lock around it) */
	COMPUTE_ON_POOL,	/* a pool of --cpu-workers threads apart from
				   the C fetches, which go on meanwhile */
};

/* Runs the batch; see the error policy above. */
typedef int (*model_run_fn)(struct batch *batch, const struct run_opts *opts);

struct model {
	const char *name;    /* "threads": what --models takes */
	const char *summary; /* one line for `concur models` */
	model_run_fn run;    /* NULL for external models: the harness runs
				those (harness/external/dispatch.h) */
	unsigned flags;	     /* enum model_flags */
	enum model_compute compute; /* where it computes (0: its workers) */
	const char *command; /* external models: the program, relative to the
				data directory, e.g. "models/python/x.py" */
	int manager_ranks;   /* MPI models: ranks started besides the C that
				do work (the task farm's rank 0) */
};

/* The registry (models/registry.c). 1 in the grader's build
 * (build/concur-grade), whose exercises have no code. */
extern const int model_registry_is_grader;
/* The registry's lookups. */
const struct model *model_find(const char *name);
/* The flags of the model called name; 0 for a name the registry does not
 * have (a name read from a file: not Python, not a baseline). */
unsigned model_flags_of(const char *name);
/* The baseline of the C models (python false) or of the Python ones: the
 * registry's model with MODEL_BASELINE; NULL if this build has none. */
const struct model *model_baseline(bool python);
/* All models in registry order; *count receives how many. */
const struct model *const *model_list(size_t *count);
/* "sequential, threads, ...": the names, for error messages. Static
 * storage. */
const char *model_names(void);

#endif
