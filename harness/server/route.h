// SPDX-License-Identifier: MIT
/*
 * route.h - what `concur serve` answers to a request target: the
 * endpoints and their limits, as a plain function from a target string to
 * a plan. No sockets, no clock, no allocation: the connection state
 * machine (http_conn.h) carries the plan out.
 *
 * Errors: route_plan never fails; a bad target becomes a plan for a 400 or
 * 404 answer with a one-line message.
 */
#ifndef CONCUR_SERVER_ROUTE_H
#define CONCUR_SERVER_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define ROUTE_DELAY_MAX_MS 60000u   /* delay <= 60 s */
#define ROUTE_BYTES_MAX (64u << 20) /* bodies <= 64 MiB */
#define ROUTE_DRIP_MS_DEFAULT 100u  /* /drip/N without ?ms= */
#define ROUTE_MESSAGE_MAX 112

/* How an answer misbehaves on purpose (the fault endpoints). */
enum route_fault {
	FAULT_NONE,
	FAULT_RESET,	/* no answer: the connection is reset (RST) */
	FAULT_TRUNCATE, /* Content-Length N, N/2 body bytes, then close */
	FAULT_HANG,	/* no answer, ever; the client's timeout must fire */
	FAULT_DRIP,	/* body bytes sent one at a time, drip_ms apart */
	FAULT_STALL,	/* the whole server stalls delay_ms (a GC pause):
			   every answer, anyone's, waits until it ends
			   (lesson 16); this one is answered then */
};

/* The answer to one request, decided before any of it is sent. */
struct route_plan {
	int status;	   /* HTTP status */
	uint64_t body_n;   /* size of the route_fill_body() body */
	uint32_t delay_ms; /* wait this long before answering */
	uint32_t drip_ms;  /* FAULT_DRIP: gap between body bytes */
	enum route_fault fault;
	char message[ROUTE_MESSAGE_MAX]; /* 400/404: a text body; else "" */
};

/* Fills *plan for a request target such as "/delay/50?bytes=1024". */
void route_plan(const char *target, size_t len, struct route_plan *plan);

/* The deterministic body of /bytes/N: byte i of a body of size n is
 * 'a' + (i * 7 + n) % 26 (in Python: bytes(97 + (i * 7 + n) % 26 for i in
 * range(n))), so checksums are known in advance.
 * Fills buf[0..len) with bytes offset..offset+len of the body of size n. */
void route_fill_body(char *buf, size_t len, size_t offset, size_t n);

#endif
