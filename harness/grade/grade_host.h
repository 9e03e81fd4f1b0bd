// SPDX-License-Identifier: MIT
/*
 * grade_host.h - one batch run on a student's model in its host process
 * (concur-host, tests/conformance/host.c), contained (contain.h), and
 * what it reported read back only after it and everything it started are
 * gone. The grader holds no student code: this is the only way a
 * student's model runs during grading.
 *
 * The batch travels as the external models' document (models/README.md,
 * the fields of harness/external/protocol.c) with "scenario" and "server"
 * added; the results come back as its result lines. Nothing read back is
 * trusted: a line is a claim, checked for its form here and against the
 * grader's own reference by the caller; a task without a line is a task
 * the run never reported.
 *
 * Errors: grade_host_run returns -1 (why in rep->why) only when the host
 * could not be started; everything else is in struct host_report.
 */
#ifndef CONCUR_GRADE_HOST_H
#define CONCUR_GRADE_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/grade/contain.h"
#include "models/model.h"

/* Where and how hosts run: set once by the grader. */
struct grade_host {
	char bin[4096]; /* concur-host, an absolute path */
	char dir[64];	/* the grader's private directory (0700) */
	bool sanitized; /* the host was built with a sanitizer: no
			    address-space limit (shadow memory) */
	int log_fd;	/* the hosts' stderr is appended here */
	double limit_s; /* one run's wall-clock limit */
};

/* What one run reported, and how it ended. */
struct host_report {
	size_t reported;      /* tasks with a well-formed result line */
	size_t first_missing; /* the first task without one (== n: none) */
	bool ended;	      /* its last line ({"run_s": ...}) came */
	int workers;	      /* what that line says it started */
	double run_s, cpu_s;  /* what it says the run took, wall and CPU
				 (the largest such claims: a line printed
				 after the host's own cannot shorten them) */
	char probe[512];      /* what the probes said (a pool's bug), or "" */
	struct contain_result run;
	char why[256]; /* could not start, when -1 */
};

/* Makes the private directory and opens the log; 0 or -1. */
int grade_host_open(struct grade_host *h, const char *bin, bool sanitized,
		    double limit_s);

/* Removes the private directory, after copying the log to log_path (a
 * new file written whole) when log_path is not NULL. */
void grade_host_close(struct grade_host *h, const char *log_path);

/* Runs batch b with o on `model` in a contained host; scenario names the
 * conformance scenario (NULL: a plain run); the tasks' URLs are on the
 * grader's server at base, which the host replaces with its own. b's
 * results hold what was reported (not_run where nothing was). */
int grade_host_run(const struct grade_host *h, const char *model,
		   const char *scenario, struct batch *b,
		   const struct run_opts *o, const char *base,
		   struct host_report *rep);

#endif
