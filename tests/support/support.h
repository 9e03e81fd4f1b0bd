// SPDX-License-Identifier: MIT
/*
 * support.h - what several test suites share: the embedded server started
 * once per suite (or once per test, with options), URLs and batches on it,
 * a model run as the harness runs it and checked against the sequential
 * reference, and the concur binary run as a user would. The functions
 * that check something fail the calling Check test.
 */
#ifndef CONCUR_TEST_SUPPORT_H
#define CONCUR_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/options.h"
#include "common/task.h"
#include "harness/external/external_opts.h"
#include "harness/run/verify.h"
#include "harness/server/serve.h"
#include "models/model.h"

/* ---- the server ---------------------------------------------------------- */

/* The server's base URL ("http://127.0.0.1:PORT") once started. */
extern char support_server_url[256];

/* Check unchecked fixtures: start the server before the suite's tests
 * fork, stop it after. */
void support_server_up(void);
void support_server_down(void);

/* A server of the test's own, with options o (made quiet); its base URL
 * goes to url. Returns its pid, for server_stop. */
pid_t support_server_start(struct server_opts o, char *url, size_t len);

/* The URL of path on the suite's server into buf; a path that starts
 * with "http" is a whole URL already. Returns buf. */
const char *support_url(char *buf, size_t len, const char *path);

/* GETs url with a fresh handle, as the blocking models do. */
void support_fetch(const char *url, long timeout_ms, struct result *r);

/* The server at base still answers a normal request (/bytes/10). */
void support_assert_serving(const char *base);

/* ---- batches and runs ---------------------------------------------------- */

/* Task i fetches path on the suite's server (or a whole URL). */
void support_set_url(struct batch *b, size_t i, const char *path);

/* n fetch tasks of path_fmt on the suite's server; a %zu in it is the
 * task's index modulo 64 (so sizes and delays vary, but not too much). */
struct batch *support_fetch_batch(size_t n, const char *path_fmt);

/* n compute tasks of `work` units each, task i seeded with i. */
struct batch *support_compute_batch(size_t n, uint32_t work);

/* Runs the registered model `name` on b with o, from fresh results, as
 * the harness does (b->t0 set at the start); returns run()'s status. */
int support_run(const char *name, struct batch *b, const struct run_opts *o);

/* The same, and an external model also gets x (dispatch.h). */
int support_run_external(const char *name, struct batch *b,
			 const struct run_opts *o,
			 const struct external_opts *x);

/* Runs the sequential model on a copy of b with short delays (the
 * reference), then compares b's results with it. */
void support_verify(const struct batch *b, long timeout_ms,
		    struct verify_report *rep);

/* Every result of b equals the reference's, with no timing difference
 * (the same timeout_ms as b was run with); who names the run. */
void support_assert_reference(const struct batch *b, long timeout_ms,
			      const char *who);

/* The registered models that have none of the flags in skip (enum
 * model_flags), in the registry's order, at most cap. */
size_t support_models(const struct model **out, size_t cap, unsigned skip);

/* Is there a Python for the py-* models (harness/external/python.h)?
 * When not, says so on stderr, naming the suite, so its py-* tests can
 * pass with a note; under CI=true a missing Python fails the test. */
bool support_python(const char *suite);

/* Can the MPI models run here (mpirun on PATH, concur-mpi built)? The
 * same contract as support_python. */
bool support_mpi(const char *suite);

/* ---- the binary ---------------------------------------------------------- */

/* Runs `build/concur ARGS` (through sh, so ARGS may quote) with stdin from
 * /dev/null; captures stdout and stderr (truncated to the buffers; either
 * may be NULL). Returns the exit status, or -1. $CONCUR_BIN, when set,
 * names the binary (make test sets it). */
int support_concur(const char *args, char *out, size_t out_len, char *err,
		   size_t err_len);

/* The same with another build of concur. */
int support_run_bin(const char *bin, const char *args, char *out,
		    size_t out_len, char *err, size_t err_len);

/* The concur binary under test: $CONCUR_BIN, else build/concur. */
const char *support_bin(void);

/* Runs `PREFIX; concur ARGS` through sh (PREFIX: a ulimit, a cd, or ""),
 * with stdout and stderr together in out (read to the end, kept as far
 * as it fits); returns the exit status, or -1. */
int support_concur_sh(const char *prefix, const char *args, char *out,
		      size_t len);

/* The line of the table in out whose first word is `model` (a static
 * buffer), or NULL. */
const char *support_table_row(const char *out, const char *model);

/* Counts the lines of s. */
int support_lines(const char *s);

#endif
