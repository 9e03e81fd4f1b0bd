// SPDX-License-Identifier: MIT
/*
 * loop.h - serving on a listening socket (listen.h) until SIGTERM or
 * SIGINT: the socket layer of `concur serve`. Opening the socket and
 * serving on it are two steps, so that server_spawn can tell its parent
 * the port between them.
 *
 * Errors: 0 or -1, with one line on stderr saying why.
 */
#ifndef CONCUR_SERVER_LOOP_H
#define CONCUR_SERVER_LOOP_H

#include "harness/server/server_opts.h"

/* Blocks SIGTERM and SIGINT, so that from now on they wait for the
 * loop (which reads them from a signalfd) instead of killing the process.
 * Call it before telling anyone the server is up. */
void server_block_signals(void);

/* Serves on listen_fd until SIGTERM or SIGINT, then closes every
 * connection and listen_fd. Raises RLIMIT_NOFILE to its hard limit first.
 * Returns 0 on a clean exit, -1 if the loop could not start. */
int server_serve(int listen_fd, const struct server_opts *o);

#endif
