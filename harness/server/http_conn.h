// SPDX-License-Identifier: MIT
/*
 * http_conn.h - one HTTP/1.1 server connection as a state machine, with no
 * socket in sight.
 *
 * The socket layer (loop.c) feeds it what it reads, asks it what to
 * write, and tells it when a deadline passed; the connection answers with
 * a `struct http_want`: read or not, bytes ready to write, a deadline,
 * close or reset. Time is passed in (`now`, seconds on any monotonic
 * clock), so a test or a fuzzer can drive a connection through every
 * state with no sockets and no waiting (tests/fuzz/fuzz_request.c does).
 *
 * The states:
 *
 *   READING ----request read----> WAITING --delay over--> WRITING
 *      ^    \                        \                      |
 *      |     '--408/400/431--------------------------------->|
 *      |                              HANGING (/hang)        |
 *      '--------answer sent, keep-alive----------------------'
 *                                      answer sent, close: LINGERING
 *   then CLOSED (close the socket) or RESET (/reset: RST, SO_LINGER 0).
 *
 * Output is a virtual byte string: a small fixed part (status line,
 * headers, and for errors a text body) followed by body bytes generated
 * from their offset (route_fill_body), so a 64 MiB answer costs no
 * memory and a partial write is resumed by regenerating from `sent`.
 *
 * Errors: none are returned; bad input from the network becomes an HTTP
 * answer (400, 405, 408, 413, 414, 431) followed by a close.
 */
#ifndef CONCUR_HTTP_CONN_H
#define CONCUR_HTTP_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/server/http_conn_types.h"

void http_conn_init(struct http_conn *c, const struct http_limits *limits,
		    double now);
/* Frees the stash; the struct itself belongs to the caller. */
void http_conn_free(struct http_conn *c);

/* Bytes read from the socket. */
void http_conn_input(struct http_conn *c, const char *data, size_t len,
		     double now);
/* The client closed its side (read returned 0) or the socket failed. */
void http_conn_eof(struct http_conn *c);
/* The deadline of the last want passed. */
void http_conn_timeout(struct http_conn *c, double now);

/* Copies up to cap bytes of output into buf; returns how many. Does not
 * consume them: call http_conn_sent with what the socket took. */
size_t http_conn_peek(const struct http_conn *c, char *buf, size_t cap);
/* The socket took n bytes; blocked: it would not take all it was offered
 * (EAGAIN), so the socket layer now waits for writability. */
void http_conn_sent(struct http_conn *c, size_t n, bool blocked, double now);

struct http_want http_conn_want(const struct http_conn *c);

/* The name of a state, for traces and test messages. */
const char *http_state_name(enum http_state s);

#endif
