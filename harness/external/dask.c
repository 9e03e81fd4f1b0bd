// SPDX-License-Identifier: MIT
/* dask.c - py-dask's launcher: python.c's, with Dask required and the
 * whole wall counted (see dask.h). */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */
#include "harness/external/dask.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/external/python.h"

/* The probe exits 42 only if this Python imports Dask's scheduler. */
#define DASK_PROBE "import sys, distributed; sys.exit(42)"

/* Does python import distributed? Asked once per interpreter a run. */
static int dask_importable(const char *python)
{
	static char asked[4096];
	static int answer;
	if (strcmp(asked, python) != 0) {
		answer = python_runs_probe(python, DASK_PROBE);
		snprintf(asked, sizeof(asked), "%s", python);
	}
	return answer;
}

static int dask_available(const struct model *m, const struct external_opts *x,
			  char *why, size_t len)
{
	if (!python_launcher.available(m, x, why, len))
		return 0;
	const char *python =
		x->python ? x->python : python_find(NULL, why, len);
	if (!python)
		return 0;
	if (dask_importable(python))
		return 1;
	snprintf(why, len, "%s cannot import distributed (Dask); install: %s",
		 python, DASK_INSTALL_HINT);
	return 0;
}

/* The run's own directory for the workers' files (their spill space,
 * lock files), handed to the program in CONCUR_DASK_DIR and removed once
 * the program is reaped, even when it was killed. One launch at a time
 * in a process (external_run's), so one name. */
static char dask_dir[64];

static int dask_dir_remove_cb(const char *path, const struct stat *st, int kind,
			      struct FTW *ftw)
{
	(void)st;
	(void)kind;
	(void)ftw;
	remove(path);
	return 0;
}

static int dask_start(struct launch *l, const struct model *m,
		      const struct run_opts *o, const struct external_opts *x,
		      size_t n, char *why, size_t len)
{
	snprintf(dask_dir, sizeof(dask_dir), "/tmp/concur-dask-XXXXXX");
	if (!mkdtemp(dask_dir)) {
		snprintf(why, len, "cannot make a directory in /tmp");
		dask_dir[0] = '\0';
		return -1;
	}
	setenv("CONCUR_DASK_DIR", dask_dir, 1); /* the child inherits it */
	int rc = python_launcher.start(l, m, o, x, n, why, len);
	if (rc != 0)
		rmdir(dask_dir);
	return rc;
}

static void dask_read_err(struct launch *l, int *fd)
{
	python_launcher.read_err(l, fd);
}

static void dask_end_err(struct launch *l)
{
	python_launcher.end_err(l);
}

static void dask_release(struct launch *l)
{
	python_launcher.release(l);
	/* FTW_PHYS: a link is removed, not followed; FTW_DEPTH: what is in
	 * a directory goes before it; FTW_MOUNT: no other file system. */
	if (dask_dir[0])
		nftw(dask_dir, dask_dir_remove_cb, 16,
		     FTW_PHYS | FTW_DEPTH | FTW_MOUNT);
	dask_dir[0] = '\0';
	unsetenv("CONCUR_DASK_DIR");
}

const struct launcher dask_launcher = {
	.available = dask_available,
	.start = dask_start,
	.read_err = dask_read_err,
	.end_err = dask_end_err,
	.release = dask_release,
	.read_err_while_reaping = true,
	.whole_wall = true, /* the cluster's start is the model's cost */
};
