// SPDX-License-Identifier: MIT
/*
 * external.h - running a model that is a program, not a C function: the
 * py-* models, or any language that speaks the protocol in
 * models/README.md (the batch as one JSON document on its stdin, one JSON
 * line per result on its stdout, then its own run time).
 *
 * The harness starts the program in its own process group, feeds it and
 * reads it in one poll loop (so a program that neither reads nor writes
 * cannot block us), kills the group when it outlives its time limit, and
 * reaps it (no zombie). Whatever the program does, every task ends with a
 * result: a line that is missing, malformed or out of range makes that task
 * `other`; a program that dies leaves its unreported tasks `crashed`; one
 * killed for its time limit leaves them `timeout`.
 *
 * Errors: external_run returns 0 when the program ran (whatever became of
 * it: see stats->external_status and the results) and -1 when it
 * could not start at all (no interpreter, no such file): then every task
 * is left not_run with the reason, and the model is "unavailable".
 */
#ifndef CONCUR_EXTERNAL_H
#define CONCUR_EXTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "harness/external/external_opts.h"
#include "harness/external/status.h"
#include "models/model.h"

/* Runs the external model m on the batch, as o and x say (x may be NULL:
 * every field 0); see the error policy above. Sets
 * o->stats->external_status (status.h), and fills o->stats (if any) with
 * figures (common/options.h): program_run_s (the program's own run time,
 * the model's wall time in tables), startup_s (the harness's wall time
 * minus that), and from wait4, which include the start-up, tree_user_s,
 * tree_sys_s and largest_rss_kib (the peak RSS of the largest process).
 * Task start/end are seconds since the program's own start of its
 * measured run. */
int external_run(const struct model *m, struct batch *b,
		 const struct run_opts *o, const struct external_opts *x);

/* Can m run here? For a .py command: a Python with aiohttp (x->python, or
 * one python_find() finds; x may be NULL). Returns 1, or 0 with the reason
 * (and what to install) in why. */
int external_available(const struct model *m, const struct external_opts *x,
		       char *why, size_t len);

/* The time limit when x->model_timeout_s is 0: ten times a rough ideal of
 * the batch plus 30 s. The harness, which knows the real ideal, should set
 * model_timeout_s itself. */
double external_default_timeout(const struct batch *b,
				const struct run_opts *o);

/* Makes external_run write the process group of the program it runs into
 * *slot (0 once the group is ended), for a parent that must end the group
 * itself when the caller of external_run dies first: Ctrl-C or a kill
 * takes the caller, and the program's own workers (a Python pool) would
 * live on, re-parented to init. NULL: publish nowhere. */
void external_publish_group(volatile pid_t *slot);

#endif
