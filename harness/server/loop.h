// SPDX-License-Identifier: MIT
/*
 * server_loop.h - the two halves of running `concur serve`, split so that
 * server_spawn can tell its parent the port between them: open the
 * listening socket, then serve on it until SIGTERM or SIGINT.
 *
 * Errors: 0 or -1, with one line on stderr saying why.
 */
#ifndef CONCUR_SERVER_LOOP_H
#define CONCUR_SERVER_LOOP_H

#include "harness/server/serve.h"

/* A listening, non-blocking socket on o->listen_addr:o->port (port 0:
 * ephemeral); *port receives the real port. Returns the fd or -1. */
int server_listen(const struct server_opts *o, int *port);

/* Blocks SIGTERM and SIGINT, so that from now on they wait for the
 * loop (which reads them from a signalfd) instead of killing the process.
 * Call it before telling anyone the server is up. */
void server_block_signals(void);

/* Serves on listen_fd until SIGTERM or SIGINT, then closes every
 * connection and listen_fd. Raises RLIMIT_NOFILE to its hard limit first.
 * Returns 0 on a clean exit, -1 if the loop could not start. */
int server_serve(int listen_fd, const struct server_opts *o);

#endif
