// SPDX-License-Identifier: MIT
/*
 * workload.h - turning options into a batch: fetches of the embedded
 * server's /delay/MS?bytes=N, compute tasks of W units, mixed tasks (both),
 * shared tasks of W x 10,000 increments of one counter, or the URLs of a
 * --url-file.
 *
 * Errors: functions return 0 or -1 after one line on stderr.
 */
#ifndef CONCUR_WORKLOAD_H
#define CONCUR_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "common/task.h"

/* URLs read from a --url-file. */
struct url_list {
	char **urls;
	size_t n;
};

/* Reads one URL a line ('#' starts a comment, blank lines skipped). A
 * malformed URL is an error naming the file and the line. */
int url_file_read(const char *path, struct url_list *out);
void url_list_free(struct url_list *list);

/* What a batch is made of. */
struct workload_spec {
	enum task_type type;
	size_t tasks;	      /* N (for url lists: cycles through them) */
	long delay_ms;	      /* per fetch, on the embedded server */
	long bytes;	      /* per fetch */
	long work;	      /* kernel units per compute (and mixed) task;
				 shared: units of SHARED_INCREMENTS_PER_UNIT */
	const char *base_url; /* "http://127.0.0.1:PORT", or NULL */
	const struct url_list *urls; /* used when base_url is NULL */
	bool skew;		     /* uneven costs (workload_skew) */
	long skew_seed;
};

/* --skew: task i's share of the work and of the delay is a weight drawn
 * from a Pareto distribution (shape 1.5: a few tasks cost many times the
 * median), seeded, the same for every model. The shares are rounded so
 * that the totals stay N x work units and N x delay ms: the batch costs
 * the same as the even one, only spread unevenly. Fills cost[0..n) with
 * the shares of `total` (integers that sum to it). */
void workload_skew(size_t n, long seed, long total, long *cost);

/* A new batch for the spec; NULL on failure. */
struct batch *workload_build(const struct workload_spec *spec);

/* A new batch of the first k tasks of b (k <= b->n), results included.
 * NULL when out of memory. */
struct batch *workload_head(const struct batch *b, size_t k);

#endif
