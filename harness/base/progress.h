// SPDX-License-Identifier: MIT
/*
 * progress.h - progress on stderr: a bar with an ETA on a terminal, plain
 * lines otherwise, nothing with --quiet.
 */
#ifndef CONCUR_PROGRESS_H
#define CONCUR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress {
	size_t total, done;
	bool quiet, tty, colour;
	double started;	   /* monotonic */
	char current[128]; /* what is running now */
};

void progress_init(struct progress *p, size_t total, bool quiet);
void progress_start(struct progress *p, const char *model, const char *workload,
		    int workers, int rep, bool warmup);
void progress_done(struct progress *p, double wall_s);
void progress_end(struct progress *p);

#endif
