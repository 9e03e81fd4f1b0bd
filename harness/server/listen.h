// SPDX-License-Identifier: MIT
/*
 * listen.h - opening the listening socket of `concur serve`.
 *
 * Errors: -1 with one line on stderr saying why (a bad address, a port
 * that is taken).
 */
#ifndef CONCUR_SERVER_LISTEN_H
#define CONCUR_SERVER_LISTEN_H

#include "harness/server/server_opts.h"

/* A listening, non-blocking socket on o->listen_addr:o->port (port 0:
 * ephemeral); *port receives the real port. Returns the fd or -1. */
int server_listen(const struct server_opts *o, int *port);

/* Is addr a wildcard (0.0.0.0, ::): a server listens on every address,
 * but no client can connect to it? */
int listen_is_wildcard(const char *addr);

#endif
