// SPDX-License-Identifier: MIT
/*
 * status.h - how a program run through the protocol ended: the enum
 * protocol.c decides and struct run_stats's external_status holds
 * (common/options.h), and its name. A header of its own so that the runner
 * (external.c), the protocol (protocol.c) and the harness above include it
 * without including each other.
 *
 * Errors: none; an unknown status is named "unknown".
 */
#ifndef CONCUR_EXTERNAL_STATUS_H
#define CONCUR_EXTERNAL_STATUS_H

#include "common/options.h"

/* How the program ended: run_stats's external_status. */
enum external_status {
	EXTERNAL_OK,	      /* exited 0 and reported every task */
	EXTERNAL_UNAVAILABLE, /* could not be started */
	EXTERNAL_BAD_OUTPUT,  /* exited 0, but lines were missing or wrong */
	EXTERNAL_FAILED,      /* exited with a status other than 0 */
	EXTERNAL_CRASHED,     /* killed by a signal it did not ask for */
	EXTERNAL_TIMED_OUT,   /* outlived its time limit; we killed it */
};

/* "ok", "unavailable", "bad_output", "failed", "crashed", "timed_out". */
const char *external_status_name(int status);

/* Records status in s (may be NULL): s->external is set, and
 * s->external_status is status. */
void external_status_set(struct run_stats *s, enum external_status status);

#endif
