// SPDX-License-Identifier: MIT
/* mpi.c - the mpirun command line of the MPI models (see mpi.h). */
#include "harness/external/mpi.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first executable `name` on PATH, into buf. */
static int mpi_which(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t dir = strcspn(path, ":");
		int n = snprintf(buf, len, "%.*s/%s", (int)dir, path, name);
		if (n > 0 && (size_t)n < len && access(buf, X_OK) == 0)
			return 0;
		path += dir + (path[dir] == ':');
	}
	return -1;
}

/* concur-mpi beside this program (build/concur, PREFIX/bin/concur) or
 * one folder up (build/tests/test_*). */
static int mpi_program(char *buf, size_t len)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *dir = dirname(exe);
	for (int up = 0; up < 2; up++) {
		int k = snprintf(buf, len, "%s/concur-mpi", dir);
		if (k > 0 && (size_t)k < len && access(buf, X_OK) == 0)
			return 0;
		dir = dirname(dir);
	}
	return -1;
}

int mpi_available(const struct model *m, char *why, size_t len)
{
	char path[4096];
	if (mpi_which("mpirun", path, sizeof(path)) != 0) {
		snprintf(why, len, "%s: no mpirun on PATH: %s", m->name,
			 MPI_INSTALL_HINT);
		return 0;
	}
	if (mpi_program(path, sizeof(path)) != 0) {
		snprintf(why, len,
			 "%s: concur-mpi was not built (no mpicc when "
			 "concur was built): %s",
			 m->name, MPI_INSTALL_HINT);
		return 0;
	}
	return 1;
}

int mpi_ranks(const struct model *m, int workers, size_t n)
{
	size_t w = workers > 0 ? (size_t)workers : 1;
	if (w > n)
		w = n > 0 ? n : 1;
	return (int)w + m->manager_ranks;
}

int mpi_launch_argv(const struct model *m, const struct run_opts *o, size_t n,
		    struct mpi_launch *l, char *why, size_t len)
{
	if (!mpi_available(m, why, len) ||
	    mpi_which("mpirun", l->mpirun, sizeof(l->mpirun)) != 0 ||
	    mpi_program(l->program, sizeof(l->program)) != 0)
		return -1;
	if (geteuid() == 0) { /* Open MPI refuses root without both */
		setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
		setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
	}
	snprintf(l->ranks, sizeof(l->ranks), "%d", mpi_ranks(m, o->workers, n));
	char *const fixed[] = {
		l->mpirun,
		"-np",
		l->ranks,
		"--oversubscribe",
		"--bind-to",
		"none",
		"--mca",
		"mpi_yield_when_idle",
		"1",
		"--mca",
		"btl_vader_single_copy_mechanism",
		"none",
	};
	size_t k = 0;
	for (; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		l->argv[k] = fixed[k];
	if (o->hosts) {
		l->argv[k++] = "--host";
		l->argv[k++] = (char *)o->hosts;
	} else if (o->hostfile) {
		l->argv[k++] = "--hostfile";
		l->argv[k++] = (char *)o->hostfile;
	}
	l->argv[k++] = l->program;
	l->argv[k] = NULL;
	return 0;
}

int mpi_latency_argv(const char *btl, struct mpi_launch *l, char *why,
		     size_t len)
{
	struct run_opts o = run_opts_default();
	o.workers = 2;
	const struct model *m = model_find("mpi-static");
	if (!m || mpi_launch_argv(m, &o, 2, l, why, len) != 0)
		return -1;
	size_t k = 0;
	while (l->argv[k])
		k++;
	/* ... PROGRAM NULL  becomes  ... --mca btl BTL PROGRAM --latency */
	l->argv[k - 1] = "--mca";
	l->argv[k] = "btl";
	l->argv[k + 1] = (char *)btl;
	l->argv[k + 2] = l->program;
	l->argv[k + 3] = "--latency";
	l->argv[k + 4] = NULL;
	return 0;
}
