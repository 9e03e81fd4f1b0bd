// SPDX-License-Identifier: MIT
/* dask.c - py-dask's launcher: python.c's, with Dask required and the
 * whole wall counted (see dask.h). */
#include "harness/external/dask.h"

#include <stdio.h>
#include <string.h>

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

static int dask_start(struct launch *l, const struct model *m,
		      const struct run_opts *o, const struct external_opts *x,
		      size_t n, char *why, size_t len)
{
	return python_launcher.start(l, m, o, x, n, why, len);
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
