// SPDX-License-Identifier: MIT
/*
 * server_opts.h - the options of `concur serve`, in a header of their own:
 * the command (serve.c), the listening socket (listen.c) and the socket
 * layer (loop.c) all read them, and none of the three includes another's
 * header (make check-layers).
 */
#ifndef CONCUR_SERVER_OPTS_H
#define CONCUR_SERVER_OPTS_H

/* What the server listens on, and how long it waits for a client. */
struct server_opts {
	const char *listen_addr; /* "127.0.0.1" unless told otherwise */
	int port;		 /* 0: an ephemeral port */
	double header_timeout_s; /* a request head must arrive within this */
	double idle_timeout_s;	 /* an idle keep-alive connection closes */
	int backlog;		 /* listen() backlog */
	int quiet;		 /* no banner */
};

#endif
