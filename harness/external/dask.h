// SPDX-License-Identifier: MIT
/*
 * dask.h - the launcher (launcher.h) of py-dask, the Dask distributed
 * model (models/python/py-dask.py): a .py run by the Python that runs
 * the other py-* models, which must also import `distributed`.
 *
 * Dask is found, never required: without python3-distributed the model
 * is unavailable and says what to install; every other model runs as
 * before. What differs from python.c's launcher: starting the cluster
 * (a LocalCluster's worker processes, or a scheduler and workers on the
 * hosts of --hosts / --hostfile, which the program reads from the
 * batch's options) is what the model costs, as MPI's launch is, so its
 * time is the whole wall and the start is shown apart (startup_s, and
 * the program's own cluster_start_s figure).
 *
 * Errors: as launcher.h says.
 */
#ifndef CONCUR_DASK_H
#define CONCUR_DASK_H

#include "harness/external/launcher.h"

/* What to install when Dask is missing. */
#define DASK_INSTALL_HINT "apt-get install python3-distributed python3-dask"

extern const struct launcher dask_launcher;

#endif
