// SPDX-License-Identifier: MIT
/*
 * rawsock.h - blocking TCP clients for the server's tests: they send
 * exactly the bytes a test chooses (garbage, half a request, a slow head),
 * which no HTTP library would.
 */
#ifndef CONCUR_TEST_RAWSOCK_H
#define CONCUR_TEST_RAWSOCK_H

#include <stdbool.h>
#include <stddef.h>

/* The port of a URL "http://127.0.0.1:PORT"; -1 when there is none. */
int rawsock_port(const char *url);

/* A connected socket to 127.0.0.1:port, or -1. */
int rawsock_connect(int port);

/* Sends all of s; 0 or -1. */
int rawsock_send(int fd, const char *s, size_t len);

/* Reads into buf (NUL-terminated) until the peer closes, cap-1 bytes
 * arrive, or timeout_s passes. Returns the bytes read; *closed (may be
 * NULL) says whether the peer closed (EOF or reset). */
size_t rawsock_read(int fd, char *buf, size_t cap, double timeout_s,
		    bool *closed);

/* Connects, sends request, reads until close or timeout_s; returns a
 * malloc'd NUL-terminated answer (free it), never NULL. */
char *rawsock_exchange(int port, const char *request, double timeout_s);

/* The status of the first answer in buf ("HTTP/1.1 404 ..."), or 0. */
int rawsock_status(const char *buf);

#endif
