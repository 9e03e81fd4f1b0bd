// SPDX-License-Identifier: MIT
/*
 * http_request.h - the parser callbacks that read a request into a
 * struct http_conn; private to http_conn.c and http_request.c.
 *
 * A callback that finds a request over a limit sets c->error_status
 * (414, 413, 400) and pauses the parser; a complete request pauses it
 * too, so that the answer goes out before a pipelined request is read.
 */
#ifndef CONCUR_HTTP_REQUEST_H
#define CONCUR_HTTP_REQUEST_H

#include "harness/server/http_conn_types.h"

/* For http_parser_execute; parser.data must point to the http_conn. */
extern const http_parser_settings http_request_settings;

#endif
