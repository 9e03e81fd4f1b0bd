// SPDX-License-Identifier: MIT
/*
 * support.h - what several test suites share: the embedded server started
 * once per suite, the concur binary run as a user would, and the
 * sequential reference of a batch.
 */
#ifndef CONCUR_TEST_SUPPORT_H
#define CONCUR_TEST_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "common/task.h"
#include "harness/run/verify.h"

/* The server's base URL ("http://127.0.0.1:PORT") once started. */
extern char support_server_url[256];

/* Check unchecked fixtures: start the server before the suite's tests
 * fork, stop it after. */
void support_server_up(void);
void support_server_down(void);

/* Runs `build/concur ARGS` (through sh, so ARGS may quote) with stdin from
 * /dev/null; captures stdout and stderr (truncated to the buffers; either
 * may be NULL). Returns the exit status, or -1. */
int support_concur(const char *args, char *out, size_t out_len, char *err,
		   size_t err_len);

/* Runs the sequential model on a copy of b with short delays (the
 * reference), then compares b's results with it. */
void support_verify(const struct batch *b, long timeout_ms,
		    struct verify_report *rep);

/* Counts the lines of s. */
int support_lines(const char *s);

#endif
